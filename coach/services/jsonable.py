"""Service results as plain JSON data, for every face that prints or serves them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any


def to_jsonable(value: Any) -> Any:
    """A pydantic model, dataclass, or containers of them, as JSON-ready data.

    Dates become ISO strings; anything else is left for the caller's encoder.
    """
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
