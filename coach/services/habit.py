"""The weekly habit: where the log and the plan stand, and the calendar file that keeps it going."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field

from coach.domain.agreed_plan import progress
from coach.domain.reminders import DEFAULT_DAY, DEFAULT_TIME, Reminder, habit_reminders
from coach.domain.status import Status, build_status, status_text
from coach.export.ics import recurring, write_ics
from coach.services import plan as plan_service
from coach.services.context import Context
from coach.services.inputs import today_or

SCHEDULE_KEY = "habit:schedule"
ICS_NAME = "habit.ics"


class Schedule(BaseModel):
    """When the weekly log happens (what the last calendar file said)."""

    day: str = DEFAULT_DAY
    time: str = DEFAULT_TIME
    monthly: bool = True


class Reminders(BaseModel):
    """A written calendar file and the events in it."""

    file: str
    events: list[Reminder]
    schedule: Schedule

    def text(self) -> str:
        lines = ["Calendar file with " + " and ".join(
            f"{e.summary.lower()} ({e.when})" for e in self.events) + ".",
            f"Saved: {self.file}", "Open it in your calendar to add the repeating events."]
        return "\n".join(lines)


class HabitStatus(BaseModel):
    """The status with the schedule the user last chose (None: no calendar file yet)."""

    status: Status
    schedule: Schedule | None = Field(None, description="The last calendar file's schedule.")

    def text(self) -> str:
        text = status_text(self.status)
        if self.schedule is None:
            return text + "\nWeekly reminder: not in your calendar yet"
        return text + f"\nWeekly reminder: {self.schedule.day.capitalize()} {self.schedule.time}"


def saved_schedule(ctx: Context) -> Schedule | None:
    raw = ctx.store.get_value(SCHEDULE_KEY)
    return Schedule.model_validate(raw) if raw else None


def status(ctx: Context, today: dt.date | None = None) -> HabitStatus:
    """Days since the last entry, this month's entries, those without a result, the plan's
    due and overdue items, and the plan agreed with the manager. With a goal set, the first
    status makes the plan; without one, the status says so kindly (no error)."""
    today = today_or(today)
    has_profile = ctx.store.get_profile() is not None
    plan = plan_service.ensure_plan(ctx, today) if has_profile else None
    result = build_status(ctx.store.list_entries(), plan.items if plan else [], today,
                          has_profile=has_profile, agreed=progress(plan, today))
    return HabitStatus(status=result, schedule=saved_schedule(ctx))


def remind(ctx: Context, *, day: str = DEFAULT_DAY, time: str = DEFAULT_TIME,
           monthly: bool = False, out: str | Path | None = None, today: dt.date | None = None,
           now: dt.datetime | None = None) -> Reminders:
    """Write the repeating weekly-log event (and the monthly review) as an .ics file.

    Args:
        day: the weekday of the weekly log ('friday', 'fri').
        time: HH:MM, 24-hour clock, local time.
        monthly: add the monthly review (the last `day` of each month, after the log).
        out: the file (default: `habit.ics` in the exports folder).

    A bad day or time raises before anything is written or remembered.
    """
    events = habit_reminders(day, time, monthly=monthly, today=today_or(today))
    text = recurring(events, now=now or dt.datetime.now(dt.UTC), owner=plan_service.owner(ctx))
    target = write_ics(Path(out) if out else ctx.settings.exports_dir / ICS_NAME, text)
    weekly = events[0].start
    schedule = Schedule(day=weekly.strftime("%A").lower(), time=f"{weekly:%H:%M}",
                        monthly=monthly)
    ctx.store.set_value(SCHEDULE_KEY, schedule.model_dump(mode="json"))
    return Reminders(file=str(target), events=events, schedule=schedule)
