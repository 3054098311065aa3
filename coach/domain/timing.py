"""Timing: is now a good moment to ask, and if not, when to look again.

Each rule from the timing guidance is applied to the profile's signals, tenure, review
month and (optionally) the impact log, and yields a named reason. The verdict follows
from the reasons: any 'bad' one makes it bad, else any 'wait' makes it wait, else good.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.evidence import Entry
from coach.domain.profile import Profile, Signal
from coach.domain.readiness import TENURE_NORM_MAX, TENURE_NORM_MIN

Effect = Literal["good", "bad", "wait"]

REVIEW_LEAD_MONTHS = 3  # raise it about a quarter ahead of the cycle
RECENT_RESULT_DAYS = 90  # a result from the last quarter still counts as fresh
STRONG_CASE_NEXT_LEVEL = 2  # next-level entries that show the scope has already grown
STRONG_CASE_GOOD_SIGNALS = 3

# signal -> (effect, why, months until it is worth checking again or None if event-bound)
_BAD_RULES: dict[Signal, tuple[Effect, str, int | None, str]] = {
    Signal.LAYOFFS: (
        "bad", "Layoffs are under way: leadership is cutting costs, so a request to spend more "
        "is very unlikely to succeed and can look tone-deaf.", 3,
        "check whether the layoffs are over"),
    Signal.HIRING_FREEZE: (
        "bad", "A hiring freeze means headcount and budget are locked; a new title usually "
        "needs both.", None, "after the hiring freeze lifts"),
    Signal.FINANCIALS_WEAK: (
        "bad", "Weak company finances shrink the budget for raises and new titles.", 3,
        "look again after the next quarter's results"),
    Signal.RECENT_MISTAKE: (
        "wait", "A recent significant mistake is still fresh: let a stretch of solid results "
        "follow it first.", 3, "after three months of solid results since the mistake"),
    Signal.MANAGER_OVERLOADED: (
        "wait", "Your manager is overloaded right now and cannot give the case the attention "
        "it needs.", 1, "once your manager's workload eases"),
}

_GOOD_RULES: dict[Signal, str] = {
    Signal.RECENT_WIN: "A recent clear win puts your value in front of everyone: ask while it "
                       "is fresh.",
    Signal.REVIEW_CYCLE: "The review or planning cycle is when promotions are decided: raise it "
                         "before decisions are locked in.",
    Signal.COMPANY_GROWING: "The company is growing, which creates room for more senior roles.",
    Signal.TEAM_GROWING: "The team is growing: new hires need leads and managers.",
    Signal.FINANCIALS_STRONG: "Healthy finances make a promotion easier to approve.",
}


class Reason(BaseModel):
    """One timing rule applied to one signal or fact."""

    rule: str = Field(..., description="Stable id of the rule, e.g. 'bad-signal'.")
    signal_or_fact: str = Field(..., description="The signal or fact it was applied to.")
    effect: Effect
    text: str


class Revisit(BaseModel):
    """When to look at the question again, and why."""

    when: dt.date | None
    why: str
    blocking: bool = Field(False, description="A reason to wait lifts then (not just a cycle).")


class Timing(BaseModel):
    verdict: Effect
    reasons: list[Reason]
    revisit: list[Revisit]
    months_in_role: int
    review_date: dt.date | None = Field(None, description="Start of the next review cycle.")
    summary: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(today: dt.date, review_month: int) -> dt.date:
    """First day of the next review month; this month counts as next while it lasts."""
    year = today.year if review_month >= today.month else today.year + 1
    return dt.date(year, review_month, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from the month of `start` to the month of `end`."""
    return (end.year - start.year) * 12 + end.month - start.month


def _strong_case(profile: Profile, entries: list[Entry] | None) -> bool:
    # The guidance allows asking before a year when the scope has already grown a lot.
    next_level = sum(1 for e in entries or [] if e.next_level and e.quantified)
    if Signal.RECENT_WIN in profile.signals and next_level >= STRONG_CASE_NEXT_LEVEL:
        return True
    return len(profile.good_signals) >= STRONG_CASE_GOOD_SIGNALS and next_level >= 1


def _tenure_reason(profile: Profile, entries: list[Entry] | None) -> Reason:
    months = profile.months_in_role
    fact = f"{months} months in role"
    if months < TENURE_NORM_MIN:
        if _strong_case(profile, entries):
            return Reason(rule="tenure-short-strong-case", signal_or_fact=fact, effect="good",
                          text=f"Under {TENURE_NORM_MIN} months in role, but your scope has "
                               "clearly grown (a recent win and next-level results), which "
                               "justifies asking early.")
        return Reason(rule="tenure-under-12", signal_or_fact=fact, effect="wait",
                      text=f"Under {TENURE_NORM_MIN} months in role: tell your manager your goal "
                           "now and keep the formal request for later.")
    if months <= TENURE_NORM_MAX:
        return Reason(rule="tenure-norm", signal_or_fact=fact, effect="good",
                      text=f"Inside the usual {TENURE_NORM_MIN}-{TENURE_NORM_MAX} month window "
                           "for a promotion.")
    return Reason(rule="tenure-beyond-norm", signal_or_fact=fact, effect="good",
                  text=f"Past the usual {TENURE_NORM_MIN}-{TENURE_NORM_MAX} months: time in role "
                       "supports the ask.")


