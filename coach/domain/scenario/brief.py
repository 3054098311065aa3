"""The scenarios beside the promotion meeting, and the brief a scenario's data file holds.

A brief is data, not code (`prompts/personas/scenarios/<scenario>.yaml`): who the counterpart
is, their manner at each difficulty and the prepared in-role lines for each move. The lines
are the fallback when a model reply breaks role, so each must be sayable as it stands.

Line templates may use: {user} (the user's first name), {title} (the offered title), {salary},
{scope}, {benefits}, {start} (the saved offer's fields, only in lines the plan picks when that
field is known), {current} and {target} (the profile's titles), {entry} (one of the user's own
log entries, in their words).
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coach.domain.errors import CoachError
from coach.domain.responses import Difficulty


class Scenario(StrEnum):
    OFFER = "offer"
    INTERVIEW = "interview"


SCENARIOS: tuple[str, ...] = tuple(s.value for s in Scenario)
# How each scenario is named in titles and lists (the promotion meeting's own, too).
SCENARIO_LABELS: dict[str, str] = {"promotion": "Promotion meeting", "offer": "Offer conversation",
                                   "interview": "Interview elsewhere"}
PROMOTION = "promotion"  # the promotion meeting, run by coach.services.roleplay
ALL_SCENARIOS: tuple[str, ...] = (PROMOTION, *SCENARIOS)
_PLACEHOLDERS = frozenset({"user", "title", "salary", "scope", "benefits", "start", "current",
                           "target", "entry"})


def parse_scenario(value: str) -> Scenario:
    """The scenario for a name; raises CoachError naming the valid ones."""
    try:
        return Scenario(str(value).strip().lower())
    except ValueError:
        raise CoachError(f"unknown scenario '{value}'", code="bad-scenario", field="scenario",
                         hint=f"Use one of: {', '.join(ALL_SCENARIOS)}.") from None


class Counterpart(BaseModel):
    """Who the user talks to: how the model is cast and what the user reads them as."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(..., description="How the user sees them named in the transcript, e.g. 'HR partner'.")
    cast: str = Field(..., description="The model's role, second person: 'You are ...'.")


class ScenarioBrief(BaseModel):
    """One scenario's brief: the counterparts, the manner per difficulty, the prepared lines."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: Scenario
    situation: str = Field(..., description="What the meeting is, for the model's brief.")
    counterparts: list[Counterpart] = Field(..., min_length=1)
    manner: dict[Difficulty, str] = Field(..., description="Tone and stance per difficulty.")
    max_sentences: dict[Difficulty, int] = Field(..., description="Sentences per reply per difficulty.")
    max_user_turns: dict[Difficulty, int] = Field(..., description="The counterpart wraps up after these.")
    lines: dict[str, list[str]] = Field(..., description="Prepared in-role lines per move key.")

    @field_validator("manner", "max_sentences", "max_user_turns")
    @classmethod
    def _every_level(cls, value: dict[Difficulty, object]) -> dict[Difficulty, object]:
        missing = [d.value for d in Difficulty if d not in value]
        if missing:
            raise ValueError(f"missing difficulty levels: {', '.join(missing)}")
        return value

    @field_validator("lines")
    @classmethod
    def _known_placeholders(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, options in value.items():
            if not options:
                raise ValueError(f"lines '{key}' is empty")
            for line in options:
                unknown = set(re.findall(r"\{(\w+)\}", line)) - _PLACEHOLDERS
                if unknown:
                    raise ValueError(f"lines '{key}' use unknown placeholders: {', '.join(sorted(unknown))}")
        return value

    def options(self, key: str) -> list[str]:
        """The prepared lines for a move key; a missing key is a bug in the brief, said plainly."""
        if key not in self.lines:
            raise CoachError(f"the {self.scenario} brief has no lines for '{key}'")
        return self.lines[key]

    def hidden_text(self, level: Difficulty) -> list[str]:
        """What the counterpart must never read out: the situation and the manner."""
        return [self.situation, self.manner[level]]
