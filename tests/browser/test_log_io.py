"""Impact log import (file upload, template, duplicates) and one-click export in the browser."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import click, expect_text, open_tab

CSV = """date,title,description,metric,kind,next_level,source
2026-01-10,Cut cloud costs,,saved 18% a month,result,no,
2026-02-03,Ran the design review,,12 reviews,leadership,yes,
"""
BAD = CSV + "not-a-date,Broken row,,,result,no,\n"


def upload(page: Page, path) -> None:
    page.locator("#log-upload input[type=file]").set_input_files(str(path))
    # Gradio shows the name and the extension in separate spans: allow space between them.
    expect(page.locator("#log-upload")).to_contain_text(re.compile(rf"{path.stem}\s*\.csv"))


def import_file(page: Page, path, text: str) -> None:
    """Write `text` to `path`, open the import box in the Impact log and import it."""
    path.write_text(text)
    open_tab(page, "Impact log")
    page.get_by_text("Import entries from a file").click()
    upload(page, path)
    click(page, "log-import")


def test_a_bad_row_imports_nothing_and_says_which_line(page, tmp_path):
    import_file(page, tmp_path / "broken.csv", BAD)
    expect(page.locator("#log-msg-file")).to_contain_text("line 4: date 'not-a-date' is not a date")
    expect(page.locator("#log-msg-file")).to_contain_text("Skip bad rows and import the rest")
    expect(page.locator("#log-table")).not_to_contain_text("Cut cloud costs")
    expect(page.locator("#log-upload")).to_contain_text("broken")  # kept, to fix and retry


def test_importing_the_same_file_twice_adds_nothing_the_second_time(page, app, tmp_path):
    good = tmp_path / "wins.csv"
    good.write_text(CSV)
    open_tab(page, "Impact log")
    page.get_by_text("Import entries from a file").click()
    # What an import reads is on the page, with a template one click away.
    expect_text(page, "log-columns", "date: when it happened, YYYY-MM-DD")
    with page.expect_download() as info:
        click(page, "log-template")
    header = info.value.path().read_text().splitlines()[0]
    assert header == "date,title,description,metric,kind,next_level,source"

    upload(page, good)
    click(page, "log-import")
    expect_text(page, "log-status", "Imported 2 entries.")
    expect_text(page, "log-table", "Ran the design review")
    # The file box empties once its entries are in.
    expect(page.locator("#log-upload")).not_to_contain_text("wins")
    upload(page, good)
    click(page, "log-import")
    expect_text(page, "log-status", "Imported 0 entries; 2 entries already in your log were "
                                    "skipped (lines 2, 3).")
    assert app.server.demo.coach_state.context(None).store.count_entries() == 2


def test_the_log_downloads_in_one_click(page, tmp_path):
    import_file(page, tmp_path / "wins.csv", CSV)
    expect_text(page, "log-status", "Imported 2 entries.")
    page.get_by_text("Download your log").click()
    with page.expect_download() as info:
        click(page, "log-download")
    assert info.value.suggested_filename == "impact-log.csv"
    listed = list(csv.DictReader(io.StringIO(info.value.path().read_text())))
    assert [r["title"] for r in listed] == ["Cut cloud costs", "Ran the design review"]
    page.get_by_label("JSON").check()
    expect(page.locator("#log-download")).to_be_enabled()
    page.wait_for_timeout(500)  # the new file is ready once the format's event is done
    with page.expect_download() as info:
        click(page, "log-download")
    assert info.value.suggested_filename == "impact-log.json"
    assert "Cut cloud costs" in info.value.path().read_text()
