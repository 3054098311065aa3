"""The journey in a real browser on the embedded model's recorded answers (issue #7).

The in-process app reaches `local` through LiteLLM as in production; vcrpy records the
model's answers once and CI replays them offline. Replays match on the JSON request body,
so every prompt must be the same on each run: the app's date and role-play seed are
pinned, the sample data counts back from that date, and the journey types fixed text.

Record (about 4 minutes on 2 CPU cores; delete the old cassette first, mode "all" appends):
    rm -f tests/cassettes/test_journey_recorded/test_journey_recorded.yaml
    COACH_RECORD=1 .venv/bin/pytest tests/browser/test_journey_recorded.py --record-mode=all

Without a cassette the test skips: a replay miss must not pass on the deterministic drafts
the app falls back to when the model cannot be reached.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from coach.llm.local import free_port
from tests.browser.helpers import choose, click, expect_text, fill, open_tab, shot, value
from tests.conftest import is_recording

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "test_journey_recorded"
CASSETTE = CASSETTES / "test_journey_recorded.yaml"
TODAY = dt.date(2025, 9, 1)
SEED = 7
RECORD_WAIT_MS = 15 * 60_000  # one model step on a busy CPU
REPLAY_WAIT_MS = 60_000


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """With the other cassettes in tests/cassettes, not under tests/browser."""
    return str(CASSETTES)


def _model_calls(request):
    """Keep only the model's calls: the embedded server's health polls and Gradio's own
    requests to the app (at launch) are neither recorded nor refused on replay."""
    return request if request.path.endswith("/chat/completions") else None


@pytest.fixture
def vcr_config(vcr_config):
    return {**vcr_config, "before_record_request": _model_calls}


@pytest.fixture
def app(request, coach_home):
    """The app on `local` (live when recording, the cassette on replay), clock and seed pinned."""
    if not is_recording(request.config) and not CASSETTE.exists():
        pytest.skip("no recording yet: run COACH_RECORD=1 pytest "
                    "tests/browser/test_journey_recorded.py --record-mode=all")
    from coach.ui.app import start

    llm = request.getfixturevalue("recorded").llm(timeout=900.0)  # CPU generation is slow
    server = start(base_home=coach_home, port=free_port(), llm=llm, warm_index=False,
                   today=TODAY, seed=SEED)
    yield server
    server.close()


def wait_for(page: Page, elem_id: str, text: str | re.Pattern, timeout: float) -> None:
    """Until the step shows its result or the page shows an error, whichever comes first."""
    done = page.locator(f"#{elem_id}").filter(has_text=text)
    done.or_(page.locator(".toast-body")).first.wait_for(timeout=timeout)


def expect_model_reached(page: Page, notice_id: str) -> None:
    """A replay miss (or a dead server) shows up as an error toast or as a 'could not ...'
    notice where the step reports how its text was made."""
    errors = page.locator(".toast-body").all_inner_texts()
    assert not errors, f"the page shows an error: {errors}"
    expect(page.locator(f"#{notice_id}")).not_to_contain_text("could not", ignore_case=True)


@pytest.mark.vcr
def test_journey_recorded(request, page, shots, vcr):
    wait = RECORD_WAIT_MS if is_recording(request.config) else REPLAY_WAIT_MS

    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    shot(page, shots, "journey-recorded-01-start")

    open_tab(page, "Prepare")
    fill(page, "chat-input", "When is a good time to ask for a promotion?")
    click(page, "chat-send")
    wait_for(page, "chat-sources", "Sources for the last answer", wait)
    expect_model_reached(page, "chat-sources")
    shot(page, shots, "journey-recorded-02-prepare")

    open_tab(page, "Proposal")
    click(page, "proposal-generate")
    wait_for(page, "proposal-status", "Saved as version 1", wait)
    expect_model_reached(page, "proposal-notice")
    expect_text(page, "proposal-preview", "Led the checkout service move")
    shot(page, shots, "journey-recorded-03-proposal")

    open_tab(page, "Role-play")
    choose(page, "rp-type", "Not yet, here is what to work on")
    click(page, "rp-start")
    expect_text(page, "rp-status", "Meeting started")
    for line in ("Thanks for making time. I would like to talk about moving to Engineering "
                 "Manager.",
                 "I led the checkout service move and cut p95 latency from 900 ms to 350 ms.",
                 "What would you need to see from me, and could we revisit this at the review?"):
        fill(page, "rp-input", line)
        click(page, "rp-say")
        expect_text(page, "rp-chat", line[:40])
        # The box empties once the reply is complete.
        expect(page.locator("#rp-input").locator("input, textarea").first).to_have_value(
            "", timeout=wait)
        expect_model_reached(page, "rp-status")
    click(page, "rp-end")
    wait_for(page, "rp-scorecard", "Stated the goal", wait)
    expect_model_reached(page, "rp-status")
    expect_text(page, "rp-result", "%")
    shot(page, shots, "journey-recorded-04-roleplay")

    open_tab(page, "Emails")
    page.get_by_label("Decline a promotion").check()
    fill(page, "email-reason", "I want to stay hands-on for another year")
    click(page, "email-draft")
    # The polished email or the draft that stands, not the draft shown while the model works.
    wait_for(page, "email-notice", re.compile("replaced the draft|draft stands"), wait)
    expect_model_reached(page, "email-notice")
    assert "Priya" in value(page, "email-body")
    shot(page, shots, "journey-recorded-05-email")

    if not is_recording(request.config):
        # Every recorded answer was asked for again: the prompts did not drift.
        assert vcr.all_played, (f"{len(vcr) - vcr.play_count} recorded model call(s) were not "
                                "made on replay: the prompts changed; re-record the cassette")
