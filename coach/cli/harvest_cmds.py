"""`coach log harvest | inbox | accept | reject`: evidence drafted from where work happens.

A harvest fills the inbox, never the log: each candidate waits there until it is accepted
(with edits, if any) or rejected.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from coach.cli.common import Handler, Result, add_command, iso_date, record_id, text, yes_no
from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.harvest.candidate import InboxItem, SourceKind
from coach.domain.limits import MAX_FILE_BYTES
from coach.domain.text import count
from coach.services.context import Context

STDIN = "-"
# The flag each source names its people with, and who they are, for the hints below.
PEOPLE_FLAG = {SourceKind.GIT: ("--author", "the address your commits are made with"),
               SourceKind.GITHUB: ("--author", "your GitHub login"),
               SourceKind.JIRA: ("--assignee", "your name as Jira shows it"),
               SourceKind.CALENDAR: ("--person", "the address your invitations go to")}
PEOPLE_FIELDS = {"author", "login", "assignee", "people"}

INBOX_ID = record_id("an inbox id")


def _hint(exc: CoachError, source: SourceKind | None) -> str | None:
    """The fix in this command's words, for the errors the harvest and the inbox raise."""
    if exc.field in PEOPLE_FIELDS and source in PEOPLE_FLAG:
        flag, who = PEOPLE_FLAG[source]
        many = f" (repeat {flag} for several)" if source in (SourceKind.GIT,
                                                             SourceKind.CALENDAR) else ""
        return f"Pass {flag} with {who}{many}."
    if exc.code == "nothing-found":
        return {"since": "Pass an earlier --since, or leave it out.",
                "note": "Write one line per piece of work (e.g. '- Shipped the export, cut "
                        "support tickets 30%'), or check --since."}.get(exc.field or "")
    if exc.field == "inbox":
        return "Run `coach log inbox --all` to see every item and its status."
    if exc.code in ("binary", "not-text"):
        return "Pass the exported text file itself (JSON, CSV, .ics or a .txt/.md note)."
    return None


