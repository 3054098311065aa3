"""Drive the page's own events over HTTP, the way the browser does.

The tabs' handlers are not API endpoints (they are private, so `gradio_client` will not
call them), but the page calls them through Gradio's queue: POST `queue/join` with the
event's `fn_index`, then read the result from the `queue/data` event stream. `PageEvents`
does the same, with the login cookie in service mode and file uploads through `upload`.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

API = "gradio_api"


@dataclass
class Outcome:
    """What the page got back: the outputs, or the error it shows (`error`, `title`)."""

    success: bool
    data: list[Any]
    error: str = ""
    title: str = ""
    raw: str = ""  # every message of the event stream, for leak and traceback checks
    message: str = ""  # what the form's message lines show (ui.errors.Messages), as text


class PageEvents:
    """One browser session on a running app.

    Args:
        demo: the app's Blocks (to find an event's fn_index by its handler's name).
        url: where the app serves.
        auth: (username, password) in service mode.
    """

    def __init__(self, demo: Any, url: str, auth: tuple[str, str] | None = None):
        self.demo = demo
        self.url = url.rstrip("/")
        self.http = httpx.Client(timeout=60.0, follow_redirects=True)
        self.session = secrets.token_hex(8)
        if auth:
            resp = self.http.post(f"{self.url}/login",
                                  data={"username": auth[0], "password": auth[1]})
            resp.raise_for_status()

    def close(self) -> None:
        self.http.close()

    def fn_index(self, module: str, name: str) -> int:
        """The id of an event whose handler is `module.name` (e.g. ui.tabs.settings, add_doc)."""
        found = [i for i, block_fn in self.demo.fns.items()
                 if getattr(block_fn.fn, "__name__", "") == name
                 and getattr(block_fn.fn, "__module__", "") == module]
        if not found:  # a handler wired to two triggers (button, Enter) runs the same either way
            raise LookupError(f"no event runs {module}.{name}")
        return found[0]

    def upload(self, path: Path, name: str | None = None) -> dict[str, Any]:
        """Upload a file as the page's file box does, under `name` (default: the file's own);
        returns the FileData to pass to an event."""
        name = name or path.name
        with path.open("rb") as fh:
            resp = self.http.post(f"{self.url}/{API}/upload",
                                  files={"files": (name, fh, "application/octet-stream")})
        resp.raise_for_status()
        return {"path": resp.json()[0], "orig_name": name, "meta": {"_type": "gradio.FileData"}}

    def _lines(self, fn_index: int, data: list[Any]) -> str:
        """The text the event put in its message lines (outputs classed `coach-msg`)."""
        outputs = self.demo.fns[fn_index].outputs
        texts = []
        for block, value in zip(outputs, data, strict=False):
            if "coach-msg" in (getattr(block, "elem_classes", None) or []) and \
                    isinstance(value, dict) and value.get("value"):
                texts.append(html.unescape(re.sub(r"<[^>]+>", "", value["value"])))
        return "\n".join(texts)

    def call(self, module: str, name: str, *inputs: Any) -> Outcome:
        """Run one event with these input values and wait for its last message."""
        body = {"data": list(inputs), "fn_index": self.fn_index(module, name),
                "session_hash": self.session, "event_data": None, "trigger_id": None}
        # As the browser's JSON.stringify does: non-ASCII escaped, a lone half-character too.
        resp = self.http.post(f"{self.url}/{API}/queue/join", content=json.dumps(body).encode(),
                              headers={"content-type": "application/json"})
        resp.raise_for_status()
        event_id = resp.json()["event_id"]
        lines: list[str] = []
        with self.http.stream("GET", f"{self.url}/{API}/queue/data",
                              params={"session_hash": self.session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                lines.append(line)
                message = json.loads(line[5:])
                if message.get("event_id") != event_id or message.get("msg") != "process_completed":
                    continue
                output = message.get("output") or {}
                raw = "\n".join(lines)
                if message.get("success"):
                    data = output.get("data") or []
                    return Outcome(True, data, raw=raw,
                                   message=self._lines(body["fn_index"], data))
                return Outcome(False, [], error=str(output.get("error") or ""),
                               title=str(output.get("title") or ""), raw=raw)
        raise AssertionError(f"the event stream ended without a result for {module}.{name}")
