"""ASGI plumbing for `ui.gate`: request bodies read under a limit and replayed, short answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from coach.ui.plain_calls import Refusal

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MB = 1024 * 1024
PARSE_IN_THREAD = 256 * 1024  # bigger JSON bodies are parsed off the event loop


class TooLarge(Exception):
    """The request body passed its limit while being read."""


class Started:
    """`send`, remembering whether the response has begun."""

    def __init__(self, send: Send):
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


def content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def with_length(scope: Scope, length: int) -> Scope:
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
    return {**scope, "headers": [*headers, (b"content-length", str(length).encode())]}


def capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return counted


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """`receive` that gives the body already read, then waits on the client (disconnects)."""
    done = False

    async def replayed() -> Message:
        nonlocal done
        if not done:
            done = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def parse_json(body: bytes) -> Any:
    """The body as the route will read it (`json.loads`, as Starlette does); None if it is not
    JSON. Big bodies are parsed in a thread: the event loop serves everybody."""
    try:
        if len(body) > PARSE_IN_THREAD:
            return await asyncio.to_thread(json.loads, body)
        return json.loads(body) if body else None
    except ValueError:
        return None


async def refuse_large(send: Send, limit: int) -> None:
    # uvicorn reads and drops what is left of the body once the answer is sent, so the client
    # gets its 413 and the connection stays usable.
    await reply(send, Refusal(413, f"the request is larger than this app accepts "
                                   f"({limit // MB} MB)"))


async def reply(send: Send, refusal: Refusal,
                headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": refusal.detail}).encode()
    await send({"type": "http.response.start", "status": refusal.status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
