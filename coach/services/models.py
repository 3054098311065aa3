"""Which models are configured, whether they answer, a timed test call, and stopping `local`."""

from __future__ import annotations

import time
from typing import Literal

from pydantic import BaseModel

from coach.config import LOCAL_MODEL, Settings
from coach.domain.errors import CoachError
from coach.prompts import load_prompt
from coach.services.context import Context

Role = Literal["model", "judge", "fallback"]


class ModelStatus(BaseModel):
    """One configured model and whether it can answer."""

    role: Role
    name: str
    api_base: str | None = None
    ready: bool
    detail: str
    answered: bool | None = None  # only known after --check
    latency_s: float | None = None


class ModelsReport(BaseModel):
    model: str
    judge: str
    fallbacks: list[str]
    api_base: str | None
    models: list[ModelStatus]


class ModelTest(BaseModel):
    """The result of `coach models test`."""

    model: str
    prompt: str
    reply: str
    latency_s: float
    prompt_tokens: int
    completion_tokens: int
    tokens_per_s: float | None
    notes: list[str] = []


class StopResult(BaseModel):
    stopped: bool
    message: str


def _local_status(settings: Settings) -> tuple[bool, str]:
    """Weights present/verified and server up, without loading anything."""
    from coach.llm.local import local_server

    status = local_server(settings).status(check=True)
    weights = status.weights
    if weights.verified:
        where = "weights verified"
    elif weights.present:
        where = "weights joined, not yet verified (checked at first use)"
    elif weights.parts_installed:
        where = "weights not joined yet (about 10 s at first use)"
    else:
        return False, "weights not installed: run `make setup`"
    if status.server and status.healthy:
        return True, f"{status.model}; {where}; server up on port {status.server.port} " \
                     f"(pid {status.server.pid})"
    return True, f"{status.model}; {where}; server not running (starts on first use, 2-6 s)"


def _hosted_status(name: str, api_base: str | None) -> tuple[bool, str]:
    """Whether LiteLLM finds the key it needs in the environment (no network)."""
    from coach.llm.gateway import key_status

    key = key_status(name)
    if key.configured:
        return True, f"key found in the environment ({key.provider})"
    if api_base:
        return True, f"custom endpoint {api_base} (no key set: none may be needed)"
    return False, f"no API key: set {', '.join(key.missing)}"


def _check(ctx: Context, name: str) -> tuple[bool, float, str]:
    """Send a 1-token request through the real gateway (no fallbacks, one try)."""
    from coach.llm.factory import build_llm

    start = time.monotonic()
    llm = build_llm(ctx.settings, model=name, one_try=True)
    try:
        llm.complete([{"role": "user", "content": "Reply with the word ok."}], max_tokens=2,
                     temperature=0.0)
    except CoachError as exc:
        return False, time.monotonic() - start, str(exc)
    return True, time.monotonic() - start, ""


def list_models(ctx: Context, *, check: bool = False) -> ModelsReport:
    """The configured model, judge and fallbacks, each with a cheap readiness check.

    Args:
        check: also send each model a 1-token request (for `local`, this loads it).
    """
    s = ctx.settings
    entries: list[tuple[Role, str, str | None]] = [("model", s.model, s.api_base)]
    if s.judge_model and s.judge_model != s.model:
        entries.append(("judge", s.judge_model, None))
    entries += [("fallback", name, None) for name in s.fallback_models if name != s.model]
    statuses = []
    for role, name, api_base in entries:
        if name == LOCAL_MODEL and not api_base:
            ready, detail = _local_status(s)
        else:
            ready, detail = _hosted_status(name, api_base)
        status = ModelStatus(role=role, name=name, api_base=api_base, ready=ready, detail=detail)
        if check:
            ok, latency, error = _check(ctx, name)
            status.answered, status.latency_s = ok, round(latency, 2)
            if not ok:
                status.ready = False
                status.detail = error
            elif name == LOCAL_MODEL and not api_base:
                status.detail = _local_status(s)[1]  # the check started the server
        statuses.append(status)
    return ModelsReport(model=s.model, judge=s.grader, fallbacks=s.fallback_models,
                        api_base=s.api_base, models=statuses)


def run_model_test(ctx: Context) -> ModelTest:
    """Send the short `models_test` prompt to the context's model and time it."""
    prompt = load_prompt("models_test")
    llm = ctx.llm
    start = time.monotonic()
    completion = llm.complete(prompt.render(), prompt=prompt.ref,
                              max_tokens=prompt.defaults.max_tokens,
                              temperature=prompt.defaults.temperature)
    latency = completion.latency_s or (time.monotonic() - start)
    rate = completion.completion_tokens / latency if latency > 0 and completion.completion_tokens \
        else None
    return ModelTest(model=completion.model, prompt=f"{prompt.name} v{prompt.version}",
                     reply=completion.text.strip(), latency_s=round(latency, 3),
                     prompt_tokens=completion.prompt_tokens,
                     completion_tokens=completion.completion_tokens,
                     tokens_per_s=round(rate, 1) if rate else None, notes=completion.notes)


def stop_local(settings: Settings) -> StopResult:
    """Stop the embedded model's server, whichever process started it."""
    from coach.llm.local import local_server

    if local_server(settings).stop():
        return StopResult(stopped=True, message="Stopped the local model server.")
    return StopResult(stopped=False, message="The local model server was not running.")


def stop_started_model(ctx: Context) -> None:
    """At an app's exit: stop the embedded model's server if this process started it.

    Whatever started it (the context's model, a fallback, a health check), the server is
    this process's only if its manager launched it; a server another process started keeps
    running (it has its own idle timer). A context whose model was injected has none.
    """
    s = ctx.settings
    if ctx.llm_override is not None or LOCAL_MODEL not in (s.model, s.grader, *s.fallback_models):
        return
    from coach.llm.local import local_server

    local_server(ctx.settings).stop_if_owner()
