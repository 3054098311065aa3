"""`coach log link | unlink`: confirm or reject the link between an entry and a criterion."""

from __future__ import annotations

import argparse


def register_log(lsub: argparse._SubParsersAction) -> None:
    """Adds the link actions to `coach log` (issue 19)."""
