"""Concurrent web sessions on the fake model: every session completes and sees only its own data.

The full run (20 sessions, timed) is `python -m bench.bench_load`; this is its quick CI slice.
It checks behaviour, not timing: a shared CI machine says nothing about milliseconds.
"""

from bench.bench_load import run


def test_sessions_complete_without_crosstalk():
    out = run(sessions=3, users=2, turns=2, seconds=60.0, think=0.0)
    assert out.errors == []
    assert out.completed == 3
    assert out.crosstalk == []
    assert len(out.overhead_ms["chat"]) == 6
    assert len(out.overhead_ms["role-play"]) == 6
