"""`coach log link | unlink`: confirm or reject the link between an entry and a criterion."""

from __future__ import annotations

import argparse

from coach.cli.common import ENTRY_ID, Result, add_command
from coach.services.context import Context


def _criterion_id(text: str) -> str:
    if not text.strip() or len(text) > 200:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a criterion id "
                                         "(e.g. senior-engineer.craft.2)")
    return text


def cmd_link(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import criteria

    change = criteria.link_entry(ctx, args.entry, args.criterion)
    text = (f"Linked #{change.entry} {change.entry_title} to {change.criterion}: "
            f"{change.criterion_text}\nIt counts for that criterion from now on.")
    if not change.at_target:
        text += (f"\nNote: {change.criterion} is a {change.level} criterion, not one of your "
                 "target level's, so readiness does not count it.")
    return Result(change, text)


def cmd_unlink(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import criteria

    change = criteria.unlink_entry(ctx, args.entry, args.criterion)
    return Result(change, f"Unlinked #{change.entry} {change.entry_title} from "
                          f"{change.criterion}; the coach will not link them again "
                          f"(`coach log link {change.entry} {change.criterion}` undoes this).")


def register_log(lsub: argparse._SubParsersAction) -> None:
    """Adds the link actions to `coach log` (issue 19)."""
    p = add_command(lsub, "link", cmd_link,
                    help="confirm that an entry shows a criterion of your career framework")
    p.add_argument("entry", type=ENTRY_ID, help="the entry's id (`coach log list`)")
    p.add_argument("criterion", type=_criterion_id,
                   help="the criterion's id (`coach readiness` lists them)")
    p = add_command(lsub, "unlink", cmd_unlink,
                    help="say an entry does not show a criterion (it is never linked again)")
    p.add_argument("entry", type=ENTRY_ID, help="the entry's id (`coach log list`)")
    p.add_argument("criterion", type=_criterion_id, help="the criterion's id")
