"""Turn failures into a readable message in the page, never a stack trace.

Two ways, one wording:

- `Messages` (the page's tabs): a failed action writes its message into a small line placed
  by the form, under the field it is about, and leaves every other output as it was
  (`gr.skip()`): the table, the picker, the transcript and what the user typed all stay.
  Gradio never sees an error, so no red "Error" badge covers a component.
- `guarded` (API endpoints, ui/api.py): raises `gr.Error`, which an API client receives as
  its error.

A `CoachError` is worded for the page by `page_message`: an input error (empty, bad-date,
...) by the `PAGE_WORDS` table, looked up by `(code, field)` then by `code`, with the field's
label from the form; any other, the core's message followed by the page's fix from
`PAGE_HINTS` (or the core's hint when it names no command or flag). Anything else is a
bug: the page says so in one sentence and the traceback goes to `<home>/logs/ui-errors.log`,
its frames only (keys scrubbed, messages withheld: they may quote what a user typed). What
the user sent (echoed in "'<b>' is not a date") is escaped to show as typed.

How a tab adopts `Messages`::

    msgs = Messages(state, "log")
    date = gr.Textbox(label="Date")
    msgs.field("date", "Date")              # the line under the date box (CoachError.field)
    title = gr.Textbox(label="What you did")
    msgs.field("title", "What you did")
    save = gr.Button("Save")
    msgs.form()                              # the line for everything else, by the button

    def add(date_v, title_v, request: gr.Request):   # no decorator: raise CoachError
        ...
        return rows, "Added."

    msgs.on(save.click, add, [date, title], [grid, status], action="add the entry")

`msgs.on` returns the event, for `.then()`. A failed action no longer fails the event, so a
`.success()` after it runs too: chain only what is harmless to run again (a refresh).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import inspect
import logging
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.limits import TooLong
from coach.llm.scrub import quiet_traceback
from coach.ui.params import FIELD_LABELS
from coach.ui.state import AppState

log = logging.getLogger("coach.ui")

# The page's words for what the user typed or chose, by (code, field) first, then by code:
# whole sentences naming the field by its label on the page. `{label}` is that label,
# `{today}` today's date.
PAGE_WORDS: dict[str | tuple[str, str], str] = {
    "empty": "{label} is empty: fill it in.",
    "too-long": "{label} is too long: shorten it.",
    "bad-date": "{label}: write the date as YYYY-MM-DD, for example {today}.",
    "future-date": "{label} is in the future: log a win once it has happened (today is fine).",
    "old-date": "{label} is before 1970: check the year.",
    "bad-email": "{label} is not an e-mail address: it looks like name@example.com.",
    "bad-number": "{label}: enter a whole number.",
    "bad-choice": "{label}: pick one of the choices in the list.",
    "out-of-range": "{label} is out of range.",
    ("out-of-range", "months_in_role"): "{label}: enter a whole number of months, 0 to 600.",
    ("empty", "months_in_role"): "{label} is empty: enter a whole number, e.g. 14.",
    "no-file": "Choose a file first: drop it on the box or click the box to browse.",
    "not-selected": "Pick an entry first: choose it in the list or click its row.",
}
# How the page tells a user to fix any other error, by (code, field) then (code, None): the
# core's message, then this (the CLI's own fixes are in coach/cli/hints.py).
PAGE_HINTS: dict[tuple[str, str | None], str] = {
    ("no-profile", None): "Set your goal in the Goal tab first.",
    ("no-proposal", None): "Press Generate a new draft.",
    ("no-summary", "summary"): "Write what happened in the meeting in the box above, or pick a "
                               "meeting you recorded.",
    ("no-address", "manager_email"): "Add your manager's e-mail address in the Goal tab.",
    ("no-address", "email"): "Add your e-mail address in the Goal tab.",
    ("not-found", "meeting"): "Pick a meeting from the list.",
    ("not-found", "entry"): "Pick an entry from the list.",
    ("not-found", "session"): "Pick a meeting from the list.",
    ("same-meeting", "session"): "Pick two different meetings to compare.",
    ("unknown-answer", "response"): "Pick your manager's answer in the list under the meeting.",
    ("not-found", "version"): "Pick a saved version from the list.",
    ("not-found", "document"): "Pick a document from the list.",
    ("bad-rows", "file"): "Fix those rows, or tick \u201cSkip bad rows and import the rest\u201d.",
    ("bad-rows", None): "Fix those rows and try again.",
    ("home-not-empty", "home"): "Restore into a new, empty data home.",
}
UNEXPECTED = ("Something went wrong on our side while trying to {action}. Nothing you typed "
              "was lost; try again. (Reference {ref}, in the app's error log.)")
# A core hint that names a command, a flag or a file of the code is for the terminal only.
_CLI_WORDS = re.compile(r"`|--|\bcoach [a-z]|\bui/|\.py\b|\bmake [a-z]")


def field_label(field: str | None) -> str:
    """A field key as a label, for a field the form has no line of its own for."""
    text = (field or "this field").replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """Capitalised, unless it starts with a file's name ("notes.txt is empty")."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    return text if "." in first or "/" in first else text[:1].upper() + text[1:]


