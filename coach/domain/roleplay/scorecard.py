"""The role-play scorecard: did the user do each step of a good promotion conversation?

Each check is a yes/no question about the user's own lines. Text rules decide every check
they can (`scorecard_rules`); the judge model is asked only what they cannot. A judge reply
that cannot be read, or a judge "no" that contradicts what the rules see, is "unscored" with
the reason, never a "no". Every "no" says why; every check carries the quote it rests on and
a better phrasing built from the user's own log entries and target title.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from coach.domain.profile import Profile
from coach.domain.roleplay.facts import LevelCriterion, LogFact
from coach.domain.roleplay.meeting import Turn
from coach.domain.roleplay.personas import Persona, ResponseType


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    NA = "n/a"
    UNSCORED = "unscored"


Method = Literal["rule", "judge"]

# id -> step as the guidance names it; "handling" gets the persona's own wording.
STEPS: dict[str, str] = {
    "appreciation": "Opened with appreciation",
    "goal": "Stated the goal and the target title",
    "evidence": "Presented the case with evidence",
    "convincing": "Made the case convincingly",
    "feedback": "Asked for feedback",
    "timeline": "Discussed a timeline",
    "close": "Closed with thanks and a follow-up plan",
    "handling": "Handled the manager's answer",
}


class CheckResult(BaseModel):
    """One checklist item with its verdict, the quote it rests on and a better phrasing."""

    id: str
    step: str
    verdict: Verdict
    quote: str = Field("", description="The user's words the verdict rests on.")
    improved: str = Field("", description="A stronger line using the user's own log and target title.")
    method: Method = "rule"
    reason: str = ""


class JudgeVerdict(BaseModel):
    """What the judge model returns for one check."""

    verdict: Literal["yes", "no", "n/a"] = Field(
        ..., description="yes if the user clearly did it, no if not, n/a if it could not apply.")
    quote: str = Field("", max_length=400, description="The user's exact words the verdict rests on, "
                       "copied from the transcript; empty if there are none.")
    reason: str = Field(..., max_length=400, description="One sentence explaining the verdict.")


class JudgeQuestion(BaseModel):
    """A check the patterns could not settle, phrased for the judge."""

    check_id: str
    question: str
    lines: list[str] = Field(description="The user's lines the question is about.")
    seen: list[str] = Field(default_factory=list, description="Result figures the rules found in the lines.")


class Scorecard(BaseModel):
    response_type: ResponseType | None = Field(
        None, description="The manager's answer in a promotion meeting; None for an offer or "
                          "interview scenario, which has no such answer.")
    difficulty: str
    checks: list[CheckResult]

    @computed_field  # type: ignore[prop-decorator]  # mypy#1362: decorated property
    @property
    def score(self) -> float:
        """yes / (yes + no); n/a and unscored do not count."""
        yes = sum(c.verdict is Verdict.YES for c in self.checks)
        no = sum(c.verdict is Verdict.NO for c in self.checks)
        return round(yes / (yes + no), 3) if yes + no else 0.0

    @computed_field  # type: ignore[prop-decorator]  # mypy#1362: decorated property
    @property
    def scored(self) -> int:
        return sum(c.verdict in (Verdict.YES, Verdict.NO) for c in self.checks)

    def check(self, check_id: str) -> CheckResult:
        return next(c for c in self.checks if c.id == check_id)


class ScoreInput(BaseModel):
    """Everything the rules need: the transcript, the user's goal and what the log says."""

    turns: list[Turn]
    profile: Profile
    facts: list[LogFact] = Field(default_factory=list, description="The user's strongest entries first.")
    persona: Persona = Field(description="The manager who answered: their type, label and handling step.")
    difficulty: str = "realistic"
    today: dt.date = Field(default_factory=dt.date.today)
    criteria: list[LevelCriterion] = Field(default_factory=list, description=(
        "The target level's criteria in the user's career framework, with the entries that show "
        "each; empty without a framework. The better phrasings quote them."))

    @property
    def response_type(self) -> ResponseType:
        return self.persona.type


# A judge "no" whose reason says there is nothing measurable, when the rules found figures.
_NO_FIGURES = re.compile(r"\b(no|not|none|without|lacks?|lacking|missing)\b[^.]{0,40}\b(numbers?|figures?|"
                         r"metrics?|quantif\w*|measur\w*)\b", re.IGNORECASE)


def apply_judge(check: CheckResult, reply: JudgeVerdict | str, question: JudgeQuestion) -> CheckResult:
    """Fill a judge check from the judge's reply, or mark it unscored with the reason.

    The quote must really be in the user's lines: a made-up quote is dropped and said so. A
    "no" that rests on something the rules can see is false (no numbers, when the lines have
    some) is shown as unscored, not as "no"; a "no" without a reason gets the question's.
    """
    lines = question.lines
    if isinstance(reply, str):
        first_line = " ".join(reply.strip().splitlines()[:2])[:200] or "no reason given"
        return check.model_copy(update={"verdict": Verdict.UNSCORED, "method": "judge",
                                        "reason": f"the judge's reply could not be used: {first_line}"})
    quote, reason = reply.quote.strip().strip('"“”').lstrip("- ").strip(), reply.reason.strip()
    said = " ".join(" ".join(lines).lower().split())
    if quote and " ".join(quote.lower().split()) not in said:
        quote, reason = "", f"{reason} (the judge's quote is not in the transcript, so it was dropped)"
    verdict = Verdict(reply.verdict)
    if verdict is Verdict.NO and question.seen and _NO_FIGURES.search(reason):
        return check.model_copy(update={
            "verdict": Verdict.UNSCORED, "quote": quote, "method": "judge",
            "reason": f"not scored: the judge said no because \"{reason}\", but your lines do give figures "
                      f"({', '.join(question.seen[:4])})"})
    if verdict is Verdict.NO and not reason:
        reason = f"the judge found no: {question.question[0].lower()}{question.question[1:]}"
    return check.model_copy(update={"verdict": verdict, "quote": quote, "reason": reason, "method": "judge"})


def build_scorecard(inp: ScoreInput, checks: list[CheckResult]) -> Scorecard:
    return Scorecard(response_type=inp.response_type, difficulty=inp.difficulty, checks=checks)
