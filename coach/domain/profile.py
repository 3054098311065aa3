"""The user's goal: where they are, where they want to go, and the signals around them."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coach.domain.limits import BUDGET
from coach.domain.responses import ResponseType
from coach.domain.text import clean_line
from coach.domain.validation import InputError


class Transition(StrEnum):
    IC_TO_LEAD = "ic-to-lead"
    SENIOR_TO_STAFF = "senior-to-staff"  # senior individual contributor to staff or principal
    LEAD_TO_MANAGER = "lead-to-manager"
    MANAGER_TO_DIRECTOR = "manager-to-director"
    OTHER = "other"


class Signal(StrEnum):
    # Good times to ask.
    RECENT_WIN = "recent-win"
    REVIEW_CYCLE = "review-cycle"
    COMPANY_GROWING = "company-growing"
    TEAM_GROWING = "team-growing"
    FINANCIALS_STRONG = "financials-strong"
    # Bad times to ask.
    LAYOFFS = "layoffs"
    HIRING_FREEZE = "hiring-freeze"
    RECENT_MISTAKE = "recent-mistake"
    MANAGER_OVERLOADED = "manager-overloaded"
    FINANCIALS_WEAK = "financials-weak"
    # Whether to stay or move on (coach/domain/options.py); no bearing on the timing check.
    PASSED_OVER = "passed-over"
    NO_PATH = "no-path"
    POLITICS = "politics"
    COMPANY_STAGNANT = "company-stagnant"
    MAXED_OUT = "maxed-out"


GOOD_SIGNALS = frozenset(
    {
        Signal.RECENT_WIN,
        Signal.REVIEW_CYCLE,
        Signal.COMPANY_GROWING,
        Signal.TEAM_GROWING,
        Signal.FINANCIALS_STRONG,
    }
)
MOVING_ON_SIGNALS = frozenset(
    {Signal.PASSED_OVER, Signal.NO_PATH, Signal.POLITICS, Signal.COMPANY_STAGNANT,
     Signal.MAXED_OUT}
)
BAD_SIGNALS = frozenset(set(Signal) - GOOD_SIGNALS - MOVING_ON_SIGNALS)
MAX_TIMES_PASSED_OVER = 50

MAX_MONTHS_IN_ROLE = 600  # fifty years: anything above is a typo
# One plain address: no display name, no list, nothing a mail header could read as two.
EMAIL_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}")


def email_or_blank(value: object) -> object:
    """A field validator's body for an e-mail address: cleaned, empty allowed, else one plain
    address (`EMAIL_ADDRESS`); a non-string is left to pydantic."""
    if not isinstance(value, str):
        return value
    value = clean_line(value)
    if value and not EMAIL_ADDRESS.fullmatch(value):
        raise InputError("bad-email", f"'{value[:80]}' is not an e-mail address (it looks "
                                      "like name@example.com)")
    return value

class Profile(BaseModel):
    """Current and target role, tenure and the company signals that bear on timing."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    name: str = Field("", max_length=BUDGET["name"], description="How the user signs emails.")
    email: str = Field("", max_length=BUDGET["email"], description="The user's e-mail address.")
    manager_name: str = Field("", max_length=BUDGET["manager_name"],
                              description="Who the user reports to.")
    manager_email: str = Field("", max_length=BUDGET["email"],
                               description="The manager's e-mail address.")
    current_title: str = Field(..., min_length=1, max_length=BUDGET["current_title"])
    target_title: str = Field(..., min_length=1, max_length=BUDGET["target_title"])
    transition: Transition
    months_in_role: int = Field(..., ge=0, le=MAX_MONTHS_IN_ROLE)
    review_month: int | None = Field(None, ge=1, le=12, description="Month of the review cycle.")
    signals: list[Signal] = Field(default_factory=list)
    times_passed_over: int = Field(0, ge=0, le=MAX_TIMES_PASSED_OVER,
                                   description="How often the user was passed over for it.")
    last_answer: ResponseType | None = Field(None, description="The manager's last answer.")

    @field_validator("name", "manager_name", "current_title", "target_title", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        return clean_line(value) if isinstance(value, str) else value

    @field_validator("last_answer", mode="before")
    @classmethod
    def _no_answer(cls, value: object) -> object:
        return None if value in ("", "none") else value

    @field_validator("months_in_role", "review_month", "times_passed_over", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        if isinstance(value, bool):  # pydantic would store true as 1
            raise ValueError(f"expected a whole number, not {str(value).lower()}")
        return value

    @field_validator("email", "manager_email", mode="before")
    @classmethod
    def _email(cls, value: object) -> object:
        return email_or_blank(value)

    @field_validator("signals")
    @classmethod
    def _dedupe(cls, value: list[Signal]) -> list[Signal]:
        return list(dict.fromkeys(value))

    @property
    def good_signals(self) -> list[Signal]:
        return [s for s in self.signals if s in GOOD_SIGNALS]

    @property
    def bad_signals(self) -> list[Signal]:
        return [s for s in self.signals if s in BAD_SIGNALS]

    @property
    def moving_on_signals(self) -> list[Signal]:
        return [s for s in self.signals if s in MOVING_ON_SIGNALS]
