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
from coach.domain.framework.coverage import AreaCoverage, CriteriaReadiness, CriterionStatus
from coach.domain.profile import Profile
from coach.domain.stakeholders import PeopleStep
from coach.domain.text import count

TENURE_NORM_MIN = 12  # months: the usual minimum before a promotion
TENURE_NORM_MAX = 18  # months: past this, tenure stops being a reason to wait
FIRST_STEP_WEEKS = 6  # a first gap-closing step needs about a sprint cycle or three
STEP_SPACING_WEEKS = 4  # one gap at a time: closing all at once is not realistic
QUANTIFY_WEEKS = 2  # adding figures to existing entries is an afternoon's work
RECENT_MONTHS = 12  # older evidence still counts, but says less about the person today
STRONG_MIN_ENTRIES = 2  # one example can be luck; two show a habit

# Weights of the readiness score: evidence dominates, time served counts least.
W_COVERAGE, W_QUANTIFIED, W_TENURE = 0.6, 0.25, 0.15


class Evidence(BaseModel):
    """One entry that shows an expectation, and what it brings to it."""

    entry: int
    title: str
    why: str = Field(..., description="What matched: the entry's kind or a word in it.")
    quantified: bool
    next_level: bool
    recent: bool = Field(..., description=f"Dated within the last {RECENT_MONTHS} months.")


class Coverage(BaseModel):
    """An expectation the log shows, with the entries that show it."""

    expectation: Expectation
    entries: list[int] = Field(..., description="Ids of the entries that evidence it.")
    evidence: list[Evidence] = Field(default_factory=list)
    strength: Literal["strong", "thin"] = Field(
        "thin", description=f"strong: {STRONG_MIN_ENTRIES} or more entries, one of them measured "
                            f"or next-level, one from the last {RECENT_MONTHS} months.")
    missing: list[str] = Field(default_factory=list,
                               description="What a thin coverage lacks to be strong.")


class ScorePart(BaseModel):
    """One part of the readiness score: how much of it the user has, and the points it gives."""

    name: str
    have: int
    of: int
    weight: int = Field(..., description="The points this part can give (of 100).")
    points: int

    @property
    def percent(self) -> int:
        return round(min(self.have / self.of, 1.0) * 100) if self.of else 0


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
    parts: list[ScorePart] = Field(default_factory=list, description="How the score adds up.")
    built_in: bool = Field(False, description="Measured against the generic built-in "
                                              "expectations, not the user's own.")
    entry_count: int
    next_level_entries: list[int] = Field(default_factory=list)
    framework: str | None = Field(None, description="The career framework in use (its name): "
                                                    "the expectations are its target level's "
                                                    "criteria.")
    target_level: str | None = Field(None, description="The framework's target level (name).")
    criteria: list[CriterionStatus] = Field(default_factory=list,
                                            description="With a framework: each criterion of the "
                                                        "target level and the entries that show it.")
    coverage: list[AreaCoverage] = Field(default_factory=list,
                                         description="With a framework: coverage per area.")
    people_steps: list[PeopleStep] = Field(default_factory=list,
                                           description="Steps about the people who decide "
                                                       "(no sponsor, no decider who knows the "
                                                       "work), from the user's own list.")

    def with_framework(self, result: CriteriaReadiness) -> Readiness:
        """A copy carrying the framework's per-criterion and per-area view."""
        return self.model_copy(update={
            "framework": result.framework_name, "target_level": result.target_level.name,
            "criteria": result.criteria, "coverage": result.coverage})

    def with_people(self, steps: list[PeopleStep]) -> Readiness:
        """A copy carrying the steps about the people who decide."""
        return self.model_copy(update={"people_steps": steps})

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


def score_parts(score: float, covered: int, total: int, quantified: int, entries: int,
                months: int) -> list[ScorePart]:
    """The score's three parts in whole points that add up to the score shown (largest
    remainder: the rounding goes to the parts closest to their next point)."""
    rows = [("Expectations covered", covered, total, W_COVERAGE),
            ("Entries with a measured result", quantified, entries, W_QUANTIFIED),
            ("Months in role (of the usual minimum)", min(months, TENURE_NORM_MIN),
             TENURE_NORM_MIN, W_TENURE)]
    raw = [weight * 100 * (have / of if of else 0.0) for _, have, of, weight in rows]
    points = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - points[i], reverse=True)
    for i in order[: max(round(score * 100) - sum(points), 0)]:
        points[i] += 1
    return [ScorePart(name=name, have=have, of=of, weight=round(weight * 100), points=p)
            for (name, have, of, weight), p in zip(rows, points, strict=True)]


def _coverage(exp: Expectation, entries: list[Entry], today: dt.date) -> Coverage | None:
    """Which entries show `exp`, why, and whether together they make strong evidence."""
    since = today - dt.timedelta(days=round(RECENT_MONTHS * 30.44))
    evidence = [Evidence(entry=e.id, title=e.title, why=why, quantified=e.quantified,
                         next_level=e.next_level, recent=e.date >= since)
                for e in entries if (why := exp.match(e)) is not None]
    if not evidence:
        return None
    missing = []
    if len(evidence) < STRONG_MIN_ENTRIES:
        missing.append(f"{STRONG_MIN_ENTRIES} or more entries (one so far)")
    if not any(ev.quantified or ev.next_level for ev in evidence):
        missing.append("an entry with a measured result or marked as next-level work")
    if not any(ev.recent for ev in evidence):
        missing.append(f"an entry from the last {RECENT_MONTHS} months")
    return Coverage(expectation=exp, entries=[ev.entry for ev in evidence], evidence=evidence,
                    strength="thin" if missing else "strong", missing=missing)


