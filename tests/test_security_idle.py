"""Sessions end after `COACH_SESSION_IDLE_HOURS` without a request (here about two seconds),
and stay alive while they are used."""

from __future__ import annotations

import time

import pytest

from coach.config import Settings
from coach.domain.errors import CoachError
from tests.secure_app import SecureApp, works

IDLE_S = 2.0


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COACH_SESSION_IDLE_HOURS", str(IDLE_S / 3600))
        running = SecureApp(tmp_path_factory.mktemp("idle") / "home", ("alice",))
    yield running
    running.close()


def test_a_session_in_use_stays_and_an_idle_one_ends(app):
    alice = app.login("alice")
    started = time.monotonic()
    while time.monotonic() - started < 2 * IDLE_S:  # used every half second: stays open
        assert works(alice) == 200
        time.sleep(IDLE_S / 4)
    time.sleep(IDLE_S * 1.5)
    assert works(alice) == 401
    assert works(app.login("alice")) == 200  # logging in again works


def test_the_idle_limit_is_a_setting(monkeypatch):
    monkeypatch.delenv("COACH_SESSION_IDLE_HOURS", raising=False)
    assert Settings.load().session_idle_hours == 12.0
    monkeypatch.setenv("COACH_SESSION_IDLE_HOURS", "0.5")
    assert Settings.load().session_idle_hours == 0.5
    for bad in ("0", "-1", "soon", "inf"):
        monkeypatch.setenv("COACH_SESSION_IDLE_HOURS", bad)
        with pytest.raises(CoachError, match="COACH_SESSION_IDLE_HOURS"):
            Settings.load()
