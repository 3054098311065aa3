"""The mock promotion meeting as a deterministic plan the model only puts into words.

The meeting decides, turn by turn, what the manager does next (probe, give the answer,
name specifics, push back, talk dates, wrap up) from the difficulty parameters and what
the user just said. The model is told the move in a short private note (in full on a
second try) and writes one short reply; if that breaks role twice, the move's in-role line
from the persona is used. The same seed gives the same lines and the same plan.

Everything the plan runs per turn is here (reading the user's line included), with the role guard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

from coach.domain.injection import data_block
from coach.domain.profile import Profile
from coach.domain.roleplay.facts import LogFact, probe_lines, probe_note
from coach.domain.roleplay.lines import NEUTRAL, LineBook, join_words
from coach.domain.roleplay.off_script import (
    HOSTILE,
    MAX_HOSTILE,
    REACTIONS,
    STEER_BACK,
    WALK_OUT,
    OffScript,
    off_script,
)
from coach.domain.roleplay.patterns import PATTERNS, TIME_FIGURE
from coach.domain.roleplay.personas import DifficultyParams, Persona
from coach.domain.text import numbers_in

Speaker = Literal["you", "manager"]


class Turn(BaseModel):
    """One line of the meeting as the user sees it."""

    speaker: Speaker
    text: str
    fallback: bool = Field(False, description="The model's reply broke role; a safe line was used.")
    move: str = Field("", description="The manager's move; for the user, 'off-script' or ''.")
    violations: list[str] = Field(default_factory=list)
    replaced_why: str = Field("", description="Why the reply that streamed was swapped for this "
                                              "text; '' when it was shown as streamed.")
    stalled: bool = Field(False, description="The model stopped sending words part-way.")

    @computed_field  # type: ignore[prop-decorator]  # mypy#1362; in --json output too
    @property
    def note(self) -> str:
        """What a face shows under the line when it is not the reply that streamed."""
        return replacement_note(self.replaced_why)

    @classmethod
    def from_meta(cls, speaker: Speaker, text: str, meta: dict[str, Any]) -> Turn:
        """A turn as stored: the message text and the meta `Turn.meta()` wrote."""
        return cls(speaker=speaker, text=text, fallback=bool(meta.get("fallback")),
                   move=str(meta.get("move", "")), violations=list(meta.get("violations", [])),
                   replaced_why=str(meta.get("replaced_why", "")), stalled=bool(meta.get("stalled")))

    def meta(self) -> dict[str, Any]:
        """What is stored with the message, so a saved meeting shows the same notes."""
        data: dict[str, Any] = {"speaker": self.speaker}
        if self.move and self.speaker == "you":  # an off-script line: summaries and scores may skip it
            data["move"] = self.move
        if self.speaker == "manager":
            data.update(fallback=self.fallback, move=str(self.move), violations=self.violations)
            if self.replaced_why:
                data.update(replaced_why=self.replaced_why, stalled=self.stalled)
        return data


def replacement_note(why: str) -> str:
    """The short note shown with a reply that replaced the one that streamed."""
    return f"the first reply was replaced: {why}" if why else ""


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
class Move(StrEnum):
    PROBE = "probe"
    ANSWER = "answer"
    SPECIFICS = "specifics"
    WITHHOLD = "withhold"
    CHALLENGE = "challenge"
    TIMELINE = "timeline"
    RESPOND = "respond"
    REDIRECT = "redirect"
    CLOSE = "close"


class MeetingState(BaseModel):
    """Counters the plan reads; copied and committed only when a reply is accepted."""

    user_turns: int = 0
    decision_given: bool = False
    specifics_given: bool = False
    asks: int = 0
    challenges_made: int = 0
    off_script: int = 0
    hostile: int = 0
    ended: bool = False


class Directive(BaseModel):
    """What the manager does this turn, the private note for the model, and the safe line."""

    move: Move
    note: str
    fallback: str
    retry_note: str = Field("", description="The note in full for a second try ('' if no more to say).")
    closing: str = Field("", description="Appended after the reply when the meeting ends this turn.")
    needs_model: bool = True
    off_script: str = Field("", description="What kind of off-script line this answers, if any.")
    state: MeetingState


# The moves whose reply must ask something: a probe that asks nothing is not one. (Pushback
# may be a statement: "That's solid work, but it's the work of your current role.")
ASKING = frozenset({"probe"})
OFF_SCRIPT = "off-script"  # the move of a user's turn the plan did not play along with
OFF_SCRIPT_HISTORY = "(an off-topic remark)"  # what the model reads instead of an off-script line
WRAP_UP = " Wrap up now, in one or two sentences."  # added to the note of the meeting's last turn


class Meeting:
    """One mock meeting's plan. Pure: no model, no store; the service drives it."""

    def __init__(self, persona: Persona, params: DifficultyParams, profile: Profile,
                 facts: Sequence[LogFact], specifics: Sequence[str], seed: int,
                 criteria: Sequence[str] = ()):
        self.persona = persona
        self.params = params
        self.profile = profile
        self.facts = list(facts)
        self.specifics = list(specifics)
        self.criteria = list(criteria)  # the target level's criteria the probes ask about, if any
        self.seed = seed
        self.state = MeetingState()
        self.lines = LineBook(first_name=self.user_name, target=profile.target_title, facts=self.facts,
                              specifics=self.specifics, seed=seed)
        self.opening = self.lines.pick(persona.openings, "opening", 0)
        self.lines.remember(self.opening)

    # -- lines -----------------------------------------------------------------------------
    @property
    def user_name(self) -> str:
        """The user's first name, or '' when the profile has none (lines then leave it out)."""
        return self.profile.name.split(" ")[0] if self.profile.name else ""

    @property
    def manager_name(self) -> str:
        return self.profile.manager_name or "the manager"

    def fill(self, template: str, index: int = 0) -> str:
        """Fill a persona line with this user's names, title and log entries."""
        return self.lines.fill(template, index)

    def closing_line(self) -> str:
        return self.lines.pick(self.persona.closings, "closing", self.state.user_turns, more=[NEUTRAL[-1:]])

    def was_said(self, text: str) -> bool:
        """Whether the manager already said `text` in this meeting (case and punctuation aside)."""
        return self.lines.was_said(text)

    # -- the plan --------------------------------------------------------------------------
    def plan(self, text: str) -> Directive:
        """Decide the manager's move for the user's line, without changing the meeting yet."""
        state = self.state.model_copy()
        if kind := off_script(text):
            return self._redirect(kind, state)
        state.user_turns += 1
        turn = state.user_turns
        line = read_user_line(text, self.profile.target_title, first=turn == 1, facts=self.facts)
        p, persona = self.params, self.persona
        if line.closes:
            state.ended = True
            closing = self.lines.pick(persona.closings, "closing", turn, more=[NEUTRAL[-1:]])
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
        note = self._note(move, state, last)
        fallback = self._fallback(move, state, focus)
        retry_note = self._retry_note(move, state, last, focus)
        closing = self.lines.pick(persona.closings, "closing", turn, more=[NEUTRAL[-1:]]) if last else ""
        return Directive(move=move, note=note, fallback=fallback, closing=closing, state=state,
                         retry_note=retry_note)

    def commit(self, directive: Directive, said: str | None = None) -> None:
        """Accept the directive; `said` is what the manager said (its prepared line if None)."""
        self.state = directive.state
        self.lines.remember(directive.fallback if said is None else said)
        if directive.closing:
            self.lines.remember(directive.closing)

    def _redirect(self, kind: OffScript, state: MeetingState) -> Directive:
        """An in-role reaction to an off-script line; it does not count as a turn of the meeting."""
        state.off_script += 1
        index = state.off_script
        if kind in HOSTILE:
            state.hostile += 1
        if state.hostile >= MAX_HOSTILE:  # a manager would end the meeting rather than go on
            state.ended = True
            reply = self.lines.pick(WALK_OUT, "walk-out", index)
            return Directive(move=Move.CLOSE, note="", fallback=reply, needs_model=False,
                             off_script=kind, state=state)
        reaction = self.lines.pick(REACTIONS[kind], f"react-{kind}", index)
        steer = self.lines.pick(STEER_BACK[state.decision_given], "steer", index)
        return Directive(move=Move.REDIRECT, note="", fallback=f"{reaction} {steer}", needs_model=False,
                         off_script=kind, state=state)

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

    def _note(self, move: Move, state: MeetingState, last: bool) -> str:
        """The private note: a handful of words, as each token is read anew before the first word.
        What it points at is in the cached brief (how to word the decision, the data blocks)."""
        persona = self.persona
        notes = {
            Move.PROBE: probe_note(state.user_turns, self.criteria),
            Move.ANSWER: "Give your decision now." + (f" Then name {persona.specifics_label}."
                                                       if state.specifics_given else " No list yet."),
            Move.SPECIFICS: persona.specifics_note,
            Move.WITHHOLD: "Do not list specifics yet; turn the question back to them.",
            Move.CHALLENGE: 'Before conceding, ask how much of that was their own doing, e.g. "How much of '
                            'that was your call?"',
            Move.TIMELINE: persona.timeline_note,
            # No answer label here ("You're not ready"): a small model says it back as its own.
            Move.RESPOND: "Reply briefly, in line with your decision; say something new.",
        }
        note = notes.get(move, "")  # the sentence cap is in the system message, read once per meeting
        return note + WRAP_UP if last else note

    def _retry_note(self, move: Move, state: MeetingState, last: bool, focus: int) -> str:
        """For a second try (the first one's words showed already, so it may be longer): in full
        what the short note points at, the example line, the list and the entry (as data)."""
        persona = self.persona
        listed = f"{persona.specifics_note}\n" + data_block(persona.specifics_label,
                                                            join_words(self.specifics))
        fact = self.facts[focus % len(self.facts)] if self.facts else None
        notes = {
            Move.ANSWER: persona.answer_note + (f" Then: {listed}" if state.specifics_given
                                                else " No list of specifics yet."),
            Move.SPECIFICS: listed,
            Move.CHALLENGE: self._note(move, state, False) + "\n" + data_block("their log entry", fact.phrase)
                            if fact else "",
        }
        note = notes.get(move, "")
        return note + WRAP_UP if note and last else note

    def _fallback(self, move: Move, state: MeetingState, focus: int) -> str:
        persona = self.persona
        by_move = {
            Move.PROBE: probe_lines(state.user_turns, self.criteria, persona.probes),
            Move.ANSWER: persona.answers,
            Move.SPECIFICS: persona.specifics_lines,
            Move.WITHHOLD: persona.withholds,
            Move.CHALLENGE: persona.challenges,
            Move.TIMELINE: persona.timelines,
            Move.RESPOND: persona.safe_lines,
        }
        # A move's own lines first; then lines that fit any moment of this meeting.
        more = [] if move in (Move.ANSWER, Move.SPECIFICS) else [persona.safe_lines, NEUTRAL]
        line = self.lines.pick(by_move.get(move, persona.safe_lines), f"fallback-{move}", focus, more)
        if move is Move.ANSWER and state.specifics_given:
            line += " " + self.lines.pick(persona.specifics_lines, "fallback-specifics", focus)
        return line

    # -- what the prompt is built from ------------------------------------------------------
    def prompt_vars(self) -> dict[str, str]:
        """The system prompt's instructions: the persona and the level, no user data (that is in
        `data_blocks`). Stable for the whole meeting, so the model's prompt cache holds it."""
        persona, p = self.persona, self.params
        return {
            "decision": persona.decision,
            "answer_how": persona.answer_note,
            "wants_to_hear": "; ".join(persona.wants_to_hear),
            "reactions": " ".join(persona.reactions),
            "manner": p.manner,
            "max_sentences": str(p.max_sentences),
            "specifics_label": persona.specifics_label,
        }

    def data_blocks(self) -> str:
        """The user's profile, the log entries the manager remembers and what the manager would
        name when asked, each as a data block (`coach.domain.injection.data_block`)."""
        profile = self.profile
        people = [f"your report: {profile.name}" if profile.name else "your report: (name not given)",
                  f"you, the manager: {profile.manager_name}" if profile.manager_name else "",
                  f"their current title: {profile.current_title}",
                  f"the role they asked for: {profile.target_title}"]
        known = self.facts[:self.params.facts_known]
        facts = "\n".join(f"- {f.line}" for f in known) or "(nothing logged yet)"
        specifics = "\n".join(f"- {s}" for s in self.specifics)
        return "\n".join([data_block("profile", "\n".join(x for x in people if x)),
                          data_block("their impact log", facts),
                          data_block(self.persona.specifics_label, specifics)])

    def hidden_text(self) -> list[str]:
        """The brief as the manager must never read it out (the decision's wording included)."""
        return [*self.persona.hidden_text(), self.params.manner]

    def known_figures(self) -> set[str]:
        found: set[str] = set()
        for fact in self.facts:
            found |= numbers_in(f"{fact.title} {fact.metric}")
        return found
