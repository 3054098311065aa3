"""Scripted role-play sessions: for each of the five answers, a strong and a weak user script.

The manager's replies are realistic in-role lines written per type (what a good model should
say); `test_roleplay_recorded.py` replays the same scripts against the embedded model.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from coach.assets import scripts_dir
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.profile import Profile, Signal, Transition
from coach.domain.roleplay import ResponseType, Verdict, contradiction
from coach.prompts import load_persona
from coach.services import roleplay
from coach.testing import ScriptedLLM

SCRIPTS = scripts_dir()
TODAY = dt.date(2025, 9, 1)
TYPES = [t.value for t in ResponseType]

PROFILE = Profile(
    name="Sam Rivera", manager_name="Dana Lee", current_title="Tech Lead",
    target_title="Engineering Manager", transition=Transition.LEAD_TO_MANAGER, months_in_role=20,
    review_month=10, signals=[Signal.RECENT_WIN, Signal.TEAM_GROWING],
)
ENTRIES = [
    EntryDraft(date=dt.date(2025, 3, 14), title="Led the payments migration",
               metric="cut checkout errors 38%", kind=Kind.LEADERSHIP, next_level=True),
    EntryDraft(date=dt.date(2025, 5, 2), title="Mentored two new engineers",
               metric="both shipping solo within 6 weeks", kind=Kind.MENTORING),
    EntryDraft(date=dt.date(2025, 6, 20), title="Ran quarterly planning for the platform team",
               metric="3 teams aligned on 12 projects", kind=Kind.STRATEGY, next_level=True),
]

# What a good model says, turn by turn, for each script (closing lines come from the persona).
MANAGER_REPLIES: dict[tuple[str, str], list[str]] = {
    ("yes", "strong"): [
        "Happy to, Sam. What did you want to talk about?",
        "I'm glad you brought it up, because I agree. I think you're ready for Engineering Manager "
        "and I want to support it this cycle.",
        "The migration results were strong. How much of that was your own call versus the team's?",
        "To make it official I need a one-page case for calibration, and HR and my own manager have "
        "to sign off. I'll help with both.",
        "Yes, I'll put the timeline and the requirements in an email this week. We'd target a start "
        "at the next review cycle.",
    ],
    ("yes", "weak"): [
        "Okay. What makes you feel ready for the next step now?",
        "Time served isn't really what I look at. Walk me through the work you'd point to.",
        "Honestly, yes, I think you're ready for Engineering Manager and I'd support it. I'd want "
        "the case written up first, though.",
        "Good. Let's keep the momentum going.",
    ],
    ("not-yet", "strong"): [
        "Sure, Sam. What's on your mind?",
        "I'm glad you raised it. You're doing strong work, but not yet; there are a few things I'd "
        "want to see first, and we can look at it again at the next review.",
        "The payments migration went well. How much of that was your call rather than the team's?",
        "Concretely, I'd want to see you own a roadmap end to end, lead a cross-team decision and "
        "grow someone on the team.",
        "Yes. If you show those over the next six months, we can look at this again in March.",
    ],
    ("not-yet", "weak"): [
        "Okay, tell me why now. What would you point to?",
        "Time in the role matters less to me than the work. What have you done that looks like the "
        "next level?",
        "Because it's not yet. You're getting there, but there are things I'd want to see first. "
        "Let's revisit it next review.",
        "I hear you. This isn't a no forever, it's a not yet.",
    ],
    ("no-budget", "strong"): [
        "Of course. What's prompting this?",
        "I'll be straight with you: there's no budget or headcount for an Engineering Manager slot "
        "right now.",
        "The migration numbers helped a lot. How would you justify a new role to finance with them?",
        "What I can explore is making the case in the next budget round, or you taking on part of "
        "the scope before the title.",
        "Creating the role would need finance to approve new headcount at planning. I'll raise it "
        "there, and I can ask about open roles on other teams.",
    ],
    ("no-budget", "weak"): [
        "I hear you. What's prompting this now?",
        "It's not about other people. Tell me what you've been working on that makes the case.",
        "I'll be straight with you: there's no budget or headcount for that position right now.",
        "I understand the frustration. The constraint is budget, not you.",
    ],
    ("not-ready", "strong"): [
        "Sure, Sam. What did you want to talk about?",
        "I'll be honest with you: I don't think you're ready for Engineering Manager yet.",
        "The migration was solid work, but it's the work of your current role.",
        "Specifically, the gaps I see are managing people, stakeholder management and setting "
        "direction rather than executing it.",
        "Managing people is the big one. Close that first, and then we can talk about timing.",
    ],
    ("not-ready", "weak"): [
        "Alright. Why do you think you're ready for the next step?",
        "Doing what's asked is the current role. What have you done that looks like the next level?",
        "I'll be honest: I don't see you ready for that step today.",
        "I know that's not what you hoped to hear.",
    ],
    ("no-fit", "strong"): [
        "Sure. What's on your mind?",
        "I'll be direct with you: we don't see you in the Engineering Manager role.",
        "The migration is good work. It just isn't the management profile we're looking for.",
        "Where I do see you is a senior specialist track, or a different team where your strengths fit.",
        "I'd support the specialist path fully, and I'm happy to introduce you to the staff engineers.",
    ],
    ("no-fit", "weak"): [
        "I see. What draws you to management?",
        "Being a strong engineer matters, but it's a different job. Tell me how you picture yourself "
        "leading the team.",
        "I have to be honest with you. Engineering Manager isn't where we see you going.",
        "I know that's hard to hear. I'd rather be honest with you.",
    ],
}


def judge_reply(messages) -> str:
    """A stand-in judge: 'yes' when the user's lines carry a result with a figure, else 'no'."""
    text = messages[-1]["content"]
    lines = [line[2:] for line in text.splitlines() if line.startswith("- ")]
    for line in lines:
        if re.search(r"\d+%", line):
            return json.dumps({"verdict": "yes", "quote": line, "reason": "results with figures"})
    return json.dumps({"verdict": "no", "quote": "", "reason": "no result with a figure"})


