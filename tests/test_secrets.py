"""API keys and passwords never appear in logs, recordings, exports, error messages or the page.

A hosted-style model is configured the way a user does it (COACH_MODEL, COACH_API_BASE and
the provider's key variable) and aimed at the fault server, which fails every call with an
error body that echoes the key back, as some providers and proxies do. Then everything the
app writes or shows is searched for the key and for the user's password: the call log and
every other file in the data home (the database, the logs), CLI output and errors, the API's
responses, the page, every export (log json/csv/md, proposal md/docx, .eml, backup archive).
"""

from __future__ import annotations

import email
import io
import json
import re
import tarfile
import zipfile
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.services import users
from coach.services.context import Context
from tests.faultserver import Behaviour, FaultServer

# Not key-shaped on purpose: only knowing which variables hold secrets can hide it.
KEY = "cc-canary-7f3a9c2e41d8b6f0a5"
PASSWORD = "canary horse battery 4817"
SECRETS = (KEY.encode(), PASSWORD.encode())
SCRIPT = "Thanks for making the time today.\nI led the payments migration and cut p95 40%.\n"
ROOT = Path(__file__).resolve().parents[1]


def echoing(code: int, what: str) -> Behaviour:
    """A provider error whose body repeats the key and the bearer header it was sent."""
    headers = {"Retry-After": "0"} if code == 429 else {}
    message = f"{what}: Incorrect API key provided: {KEY}. Authorization: Bearer {KEY}"
    return Behaviour("status", status=code, headers=headers,
                     body={"error": {"message": message, "type": "invalid_request_error",
                                     "param": None, "code": None}})


# The default answer to every call, plus the faults that put provider text in our messages.
REJECTED = echoing(401, "unauthorised")
REFUSED = echoing(400, "bad request")
LIMITED = echoing(429, "rate limited")


