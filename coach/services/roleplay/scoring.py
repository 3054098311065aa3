"""Scoring a meeting: the rule checks first, then the judge model for what they leave open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from coach.domain.evidence import Entry
from coach.domain.injection import data_block
from coach.domain.profile import Profile
from coach.domain.roleplay import (
    JudgeQuestion,
    JudgeVerdict,
    LevelCriterion,
    ResponseType,
    Scorecard,
    ScoreInput,
    Turn,
    apply_judge,
    build_scorecard,
    pick_facts,
    rule_checks,
)
from coach.llm.base import LLM, LLMError, Message, StructuredFailure
from coach.prompts import load_persona, load_prompt
from coach.services.context import Context
from coach.services.roleplay.criteria import level_criteria

JUDGE_PROMPT = "scorecard_judge"
# How a scorecard asks its judge one question: the verdict, or a string saying why there is none.
JudgeAsk = Callable[[JudgeQuestion], JudgeVerdict | str]


def score_input(turns: Sequence[Turn], profile: Profile, entries: Sequence[Entry],
                response_type: ResponseType, difficulty: str, today: dt.date | None = None,
                criteria: Sequence[LevelCriterion] = ()) -> ScoreInput:
    """What the rules read: the transcript, the goal, the whole log as facts and the target
    level's criteria (a career framework's, if one is in use)."""
    return ScoreInput(turns=list(turns), profile=profile, facts=pick_facts(entries, len(entries)),
                      persona=load_persona(response_type), difficulty=str(difficulty),
                      today=today or dt.date.today(), criteria=list(criteria))


def score_with(inp: ScoreInput, ask: JudgeAsk) -> Scorecard:
    """Rule checks first; `ask` answers the questions the rules leave open."""
    checks, questions = rule_checks(inp)
    by_id = {q.check_id: q for q in questions}
    judged = [apply_judge(c, ask(by_id[c.id]), by_id[c.id]) if c.id in by_id else c for c in checks]
    return build_scorecard(inp, judged)


def score_transcript(ctx: Context, turns: Sequence[Turn], profile: Profile, entries: Sequence[Entry],
                     response_type: ResponseType, difficulty: str, today: dt.date | None = None) -> Scorecard:
    """Rule checks first; the judge model for the rest. Nothing is saved here."""
    inp = score_input(turns, profile, entries, response_type, difficulty, today,
                      level_criteria(ctx, today))
    return score_with(inp, lambda question: ask_judge(ctx.judge, question, profile.target_title))


def judge_messages(question: JudgeQuestion, target_title: str) -> list[Message]:
    prompt = load_prompt(JUDGE_PROMPT)
    said = "\n".join(f"- {line}" for line in question.lines) or "- (nothing)"
    return prompt.render(question=question.question,
                         target_title=data_block("the role the employee wants", target_title),
                         lines=data_block("the employee's lines", said))


def ask_judge(judge: LLM, question: JudgeQuestion, target_title: str) -> JudgeVerdict | str:
    """The judge model's verdict on one question, or why it gave none."""
    prompt = load_prompt(JUDGE_PROMPT)
    try:
        reply = judge.structured(judge_messages(question, target_title), JudgeVerdict, prompt=prompt.ref,
                                 max_tokens=prompt.defaults.max_tokens,
                                 temperature=prompt.defaults.temperature)
    except LLMError as exc:
        return f"the judge model failed: {exc}"
    if isinstance(reply, StructuredFailure):
        return reply.error or "no JSON verdict"
    return reply
