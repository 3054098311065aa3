"""The development plan agreed with the manager after a no (issue 21).

The gaps come from a real meeting the user scored (read from the manager's lines, each shown
with the line it came from) and/or are typed; each becomes an agreed item of the development
plan (`coach.services.plan`, same store key), with what to demonstrate, a due date before the
revisit date, and whom it was agreed with. The revisit date goes into a calendar file with an
alarm a week ahead. Everything is checked before anything is written: bad input saves nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from coach.domain import agreed_plan as rules
from coach.domain.agreed_plan import Gap, Progress, Target
from coach.domain.errors import CoachError
from coach.domain.plan import Agreement, PlanItem
from coach.domain.roleplay import ResponseType
from coach.export.ics import CRLF, escape, fold, write_ics
from coach.services import plan as plan_service
from coach.services import readiness as readiness_service
from coach.services.context import Context
from coach.services.framework import active_framework
from coach.services.inputs import require_profile, today_or
from coach.services.roleplay.history import MEETING_KIND, get_session

ICS_NAME = "revisit.ics"
NOT_A_NO = {ResponseType.YES}


class MeetingGaps(BaseModel):
    """The gaps read from one scored real meeting, each with the manager's line."""

    meeting: int
    title: str
    answer: str = Field(..., description="The manager's answer (a ResponseType value).")
    gaps: list[Gap]


class MeetingChoice(BaseModel):
    """A scored real meeting a plan can start from (the manager's answer was not a yes)."""

    id: int
    title: str


class AgreedPlan(BaseModel):
    """What `agree_plan` made (or, with `preview`, would make)."""

    today: dt.date
    agreement: Agreement
    items: list[PlanItem]
    read: list[Gap] = Field(default_factory=list,
                            description="The gaps read from the meeting, with their lines.")
    dropped: list[Gap] = Field(default_factory=list, description="Read gaps left out.")
    replaced: int = Field(0, description="Items of an earlier agreement this one replaced.")
    progress: Progress | None = None
    file: str | None = Field(None, description="The calendar file with the revisit date.")
    preview: bool = False

    def text(self) -> str:
        a = self.agreement
        lines = [("Would agree" if self.preview else "Agreed") + f" with {a.with_name} on "
                 f"{a.agreed_on.isoformat()}; revisit on {a.revisit.isoformat()}."]
        if self.read:
            lines.append(f"Gaps read from meeting #{a.meeting}:")
            for n, gap in enumerate(self.read, 1):
                left = " (left out)" if gap in self.dropped else ""
                lines += [f"  {n}. {gap.text}{left}", f"     from: \u201c{gap.said}\u201d"]
        lines.append("Plan items:")
        for item in self.items:
            lines.append(f"  [ ] {item.id}: {item.text} (due {item.due.isoformat()})")
            if item.criterion:
                lines.append(f"        demonstrate: {item.demonstrate}")
                lines.append(f"        criterion: {item.criterion_name} ({item.criterion})")
            if item.said:
                lines.append(f"        {a.with_name} said: \u201c{item.said}\u201d")
        if self.replaced:
            lines.append(f"Replaced {self.replaced} item(s) of the plan agreed before.")
        if self.file:
            lines.append(f"Revisit date in your calendar file: {self.file} (alarm a week before)")
        if self.preview:
            lines.append("Nothing saved (preview).")
        return "\n".join(lines)


# -- the meetings and their gaps --------------------------------------------------------------
def agreeable_meetings(ctx: Context) -> list[MeetingChoice]:
    """Scored real meetings whose answer was not a yes, newest first."""
    out = []
    for convo in reversed(ctx.store.conversations(MEETING_KIND)):
        answer = convo.meta.get("response_type")
        if answer and ResponseType(answer) not in NOT_A_NO:
            label = ResponseType(answer).value.replace("-", " ").capitalize()
            out.append(MeetingChoice(id=convo.id, title=f"#{convo.id} on {convo.created_at[:10]}"
                                                         f" \u00b7 {label}"))
    return out


