"""The shape every imported framework takes, whatever file it came from.

A framework has ordered levels and named areas; each criterion belongs to one level and one
area. Levels are found by id, name or number as the framework itself names them
(`Framework.level`).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.domain.errors import CoachError

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
GENERAL_AREA = "general"  # the area of a criterion whose source names none


def slugify(text: str, fallback: str = "item") -> str:
    """'Senior OSPO Engineer' -> 'senior-ospo-engineer'; at most 60 characters."""
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., description="A slug of the name, unique in the framework.")
    name: str = Field(..., min_length=1, max_length=120)
    order: int = Field(..., ge=1, description="1 is the first (lowest) level.")
    note: str = Field("", max_length=2_000,
                      description="What the source says about the level that is not a criterion "
                                  "(an italic aside, the experience it usually takes).")


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(..., min_length=1, max_length=120)


class Criterion(BaseModel):
    """One thing a level expects, in the framework's own words."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., description="'<level id>.<area id>.<n>', unique in the framework.")
    level: str = Field(..., description="A Level.id.")
    area: str = Field(..., description="An Area.id.")
    text: str = Field(..., min_length=1, max_length=1_000)
    examples: list[str] = Field(default_factory=list)


class Framework(BaseModel):
    """An imported career framework. Validated: levels exist, names are unique, links hold."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(..., min_length=1, max_length=120)
    source: str = Field("", description="The file it was imported from (its name only).")
    levels: list[Level]
    areas: list[Area]
    criteria: list[Criterion]

    @model_validator(mode="after")
    def _consistent(self) -> Framework:
        if not self.levels:
            raise CoachError("the framework names no levels", code="no-levels", field="file",
                             hint="A framework needs at least one level with criteria.")
        seen: dict[str, str] = {}
        for level in self.levels:
            key = level.name.strip().lower()
            if key in seen:
                raise CoachError(f"the level name '{level.name}' appears twice",
                                 code="duplicate-level", field="file",
                                 hint="Give every level its own name.")
            seen[key] = level.id
        level_ids = {lv.id for lv in self.levels}
        area_ids = {a.id for a in self.areas}
        for c in self.criteria:
            if c.level not in level_ids or c.area not in area_ids:
                raise CoachError(f"criterion {c.id} names an unknown level or area",
                                 code="bad-framework", field="file")
        if len({c.id for c in self.criteria}) != len(self.criteria):
            raise CoachError("two criteria share an id", code="bad-framework", field="file")
        return self

    def ordered_levels(self) -> list[Level]:
        return sorted(self.levels, key=lambda lv: lv.order)

    def level(self, ref: str | int) -> Level:
        """The level named by its id, its name (any case) or its number (1 = lowest)."""
        text = str(ref).strip()
        for lv in self.levels:
            if text.lower() in (lv.id, lv.name.lower()):
                return lv
        if text.isdigit():
            for lv in self.levels:
                if lv.order == int(text):
                    return lv
        known = ", ".join(f"{lv.order}: {lv.name}" for lv in self.ordered_levels())
        raise CoachError(f"no level '{text}' in the framework {self.name}", code="unknown-level",
                         field="level", hint=f"Its levels are {known}.")

    def area_name(self, area_id: str) -> str:
        return next((a.name for a in self.areas if a.id == area_id), area_id)

    def criteria_at(self, level_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.level == level_id]

    def new_at(self, target: str, current: str | None) -> list[Criterion]:
        """The target level's criteria whose text the current level does not already hold."""
        held = {c.text.strip().lower() for c in self.criteria_at(current)} if current else set()
        return [c for c in self.criteria_at(target) if c.text.strip().lower() not in held]
