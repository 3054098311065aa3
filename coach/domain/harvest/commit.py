"""Commits as `git log` reports them, and what their messages and merges say about the work.

What ties commits to one piece of work, strongest first:
- a pull-request number in the message: "Add retry (#123)" (a squash merge), "Merge pull
  request #123 from ..." (GitHub), "See merge request group/project!123" (GitLab);
- the merge that brought a branch in: every commit only reachable through a merge's second
  parent belongs to that merge's pull request or branch (`attribute_merges`);
- a ticket key ("PAY-42") in the subject, the body or the branch name;
- otherwise the topic: a conventional-commit scope ("fix(billing): ..."), a "billing: ..."
  prefix, or the folder most of its files are in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

_PR_PATTERNS = (
    re.compile(r"\(#(\d{1,7})\)"),  # squash merge: "Subject (#123)"
    re.compile(r"\bMerge pull request #(\d{1,7})\b"),  # GitHub merge commit
    re.compile(r"\bmerge request [\w./-]*!(\d{1,7})\b", re.IGNORECASE),  # GitLab
)
# PAY-42, CORE2-7; words that look like keys but name standards or encodings are not tickets.
_TICKET = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,9})-(\d{1,6})(?![\w-])")
_NOT_TICKETS = frozenset({"UTF", "SHA", "ISO", "RFC", "CVE", "HTTP", "TLS", "SSL", "AES", "RSA",
                          "MD", "BASE", "IPV", "PEP", "ECMA", "ES", "GPT", "COVID", "WCAG",
                          "CWE", "OWASP", "ARM", "X86", "LTS", "WIN", "PY", "PYTHON", "NODE"})
_MERGE_BRANCH = re.compile(r"^Merge (?:remote-tracking )?branch '([^']+)'")
_MERGE_PR_FROM = re.compile(r"^Merge pull request #\d+ from (\S+)")
_CONVENTIONAL = re.compile(r"^(?:[a-z]+)\(([\w./ -]{1,40})\)!?:\s", re.IGNORECASE)
_PREFIX = re.compile(r"^([a-z][\w./-]{1,30}):\s")
_CONVENTIONAL_TYPES = frozenset({"feat", "fix", "chore", "docs", "refactor", "test", "tests",
                                 "perf", "style", "build", "ci", "revert", "wip", "merge"})
_MAINLINE_BRANCHES = re.compile(r"^(?:origin/)?(?:main|master|trunk|develop|dev|release.*)$")
_BRANCH_PREFIXES = re.compile(r"^(?:origin/)?(?:(?:feature|feat|fix|bugfix|hotfix|chore|users?|"
                              r"dev|topic)/)?(?:[\w.-]+/)?")
# Folders that hold everything; the one below them names the area.
_CONTAINERS = frozenset({"src", "lib", "app", "apps", "pkg", "packages", "services", "internal",
                         "cmd", "modules", "components", "libs", "projects", "crates"})
_TRAILER = re.compile(r"^co-authored-by:", re.IGNORECASE | re.MULTILINE)


class MergeInfo(BaseModel):
    """The merge that brought a commit in: its pull request, branch and title."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha: str
    date: dt.datetime
    subject: str
    pr: int | None = None
    branch: str = ""
    title: str = Field("", description="The pull request's title, from the merge's body.")

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.title}".strip()


