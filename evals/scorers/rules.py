"""Checks for the outputs built by rules alone (issue 21): the stakeholder plan, the offer
checklist, the stay-or-go verdict and the move kit.

Each check holds the output to what the user typed (the case's list of people, offer,
profile and log), never to the output's own account of it: a stated reason must be true of
the user's data, every figure must be one they entered (or a count worked out from their
dates), and every reason must rest on a guide section that exists.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from coach.assets import guides_dir
from coach.domain import guard
from coach.domain.stakeholders import FEEDBACK_DAYS, SPONSOR_DAYS
from coach.evals.schema import Output, Sample, Score, Stakeholder
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.common import facts_for
from coach.evals.scorers.text import DATE_RE, excerpt


# -- every reason rests on a guide section that exists -------------------------------------
@cache
def guide_sections() -> dict[str, frozenset[str]]:
    """File name -> the section headings of the shipped guides."""
    out = {}
    for path in guides_dir().glob("*.md"):
        heads = re.findall(r"^#{1,6}\s+(.+?)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
        out[path.name] = frozenset(heads)
    return out


def _items(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    value = data.get(path)
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _refs(item: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = item.get(field)
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@scorer("cites_guide")
def cites_guide(items: list[str], field: str) -> ScoreFn:
    """Every item under `items` (data keys; '.' for the output itself) names at least one guide
    section in `field`, and each named section exists in the shipped guides."""

    def score(sample: Sample, output: Output) -> Score:
        sections = guide_sections()
        seen = 0
        for key in items:
            for item in [output.data] if key == "." else _items(output.data, key):
                refs = _refs(item, field)
                what = item.get("rule") or item.get("id") or key
                if not refs:
                    return Score.no(f"'{what}' gives no guide section for its reason",
                                    str(item.get("text") or item.get("why") or what)[:160])
                for r in refs:
                    source, section = str(r.get("source", "")), str(r.get("section", ""))
                    if section not in sections.get(source, frozenset()):
                        return Score.no(f"'{what}' cites '{source} § {section}', which is not a "
                                        "section of the guides", f"{source} § {section}")
                seen += 1
        if not seen:
            return Score.na("nothing here states a reason")
        return Score.yes(f"{seen} reasons, each tied to a guide section that exists")

    return score


# -- the stakeholder plan ------------------------------------------------------------------
def _people(sample: Sample) -> dict[str, Stakeholder]:
    return {p.name: p for p in sample.input.task.stakeholders}


def _days(person: Stakeholder, today: dt.date) -> int | None:
    last = max((i.date for i in person.interactions if i.date <= today), default=None)
    return (today - last).days if last else None


_RANK = {"high": 0, "medium": 1, "low": 2}
_SINCE = re.compile(r"last spoke (?:(\d+) days? ago|today)|no interaction logged yet")


@scorer("people_one_action_each")
def one_action_each() -> ScoreFn:
    """Every person on the user's list gets exactly one next action, and nobody else gets one."""

    def score(sample: Sample, output: Output) -> Score:
        names = [a.get("name") for a in _items(output.data, "actions")]
        listed = list(_people(sample))
        extra = sorted({str(n) for n in names} - set(listed))
        if extra:
            return Score.no(f"an action for someone not on the list: {', '.join(extra)}",
                            excerpt(output.text))
        missed = [n for n in listed if n not in names]
        if missed:
            return Score.no(f"no next action for {', '.join(missed)}", excerpt(output.text))
        twice = sorted({str(n) for n in names if names.count(n) > 1})
        if twice:
            return Score.no(f"more than one action for {', '.join(twice)}", excerpt(output.text))
        if not listed:
            return Score.na("the user has listed nobody")
        return Score.yes(f"one action for each of the {len(listed)} people")

    return score


@scorer("people_ordered")
def people_ordered() -> ScoreFn:
    """Most influence first; within it, the longest since the last interaction (never first)."""

    def score(sample: Sample, output: Output) -> Score:
        people, today = _people(sample), sample.input.today
        names = [str(a.get("name")) for a in _items(output.data, "actions") if a.get("name") in people]
        if len(names) < 2:
            return Score.na("fewer than two people to order")

        def key(name: str) -> tuple[int, int]:
            days = _days(people[name], today)
            return (_RANK[people[name].influence.value], -(days if days is not None else 10**6))

        for first, second in zip(names, names[1:], strict=False):
            if key(first) > key(second):
                return Score.no(f"{second} should come before {first} (more influence, or longer "
                                "without contact)", " -> ".join(names))
        return Score.yes("most influence and longest silence first", " -> ".join(names))

    return score


