"""Writing drafts to files people use elsewhere: Markdown, Word, email and calendar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coach.domain.errors import CoachError


def save(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Create the folder and call `write(target)`; a clear error if the place is not writable."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target)
    except OSError as exc:
        raise CoachError(f"could not write {target}: {exc.strerror or exc}",
                         code="cannot-write", field="out") from exc
    return target
