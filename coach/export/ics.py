"""iCalendar (RFC 5545) files: the one-off reminder to check in again on the revisit date, the
recurring habit (the weekly log, the monthly review) and the development plan's due dates.

Every file is CRLF-terminated with lines folded at 75 octets, and every event has a stable UID
(re-importing a file updates the events instead of adding copies) and a DTSTAMP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from coach.domain.plan import PlanItem
from coach.domain.reminders import Reminder
from coach.export import save

CRLF = "\r\n"
MAX_OCTETS = 75  # RFC 5545 line length, continuation lines start with one space


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and line breaks of any kind (a bare
    CR would end the content line and start a property of its own)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = MAX_OCTETS if not out else MAX_OCTETS - 1
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return (CRLF + " ").join(out)


def reminder(*, when: dt.date, summary: str, description: str, stamp: dt.date) -> str:
    """An all-day VEVENT on `when`; the UID is derived from its content so it is stable."""
    uid = hashlib.sha1(f"{when}|{summary}".encode()).hexdigest()[:16] + "@promotion-coach"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Promotion Coach//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{when:%Y%m%d}",
        f"DTEND;VALUE=DATE:{when + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape(summary)}",
        "TRIGGER:-PT15H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF


def _uid(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16] + "@promotion-coach"


def _stamp(now: dt.datetime) -> str:
    utc = now.astimezone(dt.UTC) if now.tzinfo else now
    return f"{utc:%Y%m%dT%H%M%S}Z"


def _calendar(name: str, events: Iterable[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Promotion Coach//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF


def _alarm(summary: str, trigger: str) -> list[str]:
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape(summary)}",
            f"TRIGGER:{trigger}", "END:VALARM"]


def recurring(reminders: Sequence[Reminder], *, now: dt.datetime, owner: str = "") -> str:
    """A calendar of repeating events at local (floating) time, each with its RRULE.

    Args:
        reminders: the events (`coach.domain.reminders`).
        now: when the file is made (DTSTAMP, in UTC).
        owner: makes the UIDs this user's own (two users' files never share an event).
    """
    events = [["BEGIN:VEVENT", f"UID:{_uid(owner, r.id)}", f"DTSTAMP:{_stamp(now)}",
               f"DTSTART:{r.start:%Y%m%dT%H%M%S}", f"DURATION:PT{r.minutes}M",
               f"RRULE:{r.rrule}", f"SUMMARY:{escape(r.summary)}",
               f"DESCRIPTION:{escape(r.description)}", "TRANSP:OPAQUE",
               *_alarm(r.summary, f"-PT{r.alarm_minutes}M"), "END:VEVENT"] for r in reminders]
    return _calendar("Promotion Coach habit", events)


def plan_calendar(items: Sequence[PlanItem], *, now: dt.datetime, owner: str = "") -> str:
    """The open plan items as all-day events on their due dates (done items are left out)."""
    events = [["BEGIN:VEVENT", f"UID:{_uid(owner, 'plan', i.id)}", f"DTSTAMP:{_stamp(now)}",
               f"DTSTART;VALUE=DATE:{i.due:%Y%m%d}",
               f"DTEND;VALUE=DATE:{i.due + dt.timedelta(days=1):%Y%m%d}",
               f"SUMMARY:{escape('Plan: ' + i.text)}",
               f"DESCRIPTION:{escape(f'Why: {i.why} (plan item {i.id})')}", "TRANSP:TRANSPARENT",
               *_alarm(i.text, "-P1D"), "END:VEVENT"] for i in items if not i.done]
    return _calendar("Promotion Coach plan", events)


def write_ics(path: str | Path, text: str) -> Path:
    return save(path, lambda target: target.write_bytes(text.encode("utf-8")))
