"""The embedded default model `local`: a llama.cpp server in a child process, started on demand.

One server per weights folder, shared by every `coach` process on the machine: the first
one to need it joins the weights (once), starts `coach.llm.local_server` on a free
127.0.0.1 port and writes a state file (pid, port, weights sha); later processes read it,
check the pid and `/health`, and reuse the loaded model instead of loading 1.9 GB again.
The server exits by itself after a stretch without requests; `coach models stop` ends it
now; an app session that started it stops it at exit.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.llm.weights import (
    MODEL_NAME,
    MODEL_SHA256,
    WeightsStatus,
    ensure_weights,
    file_lock,
    models_dir,
    weights_status,
)

CTX = 4096
START_DEADLINE_S = 180.0  # loading takes 2-6 s idle; much longer when the 2 cores are busy
SERVER_MODULE = "coach.llm.local_server"


@dataclass(frozen=True)
class ServerInfo:
    """A running local server, as recorded in the state file."""

    pid: int
    port: int
    sha256: str
    started_at: float
    log: str = ""

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base, as LiteLLM's `api_base` wants it."""
        return f"http://127.0.0.1:{self.port}/v1"


@dataclass(frozen=True)
class LocalStatus:
    """What `coach models` shows for `local`, found without loading anything."""

    model: str
    weights: WeightsStatus
    server: ServerInfo | None
    healthy: bool


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _is_our_server(pid: int) -> bool:
    """Alive, and really our server (a pid can be reused by an unrelated process)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True  # no /proc (not Linux): trust the signal check
    if "\nState:\tZ" in status:
        return False
    return SERVER_MODULE.encode() in cmdline


def health(port: int, timeout: float = 2.0) -> bool:
    """True when the server answers `/health` with 200 (503 means still loading)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


class LocalServer:
    """Start, find, share and stop the embedded model's server for one weights folder."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.folder = models_dir(settings)
        self.state_file = self.folder / "server.json"
        self.log_file = settings.home / "logs" / "local-model.log"
        self._lock = threading.Lock()
        self._info: ServerInfo | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._atexit_registered = False

    # -- looking -----------------------------------------------------------------------------
    @property
    def started_here(self) -> bool:
        """True if this process started the server that is still running."""
        return self._proc is not None and self._proc.poll() is None

    def read_state(self) -> ServerInfo | None:
        try:
            data = json.loads(self.state_file.read_text())
            return ServerInfo(**data)
        except (OSError, ValueError, TypeError):
            return None

    def running(self) -> ServerInfo | None:
        """The live server from the state file, if its process is ours and alive (no HTTP)."""
        info = self.read_state()
        if info and info.sha256 == MODEL_SHA256 and _is_our_server(info.pid):
            return info
        return None

    def status(self, check: bool = True) -> LocalStatus:
        info = self.running()
        return LocalStatus(model=MODEL_NAME, weights=weights_status(self.settings), server=info,
                           healthy=bool(info and check and health(info.port)))

    # -- starting ----------------------------------------------------------------------------
    def base_url(self) -> str:
        """The server's OpenAI base URL, starting it first if nothing is running."""
        return self.ensure().base_url

    def ensure(self, *, stop_at_exit: bool = False,
               deadline_s: float = START_DEADLINE_S) -> ServerInfo:
        """Return a healthy server: this process's, another process's, or a new one.

        Args:
            stop_at_exit: stop the server when this process exits, if this process started
                it (an app session); a CLI call leaves it for the next call and the idle timer.
            deadline_s: how long loading may take before giving up.

        Raises:
            CoachError: weights missing or corrupt, or the server did not come up in time.
        """
        with self._lock:
            if stop_at_exit and not self._atexit_registered:
                # Only stops what this process started (see stop_if_owner).
                atexit.register(self.stop_if_owner)
                self._atexit_registered = True
            if self._info and _is_our_server(self._info.pid):
                return self._info
            with file_lock(self.folder / ".server.lock"):
                info = self.running()
                if info and self._wait_healthy(info, min(deadline_s, 60.0), None):
                    self._info = info
                    return info
                if info:  # alive but never became healthy: replace it
                    self._terminate(info.pid)
                self._info = self._start(deadline_s)
            return self._info

    def _start(self, deadline_s: float) -> ServerInfo:
        weights = ensure_weights(self.settings)
        port = free_port()
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", SERVER_MODULE, "--model", str(weights), "--port", str(port),
               "--ctx", str(CTX), "--threads", str(self.settings.local_threads),
               "--poll", str(self.settings.local_poll),
               "--idle-timeout", str(self.settings.local_idle_minutes * 60)]
        with self.log_file.open("ab") as log:
            log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} start port {port}\n".encode())
            # A session of its own: Ctrl-C in the terminal stops the command, not the model
            # another process may be using.
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          start_new_session=True, close_fds=True)
        info = ServerInfo(pid=self._proc.pid, port=port, sha256=MODEL_SHA256,
                          started_at=time.time(), log=str(self.log_file))
        if not self._wait_healthy(info, deadline_s, self._proc):
            code = self._proc.poll()
            self._terminate(info.pid)
            why = (f"it exited with code {code}" if code is not None
                   else f"it was not ready after {deadline_s:.0f} s")
            raise CoachError(f"the embedded model could not start: {why}.",
                             hint=f"See the log at {self.log_file}; last lines: "
                                  f"{self._log_tail()!r}")
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(info)))
        os.replace(tmp, self.state_file)
        return info

    def _wait_healthy(self, info: ServerInfo, deadline_s: float,
                      proc: subprocess.Popen[bytes] | None) -> bool:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            if proc is not None and proc.poll() is not None:
                return False
            if proc is None and not _is_our_server(info.pid):
                return False
            if health(info.port, timeout=1.0):
                return True
            time.sleep(0.2)
        return False

    def _log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_file.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(text[-lines:])[-400:]

    # -- stopping ----------------------------------------------------------------------------
    def stop(self) -> bool:
        """Stop the running server, whoever started it. True if one was running."""
        with self._lock:
            with file_lock(self.folder / ".server.lock"):
                info = self.running()
                self.state_file.unlink(missing_ok=True)
                self._info = None
                if info is None:
                    return False
                self._terminate(info.pid)
                return True

    def stop_if_owner(self) -> None:
        """At exit of an app session: stop the server only if this process started it."""
        if self.started_here:
            try:
                self.stop()
            except Exception:  # exiting anyway; a leftover server still has its idle timer
                pass

    def _terminate(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        end = time.monotonic() + 10
        while time.monotonic() < end:
            if self._proc is not None and self._proc.pid == pid and self._proc.poll() is not None:
                return
            if not _is_our_server(pid):
                return
            time.sleep(0.1)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._proc is not None and self._proc.pid == pid:
            self._proc.wait(timeout=5)


_servers: dict[Path, LocalServer] = {}
_servers_lock = threading.Lock()


def local_server(settings: Settings) -> LocalServer:
    """The process-wide manager for this settings' weights folder (one per folder)."""
    folder = models_dir(settings).resolve()
    with _servers_lock:
        if folder not in _servers:
            _servers[folder] = LocalServer(settings)
        return _servers[folder]
