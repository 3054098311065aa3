"""Model faults end to end in the web app: the Prepare chat and the role-play turn, driven
through the app's own API (gradio_client) with the real gateway aimed at the fault server.

For every fault the user is told what happened (retried and answered, the model could not
be reached so the guides or a prepared line answered, the reply was cut off, timed out),
no traceback reaches the response, and the user's line and the reply shown are in the store.
"""

from __future__ import annotations

import json
import time

import pytest

from coach.llm.gateway import LiteLLMGateway, RetryPolicy
from coach.llm.local import free_port
from coach.services.context import Context
from tests.faultserver import (
    FaultServer,
    cut,
    empty,
    malformed,
    ok,
    rate_limited,
    server_error,
    slow,
    trickle,
)

# Two tries per model, tiny waits, a one-second timeout: every case ends in a few seconds.
FAST = RetryPolicy(attempts=2, deadline_s=20.0, initial_s=0.01, max_backoff_s=0.05, jitter_s=0.01)
TIMEOUT_S = 1.0
QUESTION = "When is a good time to ask for a promotion?"
ANSWER = "Ask a few months before the review cycle, right after a clear win [1]."
LINE = "Hello, thanks for the time."
MANAGER = "Thanks for walking me through that. What result are you proudest of this year?"
GAVE_UP = "(gave up after 2 attempts)"


class WebApp:
    """The app served in-process on its own home, its model a gateway aimed at `faults`."""

    def __init__(self, home, faults: FaultServer, *, fallbacks: tuple[str, ...] = ()):
        from gradio_client import Client

        from coach.ui.app import start

        self.home = home
        own = Context.open(home)
        self.store = own.store
        self.llm = LiteLLMGateway("openai/primary", api_base=faults.url, fallbacks=fallbacks,
                                  call_log=own.log_call, timeout=TIMEOUT_S, retry=FAST)
        self.server = start(base_home=home, port=free_port(), llm=self.llm, warm_index=False)
        self.client = Client(self.server.url, verbose=False)

    def close(self) -> None:
        self.server.close()

    def seed(self) -> None:
        self.client.predict(current_title="Senior Engineer", target_title="Staff Engineer",
                            transition="ic-to-lead", months_in_role=14, name="Alex Kim",
                            manager_name="Jordan Lee", api_name="/set_profile")
        self.client.predict(title="Led the payments migration", metric="cut p95 latency 40%",
                            kind="leadership", next_level=True, api_name="/add_entry")

    def chat(self, message: str = QUESTION):
        return self.client.submit(message=message, api_name="/chat")

    def roleplay(self, line: str = LINE):
        """A new meeting (so every case plays the same first turn) and one line said in it."""
        started = self.client.predict(response="not-yet", difficulty="realistic",
                                      api_name="/roleplay_start")
        job = self.client.submit(session_id=started["session_id"], line=line,
                                 api_name="/roleplay_turn")
        return started["session_id"], job

    def outcomes(self, since: int) -> list[str]:
        """Outcomes of the model calls logged after the first `since`, oldest first."""
        return [c.outcome for c in reversed(self.store.calls(limit=1000))][since:]


@pytest.fixture(scope="module")
def faults():
    with FaultServer() as server:
        yield server


@pytest.fixture(scope="module")
def web(tmp_path_factory, faults):
    app = WebApp(tmp_path_factory.mktemp("web-faults") / "home", faults)
    app.seed()
    yield app
    app.close()


@pytest.fixture
def fault(faults):
    """The shared fault server, answering `ANSWER` unless a case says otherwise; what a case
    scripted but did not use is dropped, so it never reaches the next case."""
    faults.default = ok(ANSWER)
    yield faults
    faults._queue.clear()


def _clean(job) -> dict:
    """The final update, after checking no update carried a traceback."""
    final = job.result()
    shown = json.dumps(job.outputs())
    assert "Traceback" not in shown and 'File "' not in shown
    assert final["done"] is True
    return final


def _no_crash(web: WebApp) -> None:
    assert not (web.home / "logs" / "ui-errors.log").exists(), "a fault was logged as a crash"


# -- the Prepare chat --------------------------------------------------------------------------
CHAT_CASES = [
    # id, what the server does, what the notice says, whether the model's text is the answer
    ("rate-limited-then-ok", [rate_limited("0"), ok(ANSWER)], ["answered after 2 attempts"], True),
    ("malformed-then-ok", [malformed(), ok(ANSWER)], ["answered after 2 attempts"], True),
    ("server-error", [server_error(500)] * 2,
     ["could not answer", "guides' own words", "server error (500)", GAVE_UP], False),
    ("timeout", [slow(5)] * 2, ["could not answer", "did not answer in time", GAVE_UP], False),
    ("empty-answer", [empty()] * 2, ["could not answer", "returned an empty answer"], False),
    ("cut-mid-stream", [cut("Ask a few months before the review")],
     ["stops part-way", "cut off after 3 pieces", "what arrived so far was kept"], False),
]


@pytest.mark.parametrize("script,notice,model_answered",
                         [c[1:] for c in CHAT_CASES], ids=[c[0] for c in CHAT_CASES])
def test_chat_fault_is_told_and_nothing_is_lost(web, fault, script, notice, model_answered):
    fault.enqueue(*script)
    final = _clean(web.chat())
    for words in notice:
        assert words in (final["notice"] or ""), final["notice"]
    if model_answered:
        assert final["answer"].startswith(ANSWER)
    elif "cut off after" in final["notice"]:
        assert final["answer"].startswith("Ask a few [cut off]")
    else:  # the deterministic answer: the guides' own words, cited
        assert final["answer"].startswith("Here is what the guides say:")
        assert final["citations"]
    saved = web.store.messages(final["conversation_id"])[-2:]
    assert [(m.role, m.content) for m in saved] == [("user", QUESTION),
                                                    ("assistant", final["answer"])]
    assert saved[1].meta["notice"] == final["notice"]
    _no_crash(web)


