"""The one error type the faces turn into a clear message."""

from __future__ import annotations


class CoachError(Exception):
    """A problem the user can fix.

    The core says what was wrong in plain words and never names a command, a flag or a
    button: each face (the CLI, the page, the API) adds its own way to fix it, looked up by
    `code`, and points at its own control for `field`.

    Attributes:
        message: what was wrong.
        code: a stable machine code (`no-profile`, `bad-date`, `not-found`, ...).
        field: the input the problem is about (`date`, `title`, `summary`, ...), if one is.
        hint: how to fix it, in words that hold on every face; None leaves it to the face.
    """

    exit_code = 1

    def __init__(self, message: str, *, code: str = "invalid", field: str | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message
