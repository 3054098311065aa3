"""Small Playwright helpers for Gradio components (by their elem_id)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def fill(page: Page, elem_id: str, text: str) -> None:
    box = page.locator(f"#{elem_id}").locator("input, textarea").first
    box.fill(text)


def value(page: Page, elem_id: str) -> str:
    return page.locator(f"#{elem_id}").locator("input, textarea").first.input_value()


def choose(page: Page, elem_id: str, option: str) -> None:
    """Pick an option of a gr.Dropdown by its label."""
    page.locator(f"#{elem_id}").locator("input").first.click()
    page.get_by_role("option", name=option, exact=True).click()


def click(page: Page, elem_id: str) -> None:
    page.locator(f"#{elem_id}").click()


def expect_text(page: Page, elem_id: str, text: str, timeout: float = 30_000) -> None:
    expect(page.locator(f"#{elem_id}")).to_contain_text(text, timeout=timeout)


def shot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# What a failed action shows: the form's message lines (ui.errors.Messages) and, on a page
# that still raises errors, Gradio's toasts.
SHOWN = ".coach-msg-text:visible, .toast-body:visible"


def shown_messages(page: Page) -> list[str]:
    """Every message the page shows now (lines under fields, toasts)."""
    return [t.strip() for t in page.locator(SHOWN).all_inner_texts() if t.strip()]


def close_toasts(page: Page) -> None:
    for button in page.locator(".toast-close").all():
        button.click()


def load_sample(page: Page) -> None:
    expect_text(page, "start-intro", "Three first steps")
    click(page, "load-sample")
    expect_text(page, "start-status", "Loaded the sample")
    expect_text(page, "start-intro", "Welcome back")


def open_empty_goal(page: Page) -> None:
    """Open the Goal tab of a home without a goal, once its form has loaded (typing before
    that would be overwritten by the empty form)."""
    open_tab(page, "Goal")
    expect_text(page, "goal-status", "No goal yet")