def meeting_gaps(ctx: Context, meeting_id: int) -> MeetingGaps:
    """The gaps the manager named in a scored real meeting whose answer was not a yes.

    Raises:
        CoachError: no such meeting, a practice role-play, or a yes (field `meeting`).
    """
    try:
        result = get_session(ctx, meeting_id)
    except CoachError:
        raise CoachError(f"there is no meeting #{meeting_id}", code="not-found",
                         field="meeting") from None
    if not result.real:
        raise CoachError(f"meeting #{meeting_id} is a practice role-play; a plan is agreed "
                         "in a real meeting", code="not-real", field="meeting",
                         hint="Score the real meeting first, or type the gaps.")
    if result.response_type is None or result.response_type in NOT_A_NO:
        raise CoachError(f"in meeting #{meeting_id} your manager said yes: there are no gaps "
                         "to plan for", code="was-yes", field="meeting",
                         hint="Pick a meeting that ended in a no or a not yet.")
    return MeetingGaps(meeting=meeting_id, title=result.title,
                       answer=result.response_type.value,
                       gaps=rules.read_gaps(result.transcript))


def targets(ctx: Context) -> list[Target]:
    """What a gap may be matched to: the framework's target-level criteria while one is in
    use with a target level, else the expectations in force (the user's or the built-in)."""
    active = active_framework(ctx)
    if active is not None and active.target is not None:
        fw = active.framework
        return [Target(id=c.id, name=f"{fw.area_name(c.area)}: {c.text}"[:160], demonstrate=c.text,
                       words=" ".join(c.examples)) for c in fw.criteria_at(active.target.id)]
    items = readiness_service.load_expectations(ctx).items
    return [Target(id=e.id, name=e.title, demonstrate=e.description or e.title,
                   words=e.title, keywords=[] if e.linked else e.keywords) for e in items]


# -- the calendar file ------------------------------------------------------------------------
def _uid(owner: str, *parts: object) -> str:
    key = "|".join(map(str, (owner, "agreed", *parts)))
    return hashlib.sha1(key.encode()).hexdigest()[:16] + "@promotion-coach"


def revisit_calendar(agreement: Agreement, items: Sequence[PlanItem], *, now: dt.datetime,
                     owner: str = "") -> str:
    """The revisit date as an all-day event with an alarm a week before (and the day before),
    and each agreed item on its due date."""
    utc = now.astimezone(dt.UTC) if now.tzinfo else now
    stamp = f"DTSTAMP:{utc:%Y%m%dT%H%M%S}Z"

    def event(uid: str, day: dt.date, summary: str, description: str,
              alarms: Sequence[str]) -> list[str]:
        lines = ["BEGIN:VEVENT", f"UID:{uid}", stamp, f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                 f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                 f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}",
                 "TRANSP:TRANSPARENT"]
        for trigger in alarms:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(summary)}",
                      f"TRIGGER:{trigger}", "END:VALARM"]
        return [*lines, "END:VEVENT"]

    summary = f"Revisit the promotion with {agreement.with_name}"
    plan_lines = "\n".join(f"- {i.text} (due {i.due.isoformat()})" for i in items)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Promotion Coach//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Promotion Coach revisit",
             *event(_uid(owner, "revisit", agreement.agreed_on), agreement.revisit, summary,
                    f"Agreed on {agreement.agreed_on.isoformat()}. Bring the evidence for:\n"
                    + plan_lines, ["-P7D", "-P1D"])]
    for item in (i for i in items if not i.done):
        lines += event(_uid(owner, agreement.agreed_on, item.id), item.due,
                       f"Agreed plan: {item.text}",
                       f"Show: {item.demonstrate} (plan item {item.id})",
                       ["-P1D"])
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


