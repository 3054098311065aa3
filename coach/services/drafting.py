"""What every drafting service shares: the ask-validate-re-ask loop.

The model only ever polishes a draft the domain already built. `polish` asks once,
validates with the feature's guard, re-asks once with the specific violations, and
otherwise hands back nothing plus the notice that explains why the user sees the
deterministic draft. A face that shows the draft first and can be stopped passes
`cancel`: the reply is then read as a stream, so setting it stops the model mid-reply.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach.domain.errors import CoachError
from coach.domain.guard import Violation, notice_for, violation_feedback
from coach.domain.injection import instruction_text, leak_problems, outward_problems
from coach.prompts import Prompt
from coach.services.context import Context

log = logging.getLogger(__name__)


@dataclass
class Polished:
    """The outcome of a polish: the accepted value, or None and the reason."""

    value: Any = None
    notice: str | None = None
    violations: list[str] = field(default_factory=list)
    attempts: int = 0
    stopped: bool = False

    @property
    def source(self) -> str:
        return "model" if self.value is not None else "draft"


Parser = Callable[[str], Any]
Validator = Callable[[Any], list[Violation]]


def _reply(ctx: Context, prompt: Prompt, messages: list, cancel: threading.Event | None) -> str:
    defaults = prompt.defaults
    if cancel is None:
        return ctx.llm.complete(messages, prompt=prompt.ref, max_tokens=defaults.max_tokens,
                                temperature=defaults.temperature).text
    return "".join(ctx.llm.stream(messages, prompt=prompt.ref, max_tokens=defaults.max_tokens,
                                  temperature=defaults.temperature, cancel=cancel))


def polish(ctx: Context, prompt: Prompt, variables: dict[str, Any], *, parse: Parser,
           validate: Validator, what: str = "draft",
           fallback: str = "the draft built from your log",
           cancel: threading.Event | None = None) -> Polished:
    """Ask the model, validate, re-ask once with the violations, else report the fallback.

    Args:
        ctx: the user's context (its `llm` is called).
        prompt: the prompt file to render with `variables`.
        parse: turns the reply text into a value, or None if it is not in the asked format.
        validate: the feature's guard; an empty list means the value may be shown.
        what: how the notice names the model's output ('draft', 'email'...).
        fallback: how the notice names what is shown instead.
        cancel: set by the face to stop (the draft stands; `stopped` says so).
    """
    messages = prompt.render(**variables)
    instructions = instruction_text(prompt.system)
    inputs = "\n".join(m["content"] for m in messages if m["role"] == "user")
    problems: list[Violation] = []
    for attempt in (1, 2):
        try:
            text = _reply(ctx, prompt, messages, cancel)
        except CoachError as exc:
            return Polished(notice=f"The model could not write the {what} ({exc.message}); "
                                   f"showing {fallback} instead.", attempts=attempt)
        if cancel is not None and cancel.is_set():
            return Polished(notice=f"Stopped: showing {fallback}.", attempts=attempt,
                            stopped=True)
        value = parse(text)
        if value is None:
            problems = [Violation(code="format", detail="the reply was not in the format asked for",
                                  phrase="did not answer in the format asked for")]
        else:
            # Whatever the feature checks, no reply may read its prompt out, add a link or an
            # address, or ask for a secret.
            problems = [*validate(value), *leak_problems(text, instructions),
                        *outward_problems(text, allowed=inputs)]
        if not problems:
            return Polished(value=value, attempts=attempt)
        log.info("%s attempt %d rejected: %s", prompt.name, attempt, "; ".join(map(str, problems)))
        messages = [*messages, {"role": "assistant", "content": text},
                    {"role": "user", "content": violation_feedback(problems)}]
    return Polished(notice=notice_for(problems, what, fallback),
                    violations=[str(v) for v in problems], attempts=2)
