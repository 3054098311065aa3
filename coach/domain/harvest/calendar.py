"""Talks, demos and reviews the user led, from a calendar file (.ics).

The rule, so a reader can predict it: an event becomes a candidate when
1. its summary or categories name a way of showing work: a talk, presentation, demo,
   review, workshop, training, keynote, brown bag, all-hands, showcase, webinar, office
   hours, a deep dive, a read-out (`SHOWING` holds the full list);
2. the user leads it: the user is its ORGANIZER, or an ATTENDEE with ROLE=CHAIR (the
   presenter), or the summary or description names them as speaker ("by", "presented by",
   "speaker:", "presenter:", "host:" followed by one of the user's names);
3. it has started by today and is not cancelled.
Standing meetings the user merely organises (stand-ups, syncs) name no way of showing work and
are left out. A recurring event counts once, at its first occurrence (RRULE is not expanded;
moved single occurrences, RECURRENCE-ID, are skipped). Dates are the day the event starts as
written: a TZID time is read in its own zone, a UTC time on its UTC day, an all-day date as is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, SourceKind
from coach.domain.harvest.common import check_text, cut
from coach.domain.harvest.figures import find_metric
from coach.domain.harvest.signals import suggest_kind, suggests_next_level

SHOWING = re.compile(
    r"(?<![\w-])(talks?|presentations?|presenting|demos?|demo day|reviews?|workshops?|"
    r"trainings?|keynotes?|brown ?bags?|lunch (?:and|&) learn|all[- ]hands|showcases?|"
    r"webinars?|office hours|tech talks?|deep[- ]dives?|walkthroughs?|knowledge shar\w*|"
    r"read[- ]?outs?)(?![\w-])", re.IGNORECASE)
BIG_AUDIENCE = 25  # this many attendees or more suggests the next level's reach
MAX_DESCRIPTION = 2_000
# NAME;PARAM=value,"quoted: value";PARAM=value:the value (one way to read each character,
# so a long line without a colon fails at once instead of backtracking)
_PROPERTY = re.compile(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)'
                       r'(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$')
_PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;]*)')
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})")


@dataclass
class _Property:
    value: str
    params: dict[str, str]


@dataclass
class _Event:
    props: dict[str, list[_Property]] = field(default_factory=dict)

    def first(self, name: str) -> _Property | None:
        found = self.props.get(name)
        return found[0] if found else None

    def text(self, name: str) -> str:
        prop = self.first(name)
        return _unescape(prop.value) if prop else ""


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1),
                  value).strip()


def _lines(text: str) -> list[str]:
    """Content lines with folding undone (a line break followed by a space or a tab)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line for line in re.sub(r"\n[ \t]", "", text).split("\n") if line.strip()]


def _events(text: str) -> list[_Event]:
    lines = _lines(text)
    if not any(line.strip().upper() == "BEGIN:VCALENDAR" for line in lines[:50]):
        raise CoachError("this is not a calendar file: it has no BEGIN:VCALENDAR", code="wrong-shape",
                         field="file", hint="Export the calendar as an .ics file.")
    events: list[_Event] = []
    current: _Event | None = None
    depth = 0  # components inside an event (alarms) are skipped
    for line in lines:
        upper = line.strip().upper()
        if upper == "BEGIN:VEVENT":
            current, depth = _Event(), 0
        elif upper == "END:VEVENT":
            if current is not None:
                events.append(current)
            current = None
        elif current is not None and upper.startswith("BEGIN:"):
            depth += 1
        elif current is not None and upper.startswith("END:"):
            depth = max(0, depth - 1)
        elif current is not None and depth == 0 and (found := _PROPERTY.match(line)):
            params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(found.group(2))}
            current.props.setdefault(found.group(1).upper(), []).append(
                _Property(found.group(3), params))
    return events


def _who(prop: _Property) -> set[str]:
    """An organiser's or attendee's address (without mailto:) and name, case aside."""
    address = re.sub(r"^mailto:", "", prop.value.strip(), flags=re.IGNORECASE).casefold()
    name = " ".join(prop.params.get("CN", "").split()).casefold()
    return {x for x in (address, name) if x}


