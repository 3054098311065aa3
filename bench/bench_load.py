"""Concurrent web sessions against the real app and the fast fake model on 127.0.0.1.

    .venv/bin/python -m bench.bench_load [--sessions 20] [--users 5] [--turns 20]
                                         [--seconds 60] [--think 1.0] [--replicas N]
                                         [--profile OUT.pstats]

Method. The app runs in its own process (`bench.load_server`: service mode, logins, one data
home per user, `FakeCoachModel` with no token delay), so nothing here competes with it for
its GIL. Each session is a thread with one keep-alive HTTP connection that speaks Gradio's
plain HTTP protocol to the documented API (ui/API.md): log in (POST /login, cookie), then
POST /gradio_api/call/<name> (with a session hash, as a browser tab has) and read the
event stream of GET .../<name>/<event_id>.

1. Set-up, not measured: every user warms their home (index, first turn); every session
   logs in as its user (several sessions per user), sets the goal, adds an entry carrying
   its own marker and opens a role-play.
2. Measured window: the server's timers are reset, then all sessions alternate a chat turn
   and a role-play turn until `--turns` of each or `--seconds` (a meeting that ends is
   scored and a new one opened), pausing 0.5-1.5 x `--think` seconds before each turn as a
   person reads and types (real people take longer; `--think 0` is a back-to-back stress
   run, where the overhead is mostly waiting for a CPU: it measures capacity instead).
   A turn's total time runs from sending the POST to receiving the `complete` event; its
   model time is measured in the server (see `bench.load_server`) and booked to the marker
   in the turn's text. Overhead = total - model time: everything the app does around the
   model, retrieval in chat included.
   With `--replicas N` (2+), N app processes share one data home, as replicas behind a load
   balancer with sticky sessions do (docs/deploy.md, section 4). The default is one per
   core, as that section advises for a server (`--replicas 1`: a single process). The store is
   the home's SQLite file, the index is on a Chroma server on 127.0.0.1 (a local index
   does not stay fresh across processes), and session i stays on replica i % N, so each
   user's sessions meet on every replica.
3. Checks, after the window: each session sees only its own user's entries and goal, its own
   entry is there, its chat kept one conversation, its role-play transcripts hold only its
   own lines, and no two sessions of a user were handed the same conversation.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.chroma_server import chroma_server
from bench.load_server import MARKER, marker_text

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50.0
START_TIMEOUT_S = 180.0
CALL_TIMEOUT_S = 60.0
IDLE_S = 4.0  # uvicorn closes a keep-alive connection idle for 5 s: reconnect before that


class ApiError(Exception):
    """The app answered a call with an error event or a failed HTTP status."""


class Api:
    """One web session without a browser: a keep-alive connection, a login cookie and a
    session hash.

    The session hash is what a browser tab (and `gradio_client`) sends with every call:
    Gradio builds its per-session state once per hash. Calls without one get a fresh
    session each, which costs the server a copy of every component's config per call.
    """

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CALL_TIMEOUT_S)
        self.cookie = ""
        self.session_hash = secrets.token_hex(8)
        self.params: dict[str, list[tuple[str, object]]] = {}
        self.last_used = time.monotonic()

    def _request(self, method: str, path: str, body: bytes | None = None,
                 content_type: str = "application/json") -> http.client.HTTPResponse:
        if time.monotonic() - self.last_used > IDLE_S:
            self.conn.close()  # the next request opens a fresh connection
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = content_type
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        self.last_used = time.monotonic()
        if resp.status != 200:
            raise ApiError(f"{method} {path}: HTTP {resp.status} {resp.read()[:200]!r}")
        return resp

    def login(self, user: str, password: str) -> None:
        """Log in and read the endpoints' parameter order (the call route takes a list)."""
        form = urllib.parse.urlencode({"username": user, "password": password}).encode()
        resp = self._request("POST", "/login", form, "application/x-www-form-urlencoded")
        resp.read()
        # Over plain HTTP only the "unsecure" twin of Gradio's access-token cookie is sent back.
        cookies = [c.split(";", 1)[0] for c in resp.headers.get_all("set-cookie") or []]
        self.cookie = next(c for c in cookies if c.startswith("access-token-unsecure-"))
        info = json.loads(self._request("GET", "/gradio_api/info").read())
        self.params = {name.lstrip("/"): [(p["parameter_name"], p["parameter_default"])
                                          for p in spec["parameters"]]
                       for name, spec in info["named_endpoints"].items()}

    def call(self, endpoint: str, /, **params) -> dict | list:
        """Call an endpoint and return its final value (streamed updates are read and dropped)."""
        data = [params.get(name, default) for name, default in self.params[endpoint]]
        body = json.dumps({"data": data, "session_hash": self.session_hash}).encode()
        event_id = json.loads(self._request("POST", f"/gradio_api/call/{endpoint}", body)
                              .read())["event_id"]
        resp = self._request("GET", f"/gradio_api/call/{endpoint}/{event_id}")
        event, result, failed = "", None, None
        for raw in resp:  # server-sent events: "event: X", "data: JSON", blank line
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "complete":
                result = json.loads(line[6:])[0]
            elif line.startswith("data: ") and event == "error":
                failed = line[6:]
        self.last_used = time.monotonic()
        if failed is not None or result is None:
            raise ApiError(f"/{endpoint}: {failed or 'no complete event'}"[:300])
        return result


