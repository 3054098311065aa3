"""Deterministic checks, by name. A scorer is a factory: `REGISTRY[name](**params)` returns
a function `(sample, output) -> Score`. Rubric files name the scorer and its params.

The checks lean on the app's own domain guards (`coach.domain.guard`, `.roleplay`) so the
eval and the product agree on what an invented figure or a hostile phrase is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.domain.errors import CoachError
from coach.evals.schema import Output, Sample, Score

ScoreFn = Callable[[Sample, Output], Score]
ScorerFactory = Callable[..., ScoreFn]

REGISTRY: dict[str, ScorerFactory] = {}


def scorer(name: str) -> Callable[[ScorerFactory], ScorerFactory]:
    """Register a scorer factory under `name` (the name rubric files use)."""

    def register(factory: ScorerFactory) -> ScorerFactory:
        if name in REGISTRY:
            raise RuntimeError(f"scorer '{name}' registered twice")
        REGISTRY[name] = factory
        return factory

    return register


def build(name: str, params: dict[str, Any] | None = None) -> ScoreFn:
    """The score function for a rubric check; CoachError if the name or params are wrong."""
    _load_all()
    if name not in REGISTRY:
        raise CoachError(f"no deterministic check named '{name}'",
                         hint=f"Known checks: {', '.join(sorted(REGISTRY))}.")
    try:
        return REGISTRY[name](**(params or {}))
    except TypeError as exc:
        raise CoachError(f"check '{name}' got bad params: {exc}") from None


def safe(fn: ScoreFn, sample: Sample, output: Output) -> Score:
    """Run a check; a bug in a check is 'unscored' with the reason, never a crash or a fail."""
    try:
        return fn(sample, output)
    except Exception as exc:  # a check must not sink the run
        return Score.unscored(f"check raised {type(exc).__name__}: {exc}")


def _load_all() -> None:
    # Importing the modules registers their scorers.
    from coach.evals.scorers import (  # noqa: F401
        after_yes,
        agreed,
        chat,
        common,
        emails,
        moving,
        offer,
        proposal,
        roleplay,
        rules,
        scenario,
        script,
    )
