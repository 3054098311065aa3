"""The impact log: dated, quantified evidence of the work, tagged by what it shows."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coach.domain.limits import BUDGET
from coach.domain.text import clean_block, clean_line, has_number
from coach.domain.validation import InputError

EARLIEST_DATE = dt.date(1970, 1, 1)


class Kind(StrEnum):
    RESULT = "result"
    LEADERSHIP = "leadership"
    MENTORING = "mentoring"
    STRATEGY = "strategy"
    EXECUTIVE_COMMUNICATION = "executive-communication"
    FEEDBACK = "feedback"
    RESPONSIBILITY = "responsibility"
    LEARNING = "learning"


class EntryDraft(BaseModel):
    """An impact-log entry as typed or imported, before it has an id."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    title: str = Field(..., min_length=1, max_length=BUDGET["title"])
    description: str = Field("", max_length=BUDGET["description"])
    metric: str = Field("", max_length=BUDGET["metric"],
                        description="The quantified result, e.g. 'cut p95 latency 40%'.")
    kind: Kind = Kind.RESULT
    next_level: bool = Field(False, description="Shows work at the target level.")
    source: str = Field("", max_length=BUDGET["source"], description="A link or where the proof lives.")

    @field_validator("title", "metric", "source", mode="before")
    @classmethod
    def _line(cls, value: object) -> object:
        return clean_line(value) if isinstance(value, str) else value

    @field_validator("description", mode="before")
    @classmethod
    def _block(cls, value: object) -> object:
        return clean_block(value) if isinstance(value, str) else value

    @field_validator("date")
    @classmethod
    def _plausible_date(cls, value: dt.date) -> dt.date:
        # A win is logged once it happened: a future date is a typo or a plan, not evidence.
        if value > dt.date.today():
            raise InputError("future-date", f"date {value.isoformat()} is in the future: log a "
                                            "win once it has happened (today is fine)")
        if value < EARLIEST_DATE:
            raise InputError("old-date", f"date {value.isoformat()} is before 1970: check the "
                                         "year")
        return value

    @model_validator(mode="after")
    def _title_not_blank(self) -> EntryDraft:
        if not self.title:
            raise InputError("empty", "title is empty: describe what you did in a few words")
        return self

    @property
    def quantified(self) -> bool:
        return has_number(self.metric)


class Entry(EntryDraft):
    """A saved impact-log entry."""

    id: int = Field(..., ge=1)

    def cite(self) -> str:
        return f"[#{self.id}]"


class EntryFilter(BaseModel):
    """Which entries to list."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind | None = None
    next_level: bool | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None

    def matches(self, entry: Entry) -> bool:
        if self.kind and entry.kind != self.kind:
            return False
        if self.next_level is not None and entry.next_level != self.next_level:
            return False
        if self.since and entry.date < self.since:
            return False
        if self.until and entry.date > self.until:
            return False
        if self.text:
            needle = self.text.lower()
            hay = f"{entry.title}\n{entry.description}\n{entry.metric}".lower()
            if needle not in hay:
                return False
        return True
