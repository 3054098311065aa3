"""The gateway against the real embedded model, replayed from cassettes recorded from it.

Re-record (starts the local model; about a minute): `make record ARGS=tests/test_gateway.py`,
i.e. `COACH_RECORD=1 .venv/bin/pytest tests/test_gateway.py --record-mode=all`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from coach.llm.base import LLMError, PromptRef
from coach.llm.gateway import LiteLLMGateway, RetryPolicy
from tests.faultserver import FaultServer, ok, status

CASSETTES = Path(__file__).parent / "cassettes"
PROMPT = PromptRef("gateway_test", "1")
SYSTEM = {"role": "system", "content": "You are a concise assistant. Answer in one sentence."}


class Win(BaseModel):
    """One piece of evidence pulled out of a sentence."""

    title: str = Field(description="a short name for what was achieved")
    metric: str = Field(description="the number that proves it, with its unit")


@pytest.mark.vcr
def test_complete(recorded, ctx):
    llm = recorded.llm(ctx.log_call)
    result = llm.complete([SYSTEM, {"role": "user", "content": "Name one benefit of feedback."}],
                          prompt=PROMPT, max_tokens=24, temperature=0.0)
    assert result.text.strip()
    assert result.model == "local" and result.prompt == PROMPT
    assert result.prompt_tokens > 10 and 0 < result.completion_tokens <= 24
    call = ctx.store.calls()[0]
    assert (call.outcome, call.prompt_name, call.prompt_version) == ("ok", "gateway_test", "1")


@pytest.mark.vcr
def test_stream(recorded, ctx):
    llm = recorded.llm(ctx.log_call)
    pieces = list(llm.stream([SYSTEM, {"role": "user", "content": "Count from one to five."}],
                             prompt=PROMPT, max_tokens=20, temperature=0.0))
    assert len(pieces) > 3
    assert "three" in "".join(pieces).lower() or "3" in "".join(pieces)
    call = ctx.store.calls()[0]
    assert call.outcome == "ok" and call.first_token_s is not None
    assert call.completion_tokens > 3


@pytest.mark.vcr
def test_structured(recorded, ctx):
    llm = recorded.llm(ctx.log_call)
    result = llm.structured(
        [{"role": "system", "content": "Extract the achievement from the user's sentence."},
         {"role": "user", "content": "I cut the checkout page load time by 40% in March."}],
        Win, prompt=PROMPT, max_tokens=60)
    assert isinstance(result, Win), result
    assert "40" in result.metric


@pytest.mark.vcr
def test_warm_then_first_turn(recorded, ctx):
    """The warm-up call shares the system message with the turn that follows."""
    llm = recorded.llm(ctx.log_call)
    persona = {"role": "system", "content": "You play a busy engineering manager. Be brief."}
    assert llm.warm([persona]) is True
    reply = llm.complete([persona, {"role": "user", "content": "Do you have a minute?"}],
                         max_tokens=16, temperature=0.0)
    assert reply.text.strip()
    assert [c.prompt_name for c in reversed(ctx.store.calls())] == ["warm", ""]


def test_a_call_without_a_recording_says_how_to_record(tmp_path):
    import vcr

    llm = LiteLLMGateway("local", api_base="http://127.0.0.1:9/v1", timeout=2.0,
                         retry=RetryPolicy(attempts=3, initial_s=0.01, jitter_s=0.0))
    with vcr.use_cassette(str(tmp_path / "empty.yaml"), record_mode="none"):
        with pytest.raises(LLMError) as err:
            llm.complete([{"role": "user", "content": "never recorded"}], max_tokens=4)
    assert "make record" in str(err.value)
    assert "gave up" not in str(err.value)  # not retried: it can never succeed


SECRET = "sk-test-SECRET1234567890abcdefXYZ"


def test_no_secret_reaches_logs_errors_or_cassettes(monkeypatch, ctx, caplog):
    """A key in the environment never shows up in what the app writes or says."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("COACH_EXTRA_TOKEN", "tok-another-secret-value")
    caplog.set_level(logging.DEBUG)
    echo = f"Incorrect API key provided: {SECRET}. Also tok-another-secret-value."
    with FaultServer(status(401, echo), status(500, echo), status(500, echo),
                     ok(f"the key is {SECRET}")) as srv:
        llm = LiteLLMGateway("openai/anything", api_base=srv.url, call_log=ctx.log_call, timeout=2.0,
                             retry=RetryPolicy(attempts=3, initial_s=0.01, jitter_s=0.0))
        with pytest.raises(LLMError) as err:
            llm.complete([{"role": "user", "content": "hi"}])
        assert srv.requests[0].headers["authorization"] == f"Bearer {SECRET}"  # it was sent...
        llm.complete([{"role": "user", "content": "hi"}])
    texts = [str(err.value), repr(err.value), caplog.text]
    texts += [row.model_dump_json() for row in ctx.store.calls()]
    texts += [p.read_text(errors="replace") for p in CASSETTES.rglob("*.yaml")]
    assert "set OPENAI_API_KEY" in str(err.value)
    for text in texts:  # ...but it is nowhere else
        assert SECRET not in text
        assert "tok-another-secret-value" not in text
    assert any("[REDACTED]" in t for t in texts[3:])


def test_scrub_patterns(monkeypatch):
    from coach.llm.scrub import scrub

    monkeypatch.setenv("ANTHROPIC_API_KEY", "ant-key-value-123")
    monkeypatch.setenv("SHORT_TOKEN", "abc")  # too short to scrub safely
    text = scrub("a sk-proj-AbCdEfGh12345678 b Bearer eyJhbGciOiJIUzI1NiJ9.x c ant-key-value-123 "
                 'd {"api_key": "hunter2hunter2"} e AIzaSyA1234567890123456789012345 f abc')
    for secret in ("sk-proj-AbCdEfGh12345678", "eyJhbGciOiJIUzI1NiJ9", "ant-key-value-123",
                   "hunter2hunter2", "AIzaSyA1234567890123456789012345"):
        assert secret not in text
    assert text.endswith("f abc") and "sk-local" == scrub("sk-local")
