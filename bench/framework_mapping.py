"""Mapping accuracy and time over the labelled set: impact-log entries written for the
6-level x 5-area fixture (tests/fixtures/frameworks/ladder-topics.md), each labelled with the
criterion it shows: labelled_entries.yaml (72 entries, the set the mapping was tuned on) and
labelled_entries_heldout.yaml (46 entries written and frozen before the tuning, never tuned on).

Accuracy is measured as the product uses the mapping: an entry is ranked against the
criteria of its label's level (the user's target level: 15 criteria here), through the same
service function readiness uses (`coach.services.criteria.rank`: offline MiniLM cosines of the
whole texts, of the criterion alone and word against word, plus shared words, each criterion's
mix then standardised across the log ranked together). The log is the set's entries of that
level (a log written toward the target level; the issue's figure); the same figures with the
whole set as one log (every level's entries, a log that mixes levels) are reported beside it,
as are the whole-framework ranking (90 criteria, no level given, each text alone as
`best_criteria` ranks it) and the share of best matches that reach the link floor and are right.
Shared by `bench/bench_framework.py` (the `mapping` section) and
`tests/test_framework_accuracy.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "frameworks"
FRAMEWORK = FIXTURES / "ladder-topics.md"
LABELLED = FIXTURES / "labelled_entries.yaml"
HELDOUT = FIXTURES / "labelled_entries_heldout.yaml"
SETS = {"tuning": (LABELLED,), "held-out": (HELDOUT,), "union": (LABELLED, HELDOUT)}
TOP3_TARGET = 0.85


@dataclass(frozen=True)
class Labelled:
    text: str
    criterion: str

    @property
    def level(self) -> str:
        return self.criterion.split(".")[0]


@dataclass(frozen=True)
class Accuracy:
    cases: int
    top1: float
    top3: float
    misses: list[tuple[str, str, list[str]]]  # (label, entry text, the top 3 given)
    best: list[tuple[float, bool]]  # per entry: the best match's confidence, and if it is right

    def right_above(self, floor: float) -> tuple[float, float]:
        """(share of entries whose best match reaches `floor`, share of those that are right)."""
        above = [right for conf, right in self.best if conf >= floor]
        return len(above) / len(self.best), (sum(above) / len(above) if above else 0.0)


def labelled(paths: tuple[Path, ...] = (LABELLED,)) -> list[Labelled]:
    """The labelled entries, each as the text the mapping reads (`entry_text`)."""
    rows = [r for path in paths for r in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return [Labelled(" ".join(p for p in (r["title"], r["description"], r["metric"]) if p),
                     r["criterion"]) for r in rows]


def _framework():
    from coach.services.framework import read_framework

    framework, _, _ = read_framework(FRAMEWORK)
    assert framework is not None
    return framework


def accuracy(ctx, *, per_level: bool = True, paths: tuple[Path, ...] = (LABELLED,),
             one_log: bool = False) -> Accuracy:
    """Top-1 and top-3 accuracy of `rank` over labelled entries (by default the tuning set),
    on the context's settings (its embedding cache).

    `rank` standardises each criterion across the texts it ranks together (the log). By
    default the log is the entries of one level (a log written toward the target level); with
    `one_log` it is the whole set, every level's entries, each read at its own level (a log
    that mixes levels, as a long career's does)."""
    from coach.services.criteria import rank

    framework = _framework()
    cases = labelled(paths)
    hits1 = hits3 = 0
    misses = []
    best = []
    groups: dict[str, list[Labelled]] = {}
    for case in cases:
        groups.setdefault(case.level if per_level else "", []).append(case)
    for level, group in groups.items():
        criteria = framework.criteria_at(level) if level else framework.criteria
        if one_log:
            everyone = rank(ctx, [c.text for c in cases], criteria)
            mine = [everyone[i] for i, c in enumerate(cases) if c in group]
        elif not level:  # as `best_criteria` ranks a text without a target level: alone
            mine = [rank(ctx, [c.text], criteria)[0] for c in group]
        else:
            mine = rank(ctx, [c.text for c in group], criteria)
        for case, ranked in zip(group, mine, strict=True):
            top = [s.criterion for s in ranked[:3]]
            hits1 += top[0] == case.criterion
            hits3 += case.criterion in top
            best.append((ranked[0].confidence, top[0] == case.criterion))
            if case.criterion not in top:
                misses.append((case.criterion, case.text, top))
    return Accuracy(len(cases), hits1 / len(cases), hits3 / len(cases), misses, best)


@dataclass(frozen=True)
class MappingTimes:
    cold_s: float  # every vector computed (an empty embedding cache)
    warm_s: float  # median with every vector cached (readiness on an unchanged log)
    entries: int
    criteria: int


