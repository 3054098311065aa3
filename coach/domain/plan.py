"""The development plan: the readiness gaps as dated items the user ticks off.

Readiness says what to do per gap; the plan gives each step a due date and remembers it.
Dates are spread before the next review cycle (done two weeks ahead, so the evidence is in
the log when the case is read), never closer than a week apart nor further than six; without
a review month, a step every fortnight. Once saved, a date stays put: a refresh adds the new
gaps after the open items and keeps what is done. Items agreed with the manager after a no
(`coach.domain.agreed_plan`) are the manager's, not readiness's: a refresh never changes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError

STEP_DAYS = 14  # one gap at a time: a fortnight is a sprint, enough for a first real step
MIN_STEP_DAYS = 7
MAX_STEP_DAYS = 42
REVIEW_MARGIN_DAYS = 14  # finish two weeks before the review: the evidence must be logged
DUE_SOON_DAYS = 7  # "due" in the status: within the coming week


class Step(BaseModel):
    """What the plan needs of one readiness step (the face-neutral part of a PlanStep)."""

    key: str = Field(..., description="The expectation's id: the item's id.")
    text: str = Field(..., description="The action to take.")
    why: str = Field(..., description="The gap it closes, in the framework's words.")


class PlanItem(BaseModel):
    """One dated thing to do, and whether it is done."""

    id: str
    text: str
    why: str
    due: dt.date
    done: bool = False
    done_on: dt.date | None = None
    closed_by: Literal["", "you", "log"] = Field(
        "", description="you: marked done; log: the log now shows the expectation.")
    agreed: bool = Field(False, description="Agreed with the manager after a no: a readiness "
                                            "refresh never changes or closes it by the gaps.")
    agreed_with: str = Field("", description="Who agreed it (the manager's name).")
    agreed_on: dt.date | None = None
    criterion: str = Field("", description="The criterion or expectation id it was matched "
                                           "to ('' when the gap's words matched none clearly).")
    criterion_name: str = ""
    demonstrate: str = Field("", description="What to show: the criterion's statement when the "
                                             "gap matched one clearly, else the gap.")
    gap: str = Field("", description="The gap in the manager's words.")
    said: str = Field("", description="The manager's line the gap was read from ('' if typed).")

    def state(self, today: dt.date) -> Literal["done", "overdue", "due", "later"]:
        if self.done:
            return "done"
        if self.due < today:
            return "overdue"
        return "due" if (self.due - today).days <= DUE_SOON_DAYS else "later"


class Agreement(BaseModel):
    """The plan agreed with the manager after a no: who, when, and the date to revisit."""

    agreed_on: dt.date
    with_name: str
    revisit: dt.date
    meeting: int | None = Field(None, description="The scored real meeting the gaps came from.")


class DevelopmentPlan(BaseModel):
    created: dt.date
    refreshed: dt.date | None = None
    items: list[PlanItem] = Field(default_factory=list)
    agreement: Agreement | None = None

    def open_items(self) -> list[PlanItem]:
        return sorted((i for i in self.items if not i.done), key=lambda i: (i.due, i.id))

    def find(self, item_id: str) -> PlanItem:
        key = (item_id or "").strip().lower()
        for item in self.items:
            if item.id == key:
                return item
        known = ", ".join(i.id for i in self.items) or "none yet"
        raise CoachError(f"there is no plan item '{(item_id or '').strip()[:60]}' (the items: "
                         f"{known})", code="not-found", field="plan_item")


def due_dates(count: int, start: dt.date, review: dt.date | None) -> list[dt.date]:
    """`count` dates after `start`: spread up to two weeks before `review`, else fortnightly."""
    if count <= 0:
        return []
    step = STEP_DAYS
    if review is not None:
        span = (review - dt.timedelta(days=REVIEW_MARGIN_DAYS) - start).days
        if span >= MIN_STEP_DAYS:
            step = max(MIN_STEP_DAYS, min(span // count, MAX_STEP_DAYS))
    return [start + dt.timedelta(days=step * (i + 1)) for i in range(count)]


def new_plan(steps: Sequence[Step], today: dt.date, review: dt.date | None) -> DevelopmentPlan:
    """A plan with one dated item per step, in the order readiness gave them."""
    unique = list({s.key: s for s in steps}.values())
    dates = due_dates(len(unique), today, review)
    return DevelopmentPlan(created=today, items=[
        PlanItem(id=s.key, text=s.text, why=s.why, due=d)
        for s, d in zip(unique, dates, strict=True)])


def refresh_plan(plan: DevelopmentPlan, steps: Sequence[Step], today: dt.date,
                 review: dt.date | None) -> DevelopmentPlan:
    """New gaps become items after the open ones; a closed gap's open item is done by the log.

    Dates already given never move, and done items stay as they are.
    """
    gaps = {s.key for s in steps}
    items: list[PlanItem] = []
    for item in plan.items:
        if not item.done and not item.agreed and item.id not in gaps:
            item = item.model_copy(update={"done": True, "done_on": today, "closed_by": "log"})
        items.append(item)
    # An agreed item stands for its criterion: readiness adds no second item for it.
    known = {i.id for i in items} | {i.criterion for i in items if i.agreed and i.criterion}
    fresh = [s for s in dict((s.key, s) for s in steps).values() if s.key not in known]
    start = max([today, *(i.due for i in items if not i.done and not i.agreed)])
    dates = due_dates(len(fresh), start, review)
    items += [PlanItem(id=s.key, text=s.text, why=s.why, due=d)
              for s, d in zip(fresh, dates, strict=True)]
    return DevelopmentPlan(created=plan.created, refreshed=today, items=items,
                           agreement=plan.agreement)


def mark_done(plan: DevelopmentPlan, item_id: str, today: dt.date) -> DevelopmentPlan:
    """The plan with `item_id` done today (an unknown id raises; done twice keeps the first)."""
    target = plan.find(item_id)
    items = [i.model_copy(update={"done": True, "done_on": today, "closed_by": "you"})
             if i.id == target.id and not i.done else i for i in plan.items]
    return plan.model_copy(update={"items": items})


def due_next(items: Iterable[PlanItem], n: int = 3) -> list[PlanItem]:
    """The open items in due-date order, overdue first: what comes next."""
    return sorted((i for i in items if not i.done), key=lambda i: (i.due, i.id))[:n]


def plan_text(plan: DevelopmentPlan, today: dt.date) -> str:
    """The plan for the terminal."""
    if not plan.items:
        return ("Development plan: nothing to do. Your log shows every expectation of the next "
                "level; keep adding results.")
    lines = ["Development plan:"]
    for item in sorted(plan.items, key=lambda i: (i.done, i.due, i.id)):
        state = item.state(today)
        mark = "[x]" if item.done else "[ ]"
        tail = {"done": f"done {item.done_on.isoformat() if item.done_on else ''}".rstrip()
                + (" (your log shows it)" if item.closed_by == "log" else ""),
                "overdue": f"OVERDUE since {item.due.isoformat()}",
                "due": f"due {item.due.isoformat()}",
                "later": f"due {item.due.isoformat()}"}[state]
        lines.append(f"  {mark} {item.id}: {item.text} ({tail})")
        if item.agreed:
            lines.append(f"        agreed with {item.agreed_with} on "
                         f"{item.agreed_on.isoformat() if item.agreed_on else '?'}"
                         + (f"; criterion: {item.criterion_name}" if item.criterion_name else ""))
            if item.criterion:
                lines.append(f"        demonstrate: {item.demonstrate}")
        else:
            lines.append(f"        why: {item.why}")
    return "\n".join(lines)
