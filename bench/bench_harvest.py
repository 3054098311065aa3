"""Harvest benchmark: a 5,000-commit history read and grouped into candidate entries.

Run with `.venv/bin/python -m bench harvest` (or `-m bench.bench_harvest [--commits N]`). Builds a
labelled history with `git fast-import` (`bench/harvest_history.py`), then times
`harvest_git` (one `git log --numstat`, the merge attribution and the grouping) and scores
the grouping against the labels: pairwise precision and recall and the adjusted Rand index
over the user's commits. The target is 10 s for 5,000 commits; a candidate holding another
author's commit is a failure. A second table times the file readers on large exports.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.harvest_history import USER, Agreement, History, agreement, build_history
from bench.tables import text_table
from coach.domain.harvest.calendar import parse_ics
from coach.domain.harvest.candidate import Candidate
from coach.domain.harvest.github import parse_github
from coach.domain.harvest.jira import parse_jira
from coach.domain.limits import MAX_FILE_BYTES
from coach.sources.git import harvest_git

TARGET_S = 10.0
COMMITS = 5_000
RUNS = 3
SMALL = 300  # the labelled fixture the tests use
ITEMS = 2_000


def predicted_groups(candidates: list[Candidate], history: History) -> dict[str, str]:
    """Each labelled commit's candidate key, found by its short hash in the evidence."""
    short = {sha[:10]: sha for sha in history.labels}
    groups: dict[str, str] = {}
    for candidate in candidates:
        for line in candidate.evidence.splitlines():
            if line.startswith("commit ") and (sha := short.get(line.split()[1])):
                groups[sha] = candidate.key
    return groups


def foreign(candidates: list[Candidate], history: History) -> int:
    """How many commits of other authors the candidates hold (must be 0)."""
    others = {sha[:10] for sha in history.other_shas}
    return sum(1 for c in candidates for line in c.evidence.splitlines()
               if line.startswith("commit ") and line.split()[1] in others)


def measure(folder: Path, commits: int, runs: int) -> tuple[History, float, float,
                                                            list[Candidate], Agreement]:
    started = time.perf_counter()
    history = build_history(folder, commits=commits)
    built = time.perf_counter() - started
    times, candidates = [], []
    for _ in range(runs):
        started = time.perf_counter()
        candidates = harvest_git(folder, authors=[USER[1]])
        times.append(time.perf_counter() - started)
    score = agreement(predicted_groups(candidates, history), history.labels)
    return history, built, statistics.median(times), candidates, score


def large_exports(items: int) -> dict[str, tuple[str, Callable[[str], list[Candidate]]]]:
    """A GitHub list, a Jira export and a calendar with `items` entries each, every one with
    a page of prose holding a few figures: the text a busy year leaves."""
    prose = ("We looked at the slow path with the team and agreed on a plan. "
             "The nightly job went from 40 min to 12 min, about 70% less. "
             "Follow-ups are in the backlog; see the runbook for details.\n") * 12
    prs = [{"number": i, "title": f"Change {i} to the ledger", "body": prose,
            "mergedAt": "2024-03-01T10:00:00Z", "url": f"https://github.com/acme/x/pull/{i}",
            "additions": i, "deletions": 1, "labels": [{"name": "ledger"}],
            "author": {"login": "ada-l" if i % 2 else "grace-h"}} for i in range(items)]
    out = io.StringIO(newline="")
    rows = csv.writer(out, lineterminator="\r\n")
    rows.writerow(["Summary", "Issue key", "Assignee", "Resolved", "Resolution", "Labels",
                   "Labels", "Description"])
    for i in range(items):
        rows.writerow([f"Ledger change {i}", f"PAY-{i}", "Ada Lovelace", "12/Mar/24 9:41 AM",
                       "Done", "ledger", "q1", prose.replace("\n", "\r\n")])
    escaped = prose.replace("\n", "\\n")
    events = "".join(f"BEGIN:VEVENT\r\nUID:e{i}@x\r\nDTSTART:20240301T100000Z\r\n"
                     f"SUMMARY:Tech talk {i}\r\nORGANIZER:mailto:{USER[1]}\r\n"
                     f"DESCRIPTION:{escaped}\r\nEND:VEVENT\r\n" for i in range(items))
    return {
        "github": (json.dumps(prs), lambda t: parse_github(t, login="ada-l")),
        "jira": ("\ufeff" + out.getvalue(), lambda t: parse_jira(t, assignee="Ada Lovelace")),
        "calendar": (f"BEGIN:VCALENDAR\r\n{events}END:VCALENDAR\r\n",
                     lambda t: parse_ics(t, people=[USER[1]])),
    }


def time_readers(items: int) -> list[list[str]]:
    rows = [["reader", "entries", "size", "candidates", "time", "MB/s"]]
    for name, (text, parse) in large_exports(items).items():
        started = time.perf_counter()
        found = parse(text)
        took = time.perf_counter() - started
        size = len(text.encode()) / 1024 / 1024
        rows.append([name, str(items), f"{size:.1f} MB", str(len(found)), f"{took:.2f} s",
                     f"{size / took:.1f}"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_harvest")
    parser.add_argument("--commits", type=int, default=COMMITS, help=f"history size ({COMMITS})")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"harvests timed ({RUNS})")
    parser.add_argument("--items", type=int, default=ITEMS,
                        help=f"entries in each large export ({ITEMS})")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows = [["history", "commits", "user's", "pieces", "candidates", "build", "harvest (median)",
             f"<= {TARGET_S:.0f} s", "precision", "recall", "adj. Rand", "others' commits"]]
    failed = False
    with tempfile.TemporaryDirectory(prefix="coach-bench-harvest-") as tmp:
        for name, size in (("labelled fixture", SMALL), ("benchmark", args.commits)):
            history, built, took, candidates, score = measure(Path(tmp) / name, size,
                                                              max(1, args.runs))
            wrong = foreign(candidates, history)
            failed |= wrong > 0 or took > TARGET_S
            rows.append([name, str(history.commits), str(len(history.labels)),
                         str(len(set(history.labels.values()))), str(len(candidates)),
                         f"{built:.2f} s", f"{took:.2f} s", "ok" if took <= TARGET_S else "over",
                         f"{score.precision:.3f}", f"{score.recall:.3f}",
                         f"{score.adjusted_rand:.3f}", str(wrong)])
    print(text_table(rows))
    print(f"(user {USER[1]}; {max(1, args.runs)} harvests each; 1-minute load average "
          f"{load:.2f} at the start, {os.cpu_count()} cores)")
    print("\nfile readers on large exports (the service refuses files over "
          f"{MAX_FILE_BYTES['harvest'] // 1024 // 1024} MB before they reach a reader)")
    print(text_table(time_readers(max(1, args.items))))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
