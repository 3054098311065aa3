"""Rubrics: one YAML file per output kind under `evals/rubrics/`, each a list of yes/no checks.

A check is a question written from the guidance ("Does the email thank the manager?").
It may name a deterministic scorer (`check:` + `params:`), ask the judge model (`judge:
true`), or both; when both apply, the report measures how often they agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coach.domain.errors import CoachError
from coach.domain.validation import explain
from coach.evals import DATA_DIR
from coach.evals.schema import OutputKind

RUBRICS_DIR = DATA_DIR / "rubrics"


class Check(BaseModel):
    """One yes/no question about an output."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")
    question: str = Field(..., min_length=5, description="Asked as 'Did the output do X?'.")
    check: str | None = Field(None, description="Name of a deterministic scorer.")
    params: dict[str, Any] = Field(default_factory=dict)
    judge: bool = Field(False, description="Also ask the judge model.")
    guidance: str = Field("", description="What counts as yes / no / n/a, for the judge.")

    @model_validator(mode="after")
    def _scored_somehow(self) -> Check:
        if not self.check and not self.judge:
            raise ValueError(f"check '{self.id}' has neither a deterministic scorer nor judge: true")
        return self


class Rubric(BaseModel):
    """The checks for one output kind."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: OutputKind
    version: str
    title: str
    description: str = ""
    checks: list[Check] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Rubric:
        ids = [c.id for c in self.checks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate check ids: {', '.join(dupes)}")
        return self

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    @property
    def judged(self) -> list[Check]:
        return [c for c in self.checks if c.judge]


def load_rubric(path: Path) -> Rubric:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise CoachError(f"rubric {path.name}: {explain(exc)}") from None
    except yaml.YAMLError as exc:
        raise CoachError(f"rubric {path.name} is not valid YAML: {exc}") from None
    if rubric.name != path.stem:
        raise CoachError(f"rubric {path.name} declares name '{rubric.name}'",
                         hint="The name must equal the file name without .yaml.")
    return rubric


def load_rubrics(directory: Path = RUBRICS_DIR) -> dict[OutputKind, Rubric]:
    """Every rubric, keyed by the output kind it judges; each deterministic check is built
    once here so a typo in a scorer name fails at load, not half-way through a run."""
    from coach.evals.scorers import build

    rubrics: dict[OutputKind, Rubric] = {}
    for path in sorted(directory.glob("*.yaml")):
        rubric = load_rubric(path)
        if rubric.kind in rubrics:
            raise CoachError(f"two rubrics for '{rubric.kind.value}': {rubrics[rubric.kind].name} "
                             f"and {rubric.name}")
        for check in rubric.checks:
            if check.check:
                build(check.check, check.params)
        rubrics[rubric.kind] = rubric
    return rubrics
