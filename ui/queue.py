"""Gradio's event queue, woken by work instead of looking for it every millisecond.

Gradio 6.31's queue loop sleeps 1 ms whenever it has nothing to start, so an idle app keeps
its event-loop thread waking 1000 times a second: 8% of a core with nobody using it, and
under load a thread that competes with the handlers for the GIL at every wake-up. This
queue sleeps until an event is pushed or a job ends (either can let a queued event start),
with `SAFETY_S` as a backstop, and checks for progress updates every `PROGRESS_S` instead
of every 10 ms.

`adopt` turns the queue `Blocks.queue()` made into this class, keeping its state and
settings. The loop below is Gradio's own (`Queue.start_processing`, gradio 6.31, pinned in
pyproject.toml) with only its sleeps replaced; tests/test_ui_api.py drives it end to end.
"""

from __future__ import annotations

import asyncio
import time

from gradio.queueing import Queue
from gradio.utils import run_coro_in_background, set_task_name

SAFETY_S = 0.05  # the longest a queued event could wait if a wake-up were ever missed
PROGRESS_S = 0.05  # progress bars update 20 times a second


class WakingQueue(Queue):
    """A `gradio.queueing.Queue` that waits on an event instead of polling."""

    _work: asyncio.Event

    @classmethod
    def adopt(cls, queue: Queue) -> WakingQueue:
        queue.__class__ = cls
        assert isinstance(queue, WakingQueue)
        queue._work = asyncio.Event()
        queue.progress_update_sleep_when_free = PROGRESS_S
        return queue

    async def push(self, *args, **kwargs):
        try:
            return await super().push(*args, **kwargs)
        finally:
            self._work.set()

    async def process_events(self, *args, **kwargs) -> None:
        try:
            await super().process_events(*args, **kwargs)
        finally:
            self._work.set()  # a slot is free: a waiting event may start

    async def _idle(self) -> None:
        try:
            await asyncio.wait_for(self._work.wait(), SAFETY_S)
        except TimeoutError:
            pass

    async def start_processing(self) -> None:
        try:
            while not self.stopped:
                self._work.clear()  # before looking: work that comes after sets it again
                if len(self) == 0 or None not in self.active_jobs:
                    await self._idle()
                    continue
                async with self.delete_lock:
                    event_batch = self.get_events()
                if not event_batch:
                    await self._idle()
                    continue
                events, batch, concurrency_id = event_batch
                self.active_jobs[self.active_jobs.index(None)] = events
                event_queue = self.event_queue_per_concurrency_id[concurrency_id]
                event_queue.current_concurrency += 1
                start_time = time.time()
                fn = events[0].fn
                event_queue.start_times_per_fn[fn].add(start_time)
                for event in events:
                    if (a := self.event_analytics.get(event._id)) is not None:
                        a["status"] = "processing"
                task = run_coro_in_background(self.process_events, events, batch, start_time, fn)
                set_task_name(task, events[0].session_hash, fn._id, events[0]._id, batch)
                self._asyncio_tasks.add(task)
                task.add_done_callback(self._asyncio_tasks.discard)
                if self.live_updates:
                    self.broadcast_estimations(concurrency_id)
        finally:
            self.stopped = True
            self._cancel_asyncio_tasks()
