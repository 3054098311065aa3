"""The web app in service mode on the fast fake model, as its own process, for `bench_load`.

    python -m bench.load_server --port P --home H --users-file F [--profile OUT.pstats]

The load bench must not share a process with the app it measures: its client threads
would compete with the server for the GIL and inflate the overhead it reports. So this
launcher serves the real app (`ui.app.start`, logins from the users file) with
`FakeCoachModel(token_delay=0)` and measures the model time where it is spent, inside the
server. The product CLI has no fake-model switch on purpose; this module is the only way
to get one.

Model time per turn: each measured turn carries a marker (`[turn NAME]`) in the text the
client sends, and the services copy that text into the last user message they give the
model. `TimedModel` times every call of the two prompts a turn uses (`chat`, `manager`),
reads the marker from that message and adds the seconds to it. Only the time inside the
model's own code counts: for a stream, the time the consumer spends between tokens is the
app's. The client then computes overhead = its total time for the turn - the model time
booked to that turn's marker.

Control is a line protocol on stdin/stdout, so no extra route is added to the app:
  stdout `ready URL` once serving;
  stdin `reset` -> clears the timings, the CPU clock (and the profile), `ok`;
  stdin `report` -> one line `report {"model_s": {marker: s}, "cpu_s": s, "calls": n,
    "gc": {"count": [..], "total_ms": [..], "max_ms": [..], "frozen": n}}` (per generation;
    frozen: the objects `ui.gcfreeze` took out of full collections)
    (and, with --profile, the profile since the reset written to that file);
  end of stdin -> the server stops (also when the bench dies, so no orphan is left).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from coach.config import set_offline_env

MARKER = re.compile(r"\[turn ([A-Za-z0-9._-]+)\]")
TURN_PROMPTS = {"chat", "manager"}  # what /chat and /roleplay_turn ask the model


def marker_text(name: str) -> str:
    """The tag a client puts in a turn's text so the server can book its model time."""
    return f"[turn {name}]"


class TimedModel:
    """Wraps a model and books the seconds spent inside it to the turn marker of each call."""

    def __init__(self, inner):
        self.inner = inner
        self.model = inner.model
        self._lock = threading.Lock()
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls = 0

    def reset(self) -> None:
        with self._lock:
            self.seconds.clear()
            self.calls = 0
            self.inner.history.clear()  # the fake keeps every call; start the window empty

    def _book(self, messages, prompt, seconds: float) -> None:
        if prompt is None or prompt.name not in TURN_PROMPTS:
            return
        last = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
        found = MARKER.findall(last)
        if len(found) == 1:
            with self._lock:
                self.seconds[found[0]] += seconds
                self.calls += 1

    def complete(self, messages, **kw):
        started = time.perf_counter()
        try:
            return self.inner.complete(messages, **kw)
        finally:
            self._book(messages, kw.get("prompt"), time.perf_counter() - started)

    def structured(self, messages, schema, **kw):
        started = time.perf_counter()
        try:
            return self.inner.structured(messages, schema, **kw)
        finally:
            self._book(messages, kw.get("prompt"), time.perf_counter() - started)

    def stream(self, messages, **kw) -> Iterator[str]:
        spent = 0.0
        tokens = self.inner.stream(messages, **kw)
        try:
            while True:
                started = time.perf_counter()
                try:
                    token = next(tokens)
                except StopIteration:
                    spent += time.perf_counter() - started
                    return
                spent += time.perf_counter() - started
                yield token
        finally:
            self._book(messages, kw.get("prompt"), spent)


class GcPauses:
    """The garbage collector's pauses, in wall time: a collection holds the GIL, so every
    request in the process waits for it. Counted per generation since the last reset."""

    def __init__(self):
        self._lock = threading.Lock()
        self._started = 0.0
        self.reset()
        gc.callbacks.append(self._on_gc)

    def reset(self) -> None:
        with self._lock:
            self.count = [0, 0, 0]
            self.total_ms = [0.0, 0.0, 0.0]
            self.max_ms = [0.0, 0.0, 0.0]

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        ms = (time.perf_counter() - self._started) * 1000
        generation = info["generation"]
        with self._lock:
            self.count[generation] += 1
            self.total_ms[generation] += ms
            self.max_ms[generation] = max(self.max_ms[generation], ms)

    def as_dict(self) -> dict:
        with self._lock:
            return {"count": list(self.count), "total_ms": list(self.total_ms),
                    "max_ms": list(self.max_ms), "frozen": gc.get_freeze_count()}


def serve(port: int, home: Path, users_file: Path, profile: Path | None) -> None:
    from coach.testing import FakeCoachModel
    from coach.ui.app import start

    model = TimedModel(FakeCoachModel(token_delay=0.0))
    profiler = ThreadProfiler() if profile else None  # before start: its threads inherit it
    server = start(base_home=home, port=port, llm=model, users_file=users_file,
                   freeze_gc=True)  # as `coach ui` serves
    cpu_start = time.process_time()
    pauses = GcPauses()
    print(f"ready {server.url}", flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "reset":
                model.reset()
                pauses.reset()
                cpu_start = time.process_time()
                if profiler:
                    profiler.clear()
                print("ok", flush=True)
            elif command == "report":
                if profiler:
                    profiler.dump(profile)
                with model._lock:
                    data = {"model_s": dict(model.seconds), "calls": model.calls,
                            "cpu_s": time.process_time() - cpu_start, "gc": pauses.as_dict()}
                print(f"report {json.dumps(data)}", flush=True)
    finally:
        server.close()


class ThreadProfiler:
    """cProfile of every thread started from now on, in CPU time per thread.

    Gradio serves on its own threads and runs handlers and streams on pools, so one
    `Profile` is started in each new thread (through `threading.setprofile`) and all are
    merged when dumped. Timed in CPU time per thread, so a thread waiting for the GIL is not
    busy; lock waits (idle pool workers) can still show up under `acquire`: ignore those.
    """

    def __init__(self):
        self._profiles: list[cProfile.Profile] = []
        self._lock = threading.Lock()
        threading.setprofile(self._begin)

    def _begin(self, *_) -> None:
        profile = cProfile.Profile(time.thread_time)
        with self._lock:
            self._profiles.append(profile)
        profile.enable()  # takes over this thread's profile hook

    def clear(self) -> None:
        with self._lock:
            for profile in self._profiles:
                profile.clear()

    def dump(self, out: Path) -> None:
        with self._lock:
            for profile in self._profiles:
                profile.create_stats()
            busy = [p for p in self._profiles if p.stats]  # pstats refuses an empty one
            if busy:
                pstats.Stats(*busy).dump_stats(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--users-file", type=Path, required=True)
    parser.add_argument("--profile", type=Path,
                        help="write a cProfile of the measured window (all threads) here")
    args = parser.parse_args(argv)
    set_offline_env()
    serve(args.port, args.home, args.users_file, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