def _rule_fits(rule: str, p: Stakeholder, days: int | None, action: dict[str, Any]) -> str:
    """'' when the rule's premise is true of the person as entered, else why not."""
    influence, rel = p.influence.value, p.relationship.value
    stale = days is None
    if rule == "keep-sponsor-informed":
        ok = p.sponsor and (stale or days >= SPONSOR_DAYS)  # type: ignore[operator]
        return "" if ok else "treats as a quiet sponsor someone who is not one, or spoke recently"
    if rule == "get-known":
        return "" if influence == "high" and rel in ("weak", "none") else (
            f"says a decider barely knows the work, but the user entered influence {influence}, "
            f"relationship {rel}")
    if rule in ("collaborate", "learn-priorities"):
        if rel == "strong":
            return "treats a strong relationship as one still to build"
        if rule == "collaborate":
            return "" if p.cares_about and p.cares_about in str(action.get("action", "")) else (
                "offers help with something the user never said this person cares about")
        return "" if not p.cares_about else "asks what they care about though the user said it"
    if rule in ("ask-feedback", "stay-visible"):
        if rel != "strong":
            return f"says they know the work well, but the relationship is {rel}"
        recent = days is not None and days < FEEDBACK_DAYS
        if rule == "stay-visible" and not recent:
            return "says they spoke recently, but the last interaction is older"
        if rule == "ask-feedback" and recent:
            return "says it has been a while, but they spoke recently"
        return ""
    return f"unknown rule '{rule}'"


@scorer("people_reason_true")
def people_reason_true() -> ScoreFn:
    """Each person's action and its reason are true of what the user entered about them: the
    sponsor flag, influence, relationship, what they care about, and how recent the contact is."""

    def score(sample: Sample, output: Output) -> Score:
        people, today = _people(sample), sample.input.today
        actions = [a for a in _items(output.data, "actions") if a.get("name") in people]
        if not actions:
            return Score.na("no actions to check")
        for a in actions:
            person = people[str(a["name"])]
            problem = _rule_fits(str(a.get("rule")), person, _days(person, today), a)
            if problem:
                return Score.no(f"{person.name}: {problem}", f"{a.get('action')} {a.get('why')}")
        return Score.yes(f"all {len(actions)} reasons are true of the people as entered")

    return score


@scorer("people_days_true")
def people_days_true() -> ScoreFn:
    """'Last spoke N days ago' is the real count from the logged dates; someone with nothing
    logged is said to have no interaction, not given a date."""

    def score(sample: Sample, output: Output) -> Score:
        people, today = _people(sample), sample.input.today
        checked = 0
        for a in _items(output.data, "actions"):
            person = people.get(str(a.get("name")))
            if person is None:
                continue
            why = str(a.get("why", ""))
            said = _SINCE.search(why)
            if said is None:
                return Score.no(f"{person.name}: the reason does not say when they last spoke", why)
            days = _days(person, today)
            stated = None if said.group(0).startswith("no ") else int(said.group(1) or 0)
            if stated != days:
                truth = "nothing logged" if days is None else f"{days} days"
                return Score.no(f"{person.name}: says '{said.group(0)}', the log says {truth}", why)
            checked += 1
        return Score.yes(f"{checked} contact ages match the log") if checked else Score.na("nobody listed")

    return score


def _gaps_due(sample: Sample) -> set[str]:
    people, today = sample.input.task.stakeholders, sample.input.today
    if not people:
        return {"nobody-mapped"}
    due = set()
    deciders = [p for p in people if p.influence.value == "high"]
    if not deciders:
        due.add("no-decider")
    elif not any(p.relationship.value == "strong" for p in deciders):
        due.add("no-decider-knows-you")
    if not any(p.sponsor for p in people):
        due.add("no-sponsor")
    if not any((d := _days(p, today)) is not None and d < FEEDBACK_DAYS for p in people):
        due.add("nobody-recent")
    return due


@scorer("people_gaps_true")
def people_gaps_true() -> ScoreFn:
    """Every gap named is true of the list (no sponsor, nobody who decides knows the work,
    nobody heard from lately, nobody listed), and every gap that is true is named."""

    def score(sample: Sample, output: Output) -> Score:
        named = {str(g.get("rule")) for g in _items(output.data, "gaps")}
        due = _gaps_due(sample)
        false = sorted(named - due)
        if false:
            return Score.no(f"names a gap that is not true of the list: {', '.join(false)}",
                            excerpt(output.text))
        missed = sorted(due - named)
        if missed:
            return Score.no(f"misses a gap: {', '.join(missed)}", excerpt(output.text))
        return Score.yes("gaps: " + (", ".join(sorted(named)) or "none, and none due"))

    return score


@scorer("people_no_invented_numbers")
def people_no_invented_numbers() -> ScoreFn:
    """Every figure is one the user entered, a date, a day count worked out from their dates,
    or the guidance's own rhythm (every couple of months, a month for a sponsor)."""

    def score(sample: Sample, output: Output) -> Score:
        today = sample.input.today
        days = [d for p in sample.input.task.stakeholders if (d := _days(p, today)) is not None]
        facts = facts_for(sample, output, (FEEDBACK_DAYS, SPONSOR_DAYS, *days))
        bad = guard.invented_numbers(DATE_RE.sub(" ", output.text), facts)
        if not bad:
            return Score.yes("every figure comes from the user's list and dates")
        return Score.no(bad[0].detail, excerpt(output.text))

    return score
