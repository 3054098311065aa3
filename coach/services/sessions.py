"""Login sessions of the multi-user web service, kept where the `coach` command can reach them.

The web app issues a cookie at each login; this store keeps one row per cookie in the data
home (`sessions.db`, SQLite in WAL mode), so `coach users sessions` and `coach users logout`
work on a running server's sessions from another process. A session is valid while:

- its row exists (logging out or `coach users logout` deletes every row of that account);
- it was used within the idle limit (`COACH_SESSION_IDLE_HOURS`);
- its account is still in the users file with the password it logged in with (each row keeps
  the account's credential stamp: `coach users rm` or `add --replace` change it);
- the server that issued it still runs (Gradio keeps its login tokens in memory).

Only a hash of each cookie is stored, never the cookie itself.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.services import users

SESSIONS_FILE = "sessions.db"
TOUCH_S = 60.0  # last-seen is written at most once a minute per session (idle limits are hours)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    stamp TEXT NOT NULL,
    run TEXT NOT NULL,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);
"""


class SessionInfo(BaseModel):
    """One open login, as `coach users sessions` shows it (never the cookie)."""

    id: str = Field(..., description="The first 12 hex digits of the cookie's hash.")
    username: str
    created: float = Field(..., description="Unix time of the login.")
    last_seen: float = Field(..., description="Unix time of the last request (to a minute).")
    address: str = Field("", description="The client address that logged in.")


def sessions_path(home: Path) -> Path:
    return Path(home) / SESSIONS_FILE


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class _Stamps:
    """The users file's credential stamps, re-read only when the file changes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._seen: tuple[int, int, int] | None = None
        self._stamps: dict[str, str] = {}

    def get(self) -> dict[str, str]:
        try:
            st = os.stat(self.path)
            key = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            return {}
        if key != self._seen:
            self._stamps = users.credential_stamps(self.path)
            self._seen = key
        return self._stamps


class SessionStore:
    """The sessions of one data home.

    Args:
        home: the data home (the service's base home).
        users_file: the accounts file the sessions must still match.
        idle_hours: how long a session lasts without a request.
        clock: wall-clock time (tests move it forward).
    """

    def __init__(self, home: Path, users_file: Path, *, idle_hours: float,
                 clock: Callable[[], float] = time.time):
        self.path = sessions_path(home)
        self.idle_s = idle_hours * 3600.0
        self.clock = clock
        self._stamps = _Stamps(users_file)
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=5.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CoachError(f"cannot open the session store {self.path}: {exc}",
                             hint="Check that the data home is writable.") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def open(self, token: str, username: str, stamp: str, *, run: str, address: str = "") -> None:
        """Record a login that the web app has just issued `token` for."""
        now = self.clock()
        self._run("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (_token_hash(token), users.normalise_username(username), stamp, run, now, now,
                   address[:64]))

    def check(self, token: str) -> str | None:
        """The (normalised) username of a valid session, else None; an invalid one is deleted."""
        key = _token_hash(token)
        rows = self._run("SELECT username, stamp, last_seen FROM sessions WHERE token_hash = ?",
                         (key,))
        if not rows:
            return None
        username, stamp, last_seen = rows[0]
        now = self.clock()
        if now - last_seen > self.idle_s or self._stamps.get().get(username) != stamp:
            self._forget(key)
            return None
        if now - last_seen >= min(TOUCH_S, self.idle_s / 4):
            self._run("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, key))
        return username

    def _forget(self, key: str) -> None:
        self._run("DELETE FROM sessions WHERE token_hash = ?", (key,))

    def end(self, token: str) -> None:
        """End one session (its cookie stops working at once)."""
        self._forget(_token_hash(token))

    def end_user(self, username: str) -> int:
        """End every session of one account; returns how many there were."""
        name = users.normalise_username(username)
        with self._lock:
            count = self._db.execute("DELETE FROM sessions WHERE username = ?", (name,)).rowcount
        return count

    def end_dead_runs(self) -> int:
        """Forget the sessions of servers of this machine that have stopped: their login
        tokens died with them. (Replicas sharing the data home keep theirs.)"""
        runs = [run for (run,) in self._run("SELECT DISTINCT run FROM sessions")]
        dead = [run for run in runs if not _run_alive(run)]
        for run in dead:
            self._run("DELETE FROM sessions WHERE run = ?", (run,))
        return len(dead)

    def prune(self) -> int:
        """Delete sessions that are idle too long or whose account or password changed."""
        stamps = self._stamps.get()
        cutoff = self.clock() - self.idle_s
        rows = self._run("SELECT token_hash, username, stamp, last_seen FROM sessions")
        stale = [key for key, name, stamp, seen in rows if seen < cutoff or stamps.get(name) != stamp]
        for key in stale:
            self._forget(key)
        return len(stale)

    def list(self, username: str | None = None) -> list[SessionInfo]:
        """The valid sessions, of one account or of all, oldest first."""
        self.end_dead_runs()
        self.prune()
        if username:
            rows = self._run("SELECT token_hash, username, created, last_seen, address FROM "
                             "sessions WHERE username = ? ORDER BY created",
                             (users.normalise_username(username),))
        else:
            rows = self._run("SELECT token_hash, username, created, last_seen, address FROM "
                             "sessions ORDER BY created")
        return [SessionInfo(id=key[:12], username=name, created=created, last_seen=seen,
                            address=address) for key, name, created, seen, address in rows]


def new_run_id() -> str:
    """A name for one server run: this machine, this process, and a random part."""
    return f"{socket.gethostname()}/{os.getpid()}/{secrets.token_hex(4)}"


def _run_alive(run: str) -> bool:
    """False only for a run of this machine whose process is gone."""
    host, _, rest = run.partition("/")
    pid = rest.partition("/")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, someone else's
        return True
    return True
