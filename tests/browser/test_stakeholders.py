"""The People tab (issue 21): add the people who decide, see the next action for each and the
chart, log an interaction; bad input gets a message under its field and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import choose, click, expect_text, fill, open_tab, shot


def open_people(page: Page) -> None:
    open_tab(page, "People")
    expect_text(page, "stk-chart", "Nobody on your list yet")


def add(page: Page, name: str, influence: str, relationship: str, *, cares: str = "",
        sponsor: bool = False, email: str = "") -> None:
    fill(page, "stk-name", name)
    fill(page, "stk-email", email)
    choose(page, "stk-influence", influence)
    choose(page, "stk-relationship", relationship)
    fill(page, "stk-cares", cares)
    if sponsor:
        page.locator("#stk-sponsor input").check()
    click(page, "stk-add")
    expect_text(page, "stk-status", f"{name}.")


def test_add_people_see_the_plan_and_the_chart(page, shots):
    open_people(page)
    add(page, "Dana Reyes", "High: decides or signs off", "Weak: barely knows it",
        cares="the billing migration")
    expect_text(page, "stk-status", "Added #1 Dana Reyes.")
    plan = page.locator("#stk-plan")
    expect(plan).to_contain_text("Get your work in front of Dana Reyes")
    expect(plan).to_contain_text("Guide: visibility-and-stakeholders.md § Know who decides")
    expect(page.locator("#stk-gaps")).to_contain_text("Nobody who decides knows your work well")
    expect(page.locator("#stk-gaps")).to_contain_text("No sponsor")
    # The readiness plan and the timing check take the list into account.
    expect_text(page, "stk-effects", "Readiness plan, by")
    expect_text(page, "stk-effects", "barely know your work")
    cell = page.locator('#stk-chart .stk-cell[data-influence="high"][data-relationship="weak"]')
    expect(cell).to_contain_text("#1 Dana Reyes")

    add(page, "Sam Okafor", "Medium: is asked for an opinion", "Strong: knows your work first-hand",
        sponsor=True, email="sam@example.com")
    cell = page.locator('#stk-chart .stk-cell[data-influence="medium"][data-relationship="strong"]')
    expect(cell).to_contain_text("#2 Sam Okafor")
    expect(cell).to_contain_text("sponsor")
    expect(page.locator("#stk-gaps")).not_to_contain_text("No sponsor")

    # An interaction with Sam, logged for yesterday.
    choose(page, "stk-person", "#2 Sam Okafor")
    fill(page, "stk-date", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    fill(page, "stk-note", "Walked through the migration plan")
    click(page, "stk-log")
    expect_text(page, "stk-log-status", "Logged an interaction with Sam Okafor.")
    expect_text(page, "stk-people", "Walked through the migration plan")
    expect(page.locator('#stk-plan li[data-person="2"]')).to_contain_text(
        "last interaction 1 day ago")
    page.wait_for_timeout(300)
    path = shot(page, shots, "people-1280")
    assert path.stat().st_size > 20_000
    expect(page.get_by_text("Traceback")).to_have_count(0)


@pytest.mark.parametrize(("name", "email", "line", "says"), [
    ("", "", "stk-msg-name", "Name is empty: fill it in."),
    ("Lee", "lee-at-example", "stk-msg-email", "E-mail address is not an e-mail address"),
])
def test_bad_input_gets_a_message_under_its_field_and_saves_nothing(page, name, email, line,
                                                                    says):
    open_people(page)
    fill(page, "stk-name", name)
    fill(page, "stk-email", email)
    click(page, "stk-add")
    expect_text(page, line, says)
    expect_text(page, "stk-chart", "Nobody on your list yet")


def test_a_future_date_is_refused_with_the_field_named(page):
    open_people(page)
    add(page, "Dana Reyes", "High: decides or signs off", "Strong: knows your work first-hand")
    choose(page, "stk-person", "#1 Dana Reyes")
    fill(page, "stk-date", (dt.date.today() + dt.timedelta(days=3)).isoformat())
    fill(page, "stk-note", "Planned demo")
    click(page, "stk-log")
    expect_text(page, "stk-log-msg-date", "Date is in the future")
    expect_text(page, "stk-people", "never")
    # Removing someone; then, with nobody picked, the person's field says so.
    click(page, "stk-remove")
    expect_text(page, "stk-log-status", "Removed #1 Dana Reyes.")
    expect_text(page, "stk-chart", "Nobody on your list yet")
    fill(page, "stk-date", "")
    click(page, "stk-log")
    expect_text(page, "stk-log-msg-stakeholder", "Pick a person in the list first.")


def test_on_a_phone_the_chart_and_plan_fit(phone, shots):
    open_people(phone)
    add(phone, "Dana Reyes", "High: decides or signs off", "None: has never seen it",
        cares="hiring for the new platform team")
    add(phone, "Sam Okafor", "Low: hears about it", "Neutral: knows of it")
    expect_text(phone, "stk-plan", "Get your work in front of Dana Reyes")
    expect(phone.locator('#stk-chart .stk-cell[data-influence="low"]'
                         '[data-relationship="neutral"]')).to_contain_text("Sam Okafor")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= phone.viewport_size["width"], f"the page scrolls sideways ({width} px)"
    phone.locator("#stk-chart").scroll_into_view_if_needed()
    path = shot(phone, shots, "people-390")
    assert path.stat().st_size > 10_000