@dataclass
class TimedTurn:
    """One chat or role-play turn as the load test timed it."""

    kind: str  # "chat" or "role-play"
    marker: str
    seconds: float


@dataclass
class Session:
    """One web session of one user, and what it saw."""

    user: str
    index: int
    api: Api
    turns: list[TimedTurn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)
    conversations: set[int] = field(default_factory=set)
    chat_id: int | None = None
    meeting: int | None = None
    ungrounded: int = 0  # chat answers that came without any guide passage

    @property
    def name(self) -> str:
        return f"{self.user}-s{self.index}"

    def set_up(self) -> None:
        self.api.login(self.user, _password(self.user))
        self.api.call("set_profile", current_title="Senior Engineer",
                      target_title="Staff Engineer", transition="ic-to-lead",
                      months_in_role=14, name=self.user, signals=["recent-win"])
        self.api.call("add_entry", title=f"Win {self.name}", metric="cut costs 12%")
        self._open_meeting()

    def _open_meeting(self) -> None:
        opened = self.api.call("roleplay_start", response="not-yet", difficulty="realistic")
        self.meeting = opened["session_id"]
        self.conversations.add(self.meeting)

    def _close_meeting(self) -> None:
        result = self.api.call("roleplay_end", session_id=self.meeting)
        mine = f"{self.name}-r"
        lines = [MARKER.findall(t["text"]) for t in result["transcript"] if t["speaker"] == "you"]
        if any(not found or not all(m.startswith(mine) for m in found) for found in lines):
            self.crosstalk.append(f"meeting {self.meeting} holds another session's line")

    def _timed(self, kind: str, marker: str, endpoint: str, **params) -> dict:
        started = time.perf_counter()
        result = self.api.call(endpoint, **params)
        self.turns.append(TimedTurn(kind, marker, time.perf_counter() - started))
        return result

    def chat_turn(self, n: int) -> None:
        marker = f"{self.name}-c{n}"
        result = self._timed("chat", marker, "chat", conversation_id=self.chat_id,
                             message=f"How do I show next-level work? {marker_text(marker)}")
        self.ungrounded += not result["citations"]
        if self.chat_id is None:
            self.chat_id = result["conversation_id"]
            self.conversations.add(self.chat_id)
        elif result["conversation_id"] != self.chat_id:
            self.crosstalk.append(f"chat moved to conversation {result['conversation_id']}")

    def roleplay_turn(self, n: int) -> None:
        marker = f"{self.name}-r{n}"
        reply = self._timed("role-play", marker, "roleplay_turn", session_id=self.meeting,
                            line=f"I am asking for the Staff role. {marker_text(marker)}")
        if reply["ended"]:
            self._close_meeting()
            self._open_meeting()

    def converse(self, turns: int, deadline: float, think: float = 0.0) -> None:
        """Alternate chat and role-play turns, pausing about `think` seconds before each, as
        a person reads the reply and types (0.5x-1.5x at random, so sessions drift apart)."""
        pause = random.Random(self.index)
        for n in range(turns):
            for turn in (self.chat_turn, self.roleplay_turn):
                time.sleep(think * pause.uniform(0.5, 1.5))
                if time.monotonic() > deadline:
                    return
                turn(n)

    def check(self) -> None:
        self._close_meeting()
        titles = [e["title"] for e in self.api.call("list_entries")]
        foreign = [t for t in titles if not t.startswith(f"Win {self.user}-")]
        if foreign:
            self.crosstalk.append(f"sees other users' entries: {foreign[:3]}")
        if f"Win {self.name}" not in titles:
            self.crosstalk.append("its own entry is missing")
        if self.api.call("get_profile")["name"] != self.user:
            self.crosstalk.append("sees another user's goal")


def _password(user: str) -> str:
    return f"pw-{user}-load"


def _guard(session: Session, step, *args) -> None:
    """Run one phase of a session; a failure is recorded, and the session sits out the rest."""
    if session.errors:
        return
    try:
        step(*args)
    except Exception as exc:  # reported in the table, not raised: the run must finish
        session.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")


