"""The CI gate: the recorded suite must meet the per-rubric pass rates in `evals/thresholds.yaml`."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.domain.errors import CoachError
from coach.domain.validation import explain
from coach.evals import DATA_DIR
from coach.evals.results import RunRecord

THRESHOLDS_FILE = DATA_DIR / "thresholds.yaml"


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_cases: int = Field(40, ge=0, description="Fewer scored cases than this fails the gate.")
    rubrics: dict[str, float] = Field(..., description="rubric name -> minimum pass rate (0..1).")
    checks: dict[str, float] = Field(default_factory=dict,
                                     description="'rubric.check' -> minimum deterministic pass rate.")
    max_unscored_share: float = Field(0.25, ge=0, le=1,
                                      description="Share of judge verdicts allowed to be unscored.")
    allow_missing: bool = Field(False, description="Cases without a recording do not fail the "
                                "gate (while a recording is being completed).")

    def only(self, rubrics: set[str]) -> Thresholds:
        """The gate for some kinds only (`--kind`): their rubrics' thresholds, with no
        minimum number of cases."""
        return self.model_copy(update={
            "min_cases": 0, "rubrics": {k: v for k, v in self.rubrics.items() if k in rubrics},
            "checks": {k: v for k, v in self.checks.items() if k.partition(".")[0] in rubrics}})


class GateResult(BaseModel):
    passed: bool
    failures: list[str] = Field(default_factory=list)

    def text(self) -> str:
        if self.passed:
            return "gate: passed"
        return "gate: FAILED\n" + "\n".join(f"  - {f}" for f in self.failures)


def listing(items: list[str], limit: int = 6) -> str:
    """'a, b, c and 4 more': long id lists stay one readable line."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def load_thresholds(path: Path = THRESHOLDS_FILE) -> Thresholds:
    if not path.is_file():
        raise CoachError(f"no thresholds file at {path}")
    try:
        return Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except ValidationError as exc:
        raise CoachError(f"{path.name}: {explain(exc)}") from None


def check_gate(record: RunRecord, thresholds: Thresholds) -> GateResult:
    """Every rubric at or above its threshold, enough cases, not too many unreadable verdicts."""
    failures: list[str] = []
    summary = record.summary
    if summary.scored_cases < thresholds.min_cases:
        failures.append(f"only {summary.scored_cases} cases scored (need {thresholds.min_cases})")
    if summary.missing and not thresholds.allow_missing:
        failures.append(f"no recording for {len(summary.missing)} case(s): {listing(summary.missing)}")
    rates = summary.pass_rates()
    for name, minimum in sorted(thresholds.rubrics.items()):
        rate = rates.get(name)
        if rate is None:
            failures.append(f"{name}: no scored checks (threshold {minimum:.0%})")
        elif rate + 1e-9 < minimum:
            failures.append(f"{name}: pass rate {rate:.1%} is below {minimum:.0%}")
    for key, minimum in sorted(thresholds.checks.items()):
        rubric_name, _, check_id = key.partition(".")
        try:
            stats = summary.rubric(rubric_name)
        except KeyError:
            failures.append(f"{key}: no such rubric in the run")
            continue
        found = [c for c in stats.checks if c.check == check_id and c.source == "deterministic"]
        if not found or found[0].pass_rate is None:
            failures.append(f"{key}: no scored results")
        elif found[0].pass_rate + 1e-9 < minimum:
            failures.append(f"{key}: pass rate {found[0].pass_rate:.1%} is below {minimum:.0%}")
    judged = [c for r in summary.rubrics for c in r.checks if c.source == "judge"]
    total = sum(c.yes + c.no + c.na + c.unscored for c in judged)
    unscored = sum(c.unscored for c in judged)
    if total and unscored / total > thresholds.max_unscored_share:
        failures.append(f"{unscored} of {total} judge verdicts unscored "
                        f"(allowed {thresholds.max_unscored_share:.0%})")
    return GateResult(passed=not failures, failures=failures)
