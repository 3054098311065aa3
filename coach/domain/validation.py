"""Turn pydantic validation errors into words for the user.

`explain` keeps every detail in one line, for files a developer edits (datasets, rubrics,
personas). `invalid` and `plain` are for what a user typed or imported: the first problem
only, in plain words, as a `CoachError` whose `code` and `field` let each face word it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from coach.domain.errors import CoachError


class InputError(ValueError):
    """A field validator's complaint with a stable code (`future-date`, `bad-email`, ...):
    raised inside a pydantic validator, it reaches `invalid` with its code intact."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "value"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "enum":
            msg = f"unknown value '{err.get('input')}'; expected one of {err['ctx']['expected']}"
        elif err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "string_too_short" and err.get("ctx", {}).get("min_length") == 1:
            msg = "is empty"
        elif err["type"] in ("string_too_long",):
            msg = f"is too long ({len(str(err.get('input', '')))} characters; {err['msg'].lower()})"
        plain = err["type"] in ("missing", "string_too_short", "string_too_long")
        parts.append(f"{field} {msg}" if plain else f"{field}: {msg}")
    return "; ".join(parts)


def words(field: str) -> str:
    """A field name as words: 'months_in_role' -> 'months in role'."""
    return field.replace("_", " ")


def _problem(err: Mapping[str, Any]) -> tuple[str, str]:
    """(code, what is wrong) for one pydantic error, without the field's name."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "empty", "is empty"
    if kind == "string_too_long":
        size = len(str(err.get("input", "")))
        return "too-long", f"is too long ({size} characters; the limit is {ctx.get('max_length')})"
    if kind.startswith(("date_", "datetime_")):
        return "bad-date", f"'{err.get('input')}' is not a date (write it as YYYY-MM-DD)"
    if kind == "enum":
        choices = str(ctx.get("expected", "")).replace("'", "")
        return "bad-choice", f"'{err.get('input')}' is not one of the choices ({choices})"
    if kind in ("greater_than_equal", "greater_than"):
        return "out-of-range", f"is out of range (at least {ctx.get('ge', ctx.get('gt'))})"
    if kind in ("less_than_equal", "less_than"):
        return "out-of-range", f"is out of range (at most {ctx.get('le', ctx.get('lt'))})"
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing"):
        return "bad-number", "is not a whole number"
    if kind in ("bool_parsing", "bool_type"):
        return "bad-choice", "must be yes or no"
    if kind == "value_error":
        cause = ctx.get("error")
        if isinstance(cause, InputError):
            return cause.code, str(cause)
        return "invalid", str(err["msg"]).removeprefix("Value error, ")
    return "invalid", "is not valid"


def plain(exc: ValidationError) -> str:
    """The first problem in plain words: "date '20x4-01-01' is not a date (...)"."""
    err = exc.errors()[0]
    field = words(str(err["loc"][0])) if err["loc"] else "value"
    _, problem = _problem(err)
    return problem if problem.startswith(field) else f"{field} {problem}"


def invalid(exc: ValidationError, what: str) -> CoachError:
    """A CoachError for the first problem, e.g. "entry not saved: title is empty".

    Args:
        exc: the validation error.
        what: what was not saved ("entry", "profile").
    """
    err = exc.errors()[0]
    code, _ = _problem(err)
    field = str(err["loc"][0]) if err["loc"] else None
    return CoachError(f"{what} not saved: {plain(exc)}", code=code, field=field,
                      hint="Nothing was changed.")