def leaks(data: bytes, where: str) -> list[str]:
    """Where a secret shows in `data`, looking inside archives, documents and emails."""
    found = [f"{where}: {s.decode()[:9]}..." for s in SECRETS if s in data]
    if where.endswith((".docx", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                found += leaks(archive.read(name), f"{where}!{name}")
    elif where.endswith((".tar.gz", ".tgz")):
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile():
                    found += leaks(archive.extractfile(member).read(), f"{where}!{member.name}")
    elif where.endswith(".eml"):  # bodies may be base64 or quoted-printable
        for part in email.message_from_bytes(data).walk():
            payload = part.get_payload(decode=True)
            if payload:
                found += leaks(payload, f"{where}!{part.get_content_type()}")
    return found


def tree_leaks(root: Path) -> list[str]:
    return [hit for path in sorted(root.rglob("*")) if path.is_file()
            for hit in leaks(path.read_bytes(), str(path.relative_to(root.parent)))]


def text_leaks(text: str, where: str) -> list[str]:
    """Where a secret shows in something the user saw (never unpacked as a file)."""
    return [f"{where}: {s[:9]}..." for s in (KEY, PASSWORD) if s in text]


@pytest.fixture
def hosted(monkeypatch):
    """The fault server as the configured hosted model, with the key in its usual variable."""
    with FaultServer(default=REJECTED) as server:
        monkeypatch.setenv("COACH_MODEL", "openai/anything")
        monkeypatch.setenv("COACH_API_BASE", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield server


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_outputs_errors_exports_and_home_hold_no_key(hosted, coach_home, tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    shown: list[tuple[str, str]] = []

    def run(*argv: str, ok: bool = True) -> str:
        code, out, err = _run(list(argv), capsys)
        shown.append((" ".join(argv), out + err))
        assert (code == 0) is ok, f"{argv}: exit {code}\n{out}\n{err}"
        assert "Traceback" not in out + err
        return out + err

    run("profile", "set", "--current-title", "Engineer", "--target-title", "Senior Engineer",
        "--transition", "ic-to-lead", "--months-in-role", "14", "--name", "Alex Kim",
        "--manager-name", "Jordan Lee", "--email", "alex.kim@example.com", "--manager-email",
        "jordan.lee@example.com")
    run("log", "add", "Led the payments migration", "--metric", "cut p95 latency 40%",
        "--kind", "leadership", "--date", "2026-01-05")
    # The error messages: a rejected key, a refused request and a rate limit, all echoing it.
    assert "set OPENAI_API_KEY to a valid key" in run("models", "test", ok=False)
    hosted.enqueue(REFUSED)
    assert "refused the request" in run("models", "test", ok=False)
    hosted.enqueue(*[LIMITED] * 4)
    assert "rate limited" in run("models", "test", ok=False)
    run("models", "--check", ok=False)
    hosted.enqueue(REFUSED)
    assert "could not add to this answer" in run("chat", "--message", "When should I ask?")
    script = tmp_path / "meeting.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    run("roleplay", "--response", "not-yet", "--script", str(script), "--seed", "3")
    for name in ("case.md", "case.docx"):
        run("proposal", "--out", str(exports / name))
    run("email", "meeting-request", "--out", str(exports))
    run("script")
    for fmt in ("json", "csv", "md"):
        run("log", "export", "--format", fmt, "--out", str(exports / f"log.{fmt}"))
    run("backup", str(exports / "home.tar.gz"))

    # The key really was sent, and the provider's echo of it reached the app...
    assert hosted.requests[0].headers["authorization"] == f"Bearer {KEY}"
    errors = [c.error for c in Context.open(coach_home).store.calls(limit=1000)]
    assert any("[REDACTED]" in e for e in errors), errors
    # ...but nothing the user saw, and nothing written, holds it.
    assert {".csv", ".docx", ".eml", ".gz", ".json", ".md"} <= {p.suffix for p in exports.iterdir()}
    found = [hit for argv, text in shown for hit in text_leaks(text, argv)]
    found += tree_leaks(exports) + tree_leaks(coach_home)
    assert not found, found


def test_cli_crash_report_holds_no_key(hosted, coach_home, monkeypatch, capsys):
    """A bug whose exception carries a key: the one-line report and crash.log are scrubbed."""
    import coach.services.impact_log

    def broken(*args, **kwargs):
        raise RuntimeError(f"provider said: Authorization: Bearer {KEY}")

    monkeypatch.setattr(coach.services.impact_log, "list_entries", broken)
    code, out, err = _run(["log", "list"], capsys)
    assert code == 2 and "unexpected RuntimeError" in err
    crash = coach_home / "logs" / "crash.log"
    assert "RuntimeError" in crash.read_text()
    assert not text_leaks(out + err, "stderr") + tree_leaks(coach_home)


# -- the web app in service mode ------------------------------------------------------------------
@pytest.fixture
def service(hosted, tmp_path):
    """The app with logins; its model is the configured hosted one (built by the factory)."""
    from gradio_client import Client

    from coach.llm.local import free_port
    from coach.ui.app import start
    from tests.webui import PageEvents

    users_file = tmp_path / "users.json"
    users.add_user(users_file, "alice", PASSWORD)
    base = tmp_path / "service"
    server = start(base_home=base, port=free_port(), users_file=users_file, warm_index=False)
    client = Client(server.url, verbose=False, auth=("alice", PASSWORD))
    page = PageEvents(server.demo, server.url, auth=("alice", PASSWORD))
    try:
        yield server, client, page, base, users_file
    finally:
        page.close()
        server.close()


def test_web_responses_page_logs_and_home_hold_no_key_or_password(service, hosted, monkeypatch):
    import httpx
    from gradio_client.exceptions import AppError

    import coach.services.impact_log

    server, client, page, base, users_file = service
    shown: list[tuple[str, str]] = []

    def api(endpoint: str, **params) -> None:
        job = client.submit(**params, api_name=endpoint)
        job.result()
        shown.append((endpoint, json.dumps(job.outputs())))

    api("/set_profile", current_title="Engineer", target_title="Senior Engineer",
        transition="ic-to-lead", months_in_role=14, name="Alex Kim", manager_name="Jordan Lee")
    api("/add_entry", title="Led the payments migration", metric="cut p95 latency 40%",
        kind="leadership", next_level=True)
    hosted.enqueue(REFUSED)
    api("/chat", message="When should I ask?")
    started = client.predict(response="not-yet", api_name="/roleplay_start")
    hosted.enqueue(*[LIMITED] * 4)
    api("/roleplay_turn", session_id=started["session_id"], line="I led the payments migration.")
    api("/roleplay_end", session_id=started["session_id"])  # the judge's failure is in the card
    hosted.enqueue(REFUSED)
    api("/proposal")
    api("/email", kind="meeting-request")
    api("/talk_script")
    api("/list_entries")
    # The page: its HTML and config, and the Settings tab's model check (it shows the error).
    checked = page.call("coach.ui.tabs.settings", "check_model")
    assert checked.success and "did not answer" in checked.message  # on the form's line
    shown.append(("settings check", checked.raw))
    for path in ("/", "/config", "/gradio_api/info"):
        resp = page.http.get(server.url.rstrip("/") + path)
        assert resp.status_code == 200, path
        shown.append((path, resp.text))
    # A bug whose exception carries the key: the page says "unexpected", the log is scrubbed.
    def broken(*args, **kwargs):
        raise RuntimeError(f"provider said: Authorization: Bearer {KEY}")

    monkeypatch.setattr(coach.services.impact_log, "list_entries", broken)
    with pytest.raises(AppError) as crash:
        client.predict(api_name="/list_entries")
    shown.append(("crash", str(crash.value)))
    # A wrong password is refused without being repeated.
    refused = httpx.post(server.url.rstrip("/") + "/login",
                         data={"username": "alice", "password": PASSWORD + "x"})
    shown.append(("wrong password", refused.text))

    assert hosted.requests[0].headers["authorization"] == f"Bearer {KEY}"
    home = users.user_home(base, "alice")
    assert any("[REDACTED]" in c.error for c in Context.open(home).store.calls(limit=1000))
    assert "Traceback" in (home / "logs" / "ui-errors.log").read_text()
    found = [hit for where, text in shown for hit in text_leaks(text, where)]
    found += tree_leaks(base) + leaks(users_file.read_bytes(), "users file")
    assert not found, found


# -- committed recordings ---------------------------------------------------------------------------
RECORDINGS = [*sorted((ROOT / "tests" / "cassettes").rglob("*.yaml")),
              *sorted(p for p in (ROOT / "evals" / "recorded").rglob("*") if p.is_file())]
KEY_SHAPED = re.compile(r"\bsk-(?:ant-|proj-|or-)?[A-Za-z0-9_\-]{8,}")
CREDENTIAL_HEADER = re.compile(r"(?im)^\s*['\"]?(authorization|api-key|x-api-key)['\"]?\s*:"
                               r"|\bbearer\s+[A-Za-z0-9._\-]{8,}")


def test_committed_recordings_hold_no_key_or_credential_header():
    assert RECORDINGS, "no recordings found"
    found = []
    for path in RECORDINGS:
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in (KEY_SHAPED, CREDENTIAL_HEADER):
            if match := pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:20]}")
    assert not found, found
