"""`coach demo`: the whole journey on the sample profile, into one folder."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coach.cli.common import Result, add_command
from coach.services.context import Context

if TYPE_CHECKING:
    from coach.services.demo import DemoItem, DemoReport


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "demo", cmd_demo, model=True,
                    help="run the whole journey on the sample profile into one folder")
    p.add_argument("--out", type=Path, default=Path("coach-demo"),
                   help="an empty or new folder (default: ./coach-demo)")


def write_demo(ctx: Context, out: Path, *, today: dt.date | None = None,
               progress: Callable[[str], None] | None = None) -> DemoReport:
    """The journey (a service), then the recorded eval suite's report, then the index page."""
    today = today or dt.date.today()
    from coach.services import demo  # the whole journey: loaded when the demo runs

    report = demo.run_journey(ctx, out, today=today, progress=progress)
    if progress:
        progress("Scoring the recorded eval suite")
    report.items.append(_eval_report(ctx, Path(report.folder)))
    return demo.write_index(report, today)


def _eval_report(ctx: Context, out: Path) -> DemoItem:
    from coach.evals.report import write_reports
    from coach.evals.runner import replay, save_run
    from coach.services.demo import DemoItem

    record = replay(ctx.settings)
    run_folder = save_run(ctx.settings, record)
    write_reports(record, run_folder)
    shutil.copytree(run_folder, out / "eval-report")
    rates = ", ".join(f"{name} {rate:.0%}" for name, rate in record.summary.pass_rates().items()
                      if rate is not None)
    return DemoItem(step="6", title="Eval report (recorded responses)",
                    files=["eval-report/report.html", "eval-report/report.md"], summary=rates)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> Result:

    quiet = getattr(args, "json", False)
    report = write_demo(ctx, args.out,
                        progress=None if quiet else lambda m: print(m, file=sys.stderr, flush=True))
    lines = [f"Wrote the demo to {report.folder} (model: {report.model})",
             f"Open {report.index} in a browser."]
    lines += [f"  {i.title}: {i.summary}" + (f"  [{i.notice}]" if i.notice else "")
              for i in report.items]
    return Result(report, "\n".join(lines))
