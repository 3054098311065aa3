"""`coach status`, `coach remind`, `coach plan`, `coach update`: the weekly habit that keeps the
log full."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from coach.cli.common import Result, add_command, iso_date, record_id, text, today_option
from coach.domain.errors import CoachError
from coach.domain.reminders import DEFAULT_DAY, DEFAULT_TIME, parse_clock, parse_weekday
from coach.services.context import Context


class _Weekly(argparse.Action):
    """--weekly DAY HH:MM, checked as it is read so argparse names the flag in the error."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        day, clock = values
        for check, value in ((parse_weekday, day), (parse_clock, clock)):
            try:
                check(value)
            except CoachError as exc:
                raise argparse.ArgumentError(self, f"{exc.message}. {exc.hint}") from None
        setattr(namespace, self.dest, (day, clock))


def _short(value: str) -> str:
    """A weekday name or a time: a few characters (a long value is a usage error at once)."""
    if len(value) > 20:
        raise argparse.ArgumentTypeError(f"'{value[:20]}...' is too long for a day or a time")
    return value


_short.__name__ = "day or time"


def _file(suffix: str):
    """An argparse `type` for a file that must end in `suffix` (.ics, .eml)."""

    def parse(value: str) -> str:
        if not value.lower().endswith(suffix):
            raise argparse.ArgumentTypeError(f"'{value}' does not end in {suffix}")
        return value

    parse.__name__ = f"{suffix} file"
    return parse


_MEETING = record_id("a meeting id")


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a gap number") from None


_number.__name__ = "gap number"


def _past_date(value: str) -> dt.date:
    day = iso_date(value)
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"{value} is in the future; an update reports work "
                                         "already done, so give a date up to today")
    return day


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "status", cmd_status,
                    help="how the habit stands: days since the last entry, entries this month, "
                         "entries without a result, plan items due")
    today_option(p)

    p = add_command(sub, "remind", cmd_remind,
                    help="write a repeating calendar file (.ics): the weekly log, and with "
                         "--monthly the monthly review")
    p.add_argument("--weekly", nargs=2, metavar=("DAY", "HH:MM"), action=_Weekly, type=_short,
                   default=(DEFAULT_DAY, DEFAULT_TIME),
                   help=f"weekday and time of the weekly log (default: {DEFAULT_DAY} "
                        f"{DEFAULT_TIME}, local time)")
    p.add_argument("--monthly", action="store_true",
                   help="add the monthly review: the last DAY of each month, after the log")
    p.add_argument("--out", type=_file(".ics"), metavar="FILE",
                   help="the .ics to write (default: habit.ics in the exports folder)")
    today_option(p)

    p = add_command(sub, "plan", cmd_plan,
                    help="the development plan: the readiness gaps as dated items")
    p.add_argument("--ics", type=_file(".ics"), metavar="FILE",
                   help="also write the open items' due dates as a calendar file")
    today_option(p)
    psub = p.add_subparsers(dest="plan_command", metavar="ACTION")
    q = add_command(psub, "done", cmd_plan_done, help="mark a plan item done")
    q.add_argument("id", help="the item's id (shown by `coach plan`)")
    today_option(q)
    q = add_command(psub, "refresh", cmd_plan_refresh,
                    help="add new gaps, close what the log now shows; dates and done items stay")
    today_option(q)
    q = add_command(psub, "gaps", cmd_plan_gaps,
                    help="the gaps your manager named in a scored real meeting, each with the "
                         "line it came from (numbered for --drop)")
    q.add_argument("meeting", type=_MEETING, metavar="ID",
                   help="a real meeting scored with `coach roleplay score FILE`")
    q = add_command(psub, "agree", cmd_plan_agree,
                    help="after a no: agree the plan with your manager (the gaps they named, "
                         "what to show by when) and put the revisit date in your calendar")
    q.add_argument("--from-meeting", type=_MEETING, metavar="ID", dest="meeting",
                   help="read the gaps from your manager's lines in this scored real meeting "
                        "(its answer was not a yes; `coach roleplay list` shows the ids)")
    q.add_argument("--gap", action="append", default=[], type=text("gap"), metavar="TEXT",
                   help="a gap in your manager's words; repeat it for each one (added after "
                        "the meeting's)")
    q.add_argument("--drop", action="append", default=[], type=_number, metavar="N",
                   help="leave out gap N read from the meeting (`coach plan gaps ID` numbers "
                        "them); repeatable")
    q.add_argument("--only-typed", action="store_true",
                   help="the --gap ones replace the gaps read from the meeting")
    q.add_argument("--revisit", type=text("revisit"), metavar="DATE",
                   help="required: the date you agreed to come back to the question "
                        "(YYYY-MM-DD, today or later)")
    q.add_argument("--with", dest="with_name", type=text("manager_name"), metavar="NAME",
                   help="whom you agreed it with (default: your manager's name in the profile)")
    q.add_argument("--ics", type=_file(".ics"), metavar="FILE",
                   help="the calendar file for the revisit date (default: revisit.ics in the "
                        "exports folder)")
    q.add_argument("--preview", action="store_true", help="show the plan; save and write nothing")
    today_option(q)

    p = add_command(sub, "update", cmd_update, model=True,
                    help="a short update email for your manager: what shipped, the results, "
                         "what is next")
    p.add_argument("--since", type=_past_date, metavar="DATE",
                   help="report entries from DATE (default: since the last update, or a month)")
    p.add_argument("--out", type=_file(".eml"), metavar="FILE.eml",
                   help="the .eml to write (default: emails/update-DATE.eml in the exports "
                        "folder)")
    p.add_argument("--no-model", action="store_true", help="keep the wording built from the log")
    today_option(p)


