"""Which Gradio route a request goes to, and the names (session hashes, event ids, upload
ids) and file paths it carries: what `ui.gate` checks the ownership of.

Read from gradio 6.31's routes.py (pinned in pyproject.toml). A route this table does not
name is a plain route that needs a login ("api"); tests/test_security_isolation.py tries
each kind with another user's names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

API = "/gradio_api"
# What the login page and a logged-out browser may ask for under /gradio_api.
PUBLIC = frozenset({"theme.css", "user", "login_check", "app_id", "startup-events"})
CLOSED = frozenset({"process_recording", "vibe-edit", "undo-vibe-edit", "vibe-code",
                    "vibe-starter-queries", "profiling", "dev", "run-history", "runs"})


@dataclass
class Route:
    """What a request is, for the checks: its kind and the names it uses."""

    kind: str
    api: str = ""
    claim: list[str] = field(default_factory=list)  # names bound to the caller if unowned
    require: list[str] = field(default_factory=list)  # names that must be the caller's
    file: str | None = None
    body: str = ""  # "json" or "form": read the body before deciding


def classify(method: str, path: str, query: str) -> Route:
    """Name the Gradio route a request goes to (gradio 6.31's routes.py, pinned)."""
    if path.rstrip("/") == "/login" and method == "POST":
        return Route("login", body="form")
    if path.rstrip("/") == "/logout":
        return Route("logout")
    if not path.startswith(API + "/"):
        return Route("page")
    rest = path[len(API) + 1:]
    for prefix in ("file=", "file/"):
        if rest.startswith(prefix):
            return Route("file", file=rest[len(prefix):])
    parts = [part for part in rest.split("/") if part]
    args = parse_qs(query, keep_blank_values=True)

    def arg(name: str) -> list[str]:
        return args.get(name, [])[-1:]  # Starlette keeps the last of a repeated parameter

    first = parts[0] if parts else ""
    post = method == "POST"
    if first == "call" and post and len(parts) == 3 and parts[1] == "v2":
        return Route("call_v2", api=parts[2], body="json")
    if first == "call" and post and len(parts) == 2:
        return Route("call", api=parts[1], body="json")
    if first == "call" and len(parts) >= 3:
        return Route("result", require=[parts[-1]])
    if first in ("run", "api") and post and len(parts) == 2:
        return Route("run", api=parts[1], body="json")
    if parts == ["queue", "join"]:
        return Route("join", body="json")
    if parts == ["queue", "data"]:
        return Route("listen", require=arg("session_hash"))
    if first == "heartbeat" and len(parts) == 2:
        return Route("heartbeat", claim=[parts[1]])
    if first == "cancel":
        return Route("cancel", body="json")
    if first == "stream" and post and len(parts) >= 2:
        return Route("stream_in", require=[parts[1]], body="" if parts[-1] == "close" else "json")
    if first == "stream" and len(parts) >= 2:
        return Route("stream_out", require=[parts[1]])
    if first == "component_server":
        return Route("component", body="json")
    if first == "upload":
        return Route("upload", claim=arg("upload_id"))
    if first == "upload_progress":
        return Route("upload_progress", require=arg("upload_id"))
    if first == "deep_link":
        return Route("deep_link", require=arg("session_hash"))
    if first in CLOSED:
        return Route("closed")
    if first in PUBLIC:
        return Route("public")
    return Route("api")


def names(route: Route, data: Any) -> tuple[list[str], list[str]]:
    """The names a request claims and requires, from its route and its JSON body."""
    claim, require = list(route.claim), list(route.require)
    if isinstance(data, dict):
        session = data.get("session_hash")
        if route.kind == "cancel":
            require += [v for v in (session, data.get("event_id")) if isinstance(v, str)]
        elif route.kind in ("join", "call", "run", "component", "stream_in") and isinstance(
                session, str):
            claim.append(session)
    return claim, require


def file_refs(data: Any) -> list[str]:
    """File paths a request body refers to (Gradio's FileData: a dict with a "path")."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("path"), str):
                found.append(item["path"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
