"""The proposal on every shared scenario, through the CLI: four sections, the exact title
and a timeline, every metric present, and no figure that is not in the user's inputs.

Runs on scripted model replies by default. With a cassette in
tests/cassettes/test_proposal_scenarios/ (record with
`COACH_RECORD=1 .venv/bin/pytest tests/test_proposal_scenarios.py --record-mode=all`)
it replays the embedded model's real replies instead, and the same checks must hold.
"""

from __future__ import annotations

import pytest

from tests.scenarios import load_scenarios, seed
from tests.scenarios.checks import proposal_verdict
from tests.scenarios.helpers import cassette_path, cli_json, proposal_reply

SCENARIOS = load_scenarios()


@pytest.fixture
def model(request, recorded):
    """The recorded embedded model when recording or replaying; None means scripted replies."""
    if recorded.recording or cassette_path(request).exists():
        return recorded
    return None


def test_there_are_at_least_six_varied_scenarios():
    assert len(SCENARIOS) >= 6
    assert {s.profile.transition.value for s in SCENARIOS} == {
        "ic-to-lead", "lead-to-manager", "manager-to-director", "other"}
    assert {s.expect.timing for s in SCENARIOS} == {"good", "wait", "bad"}
    assert all(4 <= len(s.entries) <= 8 for s in SCENARIOS)


@pytest.mark.vcr
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_proposal_on_scenario(scenario, ctx, monkeypatch, capsys, model):
    saved = seed(ctx, scenario)
    p = scenario.profile
    if model is not None:
        ctx.llm_override = model.llm(ctx.store, timeout=600.0)  # CPU generation under load
    else:
        best = next(e for e in saved if e.next_level)
        ctx.llm.enqueue(proposal_reply(p, done_work=best.title[0].lower() + best.title[1:]))

    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--today", scenario.today.isoformat())

    verdict = proposal_verdict(scenario, saved, data)
    assert verdict.missing == [], verdict.missing
    assert verdict.invented == set()
    assert data["notice"] is None or data["notice"].startswith("The model's draft"), (
        f"{data['notice']} (a prompt changed? re-record the cassette)")
    if model is None:
        assert data["source"] == "model"
    assert data["version"] == 1
    assert ctx.store.latest_artifact("proposal", "proposal").content == data["markdown"]
