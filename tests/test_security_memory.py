"""Request bodies over the app's limit are refused before they are read whole, and the server's
memory comes back down after large requests (the server runs in this process: its RSS is ours).

Before: 45 rejected `add_entry` calls with 10-30 MB titles took a server from 188 MB to
1.08 GB, and it stayed there.
"""

from __future__ import annotations

import gc
import json
import time

import pytest

from tests.secure_app import API, SecureApp, call, final_data, new_session, result

MB = 1024 * 1024
CHUNK = b"t" * (64 * 1024)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = SecureApp(tmp_path_factory.mktemp("memory") / "home", ("alice",))
    yield running
    running.close()


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def settled_rss() -> float:
    gc.collect()
    time.sleep(0.5)
    return rss_mb()


def big_title_body(size: int, session: str | None = None):
    """A JSON `add_entry` body with a `size`-byte title, streamed in 64 KB pieces (so the
    client side holds none of it), and its exact length."""
    head = b'{"data": ["'
    tail = b'", "", "", "result", false, "", ""]' + (
        f', "session_hash": "{session}"'.encode() if session else b"") + b"}"

    def pieces():
        yield head
        left = size
        while left > 0:
            yield CHUNK[:min(left, len(CHUNK))]
            left -= len(CHUNK)
        yield tail

    return pieces(), len(head) + size + len(tail)


def post_big(client, size: int, *, with_length: bool = True, session: str | None = None):
    body, length = big_title_body(size, session)
    headers = {"content-type": "application/json"}
    if with_length:
        headers["content-length"] = str(length)
    return client.post(f"{API}/call/add_entry", content=body, headers=headers)


def test_an_oversized_body_is_refused_with_413(app):
    alice = app.login("alice")
    refused = post_big(alice, 30 * MB)
    assert refused.status_code == 413, refused.text[:200]
    assert "larger than this app accepts" in refused.json()["detail"]
    chunked = post_big(alice, 12 * MB, with_length=False)  # no Content-Length: counted as read
    assert chunked.status_code == 413
    upload = alice.post(f"{API}/upload", files={"files": ("big.csv", CHUNK * 400, "text/csv")})
    assert upload.status_code == 413  # 25 MB: over the 20 MB upload limit
    titles = [e["title"][:5] for e in final_data(result(alice, "list_entries",
                                                        call(alice, "list_entries")))[0]]
    assert "ttttt" not in titles


def test_memory_returns_to_its_baseline_after_oversized_requests(app):
    alice = app.login("alice")
    for _ in range(3):
        post_big(alice, 10 * MB)
    start = settled_rss()
    for number in range(45):  # the reported case: 10, 20 and 30 MB titles
        post_big(alice, (10 + 10 * (number % 3)) * MB)
    after = settled_rss()
    assert after <= start * 1.10, f"RSS {start:.0f} MB -> {after:.0f} MB"


def test_large_calls_within_the_limit_leave_nothing_behind(app):
    alice = app.login("alice")
    session = new_session()
    holder = app.demo.server_app.state_holder  # Gradio's per-session state (gradio 6.31)

    def rounds(count: int) -> None:
        for _ in range(count):
            one_off = post_big(alice, 5 * MB)
            named = post_big(alice, 5 * MB, session=session)
            for resp in (one_off, named):
                assert resp.status_code == 200, resp.text[:200]
                assert "too long" in result(alice, "add_entry", resp.json()["event_id"]).text

    rounds(2)
    start, sessions = settled_rss(), len(holder.session_data)
    rounds(8)
    time.sleep(1.0)  # an event's payloads are let go just after its result is sent
    after = settled_rss()
    assert len(holder.session_data) <= sessions  # one-off calls keep no session state
    kept = [len(json.dumps(config, default=str)) for config in
            holder.session_data[session].config_values.values()]
    assert max(kept) < MB  # nor does the named session keep the last title
    assert after <= start * 1.10, f"RSS {start:.0f} MB -> {after:.0f} MB"
