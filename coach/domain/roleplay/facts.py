"""What the mock manager knows about the user: the log entries they remember and what they
would ask for, in words a manager can say and the user can claim."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from coach.domain.evidence import Entry, Kind
from coach.domain.roleplay.personas import Persona, ResponseType

_PAST_VERB = re.compile(r"^(led|ran|built|shipped|wrote|drove|made|took|set|grew|cut|won|owned|"
                        r"[a-z]+ed)\b", re.IGNORECASE)


class LogFact(BaseModel):
    """One impact-log entry as the manager remembers it."""

    model_config = ConfigDict(frozen=True)

    entry_id: int
    title: str
    metric: str = ""
    date: dt.date
    kind: Kind
    next_level: bool = False

    @property
    def phrase(self) -> str:
        """A noun phrase a manager can say: 'the way you led the payments migration'."""
        title = self.title.rstrip(".")
        if _PAST_VERB.match(title):
            return f"the way you {title[0].lower()}{title[1:]}"
        return f"your work on {title[0].lower()}{title[1:]}"

    @property
    def first_person(self) -> str:
        """The same entry as the user would say it: 'I led the payments migration'."""
        title = self.title.rstrip(".")
        lowered = f"{title[0].lower()}{title[1:]}"
        return f"I {lowered}" if _PAST_VERB.match(title) else f"I worked on {lowered}"

    @property
    def line(self) -> str:
        metric = f" ({self.metric})" if self.metric else ""
        return f"{self.title}{metric}, {self.date.strftime('%b %Y')}"


def pick_facts(entries: Sequence[Entry], k: int) -> list[LogFact]:
    """The k entries a manager would remember: next-level and quantified first, then the newest."""
    ranked = sorted(entries, key=lambda e: (e.next_level, e.quantified, e.date, e.id), reverse=True)
    return [LogFact(entry_id=e.id, title=e.title, metric=e.metric, date=e.date, kind=e.kind,
                    next_level=e.next_level) for e in ranked[:k]]


def specifics_for(persona: Persona, gaps: Sequence[str], limit: int = 3) -> list[str]:
    """What the manager names when asked: for gap answers the readiness gaps first, then the persona's.

    `gaps` are the titles of next-level expectations the log does not cover yet.
    """
    if persona.type in (ResponseType.NOT_YET, ResponseType.NOT_READY):
        spoken = [g[0].lower() + g[1:] for g in gaps if g]
        merged = list(dict.fromkeys([*spoken, *persona.specifics]))
        return merged[:limit]
    return list(persona.specifics[:limit])
