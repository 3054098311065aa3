"""`coach status`, `coach remind`, `coach update`: the weekly habit that keeps the log full."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Filled in by the habit work (issue 20)."""
