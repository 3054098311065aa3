"""Who owns what in the multi-user app: session hashes, event ids, upload ids and served files.

Gradio keys a page's state, its queue messages and its streams by a session hash the client
picks, and a queued call's result by an event id; any logged-in user who names one gets what
it holds. The ledger binds each such name to the first user who uses it (a session hash the
moment it is sent, an event id the moment the server hands it out), and each file the server
sends a user (an export, an upload) to that user: `ResponseWatch` reads the JSON answers and
event streams on their way out. `ui.gate` refuses everything else with 404.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

MAX_NAMES = 100_000  # about 15 MB at most; the least recently used are forgotten first
MAX_FILES = 100_000


class Ledger:
    """Owners of names (session hashes, event ids, upload ids) and of files under `files_root`.

    Args:
        files_root: the folder Gradio keeps uploads and served outputs in.
    """

    def __init__(self, files_root: Path | str):
        self.files_root = os.path.abspath(str(files_root))
        # Compared after resolving links: Gradio serves a path if its real location is inside.
        self._real_root = os.path.realpath(self.files_root)
        self._names: OrderedDict[str, str] = OrderedDict()
        self._files: OrderedDict[str, set[str]] = OrderedDict()

    # -- names ---------------------------------------------------------------------------------
    def owner(self, name: str) -> str | None:
        return self._names.get(name)

    def claim(self, name: str, user: str) -> bool:
        """Bind an unowned name to `user`; True when `user` owns it now."""
        owner = self._names.get(name)
        if owner is None:
            self._names[name] = owner = user
            while len(self._names) > MAX_NAMES:
                self._names.popitem(last=False)
        else:
            self._names.move_to_end(name)
        return owner == user

    def owns(self, name: str, user: str | None) -> bool:
        owner = self._names.get(name)
        if owner is not None:
            self._names.move_to_end(name)
        return owner is not None and owner == user

    # -- files ---------------------------------------------------------------------------------
    def guarded(self, path: str) -> str | None:
        """The normalised path when it lies under `files_root` (so needs an owner), else None."""
        full = os.path.realpath(path)
        if full == self._real_root or full.startswith(self._real_root + os.sep):
            return full
        return None

    def give_file(self, path: str, user: str) -> None:
        full = self.guarded(path)
        if full is None:
            return
        owners = self._files.setdefault(full, set())
        owners.add(user)
        self._files.move_to_end(full)
        while len(self._files) > MAX_FILES:
            self._files.popitem(last=False)

    def may_read(self, path: str, user: str | None) -> bool:
        """True for a path outside `files_root`, or one the server has sent to `user`."""
        full = self.guarded(path)
        return full is None or (user is not None and user in self._files.get(full, ()))


class ResponseWatch:
    """`send` for a logged-in user: each event id handed out and each file path sent becomes
    theirs (JSON answers and event streams are read; files and pages are not)."""

    def __init__(self, send: Any, ledger: Ledger, user: str, *, events: bool):
        self.send, self.ledger, self.user, self.events = send, ledger, user, events
        self.root = ledger.files_root.encode()  # as Gradio writes it in the paths it sends
        self.mode = ""
        self.parts: list[bytes] = []
        self.tail = b""

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            ctype = dict(message.get("headers") or []).get(b"content-type", b"")
            self.mode = ("sse" if ctype.startswith(b"text/event-stream") else
                         "json" if ctype.startswith(b"application/json") else "")
        elif message["type"] == "http.response.body" and self.mode:
            self._feed(message.get("body", b""), bool(message.get("more_body")))
        await self.send(message)

    def _feed(self, chunk: bytes, more: bool) -> None:
        if self.mode == "sse":
            lines = (self.tail + chunk).split(b"\n")
            self.tail = lines.pop()
            for line in lines:
                if line.startswith(b"data:") and self.root in line:
                    self._take(line[5:])
            return
        self.parts.append(chunk)
        if more:
            return
        whole = b"".join(self.parts)
        self.parts = []
        if self.events or self.root in whole:
            self._take(whole)

    def _take(self, raw: bytes) -> None:
        try:
            value = json.loads(raw)
        except ValueError:
            return
        if self.events and isinstance(value, dict) and isinstance(value.get("event_id"), str):
            self.ledger.claim(value["event_id"], self.user)
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                if "/file=" in item:
                    item = unquote(item.split("/file=", 1)[1])
                self.ledger.give_file(item, self.user)
