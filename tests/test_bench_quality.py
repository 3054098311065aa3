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


def test_missing_elements_invented_figures_and_the_chats_fallback_are_reported(capsys):
    # The first chat has no [n] marker and a plain count no input states (the chat's guard
    # lets both through); the second states a figure twice, so the guides answer instead.
    llm = FakeCoachModel().enqueue("Wait about 7 weeks after a clear win.",
                                   "73% of managers say yes [1].", "Still, 73% say yes [1].")

    bench_quality.main(["--only", "chat", "--scenario", SCENARIO,
                        "--scenario", "customer-success-early"], llm=llm, kb=FakeKB())

    out = capsys.readouterr().out
    assert summary(out) == {
        "chat": ["2", "2", "1", "0", "1", "0", "83.3%", "1/2", "1"],
        "overall": ["2", "2", "1", "0", "1", "0", "83.3%", "1/2", "1"],
    }
    assert f"{SCENARIO}: missing cites-inline; invented 7" in out
    assert "3 model calls" in out
