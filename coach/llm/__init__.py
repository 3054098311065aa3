"""The one seam to language models: a protocol, a LiteLLM gateway and the embedded local model."""

from coach.llm.base import LLM, Completion, LLMError, Message, PromptRef, StructuredFailure

__all__ = ["LLM", "Completion", "LLMError", "Message", "PromptRef", "StructuredFailure"]
