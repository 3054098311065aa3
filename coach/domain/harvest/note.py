"""A free-text weekly note turned into candidates: by the model, checked, or line by line.

The note is cut into numbered lines of work (`note_lines`). The model may propose entries
(`NoteReply`), each naming the line it comes from; `reply_problems` holds every figure it
writes to one that line (or another line of the note) states. When the model fails twice the
note is drafted without it (`draft_candidates`): one candidate per line, a metric only where
the line holds a number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import Kind
from coach.domain.guard import Violation
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, SourceKind
from coach.domain.harvest.figures import find_metric
from coach.domain.harvest.signals import suggest_kind, suggests_next_level
from coach.domain.injection import data_block
from coach.domain.text import clean_line, figures_not_in, has_number, numbers_in

MAX_LINES = 60  # a week's note; more is a document, and the model reads every line
TITLE_CHARS = 120
LINE_CHARS = 1_000
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u2023\u25e6]|\d{1,3}[.)]|\[[ xX]\])\s*")
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


class NoteLine(NamedTuple):
    """One line of work in the note: its number in the file, its text, the date it is under."""

    number: int
    text: str
    date: dt.date | None


def _heading_date(text: str, today: dt.date) -> dt.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        found = dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None
    return found if found <= today else None


def note_lines(text: str, today: dt.date) -> list[NoteLine]:
    """The note's lines of work, bullets stripped; a heading ('# Week of 2026-03-02', a line
    ending in ':') is not work, but a date in it dates the lines under it."""
    lines: list[NoteLine] = []
    date: dt.date | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        if not line:
            continue
        if line.startswith("#") or (line.endswith(":") and not _BULLET.match(raw)):
            date = _heading_date(line, today) or date
            continue
        body = clean_line(_BULLET.sub("", line))
        if len(body.split()) < 2 or not re.search(r"[^\W\d_]", body):
            continue  # a lone word ("Lunch", "Misc") names no piece of work
        lines.append(NoteLine(number, body[:LINE_CHARS], date))
    return lines[:MAX_LINES]


def line_key(text: str) -> str:
    """The same words make the same key, whatever the line's place in the note."""
    norm = " ".join(text.casefold().split())
    return "text:" + hashlib.sha256(norm.encode()).hexdigest()[:16]


def _title(text: str) -> str:
    text = text.rstrip(".;,")
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(".;,") + "\u2026"


def _candidate(line: NoteLine, name: str, today: dt.date, *, title: str, metric: str,
               kind: Kind) -> Candidate:
    return Candidate(source=SourceKind.TEXT, link=f"{name}:{line.number}", key=line_key(line.text),
                     date=line.date or today, title=title[:200], description=line.text,
                     metric=metric, kind=kind, next_level=suggests_next_level(line.text),
                     evidence=line.text, nudge="" if metric else ADD_THE_RESULT)


def draft_candidates(lines: list[NoteLine], name: str, today: dt.date) -> list[Candidate]:
    """One candidate per line, without a model."""
    return [_candidate(line, name, today, title=_title(line.text), metric=find_metric(line.text),
                       kind=suggest_kind(line.text)) for line in lines]


def numbered(lines: list[NoteLine]) -> str:
    """The note as the model reads it: one line of work per row, each with its number."""
    return data_block("my weekly note", "\n".join(f"[L{ln.number}] {ln.text}" for ln in lines))


# -- the model's reply -----------------------------------------------------------------------
class NoteEntry(BaseModel):
    """One entry the model proposes."""

    model_config = ConfigDict(extra="ignore")

    line: int = Field(..., ge=1, description="The number after L of the note line it comes from.")
    title: str = Field(..., min_length=1, max_length=200,
                       description="What I did, in a few words, past tense.")
    metric: str = Field("", max_length=300,
                        description="The measured result with its figure, copied from the line; "
                                    "empty when the line holds no number.")
    kind: Kind = Field(Kind.RESULT, description="What the work shows.")


class NoteReply(BaseModel):
    """The model's proposed entries for a note."""

    model_config = ConfigDict(extra="ignore")

    entries: list[NoteEntry] = Field(..., max_length=MAX_LINES)


def _unsourced(entry: NoteEntry, text: str) -> list[str]:
    """Figures of the entry that `text` does not state (every figure of the metric counts)."""
    allowed = numbers_in(text)
    strict = [f for f in numbers_in(entry.metric) if f not in allowed]
    return list(dict.fromkeys([*strict, *figures_not_in(f"{entry.title}. {entry.metric}",
                                                        allowed)]))


def source_line(entry: NoteEntry, lines: list[NoteLine]) -> NoteLine | None:
    """The line an entry's figures come from: the line it names, or else the one line of the
    note that states them all; None when no line does."""
    by_number = {ln.number: ln for ln in lines}
    named = by_number.get(entry.line)
    if named is not None and not _unsourced(entry, named.text):
        return named
    return next((ln for ln in lines if not _unsourced(entry, ln.text)), None)


def reply_problems(reply: NoteReply, lines: list[NoteLine]) -> list[Violation]:
    """What keeps the model's entries from being shown: a line that is not in the note, a
    figure no line of the note states, or nothing proposed for a note with work in it."""
    problems: list[Violation] = []
    if lines and not reply.entries:
        problems.append(Violation(code="empty", detail="the reply proposed no entries",
                                  phrase="proposed nothing"))
    numbers = {ln.number for ln in lines}
    for entry in reply.entries:
        if entry.line not in numbers:
            problems.append(Violation(
                code="bad-line", detail=f"entry '{entry.title[:60]}' names line L{entry.line}, "
                                        "which is not a line of the note",
                phrase="named lines the note does not have"))
            continue
        if source_line(entry, lines) is None:
            named = next(ln for ln in lines if ln.number == entry.line)
            figures = ", ".join(_unsourced(entry, named.text))
            problems.append(Violation(
                code="invented-number",
                detail=f"entry '{entry.title[:60]}' states {figures}, which line L{entry.line} "
                       "of the note does not say",
                phrase="used figures that are not in your note"))
    return problems


def reply_candidates(reply: NoteReply, lines: list[NoteLine], name: str,
                     today: dt.date) -> list[Candidate]:
    """The checked reply as candidates, each tied to the line its figures come from."""
    out: list[Candidate] = []
    for entry in reply.entries:
        line = source_line(entry, lines)
        if line is None:  # reply_problems refuses such a reply; never show an unsourced figure
            continue
        # A metric the model left out is still taken from the line when the line states one;
        # the word rules pick the kind when they fire, so a reader can tell why.
        metric = clean_line(entry.metric) if has_number(entry.metric) else find_metric(line.text)
        out.append(_candidate(line, name, today, title=clean_line(entry.title), metric=metric,
                              kind=suggest_kind(line.text, default=entry.kind)))
    return out
