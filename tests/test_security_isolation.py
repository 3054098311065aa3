"""One user's calls, results, streams, session hashes and files are out of another user's reach.

A hostile test on 127.0.0.1 with two users found that bob could read alice's queued result
(and she then got 404), listen on her session's event stream, and download her exports by
their link. Every such attempt is refused with 404, over plain HTTP, `gradio_client` and the
page's own events alike; and plain HTTP calls get clear answers (defaults for left-out
optional parameters, 404 for an unknown endpoint). docs/security.md has the threat model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

from tests.secure_app import (
    API,
    Reply,
    SecureApp,
    call,
    fetch,
    final_data,
    join,
    listen,
    new_session,
    result,
)

# Valid arguments for every endpoint of ui/api.py (the call's outcome does not matter here).
CALLS: dict[str, tuple] = {
    "set_profile": ("Engineer", "Senior Engineer", "other", 14),
    "get_profile": (),
    "add_entry": ("Alice's private win",),
    "edit_entry": (1, {"metric": "cut costs 9%"}),
    "delete_entry": (99,),
    "list_entries": (),
    "load_sample": (),
    "readiness": (),
    "timing": (),
    "proposal": (),
    "email": ("meeting-request",),
    "talk_script": (),
    "chat": ("When should I ask?",),
    "roleplay_start": (),
    "roleplay_turn": (1, "Hello"),
    "roleplay_end": (1,),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = SecureApp(tmp_path_factory.mktemp("isolation") / "home", ("alice", "bob"))
    yield running
    running.close()


@dataclass
class World:
    """What alice has on the server that bob (and nobody) must reach."""

    app: SecureApp
    alice: httpx.Client
    bob: httpx.Client
    nobody: httpx.Client
    session: str  # alice's page session hash
    events: dict[str, str]  # endpoint -> an event id of alice's, its result not yet read
    export: dict  # the FileData of alice's impact-log export
    upload_path: str  # a file alice uploaded
    upload_id: str
    fn_index: int  # the page's export event
    import_index: int  # the page's import event (takes an uploaded file)


@pytest.fixture(scope="module")
def world(app, tmp_path_factory):
    alice, bob, nobody = app.login("alice"), app.login("bob"), app.http()
    final_data(result(alice, "add_entry", call(alice, "add_entry", "Alice's private win",
                                               "2026-01-05", "cut costs 12%")))
    page = app.page("alice")
    page.session = new_session()
    exported = page.call("coach.ui.tabs.impact_log", "prepare", "csv")
    assert exported.success, exported.error
    upload_id = new_session()
    source = tmp_path_factory.mktemp("alice-files") / "alice-notes.md"
    source.write_text("# Alice's private notes\n")
    with source.open("rb") as fh:
        resp = alice.post(f"{API}/upload", params={"upload_id": upload_id},
                          files={"files": ("alice-notes.md", fh, "text/markdown")})
    assert resp.status_code == 200, resp.text
    events = {endpoint: call(alice, endpoint, *args) for endpoint, args in CALLS.items()}
    yield World(app=app, alice=alice, bob=bob, nobody=nobody, session=page.session,
                events=events, export=exported.data[0], upload_path=resp.json()[0],
                upload_id=upload_id,
                fn_index=page.fn_index("coach.ui.tabs.impact_log", "prepare"),
                import_index=page.fn_index("coach.ui.tabs.impact_log", "do_import"))
    page.close()
    for client in (alice, bob, nobody):
        client.close()


# -- the holes as they were reported -----------------------------------------------------------
def test_another_user_cannot_collect_your_result(app):
    alice, bob = app.login("alice"), app.login("bob")
    final_data(result(alice, "add_entry", call(alice, "add_entry", "Alice's raise case")))
    event = call(alice, "list_entries")
    assert result(bob, "list_entries", event).status_code == 404
    titles = [entry["title"] for entry in final_data(result(alice, "list_entries", event))[0]]
    assert "Alice's raise case" in titles  # and alice still gets her own result


def test_another_user_cannot_listen_on_your_session(app, world):
    alice, bob, session = app.login("alice"), app.login("bob"), new_session()
    join(alice, world.fn_index, ["csv"], session)
    assert listen(bob, session).status_code == 404
    heard = listen(alice, session)
    assert heard.status_code == 200 and "impact-log.csv" in heard.text


def test_gradio_client_session_hash_is_bound_to_its_user(app):
    alice, bob = app.gradio_client("alice"), app.gradio_client("bob")
    try:
        alice.predict(title="Alice's gradio win", api_name="/add_entry")
        bob.session_hash = alice.session_hash  # as scripts reusing a fixed session hash do
        with pytest.raises(Exception) as refused:  # noqa: B017 - the refusal is an HTTP 404
            bob.submit(api_name="/list_entries").result(timeout=30)
        assert "404" in str(refused.value)
        titles = [e["title"] for e in alice.submit(api_name="/list_entries").result(timeout=30)]
        assert "Alice's gradio win" in titles
    finally:
        alice.close()
        bob.close()


def test_page_events_cannot_join_another_users_session(app):
    alice, bob = app.page("alice"), app.page("bob")
    try:
        assert alice.call("coach.ui.tabs.impact_log", "prepare", "csv").success
        bob.session = alice.session
        with pytest.raises(httpx.HTTPStatusError) as refused:
            bob.call("coach.ui.tabs.impact_log", "prepare", "csv")
        assert refused.value.response.status_code == 404
    finally:
        alice.close()
        bob.close()


def test_exports_are_served_only_to_their_owner(world):
    link = world.export["url"]
    mine = world.alice.get(link)
    assert mine.status_code == 200 and b"Alice's private win" in mine.content
    assert world.bob.get(link).status_code == 404
    assert world.nobody.get(link).status_code in (401, 404)


# -- every endpoint, result, stream, file and session hash: bob and nobody get 404 -------------
Answer = httpx.Response | Reply


def _attempts() -> list[tuple[str, Callable[[World], Answer]]]:
    table: list[tuple[str, Callable[[World], Answer]]] = []
    for ep in CALLS:
        table += [
            (f"result-{ep}", lambda w, ep=ep: result(w.bob, ep, w.events[ep])),
            (f"session-call-{ep}", lambda w, ep=ep: w.bob.post(
                f"{API}/call/{ep}", json={"data": list(CALLS[ep]), "session_hash": w.session})),
            (f"session-run-{ep}", lambda w, ep=ep: w.bob.post(
                f"{API}/run/{ep}", json={"data": list(CALLS[ep]), "session_hash": w.session})),
        ]
    first = "list_entries"
    table += [
        ("result-v2", lambda w: fetch(w.bob, "GET", f"{API}/call/v2/{first}/{w.events[first]}")),
        ("result-nobody", lambda w: result(w.nobody, first, w.events[first])),
        ("listen", lambda w: listen(w.bob, w.session)),
        ("listen-nobody", lambda w: listen(w.nobody, w.session)),
        ("listen-event-as-session", lambda w: listen(w.bob, w.events[first])),
        ("heartbeat", lambda w: fetch(w.bob, "GET", f"{API}/heartbeat/{w.session}")),
        ("join", lambda w: w.bob.post(f"{API}/queue/join", json={
            "data": ["csv"], "fn_index": w.fn_index, "session_hash": w.session})),
        ("cancel", lambda w: w.bob.post(f"{API}/cancel", json={
            "session_hash": w.session, "fn_index": w.fn_index, "event_id": w.events[first]})),
        ("cancel-event-only", lambda w: w.bob.post(f"{API}/cancel", json={
            "session_hash": new_session(), "fn_index": 0, "event_id": w.events["chat"]})),
        ("stream-send", lambda w: w.bob.post(f"{API}/stream/{w.events['chat']}",
                                             json={"data": [], "session_hash": w.session})),
        ("stream-close", lambda w: w.bob.post(f"{API}/stream/{w.events['chat']}/close")),
        ("stream-playlist", lambda w: fetch(w.bob, "GET",
                                            f"{API}/stream/{w.session}/x/1/playlist.m3u8")),
        ("deep-link", lambda w: w.bob.get(f"{API}/deep_link", params={"session_hash": w.session})),
        ("export-file", lambda w: w.bob.get(w.export["url"])),
        ("export-file-head", lambda w: w.bob.head(w.export["url"])),
        ("export-file-old-route", lambda w: w.bob.get(f"{API}/file/{w.export['path']}")),
        ("export-file-nobody", lambda w: w.nobody.get(w.export["url"])),
        ("upload-file", lambda w: w.bob.get(f"{API}/file={w.upload_path}")),
        ("upload-progress", lambda w: fetch(w.bob, "GET", f"{API}/upload_progress",
                                            params={"upload_id": w.upload_id})),
        ("upload-as-input", lambda w: w.bob.post(f"{API}/queue/join", json={
            "data": [{"path": w.upload_path, "meta": {"_type": "gradio.FileData"}}, False],
            "fn_index": w.import_index, "session_hash": new_session()})),
        ("upload-same-id", lambda w: w.bob.post(f"{API}/upload", params={"upload_id": w.upload_id},
                                                files={"files": ("x.md", b"x", "text/plain")})),
    ]
    return table


ATTEMPTS = _attempts()


def test_the_table_is_large_enough():
    assert len(ATTEMPTS) >= 40


@pytest.mark.parametrize("attempt", [a for _, a in ATTEMPTS], ids=[n for n, _ in ATTEMPTS])
def test_cross_user_attempt_is_refused(world, attempt):
    resp = attempt(world)
    assert resp.status_code == 404, f"{resp.status_code}: {resp.text[:300]}"
    assert b"Alice" not in resp.content


def test_alice_still_reads_what_was_refused_to_others(world):
    """After every refused attempt, the owner's own results, streams and files still work."""
    for endpoint in ("list_entries", "get_profile"):
        assert result(world.alice, endpoint, world.events[endpoint]).status_code == 200
    assert world.alice.get(world.export["url"]).status_code == 200
    assert world.alice.get(f"{API}/file={world.upload_path}").status_code == 200


