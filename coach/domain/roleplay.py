"""The mock promotion meeting as a deterministic plan the model only puts into words.

The meeting decides, turn by turn, what the manager does next (probe, give the answer,
name specifics, push back, talk dates, wrap up) from the difficulty parameters and what
the user just said. The model is told the move in a short private note and writes one
short reply; if the reply breaks role, the move's own in-role line from the persona is
used instead. The same seed gives the same lines, the same `auto` answer and the same plan.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import Entry, Kind
from coach.domain.personas import DifficultyParams, Persona, ResponseType
from coach.domain.profile import Profile
from coach.domain.text import numbers_in

Speaker = Literal["you", "manager"]


class Turn(BaseModel):
    """One line of the meeting as the user sees it."""

    speaker: Speaker
    text: str
    fallback: bool = Field(False, description="The model's reply broke role; a safe line was used.")
    move: str = ""
    violations: list[str] = Field(default_factory=list)


# -- what the manager knows from the log ------------------------------------------------------
_PAST_VERB = re.compile(r"^(led|ran|built|shipped|wrote|drove|made|took|set|grew|cut|won|owned|"
                        r"[a-z]+ed)\b", re.IGNORECASE)


class LogFact(BaseModel):
    """One impact-log entry as the manager remembers it."""

    model_config = ConfigDict(frozen=True)

    entry_id: int
    title: str
    metric: str = ""
    date: dt.date
    kind: Kind
    next_level: bool = False

    @property
    def phrase(self) -> str:
        """A noun phrase a manager can say: 'the way you led the payments migration'."""
        title = self.title.rstrip(".")
        if _PAST_VERB.match(title):
            return f"the way you {title[0].lower()}{title[1:]}"
        return f"your work on {title[0].lower()}{title[1:]}"

    @property
    def first_person(self) -> str:
        """The same entry as the user would say it: 'I led the payments migration'."""
        title = self.title.rstrip(".")
        lowered = f"{title[0].lower()}{title[1:]}"
        return f"I {lowered}" if _PAST_VERB.match(title) else f"I worked on {lowered}"

    @property
    def line(self) -> str:
        metric = f" ({self.metric})" if self.metric else ""
        return f"{self.title}{metric}, {self.date.strftime('%b %Y')}"


def pick_facts(entries: Sequence[Entry], k: int) -> list[LogFact]:
    """The k entries a manager would remember: next-level and quantified first, then the newest."""
    ranked = sorted(entries, key=lambda e: (e.next_level, e.quantified, e.date, e.id), reverse=True)
    return [LogFact(entry_id=e.id, title=e.title, metric=e.metric, date=e.date, kind=e.kind,
                    next_level=e.next_level) for e in ranked[:k]]


def specifics_for(persona: Persona, gaps: Sequence[str], limit: int = 3) -> list[str]:
    """What the manager names when asked: for gap answers the readiness gaps first, then the persona's.

    `gaps` are the titles of next-level expectations the log does not cover yet.
    """
    if persona.type in (ResponseType.NOT_YET, ResponseType.NOT_READY):
        spoken = [g[0].lower() + g[1:] for g in gaps if g]
        merged = list(dict.fromkeys([*spoken, *persona.specifics]))
        return merged[:limit]
    return list(persona.specifics[:limit])


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


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


# -- what a user's line does (shared with the scorecard) ---------------------------------------
# "May" is left out: "may I ask" is far more common in a meeting than the month.
_MONTHS = r"january|february|march|april|june|july|august|september|october|november|december"
_COUNT = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple of"
_PERIOD = rf"(?:{_COUNT})[- ](?:months?|weeks?|quarters?|years?|days?)"
# A period counts as a timeline only looking ahead: "in six months", not "for two years now".
# "within 6 weeks" is usually a result ("shipping solo within 6 weeks"), so it needs "next".
_AHEAD = (rf"(?:(?:in|after|by|over) (?:the )?(?:next |coming |following )?"
          rf"|(?:for|during|within) the (?:next|coming|following) ){_PERIOD}")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


PATTERNS: dict[str, re.Pattern[str]] = {
    "thanks": _rx(r"\b(thanks?|thank you|appreciat\w*|grateful|gratitude)\b"),
    "goal": _rx(r"\b(promot(ion|ed|e)|move (up|into)|moving (up|into|to)|step (up|into)|next level|"
                r"(the|a) [\w -]{0,40}\b(role|position|title))\b"),
    "feedback": _rx(r"\bwhat (would|do|did) you (need|think|see|want)|\bfeedback\b|\b(what|which) gaps\b|"
                    r"\bwhat('s| is) missing\b|\bhow do you see\b|\bwhat would it take\b|"
                    r"\bwhere do i (fall short|need to grow|stand)\b|"
                    r"\bwhat should i (work on|focus on|improve)\b|"
                    r"\bwhat am i missing\b|\byour (view|take|honest)\b|\bhow am i doing\b"),
    "specifics": _rx(r"\bspecific(s|ally)?\b|\bconcrete\b|\bexamples?\b|\bwhat exactly\b|"
                     r"\bwhich (areas|skills|gaps|ones)\b|\bwhat would ready look like\b"),
    "timeline": _rx(rf"\b{_AHEAD}\b|\b(next|this|coming) (quarter|month|half)\b|\bnext {_PERIOD}\b|"
                    rf"\bq[1-4]\b|\b({_MONTHS})\b|\btime ?line\b|\bstart date\b|"
                    r"\btime ?frame\b|\bwhen (could|can|would|might|will|should)\b|\brevisit\b|"
                    r"\bcheck in\b|\bnext (cycle|review|round)\b|\breview cycle\b|\b(a|the) date\b|"
                    r"\bby (the )?end of\b|\bnext year\b"),
    "revisit": _rx(rf"\brevisit\b|\bcheck in\b|\blook at (this|it) again\b|\bcome back to (this|it)\b|"
                   rf"\bin {_PERIOD}\b|\bover the next {_PERIOD}\b|\bnext (cycle|review|round)\b|"
                   rf"\bin ({_MONTHS})\b"),
    "follow_up": _rx(r"\bfollow[- ]?(up|through)\b|\brecap\b|\bsummar(y|ise|ize)\b|\bsend (you|over|it)\b|"
                     r"\be-?mail\b|\bin writing\b|\bwrite (it|this|that|them) (up|down)\b|\bcheck in\b|"
                     r"\bnext steps\b|\bcalendar\b|\bschedule\b"),
    "writing": _rx(r"\bin writing\b|\bby e-?mail\b|\be-?mail\b|\bwritten\b|"
                   r"\bwrite (it|this|that) (up|down)\b|\bconfirm\w*\b|\bdocument\w*\b"),
    "requirements": _rx(r"\brequirements?\b|\bwhat (do|would|will) (we|i|you) need\b|\bnext steps\b|"
                        r"\bpaperwork\b|\bapprov\w*\b|\bsign[- ]?off\b|\bstart date\b|\beffective\b|"
                        r"\bsalary\b|\bcompensation\b|\bresponsibilities\b"),
    "paths": _rx(r"\bcreat(e|ing) (the|this|that|a) (role|position)\b|\bwhat would it take\b|"
                 r"\b(other|alternative|different) (paths?|routes?|roles?|options?|ways?|teams?)\b|"
                 r"\bnext budget\b|\bbudget (cycle|round|request|planning)\b|\bheadcount (next|later)\b|"
                 r"\bscope (first|now|before)\b|\btitle (first|now)\b|\bpath forward\b"),
    "gaps": _rx(r"\b(which|what) (specific )?gaps\b|\bspecific(ally)?\b|\bconcrete (plan|examples?)\b|"
                r"\bexamples?\b|\bwhat would ready look like\b|\bwhat (exactly|specifically)\b"),
    "acknowledge": _rx(r"\bi understand\b|\bunderstood\b|\bhonest(y)?\b|\bappreciate\b|\bthank"
                       r"(s| you)\b|\bfair enough\b|\bthat'?s fair\b|\bi hear you\b"),
    "path_forward": _rx(r"\bwhat do you see (for|in) me\b|\bpath forward\b|\bwhere do you see me\b|"
                        r"\b(other|alternative|different) (paths?|roles?|tracks?|teams?|options?)\b|"
                        r"\binstead\b|\bwhat would (change|it take)\b|\bgoing forward\b|\bnext for me\b"),
}

# Figures that are about time, not results: "6 months", "2 weeks", "Q3".
_TIME_FIGURE = _rx(r"\b(\d+)[- ](months?|weeks?|quarters?|years?|days?)\b|\bq[1-4]\b|\b(19|20)\d\d\b")


def mentions_target(text: str, target_title: str) -> bool:
    """The target title said verbatim (case and spacing ignored)."""
    title = " ".join(target_title.lower().split())
    return bool(title) and title in " ".join(text.lower().split())


def evidence_figures(text: str) -> set[str]:
    """Figures that look like results (40%, $50K, 3x, 12 engineers), not dates or durations."""
    return numbers_in(_TIME_FIGURE.sub(" ", text))


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


# -- the turn plan ----------------------------------------------------------------------------
class Move(StrEnum):
    PROBE = "probe"
    ANSWER = "answer"
    SPECIFICS = "specifics"
    WITHHOLD = "withhold"
    CHALLENGE = "challenge"
    TIMELINE = "timeline"
    RESPOND = "respond"
    CLOSE = "close"


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
        fact = self.facts[index % len(self.facts)] if self.facts else None
        text = template.format(
            user=self.user_name,
            target=self.profile.target_title,
            entry=fact.phrase if fact else "the work you've been doing",
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
            if p.volunteers_specifics or state.asks >= p.asks_before_specifics > 0:
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