def _review_reason(today: dt.date, review: dt.date) -> Reason | None:
    months = months_between(today, review)
    name = review.strftime("%B %Y")
    fact = f"review cycle in {name}"
    if months == 0:
        return Reason(rule="review-now", signal_or_fact=fact, effect="good",
                      text=f"The {name} review cycle is under way: make the case now, before "
                           "nominations close.")
    if months <= REVIEW_LEAD_MONTHS:
        return Reason(rule="review-approaching", signal_or_fact=fact, effect="good",
                      text=f"The {name} review cycle is {months} month"
                           f"{'s' if months > 1 else ''} away: ask ahead of it, while budgets "
                           "and nominations are still open.")
    return None  # a distant cycle is no reason to wait; it only sets a revisit date


def _recent_result(entries: list[Entry], today: dt.date) -> Entry | None:
    fresh = [e for e in entries if e.quantified
             and dt.timedelta(0) <= today - e.date <= dt.timedelta(days=RECENT_RESULT_DAYS)]
    return max(fresh, key=lambda e: (e.next_level, e.date, e.id)) if fresh else None


def assess_timing(profile: Profile, entries: list[Entry] | None = None,
                  today: dt.date | None = None, extra: list[Reason] | None = None) -> Timing:
    """Apply the timing rules to the profile (and the log, when given).

    Args:
        profile: signals, tenure and review month.
        entries: the impact log; None skips the log-based rules.
        today: the date revisit dates count from (defaults to the real date).
        extra: reasons decided elsewhere (the people who decide), weighed like the rest.
    """
    today = today or dt.date.today()
    reasons: list[Reason] = []
    revisit: list[Revisit] = []

    for signal in profile.bad_signals:
        effect, text, months, why = _BAD_RULES[signal]
        reasons.append(Reason(rule=f"bad-signal-{signal.value}", signal_or_fact=signal.value,
                              effect=effect, text=text))
        revisit.append(Revisit(when=add_months(today, months) if months else None, why=why,
                               blocking=True))
    for signal in profile.good_signals:
        reasons.append(Reason(rule=f"good-signal-{signal.value}", signal_or_fact=signal.value,
                              effect="good", text=_GOOD_RULES[signal]))

    tenure = _tenure_reason(profile, entries)
    reasons.append(tenure)
    if tenure.rule == "tenure-under-12":
        left = TENURE_NORM_MIN - profile.months_in_role
        revisit.append(Revisit(when=add_months(today, left),
                               why=f"you reach {TENURE_NORM_MIN} months in role", blocking=True))

    review = next_review(today, profile.review_month) if profile.review_month else None
    if review:
        if reason := _review_reason(today, review):
            reasons.append(reason)
        elif (early := add_months(review, -REVIEW_LEAD_MONTHS)) > today:
            revisit.append(Revisit(when=early, why=f"a quarter before the {review:%B %Y} review "
                                                   "cycle: tell your manager your goal"))
        revisit.append(Revisit(when=review, why=f"the {review:%B %Y} review cycle"))

    if entries is not None:
        if not entries:
            reasons.append(Reason(rule="log-empty", signal_or_fact="0 impact-log entries",
                                  effect="wait", text="Your impact log is empty: build the "
                                  "record before you ask."))
        elif Signal.RECENT_WIN not in profile.signals and (hit := _recent_result(entries, today)):
            reasons.append(Reason(rule="recent-result", signal_or_fact=f"entry {hit.cite()}",
                                  effect="good", text=f"Your log has a fresh measured result "
                                  f"({hit.title}, {hit.date.isoformat()}) {hit.cite()}."))

    reasons += extra or []
    verdict: Effect = "good"
    if any(r.effect == "bad" for r in reasons):
        verdict = "bad"
    elif any(r.effect == "wait" for r in reasons):
        verdict = "wait"
    revisit = _dedupe(sorted(revisit, key=lambda r: (r.when is None, r.when or today)))
    return Timing(verdict=verdict, reasons=reasons, revisit=revisit,
                  months_in_role=profile.months_in_role, review_date=review,
                  summary=_summary(verdict, reasons))


def _dedupe(items: list[Revisit]) -> list[Revisit]:
    seen: set[tuple[dt.date | None, str]] = set()
    out = []
    for item in items:
        if (item.when, item.why) not in seen:
            seen.add((item.when, item.why))
            out.append(item)
    return out


def _summary(verdict: Effect, reasons: list[Reason]) -> str:
    if verdict == "bad":
        blockers = ", ".join(r.signal_or_fact for r in reasons if r.effect == "bad")
        return (f"Not now ({blockers}). Keep building your record and say you would like to "
                "discuss your growth once things settle.")
    if verdict == "wait":
        holds = ", ".join(r.signal_or_fact for r in reasons if r.effect == "wait")
        return f"Prepare now, ask a little later ({holds})."
    return "A good moment: book the meeting and bring your written case."


def timing_text(t: Timing) -> str:
    """A short plain-text report for the terminal."""
    mark = {"good": "+", "bad": "x", "wait": "~"}
    lines = [f"Timing: {t.verdict.upper()} - {t.summary}", "", "Reasons:"]
    lines += [f"  {mark[r.effect]} [{r.rule}] {r.text}" for r in t.reasons]
    if t.revisit:
        lines += ["", "Look again:"]
        for r in t.revisit:
            when = r.when.isoformat() if r.when else "when it happens"
            lines.append(f"  - {when}: {r.why}")
    return "\n".join(lines)