def mapping_seconds(runs: int = 5) -> MappingTimes:
    """Time ranking the whole labelled set against one level's criteria: once on an empty
    embedding cache, then warm."""
    from coach.config import Settings
    from coach.knowledge.embedder import embed
    from coach.services.context import Context
    from coach.services.criteria import rank
    from coach.testing import NoModelLLM

    framework = _framework()
    criteria = framework.criteria_at("staff-engineer")
    texts = [c.text for c in labelled()]
    embed(["warm up"])  # the model's load is not the mapping's cost
    with tempfile.TemporaryDirectory(prefix="bench-mapping-") as tmp:
        settings = replace(Settings.load(Path(tmp) / "home"), embed_cache_dir=Path(tmp) / "cache")
        ctx = Context.from_settings(settings, llm=NoModelLLM())
        started = time.perf_counter()
        rank(ctx, texts, criteria)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(runs):
            started = time.perf_counter()
            rank(ctx, texts, criteria)
            warm.append(time.perf_counter() - started)
    return MappingTimes(cold, statistics.median(warm), len(texts), len(criteria))


def readiness_cli_seconds(runs: int = 3) -> tuple[float, float, int]:
    """`coach --json readiness` as a whole process on a home holding the labelled set as its
    log and the fixture in use at level 4: (first run on an empty embedding cache, median of
    the next runs, entries)."""
    from coach.domain.evidence import EntryDraft
    from coach.domain.profile import Profile, Transition
    from coach.services import framework as frameworks
    from coach.services.context import Context
    from coach.testing import NoModelLLM

    rows = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    launch = "import sys; from coach.cli.main import main; sys.exit(main(sys.argv[1:]))"
    with tempfile.TemporaryDirectory(prefix="bench-mapping-cli-") as tmp:
        home = Path(tmp) / "home"
        ctx = Context.open(home, llm=NoModelLLM())
        ctx.store.save_profile(Profile(current_title="Senior Engineer", target_title="Staff",
                                       transition=Transition.SENIOR_TO_STAFF, months_in_role=14))
        ctx.store.add_entries([EntryDraft(date=dt.date(2026, 1, 5), title=r["title"],
                                          description=r["description"], metric=r["metric"],
                                          kind=r["kind"]) for r in rows])
        frameworks.import_framework(ctx, FRAMEWORK)
        frameworks.set_levels(ctx, current_level=3, target_level=4)
        env = {**os.environ, "COACH_HOME": str(home), "COACH_CACHE_DIR": str(Path(tmp) / "cache")}
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", launch, "--json", "readiness"],
                                  capture_output=True, text=True, env=env, timeout=300)
            times.append(time.perf_counter() - started)
            if done.returncode != 0 or '"criteria"' not in done.stdout:
                raise RuntimeError(f"coach readiness failed: {done.stderr.strip()}")
    return times[0], statistics.median(times[1:]), len(rows)


def section_rows(runs: int) -> list[tuple[str, str, str, str, bool | None]]:
    """The `mapping` section's rows: (case, measure, value, target, ok)."""
    from coach.domain.framework.mapping import AUTO_MIN_CONFIDENCE
    from coach.services.context import Context
    from coach.testing import NoModelLLM

    rows: list[tuple[str, str, str, str, bool | None]] = []
    with tempfile.TemporaryDirectory(prefix="bench-mapping-") as tmp:
        ctx = Context.open(Path(tmp) / "home", llm=NoModelLLM())
        for name, paths in SETS.items():
            level = accuracy(ctx, paths=paths)
            anywhere = accuracy(ctx, per_level=False, paths=paths)
            case = f"{name} set ({level.cases} entries)"
            target = name != "tuning"  # the figure is judged on entries not tuned on
            rows.append((case, "top-1 accuracy, the level's 15 criteria", f"{level.top1:.3f}",
                         "", None))
            rows.append((case, "top-3 accuracy, the level's 15 criteria", f"{level.top3:.3f}",
                         f">= {TOP3_TARGET}" if target else "",
                         level.top3 >= TOP3_TARGET if target else None))
            rows.append((case, "top-1 accuracy, all 90 criteria", f"{anywhere.top1:.3f}", "",
                         None))
            rows.append((case, "top-3 accuracy, all 90 criteria", f"{anywhere.top3:.3f}", "",
                         None))
            mixed = accuracy(ctx, paths=paths, one_log=True)
            rows.append((case, "top-1 / top-3, the level's 15, whole set as one log",
                         f"{mixed.top1:.3f} / {mixed.top3:.3f}", "", None))
            linked, right = level.right_above(AUTO_MIN_CONFIDENCE)
            rows.append((case, f"best match >= link floor {AUTO_MIN_CONFIDENCE}: linked, right",
                         f"{linked:.0%}, {right:.0%}", "", None))
    t = mapping_seconds(runs)
    what = f"{t.entries} entries x {t.criteria} criteria"
    rows.append((what, "rank, empty embedding cache", f"{t.cold_s * 1000:.0f} ms",
                 f"{t.cold_s / t.entries * 1000:.1f} ms an entry", None))
    rows.append((what, "rank, vectors cached, median", f"{t.warm_s * 1000:.1f} ms", "", None))
    cold, warm, n = readiness_cli_seconds()
    what = f"`coach readiness`, {n} entries, level 4"
    rows.append((what, "whole process, empty embedding cache", f"{cold:.2f} s", "", None))
    rows.append((what, "whole process, vectors cached, median", f"{warm:.2f} s", "", None))
    return rows
