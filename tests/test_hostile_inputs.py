"""Hostile and broken input: a clear message, no traceback, the database unchanged."""

from __future__ import annotations

import pytest

from coach.cli.main import main
from tests.hostile import CLI_CASES, Case, snapshot

RESULTS: list[tuple[str, bool, bool, bool]] = []


def _seed(home, capsys):
    main(["--home", str(home), "profile", "set", "--current-title", "Engineer", "--target-title",
          "Senior Engineer", "--transition", "ic-to-lead", "--months-in-role", "14"])
    main(["--home", str(home), "log", "add", "Existing win", "--metric", "cut costs 12%",
          "--date", "2026-01-05"])
    capsys.readouterr()


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_hostile_input(case: Case, tmp_path, capsys, coach_home):
    folder = tmp_path / "case"
    folder.mkdir()
    for name, data in case.files:
        (folder / name).write_bytes(data)
    if case.id != "profile-show-none":
        _seed(coach_home, capsys)
    else:
        main(["--home", str(coach_home), "log", "list"])
        capsys.readouterr()
    before = snapshot(coach_home)
    argv = [a.replace("{dir}", str(folder)) for a in case.argv]
    code = main(argv)
    out, err = capsys.readouterr()
    clear = case.expect.lower() in err.lower()
    traceback = "Traceback" in err or "Traceback" in out
    unchanged = snapshot(coach_home) == before
    RESULTS.append((case.id, clear, traceback, unchanged))
    assert code != 0, f"accepted: {out[:200]}"
    assert not traceback
    assert "unexpected" not in err, err
    assert clear, f"expected {case.expect!r} in: {err}"
    assert len(err.strip().splitlines()) <= 3, err
    assert unchanged


def test_hostile_table_covers_enough():
    assert len(CLI_CASES) >= 50
