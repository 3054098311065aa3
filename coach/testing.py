"""A scripted fake model shipped with the package, for tests, evals and demos."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from coach.llm.base import Completion, Message, PromptRef, StructuredFailure, T

Reply = str | Callable[[Sequence[Message]], str] | Exception


@dataclass
class Call:
    messages: list[Message]
    prompt: PromptRef | None
    kind: str


class ScriptedLLM:
    """Answers with queued replies in order; records every call in `.history`.

    A reply may be a string, a function of the messages, or an exception to raise.
    With an empty queue it answers `default` (or raises if `default` is None).
    """

    def __init__(self, replies: Sequence[Reply] = (), *, default: str | None = None,
                 model: str = "scripted"):
        self.model = model
        self._queue: deque[Reply] = deque(replies)
        self.default = default
        self.history: list[Call] = []

    def enqueue(self, *replies: Reply) -> ScriptedLLM:
        self._queue.extend(replies)
        return self

    def _next(self, messages: Sequence[Message], prompt: PromptRef | None, kind: str) -> str:
        self.history.append(Call(list(messages), prompt, kind))
        if self._queue:
            reply = self._queue.popleft()
        elif self.default is not None:
            reply = self.default
        else:
            raise AssertionError(f"ScriptedLLM has no reply queued for call {len(self.history)}")
        if isinstance(reply, Exception):
            raise reply
        return reply(messages) if callable(reply) else reply

    def complete(self, messages, *, prompt=None, max_tokens=512, temperature=0.2) -> Completion:
        text = self._next(messages, prompt, "complete")
        return Completion(text=text, model=self.model, prompt=prompt,
                          completion_tokens=len(text.split()))

    def stream(self, messages, *, prompt=None, max_tokens=512, temperature=0.2,
               cancel: threading.Event | None = None) -> Iterator[str]:
        text = self._next(messages, prompt, "stream")
        for word in text.split(" "):
            if cancel is not None and cancel.is_set():
                return
            yield word + " "

    def structured(self, messages, schema: type[T], *, prompt=None, max_tokens=512,
                   temperature=0.0) -> T | StructuredFailure:
        raw = ""
        for attempt in (1, 2):
            raw = self._next(messages, prompt, "structured")
            try:
                return schema.model_validate_json(raw)
            except ValidationError as exc:
                error = str(exc)
                if attempt == 2:
                    return StructuredFailure(error=error, raw=raw)
        return StructuredFailure(error="unreachable", raw=raw)  # pragma: no cover


def as_json(model: BaseModel) -> str:
    return model.model_dump_json()


class NoModelLLM:
    """A model that fails the test on any call: proves a path never reaches a model."""

    model = "no-model"

    def _refuse(self, *args, **kwargs):
        raise AssertionError("this path must not call a model")

    complete = stream = structured = warm = _refuse
