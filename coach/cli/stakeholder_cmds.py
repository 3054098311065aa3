"""`coach stakeholders`: the people who decide, the interactions with them, and the plan."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from coach.cli.common import Result, add_command, iso_date, record_id, text, today_option, yes_no
from coach.domain.errors import CoachError
from coach.domain.stakeholders import Influence, PeoplePlan, Person, Relationship
from coach.services import stakeholders as svc
from coach.services.context import Context

PERSON_ID = record_id("a person's id")
# The core's field -> the flag (or argument) that sets it, so an error names what to fix.
FLAGS = {"name": "NAME", "role": "--role", "influence": "--influence",
         "relationship": "--relationship", "cares_about": "--cares-about", "email": "--email",
         "date": "--date", "note": "TEXT"}


def _flagged(handler: Callable[[argparse.Namespace, Context], Result]):
    """The command's errors name the flag (or argument) they are about."""

    def run(args: argparse.Namespace, ctx: Context) -> Result:
        try:
            return handler(args, ctx)
        except CoachError as exc:
            if exc.field in FLAGS and not exc.message.startswith(FLAGS[exc.field]):
                exc.message = f"{FLAGS[exc.field]}: {exc.message}"
            raise

    return run


def _person_fields(p: argparse.ArgumentParser, *, editing: bool) -> None:
    p.add_argument("--role", type=text("role"), help="their job, e.g. 'skip-level manager'")
    p.add_argument("--influence", choices=[i.value for i in Influence], required=not editing,
                   help="how much their view weighs in the decision")
    p.add_argument("--relationship", choices=[r.value for r in Relationship],
                   required=not editing, help="how well they know your work")
    p.add_argument("--cares-about", type=text("cares_about"), metavar="TEXT",
                   help="their high-priority work or concerns")
    p.add_argument("--email", type=text("email"), metavar="ADDR")
    if editing:
        p.add_argument("--name", type=text("name"))
        p.add_argument("--sponsor", type=yes_no, metavar="yes|no")
    else:
        p.add_argument("--sponsor", action="store_true",
                       help="speaks up for you when you are not in the room")


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("stakeholders", help="the people who decide: who they are, what "
                                                "to do next about each")
    ssub = group.add_subparsers(dest="stakeholders_command", metavar="ACTION", required=True)

    p = add_command(ssub, "add", _flagged(cmd_add), help="add someone with a say in your "
                                                         "promotion")
    p.add_argument("name", type=text("name"), metavar="NAME")
    _person_fields(p, editing=False)

    add_command(ssub, "list", cmd_list, help="list the people, with their last interaction")

    p = add_command(ssub, "edit", _flagged(cmd_edit), help="change what you know about someone")
    p.add_argument("id", type=PERSON_ID, metavar="ID")
    _person_fields(p, editing=True)

    p = add_command(ssub, "rm", _flagged(cmd_rm), help="remove someone from the list")
    p.add_argument("id", type=PERSON_ID, metavar="ID")

    p = add_command(ssub, "log", _flagged(cmd_log), help="log an interaction with someone")
    p.add_argument("id", type=PERSON_ID, metavar="ID")
    p.add_argument("note", type=text("interaction"), metavar="TEXT",
                   help="what happened, e.g. 'demoed the billing migration'")
    p.add_argument("--date", type=iso_date, help="YYYY-MM-DD (default: today; not in the future)")

    p = add_command(ssub, "plan", cmd_plan, help="the next action per person, and the gaps")
    today_option(p)


def render_people(people: list[Person]) -> str:
    if not people:
        return ("Nobody listed yet. Start with your manager: coach stakeholders add \"NAME\" "
                "--role manager --influence high --relationship strong")
    lines = []
    for p in people:
        last = p.last_contact.isoformat() if p.last_contact else "never"
        tags = " [sponsor]" if p.sponsor else ""
        role = f", {p.role}" if p.role else ""
        lines.append(f"#{p.id:<3} {p.name}{role}{tags}\n"
                     f"     influence {p.influence.value}, relationship {p.relationship.value}, "
                     f"last interaction {last}"
                     + (f"\n     cares about: {p.cares_about}" if p.cares_about else ""))
    return "\n".join(lines)


def render_plan(plan: PeoplePlan) -> str:
    lines = [f"The people who decide (as of {plan.today.isoformat()}):"]
    if not plan.actions:
        lines.append("  nobody listed yet")
    for a in plan.actions:
        days = "never" if a.days_since is None else f"{a.days_since} days ago"
        lines += [f"  #{a.person} {a.name} (influence {a.influence.value}, relationship "
                  f"{a.relationship.value}{', sponsor' if a.sponsor else ''}; last: {days})",
                  f"     next: {a.action}", f"     why: {a.why}",
                  f"     guide: {a.cites.label()}"]
    lines += ["", "Gaps:" if plan.gaps else "Gaps: none"]
    lines += [f"  - {g.text} ({g.cites.label()})" for g in plan.gaps]
    return "\n".join(lines)


def cmd_add(args: argparse.Namespace, ctx: Context) -> Result:
    person = svc.add_person(ctx, name=args.name, role=args.role or "", influence=args.influence,
                            relationship=args.relationship, cares_about=args.cares_about or "",
                            sponsor=args.sponsor, email=args.email or "")
    return Result(person, f"Added #{person.id}.\n" + render_people([person]))


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    people = svc.list_people(ctx)
    return Result(people, render_people(people))


def cmd_edit(args: argparse.Namespace, ctx: Context) -> Result:
    changes = {name: getattr(args, name) for name in svc.EDITABLE}
    if all(v is None for v in changes.values()):
        raise CoachError(f"nothing to change for person #{args.id}", code="no-changes",
                         hint="Pass at least one of --name, --role, --influence, "
                              "--relationship, --cares-about, --sponsor or --email.")
    person = svc.edit_person(ctx, args.id, **changes)
    return Result(person, f"Updated #{person.id}.\n" + render_people([person]))


def cmd_rm(args: argparse.Namespace, ctx: Context) -> Result:
    person = svc.remove_person(ctx, args.id)
    return Result(person, f"Removed #{person.id}: {person.name}")


def cmd_log(args: argparse.Namespace, ctx: Context) -> Result:
    person = svc.log_interaction(ctx, args.id, args.note, date=args.date)
    last = person.last_contact.isoformat() if person.last_contact else ""
    return Result(person, f"Logged an interaction with #{person.id} {person.name} "
                          f"(last interaction {last}).")


def cmd_plan(args: argparse.Namespace, ctx: Context) -> Result:
    plan = svc.people_plan(ctx, today=args.today)
    return Result(plan, render_plan(plan))
