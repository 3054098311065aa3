"""Harden a built app before it is launched: the one call `ui.app.start` makes.

`harden(demo, ...)` returns what `launch()` needs (`auth` and `app_kwargs` with the gate)
and, as it goes, fixes the allocator's threshold (`ui.memory`) and makes the queue let go of
payloads (`ui.payloads`). In multi-user mode it opens the session store in the data home and
forgets the sessions of servers that have stopped (Gradio's login tokens die with them).
docs/security.md describes the whole.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.middleware import Middleware

from coach.config import Settings
from coach.services.sessions import SessionStore, new_run_id
from coach.ui.asgi import MB
from coach.ui.auth import make_auth
from coach.ui.gate import Gate, Guard, Limits
from coach.ui.memory import return_big_buffers
from coach.ui.ownership import Ledger
from coach.ui.payloads import ReleasingQueue
from coach.ui.plain_calls import Endpoints

# Page events and API calls carry text (an entry's description is at most 20,000 characters)
# and, for the Impact log's grid, up to 10,000 rows of it; a 5 MB paste must still reach the
# services to be told it is too long. Files go through the upload route, with its own limit.
CALL_BODY_LIMIT = 8 * MB
UPLOAD_FRAMING = 1 * MB  # multipart boundaries and headers around the files


@dataclass
class Hardened:
    """What `launch()` takes from `harden`."""

    auth: Callable[[str, str], Awaitable[bool]] | None
    app_kwargs: dict[str, Any]
    guard: Guard | None


def _size(text: str) -> int:
    """'20mb' -> bytes (the app's MAX_UPLOAD, in Gradio's notation)."""
    match = re.fullmatch(r"\s*(\d+)\s*(b|kb|mb|gb)\s*", text.lower())
    if not match:
        raise ValueError(f"not a size: {text!r}")
    return int(match[1]) * 1024 ** ("b", "kb", "mb", "gb").index(match[2])


def harden(demo: Any, *, config: Settings, users_file: Path | None, max_upload: str) -> Hardened:
    """Prepare `demo` (its queue made) for a hardened launch.

    Args:
        demo: the built app, after `demo.queue()`.
        config: what the app was started with: its data home (multi-user: the parent of the
            users' homes) and how long a login may stay idle.
        users_file: the accounts file; None for one local user without login.
        max_upload: the largest upload, as given to `launch(max_file_size=...)`.
    """
    import gradio.utils

    return_big_buffers()
    ReleasingQueue.adopt(demo._queue)
    guard = None
    if users_file is not None:
        store = SessionStore(config.home, users_file, idle_hours=config.session_idle_hours)
        guard = Guard(sessions=store, ledger=Ledger(gradio.utils.get_upload_folder()),
                      run=new_run_id())
        store.end_dead_runs()
    demo.coach_guard = guard  # for tests and the bench
    limits = Limits(body=CALL_BODY_LIMIT, upload=_size(max_upload) + UPLOAD_FRAMING)
    gate = Middleware(Gate, endpoints=Endpoints(demo), limits=limits, guard=guard)
    return Hardened(auth=make_auth(users_file) if users_file else None,
                    app_kwargs={"middleware": [gate]}, guard=guard)
