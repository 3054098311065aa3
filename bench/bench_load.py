"""Concurrent web sessions against the real app and a fast fake model on 127.0.0.1.

Starts the Gradio app in service mode (login, one data home per user), then runs N
sessions at once through `gradio_client`: each logs in, adds an entry carrying its own
marker, chats and role-plays for a bounded number of turns, and finally checks it sees
only its own user's data (no cross-talk between sessions or users). Reports p50/p95 of the
app's own overhead per turn: the turn's total time minus the time spent in the model.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from coach.config import set_offline_env

set_offline_env()


class TimedModel:
    """Wraps the UI's fake model and adds up the time spent inside it, per thread."""

    def __init__(self, inner):
        self.inner = inner
        self.model = inner.model
        self._local = threading.local()
        self._lock = threading.Lock()
        self.total = 0.0
        self.calls = 0

    def _add(self, seconds: float) -> None:
        with self._lock:
            self.total += seconds
            self.calls += 1

    def complete(self, *a, **kw):
        t = time.perf_counter()
        try:
            return self.inner.complete(*a, **kw)
        finally:
            self._add(time.perf_counter() - t)

    def structured(self, *a, **kw):
        t = time.perf_counter()
        try:
            return self.inner.structured(*a, **kw)
        finally:
            self._add(time.perf_counter() - t)

    def stream(self, *a, **kw) -> Iterator[str]:
        t = time.perf_counter()
        spent = 0.0
        try:
            for token in self.inner.stream(*a, **kw):
                spent += time.perf_counter() - t
                yield token
                t = time.perf_counter()
            spent += time.perf_counter() - t
        finally:
            self._add(spent)


@dataclass
class SessionResult:
    user: str
    session: int
    turn_times: list[float] = field(default_factory=list)
    first_token: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)


