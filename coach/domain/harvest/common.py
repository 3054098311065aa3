"""What every source reader shares: refusing text that is not text, and cutting at a space."""

from __future__ import annotations

from coach.domain.errors import CoachError

_REPLACEMENT = "\ufffd"


def check_text(text: str, what: str) -> str:
    """The text without a leading byte-order mark; a CoachError if it is empty or binary.

    A NUL character or a run of undecodable bytes means the file was not text: an image, an
    archive, a spreadsheet saved in its own format.
    """
    text = text.removeprefix("\ufeff")
    sample = text[:65_536]
    if "\x00" in sample or sample.count(_REPLACEMENT) > max(8, len(sample) // 100):
        raise CoachError(f"the file is not text, so it cannot be {what}", code="binary",
                         field="file", hint="Give the exported text file itself.")
    if not text.strip():
        raise CoachError(f"the file is empty, so it cannot be {what}", code="empty",
                         field="file", hint="Give the exported file itself.")
    return text


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a space (a figure is never split) and marked."""
    if len(text) <= limit:
        return text
    at = max(text.rfind(" ", 0, limit - 2), text.rfind("\n", 0, limit - 2))
    return text[:at if at > 0 else limit - 2].rstrip() + " …"
