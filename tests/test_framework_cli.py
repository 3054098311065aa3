"""`coach framework ...` and `coach profile set --framework/--current-level/--target-level`,
through `coach.cli.main.main` on a context with a scripted model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.services import framework as svc
from tests.scenarios.helpers import cli_fail, cli_json

FIXTURES = Path(__file__).parent / "fixtures" / "frameworks"
TOPICS = str(FIXTURES / "ladder-topics.md")
OSPO = str(FIXTURES / "postman-ospo-engineers.md")
PROSE = str(FIXTURES / "ladder-prose.txt")
REPLY = (FIXTURES / "ladder-prose.reply.json").read_text(encoding="utf-8")


def test_import_json_names_levels_areas_and_the_criteria_count(ctx, monkeypatch, capsys):
    data = cli_json(monkeypatch, capsys, ctx, "framework", "import", TOPICS)
    assert data["id"] == "acme-product-engineering-ladder"
    assert data["name"] == "Acme product engineering ladder"
    assert data["levels"][0] == {"id": "engineer-i", "name": "Engineer I", "order": 1}
    assert [lv["order"] for lv in data["levels"]] == [1, 2, 3, 4, 5, 6]
    assert [a["id"] for a in data["areas"]] == ["delivery", "craft", "collaboration", "ownership",
                                                "growth"]
    assert data["criteria"] == 90
    assert data["saved"] is True and data["pending"] is False and data["dropped"] == 0


def test_list_show_use_and_rm(ctx, monkeypatch, capsys):
    cli_json(monkeypatch, capsys, ctx, "framework", "import", TOPICS)
    cli_json(monkeypatch, capsys, ctx, "framework", "import", OSPO, "--name", "OSPO")
    rows = cli_json(monkeypatch, capsys, ctx, "framework", "list")
    assert [(r["id"], r["active"]) for r in rows] == [("acme-product-engineering-ladder", True),
                                                      ("ospo", False)]
    assert rows[1] == {"id": "ospo", "name": "OSPO", "levels": 6, "areas": 1, "criteria": 52,
                       "active": False}

    shown = cli_json(monkeypatch, capsys, ctx, "framework", "show")  # the one in use
    assert shown["id"] == "acme-product-engineering-ladder" and shown["active"] is True
    assert len(shown["criteria"]) == 90
    level = cli_json(monkeypatch, capsys, ctx, "framework", "show", "ospo", "--level", "Staff OSPO Engineer")
    assert [lv["id"] for lv in level["levels"]] == ["staff-ospo-engineer"]
    assert {c["level"] for c in level["criteria"]} == {"staff-ospo-engineer"}
    assert level["active"] is False

    used = cli_json(monkeypatch, capsys, ctx, "framework", "use", "ospo", "--current-level", "2",
                    "--target-level", "senior ospo engineer")
    assert used == {"id": "ospo", "name": "OSPO",
                    "current": {"id": "ospo-engineer-ii", "name": "OSPO Engineer II", "order": 2},
                    "target": {"id": "senior-ospo-engineer", "name": "Senior OSPO Engineer", "order": 3}}

    removed = cli_json(monkeypatch, capsys, ctx, "framework", "rm", "ospo")
    assert removed == {"removed": "ospo", "active": None}
    assert svc.active_framework(ctx) is None  # back to the built-in expectations
    assert [r["id"] for r in cli_json(monkeypatch, capsys, ctx, "framework", "list")] == [
        "acme-product-engineering-ladder"]


def test_show_text_lists_levels_areas_criteria_and_notes(ctx, monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    assert main(["framework", "import", OSPO]) == 0
    out = capsys.readouterr().out
    assert "6 levels, 1 area, 52 criteria" in out and "put in use" in out
    assert main(["framework", "show", "--level", "3"]) == 0
    out = capsys.readouterr().out
    assert "3. Senior OSPO Engineer  [senior-ospo-engineer]" in out
    assert "note: At this point, a person is mastering" in out
    assert "[senior-ospo-engineer.general.1]" in out and "OSPO Engineer I " not in out


def test_prose_import_waits_for_review_then_accept(ctx, monkeypatch, capsys):
    ctx.llm.enqueue(REPLY)
    data = cli_json(monkeypatch, capsys, ctx, "framework", "import", PROSE)
    assert data["pending"] is True and data["saved"] is False and data["dropped"] == 3
    assert data["criteria"] == 7
    assert cli_json(monkeypatch, capsys, ctx, "framework", "list") == []
    pending = cli_json(monkeypatch, capsys, ctx, "framework", "show", "--pending")
    assert pending["pending"] is True and len(pending["framework"]["criteria"]) == 7
    accepted = cli_json(monkeypatch, capsys, ctx, "framework", "accept")
    assert accepted["id"] == "ladder-prose" and accepted["saved"] is True
    assert [r["id"] for r in cli_json(monkeypatch, capsys, ctx, "framework", "list")] == ["ladder-prose"]


def test_prose_import_text_says_nothing_is_saved_yet(ctx, monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    ctx.llm.enqueue(REPLY)
    assert main(["framework", "import", PROSE]) == 0
    out = capsys.readouterr().out
    assert "Nothing is saved yet" in out and "coach framework accept" in out
    assert "Dropped 3 proposed criteria" in out
    assert main(["framework", "discard"]) == 0
    assert svc.pending_import(ctx) is None and svc.list_frameworks(ctx) == []


def test_import_yes_saves_a_model_reading_at_once(ctx, monkeypatch, capsys):
    ctx.llm.enqueue(REPLY)
    data = cli_json(monkeypatch, capsys, ctx, "framework", "import", PROSE, "--yes", "--name", "Eng")
    assert data["saved"] is True and data["pending"] is False and data["id"] == "eng"


def test_profile_set_levels_by_number_name_or_id(ctx, monkeypatch, capsys):
    cli_json(monkeypatch, capsys, ctx, "framework", "import", OSPO, "--name", "OSPO")
    data = cli_json(monkeypatch, capsys, ctx, "profile", "set", "--framework", "ospo",
                    "--current-level", "OSPO Engineer II", "--target-level", "3")
    assert data["profile"] is None  # only framework flags: the profile is not touched
    assert data["framework"]["current"]["id"] == "ospo-engineer-ii"
    assert data["framework"]["target"]["id"] == "senior-ospo-engineer"
    data = cli_json(monkeypatch, capsys, ctx, "profile", "set", "--target-level", "staff-ospo-engineer",
                    "--current-title", "Engineer", "--target-title", "Senior", "--transition",
                    "ic-to-lead", "--months-in-role", "12")
    assert data["profile"]["current_title"] == "Engineer"
    assert data["framework"]["current"]["id"] == "ospo-engineer-ii"  # kept
    assert data["framework"]["target"]["id"] == "staff-ospo-engineer"
    active = svc.active_framework(ctx)
    assert active is not None and active.target is not None and active.target.order == 4


def test_profile_set_without_framework_flags_prints_the_profile_as_before(ctx, monkeypatch, capsys):
    data = cli_json(monkeypatch, capsys, ctx, "profile", "set", "--current-title", "Engineer",
                    "--target-title", "Senior", "--transition", "ic-to-lead", "--months-in-role", "12")
    assert data["current_title"] == "Engineer" and "framework" not in data


@pytest.mark.parametrize(("argv", "words"), [
    (["--target-level", "Wizard"], ["no level 'Wizard'", "--target-level", "1: OSPO Engineer I"]),
    (["--current-level", "9"], ["no level '9'", "--current-level"]),
    (["--current-level", "5", "--target-level", "2"], ["below the current level", "--target-level"]),
    (["--framework", "nope", "--current-level", "1"], ["no framework with the id 'nope'",
                                                       "coach framework list"]),
])
def test_profile_set_with_a_bad_level_saves_nothing(ctx, monkeypatch, capsys, argv, words):
    cli_json(monkeypatch, capsys, ctx, "framework", "import", OSPO, "--name", "OSPO")
    svc.set_levels(ctx, current_level="1", target_level="2")
    before = ctx.store.get_value(svc.ACTIVE_KEY)
    err = cli_fail(monkeypatch, capsys, ctx, "profile", "set", "--current-title", "Changed",
                   "--target-title", "Senior", "--transition", "ic-to-lead", "--months-in-role", "3",
                   *argv)
    for word in words:
        assert word in err, err
    assert "Traceback" not in err
    assert ctx.store.get_value(svc.ACTIVE_KEY) == before
    assert ctx.store.get_profile() is None  # the profile flags were not saved either


def test_levels_without_a_framework_in_use_say_how_to_get_one(ctx, monkeypatch, capsys):
    err = cli_fail(monkeypatch, capsys, ctx, "profile", "set", "--current-level", "1")
    assert "no career framework is in use" in err and "coach framework import FILE" in err
    err = cli_fail(monkeypatch, capsys, ctx, "framework", "accept")
    assert "no framework import is waiting" in err and "coach framework import FILE" in err


@pytest.mark.parametrize(("name", "text", "words"), [
    ("none.csv", "level,area,criterion\n", "names no levels"),
    ("twice.md", "# Senior\n\n- Leads.\n\n# Senior\n\n- Again.\n", "appears twice"),
    ("bomb.yaml", "a: &a [1, 2]\nb: [*a, *a]\n", "aliases"),
])
def test_bad_files_are_refused_in_one_line(ctx, monkeypatch, capsys, tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    err = cli_fail(monkeypatch, capsys, ctx, "framework", "import", str(path))
    assert words in err and err.startswith("coach: error:") and err.count("\n") == 1
    assert svc.list_frameworks(ctx) == []


def test_removing_a_framework_leaves_the_log_alone(ctx, monkeypatch, capsys):
    cli_json(monkeypatch, capsys, ctx, "log", "add", "Led the billing migration", "--metric", "0 outages")
    cli_json(monkeypatch, capsys, ctx, "framework", "import", TOPICS)
    before = cli_json(monkeypatch, capsys, ctx, "log", "list")
    cli_json(monkeypatch, capsys, ctx, "framework", "rm", "acme-product-engineering-ladder")
    assert cli_json(monkeypatch, capsys, ctx, "log", "list") == before


def test_the_index_seam_is_called_on_save_and_removal(ctx, monkeypatch, capsys):
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(svc, "index_framework", lambda c, fw: calls.append(("index", fw.id)) or 0)
    monkeypatch.setattr(svc, "drop_framework", lambda c, fid: calls.append(("drop", fid)))
    cli_json(monkeypatch, capsys, ctx, "framework", "import", TOPICS)
    cli_json(monkeypatch, capsys, ctx, "framework", "rm", "acme-product-engineering-ladder")
    assert calls == [("index", "acme-product-engineering-ladder"),
                     ("drop", "acme-product-engineering-ladder")]


def test_the_real_command_imports_and_lists(tmp_path):
    """The console entry point end to end, in its own process."""
    env = {"COACH_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    code = "import sys; from coach.cli.main import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", code, "--json", "framework", "import", OSPO],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["criteria"] == 52
    listed = subprocess.run([sys.executable, "-c", code, "framework", "list"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert "postman-ospo-engineers" in listed.stdout