def cmd_status(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import habit

    result = habit.status(ctx, args.today)
    return Result(result, result.text())


def cmd_remind(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import habit

    day, clock = args.weekly
    result = habit.remind(ctx, day=day, time=clock, monthly=args.monthly, out=args.out,
                          today=args.today)
    return Result(result, result.text())


def _plan_hint(exc: CoachError) -> CoachError:
    if exc.code == "not-found" and exc.field == "plan_item":
        return CoachError(exc.message, code=exc.code, field=exc.field,
                          hint="`coach plan` lists them with what each one asks.")
    return exc


def cmd_plan(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import plan

    result = plan.show_plan(ctx, ics=args.ics, today=args.today)
    return Result(result, result.text())


def cmd_plan_done(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import plan

    try:
        result = plan.mark_done(ctx, args.id, today=args.today)
    except CoachError as exc:
        raise _plan_hint(exc) from None
    return Result(result, f"Done: {args.id.strip().lower()}.\n" + result.text())


def cmd_plan_refresh(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import plan

    result = plan.refresh(ctx, today=args.today)
    return Result(result, result.text())


# How the terminal fixes what `coach plan agree` refuses, by (code, field).
_AGREE_HINTS = {
    ("empty", "revisit"): "Pass --revisit DATE (YYYY-MM-DD): the date you agreed to come back "
                          "to the question.",
    ("bad-date", "revisit"): "Give --revisit as YYYY-MM-DD.",
    ("past-date", "revisit"): "Give --revisit the date you agreed, today or later.",
    ("too-far", "revisit"): "Check the year given with --revisit.",
    ("no-gaps", "gaps"): "Pass --from-meeting ID (a scored real meeting that was not a yes) "
                         "or --gap TEXT, once per gap.",
    ("too-many", "gaps"): "Keep the ones your manager stressed most (--drop N leaves one out).",
    ("empty", "gap"): "Give each --gap a few words, as your manager put it.",
    ("too-long", "gap"): "Shorten the --gap text to a sentence.",
    ("not-found", "meeting"): "`coach roleplay list` shows the meeting ids; score a real one "
                              "with `coach roleplay score FILE`.",
    ("not-real", "meeting"): "Score the real meeting with `coach roleplay score FILE`, or pass "
                             "the gaps with --gap.",
    ("was-yes", "meeting"): "Pick a meeting that ended in a no (`coach roleplay list`), or "
                            "pass the gaps with --gap.",
    ("not-found", "drop"): "--drop takes the numbers `coach plan gaps ID` shows.",
}


def _agree_hint(exc: CoachError) -> CoachError:
    hint = _AGREE_HINTS.get((exc.code, exc.field or "")) or exc.hint
    return CoachError(exc.message.rstrip(".") + ".", code=exc.code, field=exc.field, hint=hint)


def cmd_plan_gaps(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import agreed_plan

    try:
        result = agreed_plan.meeting_gaps(ctx, args.meeting)
    except CoachError as exc:
        raise _agree_hint(exc) from None
    lines = [f"Gaps your manager named in meeting #{result.meeting} ({result.title}):"]
    for n, gap in enumerate(result.gaps, 1):
        lines += [f"  {n}. {gap.text}", f"     from: \u201c{gap.said}\u201d"]
    if not result.gaps:
        lines.append("  none found in your manager's words: type them with "
                     "`coach plan agree --gap TEXT`.")
    return Result(result, "\n".join(lines))


def cmd_plan_agree(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import agreed_plan

    try:
        result = agreed_plan.agree_plan(
            ctx, revisit=args.revisit, meeting_id=args.meeting, gaps=args.gap, drop=args.drop,
            replace=args.only_typed, with_name=args.with_name, ics=args.ics,
            preview=args.preview, today=args.today)
    except CoachError as exc:
        raise _agree_hint(exc) from None
    return Result(result, result.text())


def cmd_update(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import update

    if args.today and args.since and args.since > args.today:
        raise CoachError(f"--since {args.since.isoformat()} is after --today "
                         f"{args.today.isoformat()}", code="future-start", field="since",
                         hint="Give --since a date up to the day of the update.")
    result = update.draft_update(ctx, since=args.since, out=args.out, today=args.today,
                                 use_model=not args.no_model)
    return Result(result, result.text())
