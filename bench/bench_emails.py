"""The emails after a yes on the configured model, live: the offer confirmation and a thank-you
to each person who helped, for three people (tests/after_yes_cases.py), through the real
services.

    .venv/bin/python -m bench emails
    .venv/bin/python -m bench.bench_emails --model MODEL --case backend-tech-lead

For each email it records whether the model's wording passed the number guard (and the other
checks) at the first try, after the one re-ask, or fell back to the deterministic draft; whether
every required part is there; the figures shown that the user never entered (must be 0: the
services' guard decides, this counts again independently); and the wall time. The recorded
counterpart, replayed in CI, is tests/test_offer_emails_recorded.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.tables import text_table
from coach.config import default_home, set_offline_env
from coach.domain.errors import CoachError
from coach.services import stakeholders as people
from coach.services.context import Context
from coach.services.offer_emails import draft_helper_thanks, draft_offer_confirmation
from tests.after_yes_cases import (
    CASES,
    entered_dates,
    entered_figures,
    seed_after_yes,
    stated_figures,
)

FIRST, REASKED, FELL_BACK, ERROR = "first try", "after re-ask", "fell back", "error"


class _Counting:
    """The model client, counting calls (one call: first try; two: the re-ask)."""

    def __init__(self, llm: Any):
        self._llm = llm
        self.calls = 0

    def complete(self, *args, **kwargs):
        self.calls += 1
        return self._llm.complete(*args, **kwargs)

    def stream(self, *args, **kwargs):
        self.calls += 1
        return self._llm.stream(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llm, name)


@dataclass
class Row:
    case: str
    email: str
    outcome: str
    parts: str
    invented: set[str]
    seconds: float


def _outcome(source: str, calls: int) -> str:
    if source != "model":
        return FELL_BACK
    return FIRST if calls <= 1 else REASKED


def _row(ctx: Context, llm: _Counting, case: str, name: str, draft: Any) -> Row:
    before, started = llm.calls, time.perf_counter()
    try:
        result = draft()
    except CoachError as exc:
        return Row(case, name, ERROR, exc.message[:40], set(), time.perf_counter() - started)
    seconds = time.perf_counter() - started
    invented = stated_figures(result.body, entered_dates(ctx)) - entered_figures(ctx)
    parts = f"{sum(result.checks.values())}/{len(result.checks)}"
    row = Row(case, name, _outcome(result.source, llm.calls - before), parts, invented, seconds)
    print(f"  {case} {name}: {row.outcome}, parts {parts}, {len(invented)} invented, "
          f"{seconds:.1f} s" + (f" ({result.notice})" if result.notice else ""), flush=True)
    return row


def run(work: Path, llm: _Counting, case_ids: list[str]) -> list[Row]:
    rows = []
    for case in (c for c in CASES if c.scenario_id in case_ids):
        ctx = Context.open(work / case.scenario_id, llm=llm)
        scenario = seed_after_yes(ctx, case)
        today = scenario.today
        rows.append(_row(ctx, llm, case.scenario_id, "offer-confirmation",
                         lambda ctx=ctx, today=today: draft_offer_confirmation(ctx, today=today)))
        for person in people.list_people(ctx):
            rows.append(_row(ctx, llm, case.scenario_id, f"thanks {person.name}",
                             lambda ctx=ctx, pid=person.id, today=today:
                             draft_helper_thanks(ctx, [pid], today=today)[0]))
    return rows


def report(rows: list[Row]) -> str:
    table = [["case", "email", "guard outcome", "parts", "invented shown", "seconds"]]
    table += [[r.case, r.email, r.outcome, r.parts, ", ".join(sorted(r.invented)) or "0",
               f"{r.seconds:.1f}"] for r in rows]
    summary = [["kind", "emails", FIRST, REASKED, FELL_BACK, ERROR, "invented shown",
                "median s"]]
    for kind in ("offer-confirmation", "thanks"):
        outs = [r for r in rows if r.email.startswith(kind)]
        summary.append([kind, str(len(outs)), *(str(sum(r.outcome == o for r in outs))
                                                for o in (FIRST, REASKED, FELL_BACK, ERROR)),
                        str(sum(len(r.invented) for r in outs)),
                        f"{statistics.median(r.seconds for r in outs):.1f}" if outs else "-"])
    return f"{text_table(table)}\n\n### summary\n{text_table(summary)}"


def main(argv: list[str] | None = None, *, llm: Any = None) -> int:
    """Run the bench and print its tables; always exits 0 (`llm`: a stand-in model)."""
    parser = argparse.ArgumentParser(prog="bench.bench_emails", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="a LiteLLM model string (default: COACH_MODEL or local)")
    parser.add_argument("--case", action="append", metavar="ID",
                        choices=[c.scenario_id for c in CASES], help="only this case")
    args = parser.parse_args(argv)
    set_offline_env()
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
    with tempfile.TemporaryDirectory(prefix="coach-bench-emails-") as tmp:
        work = Path(tmp)
        model = _Counting(llm or Context.open(work / "model", model=args.model).llm)
        print(f"emails-after-a-yes bench on model {model.model}; {os.cpu_count()} cores, load "
              f"average {os.getloadavg()[0]:.2f} at start", flush=True)
        started = time.perf_counter()
        rows = run(work, model, args.case or [c.scenario_id for c in CASES])
        elapsed = time.perf_counter() - started
    print()
    print(report(rows))
    print(f"\n{len(rows)} emails, {model.calls} model calls, {elapsed:.0f} s in all; load "
          f"average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
