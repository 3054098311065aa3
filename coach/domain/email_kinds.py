"""The four emails the coach drafts, in the order the journey uses them (a module of its own:
the command line lists them without loading the email rules)."""

from __future__ import annotations

from typing import Literal, get_args

EmailKind = Literal["meeting-request", "follow-up", "decline", "thank-you"]
EMAIL_KINDS: tuple[str, ...] = get_args(EmailKind)
