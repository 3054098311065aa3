"""Opening a meeting: which answer the manager gives, who they are and what they know."""

from __future__ import annotations

import datetime as dt
import random

from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.domain.readiness import assess_readiness
from coach.domain.roleplay import (
    AUTO,
    Meeting,
    asked_criteria,
    choose_response_type,
    parse_response_type,
    pick_facts,
    specifics_for,
)
from coach.domain.timing import assess_timing
from coach.prompts import load_difficulty, load_persona
from coach.services.context import Context
from coach.services.inputs import load_inputs
from coach.services.roleplay.criteria import ASKED_MAX, level_criteria
from coach.services.roleplay.history import KIND
from coach.services.roleplay.session import RolePlaySession


def start_roleplay(ctx: Context, response: str = AUTO, difficulty: str = "realistic", *,
                   seed: int | None = None, today: dt.date | None = None) -> RolePlaySession:
    """Open a meeting with a mock manager who gives `response` (or, for `auto`, the likely answer).

    Args:
        ctx: the user's context (profile and log are read from its store).
        response: a `ResponseType` value, or `auto`.
        difficulty: a `Difficulty` value.
        seed: makes the manager's lines and the `auto` answer repeatable; random when None.
        today: the date readiness and timing are judged at (defaults to today).
    """
    requested = str(response).strip().lower()
    params = load_difficulty(difficulty)
    if requested != AUTO:
        parse_response_type(requested)
    profile, entries = load_inputs(ctx)
    today = today or dt.date.today()
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    readiness = _readiness(ctx, profile, entries, today)
    if requested == AUTO:
        timing = assess_timing(profile, entries, today=today)
        response_type = choose_response_type(readiness.score if readiness else 0.0, timing.verdict, seed)
    else:
        response_type = parse_response_type(requested)
    persona = load_persona(response_type)
    # With a career framework, the manager's probes ask how the user's work shows the target
    # level's criteria (those no entry shows yet first), and the gaps are named in its words.
    criteria = level_criteria(ctx, today)
    asked = asked_criteria(criteria)[:ASKED_MAX]
    if criteria:
        gaps = [c.text.rstrip(".") for c in criteria if not c.entries]
    else:
        gaps = [g.title for g in readiness.gaps] if readiness else []
    meeting = Meeting(persona, params, profile, pick_facts(entries, params.facts_known),
                      specifics_for(persona, gaps), seed, criteria=asked)
    convo = ctx.store.new_conversation(KIND, title=f"Role-play: {profile.target_title}", meta={
        "requested": requested, "response_type": response_type.value, "revealed": requested != AUTO,
        "difficulty": params.level.value, "persona": f"{meeting.manager_name} ({persona.label})",
        "status": "active", "seed": seed, "model": getattr(ctx.llm, "model", ""),
    })
    return RolePlaySession(ctx, meeting, requested=requested, entries=entries,
                           conversation_id=convo.id, today=today)


def _readiness(ctx: Context, profile: Profile, entries: list[Entry], today: dt.date):
    from coach.services.readiness import load_expectations

    return assess_readiness(profile, entries, load_expectations(ctx, profile.transition).items, today=today)

