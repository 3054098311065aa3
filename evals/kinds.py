"""The kinds of model output the evals score (a module of its own: `coach eval --help` lists
them without loading the datasets' models)."""

from __future__ import annotations

from enum import StrEnum


class OutputKind(StrEnum):
    """Every kind of model output the app shows a user."""

    PROPOSAL = "proposal"
    MEETING_REQUEST = "meeting-request"
    FOLLOW_UP = "follow-up"
    DECLINE = "decline"
    THANK_YOU = "thank-you"
    SCRIPT = "script"
    CHAT = "chat"
    ROLEPLAY = "roleplay"

    @property
    def is_email(self) -> bool:
        return self in EMAIL_KINDS


EMAIL_KINDS = frozenset({OutputKind.MEETING_REQUEST, OutputKind.FOLLOW_UP, OutputKind.DECLINE,
                         OutputKind.THANK_YOU})
