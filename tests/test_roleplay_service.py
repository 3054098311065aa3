"""The role-play service: streaming, the guard's regenerate-then-fallback, cancel, auto, scripts."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

from coach.domain.errors import CoachError
from coach.domain.roleplay import ResponseType
from coach.domain.roleplay.personas import AUTO_TABLE, readiness_band
from coach.llm.base import LLMError
from coach.prompts import load_persona
from coach.services import roleplay
from coach.testing import ScriptedLLM
from tests.scenarios import load_scenarios, seed
from tests.test_roleplay_sessions import TODAY, judge_reply, seed_user

GOOD = "You're doing strong work. What would you point to first?"
BAD = "As an AI language model, I would say not yet."


@pytest.fixture
def user_ctx(ctx):
    seed_user(ctx)
    ctx.judge_override = ScriptedLLM(default=judge_reply)  # type: ignore[arg-type]
    return ctx


def start(ctx, *replies, response="not-yet", difficulty="realistic"):
    ctx.llm_override = ScriptedLLM(list(replies))
    return roleplay.start_roleplay(ctx, response, difficulty, seed=3, today=TODAY)


def test_tokens_stream_and_the_validated_reply_is_returned(user_ctx):
    session = start(user_ctx, GOOD)
    pieces: list[str] = []
    reply = session.say("I'd like to talk about the Engineering Manager role.", on_token=pieces.append)
    assert "".join(pieces).strip() == GOOD
    assert reply.text == GOOD and not reply.fallback and not reply.replaced
    assert session.transcript[-1].text == GOOD
    assert [c.kind for c in user_ctx.llm_override.history] == ["stream"]


def test_a_reply_that_breaks_role_is_regenerated_once(user_ctx):
    session = start(user_ctx, BAD, GOOD)
    events = []
    reply = session.say("Hello, thanks for the time.", on_event=events.append)
    assert reply.text == GOOD and reply.replaced and not reply.fallback
    assert [e.kind for e in events] == ["rejected", "regenerated"]
    assert "meta" in events[0].reason or "ai" in events[0].reason.lower()
    # The second try streams too (not shown), so a stall is caught there as well.
    assert [c.kind for c in user_ctx.llm_override.history] == ["stream", "stream"]
    assert reply.streamed.strip() == BAD  # the UI showed this and must swap it
    assert reply.note.startswith("the first reply was replaced: it stepped out of the role")
    assert reply.note.endswith("; the model was asked again")
    # The second try is told what went wrong.
    assert "no talk of instructions" in user_ctx.llm_override.history[1].messages[-1]["content"]


def test_two_bad_replies_fall_back_to_the_personas_line(user_ctx):
    session = start(user_ctx, BAD, "Manager: Tip: you should say thanks.")
    reply = session.say("Hello, thanks for the time.")
    persona = load_persona(ResponseType.NOT_YET)
    probes = [session.meeting.fill(p, i) for p in persona.probes for i in range(3)]
    assert reply.fallback and reply.replaced and reply.text in probes
    assert reply.notice and "prepared line" in reply.notice
    assert [e.kind for e in reply.events] == ["rejected", "rejected", "fallback"]
    turn = session.transcript[-1]
    assert turn.fallback and turn.violations
    stored = user_ctx.store.messages(session.id)[-1]
    assert stored.meta["fallback"] is True


def test_a_failing_stream_falls_back_to_complete(user_ctx):
    session = start(user_ctx, LLMError("stream broke"), GOOD)
    reply = session.say("Hello, thanks for the time.")
    assert reply.text == GOOD and not reply.fallback
    assert [e.kind for e in reply.events] == ["model-error", "regenerated"]


def test_an_unreachable_model_still_gives_an_in_role_line(user_ctx):
    session = start(user_ctx, LLMError("down"), LLMError("still down"))
    reply = session.say("Hello, thanks for the time.")
    assert reply.fallback and "could not be reached" in reply.notice
    result = session.end()
    assert result.notices == [reply.notice]


def test_cancel_records_nothing_and_the_meeting_goes_on(user_ctx):
    session = start(user_ctx, "This is a long reply that gets cut off halfway through.", GOOD)
    cancel = threading.Event()
    stored_before = len(user_ctx.store.messages(session.id))

    def stop_after_first(piece: str) -> None:
        cancel.set()

    reply = session.say("Hello, thanks for the time.", on_token=stop_after_first, cancel=cancel)
    assert reply.cancelled and reply.text == ""
    assert len(session.transcript) == 1 and session.meeting.state.user_turns == 0
    assert len(user_ctx.store.messages(session.id)) == stored_before
    again = session.say("Hello, thanks for the time.")
    assert again.text == GOOD and session.meeting.state.user_turns == 1


def test_closing_the_meeting_ends_it(user_ctx):
    session = start(user_ctx, GOOD)
    session.say("Thanks for making time.")
    reply = session.say("Thank you, I'll send a recap email tomorrow.")
    assert reply.ended and session.ended
    assert reply.move == "close" and len(user_ctx.llm_override.history) == 1  # no model call to close
    with pytest.raises(CoachError, match="ended"):
        session.say("One more thing.")
    result = session.end()
    assert session.end() is result  # idempotent
    assert result.status == "done"


def test_ending_early_adds_the_managers_closing_line(user_ctx):
    session = start(user_ctx, GOOD)
    session.say("Hello.")
    result = session.end()
    assert result.transcript[-1].speaker == "manager" and result.transcript[-1].move == "close"


@pytest.mark.parametrize("line", ["", "   ", "x" * 2001])
def test_unusable_lines_are_clear_errors(user_ctx, line):
    session = start(user_ctx, GOOD)
    with pytest.raises(CoachError):
        session.say(line)
    assert session.meeting.state.user_turns == 0


def test_extra_script_lines_after_the_meeting_ended_are_reported(user_ctx):
    user_ctx.llm_override = ScriptedLLM(default=GOOD)
    lines = ["Hello."] * 9
    result = roleplay.run_script(user_ctx, lines, "not-yet", "tough", seed=1, today=TODAY)
    assert result.unused_lines == 4
    assert any("were not said" in n for n in result.notices)


def test_slash_end_in_a_script_stops_the_meeting(user_ctx):
    user_ctx.llm_override = ScriptedLLM(default=GOOD)
    result = roleplay.run_script(user_ctx, ["Hello.", "/end", "Never said."], "yes", "easy", seed=1,
                                 today=TODAY)
    assert [t.text for t in result.transcript if t.speaker == "you"] == ["Hello."]


@pytest.mark.parametrize(("response", "difficulty", "message"), [
    ("maybe", "realistic", "unknown manager response"),
    ("yes", "nightmare", "unknown difficulty"),
])
def test_bad_type_or_difficulty_is_a_clear_error(user_ctx, response, difficulty, message):
    with pytest.raises(CoachError, match=message):
        roleplay.start_roleplay(user_ctx, response, difficulty)
    assert user_ctx.store.conversations("roleplay") == []


def test_no_profile_is_a_clear_error(ctx):
    with pytest.raises(CoachError, match="profile"):
        roleplay.start_roleplay(ctx, "yes", "easy")


# -- auto ----------------------------------------------------------------------------------------
def _fake(monkeypatch, score: float, verdict: str) -> None:
    monkeypatch.setattr(roleplay.start, "assess_readiness",
                        lambda *a, **k: SimpleNamespace(score=score, gaps=[]))
    monkeypatch.setattr(roleplay.start, "assess_timing", lambda *a, **k: SimpleNamespace(verdict=verdict))


def test_auto_strong_log_and_good_timing_hears_yes(user_ctx, monkeypatch):
    _fake(monkeypatch, 0.9, "good")
    for s in range(5):
        session = roleplay.start_roleplay(user_ctx, "auto", "easy", seed=s, today=TODAY)
        assert session.meeting.persona.type is ResponseType.YES


def test_auto_weak_log_in_a_freeze_hears_a_hard_answer(user_ctx, monkeypatch):
    _fake(monkeypatch, 0.15, "bad")
    types = {roleplay.start_roleplay(user_ctx, "auto", "easy", seed=s, today=TODAY).meeting.persona.type
             for s in range(10)}
    assert types <= {ResponseType.NO_FIT, ResponseType.NOT_READY}


def test_auto_is_revealed_only_at_the_end(user_ctx, monkeypatch):
    _fake(monkeypatch, 0.5, "good")
    user_ctx.llm_override = ScriptedLLM(default=GOOD)
    session = roleplay.start_roleplay(user_ctx, "auto", "realistic", seed=2, today=TODAY)
    assert session.visible_type == "auto"
    assert roleplay.get_session(user_ctx, session.id).response_type is None
    assert roleplay.list_meetings(user_ctx)[-1].response_type == "auto"
    assert user_ctx.store.get_conversation(session.id).meta["revealed"] is False
    session.say("Hello.")
    result = session.end()
    assert result.response_type is ResponseType.NOT_YET and result.requested == "auto"
    assert session.visible_type == "not-yet"
    assert user_ctx.store.get_conversation(session.id).meta["revealed"] is True


def test_auto_with_the_same_seed_is_the_same_answer(user_ctx):
    a = roleplay.start_roleplay(user_ctx, "auto", "easy", seed=11, today=TODAY)
    b = roleplay.start_roleplay(user_ctx, "auto", "easy", seed=11, today=TODAY)
    assert a.meeting.persona.type is b.meeting.persona.type
    assert a.opening == b.opening


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.id)
def test_auto_on_realistic_scenarios_follows_the_table(ctx, scenario):
    """Real readiness and timing rules on the shared scenarios, no fakes."""
    from coach.domain.readiness import assess_readiness
    from coach.domain.timing import assess_timing

    entries = seed(ctx, scenario)
    score = assess_readiness(scenario.profile, entries, today=scenario.today).score
    verdict = assess_timing(scenario.profile, entries, today=scenario.today).verdict
    assert verdict == scenario.expect.timing
    session = roleplay.start_roleplay(ctx, "auto", "realistic", seed=4, today=scenario.today)
    assert session.meeting.persona.type in AUTO_TABLE[(readiness_band(score), verdict)]


# -- scripts -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (b"", "no lines"),
    (b"# only a comment\n\n   \n", "no lines"),
    (b"hello\x00world\n", "binary"),
    ("caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    (b"hello\n" * 201, "limit is 200"),
    (b"x" * 2001 + b"\n", "characters long"),
])
def test_bad_script_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "script.txt"
    path.write_bytes(content)
    with pytest.raises(CoachError, match=message):
        roleplay.load_script(path)


def test_a_missing_script_file_is_a_clear_error(tmp_path):
    with pytest.raises(CoachError, match="does not exist"):
        roleplay.load_script(tmp_path / "nope.txt")


def test_script_lines_skip_blanks_and_comments(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("\ufeff# intro\nHello there.\n\n  # indented comment\nThanks!\r\n", encoding="utf-8")
    assert roleplay.load_script(path) == ["Hello there.", "Thanks!"]


def test_the_summary_keeps_an_auto_answer_hidden_until_the_end(user_ctx, monkeypatch):
    _fake(monkeypatch, 0.9, "good")
    user_ctx.llm_override = ScriptedLLM(default=GOOD)
    session = roleplay.start_roleplay(user_ctx, "auto", "realistic", seed=2, today=TODAY)
    session.say("Could we revisit this in six months?")
    assert "not been revealed" in roleplay.session_summary(user_ctx, session.id)
    session.end()
    summary = roleplay.session_summary(user_ctx, session.id)
    assert "yes, let's make it happen" in summary and "six months" in summary


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.id)
@pytest.mark.parametrize("response_type", [t.value for t in ResponseType])
def test_a_useless_model_still_gives_an_in_role_meeting_about_the_users_log(ctx, scenario, response_type):
    """Every reply breaks role: the meeting runs on prepared lines that name the user's own work."""
    from coach.domain.roleplay import LogFact, contradiction

    entries = seed(ctx, scenario)
    ctx.llm_override = ScriptedLLM(default="As an AI language model, I would say the employee should ask.")
    ctx.judge_override = ScriptedLLM(default="not json")
    lines = ["Thanks for meeting with me.", f"I'd like to become {scenario.profile.target_title}.",
             "What do you think? Which gaps, specifically?", "Could we revisit in six months?"]
    result = roleplay.run_script(ctx, lines, response_type, "easy", seed=5, today=scenario.today)
    persona = load_persona(response_type)
    manager = [t for t in result.transcript if t.speaker == "manager"]
    model_turns = [t for t in manager if t.move not in ("opening", "close")]
    assert model_turns and all(t.fallback for t in model_turns)
    assert all(contradiction(persona.type, t.text) is None for t in manager)
    assert any(persona.matches(t.text) for t in model_turns if t.move == "answer")
    titles = [LogFact(entry_id=e.id, title=e.title, date=e.date, kind=e.kind).first_person for e in entries]
    handling = result.scorecard.check("handling")
    assert scenario.profile.target_title in handling.improved
    assert any(t in handling.improved for t in titles)
    # Nothing in the lines is a result, so the rules say no (with why) and the broken judge is never asked.
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict.value == "no" and convincing.method == "rule" and convincing.reason
    assert not ctx.judge_override.history


