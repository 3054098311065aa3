"""`coach roleplay`: scripted runs with --json, progress, show, and clear errors."""

from __future__ import annotations

import json

import pytest

from coach.cli.main import main
from coach.domain.roleplay import ResponseType
from coach.services.context import Context
from coach.testing import ScriptedLLM
from tests.test_roleplay_sessions import MANAGER_REPLIES, SCRIPTS, judge_reply, seed_user


class Dispatch:
    """One fake model for the manager (replies in order) and the judge (by its prompt)."""

    def __init__(self, replies):
        self.replies = list(replies)

    def __call__(self, messages):
        if "You grade one step" in messages[0]["content"]:
            return judge_reply(messages)
        return self.replies.pop(0) if self.replies else "I hear you."


@pytest.fixture
def cli(coach_home, monkeypatch):
    seed_user(Context.open(coach_home))
    fakes = {}

    def fake_build_llm(settings, model=None, **kwargs):
        fakes.setdefault("llm", ScriptedLLM(default=Dispatch(fakes.get("replies", []))))  # type: ignore
        return fakes["llm"]

    monkeypatch.setattr("coach.llm.factory.build_llm", fake_build_llm)
    return fakes


def run_json(capsys, *argv):
    code = main([*argv, "--json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def test_scripted_run_prints_the_transcript_and_scorecard_as_json(cli, capsys):
    cli["replies"] = MANAGER_REPLIES[("not-yet", "strong")]
    code, data, _ = run_json(capsys, "roleplay", "--response", "not-yet", "--difficulty", "realistic",
                             "--script", str(SCRIPTS / "not-yet-strong.txt"), "--seed", "7")
    assert code == 0
    assert data["response_type"] == "not-yet" and data["difficulty"] == "realistic"
    assert isinstance(data["session_id"], int)
    speakers = {t["speaker"] for t in data["transcript"]}
    assert speakers == {"you", "manager"}
    assert all({"speaker", "text", "fallback"} <= set(t) for t in data["transcript"])
    card = data["scorecard"]
    assert card["score"] >= 0.8
    for check in card["checks"]:
        assert {"id", "step", "verdict", "quote", "improved", "method"} <= set(check)
        assert check["verdict"] in {"yes", "no", "n/a", "unscored"}
        assert check["method"] in {"rule", "judge"}


def test_auto_is_revealed_in_the_json(cli, capsys):
    code, data, _ = run_json(capsys, "roleplay", "--script", str(SCRIPTS / "yes-weak.txt"), "--seed", "1")
    assert code == 0
    assert data["requested"] == "auto"
    assert data["response_type"] in {t.value for t in ResponseType}


def test_text_output_shows_transcript_and_scorecard(cli, capsys):
    cli["replies"] = MANAGER_REPLIES[("no-fit", "weak")]
    code = main(["roleplay", "--response", "no-fit", "--script", str(SCRIPTS / "no-fit-weak.txt"),
                 "--seed", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "We don't see you in that role" in out
    assert "Scorecard:" in out and "try:" in out and "you: So when am I getting promoted?" in out


def test_progress_and_show(cli, capsys):
    cli["replies"] = MANAGER_REPLIES[("not-yet", "weak")] + MANAGER_REPLIES[("not-yet", "strong")]
    for variant in ("weak", "strong"):
        assert main(["roleplay", "--response", "not-yet", "--script",
                     str(SCRIPTS / f"not-yet-{variant}.txt"), "--seed", "7"]) == 0
    capsys.readouterr()
    code, progress, _ = run_json(capsys, "roleplay", "progress")
    assert code == 0
    assert len(progress["sessions"]) == 2
    assert progress["sessions"][1]["score"] > progress["sessions"][0]["score"]
    steps = {c["id"]: [p["verdict"] for p in c["points"]] for c in progress["checks"]}
    assert steps["timeline"] == ["no", "yes"]
    assert main(["roleplay", "progress"]) == 0
    assert "By step" in capsys.readouterr().out

    session_id = progress["sessions"][1]["session_id"]
    code, shown, _ = run_json(capsys, "roleplay", "show", str(session_id))
    assert code == 0 and shown["session_id"] == session_id and shown["scorecard"]["score"] >= 0.8


def test_progress_with_no_sessions(cli, capsys):
    assert main(["roleplay", "progress"]) == 0
    assert "No scored role-plays yet" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--response", "maybe"], "unknown manager response"),
    (["--difficulty", "brutal"], "unknown difficulty"),
    (["--script", "/no/such/file.txt"], "does not exist"),
])
def test_bad_options_are_clear_errors(cli, capsys, tmp_path, argv, message):
    code = main(["roleplay", *argv])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize(("content", "message"), [
    (b"", "no lines"),
    (b"\x00\x01\x02", "binary"),
    (b"\xff\xfe bad", "not UTF-8"),
    (b"line\n" * 300, "limit is 200"),
])
def test_bad_script_files_are_clear_errors(cli, capsys, tmp_path, content, message):
    path = tmp_path / "script.txt"
    path.write_bytes(content)
    code = main(["roleplay", "--response", "yes", "--script", str(path)])
    assert code == 1 and message in capsys.readouterr().err


def test_show_of_an_unknown_session_is_a_clear_error(cli, capsys):
    assert main(["roleplay", "show", "99"]) == 1
    assert "no conversation with id 99" in capsys.readouterr().err


def test_interactive_session_reads_stdin_until_end(cli, capsys, monkeypatch):
    cli["replies"] = ["Sure. What's on your mind?"]
    answers = iter(["Thanks for making time, I appreciate it.", "/end"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code = main(["roleplay", "--response", "yes", "--difficulty", "easy", "--seed", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Sure. What's on your mind?" in out  # streamed
    assert "Scorecard:" in out


def test_interactive_with_json_keeps_stdout_clean(cli, capsys, monkeypatch):
    cli["replies"] = ["Sure. What's on your mind?"]
    answers = iter(["Thanks for making time, I appreciate it.", "/end"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, data, err = run_json(capsys, "roleplay", "--response", "no-fit", "--seed", "1")
    assert code == 0
    assert data["response_type"] == "no-fit" and data["scorecard"]["checks"]
    assert "Sure. What's on your mind?" in err  # the conversation went to stderr
    assert data["transcript"][-1]["speaker"] == "manager"


def test_interactive_session_warms_the_model_while_the_user_types(cli, capsys, monkeypatch):
    from coach.services.roleplay import RolePlaySession

    warmed = []
    monkeypatch.setattr(RolePlaySession, "warm_in_background",
                        lambda self: warmed.append(len(self.transcript)))
    cli["replies"] = ["Sure. What's on your mind?", "Go on."]
    answers = iter(["Thanks for making time.", "I want to talk about the next level.", "/end"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["roleplay", "--response", "yes", "--seed", "1"]) == 0
    assert warmed == [1, 3, 5]  # at the opening, then after each reply


REAL_MEETING = """manager: Hi Sam, come in. What did you want to cover?
you: Thanks for making time, Dana. I appreciate the room you gave me on payments.
you: I'd like to talk about the Engineering Manager role.
manager: Go on.
you: I led the payments migration, which cut checkout errors 38%. What would you need to see from me,
  specifically?
manager: You're doing strong work, but not yet. Concretely, I'd want to see you growing someone.
you: That's clear. If I take that on, can we put a date in the calendar to revisit in March?
manager: Let's do that.
you: Thanks, Dana. I'll send a summary email today."""


def test_score_a_real_meeting_infers_the_answer_and_saves_it(cli, capsys, tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_text(REAL_MEETING, encoding="utf-8")
    code, data, _ = run_json(capsys, "roleplay", "score", str(path))
    assert code == 0
    assert data["response_type"] == "not-yet" and data["inferred"] is True and data["real"] is True
    assert 0 < data["score"] <= 1
    checks = {c["id"]: c for c in data["checks"]}
    assert set(checks) == {"appreciation", "goal", "evidence", "convincing", "feedback", "timeline",
                           "close", "handling"}
    assert all({"id", "verdict", "quote", "reason", "improved"} <= set(c) for c in data["checks"])
    assert checks["handling"]["verdict"] == "yes" and checks["close"]["verdict"] == "yes"
    assert data["follow_up"] == f"coach email follow-up --meeting {data['session_id']}"
    # Saved beside the practice sessions, as a real meeting.
    code, listed, _ = run_json(capsys, "roleplay", "list")
    assert [m["real"] for m in listed] == [True] and "Not yet · real meeting" in listed[0]["title"]
    code, shown, _ = run_json(capsys, "roleplay", "show", str(data["session_id"]))
    assert shown["real"] is True and shown["scorecard"]["score"] == data["score"]


def test_score_takes_the_answer_from_response_and_json_turns(cli, capsys, tmp_path):
    turns = [{"speaker": "manager", "text": "What's up?"},
             {"speaker": "you", "text": "I'd like the Engineering Manager role."},
             {"speaker": "manager", "text": "There's no budget for it right now."},
             {"speaker": "you", "text": "Understood. What would it take to create the role next year?"}]
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps(turns), encoding="utf-8")
    code, data, _ = run_json(capsys, "roleplay", "score", str(path), "--response", "no-budget")
    assert code == 0 and data["response_type"] == "no-budget" and data["inferred"] is False
    assert next(c for c in data["checks"] if c["id"] == "handling")["verdict"] == "yes"


@pytest.mark.parametrize(("text", "message"), [
    ("", "is empty"),
    ("hello there\nyou: hi", "does not say who is speaking"),
    ("you: I want a promotion.\nyou: Please.", "none of your manager's lines"),
    ("manager: Hi.\nyou: I'd like the role.\nmanager: Let me think about it.", "could not tell which answer"),
    ("[{\"speaker\": \"ceo\", \"text\": \"hi\"}]", "unknown speaker"),
    ("{not json", "does not parse"),
])
def test_score_errors_say_how_to_fix_them(cli, capsys, tmp_path, text, message):
    path = tmp_path / "meeting.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["roleplay", "score", str(path)]) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_list_compare_and_rm_with_confirmation(cli, capsys, tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_text(REAL_MEETING, encoding="utf-8")
    first = run_json(capsys, "roleplay", "score", str(path))[1]["session_id"]
    second = run_json(capsys, "roleplay", "score", str(path), "--response", "not-ready")[1]["session_id"]
    code, cmp, _ = run_json(capsys, "roleplay", "compare", str(first), str(second))
    assert code == 0 and cmp["a"]["session_id"] == first and cmp["b"]["session_id"] == second
    assert {c["id"] for c in cmp["checks"]} >= {"handling", "close"}
    assert main(["roleplay", "compare", str(first), str(first)]) != 0
    # Without --yes and without a terminal to ask on, nothing is deleted.
    assert main(["roleplay", "rm", str(second)]) != 0
    assert "--yes" in capsys.readouterr().err
    code, gone, _ = run_json(capsys, "roleplay", "rm", str(second), "--yes")
    assert code == 0 and gone["deleted"]["session_id"] == second
    assert [m["session_id"] for m in run_json(capsys, "roleplay", "list")[1]] == [first]
    assert main(["roleplay", "show", str(second)]) != 0
