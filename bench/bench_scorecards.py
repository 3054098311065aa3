"""Scorecard checks against hand labels (evals/datasets/scorecards.yaml).

    .venv/bin/python -m bench.bench_scorecards           # the text rules alone, offline
    .venv/bin/python -m bench.bench_scorecards --judge   # rules, then the embedded judge model

Each transcript is scored as the app scores a finished role-play (the user's whole log as
facts). Prints, per check, how many labels the rules decided, how many of those agree, how
many were left to the judge (and, with --judge, how the judge did on them), then every
disagreement with the quote the verdict rests on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from bench.tables import text_table
from coach.config import default_home, set_offline_env
from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.domain.roleplay import (
    STEPS,
    CheckResult,
    ResponseType,
    ScoreInput,
    Turn,
    Verdict,
    pick_facts,
    rule_checks,
)
from coach.prompts import load_persona

REPO_ROOT = Path(__file__).resolve().parent.parent
DATASETS = REPO_ROOT / "evals" / "datasets"
LABELS = DATASETS / "scorecards.yaml"
TODAY = dt.date(2025, 6, 2)  # the eval datasets' date: only the suggested phrasings use it


def load_cases(path: Path = LABELS) -> list[dict]:
    """The labelled transcripts, each with its person's profile and log resolved."""
    people = yaml.safe_load((DATASETS / "people.yaml").read_text("utf-8"))
    cases = []
    for raw in yaml.safe_load(path.read_text("utf-8"))["transcripts"]:
        person = people[raw["person"]]
        turns = []
        for line in raw["turns"]:
            speaker = "you" if "you" in line else "manager"
            turns.append(Turn(speaker=speaker, text=" ".join(line[speaker].split()),
                              move=line.get("move", "")))
        entries = [Entry(id=i, **e) for i, e in enumerate(person.get("entries", []), start=1)]
        cases.append({**raw, "turns": turns, "profile": Profile(**person["profile"]),
                      "entries": entries, "response_type": ResponseType(raw["response_type"])})
    return cases


def _rule_checks(case: dict) -> list[CheckResult]:
    inp = ScoreInput(turns=case["turns"], profile=case["profile"],
                     facts=pick_facts(case["entries"], len(case["entries"])),
                     persona=load_persona(case["response_type"]), today=TODAY)
    return rule_checks(inp)[0]


def _judged_checks(ctx, case: dict) -> list[CheckResult]:
    from coach.services.roleplay import score_transcript

    return score_transcript(ctx, case["turns"], case["profile"], case["entries"],
                            case["response_type"], "realistic", today=TODAY).checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_scorecards")
    parser.add_argument("--judge", action="store_true",
                        help="also ask the embedded judge model (live, slow)")
    args = parser.parse_args(argv)
    cases = load_cases()
    ctx = None
    if args.judge:
        set_offline_env()
        os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
        from coach.services.context import Context

        ctx = Context.open(Path(tempfile.mkdtemp(prefix="coach-bench-")), model="local")

    tally: dict[str, Counter] = {check_id: Counter() for check_id in STEPS}
    misses: list[list[str]] = []
    for case in cases:
        rules = {c.id: c for c in _rule_checks(case)}
        final = {c.id: c for c in _judged_checks(ctx, case)} if ctx else rules
        for check_id, label in case["labels"].items():
            want, rule = label["verdict"], rules[check_id]
            count = tally[check_id]
            count["labels"] += 1
            if rule.verdict is Verdict.UNSCORED:
                count["to judge"] += 1
                got = final[check_id]
                if ctx and got.verdict.value == want:
                    count["judge agrees"] += 1
                if not ctx or got.verdict.value == want:
                    continue
                method = "judge"
            else:
                count["by rule"] += 1
                if rule.verdict.value == want:
                    count["rule agrees"] += 1
                    continue
                got, method = rule, "rule"
            misses.append([case["id"], check_id, want, f"{got.verdict.value} ({method})",
                           (got.quote or got.reason)[:70]])

    total = Counter()
    rows = [["check", "labels", "by rule", "rule agrees", "to judge"]
            + (["judge agrees"] if ctx else [])]
    for check_id, count in tally.items():
        total.update(count)
        rows.append([check_id, *(str(count[k]) for k in rows[0][1:])])
    rows.append(["all", *(str(total[k]) for k in rows[0][1:])])
    print(f"{len(cases)} transcripts, {total['labels']} labelled checks ({LABELS.name})\n")
    print(text_table(rows))
    if total["by rule"]:
        print(f"\nrule agreement: {total['rule agrees']}/{total['by rule']} "
              f"= {total['rule agrees'] / total['by rule']:.3f}")
    if ctx and total["to judge"]:
        print(f"judge agreement: {total['judge agrees']}/{total['to judge']} "
              f"= {total['judge agrees'] / total['to judge']:.3f}")
    if misses:
        print("\ndisagreements (label vs scorecard):\n")
        print(text_table([["transcript", "check", "label", "scorecard", "quote or reason"], *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
