"""The five answers a manager can give to a promotion request, and how hard the practice
manager is: the role-play's vocabulary, in a module of its own so the command line can list
the choices without loading the meeting rules."""

from __future__ import annotations

from enum import StrEnum


class ResponseType(StrEnum):
    YES = "yes"
    NOT_YET = "not-yet"
    NO_BUDGET = "no-budget"
    NOT_READY = "not-ready"
    NO_FIT = "no-fit"


AUTO = "auto"
RESPONSE_CHOICES = (*[t.value for t in ResponseType], AUTO)


class Difficulty(StrEnum):
    EASY = "easy"
    REALISTIC = "realistic"
    TOUGH = "tough"
