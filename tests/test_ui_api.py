"""The documented API, driven with gradio_client against an app served in-process."""

from __future__ import annotations

import pytest

from coach.llm.local import free_port
from coach.testing import FakeCoachModel
from coach.ui.app import start


@pytest.fixture
def client(coach_home):
    from gradio_client import Client

    server = start(base_home=coach_home, port=free_port(), llm=FakeCoachModel(), warm_index=False)
    try:
        api = Client(server.url, verbose=False)
        api.coach_server = server  # for tests that look at the app's queue
        yield api
    finally:
        server.close()


def test_api_drives_the_journey(client):
    from gradio_client.exceptions import AppError

    profile = client.predict(current_title="Senior Engineer", target_title="Staff Engineer",
                             transition="ic-to-lead", months_in_role=14, name="Alex Kim",
                             manager_name="Jordan Lee", signals=["recent-win"],
                             api_name="/set_profile")
    assert profile["target_title"] == "Staff Engineer"
    entry = client.predict(title="Led the payments migration", metric="cut p95 latency 40%",
                           kind="leadership", next_level=True, api_name="/add_entry")
    assert entry["id"] == 1
    edited = client.predict(entry_id=1, changes={"metric": "cut p95 latency 45%"},
                            api_name="/edit_entry")
    assert edited["metric"] == "cut p95 latency 45%"
    assert [e["title"] for e in client.predict(api_name="/list_entries")] == [
        "Led the payments migration"]
    assert 0 <= client.predict(api_name="/readiness")["score"] <= 1
    assert client.predict(api_name="/timing")["verdict"] in {"good", "wait", "bad"}
    proposal = client.predict(api_name="/proposal")
    assert proposal["version"] == 1 and "Staff Engineer" in proposal["markdown"]
    email = client.predict(kind="decline", reason="I want to stay hands-on",
                           api_name="/email")
    assert email["subject"] and "Jordan" in email["body"]

    started = client.predict(response="not-yet", difficulty="easy", api_name="/roleplay_start")
    job = client.submit(session_id=started["session_id"],
                        line="I would like to talk about moving to Staff Engineer.",
                        api_name="/roleplay_turn")
    final = job.result()
    assert final["done"] and final["text"]
    result = client.predict(session_id=started["session_id"], api_name="/roleplay_end")
    assert result["scorecard"]["checks"]

    with pytest.raises(AppError, match="Could not|not a date"):
        client.predict(title="x", date="yesterday", api_name="/add_entry")


def test_chat_streams_then_returns_citations(client):
    job = client.submit(message="When is a good time to ask for a promotion?", api_name="/chat")
    final = job.result()
    updates = job.outputs()
    assert final["done"] and final["citations"] and final["conversation_id"] == 1
    assert any(not u["done"] for u in updates)


def test_api_in_service_mode_needs_login_and_keeps_users_apart(coach_home, tmp_path):
    from gradio_client import Client

    from coach.services import users

    users_file = tmp_path / "users.json"
    users.add_user(users_file, "alice", "alice password 1")
    users.add_user(users_file, "bob", "bob password 22")
    server = start(base_home=coach_home, port=free_port(), llm=FakeCoachModel(),
                   users_file=users_file, warm_index=False)
    try:
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do, it must not connect
            Client(server.url, verbose=False, auth=("alice", "wrong password"))
        alice = Client(server.url, verbose=False, auth=("alice", "alice password 1"))
        bob = Client(server.url, verbose=False, auth=("bob", "bob password 22"))
        alice.predict(title="Alice's win", api_name="/add_entry")
        bob.predict(title="Bob's win", api_name="/add_entry")
        assert [e["title"] for e in alice.predict(api_name="/list_entries")] == ["Alice's win"]
        assert [e["title"] for e in bob.predict(api_name="/list_entries")] == ["Bob's win"]
        alice.predict(current_title="Engineer", target_title="Senior Engineer",
                      transition="other", months_in_role=20, api_name="/set_profile")
        started = alice.predict(response="yes", api_name="/roleplay_start")
        with pytest.raises(Exception, match="no role-play in progress"):
            bob.predict(session_id=started["session_id"], api_name="/roleplay_end")
    finally:
        server.close()


def test_gradio_event_analytics_are_off(client):
    """The /monitoring page is off, and the queue neither keeps its last 10,000 events (a list
    copied after every event) nor summarises them."""
    import urllib.error
    import urllib.request

    for _ in range(3):
        client.predict(api_name="/list_entries")
    server = client.coach_server
    queue = server.demo._queue
    assert len(queue.event_analytics) <= 1
    assert queue.cached_event_analytics_summary == {"functions": {}}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}monitoring", timeout=10)
    assert refused.value.code == 403


def test_the_queue_waits_for_work_instead_of_polling(client):
    """Gradio's own loop wakes every millisecond when idle; ours sleeps until an event is
    pushed or a job ends (and at most SAFETY_S), yet still starts every call."""
    import time

    from coach.ui.queue import SAFETY_S, WakingQueue

    queue = client.coach_server.demo._queue
    assert isinstance(queue, WakingQueue)
    woken = []
    original = queue._idle

    async def counted():
        woken.append(time.monotonic())
        await original()

    queue._idle = counted
    time.sleep(1.0)
    assert len(woken) <= 1.5 / SAFETY_S  # about 20 a second, not 1000
    for _ in range(3):  # each call wakes the loop at once and is served
        assert client.predict(api_name="/list_entries") == []
