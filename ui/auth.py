"""Login for the multi-user service: Gradio's `auth=` callable over the users file.

The file is re-read at each login, so `coach users add/rm` take effect without a restart.
Nothing here logs or returns the password.

The callable is a coroutine (Gradio awaits it): the scrypt check (about 50 ms of CPU) runs in
a worker thread, one at a time, so password guessing never holds the event loop that serves
everybody else. It reports the account's credential stamp to the login's `LoginNote`, which
`ui.gate` sets before the request reaches Gradio and reads when the cookie comes back.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from coach.services import users

HASHING_AT_ONCE = 1  # scrypt is CPU-bound: more at once only queue on the same cores


@dataclass
class LoginNote:
    """What the password check found, for the gate that watches this login."""

    stamp: str | None = None


LOGIN_NOTE: contextvars.ContextVar[LoginNote | None] = contextvars.ContextVar(
    "coach_login_note", default=None)


def make_auth(users_file: Path | str) -> Callable[[str, str], Awaitable[bool]]:
    path = Path(users_file)
    slots: list[asyncio.Semaphore] = []  # made on first use, inside the server's event loop

    async def check(username: str, password: str) -> bool:
        if not slots:
            slots.append(asyncio.Semaphore(HASHING_AT_ONCE))
        async with slots[0]:
            stamp = await asyncio.to_thread(users.authenticate, path, username, password)
        note = LOGIN_NOTE.get()
        if note is not None:
            note.stamp = stamp
        return stamp is not None

    return check
