"""Which level and area of a framework a question names: "what does level 4 expect for
leadership" -> level 4, area Leadership. The search then prefers those criteria.

The rule, in order:
- a level's own name or id written out ("Senior Engineer", "l4"), the longest match first;
- "level 4", "L4", "lvl 4": a level whose name or id carries that number ("L4", "Level 4",
  "IC4"), else the level whose order is 4;
- "my target level", "the next level" (the user's target), "my current level" (theirs now),
  when the user has picked those levels;
- an area's own name or id; else the one area that has the most of its words in the question
  (a word counts by its first 4 letters, so "leading" finds "Leadership"; words of 3
  letters or fewer and the words every area shares do not count).
Nothing found means no preference: the search ranks every passage as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from coach.domain.framework.model import Area, Level

_LEVEL_NUMBER = re.compile(r"\b(?:level|lvl|l)\s*-?\s*(\d{1,2})\b", re.IGNORECASE)
_TARGET = re.compile(r"\b(?:target|next|new)\s+(?:level|role|grade)\b|\blevel\s+(?:up|above)\b",
                     re.IGNORECASE)
_CURRENT = re.compile(r"\b(?:current|present)\s+(?:level|role|grade)\b|\bmy\s+level\b",
                      re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_PREFIX = 4


class Scope(BaseModel):
    """The level and area a question names (either may be missing)."""

    level: Level | None = None
    area: Area | None = None

    @property
    def empty(self) -> bool:
        return self.level is None and self.area is None


def _said(phrase: str, text: str) -> bool:
    phrase = phrase.strip().lower()
    return bool(phrase) and re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _digits(text: str) -> str | None:
    found = re.findall(r"\d+", text)
    return found[-1] if len(found) == 1 else None


def level_named(levels: Sequence[Level], question: str, *, current: Level | None = None,
                target: Level | None = None) -> Level | None:
    """The level the question names by name, id or number, or as the user's target or current
    level; else None."""
    text = question.lower()
    named = [lv for lv in levels if _said(lv.name, text) or _said(lv.id.replace("-", " "), text)
             or _said(lv.id, text)]
    if named:
        return max(named, key=lambda lv: len(lv.name))
    for match in _LEVEL_NUMBER.finditer(question):
        number = str(int(match.group(1)))
        carrying = [lv for lv in levels
                    if _digits(lv.name) == number or _digits(lv.id) == number]
        if len(carrying) == 1:
            return carrying[0]
        by_order = [lv for lv in levels if lv.order == int(number)]
        if by_order:
            return by_order[0]
    if target is not None and _TARGET.search(question):
        return target
    if current is not None and _CURRENT.search(question):
        return current
    return None


def _stems(text: str) -> set[str]:
    return {w[:_PREFIX] for w in _WORD.findall(text.lower()) if len(w) > 3}


def area_named(areas: Sequence[Area], question: str) -> Area | None:
    """The area the question names by name or id, else the one with most words in it."""
    text = question.lower()
    named = [a for a in areas if _said(a.name, text) or _said(a.id.replace("-", " "), text)]
    if named:
        return max(named, key=lambda a: len(a.name))
    shared = set.intersection(*(_stems(a.name) for a in areas)) if len(areas) > 1 else set()
    asked = _stems(question)
    hits = {a.id: len((_stems(a.name) - shared) & asked) for a in areas}
    best = max(hits.values(), default=0)
    winners = [a for a in areas if hits[a.id] == best]
    return winners[0] if best and len(winners) == 1 else None


def scope_of(levels: Sequence[Level], areas: Sequence[Area], question: str, *,
             current: Level | None = None, target: Level | None = None) -> Scope:
    """The level and area `question` names, each None when it names none (or is ambiguous).
    `current` and `target`: the user's levels, for "my current level" and "the next level"."""
    return Scope(level=level_named(levels, question, current=current, target=target),
                 area=area_named(areas, question))
