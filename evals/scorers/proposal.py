"""Checks for the written promotion case: four parts, numbers on every result, next-level
evidence tied to the target level, a 90-day plan, and an ask with the exact title and a date."""

from __future__ import annotations

import re
from collections.abc import Callable

from coach.domain.expectations import default_expectations
from coach.domain.guard import CITE_RE, strip_citations
from coach.domain.proposal import check_structure, title_problems
from coach.domain.text import has_number
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import TIME_RE, Section, excerpt, sections

# Heading patterns per part, tried in this order so "Evidence of next-level work" is not
# taken for the accomplishments and "Plan for the new role" is not taken for the ask.
PARTS: dict[str, re.Pattern[str]] = {
    "next-level": re.compile(r"next[- ]level|already (work|operat)|readiness|beyond|above (my|the)|"
                             r"operating at|evidence", re.IGNORECASE),
    "plan": re.compile(r"\bplan\b|90|ninety|first (three|3) months|new role|what i('ll| will)|"
                       r"next level, i", re.IGNORECASE),
    "ask": re.compile(r"\bask\b|request|the proposal\b|proposal$|what i'?m asking", re.IGNORECASE),
    "accomplishments": re.compile(r"accomplish|achiev|results?|impact|current role|track record|"
                                  r"delivered", re.IGNORECASE),
}
PART_TITLES = {"accomplishments": "accomplishments", "next-level": "next-level evidence",
               "plan": "plan for the role", "ask": "the ask"}

_NINETY = re.compile(r"\b(90|ninety)[- ]day|\b(90|ninety) days|\bday (90|ninety)\b|"
                     r"\bfirst (three|3) months|\b(30|60)[-/ ](60|90)", re.IGNORECASE)


def find_parts(text: str) -> dict[str, Section]:
    """The proposal's four parts by heading; a part missing from the text is missing here."""
    found: dict[str, Section] = {}
    for section in sections(text):
        for part, pattern in PARTS.items():
            if part not in found and pattern.search(section.heading):
                found[part] = section
                break
    return found


def _on_part(part: str, check: Callable[[Sample, Section], Score], *,
             needs_items: bool = False) -> ScoreFn:
    """A score function for one part: a 'no such section' fail when the text lacks it (and,
    with `needs_items`, an 'empty section' fail when it lists nothing), else `check`."""

    def score(sample: Sample, output: Output) -> Score:
        found = find_parts(output.text).get(part)
        if found is None:
            return Score.no(f"no '{PART_TITLES[part]}' section", excerpt(output.text))
        if needs_items and not found.items:
            return Score.no(f"the {part} section is empty", found.heading)
        return check(sample, found)

    return score


def _structure(code: str, sample: Sample, output: Output) -> list[str]:
    problems = check_structure(output.text, sample.input.profile.target_title)
    if code == "wrong-title":
        problems += title_problems(output.text, sample.input.profile.target_title)
    return [v.detail for v in problems if v.code == code]


@scorer("proposal_four_sections")
def four_sections() -> ScoreFn:
    """The four numbered sections the guidance sets out, in order (the app's structure check)."""

    def score(sample: Sample, output: Output) -> Score:
        problems = _structure("structure", sample, output)
        headings = " | ".join(s.heading for s in sections(output.text)) or excerpt(output.text)
        return Score.verdict(not problems, "all four sections, in order",
                             problems[0] if problems else "", headings)

    return score


@scorer("proposal_quantified")
def quantified() -> ScoreFn:
    """Every accomplishment carries a number."""

    def check(sample: Sample, part: Section) -> Score:
        items = part.items
        entries = {e.id: e for e in sample.input.saved_entries()}
        bare: list[str] = []
        excused: list[str] = []
        for item in items:
            if has_number(strip_citations(item)):
                continue
            cited = [entries[int(i)] for i in CITE_RE.findall(item) if int(i) in entries]
            # No figure in the log to quote: flagging it is the honest output, not a failure.
            (excused if cited and not any(e.quantified for e in cited) else bare).append(item)
        if len(excused) == len(items):
            return Score.na("no accomplishment in the log has a figure to quote")
        note = f" ({len(excused)} without a figure in the log)" if excused else ""
        return Score.verdict(not bare, f"every accomplishment with a logged figure quotes it{note}",
                             f"{len(bare)} of {len(items)} accomplishments have no figure",
                             bare[0] if bare else "")

    return _on_part("accomplishments", check, needs_items=True)


