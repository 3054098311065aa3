"""Readiness: which next-level expectations the impact log covers, the gaps, and a plan.

Pure rules over the profile and the log. The same result feeds the CLI report, the
proposal's evidence section and the role-play's manager persona.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.evidence import Entry
from coach.domain.expectations import Expectation, default_expectations
from coach.domain.profile import Profile

TENURE_NORM_MIN = 12  # months: the usual minimum before a promotion
TENURE_NORM_MAX = 18  # months: past this, tenure stops being a reason to wait
FIRST_STEP_WEEKS = 6  # a first gap-closing step needs about a sprint cycle or three
STEP_SPACING_WEEKS = 4  # one gap at a time: closing all at once is not realistic
QUANTIFY_WEEKS = 2  # adding figures to existing entries is an afternoon's work

# Weights of the readiness score: evidence dominates, time served counts least.
W_COVERAGE, W_QUANTIFIED, W_TENURE = 0.6, 0.25, 0.15


class Coverage(BaseModel):
    """An expectation the log shows, with the entries that show it."""

    expectation: Expectation
    entries: list[int] = Field(..., description="Ids of the entries that evidence it.")
    strength: Literal["strong", "thin"] = Field(
        "thin", description="strong: two or more entries, or one marked next-level.")


class TenureStatus(BaseModel):
    """Months in role against the usual 12-18 month window."""

    months: int
    norm_min: int = TENURE_NORM_MIN
    norm_max: int = TENURE_NORM_MAX
    status: Literal["early", "within-norm", "beyond-norm"]
    text: str


class PlanStep(BaseModel):
    """One concrete action to close a gap, with a date to have done it by."""

    expectation: Expectation
    action: str
    by: dt.date


class Readiness(BaseModel):
    """How ready the log says the user is for the target level."""

    target_title: str
    transition: str
    covered: list[Coverage]
    gaps: list[Expectation]
    unquantified: list[int] = Field(..., description="Entry ids without a measured result.")
    quantify_by: dt.date | None = Field(None, description="When to have added the missing figures.")
    tenure: TenureStatus
    plan: list[PlanStep]
    score: float = Field(..., ge=0.0, le=1.0)
    entry_count: int
    next_level_entries: list[int] = Field(default_factory=list)

    def entries_for(self, expectation_id: str) -> list[int]:
        for cov in self.covered:
            if cov.expectation.id == expectation_id:
                return cov.entries
        return []


def tenure_status(months: int) -> TenureStatus:
    """Place months in role against the 12-18 month norm."""
    if months < TENURE_NORM_MIN:
        left = TENURE_NORM_MIN - months
        text = (f"{months} months in role: {left} short of the usual {TENURE_NORM_MIN}-"
                f"{TENURE_NORM_MAX} month window. Build the record and share your goal now; "
                "make the formal ask later unless your scope has grown a lot.")
        return TenureStatus(months=months, status="early", text=text)
    if months <= TENURE_NORM_MAX:
        text = (f"{months} months in role: inside the usual {TENURE_NORM_MIN}-{TENURE_NORM_MAX} "
                "month window.")
        return TenureStatus(months=months, status="within-norm", text=text)
    text = (f"{months} months in role: past the usual {TENURE_NORM_MIN}-{TENURE_NORM_MAX} month "
            "window, so time in role is not what holds the case back.")
    return TenureStatus(months=months, status="beyond-norm", text=text)


def _score(covered: int, total: int, quantified: int, entries: int, months: int) -> float:
    coverage = covered / total if total else 0.0
    quant = quantified / entries if entries else 0.0
    tenure = min(months / TENURE_NORM_MIN, 1.0)
    return round(W_COVERAGE * coverage + W_QUANTIFIED * quant + W_TENURE * tenure, 2)


def assess_readiness(profile: Profile, entries: list[Entry],
                     expectations: list[Expectation] | None = None,
                     today: dt.date | None = None) -> Readiness:
    """Match the log against the next level's expectations and plan the gaps.

    Args:
        profile: the user's goal and tenure.
        entries: the impact log.
        expectations: the user's own list; the transition's defaults when None.
        today: the date plan steps count from (defaults to the real date).
    """
    today = today or dt.date.today()
    expectations = expectations if expectations is not None else default_expectations(
        profile.transition)
    covered: list[Coverage] = []
    gaps: list[Expectation] = []
    for exp in expectations:
        hits = [e for e in entries if exp.evidenced_by(e)]
        if hits:
            strong = len(hits) >= 2 or any(e.next_level for e in hits)
            covered.append(Coverage(expectation=exp, entries=[e.id for e in hits],
                                    strength="strong" if strong else "thin"))
        else:
            gaps.append(exp)

    plan = []
    for i, exp in enumerate(gaps):
        action = exp.action or f"Take on one piece of work that shows {exp.title.lower()}."
        by = today + dt.timedelta(weeks=FIRST_STEP_WEEKS + STEP_SPACING_WEEKS * i)
        plan.append(PlanStep(expectation=exp, action=action, by=by))

    unquantified = [e.id for e in entries if not e.quantified]
    return Readiness(
        target_title=profile.target_title,
        transition=profile.transition.value,
        covered=covered,
        gaps=gaps,
        unquantified=unquantified,
        quantify_by=today + dt.timedelta(weeks=QUANTIFY_WEEKS) if unquantified else None,
        tenure=tenure_status(profile.months_in_role),
        plan=plan,
        score=_score(len(covered), len(expectations), len(entries) - len(unquantified),
                     len(entries), profile.months_in_role),
        entry_count=len(entries),
        next_level_entries=[e.id for e in entries if e.next_level],
    )


def readiness_text(r: Readiness) -> str:
    """A short plain-text report for the terminal."""
    lines = [f"Readiness for {r.target_title}: {round(r.score * 100)}%", ""]
    if r.entry_count == 0:
        lines += ["Your impact log is empty: every expectation is a gap for now.",
                  "Add entries with `coach log add`.", ""]
    lines.append("Covered:" if r.covered else "Covered: nothing yet")
    for cov in r.covered:
        ids = ", ".join(f"#{i}" for i in cov.entries)
        lines.append(f"  - {cov.expectation.title} ({cov.strength}): {ids}")
    lines.append("Gaps:" if r.gaps else "Gaps: none")
    for gap in r.gaps:
        lines.append(f"  - {gap.title}: {gap.description}")
    if r.unquantified:
        ids = ", ".join(f"#{i}" for i in r.unquantified)
        lines.append(f"Entries without a measured result ({len(r.unquantified)}): {ids}"
                     f" - add figures by {r.quantify_by.isoformat() if r.quantify_by else 'soon'}")
    lines += ["", f"Tenure: {r.tenure.text}"]
    if r.plan:
        lines += ["", "Plan:"]
        for step in r.plan:
            lines.append(f"  - by {step.by.isoformat()}: {step.action} ({step.expectation.title})")
    return "\n".join(lines)
