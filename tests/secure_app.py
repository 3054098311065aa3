"""A multi-user app for the security suite: served in-process on a free 127.0.0.1 port with a
fast scripted model, its users in a users file, and ways in as each of them: plain HTTP
(httpx, with the login cookie), `gradio_client`, and the page's own events.

Only public faces are used (HTTP, the `coach` command, `coach.ui.app.start`), so the suite
runs unchanged against a build without the protections and shows what each one closes.
"""

from __future__ import annotations

import io
import json
import secrets
import sys
import threading
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

API = "/gradio_api"


def password(name: str) -> str:
    return f"{name} password 123"


class SecureApp:
    """The app, its users file and its data home.

    Args:
        home: the data home (users' homes go under it).
        names: the accounts to create.
    """

    def __init__(self, home: Path, names: tuple[str, ...]):
        from coach.llm.local import free_port
        from coach.services import users
        from coach.testing import FakeCoachModel
        from coach.ui.app import start

        self.home = Path(home)
        self.users_file = self.home / "users.json"
        self.home.mkdir(parents=True, exist_ok=True)
        for name in names:
            users.add_user(self.users_file, name, password(name))
        self.server = start(base_home=self.home, port=free_port(), llm=FakeCoachModel(),
                            users_file=self.users_file, warm_index=False)
        self.url = self.server.url.rstrip("/")
        self.demo = self.server.demo

    def close(self) -> None:
        self.server.close()

    # -- ways in -------------------------------------------------------------------------------
    def http(self, *, source: str | None = None) -> httpx.Client:
        """A client with no login (from `source`, another loopback address, if given)."""
        transport = httpx.HTTPTransport(local_address=source) if source else None
        return httpx.Client(base_url=self.url, timeout=60.0, transport=transport)

    def login(self, name: str, secret: str | None = None, *,
              source: str | None = None) -> httpx.Client:
        """A client logged in as `name` (the login must succeed)."""
        client = self.http(source=source)
        resp = client.post("/login", data={"username": name, "password": secret or password(
            name.lower())})
        assert resp.status_code == 200, resp.text
        return client

    def gradio_client(self, name: str):
        from gradio_client import Client

        return Client(self.url + "/", verbose=False, auth=(name, password(name)))

    def page(self, name: str):
        from tests.webui import PageEvents

        return PageEvents(self.demo, self.url + "/", auth=(name, password(name)))

    def coach(self, *argv: str, stdin: str = "") -> tuple[int, str]:
        """Run `coach` on this app's users file and data home; returns (exit code, output)."""
        from coach.cli.main import main

        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = main(["--home", str(self.home), *argv[:2], "--file",
                             str(self.users_file), *argv[2:]])
        finally:
            sys.stdin = old_stdin
        return code, out.getvalue() + err.getvalue()


# -- calls -------------------------------------------------------------------------------------
def call(client: httpx.Client, endpoint: str, *args: Any, session: str | None = None) -> str:
    """POST /call/<endpoint>; returns the event id (the call must be accepted)."""
    body: dict[str, Any] = {"data": list(args)}
    if session:
        body["session_hash"] = session
    resp = client.post(f"{API}/call/{endpoint}", json=body)
    assert resp.status_code == 200, resp.text
    return resp.json()["event_id"]


@dataclass
class Reply:
    """An answer read to its end, or for at most `STREAM_S` (an event stream that never ends
    is what some refused requests got before: the suite must not hang on them)."""

    status_code: int
    content: bytes
    headers: httpx.Headers

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


STREAM_S = 10.0


def fetch(client: httpx.Client, method: str, url: str, **kwargs: Any) -> Reply:
    """A request whose answer is read for at most STREAM_S."""
    chunks: list[bytes] = []
    with client.stream(method, url, **kwargs) as resp:
        timer = threading.Timer(STREAM_S, resp.close)
        timer.start()
        try:
            for chunk in resp.iter_bytes():
                chunks.append(chunk)
        except (httpx.HTTPError, RuntimeError):  # closed at the deadline
            pass
        finally:
            timer.cancel()
        return Reply(resp.status_code, b"".join(chunks), resp.headers)


def result(client: httpx.Client, endpoint: str, event_id: str) -> Reply:
    """GET the event stream of a call (the whole of it)."""
    return fetch(client, "GET", f"{API}/call/{endpoint}/{event_id}")


def final_data(resp: Reply) -> Any:
    """The data of a call's `complete` event."""
    assert resp.status_code == 200, resp.text
    assert "event: complete" in resp.text, resp.text[:500]
    line = resp.text.split("event: complete\ndata:", 1)[1].split("\n", 1)[0]
    return json.loads(line)


def works(client: httpx.Client) -> int:
    """The status of a trivial call made with this client's cookie (200 while logged in)."""
    return client.post(f"{API}/call/list_entries", json={"data": []}).status_code


def new_session() -> str:
    return secrets.token_hex(8)


def join(client: httpx.Client, fn_index: int, data: list, session: str) -> str:
    """Queue a page event as the browser does (POST queue/join); returns its event id."""
    resp = client.post(f"{API}/queue/join", json={"data": data, "fn_index": fn_index,
                                                   "session_hash": session})
    assert resp.status_code == 200, resp.text
    return resp.json()["event_id"]


def listen(client: httpx.Client, session: str) -> Reply:
    """Read a session's event stream (GET queue/data) until the server closes it."""
    return fetch(client, "GET", f"{API}/queue/data", params={"session_hash": session})
