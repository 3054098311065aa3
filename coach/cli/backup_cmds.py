"""`coach backup FILE` and `coach restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.cli.common import Result, add_command
from coach.domain.errors import CoachError
from coach.services import backup
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "backup", cmd_backup,
                    help="write one consistent archive of the data home (safe while the app runs)")
    p.add_argument("file", type=Path)
    p = add_command(sub, "restore", cmd_restore,
                    help="restore an archive into an empty data home (use --home NEW)")
    p.add_argument("file", type=Path)
    p = add_command(sub, "erase", cmd_erase,
                    help="delete all your data in this home (goal, log, drafts, role-plays, "
                         "documents); back up first")
    p.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")


def cmd_backup(args: argparse.Namespace, ctx: Context) -> Result:
    report = backup.backup(ctx, args.file)
    rows = sum(report.rows.values())
    return Result(report, f"Backed up {rows} rows and {report.documents} documents to {report.path}")


def cmd_restore(args: argparse.Namespace, ctx: Context) -> Result:
    report = backup.restore(ctx, args.file)
    rows = sum(report.rows.values())
    return Result(report, f"Restored {rows} rows and {report.documents} documents into "
                  f"{ctx.settings.home}. Run `coach init` to rebuild the search index.")


def cmd_erase(args: argparse.Namespace, ctx: Context) -> Result:
    if not args.yes:
        raise CoachError(f"this deletes everything in {ctx.settings.home} and cannot be undone",
                         hint="Make a backup first (coach backup FILE), then run "
                              "coach erase --yes.")
    report = backup.erase(ctx)
    rows = sum(report.rows.values())
    return Result(report, f"Deleted {rows} rows, {report.documents} documents and "
                  f"{report.files} exported files from {ctx.settings.home}.")
