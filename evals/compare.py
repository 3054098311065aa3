"""Two runs side by side: per-rubric and per-check pass rates, and the change between them."""

from __future__ import annotations

from pydantic import BaseModel

from coach.evals.results import RunRecord


class Delta(BaseModel):
    rubric: str
    check: str = ""
    source: str = ""
    a: float | None
    b: float | None

    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


class Comparison(BaseModel):
    run_a: str
    run_b: str
    cases_a: int
    cases_b: int
    rubrics: list[Delta]
    checks: list[Delta]

    def as_json(self) -> dict[str, object]:
        def row(d: Delta) -> dict[str, object]:
            return {"a": d.a, "b": d.b, "delta": None if d.delta is None else round(d.delta, 4)}

        return {
            "run_a": self.run_a, "run_b": self.run_b, "cases": {"a": self.cases_a, "b": self.cases_b},
            "rubrics": {d.rubric: row(d) for d in self.rubrics},
            "checks": {f"{d.rubric}.{d.check}@{d.source}": row(d) for d in self.checks},
        }

    def text(self, changed_only: bool = True) -> str:
        lines = [f"{'rubric':<18} {self.run_a[:22]:>22} {self.run_b[:22]:>22} {'delta':>8}"]
        for d in self.rubrics:
            lines.append(f"{d.rubric:<18} {_pct(d.a):>22} {_pct(d.b):>22} {_signed(d.delta):>8}")
        moved = [d for d in self.checks
                 if not changed_only or (d.delta or 0) != 0 or (d.a is None) != (d.b is None)]
        if moved:
            lines += ["", "checks that moved:" if changed_only else "checks:"]
            for d in moved:
                name = f"{d.rubric}.{d.check} ({d.source[:3]})"
                lines.append(f"  {name:<44} {_pct(d.a):>7} -> {_pct(d.b):<7} {_signed(d.delta):>8}")
        elif changed_only:
            lines += ["", "no check moved."]
        return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.1f}pt"


def compare(a: RunRecord, b: RunRecord) -> Comparison:
    rates_a, rates_b = a.summary.pass_rates(), b.summary.pass_rates()
    rubrics = [Delta(rubric=name, a=rates_a.get(name), b=rates_b.get(name))
               for name in sorted(set(rates_a) | set(rates_b))]
    checks_a = {(r.name, c.check, c.source): c.pass_rate for r in a.summary.rubrics for c in r.checks}
    checks_b = {(r.name, c.check, c.source): c.pass_rate for r in b.summary.rubrics for c in r.checks}
    checks = [Delta(rubric=k[0], check=k[1], source=k[2], a=checks_a.get(k), b=checks_b.get(k))
              for k in sorted(set(checks_a) | set(checks_b))]
    return Comparison(run_a=a.id, run_b=b.id, cases_a=a.summary.cases, cases_b=b.summary.cases,
                      rubrics=rubrics, checks=checks)
