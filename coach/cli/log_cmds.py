"""`coach log`: the impact log."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from coach.cli import harvest_cmds, link_cmds
from coach.cli.common import ENTRY_ID, Result, add_command, iso_date, text, yes_no
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryFilter, Kind
from coach.domain.log_formats import COLUMNS, LogFormat
from coach.domain.text import count
from coach.services import impact_log
from coach.services.context import Context


def _entry_fields(p: argparse.ArgumentParser, *, editing: bool) -> None:
    p.add_argument("--metric", type=text("metric"),
                   help="the quantified result, e.g. 'cut p95 latency 40%%'")
    p.add_argument("--kind", choices=[k.value for k in Kind])
    p.add_argument("--date", type=iso_date, help="YYYY-MM-DD (default: today)")
    p.add_argument("--description", type=text("description"),
                   help="what you did and why it mattered")
    p.add_argument("--source", type=text("source"), help="a link or where the proof lives")
    if editing:
        p.add_argument("--title", type=text("title"))
        p.add_argument("--next-level", type=yes_no, metavar="yes|no")
    else:
        p.add_argument("--next-level", action="store_true", help="shows work at the target level")


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("log", help="your impact log: dated, quantified evidence")
    lsub = group.add_subparsers(dest="log_command", metavar="ACTION", required=True)

    p = add_command(lsub, "add", cmd_add, help="add an entry")
    p.add_argument("text", type=text("title"), help="what you did (the entry's title)")
    _entry_fields(p, editing=False)

    p = add_command(lsub, "list", cmd_list, help="list entries")
    p.add_argument("--kind", choices=[k.value for k in Kind])
    p.add_argument("--next-level", action="store_true", default=None)
    p.add_argument("--since", type=iso_date)
    p.add_argument("--until", type=iso_date)
    p.add_argument("--search", type=text("query"), help="only entries containing this text")

    p = add_command(lsub, "edit", cmd_edit, help="change an entry")
    p.add_argument("id", type=ENTRY_ID)
    _entry_fields(p, editing=True)

    p = add_command(lsub, "rm", cmd_rm, help="delete an entry")
    p.add_argument("id", type=ENTRY_ID)

    p = add_command(lsub, "import", cmd_import, help="import entries from .json, .csv or .md")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=[f.value for f in LogFormat])
    p.add_argument("--skip-bad", action="store_true", help="import the good rows, skip bad ones")
    p.add_argument("--dry-run", action="store_true", help="only check the file")

    p = add_command(lsub, "template", cmd_template,
                    help="a CSV template with the columns an import reads")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")

    p = add_command(lsub, "export", cmd_export, help="export the log")
    p.add_argument("--format", choices=[f.value for f in LogFormat], default="md")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")

    harvest_cmds.register_log(lsub)
    link_cmds.register_log(lsub)


def render_entries(entries: list[Entry]) -> str:
    if not entries:
        return "The impact log is empty. Add a win: coach log add \"...\" --metric \"...\""
    lines = []
    for e in entries:
        flag = " [next-level]" if e.next_level else ""
        metric = e.metric or "(no metric yet)"
        lines.append(f"#{e.id:<4} {e.date.isoformat()}  {e.kind:<23} {e.title}{flag}\n"
                     f"      {metric}")
    return "\n".join(lines)


def cmd_add(args: argparse.Namespace, ctx: Context) -> Result:
    entry = impact_log.add_entry(
        ctx, title=args.text, metric=args.metric, kind=args.kind,
        date=args.date or dt.date.today(), description=args.description, source=args.source,
        next_level=args.next_level,
    )
    return Result(entry, f"Added #{entry.id}.\n" + render_entries([entry]))


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    where = EntryFilter(kind=args.kind, next_level=args.next_level, since=args.since,
                        until=args.until, text=args.search)
    entries = impact_log.list_entries(ctx, where)
    return Result(entries, render_entries(entries))


EDIT_FLAGS = ("title", "metric", "kind", "date", "description", "source", "next_level")


def cmd_edit(args: argparse.Namespace, ctx: Context) -> Result:
    if all(getattr(args, name) is None for name in EDIT_FLAGS):
        raise CoachError(f"nothing to change in entry #{args.id}", code="no-changes",
                         hint="Pass at least one of --title, --metric, --kind, --date, "
                              "--description, --source or --next-level.")
    entry = impact_log.edit_entry(
        ctx, args.id, title=args.title, metric=args.metric, kind=args.kind, date=args.date,
        description=args.description, source=args.source, next_level=args.next_level,
    )
    return Result(entry, f"Updated #{entry.id}.\n" + render_entries([entry]))


def cmd_rm(args: argparse.Namespace, ctx: Context) -> Result:
    entry = impact_log.remove_entry(ctx, args.id)
    return Result(entry, f"Deleted #{entry.id}: {entry.title}")


def cmd_import(args: argparse.Namespace, ctx: Context) -> Result:
    fmt = LogFormat(args.format) if args.format else None
    result = impact_log.import_file(ctx, args.file, fmt=fmt, skip_bad=args.skip_bad,
                                    dry_run=args.dry_run)
    notes = "".join(f"\n  skipped {e}" for e in result.skipped)
    notes += "".join(f"\n  duplicate {e}" for e in result.duplicates)
    dupes = (f"; {count(len(result.duplicates), 'entry', 'entries')} already in the log"
             if result.duplicates else "")
    if result.dry_run:
        return Result(result, f"{args.file} is valid; nothing imported (dry run){dupes}.{notes}")
    return Result(result, f"Imported {count(len(result.imported), 'entry', 'entries')}"
                          f"{dupes}.{notes}")


def cmd_template(args: argparse.Namespace, ctx: Context) -> Result:
    text = impact_log.import_template()
    help_text = "\n".join(f"  {name}: {what}" for name, what in COLUMNS.items())
    if args.out:
        _write(args.out, text)
        return Result({"path": str(args.out), "columns": COLUMNS},
                      f"Wrote {args.out}. The columns:\n{help_text}")
    if getattr(args, "json", False):
        return Result({"columns": COLUMNS, "content": text})
    sys.stdout.write(text)
    return Result(None)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"cannot write {path}: {exc.strerror or exc}",
                         hint="Check the folder exists and is writable.") from None


def cmd_export(args: argparse.Namespace, ctx: Context) -> Result:
    text = impact_log.export_log(ctx, LogFormat(args.format))
    if args.out:
        _write(args.out, text)
        return Result({"path": str(args.out), "format": args.format},
                      f"Wrote {args.out}")
    if getattr(args, "json", False):
        return Result({"format": args.format, "content": text})
    sys.stdout.write(text)
    return Result(None)
