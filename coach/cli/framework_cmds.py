"""`coach framework`: your company's career framework (import, list, show, rm)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Filled in by the framework work (issue 19)."""
