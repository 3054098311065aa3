"""Checks for role-play transcripts: the manager stays the manager, answers in the scripted
response type, gives specifics when the type calls for them, and never reads out the brief."""

from __future__ import annotations

import re

from coach.domain.guard import content_words
from coach.domain.roleplay import ResponseType, RoleBreak, RoleGuard, contradiction, pick_facts
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import excerpt, word_count
from coach.prompts import load_difficulty, load_persona

# The role breaks that mean someone other than the manager is speaking; too-long, echo and
# figures are judged elsewhere.
WRONG_SPEAKER = frozenset({RoleBreak.EMPLOYEE_VOICE, RoleBreak.COACHING, RoleBreak.META, RoleBreak.EMPTY})

# The report asking for detail: "specifically", "which gaps", "what would it take".
USER_ASKS_SPECIFICS = re.compile(
    r"\b(specific\w*|concrete\w*|example|which gaps|what gaps|what exactly|what would (it|i need to) "
    r"take|what do i need|what (else )?could|what would you (need|want) to see|other paths?|"
    r"what would change|how could)\b",
    re.IGNORECASE,
)
_CONCRETE = re.compile(r"\b(specifically|concretely|for example|for instance|such as|i'?d want to see|"
                       r"you('d| would) need to|the gaps? (i see )?(are|is)|what (it|i) (takes|need)|"
                       r"options|what i can (explore|do|offer)|where i (do )?see you|"
                       r"(first|second)ly?,)\b", re.IGNORECASE)

TYPES_WITH_SPECIFICS = frozenset({ResponseType.NOT_YET, ResponseType.NOT_READY,
                                  ResponseType.NO_BUDGET, ResponseType.NO_FIT})


def _response_type(sample: Sample) -> ResponseType:
    value = sample.input.task.response_type
    if value is None:
        raise ValueError(f"case {sample.id} has no response_type")
    return ResponseType(value)


def _manager_turns(output: Output) -> list[str]:
    return [t.content for t in output.transcript if t.role == "manager"]


def _guard(sample: Sample, hidden: list[str] | None = None) -> RoleGuard:
    profile = sample.input.profile
    entries = sample.input.saved_entries()
    # A generous sentence cap: the guard would otherwise only look at the first few sentences.
    return RoleGuard(response_type=_response_type(sample), manager_name=profile.manager_name,
                     user_name=profile.name, hidden=hidden or [], max_sentences=50, max_chars=10_000,
                     user_claims=[f.first_person for f in pick_facts(entries, len(entries))])


@scorer("roleplay_role_kept")
def role_kept() -> ScoreFn:
    """Every manager line is said by the manager: not the report, not a coach, not an AI
    (the app's own role guard decides)."""

    def score(sample: Sample, output: Output) -> Score:
        turns = _manager_turns(output)
        if not turns:
            return Score.no("the transcript has no manager turns")
        guard = _guard(sample)
        for turn in turns:
            verdict = guard.check(turn)
            broken = set(verdict.breaks) & WRONG_SPEAKER
            if broken:
                why = next((r for r in verdict.reasons if any(f"({k})" in r for k in broken)),
                           verdict.reasons[0] if verdict.reasons else "role broken")
                return Score.no(f"breaks role: {why}", turn)
        return Score.yes(f"{len(turns)} manager turns, all in role")

    return score


@scorer("roleplay_type_matched")
def type_matched() -> ScoreFn:
    """The manager's answer reads as the scripted response type and never contradicts it."""

    def score(sample: Sample, output: Output) -> Score:
        kind = _response_type(sample)
        persona = load_persona(kind)
        text = output.manager_text()
        if clash := contradiction(kind, text):
            m = re.search(re.escape(clash), text, re.IGNORECASE)
            return Score.no(f"says '{clash}', which contradicts '{persona.label}'", excerpt(text, m, 70))
        if not persona.matches(text):
            return Score.no(f"never gives the '{persona.label}' answer", excerpt(text))
        return Score.yes(f"answers '{persona.label}'")

    return score


@scorer("roleplay_specifics")
def specifics_given(min_overlap: float = 0.5) -> ScoreFn:
    """When the type calls for detail and the user asks for it, the manager gives concrete detail."""

    def score(sample: Sample, output: Output) -> Score:
        kind = _response_type(sample)
        expected = sample.target.specifics_expected
        if expected is False or (expected is None and kind not in TYPES_WITH_SPECIFICS):
            return Score.na(f"'{kind.value}' does not call for specifics")
        asked_at = next((i for i, t in enumerate(output.transcript)
                         if t.role == "user" and USER_ASKS_SPECIFICS.search(t.content)), None)
        if asked_at is None:
            return Score.na("the user never asked for specifics")
        later = [t.content for t in output.transcript[asked_at + 1:] if t.role == "manager"]
        if not later:
            return Score.no("the manager never answered the request for specifics")
        persona = load_persona(kind)
        phrases = [content_words(p) for p in persona.specifics]
        for turn in later:
            words = content_words(turn)
            if any(p and len(p & words) / len(p) >= min_overlap for p in phrases):
                return Score.yes("names concrete specifics", turn)
            if _CONCRETE.search(turn) and word_count(turn) >= 10:
                return Score.yes("gives concrete detail", turn)
        return Score.no("asked for specifics, got none", later[0])

    return score


@scorer("roleplay_brief_hidden")
def brief_hidden() -> ScoreFn:
    """The manager never reads out the private part of the brief: what they want to hear, how
    they react, what good handling looks like, how hard to play it.

    The decision itself is left out on purpose: a manager saying "I support the move to X this
    cycle" is giving the answer, in words close to the brief's, not leaking it.
    """

    def score(sample: Sample, output: Output) -> Score:
        kind = _response_type(sample)
        target = sample.input.profile.target_title
        manner = load_difficulty(sample.input.task.difficulty).manner
        persona = load_persona(kind)
        private = [*persona.wants_to_hear, *persona.reactions, persona.handling_step]
        hidden = [line.replace("{target}", target) for line in private]
        guard = _guard(sample, [*hidden, manner])
        for turn in _manager_turns(output):
            verdict = guard.check(turn)
            leaks = [r for r in verdict.reasons if r.startswith("repeats the brief")]
            if leaks:
                return Score.no(leaks[0], turn)
        return Score.yes("the brief stays hidden")

    return score


@scorer("roleplay_turn_length")
def turn_length(max_words: int = 80) -> ScoreFn:
    """Manager turns stay conversational: no monologues."""

    def score(sample: Sample, output: Output) -> Score:
        turns = _manager_turns(output)
        if not turns:
            return Score.na("no manager turns")
        longest = max(turns, key=word_count)
        count = word_count(longest)
        return Score.verdict(count <= max_words, f"longest turn {count} words",
                             f"a {count}-word monologue (limit {max_words})", excerpt(longest))

    return score
