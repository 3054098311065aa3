"""What the use cases read first: the saved profile (or how to create one), the log, the date."""

from __future__ import annotations

import datetime as dt

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.services.context import Context


def require_profile(ctx: Context) -> Profile:
    """The saved profile, or a CoachError (code `no-profile`) each face words as its own fix."""
    profile = ctx.store.get_profile()
    if profile is None:
        raise CoachError("no profile yet: the coach needs your current and target role first",
                         code="no-profile")
    return profile


def load_inputs(ctx: Context) -> tuple[Profile, list[Entry]]:
    return require_profile(ctx), ctx.store.list_entries()


def today_or(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
