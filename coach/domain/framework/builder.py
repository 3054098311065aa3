"""Collects levels, areas and criteria in reading order and gives a valid `Framework`.

Every parser (front matter, headings, rows, a model's proposal) reads its source into a
`FrameworkBuilder`; the builder alone makes the ids, so they follow one rule whatever the
source: levels and areas are slugs of their names (made unique), criteria are
'<level id>.<area id>.<n>', counted within their level and area.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.domain.errors import CoachError
from coach.domain.framework.model import GENERAL_AREA, Area, Criterion, Framework, Level, slugify

MAX_NAME = 120
MAX_CRITERION = 1_000
GENERAL_NAME = "General"
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _name(text: str) -> str:
    return " ".join(str(text).split())[:MAX_NAME].strip()


def split_long(text: str, limit: int = MAX_CRITERION) -> list[str]:
    """`text` as pieces of at most `limit` characters, cut between sentences where it can."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:  # one sentence longer than the limit: cut at a space
            cut = sentence.rfind(" ", 0, limit) if " " in sentence[:limit] else limit
            cut = cut if cut > 0 else limit
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > limit:
            pieces.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        pieces.append(current)
    return [p for p in pieces if p]


@dataclass
class _Level:
    name: str
    note: str = ""
    items: list[tuple[str, str, list[str]]] = field(default_factory=list)  # area, text, examples


class FrameworkBuilder:
    """Levels in the order they are added; criteria under a level and an area name.

    Args:
        name: the framework's name.
        source: the file it came from (its name only).
    """

    def __init__(self, name: str, source: str = ""):
        self.name = _name(name) or "Career framework"
        self.source = source
        self._levels: list[_Level] = []
        self._area_keys: dict[str, str] = {}  # lower-case area name -> the id the source gives

    def area_key(self, name: str, key: str) -> None:
        """Use `key` (slugged) as the id of the area called `name`, e.g. a topic's short name."""
        self._area_keys[_name(name).lower()] = slugify(key, "area")

    def add_level(self, name: str, note: str = "") -> int:
        """A new level (even if one of the same name exists: `build` then refuses it)."""
        self._levels.append(_Level(_name(name), note.strip()[:2_000]))
        return len(self._levels) - 1

    def level_index(self, name: str) -> int:
        """The level of this name (any case), added at the end if there is none yet."""
        key = _name(name).lower()
        for i, level in enumerate(self._levels):
            if level.name.lower() == key:
                return i
        return self.add_level(name)

    def note(self, level: int, text: str) -> None:
        """Add to a level's note (asides that are not criteria)."""
        current = self._levels[level].note
        self._levels[level].note = f"{current}\n{text.strip()}".strip()[:2_000]

    def add(self, level: int, area: str | None, text: str, examples: list[str] | None = None) -> int:
        """One criterion (split if longer than a criterion may be); returns how many were added.

        Blank text adds nothing; the same text twice in one level and area is kept once, its
        examples joined.
        """
        text = " ".join(str(text).split())
        if not text:
            return 0
        area_name = _name(area or "") or GENERAL_NAME
        cleaned = [" ".join(str(e).split())[:MAX_CRITERION] for e in examples or []]
        cleaned = [e for e in cleaned if e]
        items = self._levels[level].items
        for a, t, ex in items:
            if a.lower() == area_name.lower() and t == text:
                ex.extend(e for e in cleaned if e not in ex)
                return 0
        pieces = split_long(text)
        for i, piece in enumerate(pieces):
            items.append((area_name, piece, cleaned if i == len(pieces) - 1 else []))
        return len(pieces)

    @property
    def level_count(self) -> int:
        return len(self._levels)

    @property
    def criterion_count(self) -> int:
        return sum(len(lv.items) for lv in self._levels)

    def drop_empty_levels(self) -> list[str]:
        """Remove levels without a criterion; returns their names."""
        empty = [lv.name for lv in self._levels if not lv.items]
        self._levels = [lv for lv in self._levels if lv.items]
        return empty

    def build(self, framework_id: str | None = None) -> Framework:
        """The framework, validated (`CoachError` for no levels or a repeated level name)."""
        levels: list[Level] = []
        level_ids: list[str] = []
        for order, lv in enumerate(self._levels, start=1):
            if not lv.name:
                raise CoachError(f"level {order} has no name", code="bad-framework", field="file",
                                 hint="Give every level a name.")
            level_id = _unique(slugify(lv.name, f"level-{order}"), level_ids)
            level_ids.append(level_id)
            levels.append(Level(id=level_id, name=lv.name, order=order, note=lv.note))
        areas: dict[str, Area] = {}  # lower-case name -> area, in order of first use
        criteria: list[Criterion] = []
        counts: dict[tuple[str, str], int] = {}
        for level, lv in zip(levels, self._levels, strict=True):
            for area_name, text, examples in lv.items:
                area = areas.get(area_name.lower())
                if area is None:
                    if area_name.lower() == GENERAL_NAME.lower():
                        area_id = GENERAL_AREA
                    else:
                        preferred = self._area_keys.get(area_name.lower()) or slugify(area_name, "area")
                        area_id = _unique(preferred,
                                          [a.id for a in areas.values()] + [GENERAL_AREA])
                    area = Area(id=area_id, name=area_name)
                    areas[area_name.lower()] = area
                n = counts[(level.id, area.id)] = counts.get((level.id, area.id), 0) + 1
                criteria.append(Criterion(id=f"{level.id}.{area.id}.{n}", level=level.id,
                                          area=area.id, text=text, examples=examples))
        return Framework(id=framework_id or slugify(self.name, "framework"), name=self.name,
                         source=self.source, levels=levels, areas=list(areas.values()),
                         criteria=criteria)


def _unique(slug: str, taken: list[str]) -> str:
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"
