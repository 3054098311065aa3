"""Markdown files: the proposal and the talk track as the user reads them."""

from __future__ import annotations

from pathlib import Path

from coach.domain.errors import CoachError


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text, creating the folder; a clear error if the place is not writable."""
    target = Path(path).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"could not write {target}: {exc.strerror or exc}",
                         hint="Pick a folder you can write to with --out.") from exc
    return target
