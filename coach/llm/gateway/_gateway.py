"""LiteLLMGateway: any LiteLLM model (or the embedded `local` one) behind the LLM protocol.

One path for every model: `litellm.completion`, with our own bounded retries (LiteLLM's
and the OpenAI SDK's are switched off so counts are exact), fallbacks in order, streaming
with cancel, structured output with one re-ask, and one `CallRecord` per model tried,
handed to the caller's call log.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel

from coach.config import LOCAL_MODEL
from coach.llm import structured as so
from coach.llm.base import CallLog, CallRecord, Completion, LLMError, Message, PromptRef, StructuredFailure
from coach.llm.gateway._failures import EmptyCompletion, Failure, StreamCut, classify
from coach.llm.gateway._keys import provider_of
from coach.llm.gateway._litellm import litellm
from coach.llm.gateway._retry import RetryPolicy, Tries, retrying
from coach.llm.gateway._stream import OpenStream, Usage, absorb, close, usage_of
from coach.llm.scrub import scrub

log = logging.getLogger("coach.llm")
T = TypeVar("T", bound=BaseModel)
LOCAL_KEY = "sk-local"  # the embedded server checks no key; LiteLLM still wants one
WARM = PromptRef("warm", "1")


@dataclass(frozen=True)
class Target:
    """One model the gateway may ask: what the user named, and how LiteLLM reaches it."""

    name: str
    litellm_model: str
    api_base: str | None = None
    local: bool = False


@dataclass
class _Answer:
    """The target that answered, its raw result, and how it got there."""

    target: Target
    result: Any
    outcome: str
    tries: int
    failures: list[tuple[Target, Failure, int]]


class LiteLLMGateway:
    """The real model behind `LLM`: complete / stream / structured via LiteLLM.

    Args:
        model: a LiteLLM model string, or "local" for the embedded model.
        api_base: where the primary model lives (COACH_API_BASE); for "local" it skips
            starting the embedded server (used to replay recordings).
        fallbacks: models tried in order when the primary fails for good.
        call_log: receives one CallRecord per model tried; None records nothing.
        timeout: seconds LiteLLM waits for an answer (or between stream chunks).
        retry: the retry policy per model.
        local_base: returns the embedded server's base URL, starting it if needed.
    """

    def __init__(self, model: str, api_base: str | None = None,
                 fallbacks: Sequence[str] = (), call_log: CallLog | None = None,
                 timeout: float = 300.0,
                 retry: RetryPolicy | None = None,
                 local_base: Callable[[], str] | None = None):
        self.model = model
        self.call_log = call_log
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._local_base = local_base
        names = [model, *[m for m in fallbacks if m and m != model]]
        self.targets = [self._target(name, api_base if i == 0 else None)
                        for i, name in enumerate(names)]

    @staticmethod
    def _target(name: str, api_base: str | None) -> Target:
        if name == LOCAL_MODEL:
            return Target(name, "openai/local", api_base, local=True)
        return Target(name, name, api_base)

    # -- the LLM protocol ----------------------------------------------------------------------
    def complete(self, messages: Sequence[Message], *, prompt: PromptRef | None = None,
                 max_tokens: int = 512, temperature: float = 0.2) -> Completion:
        """One full answer. Raises LLMError (naming the fix) when every model failed."""
        return self._complete(list(messages), prompt, max_tokens, temperature, None)

    def stream(self, messages: Sequence[Message], *, prompt: PromptRef | None = None,
               max_tokens: int = 512, temperature: float = 0.2,
               cancel: threading.Event | None = None) -> Generator[str, None, list[str]]:
        """Yield text pieces as they arrive; setting `cancel` ends the stream quietly.

        A failure before the first piece is retried (and may fall back); a cut after text
        was shown raises LLMError: the caller decides whether to keep the partial text.
        The generator returns the same notes as `Completion.notes` (retries, fallback), so
        a caller that reads them (`base.collect_notes`) can tell the user.
        """
        start = time.monotonic()
        answer = self._first_answer(prompt, start, lambda t: self._open_stream(
            t, list(messages), max_tokens, temperature, cancel))
        if answer.result is None:  # cancelled before anything arrived
            self._log(answer.target, prompt, "cancelled", start)
            return []
        yield from self._drain(answer.target, answer.result, prompt, start, cancel, answer.outcome)
        return self._notes(answer.target, answer.outcome, answer.tries, answer.failures)

    def structured(self, messages: Sequence[Message], schema: type[T], *,
                   prompt: PromptRef | None = None, max_tokens: int = 512,
                   temperature: float = 0.0) -> T | StructuredFailure:
        """A validated `schema` instance, or StructuredFailure after one re-ask."""
        convo = so.with_instructions(list(messages), schema)
        raw, error = "", ""
        for attempt in (1, 2):
            completion = self._complete(convo, prompt, max_tokens, temperature, schema)
            raw = completion.text
            try:
                return so.parse(raw, schema)  # type: ignore[return-value]
            except ValueError as exc:
                error = scrub(exc)
                log.info("structured reply from %s failed validation (try %d): %s",
                         completion.model, attempt, error)
            convo = so.reask(convo, raw, error)
        return StructuredFailure(error=error, raw=raw, attempts=2)

    def warm(self, messages: Sequence[Message]) -> bool:
        """Process the stable prefix (e.g. a role-play's system message) ahead of the first turn.

        The embedded server keeps the prompt's cache, so the first real turn starts faster.
        A no-op for hosted models (it would cost money); never raises.
        """
        target = self.targets[0]
        if not target.local:
            return False
        start = time.monotonic()
        try:
            resp = self._call(target, list(messages), 1, 0.0, None, stream=False)
        except Exception as exc:
            failure = classify(exc, target.name)
            self._log(target, WARM, f"error:{failure.kind}", start, error=_detail(failure, exc))
            return False
        self._log(target, WARM, "ok", start, usage=usage_of(resp))
        return True

    # -- complete ------------------------------------------------------------------------------
    def _complete(self, messages: list[Message], prompt: PromptRef | None, max_tokens: int,
                  temperature: float, schema: type[BaseModel] | None) -> Completion:
        start = time.monotonic()
        answer = self._first_answer(prompt, start, lambda t: self._checked(
            t, messages, max_tokens, temperature, schema))
        target, resp = answer.target, answer.result
        usage = usage_of(resp)
        choice = resp.choices[0]
        completion = Completion(
            text=choice.message.content or "", model=target.name, prompt=prompt,
            prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
            latency_s=time.monotonic() - start, cost_usd=self._cost(target, usage),
            finish_reason=choice.finish_reason,
            notes=self._notes(target, answer.outcome, answer.tries, answer.failures))
        self._log(target, prompt, answer.outcome, start, usage=usage, cost=completion.cost_usd)
        return completion

    def _first_answer(self, prompt: PromptRef | None, start: float,
                      call: Callable[[Target], Any]) -> _Answer:
        """Try the primary model (with retries), then each fallback in order; the first that
        answers wins. Every failed target is logged; if all fail, one LLMError names the fix."""
        failures: list[tuple[Target, Failure, int]] = []
        for index, target in enumerate(self.targets):
            tries = Tries()
            try:
                result = retrying(self.retry, target.name, tries, partial(call, target))
            except Exception as exc:
                failure = classify(exc, target.name)
                failures.append((target, failure, tries.count))
                self._log(target, prompt, f"error:{failure.kind}", start,
                          error=_detail(failure, exc))
                continue
            return _Answer(target, result, self._outcome(index, tries.count), tries.count,
                           failures)
        raise self._give_up(failures)

    def _checked(self, target: Target, messages: list[Message], max_tokens: int,
                 temperature: float, schema: type[BaseModel] | None) -> Any:
        resp = self._call(target, messages, max_tokens, temperature, schema, stream=False)
        choices = getattr(resp, "choices", None) or []
        if not choices or not (choices[0].message.content or "").strip():
            raise EmptyCompletion(f"{target.name} returned no text")
        return resp

    # -- the one place that calls LiteLLM ---------------------------------------------------------
    def _call(self, target: Target, messages: list[Message], max_tokens: int, temperature: float,
              schema: type[BaseModel] | None, *, stream: bool) -> Any:
        kwargs: dict[str, Any] = {
            "model": target.litellm_model, "messages": messages, "max_tokens": max_tokens,
            "temperature": temperature, "timeout": self.timeout,
            # Our retries only: LiteLLM's and the OpenAI SDK's would multiply the attempts.
            "num_retries": 0, "max_retries": 0,
            "drop_params": True,  # a provider that lacks a parameter should not fail the call
        }
        if target.local:
            kwargs["api_base"] = target.api_base or self._resolve_local()
            kwargs["api_key"] = LOCAL_KEY
        else:
            if target.api_base:
                kwargs["api_base"] = target.api_base
            custom_base = target.api_base or os.environ.get("OPENAI_API_BASE") \
                or os.environ.get("OPENAI_BASE_URL")
            if (provider_of(target.name) == "openai" and custom_base
                    and not os.environ.get("OPENAI_API_KEY")):
                kwargs["api_key"] = "sk-none"  # a self-hosted OpenAI-style server without keys
        if schema is not None and self._supports_schema(target):
            kwargs["response_format"] = so.response_format(schema)
        if stream:
            kwargs["stream"] = True
            kwargs["stream_options"] = {"include_usage": True}
        return litellm.completion(**kwargs)

    def _resolve_local(self) -> str:
        if self._local_base is None:
            raise LLMError("the embedded model is not available in this context.",
                           hint="Build the model with coach.llm.factory.build_llm(settings).")
        return self._local_base()

    @staticmethod
    def _supports_schema(target: Target) -> bool:
        if target.local:
            return True  # llama.cpp turns the schema into a grammar
        try:
            return bool(litellm.supports_response_schema(model=target.litellm_model))
        except Exception:
            return False

    # -- retries ---------------------------------------------------------------------------------
    @staticmethod
    def _outcome(index: int, tries: int) -> str:
        if index > 0:
            return "fallback"
        return "ok" if tries <= 1 else "retried-ok"

    @staticmethod
    def _notes(target: Target, outcome: str, tries: int,
               failures: list[tuple[Target, Failure, int]]) -> list[str]:
        notes = []
        if tries > 1:
            notes.append(f"{target.name} answered after {tries} attempts")
        if outcome == "fallback":
            failed = ", ".join(f"{t.name} ({f.kind})" for t, f, _ in failures)
            notes.append(f"answered by fallback model {target.name}; {failed} failed")
        return notes

    def _give_up(self, failures: list[tuple[Target, Failure, int]]) -> LLMError:
        target, failure, tries = failures[0]
        message = failure.message
        if failure.transient and tries > 1:
            message = f"{message.rstrip('.')} (gave up after {tries} attempts)."
        hint = None
        if len(failures) > 1:
            hint = "Fallbacks failed too: " + "; ".join(
                f"{t.name}: {f.kind}" for t, f, _ in failures[1:]) + "."
        elif failure.transient:
            hint = "Try again in a moment, or set COACH_FALLBACK_MODELS to a second model."
        return LLMError(scrub(message), hint=scrub(hint) if hint else None)

    # -- streaming -------------------------------------------------------------------------------
    def _open_stream(self, target: Target, messages: list[Message], max_tokens: int,
                     temperature: float, cancel: threading.Event | None) -> OpenStream | None:
        """Start a stream and read up to its first text, so early failures can be retried."""
        wrapper = self._call(target, messages, max_tokens, temperature, None, stream=True)
        opened = OpenStream(chunks=iter(wrapper), wrapper=wrapper)
        try:
            for chunk in opened.chunks:
                if cancel is not None and cancel.is_set():
                    close(wrapper)
                    return None
                text = absorb(chunk, opened)
                if text:
                    opened.first.append(text)
                    return opened
                if opened.finish:
                    break
        except BaseException:
            close(wrapper)
            raise
        close(wrapper)
        raise EmptyCompletion(f"{target.name} streamed no text")

    def _drain(self, target: Target, opened: OpenStream, prompt: PromptRef | None,
               start: float, cancel: threading.Event | None, outcome: str) -> Iterator[str]:
        first_token_s = time.monotonic() - start
        pieces = 0
        done = False
        try:
            for text in opened.first:
                pieces += 1
                yield text
            for chunk in opened.chunks:
                if cancel is not None and cancel.is_set():
                    outcome = "cancelled"
                    break
                text = absorb(chunk, opened)
                if text:
                    pieces += 1
                    yield text
            else:
                if opened.finish is None:
                    raise StreamCut("the stream ended without a finish reason")
            done = True
        except GeneratorExit:  # the consumer stopped reading: same as cancel
            outcome = "cancelled"
            done = True
            raise
        except Exception as exc:
            failure = classify(exc, target.name)
            self._log(target, prompt, "error:cut", start, first_token_s=first_token_s,
                      usage=opened.usage, error=_detail(failure, exc))
            raise LLMError(f"the answer from {target.name} was cut off after {pieces} pieces "
                           "of text.", hint="Ask again; what arrived so far was kept.") from None
        finally:
            close(opened.wrapper)
            if done:
                usage = opened.usage
                if not usage.completion_tokens:
                    usage.completion_tokens = pieces  # a close estimate: one piece per token
                self._log(target, prompt, outcome, start, first_token_s=first_token_s,
                          usage=usage, cost=self._cost(target, usage))

    # -- bookkeeping -----------------------------------------------------------------------------
    @staticmethod
    def _cost(target: Target, usage: Usage) -> float | None:
        if target.local:
            return 0.0
        try:
            prompt_cost, completion_cost = litellm.cost_per_token(
                model=target.litellm_model, prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens)
            return float(prompt_cost + completion_cost)
        except Exception:  # LiteLLM has no price for this model
            return None

    def _log(self, target: Target, prompt: PromptRef | None, outcome: str, start: float, *,
             usage: Usage | None = None, cost: float | None = None,
             first_token_s: float | None = None, error: str = "") -> None:
        if self.call_log is None:
            return
        usage = usage or Usage()
        try:
            self.call_log(CallRecord(
                model=target.name,
                prompt_name=prompt.name if prompt else "",
                prompt_version=prompt.version if prompt else "",
                prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                cost_usd=cost, latency_s=round(time.monotonic() - start, 4),
                first_token_s=round(first_token_s, 4) if first_token_s is not None else None,
                outcome=outcome, error=scrub(error)[:2000]))
        except Exception as exc:  # the log must never break the answer
            log.warning("could not log a model call: %s", scrub(exc))


def _detail(failure: Failure, exc: BaseException) -> str:
    """For the call log: our message plus the provider's own words, scrubbed."""
    return scrub(f"{failure.message} | {type(exc).__name__}: {exc}")[:2000]
