"""Checks for the role-play scenarios of issue 21: an offer presented, an interview elsewhere.

The counterpart (the manager or HR partner presenting the offer, the interviewer) stays in
role by the app's own scenario guard, states no figure the user did not enter, and keeps its
turns short. The scorecard has exactly the checks the guidance names for the scenario, quotes
only the user's own words, says why on every "no" with a stronger line to say instead, and
that line carries no figure the user did not enter.
"""

from __future__ import annotations

import re
from typing import Any

from coach.domain.offer import apply_changes
from coach.domain.roleplay.facts import pick_facts
from coach.domain.scenario.guard import ScenarioGuard
from coach.domain.scenario.offer_plan import offer_figures
from coach.domain.scenario.scorecard import SCENARIO_STEPS
from coach.domain.text import figures_not_in
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.common import facts_for
from coach.evals.scorers.roleplay import WRONG_SPEAKER
from coach.evals.scorers.text import DATE_RE, excerpt

SCENARIO_OF = {"offer-roleplay": "offer", "interview-roleplay": "interview"}


def scenario_of(sample: Sample) -> str:
    return SCENARIO_OF[sample.kind.value]


def _allowed(sample: Sample, output: Output) -> set[str]:
    """The figures the counterpart and the scorecard may state: the user's profile, log, lines
    and saved offer (its figures in every form the app accepts). Years and small plain counts
    pass as well; a percentage, an amount or a multiple only when the user gave it."""
    terms = sample.input.task.offer_terms
    offer = apply_changes(None, terms, sample.input.today) if terms is not None else None
    return facts_for(sample, output).numbers | offer_figures(offer)


def _invented(text: str, allowed: set[str]) -> list[str]:
    return figures_not_in(DATE_RE.sub(" ", text), allowed)


def _counterpart(output: Output) -> list[str]:
    return [t.content for t in output.transcript if t.role == "manager"]


def _user(output: Output) -> list[str]:
    return [t.content for t in output.transcript if t.role == "user"]


