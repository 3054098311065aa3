"""The model-graded half of a rubric: ask the judge model the rubric's judged checks about one
output, keep its raw reply, and parse it into one Score per check.

All judged checks of a case go in one call (a JSON object with one verdict per check id,
constrained by the schema): on two shared CPU cores a queue of short calls costs far more
than one slightly longer answer. Parsing is separate from asking so replay can re-parse the
recorded reply without a model. A reply that cannot be parsed is 'unscored' with the
reason, never a 'no': a confused judge says nothing about the output.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, create_model, field_validator

from coach.domain.injection import data_block
from coach.evals.rubric import Check, Rubric
from coach.evals.schema import JudgeRaw, Output, OutputKind, PromptInfo, Sample, Score, Value
from coach.llm.base import LLM, StructuredFailure
from coach.llm.structured import extract_json
from coach.prompts import load_prompt

JUDGE_PROMPT = "eval_judge"
_SYNONYMS = {"y": "yes", "true": "yes", "pass": "yes", "n": "no", "false": "no", "fail": "no",
             "na": "n/a", "n.a.": "n/a", "not applicable": "n/a", "none": "n/a", "not_applicable": "n/a"}


class RubricVerdict(BaseModel):
    """The judge's answer to one yes/no check."""

    verdict: Literal["yes", "no", "n/a"] = Field(
        ..., description="yes if the text does what the question asks, no if it does not, "
                         "n/a if the question does not apply to this text.")
    reason: str = Field("", max_length=160,
                        description="One short sentence; quote the words that decided it.")

    @field_validator("verdict", mode="before")
    @classmethod
    def _normalise(cls, value: object) -> object:
        if isinstance(value, str):
            low = value.strip().strip(".").lower()
            return _SYNONYMS.get(low, low)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return value


# In the reply schema it keeps the name it was recorded under: the schema is part of the judge's
# prompt, so a new name would be a new prompt.
_WIRE_VERDICT = create_model("JudgeVerdict", __base__=RubricVerdict, __doc__=RubricVerdict.__doc__)


def parse_verdict(reply: JudgeRaw | None, check_id: str) -> Score:
    """The Score for one check from a recorded judge reply; anything unreadable is 'unscored'.

    The reply is a JSON object with one verdict per check id; a bare single verdict
    (`{"verdict": ..., "reason": ...}`) is read as the answer to `check_id`.
    """
    if reply is None:
        return Score.unscored("no judge reply recorded for this check")
    raw = reply.raw.strip()
    if not raw:
        return Score.unscored(f"the judge gave no reply ({reply.error or 'empty'})")
    try:
        data = extract_json(raw)
    except ValueError as exc:
        return Score.unscored(f"judge reply could not be parsed: {exc}", raw[:300])
    if not isinstance(data, dict):
        return Score.unscored("judge reply is not a JSON object", raw[:300])
    answer = data.get(check_id, data if "verdict" in data else None)
    if answer is None:
        return Score.unscored(f"the judge did not answer '{check_id}'", raw[:300])
    try:
        verdict = RubricVerdict.model_validate(answer)
    except ValidationError as exc:
        first = exc.errors()[0]
        return Score.unscored(f"judge verdict for '{check_id}' is invalid: {first['msg']}", raw[:300])
    meta = {"judge_model": reply.model, "prompt": f"{reply.prompt.name}@{reply.prompt.version}"}
    return Score(value=Value(verdict.verdict), answer="", explanation=verdict.reason, metadata=meta)


def sheet_for(checks: list[Check]) -> type[BaseModel]:
    """The reply schema for these checks: one verdict object per check id (used as the key)."""
    fields = {f"check_{i}": (_WIRE_VERDICT, Field(..., alias=c.id, description=c.question))
              for i, c in enumerate(checks)}
    return create_model("JudgeSheet", **fields)  # type: ignore[call-overload]


