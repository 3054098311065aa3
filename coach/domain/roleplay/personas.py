"""The mock manager: five ways a manager answers a promotion request, and how hard they play it.

A persona is a brief, not code: what the manager has decided, what they want to hear, how
they react, and ready-made in-role lines (openings, answers, specifics, pushback, closings).
The briefs are data files beside the prompts (`prompts/personas/<type>.yaml`, the levels in
`difficulties.yaml`); the prompt loader validates them with these models and the domain
receives the objects. The lines double as the safe fallback when a model reply breaks role,
so every one of them must be something this manager could say out loud in the meeting.

Line templates may use: {user} (the report's name), {target} (target title), {entry} (a
phrase naming one of the user's own log entries), {metric} (its metric, with a leading
separator or empty), {specifics} (what this manager would ask for or offer).
"""

from __future__ import annotations

import random
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.errors import CoachError
from coach.domain.responses import AUTO as AUTO
from coach.domain.responses import RESPONSE_CHOICES as RESPONSE_CHOICES
from coach.domain.responses import Difficulty as Difficulty
from coach.domain.responses import ResponseType as ResponseType


class DifficultyParams(BaseModel):
    """How hard the manager plays: these numbers drive both the prompt and the turn plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Difficulty
    max_user_turns: int = Field(..., ge=2, description="The manager wraps up after this many user turns.")
    max_sentences: int = Field(..., ge=1, le=5, description="Replies are trimmed to this many sentences.")
    decision_turn: int = Field(..., ge=1, description="Earliest user turn at which the decision is given.")
    asks_before_specifics: int = Field(
        ..., ge=0, description="How many times the user must ask before specifics are given; 0 = volunteered."
    )
    challenges: int = Field(..., ge=0, description="How many times the manager questions the evidence.")
    facts_known: int = Field(..., ge=0, description="How many log entries the manager remembers.")
    manner: str = Field(..., description="Tone instruction for the system prompt.")


class Persona(BaseModel):
    """One manager response type as a brief: the decision, the reactions, and in-role lines."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ResponseType
    label: str = Field(..., description="The answer in a few words, shown when the type is revealed.")
    decision: str = Field(..., description="What the manager has decided, as an instruction.")
    wants_to_hear: list[str] = Field(..., min_length=1)
    reactions: list[str] = Field(..., min_length=1, description="How the manager reacts to handling.")
    specifics: list[str] = Field(..., min_length=1, description="What 'concretely' means for this answer.")
    openings: list[str] = Field(..., min_length=1)
    probes: list[str] = Field(..., min_length=1, description="Questions before the decision is given.")
    answers: list[str] = Field(..., min_length=1, description="Lines that give the decision.")
    specifics_lines: list[str] = Field(..., min_length=1, description="Lines that spell out {specifics}.")
    withholds: list[str] = Field(..., min_length=1, description="Lines that turn a question back.")
    challenges: list[str] = Field(..., min_length=1, description="Lines that question the evidence.")
    timelines: list[str] = Field(..., min_length=1, description="What this manager says about dates.")
    safe_lines: list[str] = Field(..., min_length=1, description="Neutral in-role acknowledgements.")
    closings: list[str] = Field(..., min_length=1)
    markers: str = Field(..., description="Regex a reply of this type usually matches.")
    conveys: dict[str, str] = Field(
        ..., min_length=1,
        description="What the turn that gives the decision must say: a name per part, each a regex.")
    answer_note: str = Field(..., description="How to word the decision, with an example line: the brief's "
                             "'When you give it'. Its quoted example may be said; the rest is hidden text.")
    specifics_note: str = Field(..., description="The private note for the turn that names specifics.")
    specifics_label: str = Field(..., description="What the specifics are, as their data block is labelled.")
    timeline_note: str = Field(..., description="The private note when the user asks about dates.")
    handling_step: str = Field(..., description="What good handling of this answer looks like.")

    def matches(self, text: str) -> bool:
        """Whether a manager's text reads like this response type."""
        return re.search(self.markers, text, re.IGNORECASE) is not None

    def missing(self, text: str) -> list[str]:
        """The parts of this answer `text` does not say (empty: it conveys the answer)."""
        return [name for name, rx in self.conveys.items() if not re.search(rx, text, re.IGNORECASE)]

    def hidden_text(self) -> list[str]:
        """The parts of the brief the manager must never read out."""
        return [self.decision, *self.wants_to_hear, *self.reactions, self.handling_step]


def parse_response_type(value: ResponseType | str) -> ResponseType:
    """The type for a name; raises CoachError naming the valid types."""
    try:
        return ResponseType(str(value).strip().lower())
    except ValueError:
        raise CoachError(
            f"unknown manager response '{value}'",
            hint=f"Use one of: {', '.join(RESPONSE_CHOICES)}.",
        ) from None


def parse_difficulty(value: Difficulty | str) -> Difficulty:
    """The level for a name; raises CoachError naming the valid levels."""
    try:
        return Difficulty(str(value).strip().lower())
    except ValueError:
        raise CoachError(
            f"unknown difficulty '{value}'",
            hint=f"Use one of: {', '.join(d.value for d in Difficulty)}.",
        ) from None


# -- auto: the answer the user's situation would most likely get --------------------------------
Band = Literal["strong", "mid", "weak"]
AUTO_TABLE: dict[tuple[Band, str], tuple[ResponseType, ...]] = {
    ("strong", "good"): (ResponseType.YES,),
    ("strong", "wait"): (ResponseType.NOT_YET, ResponseType.YES),
    ("strong", "bad"): (ResponseType.NO_BUDGET,),
    ("mid", "good"): (ResponseType.NOT_YET,),
    ("mid", "wait"): (ResponseType.NOT_YET, ResponseType.NOT_READY),
    ("mid", "bad"): (ResponseType.NO_BUDGET, ResponseType.NOT_YET),
    ("weak", "good"): (ResponseType.NOT_READY,),
    ("weak", "wait"): (ResponseType.NOT_READY, ResponseType.NO_FIT),
    ("weak", "bad"): (ResponseType.NO_FIT, ResponseType.NOT_READY),
}


def readiness_band(score: float) -> Band:
    if score >= 0.7:
        return "strong"
    return "mid" if score >= 0.4 else "weak"


def choose_response_type(readiness_score: float, timing_verdict: str, seed: int) -> ResponseType:
    """The `auto` answer: a strong log at a good time hears yes, a weak one in a freeze hears a hard no.

    Where the table lists more than one plausible answer, the seed picks one.
    """
    verdict = timing_verdict if timing_verdict in ("good", "wait", "bad") else "wait"
    options = AUTO_TABLE[(readiness_band(readiness_score), verdict)]
    return options[random.Random(f"{seed}:auto").randrange(len(options))]
