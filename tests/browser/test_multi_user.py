"""Service mode: two logged-in users in two browsers add entries at the same time, and each
sees only their own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coach.services import users
from tests.browser.conftest import TIMEOUT_MS, RunningApp
from tests.browser.helpers import click, expect_text, fill, open_tab, shot

PASSWORDS = {"alice": "correct horse battery", "bob": "staple gun river 42"}


@pytest.fixture
def service(coach_home, tmp_path):
    users_file = tmp_path / "users.json"
    for name, password in PASSWORDS.items():
        users.add_user(users_file, name, password)
    running = RunningApp(coach_home, users_file=users_file, token_delay=0.01)
    yield running
    running.close()


def login(browser, url: str, name: str, password: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url)
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("tab", name="Start").wait_for()
    expect_text(page, "coach-user", f"Signed in as {name}")
    return context, page


def test_wrong_password_is_refused(browser, service):
    context = browser.new_context()
    page = context.new_page()
    page.goto(service.url)
    page.get_by_label("username").fill("alice")
    page.get_by_label("password").fill("not the password")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_text("Incorrect Credentials", exact=False)).to_be_visible()
    expect(page.get_by_role("tab", name="Start")).to_have_count(0)
    context.close()


def test_two_users_see_only_their_own_entries(browser, service, shots):
    ctx_a, alice = login(browser, service.url, "alice", PASSWORDS["alice"])
    ctx_b, bob = login(browser, service.url, "bob", PASSWORDS["bob"])
    try:
        for page, who in ((alice, "Alice"), (bob, "Bob")):
            open_tab(page, "Impact log")
            fill(page, "log-title", f"{who} shipped the search revamp")
            fill(page, "log-metric", "cut search time 30%")
        # Both clicks go out before either answer comes back: the server handles them together.
        click(alice, "log-add")
        click(bob, "log-add")
        for page, who, other in ((alice, "Alice", "Bob"), (bob, "Bob", "Alice")):
            expect_text(page, "log-status", "Added entry #1")
            expect_text(page, "log-table", f"{who} shipped the search revamp")
            expect(page.locator("#log-table")).not_to_contain_text(other)
        # A reload reads from the server again: still only their own.
        for page, who, other in ((alice, "Alice", "Bob"), (bob, "Bob", "Alice")):
            page.reload()
            page.get_by_role("tab", name="Start").wait_for()
            expect_text(page, "start-intro", "1 entry")
            open_tab(page, "Impact log")
            expect_text(page, "log-table", f"{who} shipped the search revamp")
            expect(page.locator("#log-table")).not_to_contain_text(other)
        shot(alice, shots, "multi-user-alice")
        shot(bob, shots, "multi-user-bob")
        # Separate data homes on disk, and no password anywhere in them or in the page.
        for name in PASSWORDS:
            assert (service.home / "users" / name / "coach.db").is_file()
        for page in (alice, bob):
            html = page.content()
            assert all(p not in html for p in PASSWORDS.values())
        for path in service.home.rglob("*"):
            if path.is_file() and path.suffix in {".log", ".json", ".txt", ".md"}:
                text = path.read_text(errors="ignore")
                assert all(p not in text for p in PASSWORDS.values()), path
    finally:
        ctx_a.close()
        ctx_b.close()
