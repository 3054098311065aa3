"""The Framework tab in the browser: import a company's framework, pick the current and
target levels, read the criteria x evidence matrix by area, and confirm or reject a link."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import click, expect_text, open_tab, shot
from tests.framework_sample import SENIOR, write_sample
from tests.test_framework_recorded import ENTRIES, PROFILE


def choose(page, elem_id: str, option: str) -> None:
    """Pick an option of this dropdown (several dropdowns here offer the same levels)."""
    page.locator(f"#{elem_id}").locator("input").first.click()
    page.locator(f"#{elem_id}").get_by_role("option", name=option, exact=True).click()


def seed(home) -> None:
    from coach.services.context import Context

    ctx = Context.open(home)
    ctx.store.save_profile(PROFILE)
    ctx.store.add_entries(ENTRIES)


def test_import_pick_levels_and_confirm_a_link(page, app, tmp_path, shots):
    seed(app.home)
    open_tab(page, "Framework")
    expect_text(page, "fw-summary", "No framework yet")
    page.locator("#fw-upload input[type=file]").set_input_files(str(write_sample(tmp_path)))
    expect(page.locator("#fw-upload")).to_contain_text("acme-ladder")
    click(page, "fw-import")
    expect_text(page, "fw-import-status", "Imported Acme ladder")
    expect_text(page, "fw-import-status", "3 levels, 3 areas and 18 criteria")
    expect_text(page, "fw-summary", "Pick your current and target levels")

    choose(page, "fw-current", "1. L3 Engineer")
    choose(page, "fw-target", "2. L4 Senior Engineer")
    click(page, "fw-use")
    expect_text(page, "fw-summary", "L3 Engineer")
    expect_text(page, "fw-summary", "of 6 criteria of the target level shown")
    matrix = page.locator("#fw-matrix")
    for area in ("Leadership", "Delivery", "Technical craft"):
        expect(matrix.locator("tr.fw-area", has_text=area)).to_have_count(1)
    expect(matrix).to_contain_text("Mentors two or more engineers and grows their scope.")

    choose(page, "fw-link-entry", "#1 Mentored two new engineers through their first quarter")
    choose(page, "fw-link-criterion",
           f"{SENIOR}.leadership.1: Mentors two or more engineers and grows their scope.")
    click(page, "fw-confirm")
    expect_text(page, "fw-link-status", f"Confirmed: entry #1 shows {SENIOR}.leadership.1")
    row = matrix.locator("tr", has_text="Mentors two or more engineers")
    expect(row.locator("td.fw-confirmed")).to_have_count(1)
    shot(page, shots, "framework-tab")

    choose(page, "fw-link-entry", "#1 Mentored two new engineers through their first quarter")
    choose(page, "fw-link-criterion",
           f"{SENIOR}.leadership.1: Mentors two or more engineers and grows their scope.")
    click(page, "fw-reject")
    expect_text(page, "fw-link-status", "Rejected")
    expect(row.locator("td.fw-confirmed")).to_have_count(0)


def test_a_bad_file_says_what_is_wrong_under_the_field(page, app, tmp_path):
    bad = tmp_path / "ladder.csv"
    bad.write_text("name,notes\nSomething,else\n", encoding="utf-8")
    open_tab(page, "Framework")
    click(page, "fw-import")
    expect_text(page, "framework-msg-file", "Choose a file first")
    page.locator("#fw-upload input[type=file]").set_input_files(str(bad))
    expect(page.locator("#fw-upload")).to_contain_text("ladder")
    click(page, "fw-import")
    expect_text(page, "framework-msg-file", "level")
    expect_text(page, "fw-summary", "No framework yet")


def test_on_a_phone_the_matrix_stays_inside_the_page(phone, app, tmp_path, shots):
    from coach.services import framework as framework_service
    from coach.services.context import Context

    seed(app.home)
    ctx = Context.open(app.home)
    done = framework_service.import_framework(ctx, write_sample(tmp_path))
    framework_service.use_framework(ctx, done.framework.id, current_level="L3 Engineer",
                                    target_level="L4 Senior Engineer")
    open_tab(phone, "Framework")
    expect(phone.locator("#fw-matrix tr.fw-area")).to_have_count(3)
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= phone.viewport_size["width"], f"the page scrolls sideways ({width} px)"
    shot(phone, shots, "framework-tab-390")
