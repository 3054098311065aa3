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
    # The server, as `coach ui` does, froze its start-up objects after the first warm-up.
    assert out.gc[0]["frozen"] > 100_000


def test_two_app_processes_on_one_home_serve_their_sessions_without_crosstalk():
    """Two replicas share the data home (the index through a Chroma server); each user has
    sessions on both, which must see the same data and only their own."""
    import pytest

    from bench.chroma_server import ChromaUnavailable

    try:
        out = run(sessions=4, users=2, turns=2, seconds=60.0, think=0.0, replicas=2)
    except ChromaUnavailable as exc:
        pytest.skip(str(exc))
    assert out.errors == []
    assert out.completed == 4
    assert out.crosstalk == []
    assert len(out.server_cpu_s) == 2 and out.index_cpu_s is not None
