"""Mapping accuracy over the labelled sets (tests/fixtures/frameworks/: entries written for
ladder-topics.md, each labelled with the criterion it shows), ranked as readiness ranks them:
against the criteria of the label's level, with the offline MiniLM vectors (deterministic) and
shared words, each level's entries ranked together as one log. Two sets: labelled_entries.yaml
(72 entries, the scoring was tuned on it) and labelled_entries_heldout.yaml (46 entries written
and frozen before any tuning, never tuned on); the issue's 0.85 top-3 is judged on the held-out
set and the union. `python -m bench framework --section mapping` prints the same figures with
the mapping time."""

from __future__ import annotations

import pytest

from bench.framework_mapping import HELDOUT, LABELLED, SETS, TOP3_TARGET, accuracy, labelled

# Measured when this was written (top-3 / top-1), with each criterion standardised across the
# log: tuning 0.917 / 0.681 (66 and 49 of 72), held-out 0.870 / 0.609 (40 and 28 of 46), union
# 0.890 / 0.695 (105 and 82 of 118). Each floor keeps a margin of two entries for float noise
# across machines.
FLOORS = {"tuning": (0.88, 0.65), "held-out": (0.82, 0.56), "union": (0.87, 0.67)}


@pytest.mark.parametrize("path", [LABELLED, HELDOUT], ids=["tuning", "held-out"])
def test_a_labelled_set_is_large_and_labels_real_criteria(path):
    from bench.framework_mapping import _framework

    cases = labelled((path,))
    texts = {c.id: c.text.lower().rstrip(".") for c in _framework().criteria}
    assert len(cases) >= (40 if path == LABELLED else 30)
    assert all(c.criterion in texts for c in cases)
    assert len({c.level for c in cases}) == 6  # every level of the fixture
    assert len({c.criterion.split(".")[1] for c in cases}) == 5  # every area
    # Written as wins, not copies of the criterion they are labelled with.
    assert not [c.criterion for c in cases if texts[c.criterion] in c.text.lower()]


def test_the_held_out_set_shares_no_entry_with_the_tuning_set():
    assert not {c.text for c in labelled((LABELLED,))} & {c.text for c in labelled((HELDOUT,))}
    assert len({c.criterion for c in labelled((LABELLED,))}) >= 60  # most criteria


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    from coach.services.context import Context
    from coach.testing import NoModelLLM

    ctx = Context.open(tmp_path_factory.mktemp("accuracy") / "home", llm=NoModelLLM())
    return {name: accuracy(ctx, paths=paths) for name, paths in SETS.items()}


@pytest.mark.parametrize("name", list(SETS))
def test_accuracy_stays_above_the_floor(measured, name):
    result, (top3, top1) = measured[name], FLOORS[name]
    misses = "\n".join(f"  {label}: {text[:60]}... -> {top}" for label, text, top in result.misses)
    assert result.top3 >= top3, f"top-3 {result.top3:.3f}; misses:\n{misses}"
    assert result.top1 >= top1


@pytest.mark.parametrize("name", ["held-out", "union"])
def test_top3_accuracy_reaches_the_issue_target(measured, name):
    # Held-out: 40 of 46 (0.870), no entry to spare: 39 would be 0.848.
    assert measured[name].top3 >= TOP3_TARGET
