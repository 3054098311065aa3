"""Shipped data, read with `importlib.resources` so an installed wheel works like a checkout.

The repository keeps its data folders at the top (`prompts/`, `knowledge/`); the build maps
them into this package (`coach.assets.prompts`, `coach.assets.knowledge`, see pyproject.toml),
so code never finds them through a path relative to the repository. `scripts/` holds the
sample role-play scripts: what a user might say, a strong and a weak meeting per answer.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str, *parts: str) -> Path:
    # Packages are installed as folders (never zipped), so the Traversable is a real path:
    # the index and the manifest need file names and modification times.
    return Path(str(files(package).joinpath(*parts)))


def prompts_dir() -> Path:
    """The prompt files (`prompts/` in the repository)."""
    return _folder("coach.assets.prompts")


def guides_dir() -> Path:
    """The guidance library, in our own words (`knowledge/` in the repository)."""
    return _folder("coach.assets.knowledge")


def scripts_dir() -> Path:
    """The sample role-play scripts, `<response>-<strong|weak>.txt`."""
    return _folder("coach.assets", "scripts")
