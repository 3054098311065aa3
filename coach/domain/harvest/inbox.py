"""The inbox's rule against doubles: a candidate already in the log or the inbox is not added.

Two candidates are the same work when they share a link (a pull request's URL, a ticket
key, a commit range), the same `Candidate.key`, or the same date and title. The inbox keeps
every candidate it was given, rejected ones too, so a rejected candidate stays out of every
later harvest of the same source.

A text note's link (`note.md:3`) points at a place, not at work: a rewritten note reuses its
line numbers, so for notes only the key (the line's own words) and date-and-title count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from coach.domain.evidence import Entry
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, InboxItem, SourceKind
from coach.domain.text import numbers_in

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
STATUSES = (PENDING, ACCEPTED, REJECTED)


class Duplicate(BaseModel):
    """A candidate left out, and what it repeats ('entry #3', 'inbox #5 (rejected)')."""

    model_config = ConfigDict(extra="forbid")

    title: str
    date: dt.date
    link: str = ""
    same_as: str
    reason: str

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.title}: {self.reason} as {self.same_as}"


class Split(NamedTuple):
    """A harvest's candidates: the new ones, and the duplicates left out."""

    new: list[Candidate]
    duplicates: list[Duplicate]


def _title_key(date: dt.date, title: str) -> tuple[str, str]:
    return date.isoformat(), " ".join(title.casefold().split())


def _links_count(candidate: Candidate) -> bool:
    return bool(candidate.link) and candidate.source is not SourceKind.TEXT


class _Seen:
    """What the log and the inbox already hold, by link, key and date-and-title."""

    def __init__(self) -> None:
        self.links: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.titles: dict[tuple[str, str], str] = {}

    def add_entry(self, entry: Entry) -> None:
        name = f"entry #{entry.id}"
        if entry.source:
            self.links.setdefault(entry.source, name)
        self.titles.setdefault(_title_key(entry.date, entry.title), name)

    def add_candidate(self, candidate: Candidate, name: str) -> None:
        if _links_count(candidate):
            self.links.setdefault(candidate.link, name)
        self.keys.setdefault(candidate.key, name)
        self.titles.setdefault(_title_key(candidate.date, candidate.title), name)

    def match(self, candidate: Candidate) -> tuple[str, str] | None:
        """(what it repeats, why) or None for new work."""
        if _links_count(candidate) and candidate.link in self.links:
            return self.links[candidate.link], "same link"
        if candidate.key in self.keys:
            return self.keys[candidate.key], "same work"
        title = _title_key(candidate.date, candidate.title)
        if title in self.titles:
            return self.titles[title], "same date and title"
        return None


def traced(candidate: Candidate) -> Candidate:
    """The candidate as the inbox keeps it: a metric only when every figure in it is in the
    source text (or the counts read from the source), else none and the nudge to add one."""
    metric = candidate.metric
    if metric:
        known = numbers_in(candidate.evidence) | {str(n) for n in candidate.counts.values()}
        if not numbers_in(metric) or not numbers_in(metric) <= known:
            metric = ""
    nudge = "" if metric else (candidate.nudge or ADD_THE_RESULT)
    if metric == candidate.metric and nudge == candidate.nudge:
        return candidate
    return candidate.model_copy(update={"metric": metric, "nudge": nudge})


def item_name(item: InboxItem) -> str:
    return f"inbox #{item.id} ({item.status})"


def split_new(candidates: Iterable[Candidate], *, entries: Sequence[Entry],
              inbox: Sequence[InboxItem]) -> Split:
    """Keep the candidates that are new work; report the rest as duplicates.

    Args:
        candidates: what a harvest drafted, in order (a later double of an earlier one in the
            same harvest is a duplicate too).
        entries: the impact log.
        inbox: every inbox item, whatever its status.
    """
    seen = _Seen()
    for entry in entries:
        seen.add_entry(entry)
    for item in inbox:
        seen.add_candidate(item, item_name(item))
    new: list[Candidate] = []
    duplicates: list[Duplicate] = []
    for candidate in candidates:
        found = seen.match(candidate)
        if found is not None:
            same_as, why = found
            duplicates.append(Duplicate(title=candidate.title, date=candidate.date,
                                        link=candidate.link, same_as=same_as, reason=why))
            continue
        seen.add_candidate(candidate, "an earlier candidate of this harvest")
        new.append(candidate)
    return Split(new, duplicates)
