"""Saved meetings: practice role-plays and scored real meetings, as stored; the list of them,
one side by side with another, deleting one, progress per check across scored meetings, and a
factual summary of one meeting for the follow-up email.

Both kinds share one structure (transcript + scorecard); `real` tells them apart. Everything
here reads the data home only: no model is called.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.roleplay import (
    AUTO,
    PATTERNS,
    STEPS,
    Difficulty,
    ResponseType,
    Scorecard,
    Speaker,
    Turn,
    Verdict,
)
from coach.domain.scenario import PROMOTION, SCENARIO_LABELS
from coach.domain.text import sentences
from coach.prompts import load_persona
from coach.services.context import Context

KIND = "roleplay"
MEETING_KIND = "meeting"  # a real meeting the user pasted in and had scored
KINDS = (KIND, MEETING_KIND)


class RolePlayResult(BaseModel):
    """A meeting as saved: transcript, the revealed answer and (once ended) its scorecard."""

    session_id: int
    real: bool = Field(False, description="A real meeting the user pasted in, not a practice role-play.")
    scenario: str = Field(PROMOTION, description="promotion, offer or interview (coach.domain.scenario).")
    counterpart: str = Field("", description="Who the user talked to in a scenario: manager, HR partner, "
                                             "interviewer; '' for the promotion meeting.")
    title: str = Field("", description="How the meeting is listed: date, answer and kind.")
    requested: str
    response_type: ResponseType | None = Field(None, description="None until revealed.")
    label: str = ""
    difficulty: Difficulty | None = Field(None, description="None for a real meeting.")
    seed: int
    status: Literal["active", "done"]
    date: str
    transcript: list[Turn]
    scorecard: Scorecard | None = None
    notices: list[str] = Field(default_factory=list)
    unused_lines: int = 0


# -- reading saved sessions ------------------------------------------------------------------
def _turns(ctx: Context, session_id: int) -> list[Turn]:
    turns = []
    for m in ctx.store.messages(session_id):
        speaker: Speaker = m.meta.get("speaker") or ("you" if m.role == "user" else "manager")
        turns.append(Turn.from_meta(speaker, m.content, m.meta))
    return turns


def _latest_cards(ctx: Context) -> dict[int, dict[str, Any]]:
    cards: dict[int, dict[str, Any]] = {}
    for row in ctx.store.scorecards():  # oldest first: later ones win
        cards[int(row["conversation_id"])] = row
    return cards


def _title(date: str, response_type: ResponseType | None, real: bool, scenario: str = PROMOTION) -> str:
    """'2025-06-02 · Not yet · real meeting': what a person recognises a meeting by."""
    if scenario != PROMOTION:  # '2025-06-02 · Offer conversation · practice'
        return f"{date} · {SCENARIO_LABELS.get(scenario, scenario)} · practice"
    answer = response_type.value.replace("-", " ").capitalize() if response_type else "answer hidden"
    return f"{date} · {answer} · {'real meeting' if real else 'practice'}"


def _meeting(ctx: Context, session_id: int):
    convo = ctx.store.get_conversation(session_id)
    if convo.kind not in KINDS:
        raise CoachError(f"conversation {session_id} is not a meeting", code="not-found", field="session")
    return convo


def get_session(ctx: Context, session_id: int) -> RolePlayResult:
    """A saved meeting (practice or real) with its transcript and latest scorecard; a practice
    meeting's answer shows once revealed."""
    convo = _meeting(ctx, session_id)
    meta = convo.meta
    real = convo.kind == MEETING_KIND
    row = _latest_cards(ctx).get(session_id)
    scenario = str(meta.get("scenario", PROMOTION))
    revealed = bool(meta.get("revealed")) and scenario == PROMOTION
    response_type = ResponseType(meta["response_type"]) if revealed else None
    date = convo.created_at[:10]
    return RolePlayResult(
        session_id=session_id, real=real, scenario=scenario, counterpart=str(meta.get("counterpart", "")),
        title=_title(date, response_type, real, scenario),
        requested=str(meta.get("requested", meta.get("response_type"))),
        response_type=response_type, label=load_persona(response_type).label if response_type else "",
        difficulty=None if real else Difficulty(meta.get("difficulty", "realistic")),
        seed=int(meta.get("seed", 0)),
        status="done" if meta.get("status") == "done" else "active", date=date,
        transcript=_turns(ctx, session_id), notices=[str(n) for n in meta.get("notices", [])],
        scorecard=Scorecard.model_validate(row["data"]) if row else None)


