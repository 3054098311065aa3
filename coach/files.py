"""Reading a file a user names: its size is checked before a byte is read, and the read is
bounded, so a 1 GB file (or a pipe that never ends) costs no more memory than the limit."""

from __future__ import annotations

import math
from pathlib import Path

from coach.domain.errors import CoachError

_CHUNK = 1024 * 1024


def _size(n: int) -> str:
    """Bytes in words, rounded up, so a file just over a limit never reads as equal to it."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if n >= unit:
            return f"{n // unit} {name}" if n % unit == 0 else f"{math.ceil(n * 10 / unit) / 10} {name}"
    return f"{n} bytes"


def too_big(path: Path, limit: int, what: str, size: int | None = None) -> CoachError:
    """The error for a file over `limit` bytes (`size` None: only known to be over it)."""
    how_big = _size(size) if size is not None else f"over {_size(limit)}"
    return CoachError(f"{path.name} is {how_big}; the limit is {_size(limit)} for {what}",
                      code="too-big", field="file",
                      hint="Split it, or keep only the part you need.")


def read_bounded(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, refused as soon as it is known to hold more than `limit`.

    `stat` refuses a large regular file before it is opened; the read itself stops one chunk
    past the limit, for files whose size `stat` does not tell (pipes, `/proc`, a file that
    grew in between).

    Args:
        path: the file the user named.
        limit: the most bytes accepted.
        what: what the file is, for the message ("an impact-log import").
    """
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CoachError(f"could not read {path}: {exc.strerror or exc}", code="not-found",
                         field="file", hint="Check the path.") from None
    if size > limit:
        raise too_big(path, limit, what, size)
    chunks: list[bytes] = []
    total = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(min(_CHUNK, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise too_big(path, limit, what)
    except OSError as exc:
        raise CoachError(f"could not read {path}: {exc.strerror or exc}", field="file",
                         hint="Check that the file is readable by you.") from None
    return b"".join(chunks)
