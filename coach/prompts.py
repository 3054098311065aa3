"""Prompt files: one YAML file per prompt under `prompts/`, rendered with langchain-core.

A prompt has a name, a version, a system message and a user template. Every variable the
templates name must be supplied: a missing one raises instead of rendering as ''.

The role-play's mock managers live beside them, in `prompts/personas/`: one brief per answer
(`<response-type>.yaml`) and how hard they play (`difficulties.yaml`), validated by the
domain's `Persona` and `DifficultyParams`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.assets import prompts_dir
from coach.domain.errors import CoachError
from coach.domain.roleplay.personas import (
    Difficulty,
    DifficultyParams,
    Persona,
    ResponseType,
    parse_difficulty,
    parse_response_type,
)
from coach.domain.validation import explain
from coach.llm.base import Message, PromptRef

PERSONAS = "personas"
DIFFICULTIES_FILE = "difficulties.yaml"


class MissingVariables(CoachError):
    """A prompt was rendered without a variable its template needs."""


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(400, ge=1, le=8192)
    temperature: float = Field(0.2, ge=0.0, le=2.0)


class Prompt(BaseModel):
    """A prompt file, validated: unknown keys are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    description: str = ""
    system: str
    template: str
    defaults: Defaults = Field(default_factory=Defaults)

    @property
    def ref(self) -> PromptRef:
        return PromptRef(self.name, self.version)

    @property
    def variables(self) -> set[str]:
        found: set[str] = set()
        for text in (self.system, self.template):
            found |= set(_template(text).input_variables)
        return found

    def render(self, **values: Any) -> list[Message]:
        """The messages for this prompt: system first (stable prefix), then the user turn."""
        missing = sorted(self.variables - values.keys())
        if missing:
            raise MissingVariables(
                f"prompt '{self.name}' v{self.version} needs {', '.join(missing)}",
                hint="Pass every variable the template names.",
            )
        return [
            {"role": "system", "content": self._fill(self.system, values)},
            {"role": "user", "content": self._fill(self.template, values)},
        ]

    def render_system(self, **values: Any) -> str:
        missing = sorted(set(_template(self.system).input_variables) - values.keys())
        if missing:
            raise MissingVariables(f"prompt '{self.name}' system needs {', '.join(missing)}")
        return self._fill(self.system, values)

    def render_user(self, **values: Any) -> str:
        missing = sorted(set(_template(self.template).input_variables) - values.keys())
        if missing:
            raise MissingVariables(f"prompt '{self.name}' template needs {', '.join(missing)}")
        return self._fill(self.template, values)

    @staticmethod
    def _fill(text: str, values: dict[str, Any]) -> str:
        template = _template(text)
        used = {k: values[k] for k in template.input_variables}
        return template.format(**used).strip()


def _template(text: str):
    """langchain-core's template for `text`. Imported here, on first render: it costs about
    0.4 s, which a command that renders no prompt should not pay."""
    from langchain_core.prompts import PromptTemplate

    return PromptTemplate.from_template(text)


@lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> Prompt:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CoachError(f"prompt file {path.name} is not a mapping")
    prompt = Prompt.model_validate(data)
    if prompt.name != path.stem:
        raise CoachError(f"prompt file {path.name} declares name '{prompt.name}'")
    return prompt


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load `prompts/<name>.yaml`; raises CoachError naming the file if it is missing or invalid."""
    directory = directory or prompts_dir()
    path = directory / f"{name}.yaml"
    if not path.is_file():
        raise CoachError(f"no prompt named '{name}' in {directory}")
    return _load(path, path.stat().st_mtime)


def all_prompts(directory: Path | None = None) -> list[Prompt]:
    directory = directory or prompts_dir()
    return [load_prompt(p.stem, directory) for p in sorted(directory.glob("*.yaml"))]


# -- the role-play's mock managers -------------------------------------------------------------
def _mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CoachError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CoachError(f"{path.name} is not a mapping")
    return data


@lru_cache(maxsize=16)
def _load_persona(path: Path, mtime: float) -> Persona:
    try:
        persona = Persona.model_validate(_mapping(path))
    except ValidationError as exc:
        raise CoachError(f"persona file {path.name}: {explain(exc)}") from None
    if persona.type.value != path.stem:
        raise CoachError(f"persona file {path.name} declares type '{persona.type}'")
    return persona


def load_persona(response_type: ResponseType | str, directory: Path | None = None) -> Persona:
    """The mock manager who gives this answer (`prompts/personas/<type>.yaml`); raises CoachError
    naming the valid types, or the file if it is missing or invalid."""
    kind = parse_response_type(response_type)
    directory = directory or prompts_dir() / PERSONAS
    path = directory / f"{kind.value}.yaml"
    if not path.is_file():
        raise CoachError(f"no persona file for '{kind}' in {directory}")
    return _load_persona(path, path.stat().st_mtime)


def load_personas(directory: Path | None = None) -> dict[ResponseType, Persona]:
    """Every mock manager, one per response type."""
    return {kind: load_persona(kind, directory) for kind in ResponseType}


@lru_cache(maxsize=4)
def _load_difficulties(path: Path, mtime: float) -> dict[Difficulty, DifficultyParams]:
    data = _mapping(path)
    if set(data) != {d.value for d in Difficulty}:
        raise CoachError(f"{path.name} must set exactly: {', '.join(d.value for d in Difficulty)}")
    try:
        return {Difficulty(level): DifficultyParams.model_validate({**params, "level": level})
                for level, params in data.items()}
    except (ValidationError, TypeError) as exc:
        detail = explain(exc) if isinstance(exc, ValidationError) else "each level must be a mapping"
        raise CoachError(f"{path.name}: {detail}") from None


def load_difficulties(directory: Path | None = None) -> dict[Difficulty, DifficultyParams]:
    """How hard the mock manager plays at each level (`prompts/personas/difficulties.yaml`)."""
    path = (directory or prompts_dir() / PERSONAS) / DIFFICULTIES_FILE
    if not path.is_file():
        raise CoachError(f"no difficulty file at {path}")
    return _load_difficulties(path, path.stat().st_mtime)


def load_difficulty(level: Difficulty | str, directory: Path | None = None) -> DifficultyParams:
    """The parameters for a difficulty name; raises CoachError naming the valid levels."""
    return load_difficulties(directory)[parse_difficulty(level)]
