"""The emails after a yes in the web app (issue 21): without an offer the page says to note it
first and drafts nothing; with one, the confirmation lists the saved terms and names the open
ones, with its .eml; the thank-you notes go to the people ticked (by default the sponsor and
those with a logged interaction), each personal, each .eml to download. The fake model's
reply fails the checks, so the page also shows the draft standing, with the reason."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from coach.domain.offer import OfferChanges
from coach.services import offer as offer_service
from coach.services import stakeholders as people
from coach.services.context import Context
from tests.browser.helpers import click, expect_text, load_sample, open_tab, shot


def _seed(home) -> None:
    today = dt.date.today()
    ctx = Context.open(home)
    offer_service.set_offer(ctx, OfferChanges(
        title="Engineering Manager", salary="$165k",
        start=(today + dt.timedelta(days=30)).isoformat()), today)
    ravi = people.add_person(ctx, name="Ravi Menon", role="Director", influence="high",
                             relationship="strong", sponsor=True, email="ravi@example.com",
                             cares_about="Hiring a second platform team")
    people.log_interaction(ctx, ravi.id, "Put my name forward in the calibration meeting",
                           date=today - dt.timedelta(days=20), today=today)
    mei = people.add_person(ctx, name="Mei Tanaka", influence="medium", relationship="strong")
    people.log_interaction(ctx, mei.id, "Mock interview on leading through an incident",
                           date=today - dt.timedelta(days=10), today=today)
    people.add_person(ctx, name="Kim Park", influence="low", relationship="none")


def test_offer_confirmation_and_thanks(page, app, shots):
    load_sample(page)
    open_tab(page, "Emails")
    click(page, "email-offer-draft")
    expect_text(page, "after-yes-msg", "No offer saved yet: save the offer first")
    expect_text(page, "after-yes-msg", "Note it in the Offer & options tab")
    expect(page.locator("#email-offer-notice")).not_to_contain_text("Drafting")
    expect(page.locator("#email-offer-body textarea")).to_have_value("")
    page.locator("#email-after-yes-intro").scroll_into_view_if_needed()
    shot(page, shots, "offer-email-01-no-offer")

    _seed(app.home)
    open_tab(page, "Goal")
    open_tab(page, "Emails")  # opening the tab lists the people, the helpers ticked
    who = page.locator("#email-thanks-who")
    expect(who.get_by_label("Ravi Menon (Director) - sponsor")).to_be_checked()
    expect(who.get_by_label("Mei Tanaka")).to_be_checked()
    expect(who.get_by_label("Kim Park")).not_to_be_checked()

    click(page, "email-offer-draft")
    body = page.locator("#email-offer-body textarea")
    expect(body).to_have_value(re.compile(r"Salary: \$165k"), timeout=30_000)
    text = body.input_value()
    assert text.startswith("Hi Priya,") and "- Title: Engineering Manager" in text
    assert "Still to confirm: the level, the scope and the benefits." in text
    assert "reply to confirm these details in writing" in text
    expect_text(page, "email-offer-notice", "showing the draft built from your data instead")
    expect_text(page, "email-offer-notice", "has every part")
    expect(page.locator("#after-yes-msg")).to_be_hidden()
    expect(page.locator("#email-offer-eml")).to_be_enabled()
    with page.expect_download() as got:
        click(page, "email-offer-eml")
    assert got.value.suggested_filename == "offer-confirmation-v1.eml"
    page.locator("#email-offer-subject").scroll_into_view_if_needed()
    shot(page, shots, "offer-email-02-confirmation")

    click(page, "email-thanks-draft")
    expect_text(page, "email-thanks-notice", "2 thank-you notes")
    notes = page.locator("#email-thanks-body textarea")
    expect(notes).to_have_value(re.compile("Hi Ravi,"))
    text = notes.input_value()
    assert "Put my name forward in the calibration meeting" in text
    assert "speaking up for me" in text and "(Hiring a second platform team)" in text
    assert "Hi Mei," in text and "Mock interview on leading through an incident" in text
    assert "$165k" not in text and "Kim" not in text
    expect_text(page, "email-thanks-notice", "No .eml: add their e-mail address (People tab)")
    expect(page.locator("#email-thanks-eml")).to_contain_text("helper-thanks-1-v1")
    page.locator("#email-thanks-who").scroll_into_view_if_needed()
    shot(page, shots, "offer-email-03-thanks")

    # Only Kim, ticked by hand: a plain thank-you (nothing logged with them).
    who.get_by_label("Ravi Menon (Director) - sponsor").uncheck()
    who.get_by_label("Mei Tanaka").uncheck()
    who.get_by_label("Kim Park").check()
    click(page, "email-thanks-draft")
    expect_text(page, "email-thanks-notice", "1 thank-you note")
    expect(notes).to_have_value(re.compile("Hi Kim,"))
    assert "Ravi" not in notes.input_value()
    shot(page, shots, "offer-email-04-picked")
