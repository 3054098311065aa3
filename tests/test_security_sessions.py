"""Logins end with the account: removing a user, changing a password or logging out ends every
session of that account (whatever the case of the name it logged in with), and `coach users
sessions` / `coach users logout` reach a running server's sessions."""

from __future__ import annotations

import json

import pytest

from tests.secure_app import SecureApp, password, works

NAMES = ("alice", "carol", "dave", "erin", "frank")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = SecureApp(tmp_path_factory.mktemp("sessions") / "home", NAMES)
    yield running
    running.close()


def test_removing_a_user_ends_their_sessions(app):
    dave = app.login("dave")
    assert works(dave) == 200
    assert app.coach("users", "rm", "dave")[0] == 0
    assert works(dave) == 401


def test_changing_a_password_ends_the_sessions_opened_with_the_old_one(app):
    erin = app.login("erin")
    assert works(erin) == 200
    code, out = app.coach("users", "add", "erin", "--replace", stdin="a brand new password\n")
    assert code == 0, out
    assert works(erin) == 401
    assert works(app.login("erin", "a brand new password")) == 200


def test_logging_out_ends_every_session_of_the_account_in_any_case(app):
    shouting, plain, mixed = app.login("ALICE"), app.login("alice"), app.login("Alice")
    assert {works(shouting), works(plain), works(mixed)} == {200}
    assert plain.get("/logout").status_code in (200, 302)
    assert works(plain) == 401
    assert works(shouting) == 401 and works(mixed) == 401


def test_the_command_lists_and_ends_a_running_servers_sessions(app):
    first, second = app.login("carol"), app.login("CAROL")
    assert works(first) == 200 and works(second) == 200
    code, out = app.coach("users", "sessions", "carol", "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert len(listed) == 2 and {s["username"] for s in listed} == {"carol"}
    code, out = app.coach("users", "sessions")
    assert code == 0 and out.count("carol") == 2, out
    code, out = app.coach("users", "logout", "Carol")
    assert code == 0 and "Ended 2" in out, out
    assert works(first) == 401 and works(second) == 401
    assert json.loads(app.coach("users", "sessions", "carol", "--json")[1]) == []


def test_the_session_store_keeps_no_cookie(app):
    frank = app.login("frank")
    tokens = {v for k, v in frank.cookies.items() if k.startswith("access-token")}
    assert tokens
    stored = b"".join(path.read_bytes() for path in app.home.glob("sessions.db*"))
    assert stored and not any(token.encode() in stored for token in tokens)
    assert password("frank").encode() not in stored
