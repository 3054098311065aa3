"""Where the habit stands: how fresh the log is, what lacks a result, what the plan wants next.

Pure: counts over the log and the plan on a given day, and one kind sentence that says what
to do now. An empty log is a starting point, not an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, Field

from coach.domain.agreed_plan import Progress
from coach.domain.evidence import Entry
from coach.domain.plan import PlanItem
from coach.domain.text import count

FRESH_DAYS = 7  # a weekly habit: an entry within the week is on track
STALE_DAYS = 21  # three weeks without an entry: wins are being forgotten
REVISIT_SOON_DAYS = 7  # the week before the revisit: the alarm's week


class Status(BaseModel):
    """The habit's numbers on `today`."""

    today: dt.date
    has_profile: bool
    entries: int
    last_entry: dt.date | None = None
    days_since_last: int | None = Field(None, description="None while the log is empty.")
    this_month: int = Field(..., description="Entries dated in today's calendar month.")
    without_result: list[int] = Field(default_factory=list,
                                      description="Ids of entries whose metric has no number.")
    due: list[PlanItem] = Field(default_factory=list,
                                description="Open plan items due within the coming week.")
    overdue: list[PlanItem] = Field(default_factory=list)
    open_items: int = 0
    next_item: PlanItem | None = Field(None, description="The open item due soonest.")
    agreed: Progress | None = Field(None, description="The plan agreed with the manager after "
                                                      "a no: n of m done, next, the revisit.")
    headline: str = Field(..., description="One kind sentence: what to do now.")


def _headline(entries: int, days: int | None, missing: int, overdue: int, has_profile: bool) -> str:
    if entries == 0 or days is None:
        first = ("Your impact log is empty, and that is a fine place to start: add one thing "
                 "you did this week, with the number that shows the result if you have one.")
        return first if has_profile else first + " Setting your goal first helps the coach " \
                                                  "tell what counts."
    if overdue:
        return (f"{count(overdue, 'plan item is', 'plan items are')} past due: do the smallest "
                "one next, or move on and mark it done when it is.")
    if days > STALE_DAYS:
        return (f"It has been {days} days since your last entry. Ten minutes now keeps the wins "
                "of the last weeks from fading: what did you ship, fix or lead?")
    if days > FRESH_DAYS:
        return f"Your last entry was {days} days ago: add this week's wins while they are fresh."
    if missing:
        return (f"You are keeping the habit. {count(missing, 'entry has', 'entries have')} no "
                "measured result yet: add the number that shows each one.")
    return "You are keeping the habit: every entry has a result. Keep it up."


def _revisit_soon(p: Progress | None) -> str:
    """The headline in the week before the revisit agreed with the manager."""
    if p is None or not 0 <= p.days_to_revisit <= REVISIT_SOON_DAYS:
        return ""
    when = "today" if p.days_to_revisit == 0 else (
        "tomorrow" if p.days_to_revisit == 1 else f"in {p.days_to_revisit} days")
    return (f"Your revisit with {p.with_name} is {when}: {p.done} of {p.total} agreed items "
            "done. Bring the entries that show each one.")


def build_status(entries: Sequence[Entry], items: Sequence[PlanItem], today: dt.date, *,
                 has_profile: bool = True, agreed: Progress | None = None) -> Status:
    """The status of the log and the plan on `today`."""
    last = max((e.date for e in entries), default=None)
    days = (today - last).days if last else None
    month = [e for e in entries if (e.date.year, e.date.month) == (today.year, today.month)]
    missing = [e.id for e in sorted(entries, key=lambda e: e.id) if not e.quantified]
    open_items = sorted((i for i in items if not i.done), key=lambda i: (i.due, i.id))
    overdue = [i for i in open_items if i.state(today) == "overdue"]
    due = [i for i in open_items if i.state(today) == "due"]
    return Status(today=today, has_profile=has_profile, entries=len(entries), last_entry=last,
                  days_since_last=days, this_month=len(month), without_result=missing, due=due,
                  overdue=overdue, open_items=len(open_items),
                  next_item=open_items[0] if open_items else None, agreed=agreed,
                  headline=_revisit_soon(agreed) or _headline(len(entries), days, len(missing),
                                                              len(overdue), has_profile))


def _ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def status_lines(s: Status) -> list[str]:
    """The status as short lines, the same on every face (no command or button named)."""
    if s.entries == 0 or s.last_entry is None or s.days_since_last is None:
        lines = ["Last entry: none yet"]
    else:
        lines = [f"Last entry: {s.last_entry.isoformat()} ({_ago(s.days_since_last)})",
                 f"Entries this month: {s.this_month} (of {s.entries} in all)"]
        lines.append("Entries without a result: " + (
            "none" if not s.without_result else
            f"{len(s.without_result)} (" + ", ".join(f"#{i}" for i in s.without_result) + ")"))
    if s.agreed is not None:
        lines += _agreed_lines(s.agreed)
    if not s.has_profile:
        lines.append("Plan: starts once your goal is set")
    elif s.open_items == 0:
        lines.append("Plan items due: none open")
    else:
        lines.append(f"Plan items due this week: {len(s.due)}; overdue: {len(s.overdue)}; "
                     f"open in all: {s.open_items}")
        for item in [*s.overdue, *s.due]:
            word = "overdue since" if item in s.overdue else "due"
            tag = ", agreed" if item.agreed else ""
            lines.append(f"  - {item.text} ({word} {item.due.isoformat()}; id {item.id}{tag})")
        shown = s.agreed.next_item.id if s.agreed and s.agreed.next_item else None
        if not (s.overdue or s.due) and s.next_item is not None and s.next_item.id != shown:
            lines.append(f"  - next: {s.next_item.text} (due {s.next_item.due.isoformat()}; "
                         f"id {s.next_item.id})")
    return lines


def _agreed_lines(p: Progress) -> list[str]:
    lines = [p.line()]
    if p.next_item is not None:
        word = "overdue since" if p.next_overdue else "due"
        lines.append(f"  - next agreed item: {p.next_item.text} ({word} "
                     f"{p.next_item.due.isoformat()}; id {p.next_item.id})")
    elif p.total:
        lines.append("  - every agreed item is done: bring the evidence to the revisit")
    return lines


def status_text(s: Status) -> str:
    return "\n".join([s.headline, "", *status_lines(s)])
