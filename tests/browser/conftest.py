"""Browser-test set-up: the app in-process on a free 127.0.0.1 port with a fast fake model,
and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.llm.local import free_port

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
TIMEOUT_MS = 30_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="/usr/bin/chromium is missing: install "
                                                 "Debian's chromium (make system-deps)"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class RunningApp:
    """An app served in this process; `.close()` stops it."""

    def __init__(self, home: Path, users_file: Path | None = None, token_delay: float = 0.0,
                 warm_index: bool = False):
        from coach.testing import FakeCoachModel
        from coach.ui.app import start

        self.home = home
        self.llm = FakeCoachModel(token_delay=token_delay)
        # No background indexing by default: the tests that chat build the index on demand,
        # and nothing is left running when the test ends.
        self.server = start(base_home=home, port=free_port(), llm=self.llm, users_file=users_file,
                            warm_index=warm_index)
        self.url = self.server.url

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def app(coach_home):
    running = RunningApp(coach_home, token_delay=0.01)
    yield running
    running.close()


@pytest.fixture
def page(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    pg.goto(app.url)
    pg.get_by_role("tab", name="Start").wait_for()
    yield pg
    context.close()
