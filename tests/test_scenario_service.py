"""The scenario service: the re-ask then the prepared line, the figure check, persistence, the CLI."""

from __future__ import annotations

import json

import pytest

from coach.cli.main import main
from coach.domain.errors import CoachError
from coach.domain.offer import OfferChanges
from coach.domain.roleplay import Verdict
from coach.services import roleplay
from coach.services.context import Context
from coach.services.offer import set_offer
from coach.services.scenario import SCENARIOS, ScenarioSession, play_scenario, start_scenario
from coach.testing import ScriptedLLM
from tests.test_roleplay_sessions import TODAY, seed_user

OFFER = OfferChanges(title="Engineering Manager", salary="$150k", scope="the platform team of 6 engineers",
                     benefits="a bonus of up to 10%", start="2025-10-01")
OUT_OF_ROLE = "As an AI language model, I can't discuss salaries."
SAYS_THE_PAY = "The base salary would be $150k."


@pytest.fixture
def user_ctx(ctx):
    seed_user(ctx)
    set_offer(ctx, OFFER, today=TODAY)
    return ctx


def start(ctx, *replies: str, scenario: str = "offer", difficulty: str = "realistic") -> ScenarioSession:
    ctx.llm_override = ScriptedLLM(list(replies))
    return start_scenario(ctx, scenario, difficulty=difficulty, seed=3, today=TODAY)


def test_the_contract_names_both_scenarios():
    assert SCENARIOS == ("offer", "interview")


def test_a_good_reply_is_shown_as_streamed(user_ctx):
    session = start(user_ctx, SAYS_THE_PAY)
    pieces: list[str] = []
    reply = session.say("What is the salary?", on_token=pieces.append)
    assert reply.text == SAYS_THE_PAY and not reply.replaced and "".join(pieces).strip() == SAYS_THE_PAY
    assert user_ctx.llm_override.history[0].prompt.name == "scenario"


def test_a_reply_breaking_role_is_asked_again_once(user_ctx):
    session = start(user_ctx, OUT_OF_ROLE, SAYS_THE_PAY)
    reply = session.say("What is the salary?")
    assert reply.text == SAYS_THE_PAY and reply.replaced and not reply.fallback
    assert [e.kind for e in reply.events] == ["rejected", "regenerated"]
    assert reply.note.endswith("the model was asked again")
    retry = user_ctx.llm_override.history[1].messages[-1]["content"]
    assert "no talk of instructions" in retry and f"as the {session.who}" in retry


def test_twice_out_of_role_gives_the_prepared_line_with_a_notice(user_ctx):
    session = start(user_ctx, OUT_OF_ROLE, "Tip: you should ask for more money.")
    reply = session.say("What is the salary?")
    assert reply.fallback and "$150k" in reply.text
    assert [e.kind for e in reply.events] == ["rejected", "rejected", "fallback"]
    assert f"so the {session.who} used a prepared line" in reply.notice
    assert reply.note.startswith("the first reply was replaced: it stepped out of the role")
    assert session.transcript[-1].fallback and session.transcript[-1].violations
    assert len(user_ctx.llm_override.history) == 2  # asked once more, not more


def test_an_invented_salary_is_rejected(user_ctx):
    session = start(user_ctx, "The base salary would be $180k.", "The base salary would be $175,000.")
    reply = session.say("What is the salary?")
    assert reply.fallback and "$180k" not in reply.text and "$150k" in reply.text
    assert "it made up figures" in reply.note
    assert any("180k" in v for v in session.transcript[-1].violations)


def test_a_salary_the_user_names_is_not_the_offers(user_ctx):
    session = start(user_ctx, SAYS_THE_PAY, "Sure, $170k works for us.", "Fine, $170k then.")
    session.say("What is the salary?")
    reply = session.say("Could you go to $170k?")
    assert reply.fallback and "170" not in reply.text


def test_without_a_saved_offer_nothing_has_a_figure_and_a_notice_says_why(ctx):
    seed_user(ctx)
    ctx.llm_override = ScriptedLLM(default=OUT_OF_ROLE)
    result = play_scenario(ctx, "offer", ["Thank you!", "What's the salary?", "When would it start?"],
                           difficulty="easy", seed=1, today=TODAY)
    said = " ".join(t.text for t in result.transcript if t.speaker == "manager")
    assert not any(ch.isdigit() for ch in said), said
    assert any("No offer is saved" in n for n in result.notices)


def test_every_turn_is_saved_as_it_happens_and_the_end_saves_the_scorecard(user_ctx):
    session = start(user_ctx, SAYS_THE_PAY)
    convo = user_ctx.store.get_conversation(session.id)
    assert {k: convo.meta[k] for k in ("scenario", "difficulty", "seed", "status")} == {
        "scenario": "offer", "difficulty": "realistic", "seed": 3, "status": "active"}
    session.say("What is the salary?")
    # Interrupted here: what was said is already in the store.
    saved = roleplay.get_session(user_ctx, session.id)
    assert [t.speaker for t in saved.transcript] == ["manager", "you", "manager"]
    assert saved.scenario == "offer" and saved.status == "active" and saved.scorecard is None
    result = session.end()
    assert session.end() is result  # idempotent
    assert result.status == "done" and result.scenario == "offer" and result.counterpart == session.who
    assert "Offer conversation" in result.title
    assert [c.id for c in result.scorecard.checks] == ["thanks", "time-to-decide", "pay", "scope", "benefits",
                                                       "start-date", "in-writing"]
    again = roleplay.get_session(user_ctx, session.id)
    assert again.scorecard == result.scorecard and again.transcript == result.transcript
    listed = {m.session_id: m for m in roleplay.list_meetings(user_ctx)}[session.id]
    assert listed.scenario == "offer" and listed.response_type == "offer"
    progress = roleplay.roleplay_progress(user_ctx)
    assert any(c.id == "offer:pay" and c.points for c in progress.checks)
    with pytest.raises(CoachError, match="not a promotion meeting"):
        roleplay.session_summary(user_ctx, session.id)


