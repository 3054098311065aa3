"""The manager update on the embedded model's recorded replies, through the CLI: whatever the
small model wrote, the update shown carries no figure the entries do not hold, keeps every
result and the plan's next dates, and says so when the draft stands instead.

Replays tests/cassettes/test_update_recorded/; skipped when a cassette is missing. Record with
`COACH_RECORD=1 .venv/bin/pytest tests/test_update_recorded.py --record-mode=all` (starts the
embedded model: minutes on a small machine).
"""

from __future__ import annotations

import pytest

from coach.domain.text import numbers_in
from coach.domain.update_email import without_dates
from tests.scenarios import load_scenarios, seed
from tests.scenarios.helpers import cassette_path, cli_json

SCENARIOS = [s for s in load_scenarios() if s.id in ("design-lead-overloaded", "customer-success-early")]


@pytest.fixture
def model(request, recorded):
    if not recorded.recording and not cassette_path(request).exists():
        pytest.skip(f"no cassette at {cassette_path(request)}: record it (see the docstring)")
    return recorded


@pytest.mark.vcr
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_update_on_the_recorded_model(scenario, ctx, monkeypatch, capsys, tmp_path, model):
    saved = seed(ctx, scenario)
    ctx.llm_override = model.llm(ctx.store, timeout=600.0)  # CPU generation under load
    since = min(e.date for e in saved).isoformat()
    today = scenario.today.isoformat()
    plan = cli_json(monkeypatch, capsys, ctx, "plan", "--today", today)
    data = cli_json(monkeypatch, capsys, ctx, "update", "--since", since, "--today", today,
                    "--out", str(tmp_path / "update.eml"))

    body = data["body"]
    allowed = set()
    for e in saved:
        allowed |= numbers_in(f"{e.title} {e.description} {e.metric}")
    for item in plan["items"]:
        allowed |= numbers_in(item["text"])
    stated = numbers_in(without_dates(body)[0])  # dates are checked against the log's own
    stated -= {str(d.year) for d in (e.date for e in saved)}
    assert stated <= allowed, f"figures not in the log: {stated - allowed}"
    for e in saved:
        if e.quantified:
            assert numbers_in(e.metric) <= numbers_in(body), e.metric
    open_items = [i for i in plan["items"] if not i["done"]][:3]
    assert data["next_items"] == [i["id"] for i in sorted(open_items,
                                                         key=lambda i: (i["due"], i["id"]))]
    if data["source"] == "draft":
        assert data["notice"].startswith("The model's update"), data["notice"]
    else:
        assert data["notice"] is None and data["violations"] == []
    assert (tmp_path / "update.eml").exists()
