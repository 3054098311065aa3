"""A one-event iCalendar file: the reminder to check in again on the revisit date."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

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


def write_ics(path: str | Path, text: str) -> Path:
    return save(path, lambda target: target.write_bytes(text.encode("utf-8")))
