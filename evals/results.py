"""What a run produced and how it adds up: per-case results, per-check pass rates with failure
examples, per-rubric pass rates, and how often the judge agrees with the deterministic checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from coach.evals.rubric import Rubric
from coach.evals.schema import OutputKind, Recording, Sample, Score, Value

Source = Literal["deterministic", "judge"]
MAX_FAILURE_EXAMPLES = 3
# `Output.data["source"]` values meaning the user saw the app's deterministic draft, not model prose.
FALLBACK_SOURCES = frozenset({"draft", "partial"})


class CheckResult(BaseModel):
    check: str
    source: Source
    score: Score


class CaseResult(BaseModel):
    """One case: the sample, what was recorded for it, and every check's score."""

    sample: Sample
    recording: Recording | None = None
    results: list[CheckResult] = Field(default_factory=list)
    error: str = Field("", description="Why no output exists (generation failed, nothing recorded).")

    @property
    def case_id(self) -> str:
        return self.sample.id

    @property
    def kind(self) -> OutputKind:
        return self.sample.kind

    def score(self, check: str, source: Source) -> Score | None:
        for r in self.results:
            if r.check == check and r.source == source:
                return r.score
        return None


class Failure(BaseModel):
    case_id: str
    answer: str
    explanation: str


class CheckStats(BaseModel):
    """Counts for one check from one source (deterministic or judge) across the cases."""

    check: str
    source: Source
    question: str
    yes: int = 0
    no: int = 0
    na: int = 0
    unscored: int = 0
    failures: list[Failure] = Field(default_factory=list)
    unscored_reasons: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def n(self) -> int:
        return self.yes + self.no

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pass_rate(self) -> float | None:
        return self.yes / self.n if self.n else None


