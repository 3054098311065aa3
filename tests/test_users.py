"""Accounts for the multi-user service: scrypt hashes, the users file, and `coach users`."""

from __future__ import annotations

import io
import json
import stat

import pytest

from coach.cli.main import main
from coach.domain.errors import CoachError
from coach.services import users

PASSWORD = "correct horse battery"


def test_hash_is_salted_and_verifies(tmp_path):
    first, second = users.hash_password(PASSWORD), users.hash_password(PASSWORD)
    assert first.salt != second.salt and first.hash != second.hash
    assert users.check_password(first, PASSWORD)
    assert not users.check_password(first, PASSWORD + "!")
    assert not users.check_password(first, "")


def test_users_file_round_trip_and_permissions(tmp_path):
    path = tmp_path / "users.json"
    assert users.add_user(path, "Alice", PASSWORD) == "alice"
    users.add_user(path, "bob", "another password")
    data = json.loads(path.read_text())
    assert set(data) == {"alice", "bob"}
    assert PASSWORD not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert users.verify(path, "alice", PASSWORD)
    assert users.verify(path, "ALICE", PASSWORD)  # names are case-insensitive
    assert not users.verify(path, "alice", "another password")
    assert not users.verify(path, "nobody", PASSWORD)
    assert users.list_users(path).users == ["alice", "bob"]
    users.remove_user(path, "bob")
    assert users.list_users(path).users == ["alice"]


def test_yaml_users_file(tmp_path):
    path = tmp_path / "users.yaml"
    users.add_user(path, "carol", PASSWORD)
    assert "carol:" in path.read_text()
    assert users.verify(path, "carol", PASSWORD)


@pytest.mark.parametrize("name", ["", "../etc", "a/b", ".hidden", "x" * 65, "sp ace"])
def test_unsafe_usernames_are_refused(tmp_path, name):
    with pytest.raises(CoachError, match="not a valid username"):
        users.add_user(tmp_path / "u.json", name, PASSWORD)


def test_short_password_error_does_not_repeat_it(tmp_path):
    with pytest.raises(CoachError) as err:
        users.add_user(tmp_path / "u.json", "dave", "hunter2")
    assert "too short" in str(err.value) and "hunter2" not in str(err.value)


def test_duplicate_needs_replace(tmp_path):
    path = tmp_path / "u.json"
    users.add_user(path, "erin", PASSWORD)
    with pytest.raises(CoachError, match="already exists"):
        users.add_user(path, "erin", "a new password")
    users.add_user(path, "erin", "a new password", replace=True)
    assert users.verify(path, "erin", "a new password")


def test_broken_users_file_is_a_clear_error(tmp_path):
    path = tmp_path / "u.json"
    path.write_text("{not json")
    with pytest.raises(CoachError, match="cannot read the users file"):
        users.load_users(path)
    assert users.verify(path, "alice", PASSWORD) is False


def test_user_homes_are_separate(tmp_path):
    assert users.user_home(tmp_path, "Alice") == tmp_path / "users" / "alice"
    assert users.user_home(tmp_path, "bob") != users.user_home(tmp_path, "alice")


def test_cli_add_list_rm(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.json"
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "frank"]) == 0
    out = capsys.readouterr()
    assert "frank" in out.out and PASSWORD not in out.out + out.err
    assert users.verify(path, "frank", PASSWORD)
    assert main(["users", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["users"] == ["frank"]
    assert main(["users", "rm", "frank"]) == 0
    assert users.list_users(path).users == []


def test_cli_without_users_file_says_how(capsys):
    assert main(["users", "list"]) == 1
    assert "COACH_USERS_FILE" in capsys.readouterr().err