def assess_readiness(profile: Profile, entries: list[Entry],
                     expectations: list[Expectation] | None = None,
                     today: dt.date | None = None, built_in: bool | None = None) -> Readiness:
    """Match the log against the next level's expectations and plan the gaps.

    Args:
        profile: the user's goal and tenure.
        entries: the impact log.
        expectations: the user's own list; the transition's defaults when None.
        today: the date plan steps count from (defaults to the real date).
        built_in: whether `expectations` are the built-in ones (default: when None is given).
    """
    today = today or dt.date.today()
    if built_in is None:
        built_in = expectations is None
    expectations = expectations if expectations is not None else default_expectations(
        profile.transition)
    covered: list[Coverage] = []
    gaps: list[Expectation] = []
    for exp in expectations:
        if cov := _coverage(exp, entries, today):
            covered.append(cov)
        else:
            gaps.append(exp)

    plan = []
    for i, exp in enumerate(gaps):
        action = exp.action or f"Take on one piece of work that shows {exp.title.lower()}."
        by = today + dt.timedelta(weeks=FIRST_STEP_WEEKS + STEP_SPACING_WEEKS * i)
        plan.append(PlanStep(expectation=exp, action=action, by=by))

    unquantified = [e.id for e in entries if not e.quantified]
    numbers = (len(covered), len(expectations), len(entries) - len(unquantified), len(entries),
               profile.months_in_role)
    score = _score(*numbers)
    return Readiness(
        target_title=profile.target_title,
        transition=profile.transition.value,
        covered=covered,
        gaps=gaps,
        unquantified=unquantified,
        quantify_by=today + dt.timedelta(weeks=QUANTIFY_WEEKS) if unquantified else None,
        tenure=tenure_status(profile.months_in_role),
        plan=plan,
        score=score,
        parts=score_parts(score, *numbers),
        built_in=built_in,
        entry_count=len(entries),
        next_level_entries=[e.id for e in entries if e.next_level],
    )


BUILT_IN_NOTE = ("These are generic built-in expectations for this step, not your company's: "
                 "a score against them is a rough guide. Your company's own career framework "
                 "is the yardstick your manager will use.")


def evidence_note(ev: Evidence) -> str:
    """Why an entry counts, and what it brings: "the word 'mentor'; measured; recent"."""
    facts = [ev.why, "measured" if ev.quantified else "no measured result",
             *(["next-level"] if ev.next_level else []),
             "recent" if ev.recent else f"older than {RECENT_MONTHS} months"]
    return "; ".join(facts)


def readiness_text(r: Readiness) -> str:
    """A short plain-text report for the terminal."""
    lines = [f"Readiness for {r.target_title}: {round(r.score * 100)}%", ""]
    if r.entry_count == 0:
        lines += ["Your impact log is empty: every expectation is a gap for now.",
                  "Add entries with `coach log add`.", ""]
    lines.append("How it adds up:")
    for part in r.parts:
        lines.append(f"  - {part.name}: {part.have} of {part.of} ({part.percent}%) = "
                     f"{part.points} of {part.weight} points")
    if r.built_in:
        lines += ["", BUILT_IN_NOTE]
    if r.framework:
        lines += ["", f"Against {r.framework}, level {r.target_level}:"]
        lines += [f"  - {a.name}: {a.covered} of {a.total} criteria ({a.percent}%)"
                  for a in r.coverage]
    lines.append("")
    lines.append("Covered:" if r.covered else "Covered: nothing yet")
    for cov in r.covered:
        lines.append(f"  - {cov.expectation.title} ({cov.strength}, "
                     f"{count(len(cov.entries), 'entry', 'entries')})")
        for ev in cov.evidence:
            lines.append(f"      #{ev.entry} {ev.title}: {evidence_note(ev)}")
        if cov.missing:
            lines.append(f"      strong needs: {'; '.join(cov.missing)}")
    lines.append("Gaps:" if r.gaps else "Gaps: none")
    new_ids = {c.id for c in r.criteria if c.new}
    for gap in r.gaps:
        if r.framework:  # a criterion's title already holds its words; its id links entries
            lines.append(f"  - {gap.title} [{gap.id}{', new at this level' if gap.id in new_ids else ''}]")
        else:
            lines.append(f"  - {gap.title}: {gap.description}")
    if r.unquantified:
        ids = ", ".join(f"#{i}" for i in r.unquantified)
        lines.append(f"Entries without a measured result ({len(r.unquantified)}): {ids}"
                     f" - add figures by {r.quantify_by.isoformat() if r.quantify_by else 'soon'}")
    lines += ["", f"Tenure: {r.tenure.text}"]
    if r.plan:
        lines += ["", "Plan:"]
        for step in r.plan:
            about = step.expectation.id if r.framework else step.expectation.title
            lines.append(f"  - by {step.by.isoformat()}: {step.action} ({about})")
    if r.people_steps:
        lines += ["", "The people who decide:"]
        lines += [f"  - by {s.by.isoformat()}: {s.action} ({s.cites.label()})"
                  for s in r.people_steps]
    return "\n".join(lines)