def _session(url: str, user: str, password: str, index: int, turns: int,
             deadline: float) -> SessionResult:
    from gradio_client import Client

    out = SessionResult(user=user, session=index)
    marker = f"{user}-s{index}"
    try:
        client = Client(url, auth=(user, password), verbose=False)
        client.predict(current_title="Senior Engineer", target_title="Staff Engineer",
                       transition="ic-to-lead", months_in_role=14, signals=["recent-win"],
                       api_name="/set_profile")
        client.predict(title=f"Win {marker}", metric="cut costs 12%", api_name="/add_entry")
        conversation = None
        for turn in range(turns):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            job = client.submit(message=f"How do I show next-level work? ({marker} t{turn})",
                                conversation_id=conversation, api_name="/chat")
            first = None
            for update in job:
                if first is None and isinstance(update, dict) and update.get("text"):
                    first = time.perf_counter() - started
            final = job.result()
            out.turn_times.append(time.perf_counter() - started)
            if first is not None:
                out.first_token.append(first)
            if conversation is None:
                conversation = final.get("conversation_id")
            elif final.get("conversation_id") != conversation:
                out.crosstalk.append(f"conversation changed to {final.get('conversation_id')}")
        opened = client.predict(response="not-yet", difficulty="realistic",
                                api_name="/roleplay_start")
        session_id = opened["session_id"]
        for _turn in range(max(1, turns // 2)):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            job = client.submit(session_id=session_id,
                                line=f"Thank you for meeting. I want the Staff role ({marker}).",
                                api_name="/roleplay_turn")
            for _ in job:
                pass
            job.result()
            out.turn_times.append(time.perf_counter() - started)
        result = client.predict(session_id=session_id, api_name="/roleplay_end")
        you = [t["text"] for t in result["transcript"] if t["speaker"] == "you"]
        if any(marker not in line for line in you):
            out.crosstalk.append("a role-play line from another session appeared")
        titles = [e["title"] for e in client.predict(api_name="/list_entries")]
        foreign = [t for t in titles if not t.startswith(f"Win {user}-")]
        if foreign:
            out.crosstalk.append(f"sees other users' entries: {foreign[:3]}")
        if f"Win {marker}" not in titles:
            out.crosstalk.append("its own entry is missing")
    except Exception as exc:  # reported in the table, not raised: the run must finish
        out.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LoadReport:
    sessions: int
    users: int
    completed: int
    errors: list[str]
    crosstalk: list[str]
    turns: int
    overhead_p50_ms: float
    overhead_p95_ms: float
    first_token_p50_ms: float
    model_ms_per_call: float
    wall_s: float


def run(sessions: int = 20, users: int = 4, turns: int = 4, seconds: float = 120.0,
        home: Path | None = None) -> LoadReport:
    from coach.services import users as accounts
    from ui.app import start
    from ui.fake_model import FakeCoachModel

    tmp = tempfile.TemporaryDirectory() if home is None else None
    base = Path(tmp.name) if tmp else home
    users_file = base / "users.json"
    names = [f"user{i}" for i in range(users)]
    for name in names:
        accounts.add_user(users_file, name, f"pw-{name}-load")
    model = TimedModel(FakeCoachModel(token_delay=0.0))
    server = start(base_home=base, port=_free_port(), llm=model, users_file=users_file)
    started = time.perf_counter()
    try:
        # Warm each user's home (index build, first context) outside the measured turns.
        with ThreadPoolExecutor(users) as pool:
            list(pool.map(lambda n: _session(server.url, n, f"pw-{n}-load", -1, 1,
                                             time.monotonic() + seconds), names))
        model.total, model.calls = 0.0, 0
        deadline = time.monotonic() + seconds
        with ThreadPoolExecutor(sessions) as pool:
            futures = [pool.submit(_session, server.url, names[i % users],
                                   f"pw-{names[i % users]}-load", i, turns, deadline)
                       for i in range(sessions)]
            results = [f.result() for f in futures]
    finally:
        server.close()
        if tmp:
            tmp.cleanup()
    per_call = model.total / model.calls if model.calls else 0.0
    overheads = [t - per_call for r in results for t in r.turn_times]
    firsts = [t for r in results for t in r.first_token]
    q = statistics.quantiles(overheads, n=20) if len(overheads) >= 2 else [0.0] * 19
    return LoadReport(
        sessions=sessions, users=users,
        completed=sum(1 for r in results if not r.errors),
        errors=[e for r in results for e in r.errors],
        crosstalk=[c for r in results for c in r.crosstalk],
        turns=len(overheads),
        overhead_p50_ms=statistics.median(overheads) * 1000 if overheads else 0.0,
        overhead_p95_ms=q[18] * 1000,
        first_token_p50_ms=statistics.median(firsts) * 1000 if firsts else 0.0,
        model_ms_per_call=per_call * 1000,
        wall_s=time.perf_counter() - started,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("COACH_UI_CONCURRENCY", str(max(8, args.sessions)))
    r = run(args.sessions, args.users, args.turns, args.seconds)
    print("| load (fake model on 127.0.0.1) | value |")
    print("| --- | --- |")
    print(f"| concurrent sessions / users | {r.sessions} / {r.users} |")
    print(f"| sessions completed | {r.completed} |")
    print(f"| errors | {len(r.errors)} {r.errors[:2] if r.errors else ''} |")
    print(f"| cross-talk findings | {len(r.crosstalk)} {r.crosstalk[:2] if r.crosstalk else ''} |")
    print(f"| turns measured (chat + role-play) | {r.turns} |")
    print(f"| app overhead per turn p50 | {r.overhead_p50_ms:.0f} ms |")
    print(f"| app overhead per turn p95 (target <= 50 ms) | {r.overhead_p95_ms:.0f} ms |")
    print(f"| first streamed update p50 | {r.first_token_p50_ms:.0f} ms |")
    print(f"| model time per call (fake) | {r.model_ms_per_call:.2f} ms |")
    print(f"| wall time | {r.wall_s:.1f} s |")
    return 0 if r.completed == r.sessions and not r.crosstalk else 1


if __name__ == "__main__":
    raise SystemExit(main())
