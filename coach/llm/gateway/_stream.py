"""Reading LiteLLM's replies: token usage, stream chunks, and closing a stream early."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class OpenStream:
    """A stream read up to its first text; the rest of `chunks` is still to come."""

    chunks: Iterator[Any]
    wrapper: Any
    first: list[str] = field(default_factory=list)
    finish: str | None = None
    usage: Usage = field(default_factory=Usage)


def usage_of(resp: Any) -> Usage:
    usage = getattr(resp, "usage", None)
    if usage is None:
        return Usage()
    return Usage(int(getattr(usage, "prompt_tokens", 0) or 0),
                 int(getattr(usage, "completion_tokens", 0) or 0))


def absorb(chunk: Any, opened: OpenStream) -> str:
    """Text of one stream chunk; records finish reason and usage on the way."""
    usage = getattr(chunk, "usage", None)
    if usage is not None and getattr(usage, "completion_tokens", None):
        opened.usage = Usage(int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0))
    choices = getattr(chunk, "choices", None) or []
    if not choices:
        return ""
    choice = choices[0]
    if getattr(choice, "finish_reason", None):
        opened.finish = choice.finish_reason
    delta = getattr(choice, "delta", None)
    return (getattr(delta, "content", None) or "") if delta is not None else ""


def close(wrapper: Any) -> None:
    """Close the HTTP stream under LiteLLM's wrapper so the server stops generating."""
    for obj in (getattr(wrapper, "completion_stream", None), wrapper):
        closer = getattr(obj, "close", None)
        if callable(closer):
            try:
                closer()
            except Exception:
                pass
            return
