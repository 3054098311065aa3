"""Stopping the servers a bench starts."""

from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen, timeout: float) -> None:
    """Ask `proc` to end (SIGTERM), kill it if it has not within `timeout` s, and reap it."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
