"""The `coach profile` and `coach log` commands, as a user types them."""

from __future__ import annotations

import json

import pytest

from coach.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def entries(capsys):
    code, out, _ = run(capsys, "log", "list", "--json")
    assert code == 0
    return json.loads(out)


def test_profile_set_show_and_signals(capsys):
    code, out, _ = run(capsys, "profile", "set", "--current-title", "Senior Engineer",
                       "--target-title", "Staff Engineer", "--transition", "ic-to-lead",
                       "--months-in-role", "14", "--review-month", "3", "--signal", "recent-win",
                       "--signal", "layoffs", "--json")
    assert code == 0
    assert json.loads(out)["signals"] == ["recent-win", "layoffs"]
    run(capsys, "profile", "set", "--clear-signals", "--signal", "team-growing")
    code, out, _ = run(capsys, "profile", "show", "--json")
    shown = json.loads(out)
    assert shown["signals"] == ["team-growing"] and shown["months_in_role"] == 14


def test_profile_holds_names_and_checked_email_addresses(capsys):
    code, out, _ = run(capsys, "profile", "set", "--current-title", "Senior Engineer",
                       "--target-title", "Staff Engineer", "--transition", "senior-to-staff",
                       "--months-in-role", "20", "--name", "Ana Ruiz", "--email",
                       "ana@example.com", "--manager-name", "Bo Li", "--manager-email",
                       " bo.li@example.co.uk ", "--json")
    saved = json.loads(out)
    assert code == 0 and saved["email"] == "ana@example.com"
    assert saved["manager_email"] == "bo.li@example.co.uk"
    code, out, _ = run(capsys, "profile", "show")
    assert "Manager: Bo Li <bo.li@example.co.uk>" in out
    for bad in ("bo@example", "bo li@example.com", "<bo@example.com>", "@example.com"):
        code, _, err = run(capsys, "profile", "set", "--manager-email", bad)
        assert code == 1 and "is not an e-mail address" in err, bad
    assert json.loads(run(capsys, "profile", "show", "--json")[1])["manager_email"] == \
        "bo.li@example.co.uk"


def test_a_win_cannot_be_dated_in_the_future(capsys):
    import datetime as dt

    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    code, _, err = run(capsys, "log", "add", "Launch", "--date", tomorrow)
    assert code == 1 and f"date {tomorrow} is in the future" in err
    code, _, _ = run(capsys, "log", "add", "Launch", "--date", dt.date.today().isoformat())
    assert code == 0
    code, _, err = run(capsys, "log", "edit", "1", "--date", tomorrow)
    assert code == 1 and "in the future" in err


def test_profile_show_without_profile_says_how(capsys):
    code, _, err = run(capsys, "profile", "show")
    assert code == 1
    assert "no profile yet" in err and "coach profile set" in err
    assert "Traceback" not in err


def test_home_flag_before_or_after_the_command(capsys, tmp_path):
    other = tmp_path / "other"
    run(capsys, "--home", str(other), "log", "add", "A", "--date", "2026-01-01")
    run(capsys, "log", "add", "B", "--date", "2026-01-02", "--home", str(other))
    code, out, _ = run(capsys, "log", "list", "--json", "--home", str(other))
    assert [e["title"] for e in json.loads(out)] == ["A", "B"]
    assert entries(capsys) == []  # the default home is untouched


def test_log_add_edit_rm(capsys):
    code, out, _ = run(capsys, "log", "add", "Led the payments migration", "--metric",
                       "cut p95 latency 40%", "--kind", "leadership", "--date", "2026-03-01",
                       "--next-level", "--json")
    entry = json.loads(out)
    assert code == 0 and entry["id"] == 1 and entry["next_level"] is True
    run(capsys, "log", "edit", "1", "--metric", "cut p95 latency 45%", "--next-level", "no")
    assert entries(capsys)[0]["metric"] == "cut p95 latency 45%"
    assert entries(capsys)[0]["next_level"] is False
    code, out, _ = run(capsys, "log", "list", "--kind", "mentoring", "--json")
    assert json.loads(out) == []
    code, _, _ = run(capsys, "log", "rm", "1")
    assert code == 0 and entries(capsys) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "add", ""], "title is empty"),
        (["log", "add", "   "], "title is empty"),
        (["log", "add", "x", "--kind", "heroics"], "invalid choice"),
        (["log", "add", "x", "--date", "2026-02-30"], "not a date"),
        (["log", "add", "x", "--date", "1066-10-14"], "before 1970"),
        (["log", "add", "x", "--description", "a" * 5_000_000], "too long"),
        (["log", "edit", "42", "--metric", "1"], "no impact-log entry with id 42"),
        (["log", "rm", "42"], "no impact-log entry with id 42"),
        (["log", "rm", "abc"], "not an entry id"),
        (["profile", "set", "--transition", "ic-to-ceo"], "invalid choice"),
        (["profile", "set", "--months-in-role", "-3"], "not between 0 and 600"),
        (["profile", "set", "--review-month", "13"], "month number"),
        (["profile", "set", "--signal", "vibes"], "invalid choice"),
        (["profile", "set", "--current-title", "Eng"], "profile not saved"),
    ],
)
def test_bad_input_one_clear_line_and_nothing_changed(capsys, argv, message):
    run(capsys, "log", "add", "Existing", "--date", "2026-01-01")
    before = entries(capsys)
    code, _, err = run(capsys, *argv)
    assert code != 0
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert entries(capsys) == before


