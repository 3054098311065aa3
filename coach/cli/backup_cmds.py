"""`coach backup FILE` and `coach restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.cli.common import Result, add_command
from coach.services import backup
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "backup", cmd_backup,
                    help="write one consistent archive of the data home (safe while the app runs)")
    p.add_argument("file", type=Path)
    p = add_command(sub, "restore", cmd_restore,
                    help="restore an archive into an empty data home (use --home NEW)")
    p.add_argument("file", type=Path)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> Result:
    report = backup.backup(ctx, args.file)
    rows = sum(report.rows.values())
    return Result(report, f"Backed up {rows} rows and {report.documents} documents to {report.path}")


def cmd_restore(args: argparse.Namespace, ctx: Context) -> Result:
    report = backup.restore(ctx, args.file)
    rows = sum(report.rows.values())
    return Result(report, f"Restored {rows} rows and {report.documents} documents into "
                  f"{ctx.settings.home}. Run `coach init` to rebuild the search index.")
