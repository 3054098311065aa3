"""A framework's criteria in the search index: one passage per criterion, with its level and
area, so the chat and `coach search` find what a level expects."""

from __future__ import annotations

from coach.domain.framework.model import Framework
from coach.services.context import Context


def index_framework(ctx: Context, framework: Framework) -> int:
    """Index every criterion of `framework` (replacing an earlier copy); returns the count."""
    return 0


def drop_framework(ctx: Context, framework_id: str) -> None:
    """Remove the framework's criteria from the index."""
