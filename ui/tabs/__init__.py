"""One module per tab. Each has `build(state) -> Panel`, called inside the app's `gr.Tabs`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coach.domain.errors import CoachError

# UI events are not API endpoints: the documented API lives in ui/api.py.
PRIVATE: dict[str, Any] = {"api_visibility": "private"}


@dataclass
class Panel:
    """A built tab: what to run when it is opened (or the page loads) to show fresh data.

    Attributes:
        tab: the `gr.Tab`.
        refresh: handler taking `inputs` values and a `gr.Request`, returning `outputs`.
        outputs: the components `refresh` fills.
        extra: components other tabs may need (e.g. to refresh after loading a sample).
        on_load: also refresh when the page loads (cheap tabs only; the rest on opening).
    """

    tab: Any
    refresh: Callable[..., Any] | None = None
    outputs: list[Any] = field(default_factory=list)
    on_load: bool = True
    inputs: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def parse_date(text: str | None, *, what: str = "date") -> dt.date | None:
    """'' -> None; 'YYYY-MM-DD' -> date; anything else -> a clear error."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CoachError(f"the {what} '{text}' is not a date", code="bad-date", field=what,
                         hint=f"Write it as YYYY-MM-DD, e.g. {dt.date.today().isoformat()}.") \
            from None


def shared_file(state: Any, name: str, text: str) -> str:
    """Write a file every user may download (a template) where the app keeps its files."""
    path = state.settings.home / "exports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def label(value: str) -> str:
    """'executive-communication' -> 'Executive communication'."""
    text = str(value).replace("-", " ").replace("_", " ")
    return text[:1].upper() + text[1:]
