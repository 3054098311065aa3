"""The mock promotion meeting as a deterministic plan the model only puts into words.

The meeting decides, turn by turn, what the manager does next (probe, give the answer,
name specifics, push back, talk dates, wrap up) from the difficulty parameters and what
the user just said. The model is told the move in a short private note and writes one
short reply; if the reply breaks role, the move's own in-role line from the persona is
used instead. The same seed gives the same lines and the same plan.

Everything the plan runs on each turn is in this module (reading the user's line included),
so a turn's path through the domain is this file and the role guard.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.profile import Profile
from coach.domain.roleplay.facts import LogFact
from coach.domain.roleplay.patterns import PATTERNS, TIME_FIGURE
from coach.domain.roleplay.personas import DifficultyParams, Persona
from coach.domain.text import numbers_in

Speaker = Literal["you", "manager"]


class Turn(BaseModel):
    """One line of the meeting as the user sees it."""

    speaker: Speaker
    text: str
    fallback: bool = Field(False, description="The model's reply broke role; a safe line was used.")
    move: str = ""
    violations: list[str] = Field(default_factory=list)


# -- what a user's line does (the scorecard reads it the same way) ------------------------
def mentions_target(text: str, target_title: str) -> bool:
    """The target title said verbatim (case and spacing ignored)."""
    title = " ".join(target_title.lower().split())
    return bool(title) and title in " ".join(text.lower().split())


def evidence_figures(text: str) -> set[str]:
    """Figures that look like results (40%, $50K, 3x, 12 engineers), not dates or durations."""
    return numbers_in(TIME_FIGURE.sub(" ", text))


def cited_entries(text: str, facts: Sequence[LogFact]) -> list[LogFact]:
    """Log entries the text names: most of a title's words, or a figure from its metric."""
    said = set(re.findall(r"[a-z0-9]+", text.lower()))
    figures = evidence_figures(text)
    found = []
    for fact in facts:
        title_words = [w for w in re.findall(r"[a-z0-9]+", fact.title.lower()) if len(w) > 3]
        named = len(title_words) >= 1 and sum(w in said for w in title_words) / len(title_words) >= 0.6
        metric_figures = numbers_in(fact.metric)
        if named or (metric_figures and metric_figures & figures):
            found.append(fact)
    return found


def cites_evidence(text: str, facts: Sequence[LogFact] = ()) -> bool:
    return bool(evidence_figures(text)) or bool(cited_entries(text, facts))


class UserLine(BaseModel):
    """What a user's line does, read with the scorecard's own patterns."""

    text: str
    states_goal: bool = False
    cites_evidence: bool = False
    asks_feedback: bool = False
    asks_timeline: bool = False
    closes: bool = False


def read_user_line(text: str, target_title: str, *, first: bool, facts: Sequence[LogFact] = ()) -> UserLine:
    """Read a user's line with the same patterns the scorecard uses."""
    return UserLine(
        text=text,
        states_goal=mentions_target(text, target_title) or bool(PATTERNS["goal"].search(text)),
        cites_evidence=cites_evidence(text, facts),
        asks_feedback=bool(PATTERNS["feedback"].search(text) or PATTERNS["specifics"].search(text)),
        asks_timeline=bool(PATTERNS["timeline"].search(text)),
        closes=not first and bool(PATTERNS["thanks"].search(text) and PATTERNS["follow_up"].search(text)),
    )


# -- the turn plan ----------------------------------------------------------------------------
def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Move(StrEnum):
    PROBE = "probe"
    ANSWER = "answer"
    SPECIFICS = "specifics"
    WITHHOLD = "withhold"
    CHALLENGE = "challenge"
    TIMELINE = "timeline"
    RESPOND = "respond"
    CLOSE = "close"


class MeetingState(BaseModel):
    """Counters the plan reads; copied and committed only when a reply is accepted."""

    user_turns: int = 0
    decision_given: bool = False
    specifics_given: bool = False
    asks: int = 0
    challenges_made: int = 0
    ended: bool = False


