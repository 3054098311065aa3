"""Run a service call that reports tokens (`on_token`) or a first draft (`on_draft`) and
expose it as a generator.

The call runs in a worker thread; the Gradio handler iterates over what it produces. If
the handler stops early (the user pressed Stop, or closed the page) the `cancel` event is
set, so the model stops generating instead of running on for nobody.

Workers are kept and reused: a new thread per reply would also open a new database
connection (they are per thread): 0.5-1 ms of every turn under load.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

UPDATE_EVERY_S = 0.05  # at most 20 screen updates a second while a reply streams
# With nothing new for this long, the text so far is yielded again: Gradio can only stop a
# generator between two yields, and a service may hold text back for a while (the chat
# shows a sentence only once it is complete and checked), so Stop must not wait for it.
HEARTBEAT_S = 0.25
_DONE = object()
_jobs: queue.SimpleQueue = queue.SimpleQueue()
_idle = threading.Semaphore(0)  # one permit per worker waiting for a job


def _submit(job: Callable[[], None]) -> None:
    """Run `job` on an idle worker, or on a new one when all are busy (as many as the
    replies streaming at once; daemons, so a stuck model call never holds up exit)."""
    _jobs.put(job)
    if not _idle.acquire(blocking=False):
        threading.Thread(target=_work, name="coach-stream", daemon=True).start()


def _work() -> None:
    while True:
        _jobs.get()()
        _idle.release()


@dataclass
class Streamed:
    """Either the text so far (`done` False) or the call's final result (`done` True)."""

    text: str
    done: bool = False
    result: Any = None


class _Call:
    """`fn(**kwargs, <sink>=pieces.put, cancel=cancel)` running on a worker; `pieces` ends
    with _DONE."""

    def __init__(self, fn: Callable[..., Any], sink: str, kwargs: dict[str, Any]):
        self.pieces: queue.Queue = queue.Queue()
        self.cancel = threading.Event()
        self.finished = threading.Event()
        self._outcome: dict[str, Any] = {}
        _submit(lambda: self._run(fn, sink, kwargs))

    def _run(self, fn: Callable[..., Any], sink: str, kwargs: dict[str, Any]) -> None:
        try:
            self._outcome["result"] = fn(**kwargs, **{sink: self.pieces.put}, cancel=self.cancel)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._outcome["error"] = exc
        finally:
            self.pieces.put(_DONE)
            self.finished.set()

    def stop(self) -> None:
        """The caller stopped reading (Stop, or the page closed): stop the model too."""
        if not self.finished.is_set():
            self.cancel.set()

    def result(self) -> Any:
        self.finished.wait()
        if "error" in self._outcome:
            raise self._outcome["error"]
        return self._outcome.get("result")


def stream_call(fn: Callable[..., Any], /, **kwargs: Any) -> Iterator[Streamed]:
    """Call `fn(**kwargs, on_token=..., cancel=...)` and yield the growing text, then the result.

    Exceptions raised by `fn` are re-raised in the caller's thread.
    """
    call = _Call(fn, "on_token", kwargs)
    text = shown = ""
    last_update = float("-inf")
    try:
        while True:
            # Pieces that came within UPDATE_EVERY_S of the last update wait for the next one:
            # the first piece shows at once, a fast model does not cost one update per token.
            # With nothing held back, wait for a piece, but no longer than a heartbeat.
            due = last_update + UPDATE_EVERY_S - time.monotonic() if text != shown else None
            try:
                piece = (call.pieces.get(timeout=HEARTBEAT_S if due is None else due)
                         if due is None or due > 0 else call.pieces.get_nowait())
            except queue.Empty:
                piece = None
                if due is None and shown:
                    last_update = time.monotonic()
                    yield Streamed(text)  # nothing new: a chance for Gradio to stop us
                    continue
            if piece is _DONE:
                break
            if piece is not None:
                text += piece
            if text != shown and time.monotonic() - last_update >= UPDATE_EVERY_S:
                shown, last_update = text, time.monotonic()
                yield Streamed(text)
    finally:
        call.stop()
    yield Streamed(text, done=True, result=call.result())


@dataclass
class Staged:
    """A step of `staged_call`: the draft (`done` False), a tick while the model works
    (`value` None, `done` False), or the call's final result (`done` True)."""

    value: Any = None
    done: bool = False
    waited_s: float = 0.0


TICK_S = 1.0  # while the model polishes: a tick a second (elapsed time; lets Stop close us)


def staged_call(fn: Callable[..., Any], /, **kwargs: Any) -> Iterator[Staged]:
    """Call `fn(**kwargs, on_draft=..., cancel=...)`: yield its draft as soon as it hands one
    over, a tick each second while it works on, then its result.

    The ticks matter as much as the draft: Gradio stops a handler by closing its generator,
    which it can only do between two steps, so a step may never wait long. Closing sets
    `cancel`, and the service stops the model. Exceptions raised by `fn` are re-raised here.
    """
    call = _Call(fn, "on_draft", kwargs)
    start = time.monotonic()
    try:
        while True:
            try:
                piece = call.pieces.get(timeout=TICK_S)
            except queue.Empty:
                yield Staged(waited_s=time.monotonic() - start)
                continue
            if piece is _DONE:
                break
            yield Staged(piece, waited_s=time.monotonic() - start)
    finally:
        call.stop()
    yield Staged(call.result(), done=True, waited_s=time.monotonic() - start)
