"""The judge path: a readable verdict is used; an unreadable one is 'unscored' with the reason."""

from __future__ import annotations

import json

from coach.domain.roleplay import CheckResult, JudgeVerdict, Verdict, apply_judge
from coach.llm.base import LLMError
from coach.services import roleplay
from coach.testing import ScriptedLLM
from tests.test_roleplay_sessions import ENTRIES, MANAGER_REPLIES, PROFILE, TODAY, script_lines, seed_user

PENDING = CheckResult(id="convincing", step="Made the case convincingly", verdict=Verdict.UNSCORED,
                      method="judge")
LINES = ["I led the payments migration, which cut checkout errors 38%.", "What do you think?"]


def test_a_readable_verdict_is_used():
    reply = JudgeVerdict(verdict="yes", quote="cut checkout errors 38%", reason="numbers tied to scope")
    check = apply_judge(PENDING, reply, LINES)
    assert check.verdict is Verdict.YES and check.method == "judge"
    assert check.quote == "cut checkout errors 38%" and check.reason == "numbers tied to scope"


def test_a_quote_that_is_not_in_the_transcript_is_dropped_and_said_so():
    reply = JudgeVerdict(verdict="no", quote="I doubled revenue", reason="weak")
    check = apply_judge(PENDING, reply, LINES)
    assert check.verdict is Verdict.NO and check.quote == ""
    assert "not in the transcript" in check.reason


def test_an_unreadable_reply_is_unscored_with_the_reason():
    check = apply_judge(PENDING, "Invalid JSON: expected value at line 1\nmore detail", LINES)
    assert check.verdict is Verdict.UNSCORED
    assert "could not be used" in check.reason and "Invalid JSON" in check.reason


def _play_with_judge(ctx, judge: ScriptedLLM):
    ctx.llm_override = ScriptedLLM(MANAGER_REPLIES[("not-yet", "strong")])
    ctx.judge_override = judge
    return roleplay.run_script(ctx, script_lines("not-yet", "strong"), "not-yet", "realistic", seed=7,
                               today=TODAY)


def test_the_service_uses_the_judges_verdict(ctx):
    seed_user(ctx)
    verdict = {"verdict": "no", "quote": "What do you think?", "reason": "effort, not scope"}
    judge = ScriptedLLM(default=json.dumps(verdict))
    result = _play_with_judge(ctx, judge)
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.NO and convincing.method == "judge"
    assert convincing.quote == "What do you think?" and convincing.reason == "effort, not scope"
    call = judge.history[0]
    assert call.kind == "structured" and call.prompt.name == "scorecard_judge"
    assert "Engineering Manager" in call.messages[-1]["content"]
    assert "cut checkout errors by 38%" in call.messages[-1]["content"]


def test_an_unparseable_judge_reply_is_unscored_not_a_no(ctx):
    seed_user(ctx)
    result = _play_with_judge(ctx, ScriptedLLM(default="I think the user did great!"))
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.UNSCORED
    assert convincing.reason.startswith("the judge's reply could not be used")
    # Unscored checks do not count against the score.
    scored = [c for c in result.scorecard.checks if c.verdict in (Verdict.YES, Verdict.NO)]
    assert result.scorecard.scored == len(scored) == len(result.scorecard.checks) - 1
    assert result.scorecard.score == 1.0


def test_a_failing_judge_model_is_unscored_with_the_error(ctx):
    seed_user(ctx)
    judge = ScriptedLLM([LLMError("the judge model is not reachable")])
    result = _play_with_judge(ctx, judge)
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.UNSCORED
    assert "not reachable" in convincing.reason


def test_fixtures_are_consistent():
    assert PROFILE.target_title == "Engineering Manager" and len(ENTRIES) == 3
