"""Score a real meeting, then after a reload open it, compare it, and delete it (issue 16, 18.8)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import click, expect_text, fill, open_tab, shot

NOT_YET = """manager: Hi, come in. What did you want to cover?
you: Thanks for making time, Priya. I appreciate the support this year.
you: I'd like to talk about the Engineering Manager role.
manager: You're doing strong work, but not yet. I'd want to see a bit more first.
you: What would you need to see from me, specifically?
manager: Growing someone on the team.
you: Thank you. Can we put a date in the calendar to revisit in March? I'll send a recap today."""

NO_BUDGET = """manager: Hi. What's on your mind?
you: I want the Engineering Manager job.
manager: The problem is we have no headcount for it this year.
you: Fine. Bye."""


def _score(page, text: str, expect_step: str) -> None:
    fill(page, "rp-real-text", text)
    click(page, "rp-real-score")
    expect_text(page, "rp-view-card", expect_step)
    expect_text(page, "rp-view-head", "Real meeting")


def test_score_a_real_meeting_then_open_compare_and_delete_after_a_reload(page, shots):
    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    open_tab(page, "Role-play")
    page.locator("#rp-real").get_by_text("Score a real meeting").click()
    _score(page, NOT_YET, "Asked for specifics and agreed a date to revisit")
    expect_text(page, "rp-view-card", "done")
    expect_text(page, "rp-follow-hint", "coach email follow-up --meeting")
    _score(page, NO_BUDGET, "Asked what it would take to create the role")
    expect_text(page, "rp-view-card", "you did not ask what it would take")  # every miss says why
    shot(page, shots, "roleplay-real-meeting")

    page.reload()
    page.get_by_role("tab", name="Start").wait_for()
    open_tab(page, "Role-play")
    expect(page.locator("#rp-hist-pick input")).to_have_value(
        re.compile(r"No budget · real meeting"))
    click(page, "rp-hist-open")
    expect_text(page, "rp-view-chat", "no headcount")
    click(page, "rp-cmp")
    expect_text(page, "rp-cmp-table", "changed")
    expect_text(page, "rp-cmp-head", "Not yet · real meeting")
    shot(page, shots, "roleplay-history-compare")

    click(page, "rp-hist-delete")
    expect_text(page, "rp-hist-confirm-text", "cannot be undone")
    click(page, "rp-hist-cancel")
    expect(page.locator("#rp-hist-confirm")).to_be_hidden()
    click(page, "rp-hist-delete")
    click(page, "rp-hist-confirm")
    expect(page.locator("#rp-hist-pick input")).to_have_value(re.compile(r"Not yet · real meeting"))
    shot(page, shots, "roleplay-history-deleted")
