"""The one error type the faces turn into a clear message."""


class CoachError(Exception):
    """A problem the user can fix; the message says what was wrong and how to fix it."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message
