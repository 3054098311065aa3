"""SIGKILL the writer at random moments: no acknowledged write may be lost or torn.

The full run (200 kills) is `python -m bench.durability`; this is its quick CI slice.
"""

from bench.durability import run


def test_no_acknowledged_write_lost_under_sigkill(tmp_path):
    out = run(kills=12, home=tmp_path, seed=11, max_delay=0.25)
    assert out.kills == 12
    assert out.acked > 0
    assert out.crashed == []
    assert out.lost == []
    assert out.torn == []
    assert out.integrity == []
