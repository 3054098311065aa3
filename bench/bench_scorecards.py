"""Scorecard checks against hand labels (evals/labelled/scorecards-*.yaml).

    .venv/bin/python -m bench.bench_scorecards           # rules + recorded judge replies, offline
    .venv/bin/python -m bench.bench_scorecards --judge   # ask the embedded judge model live

The same measurement as `coach eval scorecards`: per part (tuned, held-out) and check, how
many labels the scorecard agrees with, then every disagreement with its reason.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from coach.config import default_home, set_offline_env
from coach.evals import scorecard_labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_scorecards")
    parser.add_argument("--judge", action="store_true", help="ask the embedded judge model live (slow)")
    args = parser.parse_args(argv)
    judge = None
    if args.judge:
        set_offline_env()
        os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
        from coach.services.context import Context

        judge = Context.open(Path(tempfile.mkdtemp(prefix="coach-bench-")), model="local").judge
    print(scorecard_labels.render(scorecard_labels.run(judge)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