class Commit(BaseModel):
    """One commit, with its line counts (from `--numstat`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha: str = Field(..., min_length=4)
    parents: tuple[str, ...] = ()
    author_name: str = ""
    author_email: str = ""
    date: dt.datetime
    subject: str = ""
    body: str = ""
    additions: int = Field(0, ge=0)
    deletions: int = Field(0, ge=0)
    files: tuple[str, ...] = ()
    merged_via: MergeInfo | None = Field(None, description="Set by `attribute_merges`.")

    @field_validator("date")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        # git gives every date with its offset; a date without one is taken as UTC, so
        # commits from both kinds of caller can be compared
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.body}".strip()

    @property
    def paired(self) -> bool:
        """A Co-authored-by trailer: the work was done in a pair."""
        return bool(_TRAILER.search(self.body))

    def by(self, authors: Iterable[str]) -> bool:
        """Written by one of `authors` (addresses or names, case aside)."""
        wanted = {a.strip().casefold() for a in authors if a.strip()}
        return self.author_email.casefold() in wanted or self.author_name.casefold() in wanted


def pr_number(text: str) -> int | None:
    """The pull-request number a message names, if any (the first one)."""
    for pattern in _PR_PATTERNS:
        if found := pattern.search(text):
            return int(found.group(1))
    return None


def ticket_keys(text: str) -> list[str]:
    """Ticket keys ("PAY-42") in order of appearance, once each."""
    keys = [f"{p}-{n}" for p, n in _TICKET.findall(text) if p not in _NOT_TICKETS]
    return list(dict.fromkeys(keys))


def branch_topic(branch: str) -> str:
    """'feature/alice/retry-webhook' -> 'retry-webhook'; mainline branches -> ''."""
    if not branch or _MAINLINE_BRANCHES.match(branch):
        return ""
    return _BRANCH_PREFIXES.sub("", branch, count=1) or branch


def area_of(commit: Commit) -> str:
    """The topic a commit is about, from its scope, its prefix or its files ('' if none)."""
    if found := _CONVENTIONAL.match(commit.subject):
        return found.group(1).strip().lower()
    if (found := _PREFIX.match(commit.subject)) and found.group(1) not in _CONVENTIONAL_TYPES:
        return found.group(1).lower()
    folders: Counter[str] = Counter()
    for path in commit.files:
        parts = path.replace("{", "").replace("}", "").split("/")
        if len(parts) < 2:
            continue
        if parts[0] in _CONTAINERS and len(parts) > 2:
            folders[f"{parts[0]}/{parts[1]}"] += 1
        else:
            folders[parts[0]] += 1
    return folders.most_common(1)[0][0] if folders else ""


def merge_info(merge: Commit) -> MergeInfo:
    """What a merge commit's message says: pull request, branch, and the title in its body."""
    branch = ""
    if found := _MERGE_PR_FROM.match(merge.subject):
        branch = found.group(1).split("/", 1)[-1] if "/" in found.group(1) else found.group(1)
    elif found := _MERGE_BRANCH.match(merge.subject):
        branch = found.group(1)
    body_lines = [line.strip() for line in merge.body.splitlines() if line.strip()]
    title = next((line for line in body_lines if not line.lower().startswith(
        ("see merge request", "co-authored-by", "signed-off-by", "reviewed-by"))), "")
    return MergeInfo(sha=merge.sha, date=merge.date, subject=merge.subject,
                     pr=pr_number(merge.message), branch=branch, title=title)


def mainline(commits: Sequence[Commit], head: str | None = None) -> set[str]:
    """The first-parent chain from `head` (default: the first commit listed, as `git log` starts)."""
    by_sha = {c.sha: c for c in commits}
    line: set[str] = set()
    sha = head or (commits[0].sha if commits else None)
    while sha and sha in by_sha and sha not in line:
        line.add(sha)
        sha = by_sha[sha].parents[0] if by_sha[sha].parents else None
    return line


def attribute_merges(commits: Sequence[Commit], head: str | None = None) -> list[Commit]:
    """The commits, each branch commit marked with the merge that brought it in.

    A merge claims the commits reachable from its second parent that are not on the
    mainline and not claimed already. Merges are visited oldest first, so a branch merged
    into a feature branch keeps its own pull request. Merges of the mainline into a branch
    ("Merge branch 'main' into ...") claim nothing.
    """
    by_sha = {c.sha: c for c in commits}
    main = mainline(commits, head)
    claimed: dict[str, MergeInfo] = {}
    merges = sorted((c for c in commits if c.is_merge), key=lambda c: c.date)
    for merge in merges:
        info = merge_info(merge)
        if info.pr is None and not branch_topic(info.branch):
            continue
        stack = list(merge.parents[1:])
        while stack:
            sha = stack.pop()
            if sha not in by_sha or sha in main or sha in claimed:
                continue
            claimed[sha] = info
            stack.extend(by_sha[sha].parents)
    return [c.model_copy(update={"merged_via": claimed[c.sha]}) if c.sha in claimed else c
            for c in commits]
