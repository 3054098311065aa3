"""After a no, in the web app (issue 21): agree a plan with the manager on the Start tab. The
gaps are read from a scored real meeting with the line each came from, a bad revisit date and
an empty gap list are named under their fields and save nothing, then the plan is agreed:
its items in the development plan, progress in the status, the revisit date as .ics."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from coach.services import plan
from coach.services.context import Context
from coach.services.roleplay import score_meeting
from coach.testing import ScriptedLLM
from tests.browser.helpers import choose, click, expect_text, fill, load_sample, shot, value
from tests.browser.test_habit import download, habit_page  # noqa: F401  (the fixture)
from tests.test_habit import events

MEETING = ("you: Thanks for the time. I'd like to talk about the Engineering Manager role.\n"
           "manager: You're doing strong work, but not yet.\n"
           "you: What would you need to see from me, specifically?\n"
           "manager: I'd want to see you mentor a junior engineer and lead a cross-team project "
           "over the next six months.\n"
           "you: Can we revisit this in June?\nmanager: Yes, let's put it in the calendar.")


def test_agree_a_plan_after_a_no(habit_page, shots, coach_home, tmp_path):  # noqa: F811
    page = habit_page
    load_sample(page)
    ctx = Context.open(coach_home, llm=ScriptedLLM())
    meeting = score_meeting(ctx, MEETING, response="not-yet").session_id
    page.reload()
    page.get_by_role("tab", name="Start").wait_for()
    expect_text(page, "start-intro", "Welcome back")
    page.locator("#habit-agree-box").get_by_text("Agree a plan with your manager").click()

    # Nothing picked, nothing typed: the message names what is missing, nothing is saved.
    revisit = (dt.date.today() + dt.timedelta(days=180)).isoformat()
    fill(page, "habit-agree-revisit", revisit)
    saved_before = ctx.store.get_value(plan.PLAN_KEY)
    click(page, "habit-agree-go")
    expect_text(page, "agree-msg-gaps", "There are no gaps to put in the plan")
    # A revisit date in the past, then one that is no date at all: under the date's field.
    choose(page, "habit-agree-meeting", f"#{meeting} on {dt.date.today().isoformat()} "
                                        "\u00b7 Not yet")
    click(page, "habit-agree-read")
    expect_text(page, "habit-agree-said", "Mentor a junior engineer")
    expect_text(page, "habit-agree-said", "from: \u201cI'd want to see you mentor")
    assert value(page, "habit-agree-gaps").splitlines() == ["Mentor a junior engineer",
                                                            "Lead a cross-team project"]
    fill(page, "habit-agree-revisit", "2020-01-01")
    click(page, "habit-agree-go")
    expect_text(page, "agree-msg-revisit", "is in the past")
    shot(page, shots, "agreed-plan-01-bad-date")
    fill(page, "habit-agree-revisit", "next June")
    click(page, "habit-agree-go")
    expect_text(page, "agree-msg-revisit", "Revisit date: write the date as YYYY-MM-DD")
    expect(page.locator("#habit-agree-ics")).to_be_disabled()
    assert ctx.store.get_value(plan.PLAN_KEY) == saved_before

    # Agreed: one gap edited away, one typed in (the sample aims at Engineering Manager).
    fill(page, "habit-agree-gaps", "Lead a cross-team project\nSpeak up in architecture reviews")
    fill(page, "habit-agree-revisit", revisit)
    fill(page, "habit-agree-with", "Dana")
    click(page, "habit-agree-go")
    expect_text(page, "habit-agree-note", f"revisit on {revisit}")
    expect_text(page, "habit-agree-note", "shows: Stakeholder management")
    expect(page.locator("#agree-msg-revisit")).to_be_hidden()
    expect_text(page, "start-habit", "Agreed plan with Dana: 0 of 2 done")
    shot(page, shots, "agreed-plan-02-agreed")
    cal = tmp_path / "revisit.ics"
    download(page, "habit-agree-ics").save_as(cal)
    found = events(cal.read_bytes())
    assert found[0]["DTSTART"] == revisit.replace("-", "")
    assert "TRIGGER:-P7D" in cal.read_text()

    # Progress: mark the first agreed item done in the plan.
    page.locator("#habit-plan-box").get_by_text("Development plan").first.click()
    expect_text(page, "habit-plan", "agreed with Dana")
    expect_text(page, "habit-plan", "Agreed plan with Dana: 0 of 2 done")
    _pick(page, "habit-plan-item", "Lead a cross-team project")
    click(page, "habit-plan-done")
    expect_text(page, "start-habit", "Agreed plan with Dana: 1 of 2 done")
    page.locator("#habit-plan").scroll_into_view_if_needed()
    shot(page, shots, "agreed-plan-03-progress")


def _pick(page, elem_id: str, text: str) -> None:
    """Pick the dropdown's option that contains `text` (its label carries the due date)."""
    page.locator(f"#{elem_id}").locator("input").first.click()
    page.get_by_role("option").filter(has_text=text).first.click()


def test_the_agree_form_fits_a_phone(habit_page, shots):  # noqa: F811
    page = habit_page
    page.set_viewport_size({"width": 390, "height": 844})
    load_sample(page)
    page.locator("#habit-agree-box").get_by_text("Agree a plan with your manager").click()
    fill(page, "habit-agree-revisit", "not a date")
    click(page, "habit-agree-go")
    expect_text(page, "agree-msg-revisit", "Revisit date: write the date as YYYY-MM-DD")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    shot(page, shots, "agreed-plan-04-phone")
