"""The four emails on every shared scenario, through the CLI: every required element, no
hostile language, no figure outside the inputs, an .eml (and .ics for the follow-up).

Scripted replies by default; recorded replies of the embedded model when a cassette exists
(record with `COACH_RECORD=1 .venv/bin/pytest tests/test_emails_scenarios.py
--record-mode=all`).
"""

from __future__ import annotations

import pytest

from coach.domain.emails import EMAIL_KINDS, MEETING_MINUTES
from coach.domain.readiness import assess_readiness
from tests.scenarios import load_scenarios, seed
from tests.scenarios.helpers import (
    cassette_path,
    cli_json,
    input_numbers,
    numbers_outside,
    polish_email_reply,
)

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
    if kind == "follow-up":
        args += ["--summary", scenario.followup_summary]
    if kind == "decline" and scenario.decline_reason:
        args += ["--reason", scenario.decline_reason]

    data = cli_json(monkeypatch, capsys, ctx, *args)

    assert data["kind"] == kind
    assert all(data["checks"].values()), data["checks"]
    assert data["checks"]["no-hostile-language"]
    manager_first = scenario.profile.manager_name.split()[0]
    assert manager_first in data["body"]
    allowed = input_numbers(
        scenario.profile.model_dump_json(), *(e.model_dump_json() for e in saved),
        scenario.followup_summary, scenario.decline_reason, scenario.today.isoformat(),
        str(MEETING_MINUTES), data["revisit"] or "", data["subject"])
    # Plan dates in a follow-up are the domain's own (counted from --today).
    plan = assess_readiness(scenario.profile, saved, today=scenario.today).plan
    allowed |= input_numbers(*(step.by.isoformat() for step in plan))
    assert numbers_outside(data["body"], allowed) == set()
    assert data["notice"] is None or data["notice"].startswith("The model's email"), (
        f"{data['notice']} (a prompt changed? re-record the cassette)")
    if model is None:
        assert data["source"] == "model"
    assert any(f.endswith(".eml") for f in data["files"])
    if kind == "follow-up":
        assert any(f.endswith(".ics") for f in data["files"])
        assert data["revisit"]
