"""What both scenario plans share: the directive a turn hands the service, the counters, and the
prepared lines as said (filled with the user's own data, never the same line twice)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field

from coach.domain.profile import Profile
from coach.domain.responses import Difficulty
from coach.domain.roleplay.lines import LEAD_INS, drop_name, said_key
from coach.domain.roleplay.off_script import HOSTILE, MAX_HOSTILE, OffScript
from coach.domain.scenario.brief import ScenarioBrief
from coach.domain.text import sentences

OFF_SCRIPT = "off-script"
CLOSE = "close"
REDIRECT = "redirect"


class ScenarioState(BaseModel):
    """The counters a plan reads; copied on `plan()` and kept only when the reply is accepted."""

    user_turns: int = 0
    ended: bool = False
    off_script: int = 0
    hostile: int = 0
    given: list[str] = Field(default_factory=list, description="Facts the counterpart has stated.")
    asked: dict[str, int] = Field(default_factory=dict, description="How often the user raised each topic.")
    stage: int = 0  # the interview: which question is next
    pushed_back: bool = False
    pressed: int = 0  # the offer: how often the counterpart pressed for an answer


class ScenarioDirective(BaseModel):
    """The counterpart's move for one user line, the private note for the model and the prepared line."""

    move: str
    note: str
    fallback: str
    retry_note: str = ""
    closing: str = Field("", description="Said after the reply when the meeting ends this turn.")
    needs_model: bool = True
    asks: bool = Field(False, description="The reply must ask the user something.")
    must_say: dict[str, str] = Field(default_factory=dict, description="What the reply must convey: "
                                     "a name per part, each a regex (e.g. the salary's figure).")
    must_not: dict[str, str] = Field(default_factory=dict, description="What the reply must not say: "
                                     "a name per stance it would break, each a regex (e.g. more pay).")
    off_script: str = ""
    state: ScenarioState


def mid_sentence(text: str) -> str:
    """A field the user typed, as it reads inside a sentence: no full stop, and a first capital
    dropped unless the word is an acronym ("A 10% bonus" -> "a 10% bonus"; "RSUs" stays)."""
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def capitalised(text: str) -> str:
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


class Lines:
    """Fills and picks one meeting's prepared lines; the seed and the history decide which."""

    def __init__(self, values: Mapping[str, str], seed: int):
        self.values = dict(values)
        self.seed = seed
        self.said: set[str] = set()

    def fill(self, template: str) -> str:
        if not self.values.get("user"):
            template = drop_name(template)
        return capitalised(template.format(**self.values)).strip()

    def pick(self, options: Sequence[str], purpose: str, index: int) -> str:
        rng = random.Random(f"{self.seed}:{purpose}:{index}")
        filled = list(dict.fromkeys(self.fill(o) for o in options))
        fresh = [line for line in filled if said_key(line) not in self.said]
        if fresh:
            return fresh[rng.randrange(len(fresh))]
        line = filled[rng.randrange(len(filled))]
        for lead in LEAD_INS:  # every line used: rephrase one rather than repeat it
            again = lead + line[0].lower() + line[1:]
            if said_key(again) not in self.said:
                return again
        return line

    def remember(self, text: str) -> None:
        for part in (text, *sentences(text)):
            if key := said_key(part):
                self.said.add(key)


def redirect(kind: OffScript, state: ScenarioState, lines: Lines, options: Mapping[str, Sequence[str]]
             ) -> ScenarioDirective:
    """An in-role reaction to an off-script line (it is not a turn of the meeting); after
    `MAX_HOSTILE` hostile lines the counterpart ends the meeting."""
    state.off_script += 1
    if kind in HOSTILE:
        state.hostile += 1
    if state.hostile >= MAX_HOSTILE:
        state.ended = True
        reply = lines.pick(options["walk-out"], "walk-out", state.off_script)
        return ScenarioDirective(move=CLOSE, note="", fallback=reply, needs_model=False, off_script=kind,
                                 state=state)
    reply = lines.pick(options["redirect"], "redirect", state.off_script)
    return ScenarioDirective(move=REDIRECT, note="", fallback=reply, needs_model=False, off_script=kind,
                             state=state)


class ScenarioPlan:
    """What both scenario plans share: the brief at a difficulty, the counterpart, the state
    and the prepared lines said. Subclasses set `lines` and decide each move (`plan`)."""

    scenario = ""
    lines: Lines

    def __init__(self, brief: ScenarioBrief, level: Difficulty, profile: Profile, seed: int,
                 counterpart: int = 0):
        self.brief = brief
        self.level = level
        self.profile = profile
        self.seed = seed
        self.counterpart = brief.counterparts[counterpart % len(brief.counterparts)]
        self.max_sentences = brief.max_sentences[level]
        self.max_user_turns = brief.max_user_turns[level]
        self.state = ScenarioState()

    def commit(self, directive: ScenarioDirective, said: str | None = None) -> None:
        """Accept the directive; `said` is what the counterpart said (its prepared line if None)."""
        self.state = directive.state
        self.lines.remember(directive.fallback if said is None else said)
        if directive.closing:
            self.lines.remember(directive.closing)

    def closing_line(self) -> str:
        return self.lines.pick(self.brief.options("close.end"), "close.end", self.state.user_turns + 1)

    # -- what the prompt is built from ------------------------------------------------------
    def prompt_vars(self) -> dict[str, str]:
        """The brief's instructions, no user data (that is in the subclass's `data_blocks`)."""
        return {"cast": self.counterpart.cast, "situation": self.brief.situation,
                "manner": self.brief.manner[self.level], "max_sentences": str(self.max_sentences)}

    def hidden_text(self) -> list[str]:
        """The brief a reply never reads out. (The notes are not: each is worded so that saying it
        back is what the counterpart should say anyway.)"""
        return self.brief.hidden_text(self.level)
