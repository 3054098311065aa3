"""Timing use case: is now a good moment to ask, and when to look again."""

from __future__ import annotations

import datetime as dt

from coach.domain.timing import Timing, assess_timing
from coach.services.context import Context
from coach.services.inputs import load_inputs, today_or
from coach.services.stakeholders import timing_reasons


def timing(ctx: Context, today: dt.date | None = None) -> Timing:
    """Apply the timing rules to the profile and log; saved as the latest timing check."""
    profile, entries = load_inputs(ctx)
    result = assess_timing(profile, entries, today=today_or(today),
                           extra=timing_reasons(ctx, today))
    ctx.store.save_artifact("timing", "latest", result.model_dump_json(indent=2),
                            {"verdict": result.verdict})
    return result