class SessionInfo(BaseModel):
    session_id: int
    real: bool = False
    scenario: str = PROMOTION
    title: str = ""
    date: str
    response_type: str
    difficulty: str
    status: str
    score: float | None = None


def list_meetings(ctx: Context) -> list[SessionInfo]:
    """Every practice role-play and scored real meeting, oldest first; an unrevealed `auto`
    answer shows as `auto`."""
    cards = _latest_cards(ctx)
    out = []
    for convo in sorted((c for kind in KINDS for c in ctx.store.conversations(kind)), key=lambda c: c.id):
        meta = convo.meta
        row = cards.get(convo.id)
        real = convo.kind == MEETING_KIND
        scenario = str(meta.get("scenario", PROMOTION))
        revealed = bool(meta.get("revealed")) and scenario == PROMOTION
        date = convo.created_at[:10]
        shown = meta.get("response_type", "") if revealed else AUTO if scenario == PROMOTION else scenario
        out.append(SessionInfo(
            session_id=convo.id, real=real, scenario=scenario,
            title=_title(date, ResponseType(meta["response_type"]) if revealed else None, real, scenario),
            date=date, response_type=shown,
            difficulty="" if real else meta.get("difficulty", ""), status=meta.get("status", ""),
            score=float(row["score"]) if row else None))
    return out


def delete_session(ctx: Context, session_id: int) -> SessionInfo:
    """Delete a saved meeting with its transcript and scorecards; returns what was deleted."""
    _meeting(ctx, session_id)
    info = next(s for s in list_meetings(ctx) if s.session_id == session_id)
    ctx.store.delete_conversation(session_id)
    return info


class CheckSideBySide(BaseModel):
    id: str
    step: str
    a: Verdict | None = None
    b: Verdict | None = None

    @property
    def changed(self) -> bool:
        return self.a != self.b


class Comparison(BaseModel):
    """Two meetings' scorecards side by side, check by check."""

    a: SessionInfo
    b: SessionInfo
    checks: list[CheckSideBySide]


def compare_sessions(ctx: Context, a: int, b: int) -> Comparison:
    """Per check, each meeting's verdict; and each meeting's score."""
    if a == b:
        raise CoachError("pick two different meetings to compare", code="same-meeting", field="session",
                         hint="Pick two different meetings.")
    first, second = get_session(ctx, a), get_session(ctx, b)
    infos = {s.session_id: s for s in list_meetings(ctx)}
    for result in (first, second):
        if result.scorecard is None:
            raise CoachError(f"meeting {result.session_id} has no scorecard yet",
                             hint="Finish the role-play first, or pick a scored meeting.")
    by_id: dict[str, CheckSideBySide] = {}
    for side, result in (("a", first), ("b", second)):
        for check in result.scorecard.checks if result.scorecard else []:
            key = _check_key(result.scenario, check.id)
            row = by_id.setdefault(key, CheckSideBySide(id=key, step=STEPS.get(key, check.step)))
            setattr(row, side, check.verdict)
    return Comparison(a=infos[a], b=infos[b], checks=list(by_id.values()))


def _check_key(scenario: str, check_id: str) -> str:
    """A check's id across scenarios: the promotion meeting's as it is, a scenario's prefixed
    ('interview:evidence'), so an interview's evidence is not counted as a meeting's."""
    return check_id if scenario == PROMOTION else f"{scenario}:{check_id}"


# -- progress --------------------------------------------------------------------------------
class ProgressPoint(BaseModel):
    session_id: int
    date: str
    verdict: Verdict


class CheckProgress(BaseModel):
    id: str
    step: str
    points: list[ProgressPoint]


class SessionScore(BaseModel):
    session_id: int
    real: bool = False
    scenario: str = PROMOTION
    date: str
    response_type: str
    difficulty: str
    score: float
    scored: int


