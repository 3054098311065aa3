"""Impact log import (file upload) and export (download) in the browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import click, expect_text, open_tab

CSV = """date,title,description,metric,kind,next_level,source
2026-01-10,Cut cloud costs,,saved 18% a month,result,no,
2026-02-03,Ran the design review,,12 reviews,leadership,yes,
"""
BAD = CSV + "not-a-date,Broken row,,,result,no,\n"


def test_import_then_export(page, tmp_path):
    good, bad = tmp_path / "wins.csv", tmp_path / "broken.csv"
    good.write_text(CSV)
    bad.write_text(BAD)
    open_tab(page, "Impact log")
    page.get_by_text("Import and export").click()

    # A bad row: nothing imported, and the message names the line.
    page.locator("#log-upload input[type=file]").set_input_files(str(bad))
    # Gradio shows the name and the extension in separate spans: allow space between them.
    expect(page.locator("#log-upload")).to_contain_text(re.compile(r"broken\s*\.csv"))
    click(page, "log-import")
    expect(page.locator(".toast-body.error")).to_contain_text("line 4")
    expect(page.locator("#log-table")).not_to_contain_text("Cut cloud costs")
    page.locator(".toast-close").first.click()

    page.locator("#log-upload button[aria-label='Clear']").first.click()
    page.locator("#log-upload input[type=file]").set_input_files(str(good))
    expect(page.locator("#log-upload")).to_contain_text(re.compile(r"wins\s*\.csv"))
    click(page, "log-import")
    expect_text(page, "log-status", "Imported 2 entries")
    expect_text(page, "log-table", "Cut cloud costs")
    expect_text(page, "log-table", "Ran the design review")

    page.get_by_label("JSON").check()
    click(page, "log-export")
    expect_text(page, "log-status", "Exported 2 entries as json")
    expect(page.locator("#log-download a[download='impact-log.json']")).to_have_count(1)
    link = page.locator("#log-download a[download]").first
    with page.expect_download() as info:
        link.click()
    assert "Cut cloud costs" in info.value.path().read_text()