def seed_user(ctx) -> None:
    ctx.store.save_profile(PROFILE)
    ctx.store.add_entries(ENTRIES)


def script_lines(response_type: str, variant: str) -> list[str]:
    return roleplay.load_script(SCRIPTS / f"{response_type}-{variant}.txt")


def play(ctx, response_type: str, variant: str, difficulty: str = "realistic", seed: int = 7):
    ctx.llm_override = ScriptedLLM(MANAGER_REPLIES[(response_type, variant)])
    ctx.judge_override = ScriptedLLM(default=judge_reply)  # type: ignore[arg-type]
    return roleplay.run_script(ctx, script_lines(response_type, variant), response_type, difficulty,
                               seed=seed, today=TODAY)


@pytest.fixture
def user_ctx(ctx):
    seed_user(ctx)
    return ctx


@pytest.mark.parametrize("response_type", TYPES)
@pytest.mark.parametrize("variant", ["strong", "weak"])
def test_manager_stays_in_role_and_matches_the_type(user_ctx, response_type, variant):
    result = play(user_ctx, response_type, variant)
    persona = load_persona(response_type)
    manager = [t for t in result.transcript if t.speaker == "manager"]
    assert all(not t.fallback for t in manager), [t.violations for t in manager if t.fallback]
    assert all(contradiction(persona.type, t.text) is None for t in manager)
    assert any(persona.matches(t.text) for t in manager if t.move == "answer")
    assert result.response_type == persona.type
    assert user_ctx.llm_override.history, "the manager's replies came from the model"
    # Every reply came from the manager prompt, streamed.
    assert {c.kind for c in user_ctx.llm_override.history} == {"stream"}
    assert {c.prompt.name for c in user_ctx.llm_override.history} == {"manager"}


