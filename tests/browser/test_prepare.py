"""The Prepare tab as a user meets it: an example chip sends its question, the rule's answer
shows, a [1] opens its passage in place, and the guide opens in the Guides view."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import click, expect_text, fill, open_tab, shot, value

QUESTION = "Should I bring up my promotion casually at the end of a standup?"


def test_a_chip_asks_and_a_citation_opens_in_place_then_in_the_guide(page, shots):
    open_tab(page, "Prepare")
    page.get_by_role("button", name=QUESTION).click()
    expect_text(page, "chat-box", "No: book a separate half-hour meeting", timeout=180_000)
    expect_text(page, "chat-sources", "Sources for the last answer")
    bot = page.locator("#chat-box [data-testid='bot']").last
    passage = bot.locator("details.coach-src").first
    expect(passage.locator("p").first).not_to_be_visible()
    bot.locator("a.coach-cite").first.click()
    expect(passage.locator("p").first).to_be_visible()
    expect(passage).to_contain_text("Book a separate meeting of about half an hour")
    shot(page, shots, "prepare-citation-open")
    passage.get_by_text("Read it in the guide").click()
    expect_text(page, "guides-text", "Requesting the promotion meeting")
    cited = page.locator("#guides-text .coach-cited")
    expect(cited).to_contain_text("Ask for dedicated time")
    shot(page, shots, "prepare-guides-cited")
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_send_clears_the_box_and_the_guides_list_every_document(page):
    open_tab(page, "Prepare")
    fill(page, "chat-input", "What's a low-effort way to keep a record of what I get done?")
    click(page, "chat-send")
    expect(page.locator("#chat-input textarea")).to_have_value("")
    expect_text(page, "chat-sources", "Sources for the last answer", timeout=180_000)
    assert value(page, "chat-input") == ""
    page.get_by_role("tab", name="Guides", exact=True).click()
    page.locator("#guides-doc input").first.click()
    expect(page.get_by_role("option", name="Timing the ask (guide)")).to_be_visible()
    page.get_by_role("option", name="Timing the ask (guide)").click()
    expect_text(page, "guides-text", "Bad moments to ask")
