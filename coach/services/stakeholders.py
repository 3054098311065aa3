"""The people who decide: keep the list, log interactions, and plan the next action per person.

The list is one small JSON value in the store (`stakeholders.STORE_KEY`). Every change is
checked in full before it is saved: bad input raises a `CoachError` and saves nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from coach.domain import stakeholders as rules
from coach.domain.errors import CoachError
from coach.domain.stakeholder_timing import timing_reason
from coach.domain.stakeholders import (
    Interaction,
    PeoplePlan,
    PeopleStep,
    Person,
    PersonDraft,
    Roster,
)
from coach.domain.timing import Reason
from coach.domain.validation import invalid
from coach.services.context import Context
from coach.services.inputs import today_or

EDITABLE = ("name", "role", "influence", "relationship", "cares_about", "sponsor", "email")


def _roster(ctx: Context) -> Roster:
    raw = ctx.store.get_value(rules.STORE_KEY)
    return Roster.model_validate(raw) if raw else Roster()


def _save(ctx: Context, roster: Roster) -> None:
    ctx.store.set_value(rules.STORE_KEY, roster.model_dump(mode="json"))


def _draft(fields: dict[str, Any]) -> PersonDraft:
    try:
        return PersonDraft.model_validate(fields)
    except ValidationError as exc:
        raise invalid(exc, "person") from None


def list_people(ctx: Context) -> list[Person]:
    """Everyone on the list, in the order they were added."""
    return _roster(ctx).people


def get_person(ctx: Context, person_id: int) -> Person:
    return _roster(ctx).find(person_id)


def add_person(ctx: Context, *, name: str, influence: str, relationship: str, role: str = "",
               cares_about: str = "", sponsor: bool = False, email: str = "") -> Person:
    """Add someone with a say in the promotion; returns them with their new id."""
    draft = _draft({"name": name, "role": role, "influence": influence,
                    "relationship": relationship, "cares_about": cares_about,
                    "sponsor": sponsor, "email": email})
    roster, person = rules.add(_roster(ctx), draft)
    _save(ctx, roster)
    return person


def edit_person(ctx: Context, person_id: int, **changes: Any) -> Person:
    """Change the given fields (None leaves a field as it is)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise CoachError(f"cannot change {', '.join(sorted(unknown))}", code="invalid")
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise CoachError(f"nothing to change for person #{person_id}", code="no-changes")
    roster = _roster(ctx)
    current = roster.find(person_id)
    fields = current.model_dump(include=set(EDITABLE), mode="json") | changes
    draft = _draft(fields)
    updated = Person(id=current.id, interactions=current.interactions, **draft.model_dump())
    _save(ctx, rules.replace(roster, updated))
    return updated


def remove_person(ctx: Context, person_id: int) -> Person:
    roster, person = rules.remove(_roster(ctx), person_id)
    _save(ctx, roster)
    return person


def log_interaction(ctx: Context, person_id: int, note: str, date: dt.date | None = None,
                    today: dt.date | None = None) -> Person:
    """Record a conversation or work together with someone (default: today; never later)."""
    day = today_or(today)
    try:
        interaction = Interaction(date=date or day, note=note)
    except ValidationError as exc:
        raise invalid(exc, "interaction") from None
    roster, person = rules.log(_roster(ctx), person_id, interaction, day)
    _save(ctx, roster)
    return person


def people_plan(ctx: Context, today: dt.date | None = None) -> PeoplePlan:
    """Per person the next action and why, most influence and longest silence first; the gaps."""
    return rules.plan(list_people(ctx), today_or(today))


def readiness_steps(ctx: Context, today: dt.date | None = None) -> list[PeopleStep]:
    """The readiness plan's steps about the people who decide (none when nobody is listed)."""
    return rules.readiness_steps(list_people(ctx), today_or(today))


def timing_reasons(ctx: Context, today: dt.date | None = None) -> list[Reason]:
    """The timing check's reason about the people who decide, if the list gives one."""
    reason = timing_reason(list_people(ctx), today_or(today))
    return [reason] if reason else []
