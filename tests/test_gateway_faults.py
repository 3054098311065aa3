"""The gateway against a misbehaving OpenAI-style server: every case ends in a success after
retries, a fallback, or one clear LLMError; never a hang, never a traceback."""

from __future__ import annotations

import threading
import time

import pytest
from pydantic import BaseModel

from coach.llm.base import LLMError, PromptRef, StructuredFailure
from coach.llm.gateway import Failure, LiteLLMGateway, RetryPolicy, retry_after_s
from tests.faultserver import (
    FaultServer,
    cut,
    cut_early,
    empty,
    malformed,
    ok,
    rate_limited,
    server_error,
    slow,
    status,
)

FAST = RetryPolicy(attempts=4, deadline_s=20.0, initial_s=0.01, max_backoff_s=0.05, jitter_s=0.01)
PROMPT = PromptRef("fault_test", "1")
HI = [{"role": "user", "content": "hi"}]


@pytest.fixture
def server():
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def gateway(server, ctx):
    return LiteLLMGateway("openai/anything", api_base=server.url, call_log=ctx.log_call, timeout=2.0,
                          retry=FAST)


def outcomes(ctx) -> list[str]:
    return [c.outcome for c in reversed(ctx.store.calls())]


# -- the must-show: 429, 429, success through the real CLI -------------------------------------
def test_cli_models_test_survives_two_rate_limits(monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    with FaultServer(rate_limited("0"), rate_limited("0"), ok("Ready to help.")) as srv:
        monkeypatch.setenv("COACH_MODEL", "openai/anything")
        monkeypatch.setenv("COACH_API_BASE", srv.url)
        code = main(["models", "test"])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert srv.count == 3
    assert "Ready to help." in out.out
    assert "after 3 attempts" in out.out
    calls = Context.open().store.calls()
    assert calls[0].outcome == "retried-ok"
    assert (calls[0].prompt_name, calls[0].prompt_version) == ("models_test", "1")
    assert calls[0].model == "openai/anything"


def test_cli_models_test_json(monkeypatch, capsys):
    import json

    from coach.cli.main import main

    with FaultServer(ok("Fine.")) as srv:
        monkeypatch.setenv("COACH_API_BASE", srv.url)
        assert main(["models", "test", "--model", "openai/anything", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reply"] == "Fine." and data["model"] == "openai/anything"
    assert data["completion_tokens"] == 1 and data["latency_s"] > 0


# -- transient failures are retried ----------------------------------------------------------
@pytest.mark.parametrize("fault", [
    rate_limited("0"), rate_limited(None), server_error(500), server_error(502),
    server_error(503), malformed(), empty(),
], ids=["429", "429-no-header", "500", "502", "503", "malformed", "empty"])
def test_transient_failure_then_success(fault, server, gateway, ctx):
    server.enqueue(fault, ok("second time lucky"))
    result = gateway.complete(HI, prompt=PROMPT)
    assert result.text == "second time lucky"
    assert server.count == 2
    assert outcomes(ctx) == ["retried-ok"]
    assert result.notes == ["openai/anything answered after 2 attempts"]


def test_timeout_is_retried(server, ctx):
    gw = LiteLLMGateway("openai/anything", api_base=server.url, call_log=ctx.log_call, timeout=0.5,
                        retry=FAST)
    server.enqueue(slow(5), ok("quick now"))
    start = time.monotonic()
    assert gw.complete(HI).text == "quick now"
    assert time.monotonic() - start < 4
    assert server.count == 2


def test_gives_up_after_bounded_attempts(server, gateway, ctx):
    server.default = rate_limited("0")
    with pytest.raises(LLMError) as err:
        gateway.complete(HI, prompt=PROMPT)
    assert server.count == 4
    assert "rate limited" in str(err.value) and "gave up after 4 attempts" in str(err.value)
    assert outcomes(ctx) == ["error:rate-limit"]


def test_retry_after_beyond_the_deadline_stops_at_once(server, ctx):
    gw = LiteLLMGateway("openai/anything", api_base=server.url, call_log=ctx.log_call, timeout=2.0,
                        retry=RetryPolicy(attempts=4, deadline_s=1.0))
    server.default = rate_limited("20")
    start = time.monotonic()
    with pytest.raises(LLMError):
        gw.complete(HI)
    assert server.count == 1
    assert time.monotonic() - start < 2


def test_retry_after_is_honoured(server, ctx):
    gw = LiteLLMGateway("openai/anything", api_base=server.url, timeout=2.0,
                        retry=RetryPolicy(attempts=3, initial_s=5.0, jitter_s=0.0))
    server.enqueue(rate_limited("0.3"), ok("waited"))
    start = time.monotonic()
    assert gw.complete(HI).text == "waited"
    waited = time.monotonic() - start
    assert 0.3 <= waited < 3  # the server's 0.3 s, not the 5 s backoff


def test_retry_after_forms():
    class Exc(Exception):
        def __init__(self, headers):
            self.litellm_response_headers = headers

    assert retry_after_s(Exc({"retry-after": "7"})) == 7
    assert retry_after_s(Exc({"retry-after-ms": "1500"})) == 1.5
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_s(Exc({"retry-after": date})) <= 31
    assert retry_after_s(Exc({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    assert retry_after_s(Exc({"retry-after": "soon"})) is None
    assert retry_after_s(Exc({})) is None
    policy = RetryPolicy(retry_after_cap_s=10)
    assert policy.backoff(1, Failure("rate-limit", True, "", retry_after_s=500)) == 10
    assert 1 <= policy.backoff(1, Failure("server", True, "")) <= 2
    assert policy.backoff(9, Failure("server", True, "")) <= policy.max_backoff_s + 1


# -- permanent failures are not retried ------------------------------------------------------
@pytest.mark.parametrize("fault,kind,words", [
    (status(401, "Incorrect API key provided", code_name="invalid_api_key"), "auth",
     "set OPENAI_API_KEY"),
    (status(403, "You may not use this model"), "forbidden", "OPENAI_API_KEY"),
    (status(404, "The model `anything` does not exist", code_name="model_not_found"),
     "not-found", "COACH_MODEL"),
    (status(400, "This model's maximum context length is 4096 tokens. However, your messages "
                 "resulted in 9000 tokens.", code_name="context_length_exceeded"),
     "context-window", "shorten"),
    (status(400, "Unrecognized request argument"), "bad-request", "refused"),
], ids=["401", "403", "404", "context", "400"])
def test_permanent_failure_is_one_clear_error(fault, kind, words, server, gateway, ctx):
    server.enqueue(fault)
    with pytest.raises(LLMError) as err:
        gateway.complete(HI)
    assert server.count == 1
    assert words in str(err.value)
    assert outcomes(ctx) == [f"error:{kind}"]


def test_connection_refused_is_retried_then_clear(ctx):
    gw = LiteLLMGateway("openai/anything", api_base="http://127.0.0.1:9/v1", call_log=ctx.log_call,
                        timeout=1.0, retry=FAST)
    with pytest.raises(LLMError) as err:
        gw.complete(HI)
    assert "could not reach openai/anything" in str(err.value)
    assert outcomes(ctx) == ["error:connection"]


# -- fallbacks -------------------------------------------------------------------------------
def test_fallback_answers_when_primary_keeps_failing(server, ctx, monkeypatch):
    server.default = server_error(503)
    with FaultServer(ok("backup here")) as backup:
        # A fallback gets no COACH_API_BASE; LiteLLM's own variable points openai/* at it.
        monkeypatch.setenv("OPENAI_API_BASE", backup.url)
        gw = LiteLLMGateway("openai/primary", api_base=server.url,
                            fallbacks=["openai/backup"], call_log=ctx.log_call, timeout=2.0, retry=FAST)
        result = gw.complete(HI, prompt=PROMPT)
        assert backup.count == 1
    assert server.count == 4
    assert result.text == "backup here" and result.model == "openai/backup"
    assert any("fallback model openai/backup" in n for n in result.notes)
    assert outcomes(ctx) == ["error:server", "fallback"]


def test_all_models_failing_names_each(server, ctx, monkeypatch):
    server.default = status(401, "bad key")
    monkeypatch.setenv("OPENAI_API_BASE", server.url)
    gw = LiteLLMGateway("openai/primary", api_base=server.url, fallbacks=["openai/backup"],
                        call_log=ctx.log_call, timeout=2.0, retry=FAST)
    with pytest.raises(LLMError) as err:
        gw.complete(HI)
    assert "Fallbacks failed too: openai/backup: auth" in str(err.value)
    assert server.count == 2


# -- streaming -------------------------------------------------------------------------------
def test_stream_yields_deltas_and_logs(server, gateway, ctx):
    server.enqueue(ok("one two three four"))
    pieces = list(gateway.stream(HI, prompt=PROMPT))
    assert pieces == ["one ", "two ", "three ", "four"]
    call = ctx.store.calls()[0]
    assert call.outcome == "ok" and call.first_token_s is not None
    assert call.completion_tokens == 4 and call.prompt_tokens == 11


def test_stream_retries_a_failure_before_any_text(server, gateway, ctx):
    server.enqueue(rate_limited("0"), cut_early(), ok("made it"))
    assert "".join(gateway.stream(HI)) == "made it"
    assert server.count == 3
    assert outcomes(ctx) == ["retried-ok"]


def test_stream_cut_after_text_is_an_error_not_a_retry(server, gateway, ctx):
    server.enqueue(cut("this answer stops half way through"))
    got = []
    with pytest.raises(LLMError) as err:
        for piece in gateway.stream(HI):
            got.append(piece)
    assert got == ["this ", "answer ", "stops "]
    assert "cut off" in str(err.value)
    assert server.count == 1
    assert outcomes(ctx) == ["error:cut"]


def test_stream_cancel_stops_cleanly(server, gateway, ctx):
    server.enqueue(ok(" ".join(f"w{i}" for i in range(50))))
    cancel = threading.Event()
    got = []
    for piece in gateway.stream(HI, cancel=cancel):
        got.append(piece)
        if len(got) == 3:
            cancel.set()
    assert len(got) == 3
    assert outcomes(ctx) == ["cancelled"]


def test_stream_closed_by_consumer_is_logged_as_cancelled(server, gateway, ctx):
    server.enqueue(ok("a b c d e f"))
    stream = gateway.stream(HI)
    assert next(stream) == "a "
    stream.close()
    assert outcomes(ctx) == ["cancelled"]


# -- structured output -----------------------------------------------------------------------
class Verdict(BaseModel):
    ready: bool
    reason: str


def test_structured_prompt_and_parse_with_one_reask(server, gateway, ctx):
    server.enqueue(ok('Sure! {"ready": "maybe"}'),
                   ok('```json\n{"ready": true, "reason": "three quantified wins"}\n```'))
    result = gateway.structured([{"role": "system", "content": "Judge."}, *HI], Verdict)
    assert result == Verdict(ready=True, reason="three quantified wins")
    first, second = server.requests
    assert "response_format" not in first.body  # unknown model: schema goes in the prompt
    assert '"reason"' in first.body["messages"][0]["content"]
    assert "did not validate" in second.body["messages"][-1]["content"]
    assert "ready" in second.body["messages"][-1]["content"]


def test_structured_failure_after_two_bad_replies(server, gateway):
    server.enqueue(ok("no json here"), ok('{"ready": 3}'))
    result = gateway.structured(HI, Verdict)
    assert isinstance(result, StructuredFailure)
    assert result.raw == '{"ready": 3}' and result.attempts == 2
    assert "reason" in result.error


def test_structured_uses_json_schema_for_local(server):
    gw = LiteLLMGateway("local", api_base=server.url, timeout=2.0, retry=FAST)
    server.enqueue(ok('{"ready": false, "reason": "no evidence yet"}'))
    assert gw.structured(HI, Verdict).ready is False
    body = server.requests[0].body
    assert body["model"] == "local"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["required"] == ["ready", "reason"]


def test_warm_sends_one_token_for_local_only(server, gateway):
    gw = LiteLLMGateway("local", api_base=server.url, timeout=2.0, retry=FAST)
    assert gw.warm([{"role": "system", "content": "You are the manager."}]) is True
    assert server.requests[0].body["max_tokens"] == 1
    assert gateway.warm(HI) is False  # hosted: would cost money
    assert server.count == 1


def test_no_retries_inside_litellm(server, gateway):
    """Counts are exact only if LiteLLM and the OpenAI SDK do not retry on their own."""
    server.enqueue(server_error(500))
    gw = LiteLLMGateway("openai/anything", api_base=server.url, timeout=2.0,
                        retry=RetryPolicy(attempts=1))
    with pytest.raises(LLMError):
        gw.complete(HI)
    assert server.count == 1


def test_local_model_not_installed_is_one_clear_error(ctx):
    from coach.domain.errors import CoachError

    def not_installed() -> str:
        raise CoachError("the embedded model is not installed.", hint="Run `make setup`.")

    gw = LiteLLMGateway("local", call_log=ctx.log_call, retry=FAST, local_base=not_installed)
    with pytest.raises(LLMError) as err:
        gw.complete(HI)
    assert str(err.value).startswith("the embedded model is not installed. Run `make setup`.")
    assert outcomes(ctx) == ["error:setup"]


def test_cli_models_check_sends_a_tiny_request(monkeypatch, capsys):
    import json

    from coach.cli.main import main

    with FaultServer(ok("ok")) as srv:
        monkeypatch.setenv("COACH_MODEL", "openai/anything")
        monkeypatch.setenv("COACH_API_BASE", srv.url)
        assert main(["models", "--check", "--json"]) == 0
        assert srv.count == 1 and srv.requests[0].body["max_tokens"] == 2
    report = json.loads(capsys.readouterr().out)
    assert report["api_base"] == srv.url
    assert report["models"][0]["answered"] is True


def test_cli_models_lists_fallbacks_and_missing_keys(monkeypatch, capsys):
    from coach.cli.main import main

    monkeypatch.setenv("COACH_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("COACH_FALLBACK_MODELS", "anthropic/claude-3-5-haiku-latest,local")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert main(["models"]) == 1  # not every model is ready
    out = capsys.readouterr().out
    assert "model     gpt-4o-mini: no API key: set OPENAI_API_KEY" in out
    assert "fallback  anthropic/claude-3-5-haiku-latest: no API key: set ANTHROPIC_API_KEY" in out
    assert "fallback  local:" in out
