"""The one place that builds the real model, for the CLI, the UI and the evals alike."""

from __future__ import annotations

from typing import Any

from coach.config import LOCAL_MODEL, Settings
from coach.llm.base import LLM


def build_llm(settings: Settings, store: Any = None, model: str | None = None, *,
              stop_local_at_exit: bool = False) -> LLM:
    """The gateway for `model` (default: the configured one) with its fallbacks and call log.

    Args:
        settings: where the data home and model configuration come from.
        store: the Store calls are logged to (None logs nothing).
        model: a LiteLLM model string or "local"; COACH_API_BASE applies only when this is
            the configured model.
        stop_local_at_exit: an app session (the UI) passes True so the embedded server it
            started is stopped when the app exits; CLI calls leave it to the idle timer.
    """
    from coach.llm.gateway import LiteLLMGateway

    name = model or settings.model
    api_base = settings.api_base if name == settings.model else None

    def local_base() -> str:
        from coach.llm.local import local_server

        return local_server(settings).ensure(stop_at_exit=stop_local_at_exit).base_url

    uses_local = LOCAL_MODEL in (name, *settings.fallback_models)
    return LiteLLMGateway(
        name,
        api_base=api_base,
        fallbacks=[m for m in settings.fallback_models if m != name],
        store=store,
        timeout=settings.llm_timeout_s,
        local_base=local_base if uses_local else None,
    )
