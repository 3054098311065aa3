"""Prompt-injection benchmark: every attack, planted in every place, through every surface.

Run with `.venv/bin/python -m bench.bench_injection` (or `python -m bench injection`).
Uses the table of `tests/injection_cases.py` (the CI test runs the same cases) with a model
that obeys every injection it reads, each case in a fresh temporary data home. Prints one
row per case (held: caught by the checks, or never sent to the model; FELL: what showed),
then attack x surface with totals, and the held rate. No network, no real model.

`--live` runs the planted instructions of the same file (`PLANTED`) on a real model
instead (the embedded one unless `--model` says otherwise): how many it followed and how
many planted lines the chat quoted as guidance, both of which must be 0. `--limit N` runs
the first N cases only, for a short check on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.tables import text_table
from coach.config import set_offline_env
from tests.injection_cases import (
    ATTACKS,
    CASES,
    PLANTED,
    SURFACES,
    Outcome,
    PlantedOutcome,
    run_case,
    run_planted,
)


def _rate(held: int, total: int) -> str:
    return f"{held}/{total}" if total else "-"


def live(model: str | None, limit: int | None) -> int:
    """The planted instructions on a real model: one row per case, then the totals."""
    from coach.config import default_home
    from coach.services.context import Context

    # Temporary homes share the machine's joined weights and its running embedded server.
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
    cases = PLANTED[:limit] if limit else PLANTED
    rows, outcomes = [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coach-injection-live-") as tmp:
        llm = Context.open(Path(tmp) / "model", model=model).llm
        print(f"{len(cases)} planted instructions on {llm.model}; cpu count {os.cpu_count()}, "
              f"load average {os.getloadavg()[0]:.2f} at start", flush=True)
        for number, case in enumerate(cases):
            case_started = time.perf_counter()
            outcome: PlantedOutcome = run_planted(case, Path(tmp) / f"case-{number}", llm)
            outcomes.append(outcome)
            rows.append([case.id, "yes" if outcome.reached else "no",
                         "model" if outcome.seen.from_model else "fallback", outcome.verdict,
                         f"{time.perf_counter() - case_started:.0f}"])
            print(f"  {case.id}: {outcome.verdict}", flush=True)
    print(text_table([["case", "reached", "shown", "result", "s"], *rows]))
    followed = sum(bool(o.followed) for o in outcomes)
    quoted = sum(o.quoted is not None for o in outcomes)
    reached = sum(o.reached for o in outcomes)
    print(f"\n{len(outcomes)} planted instructions ({reached} reached the model): {followed} "
          f"followed, {quoted} quoted as guidance; {time.perf_counter() - started:.0f} s, load "
          f"average {os.getloadavg()[0]:.2f} at end")
    return 0 if followed == quoted == 0 else 1


def main(argv: list[str] | None = None) -> int:
    set_offline_env()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true",
                        help="run the planted instructions on a real model (slow)")
    parser.add_argument("--model", help="with --live: a LiteLLM model string (default: local)")
    parser.add_argument("--limit", type=int, help="with --live: only the first N cases")
    args = parser.parse_args(argv or [])
    if args.live:
        return live(args.model, args.limit)
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    for case in CASES:
        with tempfile.TemporaryDirectory(prefix="coach-injection-") as tmp:
            outcomes.append(run_case(case, Path(tmp)))
    elapsed = time.perf_counter() - started

    print(text_table([["attack", "planted in", "surface", "result"],
                      *([o.case.attack.id, o.case.place, o.case.surface, o.verdict]
                        for o in outcomes)]))

    cells: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        cells[o.case.attack.id, o.case.surface].append(o)
    surfaces = list(SURFACES)
    rows = []
    for attack in ATTACKS:
        row = [attack.id]
        for surface in surfaces:
            got = cells.get((attack.id, surface), [])
            row.append(_rate(sum(o.held for o in got), len(got)))
        mine = [o for o in outcomes if o.case.attack.id == attack.id]
        rows.append([*row, _rate(sum(o.held for o in mine), len(mine))])
    totals = ["all"]
    for surface in surfaces:
        got = [o for o in outcomes if o.case.surface == surface]
        totals.append(_rate(sum(o.held for o in got), len(got)))
    rows.append([*totals, _rate(sum(o.held for o in outcomes), len(outcomes))])
    print("\nheld per attack x surface")
    print(text_table([["attack", *surfaces, "all"], *rows]))

    held = sum(o.held for o in outcomes)
    obeyed = [o for o in outcomes if o.reached]
    caught = sum(o.held for o in obeyed)
    print(f"\nheld {held}/{len(outcomes)} ({held / len(outcomes):.1%}); the model obeyed the "
          f"injection in {len(obeyed)} cases and the checks caught {caught}/{len(obeyed)} "
          f"({caught / max(len(obeyed), 1):.1%}); {len(outcomes) - held} fell")
    print(f"({len(outcomes)} cases in {elapsed:.1f} s; cpu count {os.cpu_count()}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    return 0 if held == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
