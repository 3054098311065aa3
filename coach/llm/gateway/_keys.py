"""Which provider a model string names, and whether its API key is in the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from coach.llm.gateway._litellm import litellm

# Provider prefix -> the environment variable LiteLLM reads its key from.
KEY_ENV = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "cohere": "COHERE_API_KEY",
    "xai": "XAI_API_KEY",
    "fireworks_ai": "FIREWORKS_AI_API_KEY",
    "azure": "AZURE_API_KEY",
}


def provider_of(model: str) -> str:
    if "/" in model:
        return model.split("/", 1)[0]
    if model.startswith(("gpt-", "o1", "o3", "o4", "chatgpt")):
        return "openai"
    if model.startswith("claude"):
        return "anthropic"
    if model.startswith("gemini"):
        return "gemini"
    return model


def key_env(model: str) -> str:
    provider = provider_of(model)
    return KEY_ENV.get(provider, f"{provider.upper()}_API_KEY")


@dataclass(frozen=True)
class KeyStatus:
    """Whether a hosted model's key is in the environment (no network is used to tell)."""

    provider: str
    configured: bool
    missing: list[str] = field(default_factory=list)  # the variables to set, when not


def key_status(model: str) -> KeyStatus:
    """Ask LiteLLM which keys `model` needs; fall back to our own table if it cannot say."""
    try:
        env = litellm.validate_environment(model=model)
    except Exception:
        env = {"keys_in_environment": bool(os.environ.get(key_env(model))), "missing_keys": []}
    configured = bool(env.get("keys_in_environment"))
    missing = [] if configured else list(env.get("missing_keys") or [key_env(model)])
    return KeyStatus(provider_of(model), configured, missing)
