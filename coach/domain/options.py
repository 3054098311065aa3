"""Stay or go: build and ask again, ask again now, or look outside.

Each rule of the guidance on moving on is a row of `RULES`: when it applies to the user's
situation, which way it leans, what it says and the guide sections it rests on. The verdict
follows from the rules that fire:

- a yes: ask now (for the offer in writing);
- look outside when the signs add up to `LOOK_OUTSIDE_WEIGHT` (the guidance: one sign on its
  own may be temporary, several together are a strong signal) and the internal route has
  been tried (asked at least once, or passed over);
- else ask again now when the log shows every expectation of the next level and the timing
  check is good (and the answer was not "we don't see you in that role");
- else build and ask again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.advice.rule import GuideRef, ref
from coach.domain.profile import Signal
from coach.domain.responses import ResponseType
from coach.domain.text import count

Verdict = Literal["build-and-ask-again", "ask-again-now", "look-outside"]
Lean = Literal["build-and-ask-again", "ask-again-now", "look-outside", "stay"]
TimingVerdict = Literal["good", "wait", "bad"]

VERDICTS: tuple[Verdict, ...] = ("build-and-ask-again", "ask-again-now", "look-outside")
LOOK_OUTSIDE_WEIGHT = 2  # several signs together, not one on its own
PASSED_OVER_SIGN = 2  # "passed over more than once"
PASSED_OVER_STRONG = 3  # the same sign over three cycles counts as two

SIGNS = ref("moving-companies.md", "Signs it may be time to look outside")
INTERNAL_FIRST = ref("moving-companies.md", "Try the internal route properly first")
HIDDEN_NO = ref("after-a-no.md", "Watch for a hidden no")
WEIGH = ref("after-a-no.md", "Weigh your options honestly")
PLAN = ref("after-a-no.md", "Build a development plan together")
REVISIT = ref("after-a-no.md", "Set a date to revisit")
NEXT_ATTEMPT = ref("after-a-no.md", "Keep performing and keep a record")
AT_A_GLANCE = ref("manager-responses.md", "The four harder answers at a glance")
YES = ref("after-a-yes.md", "Get it in writing")
NO_FIT_PATH = ref("response-not-in-role.md", "Decide whether there is a path here")
NO_FIT_VIEW = ref("response-not-in-role.md", "Get a second view")
NOT_YET_PLAN = ref("response-not-yet.md", "Turn the feedback into a plan")
NOT_YET_AGAIN = ref("response-not-yet.md", "When \"not yet\" keeps repeating")
NOT_READY = ref("response-not-ready.md", "Ask for specifics")
BUDGET_FIRST = ref("response-no-budget.md", "Take it at face value first")
BUDGET_ROUND = ref("response-no-budget.md", "Get into the next budget round")
BUDGET_SOFT = ref("response-no-budget.md", "Real limit or polite no?")
GOOD_TIME = ref("timing.md", "Good moments to ask")
BAD_TIME = ref("timing.md", "When the timing is bad")


class Situation(BaseModel):
    """What the rules read: the profile's signals and answer, the log and the timing check."""

    signals: list[Signal] = Field(default_factory=list)
    times_passed_over: int = 0
    last_answer: ResponseType | None = None
    answer_from: str = Field("", description="Where the answer comes from, e.g. 'your profile'.")
    gaps: int = Field(0, description="Expectations of the next level the log does not show yet.")
    expectations: int = 0
    timing: TimingVerdict = "wait"
    plan_items: int = Field(0, description="Open, dated steps of the development plan.")
    revisit: dt.date | None = Field(None, description="The next review cycle, if known.")

    @property
    def passes(self) -> int:
        """Times passed over; the signal alone counts as once."""
        return max(self.times_passed_over, 1 if Signal.PASSED_OVER in self.signals else 0)

    @property
    def tried(self) -> bool:
        return self.last_answer is not None or self.passes > 0

    @property
    def ready(self) -> bool:
        return self.expectations > 0 and self.gaps == 0


@dataclass(frozen=True)
class OptionRule:
    """One rule of the guidance on moving on."""

    id: str
    leans: Lean
    applies: Callable[[Situation], bool]
    says: Callable[[Situation], str]
    rests_on: tuple[GuideRef, ...]
    weight: Callable[[Situation], int] = lambda s: 1


def _asking(s: Situation) -> bool:
    """Whether the promotion is still to be asked for: after a yes, gaps and timing are moot."""
    return s.last_answer != ResponseType.YES