def test_cancel_during_the_retry_records_nothing(user_ctx):
    cancel = threading.Event()

    def retry(messages):
        cancel.set()  # the user pressed Ctrl-C while the second attempt was running
        return GOOD

    session = start(user_ctx, BAD, retry)
    reply = session.say("Hello, thanks for the time.", cancel=cancel)
    assert reply.cancelled and session.meeting.state.user_turns == 0
    assert len(session.transcript) == 1


class _WarmingLLM(ScriptedLLM):
    """A scripted model that, like the embedded one, can read a prompt ahead of a turn."""

    def __init__(self, replies):
        super().__init__(replies)
        self.warmed: list[list[dict]] = []

    def warm(self, messages):
        self.warmed.append(list(messages))
        return True


def test_warming_reads_the_brief_then_the_meeting_as_the_next_turn_will_send_it(user_ctx):
    llm = _WarmingLLM([BAD, "Manager: Tip: you should say thanks.", GOOD])
    user_ctx.llm_override = llm
    session = roleplay.start_roleplay(user_ctx, "not-yet", "realistic", seed=3, today=TODAY)
    assert session.warm() is True
    assert llm.warmed[-1] == [{"role": "system", "content": session.system},
                              {"role": "assistant", "content": session.opening}]
    first = session.say("Hello, thanks for the time.")
    assert first.fallback  # the server's cache holds a reply the user never saw
    session.warm_in_background().join()
    session.say("I'd like to talk about the Engineering Manager role.")
    warmed, sent = llm.warmed[-1], llm.history[-1].messages
    assert warmed[-1] == {"role": "assistant", "content": first.text}
    assert sent[:len(warmed)] == warmed  # the next turn extends exactly what was read


