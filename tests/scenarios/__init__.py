"""Shared scenario fixtures: realistic profiles and impact logs, one YAML file each.

Used by the coaching tests, the role-play tests and the evals. `load_scenarios()` reads
them all; `seed(ctx, scenario)` saves one into a context's store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import Entry, EntryDraft
from coach.domain.profile import Profile

SCENARIO_DIR = Path(__file__).parent


class Expect(BaseModel):
    """What the rules should conclude for the scenario (checked by the domain tests)."""

    model_config = ConfigDict(extra="forbid")

    timing: str
    covered: list[str] = Field(default_factory=list)
    gaps: list[str] = Field(default_factory=list)
    unquantified: int = 0


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    description: str
    today: dt.date
    profile: Profile
    entries: list[EntryDraft]
    expect: Expect
    followup_summary: str = ""
    decline_reason: str = ""

    def saved_entries(self) -> list[Entry]:
        """The entries with ids 1..n, as the store would number them in a fresh home."""
        return [Entry(id=i, **e.model_dump()) for i, e in enumerate(self.entries, start=1)]


def load_scenario(path: Path | str) -> Scenario:
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = SCENARIO_DIR / f"{path}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Scenario.model_validate(data)


def load_scenarios() -> list[Scenario]:
    return [load_scenario(p) for p in sorted(SCENARIO_DIR.glob("*.yaml"))]


def seed(ctx: Any, scenario: Scenario) -> list[Entry]:
    """Save the scenario's profile and entries into `ctx.store`; returns the saved entries."""
    ctx.store.save_profile(scenario.profile)
    return ctx.store.add_entries(scenario.entries)
