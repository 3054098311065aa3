"""Run a service call that reports tokens through `on_token` and expose it as a generator.

The call runs in a worker thread; the Gradio handler iterates over what it produces. If
the handler stops early (the user pressed Stop, or closed the page) the `cancel` event is
set, so the model stops generating instead of running on for nobody.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

POLL_S = 0.05
UPDATE_EVERY_S = 0.05  # at most 20 screen updates a second while a reply streams
_DONE = object()


@dataclass
class Streamed:
    """Either the text so far (`done` False) or the call's final result (`done` True)."""

    text: str
    done: bool = False
    result: Any = None


def stream_call(fn: Callable[..., Any], /, **kwargs: Any) -> Iterator[Streamed]:
    """Call `fn(**kwargs, on_token=..., cancel=...)` and yield the growing text, then the result.

    Exceptions raised by `fn` are re-raised in the caller's thread.
    """
    tokens: queue.Queue = queue.Queue()
    cancel = threading.Event()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = fn(**kwargs, on_token=tokens.put, cancel=cancel)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            tokens.put(_DONE)

    worker = threading.Thread(target=run, name="coach-stream", daemon=True)
    worker.start()
    text = shown = ""
    last_update = float("-inf")
    try:
        while True:
            # Pieces that came within UPDATE_EVERY_S of the last update wait for the next one:
            # the first piece shows at once, a fast model does not cost one update per token.
            due = last_update + UPDATE_EVERY_S - time.monotonic() if text != shown else POLL_S
            try:
                piece = tokens.get(timeout=due) if due > 0 else tokens.get_nowait()
            except queue.Empty:
                piece = None
            if piece is _DONE:
                break
            if piece is not None:
                text += piece
            if text != shown and time.monotonic() - last_update >= UPDATE_EVERY_S:
                shown, last_update = text, time.monotonic()
                yield Streamed(text)
    finally:
        if worker.is_alive():
            cancel.set()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    yield Streamed(text, done=True, result=outcome.get("result"))