def test_no_warming_for_a_model_without_it_or_after_the_meeting(user_ctx):
    session = start(user_ctx, GOOD)
    assert session.warm() is False and session.warm_in_background() is None
    user_ctx.llm_override = _WarmingLLM([])
    session.end()
    assert session.warm_in_background() is None


def test_the_brief_says_how_to_word_the_decision_and_its_example_may_be_said(user_ctx):
    persona = load_persona(ResponseType.NOT_YET)
    example = persona.answer_note.split('"')[1]  # the example line the wording guide gives
    session = start(user_ctx, example)
    assert f"When you give it: {persona.answer_note}" in session.system
    # Said in the manager's own way or word for word, the example is not the brief read out;
    # the guide's own words are.
    assert not session.guard.check(example).breaks
    guide = persona.answer_note.split(", e.g.")[0]
    assert session.guard.check(f"Okay. {guide}.").breaks


def test_a_line_is_read_as_it_is_typed_and_a_burst_of_keystrokes_costs_one_reading(user_ctx):
    gate = threading.Event()

    class Busy(_WarmingLLM):  # the model is still reading when the next keystrokes come
        def warm(self, messages):
            gate.wait(5)
            return super().warm(messages)

    llm = Busy([GOOD])
    user_ctx.llm_override = llm
    session = roleplay.start_roleplay(user_ctx, "not-yet", "realistic", seed=3, today=TODAY)
    line = "I'd like to talk about the Engineering Manager role."
    thread = session.warm_in_background(draft="I'd")
    for end in range(5, len(line) + 1, 5):
        assert session.warm_in_background(draft=line[:end]) is thread
    session.warm_in_background(draft=line)
    gate.set()
    thread.join(5)
    read = [w[-1]["content"] for w in llm.warmed]
    assert read[-1] == line and len(read) <= 2  # what the thread took first, then only the latest
    assert llm.warmed[-1][:-1] == [{"role": "system", "content": session.system},
                                   {"role": "assistant", "content": session.opening}]
    session.say(line)
    assert llm.history[-1].messages[-1]["content"].startswith(line)  # the turn extends what was read
    session.warm(draft="You are such an idiot.")  # an off-script line never reaches the model
    assert llm.warmed[-1][-1]["role"] == "assistant"
