"""Readiness against a career framework: each criterion of the target level, the entries
that show it, coverage per area, and a dated step for every criterion nothing shows yet.

Pure: the links come in already resolved (`mapping.resolve_links`). The result also turns
into `Expectation`s (`as_expectations`), so everything that measures the log against the
next level's expectations (readiness, the proposal, the role-play, the emails, the chat)
follows the framework while one is in use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from coach.domain.evidence import Entry
from coach.domain.expectations import Expectation
from coach.domain.framework.mapping import Link, LinkStatus
from coach.domain.framework.model import Criterion, Framework, Level
from coach.domain.limits import BUDGET

FIRST_STEP_WEEKS = 6  # as for the built-in expectations (coach.domain.readiness)
STEP_SPACING_WEEKS = 4


class CriterionLink(BaseModel):
    """An entry linked to a criterion."""

    entry: int
    title: str
    confidence: float
    status: LinkStatus


class CriterionStatus(BaseModel):
    """One criterion of the target level and the entries that show it."""

    id: str
    area: str
    area_name: str
    level: str
    text: str
    new: bool = Field(..., description="Not expected at the current level already.")
    covered_by: list[int] = Field(default_factory=list, description="Ids of linked entries.")
    confidence: float = Field(0.0, description="The best link's confidence (1.0: confirmed).")
    links: list[CriterionLink] = Field(default_factory=list)


class AreaCoverage(BaseModel):
    """How many of an area's criteria at the target level the log shows."""

    area: str
    name: str
    covered: int
    total: int
    percent: int


class CriterionGap(BaseModel):
    """A criterion nothing shows yet, and the step that would."""

    criterion: str
    area_name: str
    text: str
    new: bool
    action: str
    by: dt.date


class CriteriaReadiness(BaseModel):
    """The log measured against the framework in use, at the target level."""

    framework_id: str
    framework_name: str
    current_level: Level | None
    target_level: Level
    criteria: list[CriterionStatus]
    coverage: list[AreaCoverage]
    gaps: list[CriterionGap]
    covered: int
    total: int


def plan_action(criterion: Criterion, area_name: str) -> str:
    """A first step toward a criterion, built from its own words (and example, if any)."""
    text = criterion.text.rstrip(". ")
    action = f"Take on one piece of work in {area_name} that shows: {text[0].lower()}{text[1:]}."
    if criterion.examples:
        action += f" For example: {criterion.examples[0].rstrip('. ')}."
    action += " Log it with its result when done."
    limit = BUDGET["expectation_action"]
    return action if len(action) <= limit else action[: limit - 3].rstrip() + "..."


def assess_criteria(framework: Framework, target: Level, current: Level | None,
                    entries: Sequence[Entry], links: Sequence[Link],
                    today: dt.date) -> CriteriaReadiness:
    """Measure the log against the target level's criteria.

    Args:
        framework: the framework in use.
        target, current: the user's levels on it (`current` None: every criterion is new).
        entries: the impact log.
        links: the links that count (automatic and confirmed), for any criteria.
        today: the date plan steps count from.
    """
    titles = {e.id: e.title for e in entries}
    new_ids = {c.id for c in framework.new_at(target.id, current.id if current else None)}
    statuses: list[CriterionStatus] = []
    for c in framework.criteria_at(target.id):
        mine = sorted((k for k in links if k.criterion == c.id and k.entry in titles),
                      key=lambda k: (-k.confidence, k.entry))
        shown = [CriterionLink(entry=k.entry, title=titles[k.entry], confidence=k.confidence,
                               status=k.status) for k in mine]
        statuses.append(CriterionStatus(
            id=c.id, area=c.area, area_name=framework.area_name(c.area), level=c.level,
            text=c.text, new=c.id in new_ids, covered_by=[k.entry for k in shown],
            confidence=max((k.confidence for k in shown), default=0.0), links=shown))
    coverage = []
    for area in framework.areas:
        in_area = [s for s in statuses if s.area == area.id]
        if in_area:
            done = sum(1 for s in in_area if s.covered_by)
            coverage.append(AreaCoverage(area=area.id, name=area.name, covered=done,
                                         total=len(in_area),
                                         percent=round(100 * done / len(in_area))))
    by_id = {c.id: c for c in framework.criteria}
    gaps = []
    for i, s in enumerate(x for x in statuses if not x.covered_by):
        by = today + dt.timedelta(weeks=FIRST_STEP_WEEKS + STEP_SPACING_WEEKS * i)
        gaps.append(CriterionGap(criterion=s.id, area_name=s.area_name, text=s.text, new=s.new,
                                 action=plan_action(by_id[s.id], s.area_name), by=by))
    return CriteriaReadiness(
        framework_id=framework.id, framework_name=framework.name, current_level=current,
        target_level=target, criteria=statuses, coverage=coverage, gaps=gaps,
        covered=sum(1 for s in statuses if s.covered_by), total=len(statuses))


def _why(link: CriterionLink) -> str:
    if link.status is LinkStatus.CONFIRMED:
        return "linked by you"
    return f"matched automatically (confidence {link.confidence:.2f})"


def as_expectations(result: CriteriaReadiness) -> list[Expectation]:
    """The target level's criteria as expectations, each carrying the entries that show it."""
    actions = {g.criterion: g.action for g in result.gaps}
    out = []
    for s in result.criteria:
        title = f"{s.area_name}: {s.text}"
        limit = BUDGET["expectation_title"]
        if len(title) > limit:
            title = title[: limit - 3].rstrip() + "..."
        out.append(Expectation(
            id=s.id, title=title, description=s.text[: BUDGET["expectation_description"]],
            action=actions.get(s.id, ""), linked={k.entry: _why(k) for k in s.links}))
    return out
