"""The weekly habit as calendar events: when the log gets its ten minutes, and the monthly review.

Pure rules: which weekday and time the user picked (checked, with a clear error), the first
occurrence on or after today, and the recurrence rule (RFC 5545 RRULE) a calendar repeats it
by. `coach.export.ics` writes them out.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DEFAULT_DAY = "friday"  # the end of the week: the wins are fresh and the week is done
DEFAULT_TIME = "16:00"
LOG_MINUTES = 15  # a weekly entry or two takes ten minutes; a little slack
REVIEW_MINUTES = 30  # reading a month of entries and the plan back
ALARM_MINUTES = 10
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


class Reminder(BaseModel):
    """One recurring calendar event."""

    id: str = Field(..., description="weekly-log or monthly-review; part of the event's UID.")
    summary: str
    description: str
    start: dt.datetime = Field(..., description="The first occurrence, local (floating) time.")
    minutes: int
    rrule: str = Field(..., description="The RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=FR.")
    alarm_minutes: int = ALARM_MINUTES
    when: str = Field(..., description="The schedule in words: 'every Friday at 16:00'.")


def parse_weekday(text: str) -> int:
    """'Friday', 'fri' or 'FR' -> 4 (Monday is 0); anything else is a clear error."""
    word = (text or "").strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if word and (word == name or (len(word) >= 2 and name.startswith(word))):
            return index
    shown = (text or "").strip()[:40]
    raise CoachError(f"'{shown}' is not a day of the week" if shown else "the day is missing",
                     code="bad-weekday", field="weekday",
                     hint=f"Use one of: {', '.join(WEEKDAYS)}.")


def parse_clock(text: str) -> dt.time:
    """'16:00' or '9:30' -> a time of day; 24:00, 16:60 or 'four' are clear errors."""
    shown = (text or "").strip()[:40]
    match = _CLOCK.match(shown)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return dt.time(int(match.group(1)), int(match.group(2)))
    raise CoachError(f"'{shown}' is not a time of day" if shown else "the time is missing",
                     code="bad-time", field="time",
                     hint="Write it as HH:MM on the 24-hour clock, from 00:00 to 23:59.")


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _last_weekday_of_month(year: int, month: int, weekday: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    last = first_next - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def next_last_weekday(today: dt.date, weekday: int) -> dt.date:
    """The last `weekday` of this month, or of next month once this month's has passed."""
    day = _last_weekday_of_month(today.year, today.month, weekday)
    if day >= today:
        return day
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return _last_weekday_of_month(year, month, weekday)


def weekly_log(weekday: int, at: dt.time, today: dt.date) -> Reminder:
    """Every week on `weekday` at `at`: add the week's wins to the impact log."""
    name = WEEKDAYS[weekday].capitalize()
    return Reminder(
        id="weekly-log", summary="Impact log: add this week's wins",
        description=("Ten minutes for the impact log: what did you ship, fix, lead or teach "
                     "this week? One entry each, with the number that shows the result "
                     "(time saved, users reached, incidents avoided)."),
        start=dt.datetime.combine(_next_weekday(today, weekday), at), minutes=LOG_MINUTES,
        rrule=f"FREQ=WEEKLY;BYDAY={RRULE_DAYS[weekday]}", when=f"every {name} at {at:%H:%M}")


def monthly_review(weekday: int, at: dt.time, today: dt.date) -> Reminder:
    """The last `weekday` of each month, right after that week's log: read the month back."""
    day = next_last_weekday(today, weekday)
    start = dt.datetime.combine(day, at) + dt.timedelta(minutes=LOG_MINUTES)
    if start.date() != day:  # a late log: review before it, on the same day
        start = dt.datetime.combine(day, at) - dt.timedelta(minutes=REVIEW_MINUTES)
    name = WEEKDAYS[weekday].capitalize()
    return Reminder(
        id="monthly-review", summary="Promotion plan: monthly review",
        description=("Read the month's entries back: does each one have a result? Which "
                     "expectations of the next level are still gaps? Tick off the plan items "
                     "you finished and check what is due next."),
        start=start, minutes=REVIEW_MINUTES,
        rrule=f"FREQ=MONTHLY;BYDAY=-1{RRULE_DAYS[weekday]}",
        when=f"the last {name} of each month at {start:%H:%M}")


def habit_reminders(day: str, time: str, *, monthly: bool, today: dt.date) -> list[Reminder]:
    """The weekly log reminder, and the monthly review if asked; bad input raises first."""
    weekday, at = parse_weekday(day), parse_clock(time)
    events = [weekly_log(weekday, at, today)]
    if monthly:
        events.append(monthly_review(weekday, at, today))
    return events
