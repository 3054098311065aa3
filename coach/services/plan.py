"""The development plan: made from the readiness gaps on first use, then kept with its dates.

Saved in the key-value store (`PLAN_KEY`), so a due date, once given, stays put; a refresh adds
the gaps that are new, closes the items the log now shows, and keeps the done ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from pydantic import BaseModel, Field

from coach.domain import plan as rules
from coach.domain.agreed_plan import Progress, close_shown, progress
from coach.domain.errors import CoachError
from coach.domain.plan import Agreement, DevelopmentPlan, PlanItem, Step
from coach.domain.profile import Profile
from coach.domain.timing import next_review
from coach.export.ics import plan_calendar, write_ics
from coach.services import readiness as readiness_service
from coach.services.context import Context
from coach.services.inputs import require_profile, today_or

PLAN_KEY = "habit:plan"


class PlanView(BaseModel):
    """The plan as the faces show it, with each open item's state on `today`."""

    today: dt.date
    created: dt.date
    refreshed: dt.date | None = None
    items: list[PlanItem]
    states: dict[str, str] = Field(..., description="Item id -> done, overdue, due or later.")
    review: dt.date | None = Field(None, description="The review the dates lead up to.")
    added: list[str] = Field(default_factory=list, description="Ids a refresh just added.")
    closed: list[str] = Field(default_factory=list,
                              description="Ids a refresh closed because the log now shows them.")
    file: str | None = None
    agreement: Agreement | None = Field(None, description="The plan agreed with the manager.")
    progress: Progress | None = Field(None, description="How the agreed plan stands.")

    def text(self) -> str:
        plan = DevelopmentPlan(created=self.created, refreshed=self.refreshed, items=self.items)
        lines = [rules.plan_text(plan, self.today)]
        if self.progress:
            lines.append(self.progress.line() + ".")
        if self.review:
            lines.append(f"Dates lead up to the {self.review:%B %Y} review cycle.")
        if self.added:
            lines.append("Added: " + ", ".join(self.added))
        if self.closed:
            lines.append("Closed (your log now shows them): " + ", ".join(self.closed))
        if self.file:
            lines.append(f"Saved: {self.file}")
        return "\n".join(lines)


def owner(ctx: Context) -> str:
    """A short stable tag for this data home (calendar UIDs)."""
    return hashlib.sha256(str(ctx.settings.home).encode()).hexdigest()[:12]


def review_date(profile: Profile, today: dt.date) -> dt.date | None:
    """The next review cycle the plan leads up to, if the profile names its month."""
    if not profile.review_month:
        return None
    review = next_review(today, profile.review_month)
    return review if review > today else None


def current_steps(ctx: Context, today: dt.date) -> list[Step]:
    """The readiness plan's steps today, as the plan needs them."""
    result = readiness_service.readiness(ctx, today)
    return [Step(key=s.expectation.id, text=s.action, why=s.expectation.title)
            for s in result.plan]


def _stored(ctx: Context) -> DevelopmentPlan | None:
    raw = ctx.store.get_value(PLAN_KEY)
    return DevelopmentPlan.model_validate(raw) if raw else None


def _save(ctx: Context, plan: DevelopmentPlan) -> None:
    ctx.store.set_value(PLAN_KEY, plan.model_dump(mode="json"))


def _view(plan: DevelopmentPlan, today: dt.date, review: dt.date | None,
          **extra: object) -> PlanView:
    items = sorted(plan.items, key=lambda i: (i.done, i.due, i.id))
    return PlanView(today=today, created=plan.created, refreshed=plan.refreshed, items=items,
                    states={i.id: i.state(today) for i in items}, review=review,
                    agreement=plan.agreement, progress=progress(plan, today), **extra)


def shown_since(ctx: Context, plan: DevelopmentPlan) -> set[str]:
    """Criteria of open agreed items that an entry dated on or after the agreement shows (an
    entry from before it is what the manager already weighed)."""
    wanted = {i.criterion for i in plan.items if i.agreed and not i.done and i.criterion}
    if not wanted or plan.agreement is None:
        return set()
    since = plan.agreement.agreed_on
    entries = [e for e in ctx.store.list_entries() if e.date >= since]
    return {e.id for e in readiness_service.load_expectations(ctx).items if e.id in wanted
            and any(e.evidenced_by(entry) for entry in entries)}


def saved_plan(ctx: Context) -> DevelopmentPlan | None:
    """The plan as saved, without making one (the status uses this)."""
    return _stored(ctx)


def save_plan(ctx: Context, plan: DevelopmentPlan) -> None:
    """Save the plan as given (the agreed plan's service uses this)."""
    _save(ctx, plan)


def current_plan(ctx: Context, today: dt.date) -> DevelopmentPlan:
    """The saved plan, or a new one from today's readiness (not saved)."""
    return _stored_or_new(ctx, today)


def _stored_or_new(ctx: Context, today: dt.date) -> DevelopmentPlan:
    plan = _stored(ctx)
    if plan is None:
        profile = require_profile(ctx)
        plan = rules.new_plan(current_steps(ctx, today), today, review_date(profile, today))
    return plan


def ensure_plan(ctx: Context, today: dt.date) -> DevelopmentPlan:
    """The saved plan, or a new one from today's readiness (saved at once)."""
    plan = _stored(ctx)
    if plan is None:
        plan = _stored_or_new(ctx, today)
        _save(ctx, plan)
    return plan


def show_plan(ctx: Context, *, ics: str | Path | None = None,
              today: dt.date | None = None, now: dt.datetime | None = None) -> PlanView:
    """The plan (made on first use); with `ics`, its open items written as a calendar file."""
    today = today_or(today)
    plan = ensure_plan(ctx, today)
    file = None
    if ics is not None:
        if not plan.open_items():  # a calendar file must hold at least one event
            raise CoachError("the plan has no open items to put in a calendar",
                             code="nothing-open", field="plan")
        text = plan_calendar(plan.items, now=now or dt.datetime.now(dt.UTC), owner=owner(ctx))
        file = str(write_ics(ics, text))
    return _view(plan, today, review_date(require_profile(ctx), today), file=file)


def plan_file(ctx: Context, today: dt.date | None = None) -> Path:
    """The plan's .ics in the exports folder (the web app's download)."""
    target = ctx.settings.exports_dir / "plan.ics"
    show_plan(ctx, ics=target, today=today)
    return target


def refresh(ctx: Context, today: dt.date | None = None) -> PlanView:
    """Add the new gaps, close what the log now shows, keep every date and done item."""
    today = today_or(today)
    profile = require_profile(ctx)
    review = review_date(profile, today)
    steps = current_steps(ctx, today)
    old = _stored(ctx)
    if old is None:
        plan = rules.new_plan(steps, today, review)
        _save(ctx, plan)
        return _view(plan, today, review, added=[i.id for i in plan.items])
    plan = rules.refresh_plan(old, steps, today, review)
    plan = close_shown(plan, shown_since(ctx, plan), today)
    _save(ctx, plan)
    before = {i.id: i for i in old.items}
    added = [i.id for i in plan.items if i.id not in before]
    closed = [i.id for i in plan.items if i.closed_by == "log" and i.id in before
              and not before[i.id].done]
    return _view(plan, today, review, added=added, closed=closed)


def mark_done(ctx: Context, item_id: str, today: dt.date | None = None) -> PlanView:
    """Tick `item_id` off (an unknown id is a `not-found` error and nothing is saved)."""
    today = today_or(today)
    plan = rules.mark_done(_stored_or_new(ctx, today), item_id, today)  # raises before saving
    _save(ctx, plan)
    return _view(plan, today, review_date(require_profile(ctx), today))
