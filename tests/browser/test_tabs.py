"""A headless screenshot of every tab, each checked for real content (sample data loaded)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import click, expect_text, fill, open_tab, shot

# tab name -> (element that must show content, text it must contain)
TABS = [
    ("Goal", "goal-target", None),
    ("Impact log", "log-table", "Led the checkout service move"),
    ("Readiness & timing", "readiness-chart", "Managing people"),
    ("Prepare", "chat-box", "review cycle"),
    ("Proposal", "proposal-preview", "Current role and accomplishments"),
    ("Role-play", "rp-chat", None),
    ("Emails", "email-body", None),
    ("Settings", "settings-docs", "timing.md"),
    ("Advanced", "evals-report", None),
]


@pytest.fixture
def sampled(page):
    expect_text(page, "start-intro", "Three first steps")
    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    expect_text(page, "start-intro", "Welcome back")
    return page


def test_every_tab_shows_content(sampled, shots):
    page = sampled
    shot(page, shots, "tab-start")
    for name, elem_id, text in TABS:
        open_tab(page, name)
        if name == "Goal":
            expect(page.locator("#goal-target input, #goal-target textarea").first).to_have_value(
                "Engineering Manager")
        elif name == "Readiness & timing":
            expect(page.locator("#timing-badge .coach-badge")).to_have_text("Good time to ask")
            expect(page.locator("#readiness-chart svg rect").first).to_be_visible()
        elif name == "Prepare":
            fill(page, "chat-input", "When is a good time to ask?")
            click(page, "chat-send")
            # The first answer in a fresh home waits for the guidance index to be built.
            expect_text(page, "chat-sources", "Sources for the last answer", timeout=180_000)
            page.get_by_text("Talk track for the meeting").click()
            click(page, "script-make")
            expect_text(page, "script-text", "Open with appreciation")
        elif name == "Proposal":
            click(page, "proposal-generate")
        elif name == "Role-play":
            click(page, "rp-start")
            expect_text(page, "rp-status", "Meeting started")
            expect(page.locator("#rp-chat [data-testid='bot']").first).to_be_visible()
        elif name == "Emails":
            click(page, "email-draft")
            expect(page.locator("#email-body textarea")).not_to_have_value("")
            expect_text(page, "email-checks", "Checks")
        elif name == "Advanced":
            page.get_by_text("Quality checks (evaluation suite)").click()
            click(page, "evals-run")
            report = page.locator("#evals-report").filter(has_text="Eval report")
            refused = page.locator("#advanced-msg").filter(has_text="recordings")
            # Until recorded responses are committed, the suite refuses with a readable reason.
            expect(report.or_(refused)).to_be_visible(timeout=60_000)
        if text:
            expect_text(page, elem_id, text, timeout=60_000)
        path = shot(page, shots, f"tab-{name.lower().replace(' & ', '-').replace(' ', '-')}")
        assert path.stat().st_size > 20_000, f"{name}: the screenshot looks empty"
        expect(page.get_by_text("Traceback")).to_have_count(0)
        expect(page.locator(".toast-body.error")).to_have_count(0)
