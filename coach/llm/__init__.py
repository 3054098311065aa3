"""The one seam to language models: a protocol, a LiteLLM gateway and the embedded local model."""

from coach.llm.base import (
    LLM,
    CallLog,
    CallRecord,
    Completion,
    LLMError,
    Message,
    PromptRef,
    StructuredFailure,
)

__all__ = ["LLM", "CallLog", "CallRecord", "Completion", "LLMError", "Message", "PromptRef",
           "StructuredFailure"]