def _level_words(sample: Sample) -> list[str]:
    profile = sample.input.profile
    words = [profile.target_title.lower(), "next level", "next-level"]
    for exp in default_expectations(profile.transition):
        words.append(exp.title.lower())
        words.extend(exp.keywords)
        words.extend(k.value.replace("-", " ") for k in exp.kinds)
    return [w for w in words if w]


@scorer("proposal_next_level_tied")
def next_level_tied() -> ScoreFn:
    """Each next-level example names the target-level quality or responsibility it shows."""

    def check(sample: Sample, part: Section) -> Score:
        items = part.items
        words = _level_words(sample)
        loose = [item for item in items
                 if not any(re.search(rf"\b{re.escape(w)}", item, re.IGNORECASE) for w in words)]
        return Score.verdict(not loose, f"all {len(items)} examples name a target-level quality",
                             f"{len(loose)} of {len(items)} examples are not tied to the target level",
                             loose[0] if loose else "")

    return _on_part("next-level", check, needs_items=True)


@scorer("proposal_ninety_day_plan")
def ninety_day_plan() -> ScoreFn:
    """A plan for the first 90 days with at least two concrete items."""

    def check(sample: Sample, part: Section) -> Score:
        if not _NINETY.search(part.text):
            return Score.no("the plan does not say what happens in the first 90 days",
                            excerpt(part.text))
        if len(part.items) < 2:
            return Score.no("the plan has fewer than two concrete items", excerpt(part.text))
        return Score.yes(f"a 90-day plan with {len(part.items)} items")

    return _on_part("plan", check)


@scorer("proposal_exact_title")
def exact_title() -> ScoreFn:
    """The ask names the exact target title, and nothing asks for a different one."""

    def score(sample: Sample, output: Output) -> Score:
        problems = _structure("wrong-title", sample, output)
        part = find_parts(output.text).get("ask")
        shown = excerpt(part.text if part else output.text)
        return Score.verdict(not problems, f"asks for '{sample.input.profile.target_title}'",
                             problems[0] if problems else "", shown)

    return score


@scorer("proposal_timeline")
def timeline() -> ScoreFn:
    """The ask says when the change should take effect."""

    def score(sample: Sample, output: Output) -> Score:
        problems = _structure("no-timeline", sample, output)
        part = find_parts(output.text).get("ask")
        match = TIME_RE.search(part.text) if part else None
        if not problems and part and match:
            return Score.yes(f"timeline: '{match.group(0)}'", excerpt(part.text, match, 60))
        return Score.no(problems[0] if problems else "the ask gives no timeline",
                        excerpt(part.text if part else output.text))

    return score


# Arguments the guidance warns against: need, tenure, fairness, comparisons.
_PERSONAL = re.compile(
    r"\b(rent|mortgage|bills|i deserve|deserve (it|this)|it'?s only fair|unfair|been here (for )?"
    r"(\d+|a long|so long)|loyal(ty)?|than (him|her|them)|unlike (my )?(colleague|peer)s?|"
    r"my colleagues? (got|was|were) promoted)\b",
    re.IGNORECASE,
)


@scorer("business_case")
def business_case() -> ScoreFn:
    """Argues from business value, not need, tenure, fairness or comparisons with colleagues."""

    def score(sample: Sample, output: Output) -> Score:
        match = _PERSONAL.search(output.text)
        return Score.verdict(match is None, "argues from results",
                             f"argues from personal need or comparison ('{match.group(0) if match else ''}')",
                             excerpt(output.text, match, 60) if match else "")

    return score