# -- agreeing ---------------------------------------------------------------------------------
def _gaps(read: Sequence[Gap], typed: Sequence[str], drop: Sequence[int],
          replace: bool) -> tuple[list[Gap], list[Gap]]:
    """The gaps to plan: those read (less the dropped ones) then the typed ones; with
    `replace`, the typed ones alone (a typed gap equal to a read one keeps its line)."""
    for n in drop:
        if not 1 <= n <= len(read):
            raise CoachError(f"there is no gap {n} to leave out (the meeting has "
                             f"{len(read)})", code="not-found", field="drop")
    own = [rules.typed_gap(t) for t in typed]
    by_text = {" ".join(g.text.lower().split()): g for g in read}
    own = [by_text.get(" ".join(g.text.lower().split()), g) for g in own]
    if replace:
        return rules.dedupe(own), [g for g in read if g not in own]
    dropped = [g for n, g in enumerate(read, 1) if n in set(drop)]
    return rules.dedupe([*(g for g in read if g not in dropped), *own]), dropped


def agree_plan(ctx: Context, *, revisit: str | dt.date | None, meeting_id: int | None = None,
               gaps: Sequence[str] = (), drop: Sequence[int] = (), replace: bool = False,
               with_name: str | None = None, ics: str | Path | None = None,
               preview: bool = False, today: dt.date | None = None,
               now: dt.datetime | None = None) -> AgreedPlan:
    """Agree the development plan with the manager and write the revisit date as .ics.

    Args:
        revisit: the date agreed to come back to the question (from today on).
        meeting_id: a scored real meeting whose answer was not a yes: its gaps are read.
        gaps: gaps typed by the user (added after the meeting's, or alone).
        drop: numbers (from 1) of gaps read from the meeting to leave out.
        replace: the typed gaps replace those read from the meeting.
        with_name: whom it was agreed with (default: the manager's name in the profile).
        ics: the calendar file (default: revisit.ics in the exports folder).
        preview: check and show everything, save and write nothing.

    Raises:
        CoachError: no gaps, an empty or long gap, a missing, bad or past revisit date, a
            meeting that does not exist, is practice or was a yes; nothing is saved then.
    """
    today = today_or(today)
    profile = require_profile(ctx)
    day = rules.parse_revisit(revisit, today)
    found = meeting_gaps(ctx, meeting_id) if meeting_id is not None else None
    read = found.gaps if found else []
    chosen, dropped = _gaps(read, gaps, drop, replace)
    name = " ".join((with_name or "").split())[:120] or profile.manager_name or "your manager"
    items = rules.agreed_items(chosen, targets(ctx), today=today, revisit=day, with_name=name)
    agreement = Agreement(agreed_on=today, with_name=name, revisit=day, meeting=meeting_id)
    old = plan_service.current_plan(ctx, today)  # not saved yet: the file comes first
    new = rules.agree(old, items, agreement)
    result = AgreedPlan(today=today, agreement=agreement, items=items, read=read,
                        dropped=dropped, replaced=sum(1 for i in old.items if i.agreed),
                        preview=preview)
    if preview:
        return result
    text = revisit_calendar(agreement, items, now=now or dt.datetime.now(dt.UTC),
                            owner=plan_service.owner(ctx))
    result.file = str(write_ics(Path(ics) if ics else ctx.settings.exports_dir / ICS_NAME, text))
    plan_service.save_plan(ctx, new)
    result.progress = rules.progress(new, today)
    return result


def agreed_file(ctx: Context, today: dt.date | None = None,
                now: dt.datetime | None = None) -> Path | None:
    """The saved agreement's calendar file, written afresh (the web app's download)."""
    saved = plan_service.saved_plan(ctx)
    if saved is None or saved.agreement is None:
        return None
    items = [i for i in saved.items if i.agreed]
    text = revisit_calendar(saved.agreement, items, now=now or dt.datetime.now(dt.UTC),
                            owner=plan_service.owner(ctx))
    return write_ics(ctx.settings.exports_dir / ICS_NAME, text)


def agreed_progress(ctx: Context, today: dt.date | None = None) -> Progress | None:
    """How the agreed plan stands (None without one)."""
    return rules.progress(plan_service.saved_plan(ctx), today_or(today))
