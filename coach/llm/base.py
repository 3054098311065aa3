"""What every model looks like to the rest of the app."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypedDict, TypeVar, runtime_checkable

from pydantic import BaseModel

from coach.domain.errors import CoachError

T = TypeVar("T", bound=BaseModel)


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class PromptRef:
    """Which prompt file produced a call; logged with every call and every recording."""

    name: str
    version: str


@dataclass
class Completion:
    text: str
    model: str
    prompt: PromptRef | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    first_token_s: float | None = None
    cost_usd: float | None = None
    finish_reason: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class StructuredFailure:
    """A structured call that failed validation twice; `raw` is the last reply."""

    error: str
    raw: str
    attempts: int = 2


@dataclass(frozen=True)
class CallRecord:
    """One model call as the gateway saw it: what the call log keeps (never the key).

    The gateway hands one to its `CallLog` per model tried; the caller decides where it
    goes (the app writes it to the store), so the model layer never knows the store.
    """

    model: str
    prompt_name: str = ""
    prompt_version: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    latency_s: float = 0.0
    first_token_s: float | None = None
    outcome: str = "ok"
    error: str = ""


CallLog = Callable[[CallRecord], None]
"""Where a model's calls are recorded, one `CallRecord` each."""


class LLMError(CoachError):
    """A model call that failed for good; the message names the fix."""


@runtime_checkable
class LLM(Protocol):
    """complete / stream / structured: all a feature may ask of a model."""

    model: str

    def complete(
        self,
        messages: Sequence[Message],
        *,
        prompt: PromptRef | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> Completion: ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        prompt: PromptRef | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
        cancel: threading.Event | None = None,
    ) -> Generator[str, None, Sequence[str] | None]:
        """Text pieces as they arrive. May return notes on how it got there (see collect_notes)."""
        ...

    def structured(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        prompt: PromptRef | None = None,
        max_tokens: int = 512,
        temperature: float = 0.0,
    ) -> T | StructuredFailure: ...


def collect_notes(stream: Generator[str, None, Sequence[str] | None],
                  notes: list[str]) -> Generator[str, None, None]:
    """Yield a model's stream, then add what the stream returned at its end to `notes`.

    The gateway's stream returns its notes (retried, answered by a fallback model) the way
    `complete` puts them in `Completion.notes`; a plain `for` loop would drop them.
    """
    returned = yield from stream
    notes.extend(returned or [])


def retry_notice(notes: Sequence[str]) -> str:
    """The gateway's notes as one sentence for the user ('' when the first try answered)."""
    return f"The model did not answer at first: {'; '.join(notes)}." if notes else ""
