"""Prompt-injection benchmark: every attack, planted in every place, through every surface.

Run with `.venv/bin/python -m bench.bench_injection` (or `python -m bench injection`).
Uses the table of `tests/injection_cases.py` (the CI test runs the same cases) with a model
that obeys every injection it reads, each case in a fresh temporary data home. Prints one
row per case (held: caught by the checks, or never sent to the model; FELL: what showed),
then attack x surface with totals, and the held rate. No network, no real model.
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
from tests.injection_cases import ATTACKS, CASES, SURFACES, Outcome, run_case


def _rate(held: int, total: int) -> str:
    return f"{held}/{total}" if total else "-"


def main(argv: list[str] | None = None) -> int:
    set_offline_env()
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv or [])
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
