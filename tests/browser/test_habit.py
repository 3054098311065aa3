"""The weekly habit in the web app (issue 20): a kind status on an empty home, the status and
the plan after the sample, the reminder and plan .ics downloads (read back), marking an item
done, a bad time shown under its field, and the manager update with its .eml."""

from __future__ import annotations

import email
import re
from email import policy

import pytest
from playwright.sync_api import expect

from coach.testing import Call, FakeCoachModel
from tests.browser.helpers import choose, click, expect_text, fill, open_tab, shot, shown_messages
from tests.test_habit import events


class UpdatingModel(FakeCoachModel):
    """The fast fake, plus a faithful reword of the update (the draft, greeting changed)."""

    def _next(self, messages, prompt, kind):
        if prompt is not None and prompt.name == "update_email" and not self._queue:
            self.history.append(Call(list(messages), prompt, kind))
            block = re.search(r"<data [^>]*>\n(.*?)\n</data>", messages[-1]["content"], re.DOTALL)
            return block.group(1).replace("Hi ", "Hello ", 1) if block else "ok"
        return super()._next(messages, prompt, kind)


@pytest.fixture
def habit_page(browser, coach_home):
    from coach.llm.local import free_port
    from coach.ui.app import start

    server = start(base_home=coach_home, port=free_port(), llm=UpdatingModel(), warm_index=False)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(server.url)
    page.get_by_role("tab", name="Start").wait_for()
    yield page
    context.close()
    server.close()


def download(page, elem_id: str):
    with page.expect_download(timeout=10_000) as info:
        click(page, elem_id)
    return info.value


def test_the_habit_on_the_start_page(habit_page, shots, tmp_path):
    page = habit_page
    # A new user: a kind status, no error.
    expect_text(page, "start-habit", "fine place to start")
    expect_text(page, "start-habit", "Last entry: none yet")
    assert shown_messages(page) == []
    shot(page, shots, "habit-01-empty-status")

    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    expect_text(page, "start-habit", "Entries this month")
    expect_text(page, "start-habit", "Entries without a result")

    # The reminder: a bad time is named under its field and nothing is offered.
    page.locator("#habit-remind").get_by_text("Weekly reminder in your calendar").click()
    # The folded section renders its fields on first opening: type once they show.
    expect(page.locator("#habit-time").locator("input, textarea").first).to_have_value("16:00")
    fill(page, "habit-time", "25:00")
    expect(page.locator("#habit-time").locator("input, textarea").first).to_have_value("25:00")
    click(page, "habit-make")
    # Under load the click waits in the session's queue behind the sample's refresh.
    expect_text(page, "habit-msg-time", "'25:00' is not a time of day", timeout=90_000)
    expect(page.locator("#habit-ics")).to_be_disabled()
    shot(page, shots, "habit-02a-bad-time")
    choose(page, "habit-day", "Tuesday")
    fill(page, "habit-time", "09:30")
    click(page, "habit-make")
    expect_text(page, "habit-made", "every Tuesday at 09:30")
    expect(page.locator("#habit-msg-time")).to_be_hidden()
    saved = download(page, "habit-ics")
    assert saved.suggested_filename.endswith(".ics")
    path = tmp_path / "habit.ics"
    saved.save_as(path)
    weekly, monthly = events(path.read_bytes())
    assert weekly["RRULE"] == "FREQ=WEEKLY;BYDAY=TU" and weekly["DTSTART"].endswith("T093000")
    assert monthly["RRULE"] == "FREQ=MONTHLY;BYDAY=-1TU"
    expect_text(page, "start-habit", "Weekly reminder: Tuesday 09:30")
    shot(page, shots, "habit-02-reminder")

    # The plan: due dates, its .ics, mark one done.
    page.locator("#habit-plan-box").get_by_text("Development plan").first.click()
    expect_text(page, "habit-plan", "due 20")
    plan_file = tmp_path / "plan.ics"
    download(page, "habit-plan-ics").save_as(plan_file)
    planned = events(plan_file.read_bytes())
    assert planned and all(e["SUMMARY"].startswith("Plan: ") for e in planned)
    first = page.locator("#habit-plan-item input").first.input_value()
    assert first, "an open item is picked"
    click(page, "habit-plan-done")
    expect_text(page, "habit-plan-note", "Marked done.")
    expect_text(page, "habit-plan", "\u2713 done")
    expect(page.locator("#habit-plan-item input").first).not_to_have_value(first)
    shot(page, shots, "habit-03-plan")


def test_the_update_email(habit_page, shots):
    page = habit_page
    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    open_tab(page, "Emails")
    fill(page, "email-update-since", "next week")
    click(page, "email-update-draft")
    expect_text(page, "update-msg-since", "From date: write the date as YYYY-MM-DD")
    fill(page, "email-update-since", "2999-01-01")
    click(page, "email-update-draft")
    expect_text(page, "update-msg-since", "in the future")
    expect(page.locator("#email-update-notice")).not_to_contain_text("Drafting")
    shot(page, shots, "habit-04a-update-bad-date")
    fill(page, "email-update-since", "")
    click(page, "email-update-draft")
    expect_text(page, "email-update-notice", "Covers your log from")
    expect_text(page, "email-update-notice", "passed the checks")
    body = page.locator("#email-update-body textarea").input_value()
    assert body.startswith("Hello ") and "What shipped:" in body and "What is next:" in body
    page.locator("#email-update-eml").scroll_into_view_if_needed()
    shot(page, shots, "habit-04-update-email")
    saved = download(page, "email-update-eml")
    msg = email.message_from_bytes(open(saved.path(), "rb").read(), policy=policy.default)
    assert msg["Subject"].startswith("Update: my work since")
    assert "What shipped:" in msg.get_content()


def test_the_habit_fits_a_phone(browser, habit_page, shots):
    page = habit_page
    page.set_viewport_size({"width": 390, "height": 844})
    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    page.locator("#habit-remind").get_by_text("Weekly reminder in your calendar").click()
    page.locator("#habit-plan-box").get_by_text("Development plan").first.click()
    expect_text(page, "habit-plan", "due 20")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    shot(page, shots, "habit-05-phone")
