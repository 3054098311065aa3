"""Failed actions in the browser: the message sits by its field in the page's own words, and
nothing the user typed or saw before is hidden or lost (issue 18, items 2 and 3)."""

from __future__ import annotations

import datetime as dt
import re
import time

from playwright.sync_api import Page, expect

from coach.domain.log_formats import FIELDS
from tests.browser.helpers import (
    SHOWN,
    choose,
    click,
    close_toasts,
    expect_text,
    fill,
    load_sample,
    open_empty_goal,
    open_tab,
    shown_messages,
    value,
)

# What a message for users must not contain: a command-line flag, a field's internal name,
# pydantic's phrasing, an internal id in brackets, or a count with the wrong noun form.
INTERNAL = [
    (re.compile(r"(?<![\w-])--[a-z]"), "a command-line flag"),
    (re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"), "an internal field name"),
    (re.compile(r"Input should be|Value error|String should|validation error|pydantic|"
                r"Traceback|`", re.I), "developer wording"),
    (re.compile(r"\((?:[a-z]+-)+[a-z]+\)"), "an internal id"),
    (re.compile(r"\b1 (?:entries|rows|expectations|documents|passages|steps)\b|\b(?:[02-9]|"
                r"\d\d+) (?:entry|row|expectation|document|passage)\b|\(s\)"), "a wrong plural"),
]
# The import file's own column names (the template shows them) may be named as columns.
COLUMNS = set(FIELDS)


def internal_words(text: str) -> list[str]:
    found = []
    for pattern, what in INTERNAL:
        for match in pattern.finditer(text):
            if what == "an internal field name" and match.group(0) in COLUMNS:
                continue
            found.append(f"{what}: {match.group(0)!r}")
    return found


def after(page: Page, elem_id: str, *, status: tuple[str, str] | None = None) -> list[str]:
    """Click, wait for the page to answer, and return every message it shows.

    Args:
        status: (element, text) that shows the action succeeded; else wait for a message
            different from the ones shown before (or, after 5 s, the same one again).
    """
    before = shown_messages(page)
    click(page, elem_id)
    if status:
        expect_text(page, *status)
    else:
        page.locator(SHOWN).first.wait_for()
        deadline = time.monotonic() + 5
        while shown_messages(page) == before and time.monotonic() < deadline:
            page.wait_for_timeout(100)
    texts = shown_messages(page)
    if status:
        texts.append(page.locator(f"#{status[0]}").inner_text())
    close_toasts(page)
    return texts


def upload(page: Page, elem_id: str, path) -> None:
    page.locator(f"#{elem_id} input[type=file]").set_input_files(str(path))
    expect(page.locator(f"#{elem_id}")).to_contain_text(path.stem)


def clear_upload(page: Page, elem_id: str) -> None:
    clear = page.locator(f"#{elem_id} button[aria-label='Clear']")
    if clear.count():
        clear.first.click()


def test_a_failed_action_keeps_the_table_the_picker_and_what_was_typed(page):
    load_sample(page)
    open_tab(page, "Impact log")
    expect_text(page, "log-table", "Led the checkout service move")
    choose(page, "log-selector", "#1 Led the checkout service move to the new platform")
    expect(page.locator("#log-title").locator("input, textarea").first).to_have_value(
        "Led the checkout service move to the new platform")  # the entry is open
    fill(page, "log-date", "2099-01-01")
    fill(page, "log-title", "Ran the incident review")
    click(page, "log-save")

    # The message sits under the date, in the page's words, and nothing covers the page.
    expect(page.locator("#log-msg-date")).to_contain_text("Date is in the future")
    expect(page.locator(".toast-body")).to_have_count(0)
    # The table, the picker and the form keep what they showed.
    expect_text(page, "log-table", "Led the checkout service move")
    expect(page.locator("#log-table .error, #log-selector .error")).to_have_count(0)
    expect(page.locator("#log-selector input").first).to_have_value(
        "#1 Led the checkout service move to the new platform")
    assert value(page, "log-title") == "Ran the incident review"
    assert value(page, "log-date") == "2099-01-01"
    # The message box and every button stay usable: nothing sits on top of them.
    fill(page, "log-date", "")
    fill(page, "log-title", "")
    click(page, "log-add")
    expect(page.locator("#log-msg-title")).to_contain_text("What you did is empty")
    expect(page.locator("#log-msg-date")).to_be_hidden()  # the old message went away
    fill(page, "log-title", "Ran the incident review")
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #8")
    expect(page.locator("#log-msg-title")).to_be_hidden()


def test_a_win_cannot_be_dated_in_the_future_but_today_is_fine(page):
    open_tab(page, "Impact log")
    soon = (dt.date.today() + dt.timedelta(days=15)).isoformat()
    fill(page, "log-date", soon)
    fill(page, "log-title", "Launch of the new checkout")
    click(page, "log-add")
    expect(page.locator("#log-msg-date")).to_contain_text("Date is in the future")
    expect(page.locator("#log-table")).not_to_contain_text("Launch of the new checkout")
    fill(page, "log-date", dt.date.today().isoformat())
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #1")
    expect_text(page, "log-table", "Launch of the new checkout")


def test_the_goal_keeps_names_and_checked_email_addresses(page):
    open_empty_goal(page)
    fill(page, "goal-name", "Ana Ruiz")
    fill(page, "goal-email", "ana@example.com")
    fill(page, "goal-manager", "Bo Li")
    fill(page, "goal-manager-email", "bo@example")
    fill(page, "goal-current", "Senior Engineer")
    fill(page, "goal-target", "Staff Engineer")
    choose(page, "goal-transition", "Senior individual contributor to staff or principal")
    fill(page, "goal-months", "20")
    click(page, "goal-save")
    expect(page.locator("#goal-msg-manager_email")).to_contain_text(
        "Your manager's e-mail address is not an e-mail address")
    assert value(page, "goal-manager-email") == "bo@example"
    fill(page, "goal-manager-email", "bo.li@example.com")
    click(page, "goal-save")
    expect_text(page, "goal-status", "Saved.")
    expect(page.locator("#goal-msg-manager_email")).to_be_hidden()
    page.reload()
    open_tab(page, "Goal")
    box = page.locator("#goal-manager-email").locator("input, textarea").first
    expect(box).to_have_value("bo.li@example.com")
    assert value(page, "goal-email") == "ana@example.com"


def test_every_message_the_page_can_produce_is_in_plain_words(page, tmp_path):
    files = {
        "broken.csv": "date,title,kind,next_level\n20x4-01-01,A,result,no\n2026-01-02,B,heroics,"
                      "no\n2026-01-03,C,result,maybe\n2026-01-04,D,result,no,extra\n",
        "one.csv": "date,title\n2026-01-05,Shipped search\n",
        "binary.csv": "\x00\x01",
        "ladder.csv": "name\nX\n",
        "notes.txt": "",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    seen: list[str] = []

    open_empty_goal(page)  # an empty goal, a bad address, months out of range
    seen += after(page, "goal-save")
    fill(page, "goal-current", "Engineer")
    fill(page, "goal-target", "Senior Engineer")
    fill(page, "goal-months", "900")
    seen += after(page, "goal-save")
    assert_plain(seen)
    fill(page, "goal-months", "14")
    fill(page, "goal-email", "me at work")
    seen += after(page, "goal-save")
    fill(page, "goal-email", "")
    seen += after(page, "goal-save", status=("goal-status", "Saved."))
    assert_plain(seen)

    open_tab(page, "Impact log")
    # (A title over its 200 characters cannot be typed: the box stops at the limit.)
    for date, title in (("yesterday", "A"), ("2099-01-01", "A"), ("", "")):
        fill(page, "log-date", date)
        fill(page, "log-title", title)
        seen += after(page, "log-add")
    seen += after(page, "log-save")
    seen += after(page, "log-delete")
    page.get_by_text("Import entries from a file").click()
    seen += after(page, "log-import")
    for name in ("broken.csv", "binary.csv"):
        upload(page, "log-upload", tmp_path / name)
        seen += after(page, "log-import")
        clear_upload(page, "log-upload")
    page.get_by_label("Skip bad rows and import the rest").check()
    upload(page, "log-upload", tmp_path / "broken.csv")
    seen += after(page, "log-import", status=("log-status", "Imported"))
    page.get_by_label("Skip bad rows and import the rest").uncheck()
    for expected in ("Imported 1 entry.", "already in your log"):  # new, then a duplicate
        upload(page, "log-upload", tmp_path / "one.csv")
        seen += after(page, "log-import", status=("log-status", expected))
    assert_plain(seen)

    open_tab(page, "Readiness & timing")
    page.get_by_role("button", name="Use your company's expectations").click()
    seen += after(page, "exp-import")
    upload(page, "exp-upload", tmp_path / "ladder.csv")
    seen += after(page, "exp-import")

    open_tab(page, "Settings")
    # The first listing of the documents builds the guidance index: slow on a busy machine.
    expect_text(page, "settings-docs", "Timing the ask", timeout=180_000)
    seen += after(page, "settings-add")
    seen += after(page, "settings-remove")
    upload(page, "settings-upload", tmp_path / "notes.txt")
    seen += after(page, "settings-add")
    seen += after(page, "settings-restore")

    assert len(seen) >= 20, seen
    assert any("Imported 1 entry." in t for t in seen), seen
    assert any("1 entry already in your log was skipped" in t for t in seen), seen
    assert_plain(seen)


def assert_plain(seen: list[str]) -> None:
    problems = {t: internal_words(t) for t in seen if internal_words(t)}
    assert not problems, problems
