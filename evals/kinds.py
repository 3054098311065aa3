"""The kinds of output the evals score (a module of its own: `coach eval --help` lists them
without loading the datasets' models)."""

from __future__ import annotations

from enum import StrEnum


class OutputKind(StrEnum):
    """Every kind of output the app shows a user: model-written, or built by rules alone."""

    PROPOSAL = "proposal"
    MEETING_REQUEST = "meeting-request"
    FOLLOW_UP = "follow-up"
    DECLINE = "decline"
    THANK_YOU = "thank-you"
    SCRIPT = "script"
    CHAT = "chat"
    ROLEPLAY = "roleplay"
    # issue 21: built by rules alone (recorded by running the service, no model)
    STAKEHOLDERS = "stakeholders"
    OFFER_CHECK = "offer-check"
    OPTIONS = "options"
    KIT = "kit"
    # issue 21: model-written after a yes (coach/services/offer_emails.py)
    OFFER_CONFIRMATION = "offer-confirmation"
    HELPER_THANKS = "helper-thanks"
    # issue 21: model-written role-plays beside the promotion meeting (coach/services/scenario)
    OFFER_ROLEPLAY = "offer-roleplay"
    INTERVIEW_ROLEPLAY = "interview-roleplay"
    # issue 21: built by rules alone after a no (coach/services/agreed_plan.py)
    AGREED_PLAN = "agreed-plan"

    @property
    def is_email(self) -> bool:
        return self in EMAIL_KINDS

    @property
    def is_deterministic(self) -> bool:
        """Built by the domain's rules with no model: replayed and live outputs are the same."""
        return self in DETERMINISTIC_KINDS


EMAIL_KINDS = frozenset({OutputKind.MEETING_REQUEST, OutputKind.FOLLOW_UP, OutputKind.DECLINE,
                         OutputKind.THANK_YOU})
DETERMINISTIC_KINDS = frozenset({OutputKind.STAKEHOLDERS, OutputKind.OFFER_CHECK, OutputKind.OPTIONS,
                                 OutputKind.KIT, OutputKind.AGREED_PLAN})
