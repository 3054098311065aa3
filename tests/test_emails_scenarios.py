"""The four emails on every shared scenario, through the CLI: every required element, no
hostile language, no figure outside the inputs, an .eml (and .ics for the follow-up).

Scripted replies by default; recorded replies of the embedded model when a cassette exists
(record with `COACH_RECORD=1 .venv/bin/pytest tests/test_emails_scenarios.py
--record-mode=all`).
"""

from __future__ import annotations

import pytest

from coach.domain.emails import EMAIL_KINDS
from tests.scenarios import load_scenarios, seed
from tests.scenarios.checks import email_inputs, email_verdict
from tests.scenarios.helpers import cassette_path, cli_json, polish_email_reply

SCENARIOS = load_scenarios()
CASES = [(s, kind) for s in SCENARIOS for kind in EMAIL_KINDS]


@pytest.fixture
def model(request, recorded):
    if recorded.recording or cassette_path(request).exists():
        return recorded
    return None


@pytest.mark.vcr
@pytest.mark.parametrize("scenario, kind", CASES, ids=[f"{s.id}-{k}" for s, k in CASES])
def test_email_on_scenario(scenario, kind, ctx, monkeypatch, capsys, tmp_path, model):
    saved = seed(ctx, scenario)
    if model is not None:
        ctx.llm_override = model.llm(ctx.store, timeout=600.0)  # CPU generation under load
    else:
        ctx.llm.enqueue(polish_email_reply)
    args = ["email", kind, "--today", scenario.today.isoformat(), "--out", str(tmp_path)]
    for option, value in email_inputs(scenario, kind).items():
        args += [f"--{option}", value]

    data = cli_json(monkeypatch, capsys, ctx, *args)

    assert data["kind"] == kind
    verdict = email_verdict(scenario, saved, kind, data)
    assert verdict.missing == [], verdict.missing  # every required element, nothing hostile
    assert verdict.elements["no-hostile-language"]
    assert verdict.invented == set()
    assert data["notice"] is None or data["notice"].startswith("The model's email"), (
        f"{data['notice']} (a prompt changed? re-record the cassette)")
    if model is None:
        assert data["source"] == "model"
    assert any(f.endswith(".eml") for f in data["files"])
    if kind == "follow-up":
        assert any(f.endswith(".ics") for f in data["files"])
        assert data["revisit"]