def page_message(exc: CoachError, label: str | None = None, *, table: bool = True) -> str:
    """The error as the page shows it (plain text; escape it before rendering as HTML).

    Args:
        exc: the error.
        label: the label of the field it is about, as the page shows it.
        table: word input errors from PAGE_WORDS; False keeps the core's message (an API
            caller wants the value it sent and the choices), with the page's hint.
    """
    if isinstance(exc, TooLong):  # the length and the limit, which "shorten it" would not say
        name = label or FIELD_LABELS.get(exc.field or "") or field_label(exc.field)
        return (f"{name} is too long ({exc.length:,} characters; the limit is {exc.limit:,}). "
                f"{exc.hint}")
    words = PAGE_WORDS.get((exc.code, exc.field or "")) or PAGE_WORDS.get(exc.code)
    if table and words is not None:
        return words.format(label=label or field_label(exc.field),
                            today=dt.date.today().isoformat())
    message = _sentence(exc.message)
    hint = PAGE_HINTS.get((exc.code, exc.field)) or PAGE_HINTS.get((exc.code, None))
    if hint is None and exc.hint and not _CLI_WORDS.search(exc.hint):
        hint = exc.hint
    if hint:
        joint = "\n" if "\n" in message else " " if message.endswith((".", ":")) else ". "
        return f"{message}{joint}{hint}"
    return message if message.endswith((".", "?", "!", "\n")) else message + "."


def _log_path(home: Path | None) -> Path | None:
    return home / "logs" / "ui-errors.log" if home else None


def record_crash(home: Path | None, action: str) -> str:
    """Append the current traceback to the home's log; returns a short reference."""
    ref = secrets.token_hex(3)
    text = f"--- {dt.datetime.now().isoformat(timespec='seconds')} ref={ref} action={action}\n"
    text += quiet_traceback(sys.exc_info()) + "\n"  # where it failed, not what the user typed
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


def _home(state: AppState | None, args: tuple, kwargs: dict) -> Path | None:
    """The data home of the request's user (for the crash log), if one can be found."""
    if state is None:
        return None
    request = next((a for a in (*args, *kwargs.values()) if isinstance(a, gr.Request)), None)
    try:
        return state.home_for(state.username(request))
    except Exception:
        return None


def _unexpected(action: str, ref: str) -> str:
    return UNEXPECTED.format(action=action, ref=ref)


