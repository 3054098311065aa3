"""Markdown files: the proposal and the talk track as the user reads them."""

from __future__ import annotations

from pathlib import Path

from coach.export import save


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text, creating the folder; a clear error if the place is not writable."""
    body = text if text.endswith("\n") else text + "\n"
    return save(path, lambda target: target.write_text(body, encoding="utf-8"))
