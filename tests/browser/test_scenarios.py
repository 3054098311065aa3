"""The scenario role-plays in the browser: the offer conversation chosen beside the difficulty
(the manager's-answer picker is only for the promotion meeting), played line by line against
the app's fast fake model, then scored: each of the scenario's checks with the user's words,
why, and a stronger line. On a desktop and on a phone; screenshots in artifacts/screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coach.domain.scenario import INTERVIEW_STEPS, OFFER_STEPS, SCENARIO_LABELS
from coach.services.context import Context
from tests.browser.conftest import RunningApp
from tests.browser.helpers import SHOWN, click, expect_text, fill, open_tab, shot
from tests.scenario_cases import script_lines, seed_person

# Half a strong conversation, then a yes on the spot: the scorecard shows quotes for what was
# done, and why and a stronger line for what was not.
HALF_STRONG = [*script_lines("offer", "tough", "strong")[:3], "Fine, I accept."]


@pytest.fixture
def app(coach_home):
    seed_person(Context.open(coach_home))  # the profile, the log and the offer the scripts talk about
    running = RunningApp(coach_home, token_delay=0.01)
    yield running
    running.close()


def say(page, line: str) -> None:
    fill(page, "rp-input", line)
    click(page, "rp-say")
    expect_text(page, "rp-chat", line[:40])
    expect(page.locator("#rp-input").locator("input, textarea").first).to_have_value("")


def choose_scenario(page, name: str, difficulty: str) -> None:
    open_tab(page, "Role-play")
    expect(page.locator("#rp-type")).to_be_visible()  # the promotion meeting is the default
    page.locator("#rp-scenario").get_by_label(name, exact=True).check()
    expect(page.locator("#rp-type")).to_be_hidden()
    page.locator("#rp-difficulty").get_by_label(difficulty, exact=True).check()


def play(page, lines: list[str]) -> None:
    for line in lines:
        if page.locator("#rp-status").inner_text().find("closed the conversation") >= 0:
            break
        say(page, line)


def test_an_offer_conversation_is_played_and_scored(page, shots):
    choose_scenario(page, "Offer conversation", "Tough")
    click(page, "rp-start")
    expect_text(page, "rp-status", "Offer conversation started (tough)")
    expect(page.locator("#rp-chat")).not_to_contain_text("Press Start")
    placeholder = page.locator("#rp-input").locator("input, textarea").first.get_attribute("placeholder")
    assert placeholder == "What you say about the offer"
    play(page, HALF_STRONG)
    shot(page, shots, "scenario-01-offer-playing")
    click(page, "rp-end")
    card = page.locator("#rp-scorecard")
    for name in OFFER_STEPS.values():
        expect(card).to_contain_text(name, timeout=60_000)
    expect_text(page, "rp-result", f"{SCENARIO_LABELS['offer']} on")  # as the list of meetings says
    expect_text(page, "rp-result", "%")
    # Done: the user's words. Missed: why, and a stronger line from the saved offer.
    expect(card).to_contain_text("Thank you for the offer")
    expect(card).to_contain_text("in writing")
    expect(card).to_contain_text("missed")
    shot(page, shots, "scenario-02-offer-scorecard")

    # Back to the promotion meeting: the answer picker returns.
    page.locator("#rp-scenario").get_by_label("Promotion meeting", exact=True).check()
    expect(page.locator("#rp-type")).to_be_visible()


def test_the_interview_elsewhere(page, shots):
    choose_scenario(page, "Interview elsewhere", "Realistic")
    click(page, "rp-start")
    expect_text(page, "rp-status", "Interview elsewhere started (realistic)")
    play(page, script_lines("interview", "realistic", "weak"))
    click(page, "rp-end")
    for name in INTERVIEW_STEPS.values():
        expect(page.locator("#rp-scorecard")).to_contain_text(name, timeout=60_000)
    expect(page.locator("#rp-scorecard")).to_contain_text("My title is Tech Lead")  # the better line
    listed = page.locator("#rp-hist-pick").locator("input").first  # saved with the other meetings
    expect(listed).to_have_value(re.compile(re.escape(SCENARIO_LABELS["interview"])))
    shot(page, shots, "scenario-03-interview-scorecard")
    # Opened again from the list: no follow-up email to a manager for an interview elsewhere.
    click(page, "rp-hist-open")
    expect_text(page, "rp-view-card", INTERVIEW_STEPS["framing"])
    expect_text(page, "rp-follow-hint", "no email to send")
    click(page, "rp-follow")
    expect(page.locator(SHOWN).filter(has_text="recaps a promotion meeting")).to_be_visible()


def test_an_offer_conversation_on_a_phone(phone, shots):
    choose_scenario(phone, "Offer conversation", "Easy")
    click(phone, "rp-start")
    expect_text(phone, "rp-status", "Offer conversation started (easy)")
    play(phone, script_lines("offer", "easy", "strong"))
    shot(phone, shots, "scenario-04-offer-phone-playing")
    click(phone, "rp-end")
    for name in OFFER_STEPS.values():
        expect(phone.locator("#rp-scorecard")).to_contain_text(name, timeout=60_000)
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= phone.viewport_size["width"], f"the page scrolls sideways ({width} px)"
    shot(phone, shots, "scenario-05-offer-phone-scorecard")
