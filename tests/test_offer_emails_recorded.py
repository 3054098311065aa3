"""The emails after a yes on the embedded model's recorded replies, through the CLI: whatever the
small model wrote, the email shown carries no figure or date the user did not enter, keeps
every settled term of the offer (the confirmation) and what the person did (each thank-you),
and says so when the draft stands instead.

Replays tests/cassettes/test_offer_emails_recorded/; skipped when a cassette is missing. Record
with `COACH_RECORD=1 .venv/bin/pytest tests/test_offer_emails_recorded.py --record-mode=all`
(starts the embedded model: minutes on a small machine).
"""

from __future__ import annotations

import pytest

from coach.domain.offer import Salary
from coach.domain.update_email import without_dates
from coach.services import offer as offer_service
from tests.after_yes_cases import CASES, entered_dates, entered_figures, seed_after_yes, stated_figures
from tests.scenarios.helpers import cassette_path, cli_json

RECORDED = [c for c in CASES if c.scenario_id in ("backend-tech-lead", "design-lead-overloaded")]


@pytest.fixture
def model(request, recorded):
    if not recorded.recording and not cassette_path(request).exists():
        pytest.skip(f"no cassette at {cassette_path(request)}: record it (see the docstring)")
    return recorded


def _dates_entered(body: str, days) -> None:
    """Every date the body states is one the user entered."""
    known = {(d.month, d.day) for d in days}
    for year, month, day in without_dates(body)[1]:
        assert (month, day) in known, f"date {year}-{month}-{day} not entered"


def _fell_back_honestly(data) -> None:
    if data["source"] == "draft":
        assert data["notice"].startswith("The model's email"), data["notice"]
    else:
        assert data["notice"] is None and data["violations"] == []


@pytest.mark.vcr
@pytest.mark.parametrize("case", RECORDED, ids=lambda c: c.scenario_id)
def test_offer_confirmation_on_the_recorded_model(case, ctx, monkeypatch, capsys, tmp_path, model):
    scenario = seed_after_yes(ctx, case)
    ctx.llm_override = model.llm(ctx.log_call, timeout=600.0)  # CPU generation under load
    data = cli_json(monkeypatch, capsys, ctx, "email", "offer-confirmation", "--today",
                    scenario.today.isoformat(), "--out", str(tmp_path))
    body, days = data["body"], entered_dates(ctx)
    stated = stated_figures(body, days)
    assert stated <= entered_figures(ctx), f"figures not entered: {stated - entered_figures(ctx)}"
    _dates_entered(body, days)
    offer = offer_service.get_offer(ctx)
    assert offer.title in body
    if isinstance(offer.salary, Salary):
        assert data["checks"]["salary"], body
    assert all(data["checks"].values()), data["checks"]
    _fell_back_honestly(data)
    assert (tmp_path / f"offer-confirmation-v{data['version']}.eml").exists()


@pytest.mark.vcr
@pytest.mark.parametrize("case", RECORDED, ids=lambda c: c.scenario_id)
def test_helper_thanks_on_the_recorded_model(case, ctx, monkeypatch, capsys, tmp_path, model):
    scenario = seed_after_yes(ctx, case)
    ctx.llm_override = model.llm(ctx.log_call, timeout=600.0)
    notes = cli_json(monkeypatch, capsys, ctx, "email", "helper-thanks", "--today",
                     scenario.today.isoformat(), "--out", str(tmp_path))
    assert [n["person_name"] for n in notes] == [h.name for h in case.helpers]
    allowed, days = entered_figures(ctx), entered_dates(ctx)
    offer = offer_service.get_offer(ctx)
    for note, helper in zip(notes, case.helpers, strict=True):
        body = note["body"]
        stated = stated_figures(body, days)
        assert stated <= allowed, f"figures not entered: {stated - allowed}"
        _dates_entered(body, days)
        if offer.salary is not None:
            assert offer.salary.text not in body
        assert offer.title in body and all(note["checks"].values()), note["checks"]
        _fell_back_honestly(note)
        assert bool(helper.email) == any(f.endswith(".eml") for f in note["files"])
