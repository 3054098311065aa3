"""`coach init` and `coach profile`."""

from __future__ import annotations

import argparse

from coach.cli.common import Result, add_command
from coach.domain.profile import Signal, Transition
from coach.services import knowledge, profile
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    add_command(sub, "init", cmd_init, help="create the data home and build the guidance index")

    group = sub.add_parser("profile", help="your current role, target and company signals")
    psub = group.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    p = add_command(psub, "set", cmd_profile_set, help="create or update the profile")
    p.add_argument("--current-title")
    p.add_argument("--target-title")
    p.add_argument("--transition", choices=[t.value for t in Transition])
    p.add_argument("--months-in-role", type=_nonneg_int, metavar="N")
    p.add_argument("--review-month", type=_month, metavar="1-12")
    p.add_argument("--signal", action="append", choices=[s.value for s in Signal],
                   metavar="NAME", help="repeatable: " + ", ".join(s.value for s in Signal))
    p.add_argument("--clear-signals", action="store_true", help="drop the saved signals first")
    p.add_argument("--name", help="your name, for signing emails")
    p.add_argument("--manager-name", help="your manager's name")
    p.add_argument("--email", help="your e-mail address (From: of email drafts)")
    p.add_argument("--manager-email", help="your manager's e-mail address (To: of email drafts)")
    add_command(psub, "show", cmd_profile_show, help="show the saved profile")


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 600 months")
    return value


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
    return (f"{p.current_title} -> {p.target_title} ({p.transition})\n"
            f"Months in role: {p.months_in_role}   Review cycle: {review}\n"
            f"Signals: {signals}")


def cmd_profile_set(args: argparse.Namespace, ctx: Context) -> Result:
    saved = profile.set_profile(
        ctx,
        {
            "current_title": args.current_title,
            "target_title": args.target_title,
            "transition": args.transition,
            "months_in_role": args.months_in_role,
            "review_month": args.review_month,
            "name": args.name,
            "manager_name": args.manager_name,
            "email": args.email,
            "manager_email": args.manager_email,
        },
        clear_signals=args.clear_signals,
        add_signals=args.signal,
    )
    return Result(saved, "Profile saved.\n" + render_profile(saved))


def cmd_profile_show(args: argparse.Namespace, ctx: Context) -> Result:
    p = profile.get_profile(ctx)
    return Result(p, render_profile(p))