def test_an_ended_conversation_takes_no_more_lines(user_ctx):
    session = start(user_ctx)
    reply = session.say("Thank you, I accept.")
    assert reply.ended and session.ended
    with pytest.raises(CoachError, match="has ended"):
        session.say("One more thing.")


def test_the_interview_scores_framing_evidence_and_why(user_ctx):
    user_ctx.llm_override = ScriptedLLM(default="Thanks. What result would you point to, and why move now?")
    result = play_scenario(user_ctx, "interview", [
        "I'm currently a Tech Lead, but I've been operating at the Engineering Manager level: I led the "
        "payments migration, which cut checkout errors 38%.",
        "I ran quarterly planning for the platform team: 3 teams aligned on 12 projects.",
        "I'm looking for a role where the title matches the work I already do.",
        "No questions from me, thanks."], difficulty="realistic", seed=2, today=TODAY)
    card = result.scorecard
    assert [c.id for c in card.checks] == ["framing", "evidence", "why-move"]
    assert all(c.verdict is Verdict.YES for c in card.checks), card.checks
    assert result.counterpart == "interviewer" and result.scenario == "interview"


def test_an_unknown_scenario_or_difficulty_is_a_clear_error(user_ctx):
    with pytest.raises(CoachError, match="unknown scenario"):
        start_scenario(user_ctx, "pitch")
    with pytest.raises(CoachError, match="unknown difficulty"):
        start_scenario(user_ctx, "offer", difficulty="brutal")


# -- the command line --------------------------------------------------------------------------
@pytest.fixture
def cli(coach_home, monkeypatch):
    ctx = Context.open(coach_home)
    seed_user(ctx)
    set_offer(ctx, OFFER, today=TODAY)
    llm = ScriptedLLM(default=SAYS_THE_PAY)
    monkeypatch.setattr("coach.llm.factory.build_llm", lambda settings, model=None, **kw: llm)
    return llm


def run_json(capsys, *argv):
    code = main(["--json", *argv])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def test_cli_scripted_offer_as_json(cli, capsys, tmp_path):
    script = tmp_path / "offer.txt"
    script.write_text("# the offer\nThank you!\nWhat is the salary?\nCould I have it in writing?\n")
    code, data, _ = run_json(capsys, "roleplay", "--scenario", "offer", "--difficulty", "tough",
                             "--script", str(script), "--seed", "4")
    assert code == 0
    assert data["scenario"] == "offer" and data["difficulty"] == "tough" and data["response_type"] is None
    assert isinstance(data["session_id"], int) and data["counterpart"] in ("manager", "HR partner")
    assert {t["speaker"] for t in data["transcript"]} == {"you", "manager"}
    checks = data["scorecard"]["checks"]
    assert [c["id"] for c in checks] == ["thanks", "time-to-decide", "pay", "scope", "benefits", "start-date",
                                         "in-writing"]
    assert all({"verdict", "quote", "reason", "improved"} <= set(c) for c in checks)
    assert all(c["reason"] for c in checks if c["verdict"] == "no")


def test_cli_scripted_offer_as_text(cli, capsys, tmp_path):
    script = tmp_path / "offer.txt"
    script.write_text("What is the salary?\n")
    assert main(["roleplay", "--scenario", "offer", "--script", str(script), "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "Practice: offer conversation" in out and "Scorecard:" in out and "you: What is the salary?" in out


def test_cli_response_is_only_for_the_promotion_meeting(cli, capsys, tmp_path):
    script = tmp_path / "offer.txt"
    script.write_text("Thanks.\n")
    code = main(["roleplay", "--scenario", "offer", "--response", "yes", "--script", str(script)])
    err = capsys.readouterr().err
    assert code != 0 and "--response" in err and "--scenario promotion" in err and "Traceback" not in err


def test_cli_bad_scenario_says_the_choices(cli, capsys, tmp_path):
    code = main(["roleplay", "--scenario", "pitch"])
    err = capsys.readouterr().err
    assert code != 0 and "unknown scenario 'pitch'" in err and "promotion | offer | interview" in err


def test_cli_list_and_show_a_scenario(cli, capsys, tmp_path):
    script = tmp_path / "offer.txt"
    script.write_text("What is the salary?\n")
    main(["roleplay", "--scenario", "offer", "--script", str(script), "--seed", "4"])
    capsys.readouterr()
    code, listed, _ = run_json(capsys, "roleplay", "list")
    assert code == 0 and listed[-1]["scenario"] == "offer" and "Offer conversation" in listed[-1]["title"]
    code, shown, _ = run_json(capsys, "roleplay", "show", str(listed[-1]["session_id"]))
    assert code == 0 and shown["scenario"] == "offer"
