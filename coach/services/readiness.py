"""Readiness use cases: the gap report, and the user's own list of expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from coach.domain import expectations as exp_rules
from coach.domain.errors import CoachError
from coach.domain.expectations import Expectation, default_expectations, storage_key
from coach.domain.framework.coverage import CriteriaReadiness, as_expectations
from coach.domain.log_formats import decode
from coach.domain.profile import Transition
from coach.domain.readiness import Readiness, assess_readiness
from coach.services.context import Context
from coach.services.criteria import criteria_readiness
from coach.services.inputs import load_inputs, require_profile, today_or
from coach.services.stakeholders import readiness_steps


class ExpectationList(BaseModel):
    """The expectations in force for a transition, and whether the user customised them."""

    transition: Transition
    custom: bool
    items: list[Expectation]
    framework: str | None = Field(None, description="The career framework they come from "
                                                    "(its name), when one is in use.")
    level: str | None = Field(None, description="The framework's target level (name).")


def _transition(ctx: Context, transition: Transition | str | None) -> Transition:
    return Transition(transition) if transition else require_profile(ctx).transition


def _from_framework(ctx: Context, which: Transition,
                    today: dt.date | None = None) -> CriteriaReadiness | None:
    """The framework's reading of the log, when one with a target level is in use and the
    expectations asked for are the user's own step's."""
    profile = ctx.store.get_profile()
    if profile is not None and profile.transition != which:
        return None
    return criteria_readiness(ctx, today)


def load_expectations(ctx: Context, transition: Transition | str | None = None) -> ExpectationList:
    """The target level's criteria while a career framework is in use (with a target level),
    else the user's saved expectations for a transition, else the built-in defaults."""
    which = _transition(ctx, transition)
    framework = _from_framework(ctx, which)
    if framework is not None:
        return ExpectationList(transition=which, custom=True, items=as_expectations(framework),
                               framework=framework.framework_name,
                               level=framework.target_level.name)
    return _own_expectations(ctx, which)


def _own_expectations(ctx: Context, which: Transition) -> ExpectationList:
    """The user's saved expectations for a transition, else the built-in defaults (what the
    edits below change, whether or not a framework is in use)."""
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
    current = _own_expectations(ctx, _transition(ctx, transition))
    return _save(ctx, current.transition, exp_rules.add(current.items, expectation))


def edit_expectation(ctx: Context, exp_id: str, changes: dict[str, Any],
                     transition: Transition | str | None = None) -> ExpectationList:
    current = _own_expectations(ctx, _transition(ctx, transition))
    return _save(ctx, current.transition, exp_rules.edit(current.items, exp_id, **changes))


def remove_expectation(ctx: Context, exp_id: str,
                       transition: Transition | str | None = None) -> ExpectationList:
    current = _own_expectations(ctx, _transition(ctx, transition))
    return _save(ctx, current.transition, exp_rules.remove(current.items, exp_id))


def reset_expectations(ctx: Context, transition: Transition | str | None = None) -> ExpectationList:
    """Forget the user's edits: back to the built-in list."""
    which = _transition(ctx, transition)
    ctx.store.set_value(storage_key(which), None)
    return _own_expectations(ctx, which)


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
    framework = _from_framework(ctx, profile.transition, today)
    if framework is not None:
        result = assess_readiness(profile, entries, as_expectations(framework),
                                  today=today_or(today), built_in=False).with_framework(framework)
    else:
        exps = _own_expectations(ctx, profile.transition)
        result = assess_readiness(profile, entries, exps.items, today=today_or(today),
                                  built_in=not exps.custom)
    # The people steps stay in a field of their own: `plan` feeds the development plan and
    # the drafts, which stakeholder data must not reach.
    result = result.with_people(readiness_steps(ctx, today))
    ctx.store.save_artifact("readiness", "latest", result.model_dump_json(indent=2),
                            {"score": result.score, "gaps": len(result.gaps)})
    return result