def _answer(*types: ResponseType) -> Callable[[Situation], bool]:
    return lambda s: s.last_answer in types


def _repeated(*types: ResponseType) -> Callable[[Situation], bool]:
    return lambda s: s.last_answer in types and s.passes >= PASSED_OVER_SIGN


def _has(signal: Signal) -> Callable[[Situation], bool]:
    return lambda s: signal in s.signals


def _passes(s: Situation) -> str:
    return count(s.passes, "time")


ANSWER_WORDS = {ResponseType.YES: "yes", ResponseType.NOT_YET: "not yet",
                ResponseType.NO_BUDGET: "no budget", ResponseType.NOT_READY: "not ready",
                ResponseType.NO_FIT: "we don't see you in that role"}


def _said(s: Situation) -> str:
    """'“not yet” (from your profile)'."""
    words = ANSWER_WORDS[s.last_answer] if s.last_answer else ""
    return f"“{words}”" + (f" ({s.answer_from})" if s.answer_from else "")


_STUCK = (ResponseType.NOT_YET, ResponseType.NOT_READY, ResponseType.NO_BUDGET)

RULES: tuple[OptionRule, ...] = (
    # -- signs it may be time to look outside ---------------------------------------------
    OptionRule("passed-over-repeatedly", "look-outside", lambda s: s.passes >= PASSED_OVER_SIGN,
               lambda s: f"You have been passed over {_passes(s)}: more than once is a sign the "
                         "route up here is blocked"
                         + (", and over that many cycles it weighs as much as two signs."
                            if s.passes >= PASSED_OVER_STRONG else "."),
               (SIGNS,), lambda s: 2 if s.passes >= PASSED_OVER_STRONG else 1),
    OptionRule("no-path", "look-outside", _has(Signal.NO_PATH),
               lambda s: "There is no visible route up: no role above yours, or nobody leaving "
                         "it.", (SIGNS, WEIGH)),
    OptionRule("politics", "look-outside", _has(Signal.POLITICS),
               lambda s: "Politics or favouritism decide who moves up, not results.", (SIGNS,)),
    OptionRule("company-stagnant", "look-outside", _has(Signal.COMPANY_STAGNANT),
               lambda s: "The company is standing still or shrinking, so few new roles open.",
               (SIGNS, NO_FIT_PATH)),
    OptionRule("maxed-out", "look-outside", _has(Signal.MAXED_OUT),
               lambda s: "You have outgrown the level, with no bigger scope on offer.", (SIGNS,)),
    OptionRule("hard-no", "look-outside", _answer(ResponseType.NO_FIT),
               lambda s: f"The last answer, {_said(s)}, is the firmest no: your manager "
                         "does not see you in the role. Ask what they do see for you and get a "
                         "second view; if there is no path, look outside.",
               (AT_A_GLANCE, NO_FIT_PATH, NO_FIT_VIEW)),
    OptionRule("same-answer-again", "look-outside", _repeated(*_STUCK),
               lambda s: f"The same answer, {_said(s)}, after being passed over "
                         f"{_passes(s)} usually means no: a plan nobody honours is a hidden no.",
               (HIDDEN_NO, NOT_YET_AGAIN, BUDGET_SOFT)),
    # -- the internal route ---------------------------------------------------------------
    OptionRule("try-internal-first", "stay", lambda s: not s.tried,
               lambda s: "You have not asked yet: make the case in writing, have the meeting "
                         "and agree a plan with dates before you decide to leave.",
               (INTERNAL_FIRST,)),
    OptionRule("one-sign", "stay", lambda s: s.tried and _weight(s) == 1,
               lambda s: "One sign on its own may be temporary: watch whether others join it.",
               (SIGNS,)),
    OptionRule("answer-yes", "ask-again-now", _answer(ResponseType.YES),
               lambda s: f"Your manager said {_said(s)}: ask now for the title, "
                         "date and pay in writing.", (YES,)),
    OptionRule("answer-not-yet", "build-and-ask-again",
               lambda s: s.last_answer == ResponseType.NOT_YET and s.passes < PASSED_OVER_SIGN,
               lambda s: f"A {_said(s)} is a roadmap: make each gap "
                         "concrete, agree how it will be judged and set a date to look again.",
               (AT_A_GLANCE, NOT_YET_PLAN)),
    OptionRule("answer-not-ready", "build-and-ask-again",
               lambda s: s.last_answer == ResponseType.NOT_READY and s.passes < PASSED_OVER_SIGN,
               lambda s: f"A {_said(s)} helps once it is specific: "
                         "ask which gaps, with examples, then treat it as a \u201cnot yet\u201d.",
               (AT_A_GLANCE, NOT_READY)),
    OptionRule("answer-no-budget", "build-and-ask-again",
               lambda s: s.last_answer == ResponseType.NO_BUDGET and s.passes < PASSED_OVER_SIGN,
               lambda s: f"A {_said(s)}: take it at face value first "
                         "and get your case into the next budget round.",
               (BUDGET_FIRST, BUDGET_ROUND)),
    OptionRule("plan-with-dates", "build-and-ask-again", lambda s: _asking(s) and s.plan_items > 0,
               lambda s: f"Your development plan has {count(s.plan_items, 'open dated step')}"
                         + (f", leading up to the {s.revisit:%B %Y} review" if s.revisit else "")
                         + ": deliver it, log the results and come back with them.",
               (PLAN, REVISIT)),
    OptionRule("gaps-remain", "build-and-ask-again", lambda s: _asking(s) and s.gaps > 0,
               lambda s: f"Your log does not show {s.gaps} of the {s.expectations} expectations "
                         f"of the next level yet: close {'it' if s.gaps == 1 else 'them'} before you "
                         "ask again.",
               (NOT_YET_PLAN, NEXT_ATTEMPT)),
    OptionRule("timing-not-good", "build-and-ask-again",
               lambda s: _asking(s) and s.timing != "good",
               lambda s: f"The timing check says {'not now' if s.timing == 'bad' else 'wait'}: "
                         "get the case ready and pick a later date.", (BAD_TIME,)),
    OptionRule("ready-and-good-time", "ask-again-now",
               lambda s: s.ready and s.timing == "good"
               and s.last_answer not in (ResponseType.NO_FIT, ResponseType.YES),
               lambda s: "Your log shows every expectation of the next level and the timing "
                         "check is good: come back now with exactly the evidence that was "
                         "missing.", (NEXT_ATTEMPT, GOOD_TIME)),
)


