"""The judge path: asked only what the rules cannot tell; a readable verdict is used, an
unreadable one or a "no" that contradicts what the rules see is 'unscored' with the reason."""

from __future__ import annotations

import json

from coach.domain.roleplay import CheckResult, JudgeQuestion, JudgeVerdict, Verdict, apply_judge
from coach.llm.base import LLMError
from coach.services import roleplay
from coach.testing import ScriptedLLM
from tests.test_roleplay_sessions import ENTRIES, MANAGER_REPLIES, PROFILE, TODAY, script_lines

PENDING = CheckResult(id="convincing", step="Made the case convincingly", verdict=Verdict.UNSCORED,
                      method="judge")
LINES = ["I grew the support team from 3 to 9 people.", "What do you think?"]
QUESTION = JudgeQuestion(check_id="convincing", question="Did the employee show next-level work?",
                         lines=LINES, seen=["3", "9"])


def test_a_readable_verdict_is_used():
    reply = JudgeVerdict(verdict="yes", quote="from 3 to 9 people", reason="growing a team is manager work")
    check = apply_judge(PENDING, reply, QUESTION)
    assert check.verdict is Verdict.YES and check.method == "judge"
    assert check.quote == "from 3 to 9 people" and check.reason == "growing a team is manager work"


def test_a_quote_that_is_not_in_the_transcript_is_dropped_and_said_so():
    reply = JudgeVerdict(verdict="no", quote="I doubled revenue", reason="current-job results only")
    check = apply_judge(PENDING, reply, QUESTION)
    assert check.verdict is Verdict.NO and check.quote == ""
    assert "not in the transcript" in check.reason


def test_a_no_that_contradicts_the_rules_is_not_shown_as_no():
    """The judge says there are no numbers; the rules saw 3 and 9."""
    reply = JudgeVerdict(verdict="no", quote="", reason="The results mentioned are not numbers.")
    check = apply_judge(PENDING, reply, QUESTION)
    assert check.verdict is Verdict.UNSCORED
    assert "not scored" in check.reason and "3, 9" in check.reason


def test_a_no_without_a_reason_gets_one():
    check = apply_judge(PENDING, JudgeVerdict(verdict="no", quote="", reason=""), QUESTION)
    assert check.verdict is Verdict.NO and "next-level work" in check.reason


def test_an_unreadable_reply_is_unscored_with_the_reason():
    check = apply_judge(PENDING, "Invalid JSON: expected value at line 1\nmore detail", QUESTION)
    assert check.verdict is Verdict.UNSCORED
    assert "could not be used" in check.reason and "Invalid JSON" in check.reason


def _play_with_judge(ctx, judge: ScriptedLLM, with_log: bool = False):
    """The strong not-yet script. Without a log the rules cannot tell what its results show."""
    ctx.store.save_profile(PROFILE)
    if with_log:
        ctx.store.add_entries(ENTRIES)
    ctx.llm_override = ScriptedLLM(MANAGER_REPLIES[("not-yet", "strong")])
    ctx.judge_override = judge
    return roleplay.run_script(ctx, script_lines("not-yet", "strong"), "not-yet", "realistic", seed=7,
                               today=TODAY)


def test_with_a_log_the_rules_decide_and_the_judge_is_not_asked(ctx):
    judge = ScriptedLLM(default=json.dumps({"verdict": "no", "quote": "", "reason": "x"}))
    result = _play_with_judge(ctx, judge, with_log=True)
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.YES and convincing.method == "rule"
    assert not judge.history


def test_without_a_log_the_service_uses_the_judges_verdict(ctx):
    verdict = {"verdict": "yes", "quote": "I led the payments migration", "reason": "leading a migration"}
    judge = ScriptedLLM(default=json.dumps(verdict))
    result = _play_with_judge(ctx, judge)
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.YES and convincing.method == "judge"
    assert convincing.quote == "I led the payments migration"
    call = judge.history[0]
    assert call.kind == "structured" and call.prompt.name == "scorecard_judge"
    assert "Engineering Manager" in call.messages[-1]["content"]
    assert "cut checkout errors by 38%" in call.messages[-1]["content"]
    assert "Worked examples" in call.messages[0]["content"]


def test_an_unparseable_judge_reply_is_unscored_not_a_no(ctx):
    result = _play_with_judge(ctx, ScriptedLLM(default="I think the user did great!"))
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.UNSCORED
    assert convincing.reason.startswith("the judge's reply could not be used")
    scored = [c for c in result.scorecard.checks if c.verdict in (Verdict.YES, Verdict.NO)]
    assert result.scorecard.scored == len(scored) == len(result.scorecard.checks) - 1


def test_a_failing_judge_model_is_unscored_with_the_error(ctx):
    result = _play_with_judge(ctx, ScriptedLLM([LLMError("the judge model is not reachable")]))
    convincing = result.scorecard.check("convincing")
    assert convincing.verdict is Verdict.UNSCORED
    assert "not reachable" in convincing.reason