class Agreement(BaseModel):
    """Judge vs deterministic check on the cases where both gave yes or no."""

    check: str
    n: int = 0
    agree: int = 0
    both_yes: int = 0
    both_no: int = 0
    det_yes_judge_no: int = 0
    det_no_judge_yes: int = 0
    disagreements: list[str] = Field(default_factory=list, description="Case ids.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> float | None:
        return self.agree / self.n if self.n else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when chance agreement is total (both always said the same)."""
        if not self.n:
            return None
        p_observed = self.agree / self.n
        det_yes = (self.both_yes + self.det_yes_judge_no) / self.n
        judge_yes = (self.both_yes + self.det_no_judge_yes) / self.n
        p_chance = det_yes * judge_yes + (1 - det_yes) * (1 - judge_yes)
        if p_chance >= 1:
            return None
        return (p_observed - p_chance) / (1 - p_chance)

    def add(self, case_id: str, det: Value, judge: Value) -> None:
        self.n += 1
        if det == judge:
            self.agree += 1
            if det == Value.YES:
                self.both_yes += 1
            else:
                self.both_no += 1
        else:
            self.disagreements.append(case_id)
            if det == Value.YES:
                self.det_yes_judge_no += 1
            else:
                self.det_no_judge_yes += 1

    def merged(self, other: Agreement, check: str = "all") -> Agreement:
        return Agreement(check=check, n=self.n + other.n, agree=self.agree + other.agree,
                         both_yes=self.both_yes + other.both_yes, both_no=self.both_no + other.both_no,
                         det_yes_judge_no=self.det_yes_judge_no + other.det_yes_judge_no,
                         det_no_judge_yes=self.det_no_judge_yes + other.det_no_judge_yes,
                         disagreements=self.disagreements + other.disagreements)


class CheckCalibration(BaseModel):
    """One judged check on the hand-labelled calibration outputs (evals/judge_calibration.py)."""

    rubric: str
    check: str
    agreement: Agreement
    caught_bad: bool = Field(description="The judge said no to the output seeded to fail this check.")
    judged: bool = Field(description="The rubric still asks the judge this check.")
    missing: int = Field(0, description="Labelled outputs with no usable judge reply.")


class Calibration(BaseModel):
    """The judge against hand labels, per judged check, from recorded replies."""

    checks: list[CheckCalibration]
    overall: Agreement
    replies: str

    def headline(self) -> dict[str, object]:
        def gist(a: Agreement) -> dict[str, object]:
            return {"n": a.n, "percent": _round(a.percent), "kappa": _round(a.kappa)}

        return {**gist(self.overall), "checks": {
            f"{c.rubric}/{c.check}": {**gist(c.agreement), "caught_bad": c.caught_bad, "judged": c.judged}
            for c in self.checks}}


class RubricStats(BaseModel):
    name: str
    kind: OutputKind
    title: str
    version: str
    cases: int = Field(..., description="Cases with an output to score.")
    missing: int = Field(0, description="Cases of this kind with no output.")
    fallbacks: int = Field(0, description="Outputs where the app fell back to its own draft "
                                          "(all of it, or some role-play turns).")
    cases_all_yes: int = Field(0, description="Cases where no check said no.")
    checks: list[CheckStats]
    agreement: list[Agreement] = Field(default_factory=list)

    def _rate(self, sources: set[str]) -> float | None:
        yes = sum(c.yes for c in self.checks if c.source in sources)
        n = sum(c.n for c in self.checks if c.source in sources)
        return yes / n if n else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pass_rate(self) -> float | None:
        """yes / (yes + no) over every scored check, deterministic and judge; n/a and unscored
        are left out."""
        return self._rate({"deterministic", "judge"})

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deterministic_pass_rate(self) -> float | None:
        return self._rate({"deterministic"})

    @computed_field  # type: ignore[prop-decorator]
    @property
    def judge_pass_rate(self) -> float | None:
        return self._rate({"judge"})


class Summary(BaseModel):
    cases: int
    scored_cases: int
    missing: list[str] = Field(default_factory=list, description="Cases with no output to score.")
    rubrics: list[RubricStats]
    agreement: Agreement | None = None
    calibration: Calibration | None = Field(None, description="The judge against hand labels (replay).")

    def pass_rates(self) -> dict[str, float | None]:
        return {r.name: _round(r.pass_rate) for r in self.rubrics}

    def rubric(self, name: str) -> RubricStats:
        for r in self.rubrics:
            if r.name == name:
                return r
        raise KeyError(name)


class RunRecord(BaseModel):
    """Everything about one run, stored as `<home>/evals/runs/<id>/run.json`."""

    id: str
    mode: Literal["replay", "live", "rescore"]
    created_at: dt.datetime
    duration_s: float = 0.0
    source_run: str | None = Field(None, description="rescore: the run whose outputs were re-scored.")
    models: list[str] = Field(default_factory=list)
    judge_models: list[str] = Field(default_factory=list)
    prompts: dict[str, str] = Field(default_factory=dict, description="prompt name -> version(s).")
    rubric_versions: dict[str, str] = Field(default_factory=dict)
    judge_enabled: bool = True
    results: list[CaseResult]
    summary: Summary

    def headline(self) -> dict[str, object]:
        """The machine-readable gist: what `--json` prints."""
        agreement = self.summary.agreement
        return {
            "run": self.id,
            "mode": self.mode,
            "cases": self.summary.cases,
            "scored_cases": self.summary.scored_cases,
            "missing": self.summary.missing,
            "rubrics": self.summary.pass_rates(),
            "rubrics_deterministic": {r.name: _round(r.deterministic_pass_rate)
                                      for r in self.summary.rubrics},
            "rubrics_judge": {r.name: _round(r.judge_pass_rate) for r in self.summary.rubrics},
            "fallbacks": {r.name: r.fallbacks for r in self.summary.rubrics},
            "judge_agreement": None if agreement is None else {
                "n": agreement.n, "percent": _round(agreement.percent), "kappa": _round(agreement.kappa)},
            "judge_calibration": (None if self.summary.calibration is None
                                  else self.summary.calibration.headline()),
            "models": self.models,
            "judge_models": self.judge_models,
            "prompts": self.prompts,
            "duration_s": round(self.duration_s, 2),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summarise(results: Iterable[CaseResult], rubrics: dict[OutputKind, Rubric]) -> Summary:
    """Per-rubric and per-check counts, failure examples and judge agreement."""
    results = list(results)
    stats: list[RubricStats] = []
    overall: Agreement | None = None
    for kind, rubric in rubrics.items():
        mine = [r for r in results if r.kind == kind]
        if not mine:
            continue
        checks: list[CheckStats] = []
        agreements: list[Agreement] = []
        for check in rubric.checks:
            sources: list[Source] = []
            if check.check:
                sources.append("deterministic")
            if check.judge:
                sources.append("judge")
            for source in sources:
                checks.append(_check_stats(mine, check.id, source, check.question))
            if len(sources) == 2:
                agreement = Agreement(check=check.id)
                for case in mine:
                    det, jud = case.score(check.id, "deterministic"), case.score(check.id, "judge")
                    if det and jud and {det.value, jud.value} <= {Value.YES, Value.NO}:
                        agreement.add(case.case_id, det.value, jud.value)
                agreements.append(agreement)
                overall = agreement.model_copy(update={"check": "all"}) if overall is None else (
                    overall.merged(agreement))
        scored = [case for case in mine if case.recording is not None]
        all_yes = sum(1 for case in scored if not any(r.score.value == Value.NO for r in case.results))
        fallbacks = sum(1 for case in mine if case.recording is not None
                        and case.recording.output.data.get("source") in FALLBACK_SOURCES)
        stats.append(RubricStats(name=rubric.name, kind=kind, title=rubric.title, version=rubric.version,
                                 cases=len(scored), missing=len(mine) - len(scored), fallbacks=fallbacks,
                                 cases_all_yes=all_yes, checks=checks, agreement=agreements))
    missing = [r.case_id for r in results if r.recording is None]
    return Summary(cases=len(results), scored_cases=len(results) - len(missing), missing=missing,
                   rubrics=stats, agreement=overall)


def _check_stats(cases: list[CaseResult], check: str, source: Source, question: str) -> CheckStats:
    stat = CheckStats(check=check, source=source, question=question)
    for case in cases:
        score = case.score(check, source)
        if score is None:
            continue
        if score.value == Value.YES:
            stat.yes += 1
        elif score.value == Value.NO:
            stat.no += 1
            if len(stat.failures) < MAX_FAILURE_EXAMPLES:
                stat.failures.append(Failure(case_id=case.case_id, answer=score.answer,
                                             explanation=score.explanation))
        elif score.value == Value.NA:
            stat.na += 1
        else:
            stat.unscored += 1
            if len(stat.unscored_reasons) < MAX_FAILURE_EXAMPLES:
                stat.unscored_reasons.append(f"{case.case_id}: {score.explanation}")
    return stat