def _weight(s: Situation) -> int:
    return sum(r.weight(s) for r in RULES if r.leans == "look-outside" and r.applies(s))


class Reason(BaseModel):
    """One rule applied to the situation."""

    rule: str
    leans: Lean
    text: str
    rests_on: list[GuideRef]


class Options(BaseModel):
    verdict: Verdict
    reasons: list[Reason]
    signs: int = Field(..., description="The weight of the signs to look outside.")
    last_answer: ResponseType | None = None
    answer_from: str = ""
    summary: str


_SUMMARY: dict[Verdict, str] = {
    "look-outside": "Look outside: several signs together say the next step is more likely "
                    "elsewhere. Keep doing good work here while you search.",
    "ask-again-now": "Ask again now: the case and the moment are there.",
    "build-and-ask-again": "Build and ask again: close the gaps with a dated plan, then come "
                           "back with the evidence.",
}


def decide(s: Situation) -> Options:
    """The verdict and every rule that fired, in table order."""
    reasons = [Reason(rule=r.id, leans=r.leans, text=r.says(s), rests_on=list(r.rests_on))
               for r in RULES if r.applies(s)]
    weight = _weight(s)
    verdict: Verdict
    if s.last_answer == ResponseType.YES:
        verdict = "ask-again-now"
    elif weight >= LOOK_OUTSIDE_WEIGHT and s.tried:
        verdict = "look-outside"
    elif any(r.rule == "ready-and-good-time" for r in reasons):
        verdict = "ask-again-now"
    else:
        verdict = "build-and-ask-again"
    return Options(verdict=verdict, reasons=reasons, signs=weight, last_answer=s.last_answer,
                   answer_from=s.answer_from, summary=_SUMMARY[verdict])


def options_text(o: Options) -> str:
    mark = {"look-outside": ">", "stay": "=", "build-and-ask-again": "~", "ask-again-now": "+"}
    lines = [f"Verdict: {o.verdict} - {o.summary}", "", "Reasons:"]
    for r in o.reasons:
        lines.append(f"  {mark[r.leans]} [{r.rule}] {r.text}")
        lines.append("      (" + "; ".join(g.label() for g in r.rests_on) + ")")
    return "\n".join(lines)
