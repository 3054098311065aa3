"""Which rule answers a question, and that rule applied to the user's own profile and log.

A rule answers only a question its trigger clearly matches (`Rule.trigger`); when none does,
or two unrelated rules fire with the same weight, there is no advice and the chat answers
from retrieval and the model alone. Where it fits, the rule is applied to the user's data:
a question about a freeze runs the timing check with that signal added, one about tenure
places the months in the usual window, one about the criteria names the transition's
expectations and what the log already shows.
"""

from __future__ import annotations

import datetime as dt
import re

from coach.domain.advice.answer_rules import ANSWER_RULES
from coach.domain.advice.meeting_rules import MEETING_RULES
from coach.domain.advice.rule import Advice, AdviceLine, GuideRef, Rule
from coach.domain.advice.timing_rules import TIMING_RULES
from coach.domain.evidence import Entry
from coach.domain.expectations import Expectation, default_expectations
from coach.domain.profile import Profile, Signal
from coach.domain.readiness import assess_readiness, tenure_status
from coach.domain.timing import Timing, assess_timing

RULES: tuple[Rule, ...] = (*TIMING_RULES, *ANSWER_RULES, *MEETING_RULES)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11}
_MONTHS = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+months?\b", re.IGNORECASE)
_VERDICT = {"good": "a good moment to ask", "wait": "prepare now and ask a little later",
            "bad": "not now"}


def matching_rules(question: str) -> list[tuple[Rule, str]]:
    """Every rule that fires on `question`, with the words that fired it, strongest first."""
    fired = [(rule, hit) for rule in RULES if (hit := rule.trigger(question)) is not None]
    return sorted(fired, key=lambda pair: -pair[0].priority)


def pick_rule(question: str) -> tuple[Rule, str] | None:
    """The rule that answers `question`, or None (fail open) when none clearly does."""
    fired = matching_rules(question)
    if not fired:
        return None
    best = fired[0]
    if len(fired) > 1 and fired[1][0].priority == best[0].priority \
            and fired[1][0].area != best[0].area:
        return None  # two unrelated answers with the same weight: let retrieval decide
    return best


def route(question: str) -> list[GuideRef]:
    """The guide sections retrieval should put first for `question` (empty: no rule fires)."""
    picked = pick_rule(question)
    return list(picked[0].rests_on) if picked else []


def advise(question: str, profile: Profile | None = None, entries: list[Entry] | None = None,
           *, today: dt.date | None = None,
           expectations: list[Expectation] | None = None) -> Advice | None:
    """The rule's answer to `question`, applied to the user's data where it fits; None when no
    rule clearly answers it.

    Args:
        profile, entries: the user's goal and log (None: the rule's answer alone).
        today: the date a timing check counts from.
        expectations: the user's own list for their transition (None: the defaults).
    """
    picked = pick_rule(question)
    if picked is None:
        return None
    rule, trigger = picked
    lines = [AdviceLine(text=text, rests_on=guide) for text, guide in rule.lines()]
    if profile is not None:
        signals = [r.signal for r, _ in matching_rules(question)
                   if r.signal is not None and r.area == "timing"]
        personal = _personal(rule, question, profile, entries, signals, today, expectations)
        lines += [AdviceLine(text=text, origin="profile") for text in personal]
    return Advice(rule=rule.id, stance=rule.stance, trigger=trigger, lines=lines,
                  rests_on=list(rule.rests_on))


def _personal(rule: Rule, question: str, profile: Profile, entries: list[Entry] | None,
              signals: list[Signal], today: dt.date | None,
              expectations: list[Expectation] | None) -> list[str]:
    if rule.id.startswith("timing-tenure") or rule.id == "timing-how-long":
        return [_tenure_line(question, profile)]
    if rule.signal is not None or rule.id == "timing-now":
        added = [s for s in dict.fromkeys(signals) if s not in profile.signals]
        check = assess_timing(profile.model_copy(update={"signals": [*profile.signals, *added]}),
                              entries, today)
        return [_timing_line(check, added, rule)]
    if rule.id == "next-level-criteria":
        return _expectations_lines(profile, entries or [], expectations, today)
    return []


def _tenure_line(question: str, profile: Profile) -> str:
    said = _MONTHS.search(question)
    months = profile.months_in_role
    if said:
        word = said.group(1).lower()
        months = int(word) if word.isdigit() else _NUMBERS[word]
    status = tenure_status(months)
    where = {"early": f"{status.norm_min - months} months short of",
             "within-norm": "inside", "beyond-norm": "past"}[status.status]
    return (f"At {months} months in the role, you are {where} the usual "
            f"{status.norm_min} to {status.norm_max} month window.")


def _timing_line(check: Timing, added: list[Signal], rule: Rule) -> str:
    verdict = _VERDICT[check.verdict]
    if check.verdict != "good" and rule.stance == "yes":
        blockers = " and ".join(r.signal_or_fact.replace("-", " ") for r in check.reasons
                                if r.effect != "good" and r.rule.startswith("bad-signal"))
        blockers = blockers or "a reason to wait"
        return f"Your profile also lists {blockers}, so your own timing check still says {verdict}."
    said = " and ".join(s.value.replace("-", " ") for s in added)
    text = (f"With {said} added to your profile, your" if said else "Your") + \
        f" own timing check says {verdict}"
    revisit = next((r for r in check.revisit if r.blocking), None)
    if check.verdict != "good" and revisit is not None:
        when = f"around {revisit.when.day} {revisit.when:%B %Y}" if revisit.when else revisit.why
        text += f"; look again {when}"
    return text + "."


def _expectations_lines(profile: Profile, entries: list[Entry],
                        expectations: list[Expectation] | None,
                        today: dt.date | None) -> list[str]:
    listed = expectations or default_expectations(profile.transition)
    if not listed:
        return []
    titles = _series([e.title.lower() for e in listed])
    lines = [f"For your move to {profile.target_title}, your list expects {titles}."]
    if entries:
        ready = assess_readiness(profile, entries, listed, today)
        covered = _series([c.expectation.title.lower() for c in ready.covered])
        gaps = _series([g.title.lower() for g in ready.gaps])
        if covered and gaps:
            lines.append(f"Your log already shows {covered}; still open: {gaps}.")
        elif gaps:
            lines.append(f"Your log does not show any of them yet; start with {gaps}.")
        else:
            lines.append("Your log already shows each of them.")
    return lines


def _series(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
