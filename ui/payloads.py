"""Let go of request payloads once their event is done.

Two things kept a large request's payload alive after its event (measured: a server at 180 MB
stood at 1.1 GB after 45 rejected 10-30 MB titles):

- Gradio's session state keeps the last value of every input and output of each event it ran
  (`SessionState.config_values`, read only to rebuild a page from a deep link, which this app
  does not offer), and a call made without a session hash gets a session of its own that it
  never uses again, up to 10,000 of them. After each event this queue drops a one-off call's
  session and blanks the values the event left in a named session (gradio 6.31's
  state_holder.py, pinned; tests/test_security_memory.py checks both).
- A failed call leaves its payload in reference cycles (an exception, its traceback, the
  frames that hold the arguments) that only a garbage collection frees, and an idle server
  allocates nothing, so none runs. After an event with a large request, this queue collects:
  the young generations at once (about 1 ms), a full pass at most every `FULL_EVERY_S`.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

from coach.ui.queue import WakingQueue

LARGE_REQUEST = 1024 * 1024  # bytes of request body that make an event worth a collection
FULL_EVERY_S = 5.0  # a full pass holds the GIL for 20-100 ms: at most this often


class ReleasingQueue(WakingQueue):
    """The app's queue (`WakingQueue`), releasing each event's payloads when it ends."""

    _last_full: float = 0.0
    _full_pending: bool = False

    async def process_events(self, events: list[Any], *args, **kwargs) -> None:
        try:
            await super().process_events(events, *args, **kwargs)
        finally:
            release(self, events)
            if any(_request_size(event) >= LARGE_REQUEST for event in events):
                self._collect()

    def _collect(self) -> None:
        gc.collect(1)
        wait = self._last_full + FULL_EVERY_S - time.monotonic()
        if wait <= 0:
            self._full()
        elif not self._full_pending:  # garbage left now is collected once the pause is over
            self._full_pending = True
            asyncio.get_running_loop().call_later(wait, self._full)

    def _full(self) -> None:
        self._full_pending = False
        self._last_full = time.monotonic()
        gc.collect()


def _request_size(event: Any) -> int:
    try:
        return int(event.request.headers.get("content-length") or 0)
    except (AttributeError, ValueError):
        return 0


def release(queue: Any, events: list[Any]) -> None:
    """Drop what Gradio's session state keeps of these (finished) events' payloads."""
    holder = getattr(queue.server_app, "state_holder", None)
    if holder is None:
        return
    for event in events:
        session = event.session_hash
        if session == event._id:  # no session hash was sent: nothing will use this state again
            with holder.lock:
                holder.session_data.pop(session, None)
                holder.time_last_used.pop(session, None)
            continue
        state = holder.session_data.get(session)
        if state is None:
            continue
        for block in (*event.fn.inputs, *event.fn.outputs):
            config = state.config_values.get(getattr(block, "_id", None))
            props = config.get("props") if isinstance(config, dict) else None
            if isinstance(props, dict) and "value" in props:
                props["value"] = None