CSV_GOOD = "date,title,metric,kind,next_level\n2026-01-05,Shipped search,+12% conversion,result,no\n"


def test_import_bad_rows_imports_nothing_unless_skip(capsys, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(CSV_GOOD + "2026-02-31,Impossible date,,result,no\n"
                    "2026-03-01,Unknown kind,,heroics,no\n", encoding="utf-8")
    code, _, err = run(capsys, "log", "import", str(path))
    assert code == 1
    assert "2 bad rows; nothing was imported" in err and "--skip-bad" in err
    assert "line 3: date" in err and "line 4: kind" in err
    assert entries(capsys) == []
    code, out, _ = run(capsys, "log", "import", str(path), "--skip-bad", "--json")
    result = json.loads(out)
    assert [e["title"] for e in result["imported"]] == ["Shipped search"]
    assert [s["line"] for s in result["skipped"]] == [3, 4]
    assert result["counts"] == {"imported": 1, "duplicates": 0, "skipped": 2}


def test_importing_the_same_file_twice_adds_nothing_the_second_time(capsys, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(CSV_GOOD + "2026-01-06,Second win,,result,no\n"
                    "2026-01-06,second WIN,,result,no\n", encoding="utf-8")  # a repeat, case aside
    code, out, _ = run(capsys, "log", "import", str(path))
    assert code == 0 and out.startswith("Imported 2 entries; 1 entry already in the log.")
    code, out, _ = run(capsys, "log", "import", str(path), "--json")
    result = json.loads(out)
    assert result["counts"] == {"imported": 0, "duplicates": 3, "skipped": 0}
    assert [d["line"] for d in result["duplicates"]] == [2, 3, 4]
    assert len(entries(capsys)) == 2
    path.write_text(CSV_GOOD, encoding="utf-8")
    assert run(capsys, "log", "import", str(path))[1].startswith(
        "Imported 0 entries; 1 entry already in the log.")


def test_the_template_lists_the_columns_and_imports_as_one_entry(capsys, tmp_path):
    out_file = tmp_path / "template.csv"
    code, out, _ = run(capsys, "log", "template", "--out", str(out_file))
    assert code == 0 and "date: when it happened, YYYY-MM-DD" in out
    assert out_file.read_text().startswith("date,title,description,metric,kind,next_level")
    code, out, _ = run(capsys, "log", "import", str(out_file))
    assert code == 0 and out.startswith("Imported 1 entry.")
    code, out, _ = run(capsys, "log", "template", "--json")
    assert "kind" in json.loads(out)["columns"]


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_export_import_round_trip_via_cli(capsys, tmp_path, fmt):
    run(capsys, "log", "add", "Led migration", "--metric", "cut p95 latency 40%", "--kind",
        "leadership", "--date", "2026-03-01", "--next-level", "--description", "Line 1\n## x")
    run(capsys, "log", "add", "Mentored 2 juniors", "--kind", "mentoring", "--date", "2026-04-01",
        "--source", "https://example.invalid")
    out_file = tmp_path / f"log.{fmt}"
    code, _, _ = run(capsys, "log", "export", "--format", fmt, "--out", str(out_file))
    assert code == 0
    home2 = tmp_path / "home2"
    code, _, err = run(capsys, "--home", str(home2), "log", "import", str(out_file))
    assert code == 0, err
    again = tmp_path / f"again.{fmt}"
    run(capsys, "--home", str(home2), "log", "export", "--format", fmt, "--out", str(again))
    assert again.read_bytes() == out_file.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("log.csv", b"\xff\xfe\x00d\x00a", "looks binary"),
        ("log.csv", "date,title\n2026-01-01,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("log.json", b"[{", "malformed"),
        ("log.json", b"", "empty"),
        ("log.xlsx", b"PK\x03\x04", "cannot tell the format"),
        ("../../etc/passwd.csv", None, "no file at"),
    ],
)
def test_import_broken_files(capsys, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(capsys, "log", "import", str(path))
    assert code == 1 and message in err and "Traceback" not in err
    assert entries(capsys) == []
