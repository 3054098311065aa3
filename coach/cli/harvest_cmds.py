"""`coach log harvest | inbox | accept | reject`: evidence drafted from where work happens."""

from __future__ import annotations

import argparse


def register_log(lsub: argparse._SubParsersAction) -> None:
    """Adds the harvest and inbox actions to `coach log` (issue 20)."""
