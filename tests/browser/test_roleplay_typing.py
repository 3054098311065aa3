"""The manager reads the user's line while it is typed, so the reply starts sooner once sent."""

from __future__ import annotations

import time

from tests.browser.helpers import click, expect_text, load_sample, open_tab

LINE = "I led the payments migration and cut p95 latency 45%."


def test_the_line_is_read_as_it_is_typed(page, app):
    warmed: list[list[dict]] = []
    app.llm.warm = lambda messages: warmed.append(list(messages)) or True  # as the embedded model
    load_sample(page)
    open_tab(page, "Role-play")
    click(page, "rp-start")
    expect_text(page, "rp-status", "Meeting started")
    box = page.locator("#rp-input").locator("input, textarea").first
    box.press_sequentially(LINE, delay=15)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (warmed and warmed[-1][-1]["content"] == LINE):
        page.wait_for_timeout(100)
    assert warmed and warmed[-1][-1] == {"role": "user", "content": LINE}
    assert len(warmed) < len(LINE)  # keystrokes coalesce: far fewer readings than keys
