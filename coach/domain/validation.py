"""Turn pydantic validation errors into one readable sentence for the user."""

from __future__ import annotations

from pydantic import ValidationError


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
