"""The four emails the coach drafts, in the order the journey uses them (a module of its own:
the command line lists them without loading the email rules)."""

from __future__ import annotations

from typing import Literal, get_args

EmailKind = Literal["meeting-request", "follow-up", "decline", "thank-you"]
EMAIL_KINDS: tuple[str, ...] = get_args(EmailKind)

# The emails after a yes (the agreed offer in writing, thanks to the people who helped): kinds
# of their own, drafted by their own service and prompts, so the four above render as before.
AFTER_YES_KINDS: tuple[str, ...] = ("offer-confirmation", "helper-thanks")