def _worded(handler: Handler) -> Handler:
    """Word the core's errors with this command's flags (the core never names a flag)."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, ctx: Context) -> Result:
        try:
            return handler(args, ctx)
        except CoachError as exc:
            exc.hint = _hint(exc, getattr(args, "source", None)) or exc.hint
            raise

    return run






def _one(value: str) -> list[str]:
    """A flag that names one person, kept as a list like the flags that name several."""
    return [text("email")(value)]


def register_log(lsub: argparse._SubParsersAction) -> None:
    """Adds the harvest and inbox actions to `coach log` (issue 20)."""
    group = lsub.add_parser("harvest", help="draft candidate entries from git, GitHub, Jira, a "
                                            "calendar or a note into the inbox",
                            description="Draft candidate entries into the inbox (never "
                                        "straight into the log).")
    hsub = group.add_subparsers(dest="source", metavar="SOURCE", required=True)

    def source(name: SourceKind, target: str, help: str,
               model: bool = False) -> argparse.ArgumentParser:
        p = add_command(hsub, name.value, _worded(cmd_harvest), help=help, model=model)
        p.set_defaults(source=name)
        p.add_argument("target", metavar=target, type=Path)
        p.add_argument("--since", type=iso_date, help="only work on or after this date "
                                                      "(YYYY-MM-DD)")
        return p

    p = source(SourceKind.GIT, "PATH", "commits of a local git repository")
    p.add_argument("--author", dest="people", action="append", default=[], metavar="EMAIL",
                   type=text("email"),
                   help="only commits by this author (repeat for several)")
    p = source(SourceKind.GITHUB, "FILE", "a pull-request list saved with `gh pr list --json ...`")
    p.add_argument("--author", dest="people", type=_one, default=[], metavar="LOGIN",
                   help="only pull requests by this login")
    p = source(SourceKind.JIRA, "FILE", "a Jira CSV export of issues")
    p.add_argument("--assignee", dest="people", type=_one, default=[], metavar="NAME",
                   help="only issues assigned to this person")
    p = source(SourceKind.CALENDAR, "FILE.ics", "talks, workshops and 1:1s from a calendar file")
    p.add_argument("--person", dest="people", action="append", default=[], metavar="NAME",
                   type=text("email"),
                   help="only events with this attendee (repeat for several)")
    p = source(SourceKind.TEXT, "FILE|-", "a free-text weekly note (- reads standard input)",
               model=True)
    p.add_argument("--no-model", action="store_true",
                   help="draft one candidate per line without the model")

    p = add_command(lsub, "inbox", _worded(cmd_inbox), help="the candidates waiting for you")
    p.add_argument("--all", action="store_true", help="also the accepted and rejected ones")

    p = add_command(lsub, "accept", _worded(cmd_accept),
                    help="accept an inbox candidate into the log (edit fields first if needed)")
    p.add_argument("id", type=INBOX_ID)
    p.add_argument("--title", type=text("title"))
    p.add_argument("--metric", type=text("metric"),
                   help="the measured result, e.g. 'cut p95 latency 40%%'")
    p.add_argument("--kind", choices=[k.value for k in Kind])
    p.add_argument("--date", type=iso_date, help="YYYY-MM-DD")
    p.add_argument("--description", type=text("description"))
    p.add_argument("--next-level", type=yes_no, metavar="yes|no")

    p = add_command(lsub, "reject", _worded(cmd_reject),
                    help="reject an inbox candidate (later harvests leave it out too)")
    p.add_argument("id", type=INBOX_ID)


# -- rendering ----------------------------------------------------------------------------
def render_items(items: list[InboxItem]) -> str:
    if not items:
        return "The inbox is empty. Fill it with `coach log harvest SOURCE ...`."
    lines = []
    for i in items:
        flag = " [next-level]" if i.next_level else ""
        status = "" if i.status == "pending" else f" ({i.status}" + (
            f" as entry #{i.entry_id})" if i.entry_id else ")")
        lines.append(f"#{i.id:<4} {i.date.isoformat()}  {i.source.value:<8} {i.title}{flag}"
                     f"{status}")
        lines.append(f"      {i.metric or i.nudge}")
        detail = [f"kind: {i.kind.value}"] + ([f"criterion: {i.criterion}"] if i.criterion
                                               else []) + ([i.link] if i.link else [])
        lines.append(f"      {'  '.join(detail)}")
    return "\n".join(lines)


# -- handlers -----------------------------------------------------------------------------
def _stdin_note() -> str:
    from coach.services.harvest import decode_text

    limit = MAX_FILE_BYTES["harvest"]
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise CoachError("the note on standard input is too long to harvest", code="too-big",
                         field="note", hint="Keep only this week's part of it.")
    return decode_text(data, "standard input")


def cmd_harvest(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import harvest

    use_model = not getattr(args, "no_model", False)
    if args.source is SourceKind.TEXT and str(args.target) == STDIN:
        result = harvest.harvest_note(ctx, _stdin_note(), name="note", since=args.since,
                                      use_model=use_model)
    else:
        result = harvest.harvest_file(ctx, args.source, args.target,
                                      people=getattr(args, "people", []), since=args.since,
                                      use_model=use_model)
    parts = [result.summary()]
    if result.notice:
        parts.append(result.notice)
    if result.added:
        parts.append(render_items(result.added))
    if result.duplicates:
        parts.append("Left out (already in the log or the inbox):")
        parts += [f"  {d}" for d in result.duplicates]
    if result.added:
        parts.append("Accept with `coach log accept ID` (add --metric to give a result), or "
                     "`coach log reject ID`.")
    return Result(result, "\n".join(parts))


def cmd_inbox(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services.inbox import list_inbox

    items = list_inbox(ctx, None if args.all else "pending")
    if not items and not args.all:
        return Result(items, "No candidates are waiting. Harvest some with `coach log harvest "
                             "SOURCE ...` (`coach log inbox --all` shows the ones you handled).")
    heading = count(len(items), "candidate") + (" in all:" if args.all else " waiting:")
    return Result(items, f"{heading}\n{render_items(items)}")


def cmd_accept(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services.inbox import accept

    done = accept(ctx, args.id, title=args.title, metric=args.metric, kind=args.kind,
                  date=args.date, description=args.description, next_level=args.next_level)
    e = done.entry
    tip = "" if e.quantified else (
        f"\nTip: add the result with `coach log edit {e.id} --metric \"...\"`.")
    return Result(done, f"Accepted inbox #{done.item.id} as entry #{e.id}: {e.date.isoformat()} "
                        f"{e.title}\n      {e.metric or '(no metric yet)'}  {e.source}{tip}")


def cmd_reject(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services.inbox import reject

    item = reject(ctx, args.id)
    return Result(item, f"Rejected inbox #{item.id}: {item.title}. Later harvests leave it out.")
