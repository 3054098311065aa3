"""Stay or go (`coach options`) and the external move kit (`coach kit`): the domain's rules
applied to the saved profile, log, plan and the last scored real meeting. No model."""

from __future__ import annotations

import datetime as dt

from coach.domain.kit import Kit, build_kit
from coach.domain.options import Options, Situation, decide
from coach.domain.plan import DevelopmentPlan
from coach.domain.profile import Profile
from coach.domain.readiness import assess_readiness
from coach.domain.responses import ResponseType
from coach.domain.timing import assess_timing
from coach.services import plan as plan_service
from coach.services.context import Context
from coach.services.inputs import load_inputs, today_or
from coach.services.readiness import load_expectations

# Real meetings pasted in and scored (coach.services.roleplay.history.MEETING_KIND); named
# here so that reading them does not load the meeting rules.
MEETING_KIND = "meeting"


def last_answer(ctx: Context, profile: Profile) -> tuple[ResponseType | None, str]:
    """The manager's last answer and where it comes from: the profile's, else the latest
    scored real meeting's."""
    if profile.last_answer is not None:
        return profile.last_answer, "from your profile"
    for convo in reversed(ctx.store.conversations(MEETING_KIND)):
        value = convo.meta.get("response_type")
        if convo.meta.get("status") == "done" and value in set(ResponseType):
            return ResponseType(value), f"from the real meeting of {convo.created_at[:10]}"
    return None, ""


def situation(ctx: Context, today: dt.date | None = None) -> Situation:
    today = today_or(today)
    profile, entries = load_inputs(ctx)
    answer, source = last_answer(ctx, profile)
    # Read, not saved: asking for options leaves the latest readiness report as it was.
    ready = assess_readiness(profile, entries, load_expectations(ctx, profile.transition).items,
                             today=today)
    raw = ctx.store.get_value(plan_service.PLAN_KEY)
    plan = DevelopmentPlan.model_validate(raw) if raw else None
    return Situation(signals=profile.signals, times_passed_over=profile.times_passed_over,
                     last_answer=answer, answer_from=source, gaps=len(ready.gaps),
                     expectations=len(ready.gaps) + len(ready.covered),
                     timing=assess_timing(profile, entries, today=today).verdict,
                     plan_items=len(plan.open_items()) if plan else 0,
                     revisit=plan_service.review_date(profile, today))


def options(ctx: Context, today: dt.date | None = None) -> Options:
    """Build and ask again, ask again now, or look outside, with the rules that decided it."""
    return decide(situation(ctx, today))


def kit(ctx: Context) -> Kit:
    """The answer to "tell me about your current role", a profile summary and the titles to
    search for, from the profile and the log."""
    profile, entries = load_inputs(ctx)
    return build_kit(profile, entries)