def _facts_block(sample: Sample, output: Output) -> str:
    profile, task = sample.input.profile, sample.input.task
    lines = [f"Employee: {profile.name or 'the employee'}; manager: {profile.manager_name or 'unknown'}",
             f"Current title: {profile.current_title}; target title: {profile.target_title}",
             f"Months in role: {profile.months_in_role}"]
    if sample.input.entries:
        lines.append("Impact log:")
        for entry in sample.input.saved_entries():
            metric = f" ({entry.metric})" if entry.metric else ""
            lines.append(f"- [#{entry.id}] {entry.date.isoformat()} {entry.title}{metric}")
    if task.offer:
        lines.append(f"Offered role: {task.offer}")
    if task.reason:
        lines.append(f"Reason given: {task.reason}")
    if task.notes:
        lines.append(f"Meeting notes: {task.notes}")
    if task.question:
        lines.append(f"Question asked: {task.question}")
    if task.response_type:
        lines.append(f"The manager was told to answer: {task.response_type.value}")
    if task.offer_terms is not None:
        terms = task.offer_terms.model_dump(exclude_none=True)
        lines.append("Saved offer: " + "; ".join(f"{k}: {v}" for k, v in terms.items() if v != ""))
    for person in task.stakeholders:
        logged = "; ".join(f"{i.date.isoformat()} {i.note}" for i in person.interactions) or "nothing logged"
        lines.append(f"Person: {person.name} ({person.role or 'no role given'}"
                     f"{', sponsor' if person.sponsor else ''}); logged with them: {logged}")
    for number, cited in enumerate(output.citations, start=1):
        lines.append(f"Cited passage [{number}] ({cited.source}): {cited.text[:600]}")
    return "\n".join(lines)


def _output_block(output: Output) -> str:
    if output.transcript:
        return "\n".join(f"{t.role.upper()}: {t.content}" for t in output.transcript)
    return output.text


KIND_NAMES = {
    OutputKind.PROPOSAL: "a written promotion proposal", OutputKind.MEETING_REQUEST:
    "an email asking the manager for a meeting", OutputKind.FOLLOW_UP: "a follow-up email after the "
    "promotion meeting", OutputKind.DECLINE: "an email declining a promotion", OutputKind.THANK_YOU:
    "a thank-you email to the manager", OutputKind.SCRIPT: "a talk track for the promotion meeting",
    OutputKind.CHAT: "a coach's answer to a question", OutputKind.ROLEPLAY:
    "a practice conversation with a simulated manager",
    OutputKind.STAKEHOLDERS: "a plan of next actions per stakeholder", OutputKind.OFFER_CHECK:
    "a checklist of what is open about an offer", OutputKind.OPTIONS: "a stay-or-go verdict with "
    "its reasons", OutputKind.KIT: "a kit for an external job search", OutputKind.OFFER_CONFIRMATION:
    "an email asking the manager to confirm the agreed offer in writing", OutputKind.HELPER_THANKS:
    "thank-you emails to the people who helped with a promotion", OutputKind.OFFER_ROLEPLAY:
    "a practice conversation where a promotion offer is presented", OutputKind.INTERVIEW_ROLEPLAY:
    "a practice job interview at another company",
}


def _questions(checks: list[Check]) -> str:
    lines = []
    for check in checks:
        lines.append(f"- {check.id}: {check.question}")
        if check.guidance:
            lines.append(f"  ({check.guidance})")
    return "\n".join(lines)


def ask(judge: LLM, sample: Sample, output: Output, rubric: Rubric, checks: list[Check] | None = None,
        now: dt.datetime | None = None) -> dict[str, JudgeRaw]:
    """Ask the judge every judged check of `rubric` (or `checks`) in one call.

    Returns check id -> the reply, kept whole (parsed or not); every check of the call
    carries the same raw reply, so replay reads each verdict out of it again.
    """
    checks = checks if checks is not None else rubric.judged
    if not checks:
        return {}
    prompt = load_prompt(JUDGE_PROMPT)
    example = json.dumps({c.id: {"verdict": "yes", "reason": "..."} for c in checks})
    messages = prompt.render(kind=KIND_NAMES[rubric.kind],
                             facts=data_block("facts", _facts_block(sample, output)),
                             output=data_block("text to grade", _output_block(output)),
                             questions=_questions(checks), shape=example)
    info = PromptInfo(name=prompt.name, version=prompt.version)
    stamp = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    model = getattr(judge, "model", "?")
    try:
        result = judge.structured(messages, sheet_for(checks), prompt=prompt.ref,
                                  max_tokens=prompt.defaults.max_tokens * len(checks),
                                  temperature=prompt.defaults.temperature)
    except Exception as exc:  # a failed call leaves the checks unscored, not the run failed
        reply = JudgeRaw(raw="", model=model, prompt=info, recorded_at=stamp,
                         error=f"{type(exc).__name__}: {exc}"[:500])
    else:
        if isinstance(result, StructuredFailure):
            reply = JudgeRaw(raw=result.raw, model=model, prompt=info, recorded_at=stamp,
                             error=result.error[:500])
        else:
            raw = json.dumps(result.model_dump(by_alias=True), ensure_ascii=False)
            reply = JudgeRaw(raw=raw, model=model, prompt=info, recorded_at=stamp)
    return {c.id: reply for c in checks}
