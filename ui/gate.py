"""The web app's front door: an ASGI middleware every request passes before Gradio's routes.

Installed through Gradio's `launch(app_kwargs={"middleware": [...]})` (FastAPI's own
constructor argument), it does what Gradio leaves to the app:

- Request bodies: a body over the limit (`Limits`) is refused with 413 before the app sees
  it, from its Content-Length or, without one, as soon as the bytes received pass the limit.
- Plain HTTP calls: left-out optional parameters get their defaults, a missing required one
  or an unknown endpoint is a clear 4xx (`ui.plain_calls`).
- In multi-user mode (`Guard`): the login cookie must belong to a live session
  (`coach.services.sessions`), logins are throttled (`ui.throttle`), logging out ends every
  session of the account, and each session hash, event id, upload id and served file belongs
  to the user who got it first (`ui.ownership`): anyone else, or nobody, gets 404. Routes
  under /gradio_api need a login unless `ui.routes` lists them as public.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request, cookie_parser

from coach.services.sessions import SessionStore
from coach.ui.asgi import (
    Message,
    Receive,
    Scope,
    Send,
    Started,
    TooLarge,
    capped,
    content_length,
    parse_json,
    read_body,
    refuse_large,
    replay,
    reply,
    with_length,
)
from coach.ui.auth import LOGIN_NOTE, LoginNote
from coach.ui.ownership import Ledger, ResponseWatch
from coach.ui.plain_calls import Endpoints, Refusal
from coach.ui.routes import API, Route, classify, file_refs, names
from coach.ui.throttle import LoginThrottle

LOGIN_BODY_MAX = 64 * 1024
TOKEN_COOKIE = "access-token-"  # Gradio's login cookies: access-token[-unsecure]-<app id>
NOT_FOUND = Refusal(404, "Not Found")  # the same for "not yours" and "no such thing"
NOT_LOGGED_IN = Refusal(401, "Not authenticated: log in first (POST /login).")


@dataclass(frozen=True)
class Limits:
    """Request body limits in bytes."""

    body: int  # every request but uploads
    upload: int  # POST /gradio_api/upload (multipart: the files plus a little framing)


@dataclass
class Guard:
    """The multi-user parts of the gate."""

    sessions: SessionStore
    ledger: Ledger
    run: str  # this server run's id in the session store
    throttle: LoginThrottle = field(default_factory=LoginThrottle)


class Gate:
    """The ASGI middleware (Starlette builds it with the app behind it and these options).

    Args:
        app: the ASGI app behind the gate.
        endpoints: the app's endpoints, for plain calls.
        limits: request body limits.
        guard: the multi-user checks (None: one local user, no login).
    """

    def __init__(self, app: Callable, *, endpoints: Endpoints, limits: Limits,
                 guard: Guard | None = None):
        self.app = app
        self.endpoints = endpoints
        self.limits = limits
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.upload if scope["path"].rstrip("/") == API + "/upload" else \
            self.limits.body
        sent = Started(send)
        length = content_length(scope)
        if length is not None and length > limit:
            await refuse_large(sent, limit)
            return
        try:
            await self._handle(scope, capped(receive, limit), sent)
        except* TooLarge:
            if not sent.started:
                await refuse_large(sent, limit)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = classify(scope["method"], scope["path"], scope.get("query_string", b"").decode(
            "latin-1"))
        user = None
        if self.guard is not None:
            scope, user = self._identify(scope)
        body = b""
        if route.body and route.kind != "login":
            body = await read_body(receive)
            receive = replay(body, receive)
        if self.guard is not None and route.kind == "login":
            await self._login(scope, receive, send)
            return
        data = await parse_json(body) if route.body == "json" else None
        refusal = self._check(route, data, user)
        if refusal is not None:
            await reply(send, refusal)
            return
        given = _arg_count(data)
        refusal = self._complete(route, data)
        if refusal is not None:
            await reply(send, refusal)
            return
        if _arg_count(data) != given:  # defaults were filled in: Gradio reads the new body
            body = json.dumps(data).encode()
            scope = with_length(scope, len(body))
            receive = replay(body, receive)
        if self.guard is not None and user is not None:
            self._claim(route, data, user)
            if route.kind == "logout":
                self.guard.sessions.end_user(user)
            send = ResponseWatch(send, self.guard.ledger, user,
                                 events=route.kind in ("join", "call", "call_v2"))
        await self.app(scope, receive, send)

    # -- who is asking ---------------------------------------------------------------------------
    def _identify(self, scope: Scope) -> tuple[Scope, str | None]:
        """The user of the request's login cookie; the cookie header Gradio sees keeps only
        cookies of live sessions of that one user."""
        assert self.guard is not None
        raw = "; ".join(value.decode("latin-1") for key, value in scope["headers"]
                        if key == b"cookie")
        cookies = cookie_parser(raw) if raw else {}
        kept: dict[str, str] = {}
        owners: set[str] = set()
        checked: dict[str, str | None] = {}
        for name, value in cookies.items():
            if not name.startswith(TOKEN_COOKIE):
                continue
            if value not in checked:
                checked[value] = self.guard.sessions.check(value)
            if (owner := checked[value]) is not None:
                kept[name] = value
                owners.add(owner)
        if len(owners) != 1:
            kept = {}
        headers = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
        if kept:
            headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in kept.items()).encode(
                "latin-1")))
        return {**scope, "headers": headers}, (owners.pop() if kept else None)

    # -- checks --------------------------------------------------------------------------------
    def _check(self, route: Route, data: Any, user: str | None) -> Refusal | None:
        """Ownership (404) and login (401) in multi-user mode."""
        guard = self.guard
        if guard is None or route.kind in ("page", "public", "logout"):
            return None
        ledger = guard.ledger
        claim, require = names(route, data)
        if any(not ledger.owns(name, user) for name in require):
            return NOT_FOUND
        if any(ledger.owner(name) not in (None, user) for name in claim):
            return NOT_FOUND
        if route.file is not None and not ledger.may_read(route.file, user):
            return NOT_FOUND
        if route.kind == "closed" or (route.kind == "component" and not isinstance(data, dict)):
            return NOT_FOUND  # unused here; a multipart component call would hide its session
        if user is None:
            return NOT_LOGGED_IN
        if data is not None and any(not ledger.may_read(path, user) for path in file_refs(data)):
            return NOT_FOUND
        return None

    def _complete(self, route: Route, data: Any) -> Refusal | None:
        if not isinstance(data, dict):
            return None
        if route.kind in ("call", "run"):
            return self.endpoints.complete_positional(route.api, data)
        if route.kind == "call_v2":
            return self.endpoints.complete_named(route.api, data)
        if route.kind == "join":
            return self.endpoints.check_index(data)
        return None

    def _claim(self, route: Route, data: Any, user: str) -> None:
        assert self.guard is not None
        claim, _ = names(route, data)
        for name in claim:
            self.guard.ledger.claim(name, user)

    # -- login ---------------------------------------------------------------------------------
    async def _login(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.guard is not None
        throttle = self.guard.throttle
        address = (scope.get("client") or ("", 0))[0]
        if await _too_many(send, throttle.retry_after(None, address)):
            return  # before reading the form: a locked-out guesser costs next to nothing
        try:
            body = await read_body(capped(receive, LOGIN_BODY_MAX))
        except TooLarge:
            await reply(send, Refusal(413, "the login form is too large"))
            return
        username = (await _form_field(scope, body, receive, "username")).strip()
        account = username.lower()[:128]
        if await _too_many(send, throttle.retry_after(account, address)):
            return
        note = LoginNote()
        token = LOGIN_NOTE.set(note)
        guard = self.guard

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = message["status"]
                cookies = _set_cookies(message["headers"])
                if status == 200 and note.stamp and cookies:
                    for value in set(cookies.values()):
                        guard.sessions.open(value, username, note.stamp, run=guard.run,
                                            address=address)
                    throttle.succeeded(account)
                elif status in (400, 401):
                    throttle.failed(account, address)
            await send(message)

        try:
            await self.app(scope, replay(body, receive), watched)
        finally:
            LOGIN_NOTE.reset(token)


async def _too_many(send: Send, wait: int) -> bool:
    if wait:
        await reply(send, Refusal(429, f"too many failed logins: try again in {wait} s"),
                    headers=[(b"retry-after", str(wait).encode())])
    return bool(wait)


async def _form_field(scope: Scope, body: bytes, receive: Receive, name: str) -> str:
    """One field of a login form, read as FastAPI's form parsing reads it."""
    ctype = dict(scope["headers"]).get(b"content-type", b"")
    if ctype.startswith(b"application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).get(name)
        return values[-1] if values else ""
    form = await Request(scope, replay(body, receive)).form()
    return str(form.get(name) or "")


def _arg_count(data: Any) -> int:
    args = data.get("data") if isinstance(data, dict) else None
    return len(args) if isinstance(args, list) else -1


def _set_cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Gradio's login cookies in a response: {cookie name: token}."""
    found = {}
    for key, value in headers:
        if key.lower() == b"set-cookie":
            pair = value.decode("latin-1").split(";", 1)[0]
            name, _, token = pair.partition("=")
            if name.strip().startswith(TOKEN_COOKIE) and token.strip():
                found[name.strip()] = token.strip()
    return found


