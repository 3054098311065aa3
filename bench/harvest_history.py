"""A labelled git history, built fast with `git fast-import`, and how to score a grouping of it.

`build_history` writes a repository where a known user (`USER`) and colleagues work the way
teams do: feature branches merged through pull requests (merged by the user or by someone
else, sometimes after a "Merge branch 'main'" sync), squash merges ending in "(#N)", ticket
work committed straight to main ("PAY-42: ..."), topic work ("billing: ...") and plenty of
colleagues' commits, some naming the same tickets. Every commit of the user carries a label:
the piece of work it belongs to. The tests and the benchmark both use it.
"""

from __future__ import annotations

import random
import subprocess
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from math import comb
from pathlib import Path

USER = ("Ada Lovelace", "ada@example.com")
COLLEAGUES = (("Grace Hopper", "grace@example.com"), ("Alan Turing", "alan@example.com"),
              ("Edsger Dijkstra", "edsger@example.com"))
AREAS = ("billing", "search", "auth", "ledger", "notifications", "reports", "checkout", "infra")
VERBS = ("Add", "Handle", "Refactor", "Test", "Document", "Speed up", "Clean up", "Guard")
THINGS = ("retry", "cache", "timeouts", "pagination", "export", "webhook", "limits", "metrics")
START = 1_672_531_200  # 2023-01-01 00:00 UTC


@dataclass
class History:
    """What was built: each user commit's label (by sha) and the number of commits."""

    path: Path
    labels: dict[str, str] = field(default_factory=dict)
    commits: int = 0
    other_shas: set[str] = field(default_factory=set)


