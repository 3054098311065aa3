"""The scorecard's rule checks: each step decided from the user's own lines where the
patterns suffice, the rest handed to the judge as questions, every check with a stronger line
built from the user's own log entries and target title."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from coach.domain.roleplay.facts import LogFact
from coach.domain.roleplay.meeting import Move, Turn, cited_entries, evidence_figures, mentions_target
from coach.domain.roleplay.patterns import PATTERNS
from coach.domain.roleplay.personas import ResponseType
from coach.domain.roleplay.scorecard import STEPS, CheckResult, JudgeQuestion, ScoreInput, Verdict
from coach.domain.text import sentences


# -- helpers -----------------------------------------------------------------------------------
def _user_lines(turns: Sequence[Turn]) -> list[str]:
    return [t.text for t in turns if t.speaker == "you"]


def _after_answer(turns: Sequence[Turn]) -> list[str] | None:
    """The user's lines after the manager gave the answer; None if the answer never came."""
    for i, turn in enumerate(turns):
        if turn.speaker == "manager" and turn.move == Move.ANSWER:
            return [t.text for t in turns[i + 1:] if t.speaker == "you"]
    return None


def _quote(lines: Sequence[str], *patterns: re.Pattern[str]) -> str:
    """The words a verdict rests on: a sentence matching every pattern, else a whole line that
    does, else the first sentence matching the first pattern."""
    for line in lines:
        for sentence in sentences(line) or [line]:
            if all(p.search(sentence) for p in patterns):
                return sentence
    for line in lines:
        if all(p.search(line) for p in patterns):
            return line
    for line in lines:
        for sentence in sentences(line) or [line]:
            if patterns[0].search(sentence):
                return sentence
    return ""


def _any(lines: Sequence[str], pattern: re.Pattern[str]) -> bool:
    return any(pattern.search(line) for line in lines)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _months_ahead(today: dt.date, months: int) -> str:
    month = (today.month - 1 + months) % 12 + 1
    return dt.date(2000, month, 1).strftime("%B")


class _Phrases:
    """Better lines built from the user's own entries and target title."""

    def __init__(self, inp: ScoreInput):
        self.target = inp.profile.target_title
        self.facts = inp.facts
        self.revisit = _months_ahead(inp.today, 6)

    def evidence(self, i: int = 0) -> str:
        """A first-person clause naming one entry and its metric: 'I led the migration (cut errors 38%)'."""
        if not self.facts:
            return "I delivered [your strongest result, with its number]"
        fact = self.facts[i % len(self.facts)]
        metric = f" ({fact.metric})" if fact.metric else ""
        return f"{fact.first_person}{metric}"

    def for_check(self, check_id: str, response_type: ResponseType) -> str:
        target, first, a = self.target, self.evidence(0), _article(self.target)
        second = self.evidence(1) if len(self.facts) > 1 else ""
        both = f"{first}, and {second}" if second else first
        lines = {
            "appreciation": f"Thanks for making time today. I've really valued your support this year, "
                            f"including when {first}.",
            "goal": f"I'd like to talk about moving into the {target} role, ideally in the next cycle.",
            "evidence": f"To give you the concrete picture: {both}.",
            "convincing": f"When {first}, that was the kind of work {a} {target} owns, and I'd like to "
                          f"do it at a bigger scope.",
            "feedback": f"How do you see my readiness for {target}? What gaps would I need to close?",
            "timeline": f"What would a realistic timeline to {target} look like, and what should I "
                        f"show over the next six months?",
            "close": "Thank you for the time. I'll send a short recap of what we agreed today and "
                     "put a check-in on our calendar.",
        }
        if check_id != "handling":
            return lines[check_id]
        return {
            ResponseType.YES: f"Thank you, that means a lot. Could you confirm the {target} move, the "
                              f"start date and what HR needs from me by email? I'll write the case up, "
                              f"starting with how {first}.",
            ResponseType.NOT_YET: f"Could you give me a specific example of each gap? I'd build on what I "
                                  f"did when {first}. If I show that over the next six months, can we "
                                  f"revisit {target} in {self.revisit}?",
            ResponseType.NO_BUDGET: f"I understand. Given that {first}, what would it take to create "
                                    f"{a} {target} role in the next budget round? And are there other "
                                    f"paths I should look at meanwhile?",
            ResponseType.NOT_READY: f"Can you help me understand which gaps you see, specifically? For "
                                    f"example, when {first}, what would {a} {target} have done "
                                    f"differently? I'd like to build a concrete plan.",
            ResponseType.NO_FIT: f"Thank you for being honest. I'd like to understand the path forward: "
                                 f"when {first}, what didn't fit {a} {target}, and where do you see "
                                 f"me going here?",
        }[response_type]


# -- the checks --------------------------------------------------------------------------------
def _rule(check_id: str, verdict: Verdict, quote: str, reason: str, step: str = "") -> CheckResult:
    return CheckResult(id=check_id, step=step or STEPS[check_id], verdict=verdict, quote=quote, reason=reason)


def _appreciation(lines: list[str]) -> CheckResult:
    opening = lines[:2]
    if _any(opening, PATTERNS["thanks"]):
        return _rule("appreciation", Verdict.YES, _quote(opening, PATTERNS["thanks"]),
                     "thanked or showed appreciation at the start")
    return _rule("appreciation", Verdict.NO, lines[0] if lines else "",
                 "no thanks or appreciation in the first two lines")