class Directive(BaseModel):
    """What the manager does this turn, the private note for the model, and the safe line."""

    move: Move
    note: str
    fallback: str
    closing: str = Field("", description="Appended after the reply when the meeting ends this turn.")
    needs_model: bool = True
    state: MeetingState


class Meeting:
    """One mock meeting's plan. Pure: no model, no store; the service drives it."""

    def __init__(self, persona: Persona, params: DifficultyParams, profile: Profile,
                 facts: Sequence[LogFact], specifics: Sequence[str], seed: int):
        self.persona = persona
        self.params = params
        self.profile = profile
        self.facts = list(facts)
        # How the manager names each entry, worked out once: lines are filled on every turn.
        self.phrases = [fact.phrase for fact in self.facts]
        self.specifics = list(specifics)
        self.seed = seed
        self.state = MeetingState()
        self.opening = self._line(persona.openings, "opening", 0)

    # -- lines -----------------------------------------------------------------------------
    @property
    def user_name(self) -> str:
        return self.profile.name.split(" ")[0] if self.profile.name else "there"

    @property
    def manager_name(self) -> str:
        return self.profile.manager_name or "the manager"

    def fill(self, template: str, index: int = 0) -> str:
        """Fill a persona line with this user's names, title and log entries."""
        at = index % len(self.facts) if self.facts else None
        fact = self.facts[at] if at is not None else None
        text = template.format(
            user=self.user_name,
            target=self.profile.target_title,
            entry=self.phrases[at] if at is not None else "the work you've been doing",
            metric=f" ({fact.metric})" if fact and fact.metric else "",
            specifics=join_words(self.specifics),
        )
        # Lines may start with a placeholder: capitalise each sentence start.
        return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)

    def _line(self, options: Sequence[str], purpose: str, index: int) -> str:
        """A line picked by seed (same seed, same line) and filled with fact number `index`."""
        rng = random.Random(f"{self.seed}:{purpose}:{index}")
        return self.fill(options[rng.randrange(len(options))], index=index)

    def closing_line(self) -> str:
        return self._line(self.persona.closings, "closing", self.state.user_turns)

    # -- the plan --------------------------------------------------------------------------
    def plan(self, text: str) -> Directive:
        """Decide the manager's move for the user's line, without changing the meeting yet."""
        state = self.state.model_copy()
        state.user_turns += 1
        turn = state.user_turns
        line = read_user_line(text, self.profile.target_title, first=turn == 1, facts=self.facts)
        p, persona = self.params, self.persona
        if line.closes:
            state.ended = True
            closing = self.closing_line()
            return Directive(move=Move.CLOSE, note="", fallback=closing, needs_model=False, state=state)
        last = turn >= p.max_user_turns
        if line.asks_feedback:
            state.asks += 1
        move = self._choose(line, state, turn)
        if move is Move.ANSWER:
            state.decision_given = True
            if state.asks >= p.asks_before_specifics:  # 0: volunteered with the answer
                state.specifics_given = True
        elif move is Move.SPECIFICS:
            state.specifics_given = True
        elif move is Move.CHALLENGE:
            state.challenges_made += 1
        if last:
            if not state.decision_given:  # never leave without an answer
                move, state.decision_given = Move.ANSWER, True
            state.ended = True
        # Refer to the entry the user just cited, else rotate through what the manager knows.
        cited = cited_entries(text, self.facts)
        focus = self.facts.index(cited[0]) if cited else turn - 1
        note = self._note(move, state, last, focus)
        fallback = self._fallback(move, state, focus)
        closing = self._line(persona.closings, "closing", turn) if last else ""
        return Directive(move=move, note=note, fallback=fallback, closing=closing, state=state)

    def commit(self, directive: Directive) -> None:
        self.state = directive.state

    def _choose(self, line: UserLine, state: MeetingState, turn: int) -> Move:
        p = self.params
        can_challenge = state.challenges_made < p.challenges and line.cites_evidence
        if not state.decision_given:
            if can_challenge:
                return Move.CHALLENGE
            engaged = line.states_goal or line.cites_evidence or line.asks_feedback
            if turn >= p.decision_turn and (engaged or turn > p.decision_turn):
                return Move.ANSWER
            return Move.PROBE
        if line.asks_feedback and not state.specifics_given:
            return Move.SPECIFICS if state.asks >= max(p.asks_before_specifics, 1) else Move.WITHHOLD
        if can_challenge:
            return Move.CHALLENGE
        if line.asks_timeline:
            return Move.TIMELINE
        return Move.RESPOND

    def _note(self, move: Move, state: MeetingState, last: bool, focus: int) -> str:
        persona = self.persona
        specifics = join_words(self.specifics)
        fact = self.facts[focus % len(self.facts)] if self.facts else None
        notes = {  # short: every token here is read anew each turn, before the first word
            Move.PROBE: "Do not give your decision yet. Ask one short question about their case.",
            Move.ANSWER: f"Give your decision now ({persona.label})"
                         + (f"; say what it would take: {specifics}." if state.specifics_given
                            else "; keep it general, no list of specifics yet."),
            Move.SPECIFICS: f"Name plainly what it would take: {specifics}.",
            Move.WITHHOLD: "Do not list specifics yet; turn the question back to them.",
            Move.CHALLENGE: "Before conceding anything, ask how much of "
                            + (f"'{fact.title}'" if fact else "that work") + " was their own doing.",
            Move.TIMELINE: f"Answer about timing in line with your decision ({persona.label}).",
            Move.RESPOND: f"Reply briefly, consistent with your decision ({persona.label}).",
        }
        note = notes.get(move, "")
        if last:
            note += " Wrap up now, in one or two sentences."
        return note  # the sentence cap is in the system message, read once per meeting

    def _fallback(self, move: Move, state: MeetingState, focus: int) -> str:
        persona = self.persona
        by_move = {
            Move.PROBE: persona.probes,
            Move.ANSWER: persona.answers,
            Move.SPECIFICS: persona.specifics_lines,
            Move.WITHHOLD: persona.withholds,
            Move.CHALLENGE: persona.challenges,
            Move.TIMELINE: persona.timelines,
            Move.RESPOND: persona.safe_lines,
        }
        line = self._line(by_move.get(move, persona.safe_lines), f"fallback-{move}", focus)
        if move is Move.ANSWER and state.specifics_given:
            line += " " + self._line(persona.specifics_lines, "fallback-specifics", focus)
        return line

    # -- what the prompt is built from ------------------------------------------------------
    def prompt_vars(self) -> dict[str, str]:
        """Everything the system prompt needs; stable for the whole meeting (prompt-cache friendly)."""
        persona, p, profile = self.persona, self.params, self.profile
        facts = "\n".join(f"- {f.line}" for f in self.facts[:p.facts_known]) or "- (nothing logged yet)"
        return {
            "manager_name": self.manager_name,
            "user_name": profile.name or "your report",
            "current_title": profile.current_title,
            "target_title": profile.target_title,
            "decision": persona.decision.format(target=profile.target_title),
            "wants_to_hear": "; ".join(persona.wants_to_hear),
            "reactions": " ".join(persona.reactions),
            "manner": p.manner,
            "max_sentences": str(p.max_sentences),
            "facts": facts,
            "opening": self.opening,
        }

    def hidden_text(self) -> list[str]:
        """The brief as the manager must never read it out (the decision's wording included)."""
        target = self.profile.target_title
        return [t.replace("{target}", target) for t in self.persona.hidden_text()] + [self.params.manner]

    def known_figures(self) -> set[str]:
        found: set[str] = set()
        for fact in self.facts:
            found |= numbers_in(f"{fact.title} {fact.metric}")
        return found
