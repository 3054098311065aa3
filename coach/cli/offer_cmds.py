"""`coach offer`, `coach options` and `coach kit`: the offer, stay or go, and the move kit."""

from __future__ import annotations

import argparse

from coach.cli.common import Result, add_command, text, today_option, yes_no
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("offer", help="the offer on the table and what is still open")
    osub = group.add_subparsers(dest="offer_command", metavar="ACTION", required=True)
    p = add_command(osub, "set", cmd_offer_set,
                    help="note the offer (unspecified fields keep their saved values; '' clears)")
    p.add_argument("--title", type=text("offer_title"), help="the title offered")
    p.add_argument("--salary", type=text("salary"), metavar="AMOUNT",
                   help="one amount, e.g. 120000, $120k, 'EUR 95,000'")
    p.add_argument("--level", type=text("level"), help="the level or pay band")
    p.add_argument("--scope", type=text("scope"), metavar="TEXT",
                   help="the responsibilities that change")
    p.add_argument("--benefits", type=text("benefits"), metavar="TEXT",
                   help="bonus, equity, benefits, flexibility")
    p.add_argument("--start", type=text("start"), metavar="DATE",
                   help="when the change takes effect (YYYY-MM-DD, today or later)")
    p.add_argument("--in-writing", type=yes_no, metavar="yes|no",
                   help="whether the offer is confirmed in writing")
    today_option(p)
    p = add_command(osub, "check", cmd_offer_check,
                    help="what is still open (pay, scope, benefits, date, in writing) and what "
                         "to ask")
    today_option(p)
    p = add_command(sub, "options", cmd_options,
                    help="build and ask again, ask again now, or look outside, and why")
    today_option(p)
    add_command(sub, "kit", cmd_kit, help="the external move kit: your current role in a few "
                                          "sentences, a profile summary, titles to search for")


def cmd_offer_set(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.domain.offer import OfferChanges, offer_text
    from coach.services import offer

    changes = OfferChanges(title=args.title, level=args.level, salary=args.salary,
                           scope=args.scope, benefits=args.benefits, start=args.start,
                           in_writing=args.in_writing)
    saved = offer.set_offer(ctx, changes, args.today)
    return Result(saved, "Offer saved.\n" + offer_text(saved))


def cmd_offer_check(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.domain.offer import check_text
    from coach.services import offer

    check = offer.offer_check(ctx, args.today)
    return Result(check, check_text(check))


def cmd_options(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.domain.options import options_text
    from coach.services import options

    result = options.options(ctx, args.today)
    return Result(result, options_text(result))


def cmd_kit(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import options

    result = options.kit(ctx)
    return Result(result, result.text())
