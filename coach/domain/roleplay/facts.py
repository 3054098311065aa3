"""What the mock manager knows about the user: the log entries they remember and what they
would ask for, in words a manager can say and the user can claim."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import Entry, Kind
from coach.domain.injection import data_block
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


class LevelCriterion(BaseModel):
    """One criterion of the target level in the user's career framework, and the log entries
    that show it (none: a gap the manager asks about first)."""

    model_config = ConfigDict(frozen=True)

    text: str
    area: str = ""
    entries: list[int] = Field(default_factory=list)


# What the manager asks before deciding, in turn: about the user's case, never their log's words.
# Said as the question itself: told only the topic, a small model answers it about "them".
PROBE_QUESTIONS = ("Why this step, and why now?", "Which of your work would you point to?",
                   "How do you picture yourself in that role?")
CRITERION_LABEL = "what the level they asked for expects"


def asked_criteria(criteria: Sequence[LevelCriterion]) -> list[str]:
    """The criteria a manager asks about, in turn: the ones no entry shows yet first."""
    ordered = sorted(criteria, key=lambda c: bool(c.entries))  # stable: the framework's order
    return list(dict.fromkeys(c.text for c in ordered if c.text.strip()))


def probe_note(turn: int, criteria: Sequence[str] = ()) -> str:
    """The private note of the `turn`th probe. With a framework, every probe after the first
    asks how the user's work shows one of the target level's criteria (given as data)."""
    if criteria and turn > 1:
        asked = criteria[(turn - 2) % len(criteria)]
        return ('No decision yet: ask one short question, how their work shows this point of '
                'the level, e.g. "Where have you done that?"\n' + data_block(CRITERION_LABEL, asked))
    question = PROBE_QUESTIONS[(turn - 1) % len(PROBE_QUESTIONS)]
    return f'No decision yet: ask one short question, e.g. "{question}"'


def criterion_probe(criterion: str) -> str:
    """The prepared probe (a persona template) that asks about a criterion in the manager's voice."""
    point = criterion.strip().rstrip(".").replace("{", "{{").replace("}", "}}")
    return f"For {{target}} our framework expects this: \u201c{point}\u201d. Where has your work shown it?"


def probe_lines(turn: int, criteria: Sequence[str], probes: Sequence[str]) -> list[str]:
    """The prepared lines of the `turn`th probe: the persona's, or with a framework the one that
    asks about the criterion `probe_note` names."""
    if criteria and turn > 1:
        return [criterion_probe(criteria[(turn - 2) % len(criteria)])]
    return list(probes)
