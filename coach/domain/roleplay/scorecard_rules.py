"""The scorecard's rule checks: every step decided from the user's own lines, with the quote it
rests on and, for a "no", why in words the user can act on. Only "convincing" can go to the
judge, and only when the rules cannot tell what the user's results show (the figures match
nothing in the log, or the log marks nothing as next-level work)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain.roleplay.answer import answer_index
from coach.domain.roleplay.facts import LogFact
from coach.domain.roleplay.meeting import Turn, cited_entries, evidence_figures, mentions_target
from coach.domain.roleplay.personas import ResponseType
from coach.domain.roleplay.scorecard import STEPS, CheckResult, JudgeQuestion, ScoreInput, Verdict
from coach.domain.roleplay.scorecard_patterns import HOSTILE, SCORE, TENURE, word_figures
from coach.domain.roleplay.scorecard_phrases import Phrases
from coach.domain.text import sentences

P = SCORE


# -- helpers -----------------------------------------------------------------------------------
def _user_lines(turns: Sequence[Turn]) -> list[str]:
    return [t.text for t in turns if t.speaker == "you"]


def handling_lines(turns: Sequence[Turn], response_type: ResponseType) -> tuple[list[str], list[str]] | None:
    """The user's lines that handle the answer: (the one that drew it, every one after).

    The line just before the answer counts because it is often the question the answer came
    back to ("what would you need to see from me, specifically?"). None if no answer came.
    A pasted real meeting marks no turn: when its words give no decision the coach can read,
    the answer is the one the user named, and every line of theirs counts.
    """
    index = answer_index(turns, response_type)
    if index is None:
        if any(t.move for t in turns if t.speaker == "manager"):
            return None  # a practice meeting marks its answer: unmarked means it never came
        return [], [t.text for t in turns if t.speaker == "you"]
    before = [t.text for t in turns[:index] if t.speaker == "you"][-1:]
    return before, [t.text for t in turns[index + 1:] if t.speaker == "you"]


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


def _rule(check_id: str, verdict: Verdict, quote: str, reason: str, step: str = "") -> CheckResult:
    return CheckResult(id=check_id, step=step or STEPS[check_id], verdict=verdict, quote=quote, reason=reason)


def _said(quote: str) -> str:
    return f' ("{quote}")' if quote else ""


# -- the checks --------------------------------------------------------------------------------
def _appreciation(lines: list[str]) -> CheckResult:
    opening = lines[:2]
    if _any(opening, P["thanks"]):
        return _rule("appreciation", Verdict.YES, _quote(opening, P["thanks"]),
                     "thanked or showed appreciation at the start")
    return _rule("appreciation", Verdict.NO, lines[0] if lines else "",
                 "your first two lines had no thanks or appreciation: open by thanking your manager "
                 "for something specific")


def _goal(lines: list[str], target: str) -> CheckResult:
    for line in lines:
        if mentions_target(line, target):
            quote = next((s for s in sentences(line) if mentions_target(s, target)), line)
            return _rule("goal", Verdict.YES, quote, f"named the target title '{target}'")
    vague = _quote(lines, P["goal"])
    reason = (f"you asked to move up but never named the title you want, '{target}'" if vague
              else f"you never said the title you want, '{target}'")
    return _rule("goal", Verdict.NO, vague or (lines[0] if lines else ""), reason)


def _stem(word: str) -> str:
    return word[:6]


def named_entries(text: str, facts: Sequence[LogFact]) -> list[LogFact]:
    """Log entries the text names: the plan's reading, or most of a title's words up to their
    endings ("the checkout redesign" names "Redesigned the checkout flow")."""
    found = cited_entries(text, facts)
    said = {_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())}
    for fact in facts:
        words = [_stem(w) for w in re.findall(r"[a-z0-9]+", fact.title.lower()) if len(w) > 3]
        hits = sum(w in said for w in words)
        # Most of the title, or half of a long one ("coordinated the launch across design and sales").
        share = hits / len(words) if words else 0.0
        if fact not in found and (share >= 0.6 or (hits >= 4 and share >= 0.5)):
            found.append(fact)
    return found


def _figures(text: str) -> set[str]:
    return evidence_figures(text) | word_figures(text)


def _evidence(lines: list[str], facts: list[LogFact]) -> CheckResult:
    for line in lines:
        named = named_entries(line, facts)
        figures = _figures(line)
        if named or figures:
            what = ", ".join(f"'{f.title}'" for f in named) or ", ".join(sorted(figures))
            quote = next((s for s in sentences(line) if named_entries(s, facts) or _figures(s)), line)
            return _rule("evidence", Verdict.YES, quote, f"cited {what}")
    tenure = _quote(lines, TENURE)
    why = "you gave no result with a number and named nothing from your log"
    if tenure:
        why += "; time served or effort is not evidence"
    return _rule("evidence", Verdict.NO, tenure, why)


def _convincing(lines: list[str], facts: list[LogFact],
                target: str) -> tuple[CheckResult, JudgeQuestion | None]:
    """Yes when the user cites next-level work from their log and a result with a number."""
    cited = list(dict.fromkeys(f for line in lines for f in named_entries(line, facts)))
    figures = {fig for line in lines for fig in _figures(line)}
    next_level = [f for f in cited if f.next_level]
    if next_level and figures:
        quote = _quote(lines, re.compile(re.escape(next_level[0].title.split()[-1]), re.I)) \
            or _quote(lines, P["goal"])
        return _rule("convincing", Verdict.YES, quote,
                     f"tied next-level work from your log ('{next_level[0].title}') to results with "
                     f"numbers"), None
    if not cited and not figures:
        tenure = _quote(lines, TENURE)
        why = "no result with a number and nothing from your log"
        why += (", so the case rested on time served or effort" if tenure else "")
        return _rule("convincing", Verdict.NO, tenure, why), None
    if next_level:
        return _rule("convincing", Verdict.NO, "",
                     f"you named '{next_level[0].title}' but gave no number for what it achieved"), None
    logged_next = [f for f in facts if f.next_level]
    if cited and logged_next:
        return _rule("convincing", Verdict.NO, "",
                     f"your examples ({', '.join(repr(f.title) for f in cited[:2])}) are results of your "
                     f"current role; you did not show the {target}-level work your log holds, such as "
                     f"'{logged_next[0].title}'"), None
    pending = CheckResult(id="convincing", step=STEPS["convincing"], verdict=Verdict.UNSCORED, method="judge",
                          reason="your results are not in your log, so the judge reads them")
    question = JudgeQuestion(
        check_id="convincing",
        question=f"Did the employee show work that belongs to the {target} role (leading, growing "
                 f"people, owning wider scope), with results that have numbers, rather than effort, "
                 f"time served or results of their current job only?",
        lines=lines, seen=sorted(figures))
    return pending, question


def _pattern_check(check_id: str, lines: list[str], pattern: re.Pattern[str], yes: str,
                   no: str) -> CheckResult:
    if _any(lines, pattern):
        return _rule(check_id, Verdict.YES, _quote(lines, pattern), yes)
    return _rule(check_id, Verdict.NO, "", no)


def _close(lines: list[str]) -> CheckResult:
    """Thanks near the end (the last three lines) and a concrete follow-up in the last two."""
    thanks_part, follow_part = lines[-3:], lines[-2:]
    thanks, follow = _any(thanks_part, P["thanks"]), _any(follow_part, P["follow_up"])
    if thanks and follow:
        quote = _quote(follow_part, P["thanks"], P["follow_up"]) or _quote(follow_part, P["follow_up"])
        return _rule("close", Verdict.YES, quote, "thanked and proposed a follow-up at the end")
    missing = [w for w, ok in (("no thanks", thanks), ("no concrete follow-up (a recap, an email or the "
                                                       "next meeting)", follow)) if not ok]
    return _rule("close", Verdict.NO, lines[-1] if lines else "", f"the ending had {' and '.join(missing)}")


# Each response type's handling: the things the user must do once the answer comes, as
# (what they did, what to do, the patterns any of which counts).
_NEEDS: dict[ResponseType, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    ResponseType.YES: (("asked to have the details confirmed in writing", "ask for the details in writing",
                        ("writing",)),
                       ("asked about the requirements or the start date", "ask what has to happen and when",
                        ("requirements", "timeline"))),
    ResponseType.NOT_YET: (("asked for specifics", "ask for specific examples", ("specifics", "gaps")),
                           ("proposed a date to revisit", "propose a date to revisit", ("revisit",))),
    ResponseType.NO_BUDGET: (("asked what it would take to create the role, or about other paths",
                              "ask what it would take to create the role, or about other paths",
                              ("paths",)),),
    ResponseType.NOT_READY: (("asked which gaps, specifically", "ask which gaps, specifically",
                              ("gaps", "specifics")),
                             ("asked for a concrete plan", "ask for a concrete plan", ("plan",))),
    ResponseType.NO_FIT: (("took the answer calmly", "take the answer calmly", ("acknowledge",)),
                          ("asked about the path forward", "ask about the path forward", ("path_forward",))),
}


def _handling(inp: ScoreInput, step: str) -> CheckResult:
    found = handling_lines(inp.turns, inp.response_type)
    if found is None:
        return _rule("handling", Verdict.NA, "", "the manager never gave an answer", step)
    before, after = found
    lines = before + after
    done: list[tuple[str, str]] = []
    todo: list[str] = []
    for did, do, names in _NEEDS[inp.response_type]:
        quote = next((q for name in names if (q := _quote(lines, P[name]))), "")
        if quote:
            done.append((did, quote))
        else:
            todo.append(do)
    if not after and todo:  # nothing said after the answer, and the line before it did not do it
        return _rule("handling", Verdict.NA, "", "the meeting ended right after the answer", step)
    hostile = _quote(after, HOSTILE)
    if not todo and not hostile:
        quote = " ... ".join(dict.fromkeys(q for _, q in done))
        return _rule("handling", Verdict.YES, quote, "you " + " and ".join(d for d, _ in done), step)
    if not todo:  # did it all, but fought the answer on the way
        reason = f"you {' and '.join(d for d, _ in done)}, but argued with the answer too{_said(hostile)}"
        return _rule("handling", Verdict.NO, hostile, reason, step)
    parts = [f"you {' and '.join(f'{d}{_said(q)}' for d, q in done)}, but did not {' or '.join(todo)}"
             if done else f"once the answer came you did not {' or '.join(todo)}"]
    if hostile:
        parts.append(f"you argued with the answer instead{_said(hostile)}")
    return _rule("handling", Verdict.NO, hostile or after[-1], "; ".join(parts), step)


def rule_checks(inp: ScoreInput) -> tuple[list[CheckResult], list[JudgeQuestion]]:
    """Every check, decided by rules where they can; what they cannot comes back as judge questions."""
    lines = _user_lines(inp.turns)
    target = inp.profile.target_title
    convincing, question = _convincing(lines, inp.facts, target)
    checks = [
        _appreciation(lines),
        _goal(lines, target),
        _evidence(lines, inp.facts),
        convincing,
        _pattern_check("feedback", lines, P["feedback"], "asked for the manager's view",
                       "you never asked how your manager sees your readiness or which gaps to close"),
        _pattern_check("timeline", lines, P["timeline"], "talked about dates or a time frame",
                       "no date or time frame ahead came up; ask when it could happen"),
        _close(lines),
        _handling(inp, inp.persona.handling_step),
    ]
    questions = [question] if question else []
    timeline = checks[5]
    if inp.response_type is ResponseType.NO_FIT and timeline.verdict is Verdict.NO:
        checks[5] = timeline.model_copy(update={"verdict": Verdict.NA,
                                                "reason": "a hard no has no timeline to agree"})
    phrases = Phrases(inp.facts, target, inp.today, inp.criteria)
    checks = [c.model_copy(update={"improved": phrases.for_check(c.id, inp.response_type)}) for c in checks]
    if not lines:
        checks = [c.model_copy(update={"verdict": Verdict.NA, "reason": "you said nothing"}) for c in checks]
        questions = []
    return checks, questions
