"""Offer & options in the web app (issue 21): the moving-on signals, times passed over and the
last answer in the Goal tab; the options verdict with its reasons; the kit to copy; the offer
form with bad input named under its field (nothing saved) and the checklist of what is open."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.helpers import (
    choose,
    click,
    expect_text,
    fill,
    load_sample,
    open_tab,
    shot,
    value,
)


def test_offer_and_options(page, shots):
    load_sample(page)

    # The goal: two signs to move on, passed over twice, the last answer "not yet".
    open_tab(page, "Goal")
    expect(page.locator("#goal-target input, #goal-target textarea").first).to_have_value(
        "Engineering Manager")
    page.locator("#goal-moving").get_by_label("Politics decide who moves up").check()
    page.locator("#goal-moving").get_by_label("There is no visible route up").check()
    fill(page, "goal-passed", "2")
    choose(page, "goal-answer", "Not yet")
    click(page, "goal-save")
    expect_text(page, "goal-status", "politics decide who moves up")
    shot(page, shots, "offer-01-goal-moving-on")

    # Stay or go: look outside, each reason with the guide it rests on; the kit from the log.
    open_tab(page, "Offer & options")
    expect_text(page, "options-verdict", "Look outside")
    expect_text(page, "options-verdict", "Politics or favouritism decide")
    expect_text(page, "options-verdict", "moving-companies.md § Signs it may be time to look "
                                         "outside")
    kit = page.locator("#kit-text textarea")
    expect(kit).to_have_value(
        re.compile(r"^Tell me about your current role:\nMy title is Tech Lead, "
                                 r"but I have been working at the Engineering Manager level"))
    assert "cut p95 latency from 900 ms to 350 ms" in kit.input_value()
    assert "Titles to search for: Engineering Manager" in kit.input_value()
    expect(page.locator("#offer-check")).to_contain_text("No offer noted yet")
    shot(page, shots, "offer-02-options-and-kit")

    # Bad input: named under its field, nothing saved.
    fill(page, "offer-title", "Engineering Manager")
    fill(page, "offer-salary", "lots")
    click(page, "offer-save")
    expect_text(page, "offer-msg-salary", "The salary 'lots' is not an amount")
    expect(page.locator("#offer-check")).to_contain_text("No offer noted yet")
    shot(page, shots, "offer-03-bad-salary")
    fill(page, "offer-salary", "$150k")
    fill(page, "offer-start", "2020-01-01")
    click(page, "offer-save")
    expect_text(page, "offer-msg-start", "The start date 2020-01-01 is in the past")
    expect(page.locator("#offer-msg-salary")).to_be_hidden()
    expect(page.locator("#offer-check")).to_contain_text("No offer noted yet")

    # A good offer: the checklist says what is still open and what to ask.
    start = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    fill(page, "offer-start", start)
    click(page, "offer-save")
    expect_text(page, "offer-check", "Still open for the Engineering Manager offer: scope, "
                                     "benefits, written confirmation")
    expect_text(page, "offer-check", "ask: Within a day, send a short email")
    expect_text(page, "offer-check", "after-a-yes.md § Get it in writing")
    expect(page.locator("#offer-msg-start")).to_be_hidden()
    shot(page, shots, "offer-04-checklist")

    # Confirmed in writing, scope and benefits known: nothing open; the form keeps it.
    fill(page, "offer-scope", "Leads the payments team of six")
    fill(page, "offer-benefits", "Equity refresh")
    page.locator("#offer-writing").get_by_label("Yes").check()
    click(page, "offer-save")
    expect_text(page, "offer-check", "pinned down and confirmed in writing")
    open_tab(page, "Goal")
    open_tab(page, "Offer & options")
    expect(page.locator("#offer-salary").locator("input, textarea").first).to_have_value("$150k")
    assert value(page, "offer-start") == start
    shot(page, shots, "offer-05-settled")


def test_offer_and_options_on_a_phone(phone, shots):
    load_sample(phone)
    open_tab(phone, "Offer & options")
    expect_text(phone, "options-verdict", "Why:")
    expect(phone.locator("#kit-text textarea")).not_to_have_value("")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= phone.viewport_size["width"], f"the page scrolls sideways ({width} px)"
    shot(phone, shots, "offer-06-phone")
