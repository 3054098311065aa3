"""The one place that builds the real model, for the CLI, the UI and the evals alike."""

from __future__ import annotations

from coach.config import LOCAL_MODEL, Settings
from coach.llm.base import LLM, CallLog


def build_llm(settings: Settings, model: str | None = None, *, call_log: CallLog | None = None,
              one_try: bool = False, stop_local_at_exit: bool = False) -> LLM:
    """The gateway for `model` (default: the configured one) with its fallbacks and call log.

    Args:
        settings: where the data home and model configuration come from.
        model: a LiteLLM model string or "local"; COACH_API_BASE applies only when this is
            the configured model.
        call_log: receives a CallRecord for every model tried (None records nothing).
        one_try: ask `model` alone, once (no fallbacks, no retries): a health check that
            reports the model's own error.
        stop_local_at_exit: an app session (the UI) passes True so the embedded server it
            started is stopped when the app exits; CLI calls leave it to the idle timer.
    """
    from coach.llm.gateway import ONE_TRY, LiteLLMGateway

    name = model or settings.model
    api_base = settings.api_base if name == settings.model else None

    def local_base() -> str:
        from coach.llm.local import local_server

        return local_server(settings).ensure(stop_at_exit=stop_local_at_exit).base_url

    fallbacks = [] if one_try else [m for m in settings.fallback_models if m != name]
    uses_local = LOCAL_MODEL in (name, *fallbacks)
    return LiteLLMGateway(
        name,
        api_base=api_base,
        fallbacks=fallbacks,
        call_log=call_log,
        timeout=settings.llm_timeout_s,
        retry=ONE_TRY if one_try else None,
        local_base=local_base if uses_local else None,
    )