def _start(event: _Event) -> dt.date | None:
    prop = event.first("DTSTART")
    found = _DATE.match(prop.value.strip()) if prop else None
    if not found:
        return None
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def _named_as_speaker(text: str, names: set[str]) -> bool:
    for name in names:
        if "@" in name:
            continue
        pattern = rf"(?:\bby|presented by|speakers?:|presenters?:|hosts?:|hosted by)\s+{re.escape(name)}\b"
        if re.search(pattern, text, re.IGNORECASE):
            return True
    return False


def _role(event: _Event, people: set[str]) -> str:
    """How the user leads the event ('' if they do not)."""
    organizer = event.first("ORGANIZER")
    if organizer and _who(organizer) & people:
        return "organiser"
    for attendee in event.props.get("ATTENDEE", []):
        if _who(attendee) & people and attendee.params.get("ROLE", "").upper() == "CHAIR":
            return "presenter (chair)"
    if _named_as_speaker(f"{event.text('SUMMARY')}\n{event.text('DESCRIPTION')}", people):
        return "named as speaker"
    return ""


def _involved(event: _Event, people: set[str]) -> bool:
    props = event.props.get("ORGANIZER", []) + event.props.get("ATTENDEE", [])
    return any(_who(p) & people for p in props) or bool(_role(event, people))


def _candidate(event: _Event, day: dt.date, role: str, people: set[str]) -> Candidate:
    uid = event.text("UID") or f"{event.text('SUMMARY')}@{day.isoformat()}"
    summary = " ".join(event.text("SUMMARY").split())[:200] or "Calendar event"
    description = event.text("DESCRIPTION")
    categories = event.text("CATEGORIES")
    others = [a for a in event.props.get("ATTENDEE", []) if not _who(a) & people]
    organizer, start = event.first("ORGANIZER"), event.first("DTSTART")
    facts = [summary, f"DTSTART:{start.value}" if start else "",
             f"organizer: {organizer.value}" if organizer else "", f"your role: {role}",
             f"categories: {categories}" if categories else "", description]
    metric = find_metric(summary, description)
    url = event.text("URL")
    return Candidate(
        source=SourceKind.CALENDAR, link=(url or f"calendar:{uid}")[:500], key=f"calendar:{uid}",
        date=day, title=summary, description=cut(description, MAX_DESCRIPTION), metric=metric,
        kind=suggest_kind(summary, categories, description, default=Kind.EXECUTIVE_COMMUNICATION),
        next_level=len(others) >= BIG_AUDIENCE or suggests_next_level(summary, categories),
        evidence="\n".join(f for f in facts if f), counts={"attendees": len(others)},
        nudge="" if metric else ADD_THE_RESULT)


def parse_ics(text: str, *, people: Sequence[str], since: dt.date | None = None,
              today: dt.date | None = None) -> list[Candidate]:
    """The events the user led that show their work, newest first (the rule is above).

    Args:
        text: the calendar file's text.
        people: the user's addresses and names as calendars show them.
        since: only events starting on or after this day.
        today: events starting later are plans, not evidence, and are left out.

    Raises:
        CoachError: not a calendar, no events, or the user in none of them.
    """
    events = _events(check_text(text, "a calendar"))
    if not events:
        raise CoachError("the calendar holds no events", code="empty", field="file",
                         hint="Export a calendar that holds your events.")
    wanted = {" ".join(p.split()).casefold() for p in people if p.strip()}
    if not wanted:
        raise CoachError("whose events to read is not set", code="no-author", field="people",
                         hint="Give your calendar address.")
    if not any(_involved(e, wanted) for e in events):
        raise CoachError(f"none of the {len(events)} events has {', '.join(sorted(wanted))} as "
                         "organiser or attendee", code="not-yours", field="people",
                         hint="Give the address your calendar invitations go to.")
    last_day = today or dt.date.today()
    chosen: dict[str, tuple[dt.date, Candidate]] = {}
    for event in events:
        day = _start(event)
        if day is None or event.first("RECURRENCE-ID") or day > last_day:
            continue
        if event.text("STATUS").upper() == "CANCELLED" or (since and day < since):
            continue
        if not SHOWING.search(f"{event.text('SUMMARY')}\n{event.text('CATEGORIES')}"):
            continue
        role = _role(event, wanted)
        if not role:
            continue
        found = _candidate(event, day, role, wanted)
        if found.key not in chosen or day < chosen[found.key][0]:
            chosen[found.key] = (day, found)
    return sorted((c for _, c in chosen.values()), key=lambda c: (c.date, c.key), reverse=True)
