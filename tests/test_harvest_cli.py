"""`coach log harvest | inbox | accept | reject` as a user types them: every source, --json
for every action, a second harvest adds nothing, and bad input adds nothing with a message
in the command's own words."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from coach.cli.main import main
from tests.scenarios.helpers import cli_json

NOTE = """# Week of 2026-03-02
- Shipped the billing export, cut support tickets 30%
- Mentored Ana on the payments code
- Ran the incident review for the Tuesday outage
"""
PRS = [{"number": 12, "title": "Cache the price lookup",
        "body": "Cut p95 latency from 900 ms to 300 ms.", "mergedAt": "2026-02-20T10:00:00Z",
        "url": "https://github.com/acme/shop/pull/12", "additions": 120, "deletions": 30,
        "labels": [], "author": {"login": "ana"}},
       {"number": 13, "title": "Write the API guide", "body": "", "state": "MERGED",
        "mergedAt": "2026-02-21T10:00:00Z", "url": "https://github.com/acme/shop/pull/13",
        "author": {"login": "ana"}}]
JIRA = ("Issue key,Summary,Assignee,Resolved,Resolution\r\n"
        "PAY-7,Retry failed payouts,Ana Ruiz,2026-02-11 10:00,Done\r\n"
        "PAY-8,Fix the refund email,Bo Li,2026-02-12 10:00,Done\r\n")
ICS = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:talk-1@example.com
DTSTART:20260210T150000Z
SUMMARY:Brown bag talk: how we cut deploy time 50%
ORGANIZER;CN=Ana Ruiz:mailto:ana@example.com
ATTENDEE;CN=Bo Li:mailto:bo@example.com
ATTENDEE;CN=Cy Ng:mailto:cy@example.com
END:VEVENT
END:VCALENDAR
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def fails(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code != 0 and out == "", out
    assert "Traceback" not in err
    return err


def inbox(capsys, *flags: str) -> list[dict]:
    return ok(capsys, "log", "inbox", *flags)


def git(repo, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "shop"
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "user.email", "ana@example.com")
    git(path, "config", "user.name", "Ana Ruiz")
    for name, message in (("a.txt", "Add the export job: cut run time from 40 min to 12 min"),
                          ("b.txt", "Retry failed payouts")):
        (path / name).write_text(name)
        git(path, "add", name)
        git(path, "commit", "-q", "-m", message)
    return path


def test_a_note_goes_to_the_inbox_then_accept_and_reject_with_json(capsys, tmp_path):
    note = tmp_path / "week.md"
    note.write_text(NOTE)
    result = ok(capsys, "log", "harvest", "text", str(note), "--no-model")
    assert result["counts"] == {"added": 3, "duplicates": 0}
    assert result["drafted_by"] == "draft"
    first = result["added"][0]
    assert (first["metric"], first["link"], first["status"]) == (
        "Shipped the billing export, cut support tickets 30%", "week.md:2", "pending")
    assert result["added"][1]["metric"] == "" and result["added"][1]["nudge"].startswith(
        "add the result")
    assert ok(capsys, "log", "list") == []  # never straight into the log

    done = ok(capsys, "log", "accept", "2", "--metric", "Ana shipped 2 fixes alone",
              "--kind", "mentoring", "--next-level", "yes", "--title", "Mentored Ana")
    assert done["entry"]["source"] == "week.md:3" and done["item"]["status"] == "accepted"
    assert done["entry"]["next_level"] is True and done["item"]["entry_id"] == done["entry"]["id"]
    rejected = ok(capsys, "log", "reject", "3")
    assert rejected["status"] == "rejected"
    assert [i["id"] for i in inbox(capsys)] == [1]
    assert [i["status"] for i in inbox(capsys, "--all")] == ["pending", "accepted", "rejected"]
    assert [e["title"] for e in ok(capsys, "log", "list")] == ["Mentored Ana"]

    again = ok(capsys, "log", "harvest", "text", str(note), "--no-model")
    assert again["counts"] == {"added": 0, "duplicates": 3}
    code, out, _ = run(capsys, "log", "harvest", "text", str(note), "--no-model")
    assert code == 0 and out.startswith("Nothing new to add; 3 candidates were already")
    assert "same work as inbox #3 (rejected)" in out


def test_a_note_from_standard_input_and_with_the_model(capsys, monkeypatch, ctx):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        ("\ufeff" + NOTE).encode())))
    ctx.llm.enqueue(json.dumps({"entries": [
        {"line": 2, "title": "Shipped the billing export", "metric": "cut support tickets 30%",
         "kind": "result"}]}))
    data = cli_json(monkeypatch, capsys, ctx, "log", "harvest", "text", "-")
    assert data["drafted_by"] == "model" and data["notice"] is None
    assert [(i["title"], i["link"]) for i in data["added"]] == [
        ("Shipped the billing export", "note:2")]


def test_human_output_lists_candidates_and_the_next_step(capsys, tmp_path):
    note = tmp_path / "week.md"
    note.write_text(NOTE)
    code, out, _ = run(capsys, "log", "harvest", "text", str(note), "--no-model")
    assert code == 0 and out.startswith("Added 3 candidates to the inbox.")
    assert "#2    2026-03-02  text     Mentored Ana on the payments code" in out
    assert "coach log accept ID" in out
    code, out, _ = run(capsys, "log", "accept", "1")
    assert code == 0 and out.startswith("Accepted inbox #1 as entry #1: 2026-03-02 Shipped")


def test_git_github_jira_and_calendar(capsys, tmp_path, repo):
    got = ok(capsys, "log", "harvest", "git", str(repo), "--author", "ana@example.com")
    assert got["counts"]["added"] >= 1 and {i["source"] for i in got["added"]} == {"git"}
    assert ok(capsys, "log", "harvest", "git", str(repo))["counts"]["added"] == 0  # config's

    prs = tmp_path / "prs.json"
    prs.write_text(json.dumps(PRS))
    got = ok(capsys, "log", "harvest", "github", str(prs), "--author", "ana")
    by_link = {i["link"]: i for i in got["added"]}
    assert by_link[PRS[0]["url"]]["metric"] == "Cut p95 latency from 900 ms to 300 ms"
    assert by_link[PRS[1]["url"]]["metric"] == ""
    assert ok(capsys, "log", "harvest", "github", str(prs), "--author", "ana",
              "--since", "2026-02-21")["counts"] == {"added": 0, "duplicates": 1}

    jira = tmp_path / "jira.csv"
    jira.write_text(JIRA)
    got = ok(capsys, "log", "harvest", "jira", str(jira), "--assignee", "Ana Ruiz")
    assert [i["title"] for i in got["added"]] == ["Retry failed payouts"]

    ics = tmp_path / "cal.ics"
    ics.write_text(ICS)
    got = ok(capsys, "log", "harvest", "calendar", str(ics), "--person", "ana@example.com")
    assert got["added"][0]["metric"] == "Brown bag talk: how we cut deploy time 50%"

    accepted = ok(capsys, "log", "accept", str(by_link[PRS[0]["url"]]["id"]))
    assert accepted["entry"]["source"] == PRS[0]["url"]
    again = ok(capsys, "log", "harvest", "github", str(prs), "--author", "ana")
    assert again["counts"] == {"added": 0, "duplicates": 2}


@pytest.mark.parametrize(("argv", "says"), [
    (("git", "{tmp}"), "is not a git repository"),
    (("git", "{empty_repo}"), "has no commits yet"),
    (("git", "{repo}", "--author", "bob@example.com"),
     "no commit by bob@example.com in this history (authors found: ana@example.com). Pass "
     "--author with the address your commits are made with"),
    (("git", "{repo}", "--since", "2999-01-01"), "Pass an earlier --since"),
    (("github", "{issues}", "--author", "ana"), "this is not a list of merged pull requests"),
    (("github", "{prs}"), "Pass --author with your GitHub login."),
    (("github", "{binary}", "--author", "ana"), "is not a text file (it looks binary)"),
    (("jira", "{no_columns}", "--assignee", "Ana Ruiz"), "has no Resolved column"),
    (("calendar", "{no_events}", "--person", "ana@example.com"), "the calendar holds no events"),
    (("text", "{blank}"), "the note holds no lines of work"),
    (("text", "{missing}"), "could not read"),
])
def test_bad_input_is_refused_in_flag_words_and_adds_nothing(capsys, tmp_path, repo, argv,
                                                             says):
    empty_repo = tmp_path / "new"
    empty_repo.mkdir()
    git(empty_repo, "init", "-q")
    files = {"issues": json.dumps([{"number": 1, "title": "Bug", "state": "OPEN"}]),
             "prs": json.dumps(PRS), "no_columns": "Issue key,Summary,Assignee\nPAY-1,x,y\n",
             "no_events": "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", "blank": "\n\n#\n"}
    paths = {"tmp": tmp_path, "repo": repo, "empty_repo": empty_repo,
             "missing": tmp_path / "nope.md"}
    for name, content in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(content)
    paths["binary"] = tmp_path / "binary.json"
    paths["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    err = fails(capsys, "log", "harvest", *(a.format(**paths) for a in argv))
    assert says in err
    assert inbox(capsys, "--all") == []


def test_accept_and_reject_refuse_what_they_cannot_do(capsys, tmp_path):
    note = tmp_path / "week.md"
    note.write_text(NOTE)
    ok(capsys, "log", "harvest", "text", str(note), "--no-model")
    assert "no inbox item with id 9. Run `coach log inbox --all`" in fails(
        capsys, "log", "accept", "9")
    assert "is in the future" in fails(capsys, "log", "accept", "1", "--date", "2999-01-01")
    assert "title is empty" in fails(capsys, "log", "accept", "1", "--title", " ")
    ok(capsys, "log", "reject", "1")
    assert "inbox item 1 was already rejected" in fails(capsys, "log", "accept", "1")
    assert ok(capsys, "log", "list") == []
    assert run(capsys, "log", "accept", "x")[0] == 2  # a usage error


def test_the_inbox_and_a_harvest_without_the_model_load_no_heavy_library(tmp_path):
    from bench.bench_cli import heavy_modules, seeded_env

    env = seeded_env(tmp_path / "home")
    note = tmp_path / "week.md"
    note.write_text(NOTE)
    for argv in (("log", "harvest", "text", str(note), "--no-model"), ("log", "inbox"),
                 ("log", "accept", "1")):
        assert heavy_modules(argv, env) == [], argv
