"""The whole journey in a real browser: goal, log, proposal, role-play, decline email."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import choose, click, expect_text, fill, open_empty_goal, open_tab, shot, value


def test_journey(page, app, shots):
    # First run: an empty home greets the user with the three first steps.
    expect_text(page, "start-intro", "Three first steps")
    expect(page.locator("#load-sample")).to_be_visible()
    shot(page, shots, "journey-01-start")

    # Goal.
    open_empty_goal(page)
    fill(page, "goal-name", "Alex Kim")
    fill(page, "goal-manager", "Jordan Lee")
    fill(page, "goal-email", "alex.kim@example.com")
    fill(page, "goal-manager-email", "jordan.lee@example.com")
    fill(page, "goal-current", "Senior Engineer")
    fill(page, "goal-target", "Staff Engineer")
    choose(page, "goal-transition", "Individual contributor to team lead")
    fill(page, "goal-months", "14")
    choose(page, "goal-review", "March")
    page.get_by_label("My team is growing").check()
    click(page, "goal-save")
    expect_text(page, "goal-status", "Saved.")
    expect_text(page, "goal-status", "Staff Engineer")
    shot(page, shots, "journey-02-goal")

    # Impact log: add, edit, and delete with confirmation.
    open_tab(page, "Impact log")
    fill(page, "log-title", "Led the payments migration")
    fill(page, "log-metric", "cut p95 latency 40%")
    choose(page, "log-kind", "Leadership")
    page.get_by_label("Shows work at the target level").check()
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #1")
    expect_text(page, "log-table", "Led the payments migration")
    fill(page, "log-metric", "cut p95 latency 45% for 2M users")
    click(page, "log-save")
    expect_text(page, "log-status", "Saved entry #1")
    expect_text(page, "log-table", "45% for 2M users")
    fill(page, "log-title", "Mentored two new joiners")
    fill(page, "log-metric", "both shipping within 3 weeks")
    choose(page, "log-kind", "Mentoring")
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #2")
    # Clicking a row opens that entry in the form; the selector picks which one to delete.
    page.locator("#log-table").get_by_test_id("cell-0-2").click()
    expect(page.locator("#log-title input, #log-title textarea").first).to_have_value(
        "Led the payments migration")
    choose(page, "log-selector", "#2 Mentored two new joiners")
    expect(page.locator("#log-title input, #log-title textarea").first).to_have_value(
        "Mentored two new joiners")
    click(page, "log-delete")
    expect_text(page, "log-confirm", "cannot be undone")
    click(page, "log-confirm-no")
    expect(page.locator("#log-confirm")).to_be_hidden()
    expect_text(page, "log-table", "Mentored two new joiners")
    click(page, "log-delete")
    click(page, "log-confirm-yes")
    expect_text(page, "log-status", "Deleted entry #2")
    expect(page.locator("#log-table")).not_to_contain_text("Mentored two new joiners")
    expect(page.locator("#log-title input, #log-title textarea").first).to_have_value("")
    shot(page, shots, "journey-03-log")

    # Bad input: a readable message, and what was typed stays in the form.
    fill(page, "log-title", "Wrote the on-call guide")
    fill(page, "log-date", "yesterday")
    click(page, "log-add")
    expect(page.locator("#log-msg-date")).to_contain_text("write the date as YYYY-MM-DD")
    assert value(page, "log-title") == "Wrote the on-call guide"
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.locator(".toast-body")).to_have_count(0)

    # Proposal.
    open_tab(page, "Proposal")
    click(page, "proposal-generate")
    expect_text(page, "proposal-preview", "Current role and accomplishments", timeout=60_000)
    expect_text(page, "proposal-preview", "Led the payments migration")
    expect_text(page, "proposal-status", "Saved as version 1")
    assert "## " in value(page, "proposal-editor")
    shot(page, shots, "journey-04-proposal")

    # Role-play to the scorecard.
    open_tab(page, "Role-play")
    choose(page, "rp-type", "Not yet, here is what to work on")
    click(page, "rp-start")
    expect_text(page, "rp-status", "Meeting started")
    for line in ("Thanks for making time. I would like to talk about moving to Staff Engineer.",
                 "I led the payments migration and cut p95 latency 45% for 2M users.",
                 "What would you need to see from me, and could we revisit this in March?"):
        fill(page, "rp-input", line)
        click(page, "rp-say")
        expect_text(page, "rp-chat", line[:40])
        expect(page.locator("#rp-input").locator("input, textarea").first).to_have_value("")
    click(page, "rp-end")
    expect_text(page, "rp-scorecard", "Stated the goal", timeout=60_000)
    expect_text(page, "rp-result", "%")
    expect(page.locator("#rp-progress svg")).to_be_visible()
    shot(page, shots, "journey-05-roleplay")

    # Decline email.
    open_tab(page, "Emails")
    page.get_by_label("Decline a promotion").check()
    fill(page, "email-reason", "I want to stay hands-on for another year")
    click(page, "email-draft")
    expect(page.locator("#email-subject").locator("input, textarea").first).not_to_have_value("")
    body = value(page, "email-body")
    assert "Jordan" in body and len(body) > 80
    expect_text(page, "email-checks", "Checks")
    expect_text(page, "email-notice", "replaced the draft")  # the polish is in
    with page.expect_download() as got:  # one click
        click(page, "email-dl-eml")
    assert got.value.suggested_filename == "decline-v1.eml"
    assert "To: Jordan Lee <jordan.lee@example.com>" in got.value.path().read_text()
    shot(page, shots, "journey-06-email")