@pytest.mark.parametrize("response_type", TYPES)
def test_strong_script_scores_clearly_higher_than_weak(user_ctx, response_type):
    strong = play(user_ctx, response_type, "strong")
    weak = play(user_ctx, response_type, "weak")
    assert strong.scorecard and weak.scorecard
    assert strong.scorecard.score - weak.scorecard.score >= 0.3, (
        strong.scorecard.model_dump(), weak.scorecard.model_dump())
    assert strong.scorecard.score >= 0.8
    assert strong.scorecard.check("handling").verdict is Verdict.YES
    assert weak.scorecard.check("handling").verdict is Verdict.NO


@pytest.mark.parametrize("response_type", TYPES)
def test_improved_phrasings_use_the_users_own_log_and_title(user_ctx, response_type):
    weak = play(user_ctx, response_type, "weak")
    by_id = {c.id: c for c in weak.scorecard.checks}
    assert "Engineering Manager" in by_id["goal"].improved
    mine = [f"I {e.title[0].lower()}{e.title[1:]} ({e.metric})" for e in ENTRIES]
    assert sum(m in by_id["evidence"].improved for m in mine) == 2
    assert "Engineering Manager" in by_id["handling"].improved
    assert any(m in by_id["handling"].improved for m in mine)


def test_improved_phrasings_draw_on_the_entry_that_fits_each_check(user_ctx):
    """Issue 16: not every stronger line is built on the same entry."""
    card = play(user_ctx, "not-ready", "weak").scorecard
    # "Convincing" builds on next-level work; not-ready gaps on a leadership or mentoring entry.
    assert "I mentored" not in card.check("convincing").improved
    assert "quarterly planning" not in card.check("handling").improved
    used = {title for c in card.checks for title in ("payments migration", "mentored", "quarterly planning")
            if title in c.improved}
    assert len(used) == 3


def test_session_and_scorecard_are_saved(user_ctx):
    result = play(user_ctx, "not-yet", "strong")
    convo = user_ctx.store.get_conversation(result.session_id)
    assert convo.kind == "roleplay"
    assert convo.meta["response_type"] == "not-yet"
    assert convo.meta["status"] == "done" and convo.meta["revealed"] is True
    assert convo.meta["difficulty"] == "realistic"
    assert "Dana Lee" in convo.meta["persona"]
    stored = roleplay.get_session(user_ctx, result.session_id)
    assert [t.text for t in stored.transcript] == [t.text for t in result.transcript]
    assert stored.scorecard.score == result.scorecard.score
    assert user_ctx.store.scorecards()[-1]["conversation_id"] == result.session_id


def test_messages_keep_a_stable_prefix_across_turns(user_ctx):
    play(user_ctx, "not-yet", "strong")
    calls = user_ctx.llm_override.history
    system = calls[0].messages[0]
    assert system["role"] == "system"
    assert "Dana Lee" in system["content"] and "Led the payments migration" in system["content"]
    for earlier, later in zip(calls, calls[1:], strict=False):
        assert later.messages[0] == system
        # Each call starts with everything the previous call sent (prompt-cache friendly).
        assert later.messages[:len(earlier.messages)] == earlier.messages


def test_the_strong_session_summary_is_factual(user_ctx):
    result = play(user_ctx, "not-yet", "strong")
    summary = roleplay.session_summary(user_ctx, result.session_id)
    assert "not yet" in summary.lower()
    assert "What gaps would I need to close to get there?" in summary
    assert "six months" in summary and "March" in summary
    assert "recap" in summary


def test_progress_tracks_each_check_over_sessions(user_ctx):
    weak = play(user_ctx, "not-yet", "weak")
    strong = play(user_ctx, "not-yet", "strong")
    progress = roleplay.roleplay_progress(user_ctx)
    assert [s.session_id for s in progress.sessions] == [weak.session_id, strong.session_id]
    assert progress.sessions[1].score > progress.sessions[0].score
    timeline = next(c for c in progress.checks if c.id == "timeline")
    assert [p.verdict for p in timeline.points] == [Verdict.NO, Verdict.YES]
    assert all(p.date for p in timeline.points)
