"""Reading a local repository's history with the `git` command: offline, read-only.

One `git log` over the current branch gives every commit with its parents and line counts;
the merges tell which pull request each branch commit came in with
(`coach.domain.harvest.commit.attribute_merges`), and only then are other people's commits
dropped. Nothing is fetched, nothing is written, and a problem is a `CoachError`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.harvest.candidate import Candidate
from coach.domain.harvest.commit import Commit, attribute_merges
from coach.domain.harvest.git import group_commits

MAX_COMMITS = 50_000  # the newest commits read from a very long history
TIMEOUT_S = 120
_RS, _US = "\x1e", "\x1f"
# hash, parents, author name and address (after the mailmap), author date, subject, body.
_FORMAT = "%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%aI%x1f%s%x1f%b%x1f"
_GITHUB = re.compile(r"^(?:https?://(?:[^@/]+@)?|ssh://git@|git@)(github\.com)[:/]([\w.-]+)/"
                     r"([\w.-]+?)(?:\.git)?/?$")
# Variables that would point git at another repository than the one named.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C", LANG="C")
    return env


def _git(path: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(["git", "-C", str(path), "-c", "core.quotepath=off",
                               "-c", "log.showSignature=false", "-c", "core.fsmonitor=false",
                               *args],
                              capture_output=True, env=_env(), timeout=TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise CoachError("the git command is not installed", code="no-git",
                         hint="Install git, then try again.") from None
    except subprocess.TimeoutExpired:
        raise CoachError(f"reading the history of {path} took over {TIMEOUT_S} s",
                         code="too-slow", field="path",
                         hint="Give a start date to read less of it.") from None
    if check and done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CoachError(f"git could not read {path}: {detail[-1] if detail else 'failed'}",
                         code="git-failed", field="path")
    return done


def _out(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8", "replace")


def open_repository(path: str | Path) -> Path:
    """The folder, checked to be a git repository (or inside one) with at least one commit."""
    folder = Path(path).expanduser()
    if not folder.exists():
        raise CoachError(f"{folder} does not exist", code="not-found", field="path",
                         hint="Check the path.")
    if not folder.is_dir():
        raise CoachError(f"{folder} is a file, not a repository", code="not-a-repo",
                         field="path", hint="Give the folder a repository was cloned into.")
    probe = _git(folder, "rev-parse", "--git-dir", check=False)
    if probe.returncode != 0:
        said = probe.stderr.decode("utf-8", "replace")
        if "dubious ownership" in said:  # git's own guard: the folder belongs to someone else
            raise CoachError(f"git will not read {folder}: it belongs to another user",
                             code="git-failed", field="path",
                             hint="Harvest a copy you own, or mark it safe in git's settings.")
        raise CoachError(f"{folder} is not a git repository", code="not-a-repo", field="path",
                         hint="Give the folder a repository was cloned into.")
    if _git(folder, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
        raise CoachError(f"{folder} has no commits yet", code="empty-history", field="path",
                         hint="Harvest once some work is committed.")
    return folder


def repo_name(path: str | Path) -> str:
    """The repository's name: from its origin's address, else its folder's name."""
    folder = open_repository(path)
    url = _out(_git(folder, "config", "--get", "remote.origin.url", check=False)).strip()
    if url:
        name = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
        if name:
            return name
    top = _out(_git(folder, "rev-parse", "--show-toplevel", check=False)).strip()
    return Path(top).name if top else folder.resolve().name


def web_url(path: str | Path) -> str:
    """https://github.com/owner/name for a GitHub origin (credentials dropped), else ''."""
    folder = open_repository(path)
    url = _out(_git(folder, "config", "--get", "remote.origin.url", check=False)).strip()
    found = _GITHUB.match(url)
    return f"https://{found.group(1)}/{found.group(2)}/{found.group(3)}" if found else ""


def _default_authors(folder: Path) -> list[str]:
    email = _out(_git(folder, "config", "--get", "user.email", check=False)).strip()
    if not email:
        raise CoachError("whose commits to read is not set", code="no-author", field="author",
                         hint="Give the address your commits are made with.")
    return [email]


def parse_log(text: str) -> list[Commit]:
    """Commits from `git log` output in this module's format, with `--numstat`."""
    commits: list[Commit] = []
    for record in text.split(_RS)[1:]:
        fields = record.split(_US, 7)
        if len(fields) != 8:
            continue
        sha, parents, name, email, date, subject, body, stat = fields
        additions = deletions = 0
        files: list[str] = []
        for line in stat.strip("\n").splitlines():
            parts = line.split("\t", 2)
            if len(parts) != 3:
                continue
            added, deleted, file = parts
            additions += int(added) if added.isdigit() else 0  # "-": a binary file
            deletions += int(deleted) if deleted.isdigit() else 0
            files.append(file)
        commits.append(Commit(sha=sha, parents=tuple(parents.split()), author_name=name,
                              author_email=email, date=dt.datetime.fromisoformat(date),
                              subject=subject, body=body.strip(), additions=additions,
                              deletions=deletions, files=tuple(files)))
    return commits


def read_commits(path: str | Path, *, authors: Sequence[str] = (),
                 since: dt.date | None = None) -> list[Commit]:
    """The user's commits on the current branch, newest first, each marked with its merge.

    Args:
        path: the repository's folder (or a folder inside it).
        authors: the user's commit addresses or names; empty means the repository's
            configured `user.email`.
        since: only commits authored on or after this day.

    Raises:
        CoachError: not a repository, no commits, or none by the authors.
    """
    folder = open_repository(path)
    wanted = [a for a in authors if a.strip()] or _default_authors(folder)
    # no rename detection, text conversion or external diff: only line counts are needed
    args = ["log", "--no-color", "--no-renames", "--no-textconv", "--no-ext-diff", "--numstat",
            f"--format={_FORMAT}",
            f"--max-count={MAX_COMMITS}"]
    if since is not None:
        # git's own cut uses the committer date, a little later than the author's: read a
        # day more, then keep the author date exactly.
        args.append(f"--since={(since - dt.timedelta(days=1)).isoformat()}")
    everyone = parse_log(_out(_git(folder, *args, "HEAD")))
    head = _out(_git(folder, "rev-parse", "HEAD")).strip()
    marked = attribute_merges(everyone, head)
    mine = [c for c in marked if c.by(wanted) and (since is None or c.date.date() >= since)]
    if mine or (since is not None and _has_author(folder, wanted)):
        return mine
    authors_seen = Counter(c.author_email for c in everyone).most_common(5)
    seen = ", ".join(email for email, _ in authors_seen) or "nobody"
    raise CoachError(f"no commit by {', '.join(wanted)} in this history (authors found: {seen})",
                     code="not-yours", field="author",
                     hint="Give the address your commits are made with.")


def _has_author(folder: Path, wanted: Sequence[str]) -> bool:
    """Any commit by `wanted` at all (names and addresses only: quick on a long history)."""
    out = _out(_git(folder, "log", "--format=%aN%x1f%aE", f"--max-count={MAX_COMMITS}", "HEAD"))
    lowered = {w.casefold() for w in wanted}
    return any(part.casefold() in lowered for line in out.splitlines() for part in line.split(_US))


def harvest_git(path: str | Path, *, authors: Sequence[str] = (),
                since: dt.date | None = None) -> list[Candidate]:
    """Candidates from a repository: `read_commits`, then `group_commits`."""
    commits = read_commits(path, authors=authors, since=since)
    if not commits:
        return []
    wanted = [a for a in authors if a.strip()] or _default_authors(Path(path).expanduser())
    return group_commits(commits, repo_name(path), authors=wanted, web_url=web_url(path))
