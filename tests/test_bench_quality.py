"""The quality bench's own code path, offline and fast: one scenario through every kind on
the scripted fake coach model, so the live bench (bench/bench_quality.py) cannot rot."""

from __future__ import annotations

import json
import re

from bench import bench_quality
from coach.testing import PROPOSAL_INTROS, FakeCoachModel
from tests.test_chat import FakeKB

SCENARIO = "backend-tech-lead"


def summary(out: str) -> dict[str, list[str]]:
    """The summary table's rows by kind: every column but the median seconds."""
    table = out.split("### summary", 1)[1].strip().splitlines()[3:]
    rows = [re.split(r"\s{2,}", line.strip()) for line in table if line.strip()]
    return {row[0]: row[1:-1] for row in rows if not row[0][0].isdigit()}


def test_one_scenario_per_kind_counts_first_try_reask_and_fallback(capsys):
    # Call order: the proposal twice (a reply out of format, then a good one: the re-ask),
    # the meeting request twice (two bad replies: the fake cannot answer a re-ask, so the
    # template is shown), then the fake's well-formed replies for the rest.
    llm = FakeCoachModel().enqueue("nope", json.dumps(PROPOSAL_INTROS), "nope")

    assert bench_quality.main(["--scenario", SCENARIO], llm=llm, kb=FakeKB()) == 0

    out = capsys.readouterr().out
    assert re.findall(r"^### (\w+)", out, re.MULTILINE) == [
        "proposal", "emails", "script", "chat", "summary"]
    assert f"{SCENARIO} decline" in out and "missing" not in out
    #         scenarios outputs first re-ask fell-back error pass-rate all-elements invented
    assert summary(out) == {
        "proposal": ["1", "1", "0", "1", "0", "0", "100.0%", "1/1", "0"],
        "emails": ["1", "4", "3", "0", "1", "0", "100.0%", "4/4", "0"],
        "script": ["1", "1", "1", "0", "0", "0", "100.0%", "1/1", "0"],
        "chat": ["1", "1", "1", "0", "0", "0", "100.0%", "1/1", "0"],
        "overall": ["1", "7", "5", "1", "1", "0", "100.0%", "7/7", "0"],
    }
    assert "7 outputs, 9 model calls" in out


def test_invented_figures_never_show_and_the_chats_fallback_is_reported(capsys):
    # Neither question has a rule of the guidance to answer it; the first reply rests on no
    # passage and the second states a figure nobody gave: both are withheld sentence by
    # sentence, so the guides' own words answer (the chat asks the model once).
    llm = FakeCoachModel().enqueue("Wait about 7 weeks after a clear win.",
                                   "73% of managers say yes [1].")

    bench_quality.main(["--only", "chat", "--scenario", SCENARIO,
                        "--scenario", "customer-success-early"], llm=llm, kb=FakeKB())

    out = capsys.readouterr().out
    assert summary(out) == {
        "chat": ["2", "2", "0", "0", "2", "0", "100.0%", "2/2", "0"],
        "overall": ["2", "2", "0", "0", "2", "0", "100.0%", "2/2", "0"],
    }
    assert f"{SCENARIO}: fell back, 3/3 elements, 0 invented" in out
    assert "2 model calls" in out
