"""The target level's criteria a meeting uses, when the user has a career framework in use:
the manager asks about them and the scorecard's better lines quote them."""

from __future__ import annotations

import datetime as dt

from coach.domain.roleplay import LevelCriterion
from coach.services.context import Context
from coach.services.framework import active_framework

ASKED_MAX = 3  # criteria a manager asks about in one meeting: more is an exam, not a talk


def level_criteria(ctx: Context, today: dt.date | None = None) -> list[LevelCriterion]:
    """The target level's criteria with the entries that show each; [] without a framework
    in use or a target level on it. The ones new at the target level come first."""
    active = active_framework(ctx)
    if active is None or active.target is None:
        return []
    from coach.services.criteria import criteria_readiness

    report = criteria_readiness(ctx, today=today)
    if report is None:
        return []
    ordered = sorted(report.criteria, key=lambda c: not c.new)  # stable: the framework's order
    return [LevelCriterion(text=c.text, area=c.area, entries=list(c.covered_by)) for c in ordered]
