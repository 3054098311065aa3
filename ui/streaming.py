"""Run a service call that reports tokens through `on_token` and expose it as a generator.

The call runs in a worker thread; the Gradio handler iterates over what it produces. If
the handler stops early (the user pressed Stop, or closed the page) the `cancel` event is
set, so the model stops generating instead of running on for nobody.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

POLL_S = 0.05
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
    text = ""
    try:
        while True:
            try:
                piece = tokens.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if piece is _DONE:
                break
            text += piece
            # Drain whatever else arrived, so a fast model does not cost one update per token.
            while True:
                try:
                    more = tokens.get_nowait()
                except queue.Empty:
                    break
                if more is _DONE:
                    tokens.put(_DONE)
                    break
                text += more
            yield Streamed(text)
    finally:
        if worker.is_alive():
            cancel.set()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    yield Streamed(text, done=True, result=outcome.get("result"))
