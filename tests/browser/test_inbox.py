"""The harvest and the inbox in the Impact log: paste a note, accept a candidate with an
edit, reject another, harvest again for nothing new, and bad files refused by field."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.helpers import choose, click, expect_text, fill, open_tab, shot, value

NOTE = """# Week of 2026-03-02
- Shipped the billing export, cut support tickets 30%
- Mentored Ana on the payments code
- Ran the incident review for the Tuesday outage
"""
REPLY = json.dumps({"entries": [
    {"line": 2, "title": "Shipped the billing export", "metric": "cut support tickets 30%",
     "kind": "result"},
    {"line": 3, "title": "Mentored Ana on the payments code", "metric": "", "kind": "mentoring"},
    {"line": 4, "title": "Ran the incident review", "metric": "", "kind": "responsibility"}]})


def open_harvest(page: Page) -> None:
    open_tab(page, "Impact log")
    page.get_by_text("Harvest wins from your work").click()
    expect(page.locator("#harvest-note")).to_be_visible()


def test_a_note_harvested_accepted_with_an_edit_and_rejected(page, app, shots):
    store = app.server.demo.coach_state.context(None).store
    app.llm.enqueue(REPLY)
    open_harvest(page)
    fill(page, "harvest-note", NOTE)
    click(page, "harvest-run")
    expect_text(page, "harvest-status", "Added 3 candidates to the inbox.")
    expect_text(page, "inbox-table", "cut support tickets 30%")
    expect_text(page, "inbox-table", "add the result")  # no figure: a nudge, not a metric
    assert store.count_entries() == 0  # the inbox, never the log

    choose(page, "inbox-selector", "#2 Mentored Ana on the payments code")
    expect(page.locator("#inbox-title textarea, #inbox-title input").first).to_have_value(
        "Mentored Ana on the payments code")
    expect_text(page, "inbox-evidence", "note:3")
    fill(page, "inbox-metric", "Ana shipped 2 fixes on her own")
    shot(page, shots, "inbox-harvested")
    click(page, "inbox-accept")
    expect_text(page, "inbox-status", "Accepted: entry #1 Mentored Ana on the payments code.")
    expect_text(page, "log-table", "Ana shipped 2 fixes on her own")
    expect(page.locator("#inbox-table")).not_to_contain_text("Mentored Ana")
    entry = store.get_entry(1)
    assert entry.source == "note:3" and entry.metric == "Ana shipped 2 fixes on her own"

    choose(page, "inbox-selector", "#3 Ran the incident review")
    click(page, "inbox-reject")
    expect_text(page, "inbox-status", "Rejected #3 Ran the incident review")
    expect(page.locator("#inbox-table")).not_to_contain_text("incident review")

    app.llm.enqueue(REPLY)
    click(page, "harvest-run")
    expect_text(page, "harvest-status", "Nothing new to add; 3 candidates were already in the "
                                        "log or the inbox.")
    assert [i.status for i in store.inbox.items()] == ["pending", "accepted", "rejected"]
    shot(page, shots, "inbox-after")


def test_bad_input_is_refused_under_its_field_and_adds_nothing(page, app, tmp_path):
    store = app.server.demo.coach_state.context(None).store
    open_harvest(page)
    click(page, "harvest-run")
    expect_text(page, "harvest-msg-file", "Choose a file first")

    page.get_by_label("GitHub pull requests (JSON)").check()
    expect(page.locator("#harvest-people")).to_be_visible()
    binary = tmp_path / "prs.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    page.locator("#harvest-file input[type=file]").set_input_files(str(binary))
    expect(page.locator("#harvest-file")).to_contain_text("prs")
    click(page, "harvest-run")
    expect_text(page, "harvest-msg-file", "prs.json is not a text file")

    listing = tmp_path / "prs.json"
    listing.write_text(json.dumps([{"number": 1, "title": "Cache prices", "body": "",
                                    "mergedAt": "2026-02-20T10:00:00Z",
                                    "url": "https://github.com/acme/shop/pull/1",
                                    "author": {"login": "ana"}}]))
    page.locator("#harvest-file button[aria-label='Clear']").click()
    page.locator("#harvest-file input[type=file]").set_input_files(str(listing))
    click(page, "harvest-run")
    expect_text(page, "harvest-msg-people", "Fill in Author / assignee with your GitHub login.")
    fill(page, "harvest-people", "bob")
    fill(page, "harvest-since", "last week")
    click(page, "harvest-run")
    expect_text(page, "harvest-msg-since", "Since: write the date as YYYY-MM-DD")
    fill(page, "harvest-since", "")
    click(page, "harvest-run")
    expect_text(page, "harvest-msg-people", "None of the 1 pull requests is by bob")
    assert store.inbox.items() == []
    fill(page, "harvest-people", "ana")
    click(page, "harvest-run")
    expect_text(page, "harvest-status", "Added 1 candidate to the inbox.")
    assert value(page, "harvest-people") == "ana"
