"""A Chroma server on 127.0.0.1 (`chroma run` from this environment), for benches and tests.

Several app processes that share a data home must share its index through a server
(`COACH_CHROMA_URL`): a local index opened by two processes goes stale in the one that did
not write (docs/deploy.md, section 4).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.processes import stop
from coach.llm.local import free_port


class ChromaUnavailable(RuntimeError):
    """The `chroma` command is missing or the server did not start."""


@dataclass(frozen=True)
class ChromaServer:
    url: str
    pid: int


def chroma_binary() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@contextmanager
def chroma_server(data: Path, timeout: float = 30.0) -> Iterator[ChromaServer]:
    """Serve the index folder `data` until the block ends."""
    binary = chroma_binary()
    if binary is None:
        raise ChromaUnavailable("the `chroma` server command is not installed")
    port = free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [binary, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise ChromaUnavailable(f"the Chroma server did not start on {url}") from None
                time.sleep(0.2)
        yield ChromaServer(url, proc.pid)
    finally:
        stop(proc, 10)
