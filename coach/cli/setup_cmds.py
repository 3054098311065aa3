"""`coach init` and `coach profile`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coach.cli import framework_cmds
from coach.cli.common import Result, add_command, text
from coach.domain.profile import MAX_MONTHS_IN_ROLE, MAX_TIMES_PASSED_OVER, Signal, Transition
from coach.domain.responses import ResponseType
from coach.services import knowledge, profile
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "init", cmd_init, help="create the data home and build the guidance index")

    group = sub.add_parser("profile", help="your current role, target and company signals")
    psub = group.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    p = add_command(psub, "set", cmd_profile_set, help="create or update the profile")
    p.add_argument("--current-title", type=text("current_title"))
    p.add_argument("--target-title", type=text("target_title"))
    p.add_argument("--transition", choices=[t.value for t in Transition])
    p.add_argument("--months-in-role", type=_whole_number(MAX_MONTHS_IN_ROLE, " months"), metavar="N")
    p.add_argument("--review-month", type=_month, metavar="1-12")
    p.add_argument("--signal", action="append", choices=[s.value for s in Signal],
                   metavar="NAME", help="repeatable: " + ", ".join(s.value for s in Signal))
    p.add_argument("--clear-signals", action="store_true", help="drop the saved signals first")
    p.add_argument("--name", type=text("name"), help="your name, for signing emails")
    p.add_argument("--email", type=text("email"),
                   help="your e-mail address (the sender of drafted emails)")
    p.add_argument("--manager-name", type=text("manager_name"), help="your manager's name")
    p.add_argument("--manager-email", type=text("email"),
                   help="your manager's e-mail address (their recipient)")
    p.add_argument("--times-passed-over", type=_whole_number(MAX_TIMES_PASSED_OVER), metavar="N",
                   help="how often you were passed over for the promotion")
    p.add_argument("--last-answer", choices=[*(t.value for t in ResponseType), "none"],
                   metavar="TYPE", help="your manager's last answer: "
                   + ", ".join(t.value for t in ResponseType) + " (none clears it)")
    framework_cmds.profile_options(p)
    add_command(psub, "show", cmd_profile_show, help="show the saved profile")


def _whole_number(high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse type for a count from 0 to `high` ('14'), `unit` named in the error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not 0 <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between 0 and {high}{unit}")
        return value

    return parse


def _month(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month number 1-12") from None
    if not 1 <= value <= 12:
        raise argparse.ArgumentTypeError(f"{value} is not a month number 1-12")
    return value


def cmd_init(args: argparse.Namespace, ctx: Context) -> Result:
    report = knowledge.init_home(ctx, progress=not getattr(args, "json", False))
    data = {"home": str(ctx.settings.home), "index": report}
    return Result(data, f"Data home ready at {ctx.settings.home}\n{report}")


def render_profile(p) -> str:
    signals = ", ".join(str(s) for s in p.signals) or "none"
    review = f"month {p.review_month}" if p.review_month else "not set"
    people = [f"{label}: {name} <{email}>" if email else f"{label}: {name}"
              for label, name, email in (("You", p.name, p.email),
                                         ("Manager", p.manager_name, p.manager_email))
              if name or email]
    return "\n".join([f"{p.current_title} -> {p.target_title} ({p.transition})",
                      f"Months in role: {p.months_in_role}   Review cycle: {review}",
                      f"Signals: {signals}", *_moving_on(p), *people])


def _moving_on(p) -> list[str]:
    parts = [f"Passed over: {p.times_passed_over}" if p.times_passed_over else "",
             f"Last answer: {p.last_answer}" if p.last_answer else ""]
    return ["   ".join(x for x in parts if x)] if any(parts) else []


_PROFILE_FLAGS = ("current_title", "target_title", "transition", "months_in_role", "review_month",
                  "name", "email", "manager_name", "manager_email", "signal",
                  "times_passed_over", "last_answer")


def cmd_profile_set(args: argparse.Namespace, ctx: Context) -> Result:
    # The framework and levels are checked first: an unknown level saves nothing.
    levels = framework_cmds.plan_profile_levels(args, ctx)
    if levels is not None and not args.clear_signals and all(
            getattr(args, f) is None for f in _PROFILE_FLAGS):
        return framework_cmds.save_profile_levels(ctx, levels)
    saved = profile.set_profile(
        ctx,
        {
            "current_title": args.current_title,
            "target_title": args.target_title,
            "transition": args.transition,
            "months_in_role": args.months_in_role,
            "review_month": args.review_month,
            "name": args.name,
            "email": args.email,
            "manager_name": args.manager_name,
            "manager_email": args.manager_email,
            "times_passed_over": args.times_passed_over,
            "last_answer": args.last_answer,
        },
        clear_signals=args.clear_signals,
        add_signals=args.signal,
    )
    if levels is not None:
        return framework_cmds.save_profile_levels(ctx, levels, saved)
    return Result(saved, "Profile saved.\n" + render_profile(saved))


def cmd_profile_show(args: argparse.Namespace, ctx: Context) -> Result:
    p = profile.get_profile(ctx)
    return Result(p, render_profile(p))
