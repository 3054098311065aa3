"""A realistic sample profile and impact log, so a first-time user can try every step at once.

Dates count back from today so the sample always looks current (and passes the log's
date checks). The log deliberately leaves one next-level expectation uncovered and two
entries without a measured result, so readiness has gaps and a plan to show.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft, Kind
from coach.domain.profile import Profile, Signal, Transition
from coach.services.context import Context


class SampleResult(BaseModel):
    profile: Profile
    entries: list[Entry]


def _review_month(today: dt.date) -> int:
    # Two months out: the review cycle is close enough to matter, not yet under way.
    return (today.month + 1) % 12 + 1


def sample_profile(today: dt.date | None = None) -> Profile:
    today = today or dt.date.today()
    return Profile(
        name="Sam Rivera",
        manager_name="Priya Shah",
        email="sam.rivera@example.com",
        manager_email="priya.shah@example.com",
        current_title="Tech Lead",
        target_title="Engineering Manager",
        transition=Transition.LEAD_TO_MANAGER,
        months_in_role=16,
        review_month=_review_month(today),
        signals=[Signal.RECENT_WIN, Signal.TEAM_GROWING],
    )


# (days ago, title, description, metric, kind, next level)
_ENTRIES: list[tuple[int, str, str, str, Kind, bool]] = [
    (20, "Led the checkout service move to the new platform",
     "Planned the cut-over in three stages with two other engineers and rolled back nothing.",
     "cut p95 latency from 900 ms to 350 ms", Kind.LEADERSHIP, True),
    (45, "Hired two backend engineers",
     "Ran 14 interviews, wrote the take-home exercise and its scoring guide.",
     "2 hires in 6 weeks", Kind.MENTORING, True),
    (75, "Weekly one-on-ones with three engineers",
     "Wrote a growth plan with each of them; one was promoted to senior this cycle.",
     "1 promotion out of 3 reports", Kind.MENTORING, False),
    (110, "Drafted the team's quarterly roadmap",
     "Ranked twelve requests by impact and effort and explained the cut line to the team.",
     "", Kind.STRATEGY, False),
    (140, "Reduced on-call pages",
     "Removed noisy alerts and fixed the two flakiest jobs.",
     "pages down 60% (45 to 18 a month)", Kind.RESULT, False),
    (170, "Wrote the incident review process",
     "A one-page template and a weekly slot; now used by all four teams in the group.",
     "", Kind.RESPONSIBILITY, False),
    (200, "Finished the internal course for new managers",
     "Eight sessions on feedback, delegation and hiring.",
     "8-week course", Kind.LEARNING, False),
]


def sample_entries(today: dt.date | None = None) -> list[EntryDraft]:
    today = today or dt.date.today()
    return [
        EntryDraft(date=today - dt.timedelta(days=days), title=title, description=description,
                   metric=metric, kind=kind, next_level=next_level, source="sample data")
        for days, title, description, metric, kind, next_level in _ENTRIES
    ]


def load_sample(ctx: Context, *, today: dt.date | None = None, force: bool = False) -> SampleResult:
    """Save the sample profile and log into an empty data home.

    Args:
        ctx: the user's context.
        today: the date the sample counts back from.
        force: load even when the home already has a profile or entries (adds to them).
    """
    if not force and (ctx.store.get_profile() is not None or ctx.store.count_entries()):
        raise CoachError("this data home already has a goal or log entries",
                         hint="The sample is for a fresh start; your own data was left as it is.")
    profile = ctx.store.save_profile(sample_profile(today))
    entries = ctx.store.add_entries(sample_entries(today))
    return SampleResult(profile=profile, entries=entries)
