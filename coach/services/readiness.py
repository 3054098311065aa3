"""Readiness use cases: the gap report, and the user's own list of expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from coach.domain import expectations as exp_rules
from coach.domain.errors import CoachError
from coach.domain.expectations import Expectation, default_expectations, storage_key
from coach.domain.log_formats import decode
from coach.domain.profile import Transition
from coach.domain.readiness import Readiness, assess_readiness
from coach.services.context import Context
from coach.services.inputs import load_inputs, require_profile, today_or


class ExpectationList(BaseModel):
    """The expectations in force for a transition, and whether the user customised them."""

    transition: Transition
    custom: bool
    items: list[Expectation]


def _transition(ctx: Context, transition: Transition | str | None) -> Transition:
    return Transition(transition) if transition else require_profile(ctx).transition


def load_expectations(ctx: Context, transition: Transition | str | None = None) -> ExpectationList:
    """The user's saved expectations for a transition, else the built-in defaults."""
    which = _transition(ctx, transition)
    stored = ctx.store.get_value(storage_key(which))
    if stored is None:
        return ExpectationList(transition=which, custom=False, items=default_expectations(which))
    return ExpectationList(transition=which, custom=True,
                           items=[Expectation.model_validate(e) for e in stored])


def _save(ctx: Context, which: Transition, items: list[Expectation]) -> ExpectationList:
    ctx.store.set_value(storage_key(which), [e.model_dump(mode="json") for e in items])
    return ExpectationList(transition=which, custom=True, items=items)


def add_expectation(ctx: Context, expectation: Expectation,
                    transition: Transition | str | None = None) -> ExpectationList:
    current = load_expectations(ctx, transition)
    return _save(ctx, current.transition, exp_rules.add(current.items, expectation))


def edit_expectation(ctx: Context, exp_id: str, changes: dict[str, Any],
                     transition: Transition | str | None = None) -> ExpectationList:
    current = load_expectations(ctx, transition)
    return _save(ctx, current.transition, exp_rules.edit(current.items, exp_id, **changes))


def remove_expectation(ctx: Context, exp_id: str,
                       transition: Transition | str | None = None) -> ExpectationList:
    current = load_expectations(ctx, transition)
    return _save(ctx, current.transition, exp_rules.remove(current.items, exp_id))


def reset_expectations(ctx: Context, transition: Transition | str | None = None) -> ExpectationList:
    """Forget the user's edits: back to the built-in list."""
    which = _transition(ctx, transition)
    ctx.store.set_value(storage_key(which), None)
    return load_expectations(ctx, which)


def import_expectations(ctx: Context, path: Path,
                        transition: Transition | str | None = None) -> ExpectationList:
    """Replace the expectations for a transition with a company's own, from a CSV."""
    if not path.is_file():
        raise CoachError(f"no file at {path}", code="no-file", hint="Check the path.")
    items = exp_rules.parse_csv(decode(path.read_bytes(), path.name))
    return _save(ctx, _transition(ctx, transition), items)


def expectations_template() -> str:
    """A CSV to fill in with a company's own expectations."""
    return exp_rules.template_csv()


def readiness(ctx: Context, today: dt.date | None = None) -> Readiness:
    """Coverage, gaps, unquantified entries, tenure and a dated plan; saved as the latest report."""
    profile, entries = load_inputs(ctx)
    exps = load_expectations(ctx, profile.transition)
    result = assess_readiness(profile, entries, exps.items, today=today_or(today),
                              built_in=not exps.custom)
    ctx.store.save_artifact("readiness", "latest", result.model_dump_json(indent=2),
                            {"score": result.score, "gaps": len(result.gaps)})
    return result
