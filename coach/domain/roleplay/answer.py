"""Finding the manager's answer in a transcript: the turn that gives the decision, and which of
the five answers it is, for a practice meeting (the plan marks the turn) and for a real one
someone pasted in (nothing is marked, so the manager's words decide)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain.roleplay.meeting import Move, Turn
from coach.domain.roleplay.personas import ResponseType
from coach.domain.text import sentences


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# What a manager says when giving each answer, most specific first: "I don't think you're
# ready" must be read as not-ready before "you're ready" can read as a yes.
DECISIONS: tuple[tuple[ResponseType, re.Pattern[str]], ...] = (
    (ResponseType.NO_BUDGET, _rx(
        r"\b(no|not|zero|without|don'?t have|do not have|can'?t|cannot)\b[^.?!]{0,40}"
        r"\b(budget|headcount|funding|funded|open role|slot)\b|"
        r"\b(budget|headcount|funding)\b[^.?!]{0,30}"
        r"\b(frozen|freeze|isn'?t there|not there|tight|gone|is the)\b|"
        r"\bhiring freeze\b|\bwith the freeze\b")),
    (ResponseType.NO_FIT, _rx(
        r"\b(don'?t|do not|can'?t|cannot) see you (in|as|going|becoming|being)\b|"
        r"\b(isn'?t|is not|not) where (we|i) see you\b|\bnot the right (fit|profile|person)\b|"
        r"\bnot a (good )?fit\b|\bdon'?t see (that|this) (role|path) for you\b")),
    (ResponseType.NOT_YET, _rx(
        r"\bnot yet\b|\bnot quite yet\b|\bgetting there\b|\bnot just yet\b|"
        r"\bnot (quite )?there yet\b|\bnot quite there\b|"
        r"\b(maybe|perhaps|probably|possibly) (in|by|after) (a few|six|three|nine|\d+|the next)\b")),
    (ResponseType.NOT_READY, _rx(
        r"\bnot ready\b|\b(don'?t|do not) (think|see|believe|feel) (that )?you(?:'re| are)?\s+ready\b|"
        r"\bnot (at|operating at) the next level\b|\baren'?t ready\b")),
    (ResponseType.YES, _rx(
        r"\bi agree\b|\byou'?re ready\b|\byou are ready\b|\bmake it happen\b|\bi('ll| will) support\b|"
        r"\bhappy to support\b|\bi'?m on board\b|\bi('ll| will) (put you forward|push for)\b|"
        r"\bthe answer is yes\b|\byou have my support\b|\blet'?s do it\b")),
)


def decision_in(text: str) -> ResponseType | None:
    """The answer a manager's line gives, read from its statements (questions never decide)."""
    for sentence in sentences(text) or [text]:
        if sentence.rstrip().endswith("?"):
            continue
        for response_type, pattern in DECISIONS:
            if pattern.search(sentence):
                return response_type
    return None


def answer_index(turns: Sequence[Turn], response_type: ResponseType | None = None) -> int | None:
    """Index of the turn that gives the decision; None if the manager never gave one.

    The plan's mark wins; an unmarked transcript (a real meeting) takes the first manager
    line that states a decision, of `response_type` if given and said, else of any kind.
    """
    for i, turn in enumerate(turns):
        if turn.speaker == "manager" and turn.move == Move.ANSWER:
            return i
    if any(t.move and t.move != "opening" for t in turns if t.speaker == "manager"):
        return None  # a practice meeting marks its answer: unmarked means it never came
    decisions = [(i, decision_in(t.text)) for i, t in enumerate(turns)
                 if t.speaker == "manager" and t.move != "opening"]
    matching = [i for i, found in decisions if found is not None and found is response_type]
    stated = [i for i, found in decisions if found is not None]
    # The type the user named wins; if its words never appear, the first decision of any kind.
    return next(iter(matching or stated), None)


def infer_response_type(turns: Sequence[Turn]) -> ResponseType | None:
    """Which answer the manager gave, from the first manager line that states one."""
    index = answer_index(turns)
    return decision_in(turns[index].text) if index is not None else None
