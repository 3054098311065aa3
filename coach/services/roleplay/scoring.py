"""Scoring a meeting: the rule checks first, then the judge model for what they leave open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from coach.domain.evidence import Entry
from coach.domain.injection import data_block
from coach.domain.profile import Profile
from coach.domain.roleplay import (
    CheckResult,
    JudgeQuestion,
    JudgeVerdict,
    ResponseType,
    Scorecard,
    ScoreInput,
    Turn,
    apply_judge,
    build_scorecard,
    pick_facts,
    rule_checks,
)
from coach.llm.base import LLMError, StructuredFailure
from coach.prompts import load_persona, load_prompt
from coach.services.context import Context

JUDGE_PROMPT = "scorecard_judge"


def score_transcript(ctx: Context, turns: Sequence[Turn], profile: Profile, entries: Sequence[Entry],
                     response_type: ResponseType, difficulty: str, today: dt.date | None = None) -> Scorecard:
    """Rule checks first; the judge model for the rest. Nothing is saved here."""
    inp = ScoreInput(turns=list(turns), profile=profile, facts=pick_facts(entries, len(entries)),
                     persona=load_persona(response_type), difficulty=str(difficulty),
                     today=today or dt.date.today())
    checks, questions = rule_checks(inp)
    by_id = {q.check_id: q for q in questions}
    judged: list[CheckResult] = []
    for check in checks:
        question = by_id.get(check.id)
        judged.append(_judge(ctx, check, question, profile) if question else check)
    return build_scorecard(inp, judged)


def _judge(ctx: Context, check: CheckResult, question: JudgeQuestion, profile: Profile) -> CheckResult:
    prompt = load_prompt(JUDGE_PROMPT)
    said = "\n".join(f"- {line}" for line in question.lines) or "- (nothing)"
    messages = prompt.render(question=question.question,
                             target_title=data_block("the role the employee wants", profile.target_title),
                             lines=data_block("the employee's lines", said))
    try:
        reply = ctx.judge.structured(messages, JudgeVerdict, prompt=prompt.ref,
                                     max_tokens=prompt.defaults.max_tokens,
                                     temperature=prompt.defaults.temperature)
    except LLMError as exc:
        return apply_judge(check, f"the judge model failed: {exc}", question.lines)
    if isinstance(reply, StructuredFailure):
        return apply_judge(check, reply.error or "no JSON verdict", question.lines)
    return apply_judge(check, reply, question.lines)
