"""How hard to try one model before falling back: bounded attempts, backoff, Retry-After."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, stop_before_delay

from coach.llm.gateway._failures import Failure, classify

log = logging.getLogger("coach.llm")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one model before falling back. Tests shrink the waits."""

    attempts: int = 4
    deadline_s: float = 180.0
    initial_s: float = 1.0
    max_backoff_s: float = 20.0
    jitter_s: float = 1.0
    retry_after_cap_s: float = 30.0

    def backoff(self, attempt: int, failure: Failure) -> float:
        """Seconds before the next try: Retry-After if given (capped), else exponential+jitter."""
        if failure.retry_after_s is not None:
            return min(failure.retry_after_s, self.retry_after_cap_s)
        base = min(self.max_backoff_s, self.initial_s * 2 ** (attempt - 1))
        return base + random.uniform(0, self.jitter_s)


ONE_TRY = RetryPolicy(attempts=1, deadline_s=60.0)  # a health check: one answer or the error


@dataclass
class Tries:
    count: int = 0


def retrying(policy: RetryPolicy, model: str, tries: Tries, call: Callable[[], Any]) -> Any:
    """`call()` retried on transient failures of `model` as `policy` allows; counts in `tries`."""

    def attempt() -> Any:
        tries.count += 1
        return call()

    def wait(state: Any) -> float:
        exc = state.outcome.exception()
        return policy.backoff(state.attempt_number, classify(exc, model))

    def before_sleep(state: Any) -> None:
        failure = classify(state.outcome.exception(), model)
        log.warning("%s: %s; retrying in %.1f s (attempt %d of %d)", model,
                    failure.kind, state.upcoming_sleep, state.attempt_number + 1,
                    policy.attempts)

    runner = Retrying(
        stop=stop_after_attempt(policy.attempts) | stop_before_delay(policy.deadline_s),
        wait=wait,
        retry=retry_if_exception(lambda e: classify(e, model).transient),
        before_sleep=before_sleep,
        reraise=True,
    )
    return runner(attempt)
