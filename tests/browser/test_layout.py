"""The page on a laptop and on a phone: every tab reachable, nothing side by side that should
stack, tables readable; Settings speaks to users, the technical details sit under Advanced;
the user's own data backs up, deletes and restores (issue 18, item 10 and the rest)."""

from __future__ import annotations

import tarfile

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import click, expect_text, load_sample, open_tab, shot

TABS = ["Start", "Goal", "Impact log", "Readiness & timing", "Framework", "People", "Prepare",
        "Proposal", "Role-play", "Emails", "Offer & options", "Settings", "Advanced"]
# Words for developers, not for someone preparing a promotion.
DEVELOPER = ["kappa", "pid ", "port ", "Q4_K_M", "Grader", "rubric", "fallback"]


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def box(page: Page, elem_id: str) -> dict:
    found = page.locator(f"#{elem_id}").bounding_box()
    assert found, elem_id
    return found


@pytest.mark.parametrize("size", ["wide", "phone"])
def test_a_screenshot_of_every_tab(request, size, shots):
    page = request.getfixturevalue(size)
    load_sample(page)
    width = page.viewport_size["width"]
    for name in TABS:
        open_tab(page, name)
        page.wait_for_timeout(1500)  # the tab's refresh
        path = shot(page, shots, f"tab-{name.lower().replace(' & ', '-').replace(' ', '-')}-"
                                 f"{width}")
        assert path.stat().st_size > 10_000, f"{name}: the screenshot looks empty"
        no_sideways_scroll(page)
        expect(page.locator(".toast-body")).to_have_count(0)


def test_on_a_phone_every_tab_is_one_tap_away(phone):
    for name in TABS:
        expect(phone.get_by_role("tab", name=name, exact=True)).to_be_visible()
    expect(phone.locator(".overflow-menu:visible")).to_have_count(0)


def test_on_a_phone_editors_stack_and_tables_stay_readable(phone):
    load_sample(phone)
    open_tab(phone, "Proposal")
    editor, preview = box(phone, "proposal-editor"), box(phone, "proposal-preview")
    assert preview["y"] >= editor["y"] + editor["height"] - 1, "editor and preview side by side"

    # The log: every entry's title and result readable, no sideways scrolling.
    open_tab(phone, "Impact log")
    cards = phone.locator("#log-cards")
    expect(cards).to_be_visible()
    expect(cards).to_contain_text("Led the checkout service move to the new platform")
    expect(cards).to_contain_text("cut p95 latency from 900 ms to 350 ms")
    no_sideways_scroll(phone)

    # The scorecard's headers break between words, never one letter per line.
    open_tab(phone, "Role-play")
    header = phone.locator("#rp-scorecard th", has_text="Result").first
    line = phone.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 24")
    assert header.bounding_box()["height"] < 3 * line + 24


def test_settings_keeps_what_a_user_acts_on_and_advanced_the_rest(wide):
    expect(wide.get_by_role("tab", name="Evals", exact=True)).to_have_count(0)
    open_tab(wide, "Settings")
    expect_text(wide, "settings-model", "written by")
    # The first listing of the documents builds the guidance index: slow on a busy machine.
    expect(wide.locator("#settings-docs")).to_contain_text("Timing the ask", timeout=180_000)
    text = wide.locator("#settings-model").inner_text() + wide.locator("body").inner_text()
    assert not [w for w in DEVELOPER if w in text], [w for w in DEVELOPER if w in text]
    open_tab(wide, "Advanced")
    expect(wide.locator("#evals-report")).to_be_hidden()  # folded until asked for
    wide.get_by_text("Quality checks (evaluation suite)").click()
    expect(wide.locator("#evals-run")).to_be_visible()


def test_back_up_delete_and_restore_my_data(wide, tmp_path):
    load_sample(wide)
    open_tab(wide, "Settings")
    # The first listing of the documents builds the guidance index: slow on a busy machine.
    expect(wide.locator("#settings-docs")).to_contain_text("Timing the ask", timeout=180_000)
    with wide.expect_download() as info:
        click(wide, "settings-backup")
    archive = tmp_path / info.value.suggested_filename
    info.value.save_as(archive)
    assert archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "tables.json"} <= set(tar.getnames())

    click(wide, "settings-erase")
    expect_text(wide, "settings-erase-confirm", "cannot be undone")
    click(wide, "settings-erase-no")
    expect(wide.locator("#settings-erase-confirm")).to_be_hidden()
    click(wide, "settings-erase")
    click(wide, "settings-erase-yes")
    expect_text(wide, "settings-status", "Deleted all your data (7 log entries")
    open_tab(wide, "Impact log")
    expect(wide.locator("#log-table")).not_to_contain_text("Led the checkout service move")

    open_tab(wide, "Settings")
    wide.locator("#settings-restore-file input[type=file]").set_input_files(str(archive))
    expect(wide.locator("#settings-restore-file")).to_contain_text("promotion-coach-backup")
    click(wide, "settings-restore")
    expect_text(wide, "settings-status", "Restored 7 log entries")
    open_tab(wide, "Impact log")
    expect_text(wide, "log-table", "Led the checkout service move")

    # Restoring over data that is there already is refused, in the page's words.
    open_tab(wide, "Settings")
    wide.locator("#settings-restore-file input[type=file]").set_input_files(str(archive))
    click(wide, "settings-restore")
    expect(wide.locator("#settings-msg-backup")).to_contain_text("Your data home is not empty")
