"""Check an API call's arguments against the endpoint's own annotations before it runs.

`gradio_client` (or any HTTP client) can send any JSON for any parameter: a number for a
title, a list for an id, a string with a broken character. Without this check such values
reach the services and fail deep inside (a crash report instead of a message). Here each
wrong value becomes a CoachError naming the parameter, so the caller reads what to fix.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from coach.domain.errors import CoachError
from coach.domain.limits import BUDGET, check_length
from coach.domain.text import BROKEN_CHAR

# Ids are database row ids: positive, and small enough for the database to look up.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
_SKIP = {"request", "return"}  # Gradio fills `request`; the return value is ours

# How the page labels each budgeted field (`coach.domain.limits.BUDGET`): a message about a
# field names the box the user typed in.
FIELD_LABELS = {
    "name": "Your name", "manager_name": "Your manager's name", "current_title": "Current title",
    "target_title": "Target title", "email": "E-mail address", "title": "What you did",
    "metric": "Measured result",
    "description": "Details", "source": "Proof", "reason": "Why you decline",
    "summary": "What was said", "subject": "Subject", "body": "Body", "message": "Your question",
    "line": "What you say", "query": "Search", "proposal": "Edit (Markdown)",
    "role": "Role", "cares_about": "What they care about", "interaction": "What happened",
    "offer_title": "Title offered", "level": "Level or band", "salary": "Salary",
    "scope": "Scope: what changes", "benefits": "Bonus, equity, benefits", "start": "Start date",
    "gap": "Gaps your manager named", "revisit": "Revisit date",
}


def _budget(name: str, value: Any) -> None:
    """Text over its field's budget, named by the API parameter (`changes` by its keys)."""
    if isinstance(value, str) and name in BUDGET:
        check_length(name, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _budget(str(key), item)


def _takes_bool(hint: Any) -> bool:
    """Whether an annotation admits a boolean (`bool`, `bool | None`, `Any`, `dict`...)."""
    if hint is bool or hint is Any:
        return True
    args = typing.get_args(hint)
    if typing.get_origin(hint) is Annotated:
        return _takes_bool(args[0])
    return any(_takes_bool(a) for a in args) or typing.get_origin(hint) in (dict, list)


def _broken(value: Any) -> bool:
    if isinstance(value, str):
        return bool(BROKEN_CHAR.search(value))
    if isinstance(value, dict):
        return any(_broken(k) or _broken(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_broken(v) for v in value)
    return False


def typed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Validate (and coerce, e.g. "3" -> 3) every annotated argument of `fn` with pydantic,
    after refusing text over its budget. A boolean is never taken for a number
    (`months_in_role=true` is refused, not stored as 1).

    Apply it under `guarded`, which turns the CoachError into the page's message. Works for
    plain and generator endpoints alike.
    """
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn, include_extras=True)
    adapters = {name: TypeAdapter(hint) for name, hint in hints.items() if name not in _SKIP}

    def checked(args: tuple, kwargs: dict) -> inspect.BoundArguments:
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name not in adapters:
                continue
            if _broken(value):
                raise CoachError(f"{name} holds a broken character (half of a UTF-16 pair)",
                                 hint="Send the text as valid UTF-8.")
            _budget(name, value)  # before anything is parsed, saved or sent to a model
            if isinstance(value, bool) and not _takes_bool(hints[name]):
                raise CoachError(f"{name}: {str(value).lower()} is not a valid value here",
                                 code="invalid", field=name,
                                 hint=f"Send {name} as ui/API.md describes it (a number, "
                                      "not true or false).")
            try:
                bound.arguments[name] = adapters[name].validate_python(value)
            except ValidationError as exc:
                error = exc.errors()[0]
                raise CoachError(f"{name}: {error['msg'][:1].lower()}{error['msg'][1:]}",
                                 hint=f"Check the value sent as {name} (see ui/API.md).") from None
        return bound

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            bound = checked(args, kwargs)
            yield from fn(*bound.args, **bound.kwargs)
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = checked(args, kwargs)
        return fn(*bound.args, **bound.kwargs)
    return wrapper
