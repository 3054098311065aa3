"""Opening a scenario: its brief, the user's facts (the saved offer, the profile, the log), the
conversation saved with its meta; and a whole scripted run (`play_scenario`)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from coach.assets import prompts_dir
from coach.domain.errors import CoachError
from coach.domain.roleplay import parse_difficulty, pick_facts
from coach.domain.scenario import (
    SCENARIO_LABELS,
    InterviewPlan,
    OfferPlan,
    Scenario,
    ScenarioBrief,
    parse_scenario,
)
from coach.domain.validation import explain
from coach.services.context import Context
from coach.services.inputs import load_inputs
from coach.services.offer import get_offer
from coach.services.roleplay.history import KIND, RolePlayResult
from coach.services.scenario.session import ScenarioSession

BRIEFS = ("personas", "scenarios")
CV_FACTS = 3  # log entries the interviewer has read on the CV
NO_OFFER = ("No offer is saved, so the package was described without any figure: save your real offer "
            "(title, pay, scope, benefits, start date) to rehearse it with its own figures.")
EMPTY_LOG = ("Your impact log is empty, so the interviewer had no results of yours to read: log a few "
             "results to rehearse your story with them.")


@lru_cache(maxsize=8)
def _load_brief(path: Path, mtime: float) -> ScenarioBrief:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        brief = ScenarioBrief.model_validate(data)
    except yaml.YAMLError as exc:
        raise CoachError(f"{path.name} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        raise CoachError(f"scenario file {path.name}: {explain(exc)}") from None
    if brief.scenario.value != path.stem:
        raise CoachError(f"scenario file {path.name} declares scenario '{brief.scenario}'")
    return brief


def load_brief(scenario: Scenario | str, directory: Path | None = None) -> ScenarioBrief:
    """The brief of a scenario (`prompts/personas/scenarios/<scenario>.yaml`)."""
    kind = parse_scenario(scenario)
    path = (directory or prompts_dir().joinpath(*BRIEFS)) / f"{kind.value}.yaml"
    if not path.is_file():
        raise CoachError(f"no scenario file for '{kind}' in {path.parent}")
    return _load_brief(path, path.stat().st_mtime)


def start_scenario(ctx: Context, scenario: str, *, difficulty: str = "realistic", seed: int | None = None,
                   today: dt.date | None = None) -> ScenarioSession:
    """Open a scenario: `offer` (the saved offer presented) or `interview` (another company).

    Args:
        ctx: the user's context (profile, log and offer are read from its store).
        scenario: `offer` or `interview`.
        difficulty: `easy`, `realistic` or `tough`.
        seed: makes the counterpart and the prepared lines repeatable; random when None.
        today: the date the session is held (defaults to today).
    """
    kind = parse_scenario(scenario)
    level = parse_difficulty(difficulty)
    brief = load_brief(kind)
    profile, entries = load_inputs(ctx)
    today = today or dt.date.today()
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    who = random.Random(f"{seed}:counterpart").randrange(len(brief.counterparts))
    offer = get_offer(ctx) if kind is Scenario.OFFER else None
    notices: list[str] = []
    plan: OfferPlan | InterviewPlan
    if kind is Scenario.OFFER:
        plan = OfferPlan(brief, level, profile, offer, seed, who)
        if offer is None:
            notices.append(NO_OFFER)
    else:
        plan = InterviewPlan(brief, level, profile, pick_facts(entries, CV_FACTS), seed, who)
        if not entries:
            notices.append(EMPTY_LOG)
    title = f"{SCENARIO_LABELS[kind.value]}: {profile.target_title}"
    convo = ctx.store.new_conversation(KIND, title=title, meta={
        "scenario": kind.value, "requested": kind.value, "difficulty": level.value, "seed": seed,
        "status": "active", "counterpart": plan.counterpart.label, "revealed": False,
        "offer_saved": offer is not None, "notices": notices, "model": getattr(ctx.llm, "model", ""),
    })
    return ScenarioSession(ctx, plan, entries=entries, offer=offer, conversation_id=convo.id, today=today,
                           notices=notices)


def play_scenario(ctx: Context, scenario: str, lines: Sequence[str], *, difficulty: str = "realistic",
                  seed: int | None = None, today: dt.date | None = None) -> RolePlayResult:
    """Play a whole scenario from scripted user lines, then score it. Lines after the counterpart
    ended the conversation are not said (`unused_lines` counts them); `/end` stops there."""
    session = start_scenario(ctx, scenario, difficulty=difficulty, seed=seed, today=today)
    unused = 0
    for line in lines:
        if line.strip().lower() == "/end":
            break
        if session.ended:
            unused += 1
            continue
        session.say(line)
    result = session.end()
    result.unused_lines = unused
    if unused:
        said = session.plan.state.user_turns
        result.notices.append(f"The {session.who} ended the conversation after {said} of your lines; "
                              f"{unused} line(s) of the script were not said.")
    return result
