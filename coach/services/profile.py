"""Set and read the user's goal."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from coach.domain.errors import CoachError
from coach.domain.profile import Profile
from coach.domain.validation import explain
from coach.services.context import Context
from coach.services.inputs import require_profile


def get_profile(ctx: Context) -> Profile:
    """The saved profile, or a clear error saying how to create one."""
    return require_profile(ctx)


def set_profile(ctx: Context, changes: dict[str, Any], *, clear_signals: bool = False,
                add_signals: list[str] | None = None) -> Profile:
    """Create or update the profile; unspecified fields keep their saved values."""
    current = ctx.store.get_profile()
    data = current.model_dump() if current else {}
    data.update({k: v for k, v in changes.items() if v is not None})
    signals = [] if clear_signals else list(data.get("signals", []))
    signals += add_signals or []
    data["signals"] = signals
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise CoachError(f"profile not saved: {explain(exc)}",
                         hint="Nothing was changed.") from None
    return ctx.store.save_profile(profile)