# -- plain HTTP calls --------------------------------------------------------------------------
def test_plain_call_fills_left_out_optional_parameters(app):
    alice = app.login("alice")
    entry = final_data(result(alice, "add_entry", call(alice, "add_entry", "Only a title")))[0]
    assert entry["title"] == "Only a title" and entry["kind"] == "result"
    profile = final_data(result(alice, "set_profile", call(
        alice, "set_profile", "Engineer", "Staff Engineer", "ic-to-lead", 20)))[0]
    assert profile["target_title"] == "Staff Engineer" and profile["signals"] == []


def test_plain_call_missing_required_parameter_names_it(app):
    resp = app.login("alice").post(f"{API}/call/add_entry", json={"data": []})
    assert resp.status_code == 422 and "title" in resp.json()["detail"]
    resp = app.login("alice").post(f"{API}/call/v2/set_profile", json={"current_title": "x"})
    assert resp.status_code == 422 and "target_title" in resp.json()["detail"]


def test_unknown_endpoint_is_404_with_a_clear_message(app):
    alice = app.login("alice")
    for path in (f"{API}/call/nope", f"{API}/call/v2/nope", f"{API}/run/nope"):
        resp = alice.post(path, json={"data": []})
        assert resp.status_code == 404, (path, resp.status_code, resp.text)
        assert "no endpoint named '/nope'" in resp.json()["detail"]
    resp = alice.post(f"{API}/queue/join", json={"data": [], "fn_index": 99999,
                                                  "session_hash": new_session()})
    assert resp.status_code == 404
