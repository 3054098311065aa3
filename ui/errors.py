"""Turn failures into a readable message in the page, never a stack trace.

A `CoachError` (bad input, missing step) shows its message and hint. Anything else is a
bug: the page says so in one sentence and the traceback goes to `<home>/logs/ui-errors.log`,
with keys and tokens scrubbed out. Handlers raise `gr.Error`, so Gradio leaves every input
and output as it was: nothing the user typed is lost. The page renders a message as HTML,
so what the user sent (echoed in "unknown value '<b>'") is escaped to show as typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import inspect
import logging
import secrets
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.llm.scrub import scrub
from coach.ui.state import AppState

log = logging.getLogger("coach.ui")


def _log_path(home: Path | None) -> Path | None:
    return home / "logs" / "ui-errors.log" if home else None


def record_crash(home: Path | None, action: str) -> str:
    """Append the current traceback to the home's log; returns a short reference."""
    ref = secrets.token_hex(3)
    text = f"--- {dt.datetime.now().isoformat(timespec='seconds')} ref={ref} action={action}\n"
    text += scrub(traceback.format_exc()) + "\n"
    path = _log_path(home)
    try:
        if path is None:
            raise OSError("no home")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:
        log.error("ui error (ref %s) in %s", ref, action, exc_info=True)
    return ref


# How the page tells a user to fix an error, by the error's code and field: the core names no
# command or button, so each face words its own fix (the CLI's is coach/cli/hints.py).
PAGE_HINTS: dict[tuple[str, str | None], str] = {
    ("no-profile", None): "Set your goal in the Goal tab first.",
    ("no-proposal", None): "Press Generate a new draft.",
    ("no-summary", "summary"): "Write what happened in the meeting in the box above, or pick a "
                               "meeting you recorded.",
    ("no-address", "manager_email"): "Add Your manager's e-mail in the Goal tab.",
    ("no-address", "email"): "Add Your e-mail in the Goal tab.",
    ("not-found", "meeting"): "Pick a meeting from the list.",
    ("not-found", "entry"): "Pick an entry from the list.",
    ("not-found", "session"): "Pick a meeting from the list.",
    ("not-found", "version"): "Pick a saved version from the list.",
    ("not-found", "document"): "Pick a document from the list.",
    ("bad-rows", "file"): "Fix the rows in the file, or tick \"Skip bad rows\" to import only "
                          "the good ones.",
    ("home-not-empty", "home"): "Restore into a new, empty data home.",
}


def page_message(exc: CoachError) -> str:
    """The error as the page shows it: the message, then the page's own way to fix it."""
    hint = PAGE_HINTS.get((exc.code, exc.field)) or PAGE_HINTS.get((exc.code, None)) or exc.hint
    message = exc.message[:1].upper() + exc.message[1:]
    if hint:
        message += f" {hint}" if message.endswith((".", ":", "\n")) else f". {hint}"
    return message


def _as_gr_error(exc: BaseException, action: str, home: Path | None) -> gr.Error:
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, CoachError):
        return gr.Error(html.escape(page_message(exc), quote=False), title=f"Could not {action}",
                        print_exception=False)
    ref = record_crash(home, action)
    return gr.Error(f"Something went wrong on our side while trying to {action}. Nothing you "
                    f"typed was lost; try again. (Reference {ref}, details in the app's error "
                    "log.)", title="Unexpected error", print_exception=False)


def guarded(action: str, state: AppState | None = None):
    """Decorate a Gradio handler (plain or generator) so any failure becomes a `gr.Error`.

    Args:
        action: what the handler does, for the message ("save your goal").
        state: the app state, to find the data home of the request's user for the crash log.
    """

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def home(args: tuple, kwargs: dict) -> Path | None:
            if state is None:
                return None
            request = next((a for a in (*args, *kwargs.values()) if isinstance(a, gr.Request)),
                           None)
            try:
                return state.home_for(state.username(request))
            except Exception:
                return None

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                try:
                    yield from fn(*args, **kwargs)
                except GeneratorExit:
                    raise
                except Exception as exc:
                    raise _as_gr_error(exc, action, home(args, kwargs)) from None
            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                raise _as_gr_error(exc, action, home(args, kwargs)) from None
        return wrapper

    return wrap
