"""What the use cases read first: the saved profile (or how to create one), the log, the date."""

from __future__ import annotations

import datetime as dt

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.services.context import Context

NO_PROFILE = ("No profile yet: run `coach profile set --current-title ... --target-title ... "
              "--transition ... --months-in-role N` first.")


def require_profile(ctx: Context) -> Profile:
    """The saved profile, or a CoachError saying how to create one."""
    profile = ctx.store.get_profile()
    if profile is None:
        raise CoachError(NO_PROFILE, code="no-profile")
    return profile


def load_inputs(ctx: Context) -> tuple[Profile, list[Entry]]:
    return require_profile(ctx), ctx.store.list_entries()


def today_or(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