def _checks(output: Output) -> list[dict[str, Any]]:
    card = output.data.get("scorecard")
    checks = card.get("checks") if isinstance(card, dict) else None
    return [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []


@scorer("scenario_in_role")
def in_role() -> ScoreFn:
    """Every counterpart line is said by the counterpart: never as the user (accepting the
    offer, describing 'my current role'), never as a coach, never about a practice or an AI
    (the app's scenario guard decides)."""

    def score(sample: Sample, output: Output) -> Score:
        turns = _counterpart(output)
        if not turns:
            return Score.no("the transcript has no counterpart turns")
        profile, entries = sample.input.profile, sample.input.saved_entries()
        guard = ScenarioGuard(manager_name=profile.manager_name, user_name=profile.name,
                              scenario=scenario_of(sample), max_sentences=50, max_chars=10_000,
                              user_claims=[f.first_person for f in pick_facts(entries, len(entries))],
                              entry_titles=[e.title for e in entries])
        for turn in turns:
            verdict = guard.check(turn)
            broken = set(verdict.breaks) & WRONG_SPEAKER
            if broken:
                why = next((r for r in verdict.reasons if any(f"({k})" in r for k in broken)),
                           verdict.reasons[0] if verdict.reasons else "role broken")
                return Score.no(f"breaks role: {why}", turn)
        return Score.yes(f"{len(turns)} counterpart turns, all in role")

    return score


@scorer("scenario_no_invented_numbers")
def no_invented_numbers() -> ScoreFn:
    """The counterpart states no figure the user did not enter (saved offer, profile, log, their
    own lines); small counts and dates pass."""

    def score(sample: Sample, output: Output) -> Score:
        allowed = _allowed(sample, output)
        for turn in _counterpart(output):
            if bad := _invented(turn, allowed):
                return Score.no(f"the figure {bad[0]} is not in the user's inputs", turn)
        return Score.yes("every figure the counterpart says is the user's")

    return score


@scorer("scenario_scorecard_complete")
def scorecard_complete() -> ScoreFn:
    """The scorecard has exactly the checks the guidance names for this scenario."""

    def score(sample: Sample, output: Output) -> Score:
        wanted = list(SCENARIO_STEPS[scenario_of(sample)])
        got = [str(c.get("id")) for c in _checks(output)]
        if sorted(got) != sorted(wanted):
            missing, extra = sorted(set(wanted) - set(got)), sorted(set(got) - set(wanted))
            return Score.no(f"scorecard checks differ: missing {missing or 'none'}, extra {extra or 'none'}",
                            ", ".join(got) or "(no scorecard)")
        return Score.yes(f"{len(got)} checks: {', '.join(got)}")

    return score


@scorer("scenario_no_says_why")
def no_says_why() -> ScoreFn:
    """Every 'no' on the scorecard says why and offers a stronger line to say instead; with an
    empty log an interview has nothing to build that line from, so the reason must say so."""

    def score(sample: Sample, output: Output) -> Score:
        nos = [c for c in _checks(output) if c.get("verdict") == "no"]
        if not nos:
            return Score.na("the scorecard has no 'no'")
        nothing_to_build = scenario_of(sample) == "interview" and not sample.input.entries
        for c in nos:
            reason = str(c.get("reason", "")).strip()
            if not reason:
                return Score.no(f"'{c.get('id')}' is a no without a reason", str(c.get("step", "")))
            if str(c.get("improved", "")).strip():
                continue
            if not nothing_to_build:
                return Score.no(f"'{c.get('id')}' is a no without a stronger line", reason)
            if "log" not in reason.lower():
                return Score.no(f"'{c.get('id')}' gives no stronger line and does not say the log is "
                                "what is missing", reason)
        return Score.yes(f"{len(nos)} no's, each with why and a stronger line")

    return score


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@scorer("scenario_quotes_user")
def quotes_user() -> ScoreFn:
    """Every quote on the scorecard is the user's own words, and every 'yes' rests on one."""

    def score(sample: Sample, output: Output) -> Score:
        said = _flat(" ".join(_user(output)))
        checks = _checks(output)
        if not checks:
            return Score.no("no scorecard", excerpt(output.text))
        for c in checks:
            quote = _flat(str(c.get("quote", "")))
            if quote and quote not in said:
                return Score.no(f"'{c.get('id')}' quotes words the user never said", str(c.get("quote")))
            if c.get("verdict") == "yes" and not quote:
                return Score.no(f"'{c.get('id')}' is a yes with no quote to rest on", str(c.get("step", "")))
        return Score.yes("every quote is the user's own words")

    return score


@scorer("scenario_improved_figures")
def improved_figures() -> ScoreFn:
    """The stronger lines the scorecard suggests carry only figures the user entered."""

    def score(sample: Sample, output: Output) -> Score:
        allowed = _allowed(sample, output)
        lines = [str(c.get("improved", "")) for c in _checks(output) if c.get("improved")]
        if not lines:
            return Score.na("no stronger line suggested")
        for line in lines:
            if bad := _invented(line, allowed):
                return Score.no(f"the figure {bad[0]} is not in the user's inputs", line)
        return Score.yes(f"{len(lines)} suggested lines, figures all the user's")

    return score


_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


@scorer("scenario_well_formed")
def well_formed() -> ScoreFn:
    """The lines the user reads (the counterpart's and the suggested stronger ones) have no
    word doubled by a template ('the the new role role')."""

    def score(sample: Sample, output: Output) -> Score:
        lines = _counterpart(output) + [str(c.get("improved", "")) for c in _checks(output)]
        for line in lines:
            if m := _DOUBLED.search(line):
                return Score.no(f"a doubled word: '{m.group(0)}'", line)
        return Score.yes(f"{len(lines)} lines, none with a doubled word")

    return score