def _goal(lines: list[str], target: str) -> CheckResult:
    for line in lines:
        if mentions_target(line, target):
            quote = next((s for s in sentences(line) if mentions_target(s, target)), line)
            return _rule("goal", Verdict.YES, quote, f"named the target title '{target}'")
    vague = _quote(lines, PATTERNS["goal"])
    reason = (f"asked to move up but never named '{target}'" if vague
              else f"never said the target title '{target}'")
    return _rule("goal", Verdict.NO, vague or (lines[0] if lines else ""), reason)


def _evidence(lines: list[str], facts: list[LogFact]) -> CheckResult:
    for line in lines:
        named = cited_entries(line, facts)
        figures = evidence_figures(line)
        if named or figures:
            what = ", ".join(f"'{f.title}'" for f in named) or ", ".join(sorted(figures))
            quote = next((s for s in sentences(line) if cited_entries(s, facts) or evidence_figures(s)), line)
            return _rule("evidence", Verdict.YES, quote, f"cited {what}")
    return _rule("evidence", Verdict.NO, "", "no figure and no log entry named")


def _pattern_check(check_id: str, lines: list[str], pattern: re.Pattern[str], yes: str, no: str,
                   where: str = "") -> CheckResult:
    if _any(lines, pattern):
        return _rule(check_id, Verdict.YES, _quote(lines, pattern), yes)
    return _rule(check_id, Verdict.NO, where, no)


def _close(lines: list[str]) -> CheckResult:
    last = lines[-2:]
    thanks, follow = _any(last, PATTERNS["thanks"]), _any(last, PATTERNS["follow_up"])
    quote = _quote(last, PATTERNS["thanks"], PATTERNS["follow_up"]) or (last[-1] if last else "")
    if thanks and follow:
        return _rule("close", Verdict.YES, quote, "thanked and proposed a follow-up at the end")
    missing = " and ".join(w for w, ok in (("thanks", thanks), ("a follow-up plan", follow)) if not ok)
    return _rule("close", Verdict.NO, quote, f"the ending had no {missing}")


def _handling(inp: ScoreInput, step: str) -> tuple[CheckResult, JudgeQuestion | None]:
    """The response-specific step; the judge settles the cases the patterns leave open."""
    after = _after_answer(inp.turns)
    if after is None:
        return _rule("handling", Verdict.NA, "", "the manager never gave an answer", step), None
    if not after:
        return _rule("handling", Verdict.NA, "", "the meeting ended right after the answer", step), None
    P = PATTERNS
    # Each inner tuple is one thing the user must do; any of its patterns counts.
    needs = {
        ResponseType.YES: ((P["writing"],), (P["requirements"], P["timeline"])),
        ResponseType.NOT_YET: ((P["specifics"], P["gaps"]), (P["revisit"],)),
        ResponseType.NO_BUDGET: ((P["paths"],),),
        ResponseType.NOT_READY: ((P["gaps"],),),
        ResponseType.NO_FIT: ((P["acknowledge"],), (P["path_forward"],)),
    }[inp.response_type]
    hits = [any(_any(after, p) for p in group) for group in needs]
    quote = ""
    for first in needs[0]:
        for second in (needs[1] if len(needs) > 1 else (first,)):
            quote = quote or _quote(after, first, second)
    if all(hits):
        return _rule("handling", Verdict.YES, quote, "the lines after the answer do this", step), None
    if not any(hits) and not _any(after, P["feedback"]):
        return _rule("handling", Verdict.NO, after[0], "nothing after the answer does this", step), None
    pending = CheckResult(id="handling", step=step, verdict=Verdict.UNSCORED, method="judge",
                          reason="patterns inconclusive; waiting for the judge")
    question = JudgeQuestion(
        check_id="handling",
        question=f"The manager's answer was: {inp.persona.label}. After hearing "
                 f"it, did the user do this: {step.lower()}?",
        lines=after)
    return pending, question


def rule_checks(inp: ScoreInput) -> tuple[list[CheckResult], list[JudgeQuestion]]:
    """Every check, decided by patterns where they suffice; the rest come back as judge questions."""
    lines = _user_lines(inp.turns)
    target = inp.profile.target_title
    checks = [
        _appreciation(lines),
        _goal(lines, target),
        _evidence(lines, inp.facts),
        CheckResult(id="convincing", step=STEPS["convincing"], verdict=Verdict.UNSCORED, method="judge",
                    reason="waiting for the judge"),
        _pattern_check("feedback", lines, PATTERNS["feedback"], "asked for the manager's view",
                       "never asked for feedback or the gaps"),
        _pattern_check("timeline", lines, PATTERNS["timeline"], "talked about dates or a time frame",
                       "no time frame or date came up"),
        _close(lines),
    ]
    questions = [JudgeQuestion(
        check_id="convincing",
        question=f"Did the user make a convincing case for {target}: results with numbers, tied to "
                 f"what the {target} role needs, rather than effort or time served?",
        lines=lines)]
    timeline = checks[5]
    if inp.response_type is ResponseType.NO_FIT and timeline.verdict is Verdict.NO:
        checks[5] = timeline.model_copy(update={"verdict": Verdict.NA,
                                                "reason": "a hard no has no timeline to agree"})
    handling, question = _handling(inp, inp.persona.handling_step)
    checks.append(handling)
    if question:
        questions.append(question)
    phrases = _Phrases(inp)
    checks = [c.model_copy(update={"improved": phrases.for_check(c.id, inp.response_type)}) for c in checks]
    if not lines:
        checks = [c.model_copy(update={"verdict": Verdict.NA, "reason": "the user said nothing"})
                  for c in checks]
        questions = []
    return checks, questions