@dataclass
class FastImport:
    """A `git fast-import` stream written commit by commit; `write` turns it into a repository."""

    rng: random.Random
    lines: list[bytes] = field(default_factory=list)
    mark: int = 0
    clock: int = START
    main_tip: int | None = None
    labels: dict[int, str] = field(default_factory=dict)
    others: set[int] = field(default_factory=set)
    files: Counter[str] = field(default_factory=Counter)

    def commit(self, ref: str, who: tuple[str, str], message: str, path: str, *,
               parent: int | None = None, merge: int | None = None, label: str = "") -> int:
        self.mark += 1
        self.clock += self.rng.randint(600, 4 * 3600)
        data = message.encode()
        self.lines += [f"commit {ref}\nmark :{self.mark}\n".encode(),
                       f"author {who[0]} <{who[1]}> {self.clock} +0000\n".encode(),
                       f"committer {who[0]} <{who[1]}> {self.clock} +0000\n".encode(),
                       f"data {len(data)}\n".encode() + data + b"\n"]
        if parent is not None:
            self.lines.append(f"from :{parent}\n".encode())
        if merge is not None:
            self.lines.append(f"merge :{merge}\n".encode())
        if merge is None:
            self.files[path] += 1
            body = "".join(f"line {i} of version {self.files[path]}\n"
                           for i in range(self.rng.randint(3, 30))).encode()
            self.lines.append(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
        if label:
            self.labels[self.mark] = label
        elif who != USER:
            self.others.add(self.mark)
        return self.mark

    def write(self, path: Path) -> dict[int, str]:
        """A new repository at `path` holding the stream; returns each mark's commit hash."""
        subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
        marks = path / ".git" / "bench-marks"
        subprocess.run(["git", "-C", str(path), "fast-import", "--quiet",
                        f"--export-marks={marks}"], input=b"".join(self.lines), check=True)
        pairs = (line.split(" ", 1) for line in marks.read_text().splitlines())
        shas = {int(mark[1:]): sha.strip() for mark, sha in pairs}
        marks.unlink()
        # the work tree matches the history, as in a real clone
        subprocess.run(["git", "-C", str(path), "reset", "-q", "--hard"], check=True)
        return shas

    def on_main(self, who: tuple[str, str], message: str, path: str, label: str = "") -> None:
        self.main_tip = self.commit("refs/heads/main", who, message, path, parent=self.main_tip,
                                    label=label)


def _subject(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(THINGS)}"


def _branch_piece(s: FastImport, number: int, area: str) -> None:
    """A feature branch of the user's, merged by a pull request (by them or a colleague)."""
    label, ref = f"pr-{number}", f"refs/heads/ada/{area}-{number}"
    title = f"{_subject(s.rng)} in {area}"
    base = s.main_tip
    tip = None
    for i in range(s.rng.randint(2, 6)):
        tip = s.commit(ref, USER, f"{_subject(s.rng)}\n\nPart {i} of the {area} change.",
                       f"services/{area}/feature_{number}.py", parent=base if tip is None else tip,
                       label=label)
        if i == 1 and s.rng.random() < 0.3:  # sync main into the branch
            s.on_main(s.rng.choice(COLLEAGUES), f"{_subject(s.rng)} elsewhere", "docs/notes.md")
            tip = s.commit(ref, USER, "Merge branch 'main' into ada/" + f"{area}-{number}", "",
                           parent=tip, merge=s.main_tip)
            s.labels.pop(tip, None)
    merger = USER if s.rng.random() < 0.4 else s.rng.choice(COLLEAGUES)
    s.main_tip = s.commit("refs/heads/main", merger,
                          f"Merge pull request #{number} from ada/{area}-{number}\n\n{title}", "",
                          parent=s.main_tip, merge=tip)
    s.labels.pop(s.main_tip, None)
    s.others.discard(s.main_tip)


def _ticket_piece(s: FastImport, key: str, area: str) -> None:
    """Work on a ticket committed to main, several commits over a few days."""
    for _ in range(s.rng.randint(2, 5)):
        # one commit in ten forgets the key: only its files tie it to the ticket
        form = s.rng.choice(("{k}: {t}", "[{k}] {t}", "{t} ({k})", "{k}: {t}", "[{k}] {t}",
                             "{t} ({k})", "{k}: {t}", "[{k}] {t}", "{t} ({k})", "{t}"))
        s.on_main(USER, form.format(k=key, t=_subject(s.rng)), f"services/{area}/{key}.py",
                  label=f"ticket-{key}")
        if s.rng.random() < 0.5:
            s.on_main(s.rng.choice(COLLEAGUES), f"{key}: review follow-up", f"tests/{key}.py")


def _topic_piece(s: FastImport, area: str, serial: int) -> None:
    """Small scoped commits ("search: ..."), close together in time."""
    for _ in range(s.rng.randint(2, 4)):
        s.on_main(USER, f"{area}: {_subject(s.rng).lower()}",
                  f"services/{area}/topic_{serial}.py", label=f"topic-{area}-{serial}")
    if s.rng.random() < 0.7:  # mostly a quiet week before the area comes back; not always
        s.clock += 9 * 24 * 3600


def _chore(s: FastImport) -> None:
    """A one-off commit of the user's with no number, key or scope: a piece of its own."""
    s.on_main(USER, s.rng.choice(("Fix typo in the README", "Bump dependencies",
                                  "Update the changelog", "Tidy the docs")),
              s.rng.choice(("README.md", "docs/guide.md", "CHANGELOG.md", "requirements.txt")),
              label=f"chore-{s.mark + 1}")


def _history(target: int, seed: int) -> FastImport:
    s = FastImport(random.Random(seed))
    s.on_main(COLLEAGUES[0], "Initial commit", "README.md")
    number, ticket = 100, 1
    while s.mark < target:
        roll = s.rng.random()
        area = s.rng.choice(AREAS)
        if roll < 0.25:
            number += 1
            _branch_piece(s, number, area)
        elif roll < 0.40:
            number += 1
            s.on_main(USER, f"{_subject(s.rng)} in {area} (#{number})",
                      f"services/{area}/squash_{number}.py", label=f"pr-{number}")
        elif roll < 0.52:
            ticket += 1
            _ticket_piece(s, f"PAY-{ticket}", area)
        elif roll < 0.60:
            _topic_piece(s, area, s.mark)
        elif roll < 0.64:
            _chore(s)
        else:
            number += 1
            who = s.rng.choice(COLLEAGUES)
            s.on_main(who, f"{_subject(s.rng)} (#{number})", f"services/{area}/other_{number}.py")
    return s


def build_history(path: Path, *, commits: int = 300, seed: int = 7) -> History:
    """A repository at `path` with about `commits` commits (a few more: a piece is finished)."""
    stream = _history(commits, seed)
    sha = stream.write(path)
    return History(path=path, labels={sha[m]: label for m, label in stream.labels.items()},
                   commits=stream.mark, other_shas={sha[m] for m in stream.others})


@dataclass(frozen=True)
class Agreement:
    """How well a grouping matches the labels, over pairs of commits."""

    precision: float
    recall: float
    adjusted_rand: float


def agreement(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Agreement:
    """Pairwise precision and recall and the adjusted Rand index over the labelled commits.

    A pair "agrees" when both groupings put it together. Precision: of the pairs the grouping
    joined, the share the labels join too; recall: the other way round.
    """
    items = [s for s in truth if s in predicted]
    joined_p = sum(comb(n, 2) for n in Counter(predicted[s] for s in items).values())
    joined_t = sum(comb(n, 2) for n in Counter(truth[s] for s in items).values())
    both = sum(comb(n, 2) for n in Counter((predicted[s], truth[s]) for s in items).values())
    pairs = comb(len(items), 2)
    expected = joined_p * joined_t / pairs if pairs else 0.0
    best = (joined_p + joined_t) / 2
    ari = (both - expected) / (best - expected) if best != expected else 1.0
    return Agreement(precision=both / joined_p if joined_p else 1.0,
                     recall=both / joined_t if joined_t else 1.0, adjusted_rand=ari)