class Server:
    """`bench.load_server` in its own process, driven over its stdin/stdout line protocol."""

    def __init__(self, home: Path, users_file: Path, profile: Path | None = None,
                 env: dict[str, str] | None = None):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        cmd = [sys.executable, "-m", "bench.load_server", "--port", str(self.port),
               "--home", str(home), "--users-file", str(users_file)]
        if profile:
            cmd += ["--profile", str(profile)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env={**os.environ, **(env or {})})
        self._expect("ready", START_TIMEOUT_S)

    def _expect(self, word: str, timeout: float) -> str:
        timer = threading.Timer(timeout, self.proc.kill)
        timer.start()
        try:
            for line in self.proc.stdout:
                if line.startswith(word):
                    return line[len(word):].strip()
        finally:
            timer.cancel()
        raise RuntimeError(f"the load server exited (code {self.proc.wait()}) before '{word}'")

    def send(self, command: str, answer: str) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._expect(answer, CALL_TIMEOUT_S)

    def close(self) -> None:
        self.proc.stdin.close()  # the server's signal to stop
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _pct(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class LoadReport:
    sessions: int
    users: int
    completed: int
    errors: list[str]
    crosstalk: list[str]
    overhead_ms: dict[str, list[float]]  # "chat", "role-play" -> one value per turn
    model_ms: float  # median model time per turn
    ungrounded: int
    server_cpu_s: list[float]  # one per app process
    index_cpu_s: float | None  # the Chroma server's, when the replicas share one
    gc: list[dict]  # per app process: collections per generation (see bench.load_server)
    window_s: float
    think_s: float
    load_avg: tuple[float, float]  # the machine's 1-minute load average before and after

    def met(self) -> bool:
        values = self.overhead_ms["all"]
        return bool(values) and _pct(values, 95) <= TARGET_P95_MS

    def ok(self) -> bool:
        return self.completed == self.sessions and not self.crosstalk

    def table(self) -> str:
        turns = len(self.overhead_ms["all"])
        replicas = len(self.server_cpu_s)
        cpu = sum(self.server_cpu_s)
        rows = [
            ("concurrent sessions / users", f"{self.sessions} / {self.users}"),
            ("app processes", "1" if replicas == 1 else
             f"{replicas} (sessions spread round-robin, as a sticky load balancer does; one "
             "data home; the index on a Chroma server on 127.0.0.1)"),
            ("pause before each turn (reading, typing)",
             f"{0.5 * self.think_s:.1f}-{1.5 * self.think_s:.1f} s" if self.think_s else "none"),
            ("sessions completed", f"{self.completed} of {self.sessions}"),
            ("turns completed (chat + role-play)",
             f"{turns} ({len(self.overhead_ms['chat'])} + {len(self.overhead_ms['role-play'])})"
             f" in {self.window_s:.1f} s"),
            ("errors", f"{len(self.errors)} {self.errors[:2] if self.errors else ''}"),
            ("cross-talk findings", f"{len(self.crosstalk)} "
                                    f"{self.crosstalk[:2] if self.crosstalk else ''}"),
            ("chat answers without guide passages", str(self.ungrounded)),
        ]
        for kind in ("chat", "role-play", "all"):
            values = self.overhead_ms[kind]
            rows.append((f"app overhead per turn p50 / p95, {kind}",
                         f"{_pct(values, 50):.1f} / {_pct(values, 95):.1f} ms"))
        rows += [
            ("model time per turn (fake, p50)", f"{self.model_ms:.2f} ms"),
            ("app CPU time in the window",
             f"{cpu:.1f} s ({1000 * cpu / max(1, turns):.1f} ms/turn, "
             f"{100 * cpu / max(self.window_s, 1e-9):.0f}% of one core"
             + (f"; per process {', '.join(f'{c:.1f}' for c in self.server_cpu_s)} s)"
                if replicas > 1 else ")")),
            *([("Chroma server CPU time in the window", f"{self.index_cpu_s:.1f} s")]
              if self.index_cpu_s is not None else []),
            ("garbage collections in the window: full (gen 2) / all", self._gc_summary()),
            ("machine load average (1 min) before / after the run",
             f"{self.load_avg[0]:.1f} / {self.load_avg[1]:.1f} on {os.cpu_count()} cores"),
            (f"target p95 <= {TARGET_P95_MS:.0f} ms", "met" if self.met() else "NOT met"),
        ]
        lines = ["| load (fake model, app in its own processes, 127.0.0.1) | value |",
                 "| --- | --- |"]
        return "\n".join([*lines, *(f"| {k} | {v} |" for k, v in rows)])

    def _gc_summary(self) -> str:
        """A collection holds the GIL: every request in that process waits it out."""
        full = sum(g["count"][2] for g in self.gc)
        longest = max((g["max_ms"][2] for g in self.gc), default=0.0)
        count = sum(sum(g["count"]) for g in self.gc)
        total = sum(sum(g["total_ms"]) for g in self.gc)
        frozen = sum(g["frozen"] for g in self.gc)
        return (f"{full} (longest {longest:.0f} ms) / {count} ({total:.0f} ms in all); "
                f"{frozen:,} objects frozen out of full collections")


def run(sessions: int = 20, users: int = 5, turns: int = 20, seconds: float = 60.0,
        think: float = 1.0, profile: Path | None = None, replicas: int = 1) -> LoadReport:
    from coach.services import users as accounts

    names = [f"user{i}" for i in range(users)]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="coach-load-") as tmp, ExitStack() as stack:
        home = Path(tmp) / "home"
        users_file = home / "users.json"
        for name in names:
            accounts.add_user(users_file, name, _password(name))
        env, index_pid = {}, None
        if replicas > 1:  # one home for all: its index must be shared through a server
            index = stack.enter_context(chroma_server(Path(tmp) / "chroma"))
            env, index_pid = {"COACH_CHROMA_URL": index.url}, index.pid
        servers: list[Server] = []
        for r in range(replicas):
            servers.append(Server(home, users_file, profile if r == 0 else None, env))
            stack.callback(servers[-1].close)
        # Session i belongs to user i % users and stays on replica i % replicas, so a user's
        # sessions meet on every replica (what a sticky load balancer gives).
        every = [Session(names[i % users], i, Api(servers[i % replicas].port))
                 for i in range(sessions)]
        warm = [Session(name, -1 - r, Api(server.port))
                for r, server in enumerate(servers) for name in names]
        with ThreadPoolExecutor(max(sessions, len(warm))) as pool:
            def phase(group, step, *args):
                list(pool.map(lambda s: _guard(s, getattr(s, step), *args), group))

            # Warm-up (first index and context per user), then the sessions' own set-up.
            phase(warm, "set_up")
            phase(warm, "converse", 1, time.monotonic() + seconds)
            phase(every, "set_up")
            for server in servers:
                server.send("reset", "ok")
            index_cpu = _cpu_seconds(index_pid)
            started = time.monotonic()
            phase(every, "converse", turns, started + seconds, think)
            window = time.monotonic() - started
            measured = [json.loads(server.send("report", "report")) for server in servers]
            index_cpu = _cpu_seconds(index_pid) - index_cpu if index_pid else None
            phase(every, "check")
    _cross_session_checks(every)
    model_s = {marker: spent for m in measured for marker, spent in m["model_s"].items()}
    overhead: dict[str, list[float]] = defaultdict(list)
    model = []
    for turn in (t for s in every for t in s.turns):
        spent = model_s.get(turn.marker, 0.0)
        model.append(spent * 1000)
        overhead[turn.kind].append((turn.seconds - spent) * 1000)
        overhead["all"].append((turn.seconds - spent) * 1000)
    return LoadReport(sessions=sessions, users=users,
                      completed=sum(1 for s in every if not s.errors),
                      errors=[f"{s.name}: {e}" for s in (*warm, *every) for e in s.errors],
                      crosstalk=[f"{s.name}: {c}" for s in every for c in s.crosstalk],
                      overhead_ms=overhead, model_ms=_pct(model, 50),
                      ungrounded=sum(s.ungrounded for s in every),
                      server_cpu_s=[m["cpu_s"] for m in measured], index_cpu_s=index_cpu,
                      gc=[m["gc"] for m in measured],
                      window_s=window, think_s=think,
                      load_avg=(load_before, os.getloadavg()[0]))


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cross_session_checks(every: list[Session]) -> None:
    """No two sessions of one user may have been handed the same conversation."""
    owner: dict[tuple[str, int], str] = {}
    for s in every:
        for conv in s.conversations:
            other = owner.setdefault((s.user, conv), s.name)
            if other != s.name:
                s.crosstalk.append(f"conversation {conv} also belongs to {other}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--turns", type=int, default=20, help="chat and role-play turns each")
    parser.add_argument("--seconds", type=float, default=60.0, help="bound on the measured window")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause before each turn, seconds (0: back to back)")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1,
                        help="app processes sharing one data home (2+: with a Chroma server); "
                             "default: one per core, as docs/deploy.md advises")
    parser.add_argument("--profile", type=Path,
                        help="cProfile the (first) server's window into this file")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be 1 or more")
    report = run(args.sessions, args.users, args.turns, args.seconds, args.think, args.profile,
                 args.replicas)
    print(report.table())
    return 0 if report.ok() else 1


if __name__ == "__main__":
    raise SystemExit(main())
