"""Structured replies: schema instructions, the json_schema response format, and a tolerant parser.

Small models wrap JSON in prose or code fences; the parser takes the first complete JSON
object it finds. Validation errors go back to the model once, in words it can act on.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from coach.llm.base import Message


def schema_of(schema: type[BaseModel]) -> dict[str, Any]:
    return schema.model_json_schema()


def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI-style `response_format` asking for JSON matching `schema`.

    `strict` stays off: pydantic schemas with defaults or optional fields are not always
    valid strict schemas, and validation happens here anyway.
    """
    return {"type": "json_schema",
            "json_schema": {"name": schema.__name__, "schema": schema_of(schema), "strict": False}}


def instructions(schema: type[BaseModel]) -> str:
    return ("Reply with one JSON object and nothing else: no prose, no code fence. "
            "It must match this JSON Schema:\n"
            + json.dumps(schema_of(schema), separators=(",", ":"), ensure_ascii=False))


def with_instructions(messages: list[Message], schema: type[BaseModel]) -> list[Message]:
    """Add the schema to the system message (kept first, so the prefix stays cacheable)."""
    out = [dict(m) for m in messages]
    text = instructions(schema)
    if out and out[0]["role"] == "system":
        out[0]["content"] = f"{out[0]['content']}\n\n{text}"
    else:
        out.insert(0, {"role": "system", "content": text})
    return out  # type: ignore[return-value]


def reask(messages: list[Message], raw: str, error: str) -> list[Message]:
    """The conversation plus the bad reply and what was wrong with it."""
    return [*messages,
            {"role": "assistant", "content": raw[:4000]},
            {"role": "user", "content": "That reply did not validate: " + error
             + "\nReply again with only the corrected JSON object."}]


def extract_json(text: str) -> Any:
    """The first JSON object in `text` (inside a code fence or prose); ValueError if none."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
            return value
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
    raise ValueError("the reply contains no JSON object")


def parse(text: str, schema: type[BaseModel]) -> BaseModel:
    """Validate the first JSON object of `text` against `schema`; ValueError with a short reason."""
    value = extract_json(text)
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()[:8])
        raise ValueError(problems) from exc
