"""The readiness figure explains itself in the browser (issue 18, item 9)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import choose, click, expect_text, fill, load_sample, open_empty_goal, open_tab

# Symbol and emoji blocks: a character from them is an empty box where the fonts lack it
# (the hourglass was); the page draws its icons as inline SVG instead.
SYMBOLS = re.compile("[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")


def open_readiness(page: Page) -> None:
    open_tab(page, "Readiness & timing")
    expect(page.locator("#readiness-badge .coach-badge")).to_contain_text("% ready")


def test_the_figure_adds_up_and_each_expectation_lists_its_entries(page):
    load_sample(page)
    open_readiness(page)
    shown = page.locator("#readiness-badge .coach-badge").inner_text()
    percent = int(shown.split("%")[0])
    # The parts add up to the figure shown, and "2 of 3 expectations" sits by its own figure.
    expect_text(page, "readiness-parts", f"{percent} of 100")
    expect_text(page, "readiness-parts", "Expectations covered")
    expect(page.locator("#readiness-parts tr", has_text="Expectations covered")).to_contain_text(
        "2 of 3 (67%)")
    expect(page.locator("#readiness-parts tr", has_text="Expectations covered")).to_contain_text(
        "40 of 60")
    # Which entries count for which expectation, and why.
    explained = page.locator("#readiness-explained")
    expect(explained).to_contain_text("Managing people: 3 entries, strong")
    expect(explained).to_contain_text("Hired two backend engineers")
    expect(explained).to_contain_text("(kind mentoring)")
    expect(explained).to_contain_text("measured")
    expect(explained).to_contain_text("Strategy over hands-on work: 1 entry, thin")
    expect(explained).to_contain_text("To be strong it needs 2 or more entries")
    # Built-in expectations say so, and point at the user's own.
    expect_text(page, "readiness-generic", "These are generic expectations")
    expect_text(page, "readiness-generic", "Use your company's expectations")


def test_one_entry_is_never_strong_even_at_the_next_level(page):
    load_sample(page)
    open_tab(page, "Impact log")
    fill(page, "log-title", "Negotiated the shared deadline with the partner team")
    page.get_by_label("Shows work at the target level").check()
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #8")
    open_readiness(page)
    expect(page.locator("#readiness-chart")).to_contain_text("1 entry: thin")
    expect(page.locator("#readiness-chart")).not_to_contain_text(re.compile(r"1 entry\W+strong"))
    expect_text(page, "readiness-explained", "Stakeholder management: 1 entry, thin")


def test_a_senior_individual_contributor_aims_at_staff(page):
    open_empty_goal(page)
    fill(page, "goal-current", "Senior Engineer")
    fill(page, "goal-target", "Staff Engineer")
    choose(page, "goal-transition", "Senior individual contributor to staff or principal")
    fill(page, "goal-months", "30")
    click(page, "goal-save")
    expect_text(page, "goal-status", "Saved.")
    open_tab(page, "Impact log")
    fill(page, "log-title", "Wrote the RFC for the shared event bus")
    fill(page, "log-metric", "adopted by 4 teams")
    click(page, "log-add")
    expect_text(page, "log-status", "Added entry #1")
    open_readiness(page)
    expect_text(page, "readiness-explained", "Technical direction across teams: 1 entry, thin")
    expect_text(page, "readiness-explained", "Making other engineers better: no entry yet")


def test_a_company_s_own_expectations_replace_the_generic_ones(page, tmp_path):
    load_sample(page)
    ladder = tmp_path / "ladder.csv"
    ladder.write_text("title,description,keywords\nRuns hiring,Interviews and hires,hire;"
                      "interview\nOwns the roadmap,Plans the quarter,roadmap\n")
    open_readiness(page)
    page.get_by_role("button", name="Use your company's expectations").click()
    page.locator("#exp-upload input[type=file]").set_input_files(str(ladder))
    expect(page.locator("#exp-upload")).to_contain_text("ladder")
    click(page, "exp-import")
    expect_text(page, "exp-status", "Now measuring against your 2 expectations")
    click(page, "readiness-check")
    expect_text(page, "readiness-explained", "Runs hiring: 1 entry, thin")
    expect(page.locator("#readiness-generic")).to_have_count(0)
    click(page, "exp-reset")
    expect_text(page, "exp-status", "Back to the 3 built-in expectations")


def test_icons_are_drawn_not_taken_from_a_font(page):
    load_sample(page)
    open_tab(page, "Goal")
    expect(page.locator("#goal-target").locator("input, textarea").first).to_have_value(
        "Engineering Manager")  # loaded: a tick now is not undone by the load
    page.get_by_label("My manager is overloaded").check()  # a reason to wait: the hourglass
    click(page, "goal-save")
    expect_text(page, "goal-status", "Saved.")
    open_readiness(page)
    expect(page.locator("#timing-reasons svg").first).to_be_visible()
    for tab in ("Start", "Readiness & timing", "Settings"):
        open_tab(page, tab)
        page.wait_for_timeout(500)
        text = page.locator("body").inner_text()
        assert not SYMBOLS.findall(text), (tab, sorted(set(SYMBOLS.findall(text))))