# -- the page's tabs ------------------------------------------------------------------------
class Messages:
    """The message lines of one form: one under each field that can go wrong, one for the rest.

    Place the lines while building the layout (`field`, `form`), then wire each action with
    `on`. A `CoachError` goes to the line of its `field` (else the form's line), worded by
    `page_message` with that line's label; any other exception is logged as a crash and
    reported on the form's line. Every other output keeps what it showed.
    """

    def __init__(self, state: AppState | None, name: str):
        """
        Args:
            state: the app state (to find the user's data home for the crash log).
            name: the form's name; the lines' elem_ids are `<name>-msg` and `<name>-msg-<key>`.
        """
        self.state = state
        self.name = name
        self._lines: dict[str | None, gr.HTML] = {}
        self._labels: dict[str, str] = {}

    def field(self, key: str, label: str, *also: str) -> gr.HTML:
        """Place the line for `CoachError.field == key` (and the `also` keys) here.

        Args:
            key: the field's key as the core names it ("date", "months_in_role").
            label: the field's label as the page shows it ("Date").
            also: more keys that belong to the same input.
        """
        line = self._line(f"{self.name}-msg-{key}")
        for name in (key, *also):
            self._lines[name] = line
            self._labels[name] = label
        return line

    def column(self, key: str, component: Any, *, min_width: int = 240) -> Any:
        """Render `component` (built with `render=False`) in a column with its line under it,
        labelled as the component is."""
        with gr.Column(min_width=min_width):
            component.render()
            self.field(key, component.label)
        return component

    def form(self) -> gr.HTML:
        """Place the line for errors about no field of this form (and for crashes) here."""
        line = self._line(f"{self.name}-msg")
        self._lines[None] = line
        return line

    def label(self, key: str, label: str) -> None:
        """Word `key` as `label` in a message on the form's line (a field without a line)."""
        self._labels[key] = label

    @staticmethod
    def _line(elem_id: str) -> gr.HTML:
        return gr.HTML("", visible=False, elem_id=elem_id, elem_classes=["coach-msg"],
                       js_on_load=None)

    @property
    def lines(self) -> list[gr.HTML]:
        """Every line of this form, each once, in the order placed."""
        return list(dict.fromkeys(self._lines.values()))

    def message(self, exc: CoachError) -> tuple[gr.HTML, str]:
        """Which line shows this error, and the text it shows."""
        key = exc.field if exc.field in self._lines else None
        label = self._labels.get(exc.field or "")
        return self._lines[key], page_message(exc, label)

    def _updates(self, target: gr.HTML | None = None, text: str = "") -> list[Any]:
        shown = f'<div class="coach-msg-text" role="alert">{html.escape(text, quote=False)}</div>'
        return [gr.update(value=shown, visible=True) if line is target
                else gr.update(value="", visible=False) for line in self.lines]

    def _kept(self) -> list[Any]:
        return [gr.skip() for _ in self.lines]

    def on(self, trigger: Callable[..., Any], fn: Callable[..., Any],
           inputs: Any = None, outputs: Any = None, *, action: str, **kwargs: Any) -> Any:
        """Wire `fn` to `trigger` (e.g. `button.click`); its failures go to this form's lines.

        Args:
            trigger: the event listener, e.g. `save.click`.
            fn: the handler (plain or generator); it raises `CoachError` for the user's
                mistakes and returns its outputs as usual.
            inputs, outputs: as for the listener; the lines are added to the outputs.
            action: what `fn` does, for the crash message ("save your goal").
            kwargs: passed on to the listener (e.g. `api_visibility`).
        """
        if None not in self._lines:
            raise ValueError("place the form's line (Messages.form) before wiring an action")
        outs = [] if outputs is None else list(outputs) if isinstance(outputs, Sequence) \
            else [outputs]
        return trigger(self.wrap(fn, len(outs), action), inputs, [*outs, *self.lines], **kwargs)

    def wrap(self, fn: Callable[..., Any], n_outputs: int, action: str, *,
             clear: bool = True) -> Callable[..., Any]:
        """`fn` returning its outputs plus the lines, and never raising (see `on`).

        Args:
            clear: empty the lines when `fn` succeeds; False for a step chained after another
                action, so it does not wipe that action's message.
        """

        def values(result: Any) -> list[Any]:
            if n_outputs == 0:
                return []
            if n_outputs == 1:
                return [result]
            return list(result)

        def failed(exc: Exception, args: tuple, kwargs: dict) -> list[Any]:
            if isinstance(exc, CoachError):
                target, text = self.message(exc)
            else:
                target = self._lines[None]
                text = _unexpected(action, record_crash(_home(self.state, args, kwargs), action))
            return [*(gr.skip() for _ in range(n_outputs)), *self._updates(target, text)]

        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                first = True
                try:
                    for result in fn(*args, **kwargs):
                        lines = self._updates() if first and clear else self._kept()
                        first = False
                        yield [*values(result), *lines]
                except GeneratorExit:
                    raise
                except Exception as exc:
                    yield failed(exc, args, kwargs)
            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                return failed(exc, args, kwargs)
            return [*values(result), *(self._updates() if clear else self._kept())]
        return wrapper


# -- API endpoints --------------------------------------------------------------------------
def _as_gr_error(exc: BaseException, action: str, home: Path | None, api: bool) -> gr.Error:
    if isinstance(exc, gr.Error):
        return exc
    if isinstance(exc, CoachError):
        # An API caller sent the field under its parameter name: name it so.
        label = exc.field if api else None
        return gr.Error(html.escape(page_message(exc, label, table=False), quote=False),
                        title=f"Could not {action}", print_exception=False)
    return gr.Error(_unexpected(action, record_crash(home, action)), title="Unexpected error",
                    print_exception=False)


def guarded(action: str, state: AppState | None = None, *, api: bool = False):
    """Decorate an API endpoint (plain or generator) so any failure becomes a `gr.Error`.

    Args:
        action: what the handler does, for the message ("save your goal").
        state: the app state, to find the data home of the request's user for the crash log.
        api: an endpoint of the documented API: messages name its parameters, not the boxes.
    """

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def gen_wrapper(*args, **kwargs):
                try:
                    yield from fn(*args, **kwargs)
                except GeneratorExit:
                    raise
                except Exception as exc:
                    raise _as_gr_error(exc, action, _home(state, args, kwargs), api) from None
            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                raise _as_gr_error(exc, action, _home(state, args, kwargs), api) from None
        return wrapper

    return wrap