class Progress(BaseModel):
    """Per check, its verdict in each scored session; and each session's overall score."""

    sessions: list[SessionScore]
    checks: list[CheckProgress]


def roleplay_progress(ctx: Context) -> Progress:
    """How each step of the conversation went across the scored role-plays, oldest first."""
    cards = _latest_cards(ctx)
    sessions: list[SessionScore] = []
    points: dict[str, list[ProgressPoint]] = {check_id: [] for check_id in STEPS}
    steps = dict(STEPS)
    for convo in sorted((c for kind in KINDS for c in ctx.store.conversations(kind)), key=lambda c: c.id):
        row = cards.get(convo.id)
        if row is None:
            continue
        card = Scorecard.model_validate(row["data"])
        date = convo.created_at[:10]
        scenario = str(convo.meta.get("scenario", PROMOTION))
        shown = card.response_type.value if card.response_type and scenario == PROMOTION else scenario
        sessions.append(SessionScore(session_id=convo.id, real=convo.kind == MEETING_KIND, date=date,
                                     scenario=scenario, response_type=shown,
                                     difficulty=card.difficulty, score=card.score, scored=card.scored))
        for check in card.checks:
            key = _check_key(scenario, check.id)
            steps.setdefault(key, check.step)
            points.setdefault(key, []).append(
                ProgressPoint(session_id=convo.id, date=date, verdict=check.verdict))
    checks = [CheckProgress(id=cid, step=steps.get(cid, cid), points=pts) for cid, pts in points.items()]
    return Progress(sessions=sessions, checks=checks)


# -- summary for the follow-up email ----------------------------------------------------------
NEXT_STEP = re.compile(
    r"\b(i'?ll|i will|we'?ll|we will|let'?s|let us|you'?ll)\s+(\w+\s+)?(send|raise|put|follow|check|confirm|"
    r"write|talk|look|review|schedule|share|take|start|ask|book|revisit|draft|track|meet|set)\b|"
    r"\b(follow[- ]up|check in|recap|revisit|calendar|in writing|by email)\b", re.IGNORECASE)


def mentioned_times(said: Iterable[str]) -> list[str]:
    """The timeline phrases ("next quarter", "in March") in these sentences, once each."""
    times: list[str] = []
    for s in said:
        for match in PATTERNS["timeline"].finditer(s):
            phrase = match.group(0).strip()
            if phrase.lower() not in (t.lower() for t in times):
                times.append(phrase)
    return times


def session_summary(ctx: Context, session_id: int) -> str:
    """A factual summary of a role-play: the answer, what was asked, next steps, any timeline.

    Built from the saved transcript only (no model), so it never adds anything that was not said.
    """
    session = get_session(ctx, session_id)
    if session.scenario != PROMOTION:
        what = SCENARIO_LABELS.get(session.scenario, session.scenario).lower()
        raise CoachError(f"meeting {session_id} is a practice {what}, not a promotion meeting",
                         code="not-promotion", field="session",
                         hint="Pick a promotion meeting.")
    actual = load_persona(_meeting(ctx, session_id).meta["response_type"])
    said = [(t.speaker, s) for t in session.transcript if t.move != "opening" for s in sentences(t.text)]
    questions = [s for who, s in said if who == "you" and s.endswith("?")]
    steps = [(who, s) for who, s in said if NEXT_STEP.search(s) and not s.endswith("?")]
    times = mentioned_times(s for _, s in said)
    answer = (f"The manager's answer: {actual.label.lower()}." if session.response_type
              else "The manager's answer has not been revealed yet: the meeting is still open.")
    lines = [f"Real promotion meeting on {session.date}." if session.real or session.difficulty is None else
             f"Practice promotion meeting on {session.date} ({session.difficulty.value} difficulty).", answer]
    if questions:
        lines.append("You asked: " + " ".join(f'"{q}"' for q in questions))
    else:
        lines.append("You asked no questions.")
    if steps:
        lines.append("Next steps mentioned: " + " ".join(
            f'"{s}" ({"you" if who == "you" else "manager"})' for who, s in steps))
    else:
        lines.append("No next steps were agreed.")
    lines.append("Timeline mentioned: " + (", ".join(times) + "." if times else "none."))
    return "\n".join(lines)