def test_chat_cancelled_mid_stream_keeps_what_arrived(web, fault):
    """The API's cancel (gradio_client `Job.cancel`, the page's Stop button) stops the model
    and saves the question with the partial answer, marked as stopped."""
    before = len(web.store.calls(limit=1000))
    fault.enqueue(trickle(" ".join(f"word{i}" for i in range(200)), every_s=0.05))
    job = web.chat()
    deadline = time.monotonic() + 20
    while len(job.outputs()) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(job.outputs()) >= 4, "the answer never started streaming"
    job.cancel()
    deadline = time.monotonic() + 10
    while "cancelled" not in web.outcomes(before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.outcomes(before) == ["cancelled"]
    convo = web.store.conversations("chat")[-1]
    user, answer = web.store.messages(convo.id)[-2:]
    assert (user.role, user.content) == ("user", QUESTION)
    assert answer.content.startswith("word0 word1 word2 ") and "[stopped]" in answer.content
    assert "word199" not in answer.content and answer.meta["cancelled"] is True
    _no_crash(web)


# -- the role-play turn ------------------------------------------------------------------------
ROLEPLAY_CASES = [
    ("rate-limited-then-ok", [rate_limited("0"), ok(MANAGER)], ["answered after 2 attempts"],
     False),
    ("malformed-then-ok", [malformed(), ok(MANAGER)], ["answered after 2 attempts"], False),
    # The stream and the one re-ask both fail: the persona's prepared line answers.
    ("server-error", [server_error(500)] * 4,
     ["could not be reached", "prepared line", "server error (500)", GAVE_UP], True),
    ("timeout", [slow(5)] * 4, ["could not be reached", "did not answer in time", GAVE_UP], True),
    ("empty-answer", [empty()] * 4, ["could not be reached", "returned an empty answer"], True),
    # Cut after three words: the partial reply is replaced by the re-ask's full one.
    ("cut-mid-stream", [cut(MANAGER), ok(MANAGER)],
     ["first reply failed", "asked again", "cut off after 3 pieces"], False),
]


@pytest.mark.parametrize("script,notice,fallback",
                         [c[1:] for c in ROLEPLAY_CASES], ids=[c[0] for c in ROLEPLAY_CASES])
def test_roleplay_fault_is_told_and_nothing_is_lost(web, fault, script, notice, fallback):
    fault.default = ok(MANAGER)
    fault.enqueue(*script)
    session_id, job = web.roleplay()
    final = _clean(job)
    for words in notice:
        assert words in final["notice"], final["notice"]
    assert final["fallback"] is fallback
    assert final["text"] and (fallback or final["text"] == MANAGER)
    saved = web.store.messages(session_id)
    assert [(m.role, m.content) for m in saved[-2:]] == [("user", LINE),
                                                        ("assistant", final["text"])]
    assert saved[-1].meta["fallback"] is fallback
    ended = web.client.predict(session_id=session_id, api_name="/roleplay_end")
    assert ended["notices"] == [final["notice"]]
    _no_crash(web)


def test_roleplay_cancelled_mid_stream_records_nothing_and_goes_on(web, fault):
    """Stopping a reply unsays the line (the page puts it back in the box to send again):
    nothing half-said is saved, and the same meeting takes the next line normally."""
    fault.default = ok(MANAGER)
    before = len(web.store.calls(limit=1000))
    fault.enqueue(trickle(" ".join(["Thanks"] * 200), every_s=0.05))
    session_id, job = web.roleplay()
    stored = len(web.store.messages(session_id))
    deadline = time.monotonic() + 20
    while len(job.outputs()) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(job.outputs()) >= 4, "the reply never started streaming"
    job.cancel()
    deadline = time.monotonic() + 10
    while "cancelled" not in web.outcomes(before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert web.outcomes(before) == ["cancelled"]
    assert len(web.store.messages(session_id)) == stored == 1  # the opening only
    again = _clean(web.client.submit(session_id=session_id, line=LINE, api_name="/roleplay_turn"))
    assert again["text"] == MANAGER and not again["fallback"]
    assert [m.content for m in web.store.messages(session_id)][-2:] == [LINE, MANAGER]
    _no_crash(web)


# -- a fallback model --------------------------------------------------------------------------
def test_a_fallback_model_answers_and_the_user_is_told(tmp_path, monkeypatch):
    with FaultServer(default=server_error(503)) as primary, \
            FaultServer(default=ok(MANAGER)) as backup:
        # A fallback gets no COACH_API_BASE; LiteLLM's own variable points openai/* at it.
        monkeypatch.setenv("OPENAI_API_BASE", backup.url)
        web = WebApp(tmp_path / "home", primary, fallbacks=("openai/backup",))
        try:
            web.seed()
            chat = _clean(web.chat())
            session_id, job = web.roleplay()
            turn = _clean(job)
        finally:
            web.close()
        assert primary.count == 4 and backup.count == 2  # two tries each turn, then the backup
    for notice in (chat["notice"], turn["notice"]):
        assert "answered by fallback model openai/backup; openai/primary (server) failed" in notice
    assert chat["answer"].startswith(MANAGER) and turn["text"] == MANAGER
    assert web.store.messages(session_id)[-1].content == MANAGER
    assert web.outcomes(0).count("fallback") == 2
