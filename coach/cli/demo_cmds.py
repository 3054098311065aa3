"""`coach demo`: the whole journey on the sample profile, into one folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.cli.common import Result, add_command
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "demo", cmd_demo, model=True,
                    help="run the whole journey on the sample profile into one folder")
    p.add_argument("--out", type=Path, default=Path("coach-demo"),
                   help="an empty or new folder (default: ./coach-demo)")


def cmd_demo(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services.demo import run_demo  # every service: only the demo loads them all

    quiet = getattr(args, "json", False)
    report = run_demo(ctx, args.out,
                      progress=None if quiet else lambda m: print(m, file=sys.stderr, flush=True))
    lines = [f"Wrote the demo to {report.folder} (model: {report.model})",
             f"Open {report.index} in a browser."]
    lines += [f"  {i.title}: {i.summary}" + (f"  [{i.notice}]" if i.notice else "")
              for i in report.items]
    return Result(report, "\n".join(lines))
