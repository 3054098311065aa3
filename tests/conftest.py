"""Shared test set-up: every test gets its own data home, and no test reaches a real model
unless it asks for one (the `live` marker) or replays a cassette."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

from coach.config import default_home, set_offline_env


def pytest_configure(config):
    """Before any test module is imported: the offline switches, and one copy of the weights.

    Every test home shares one joined copy of the embedded model's weights (1.1 GB): the one
    `make run` uses, unless COACH_MODELS_DIR says otherwise.
    """
    set_offline_env()
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))


@pytest.fixture(scope="session", autouse=True)
def _shared_embedding_cache(tmp_path_factory):
    """Fresh homes index the same guidance: embed it once per machine, not once per test."""
    if "COACH_CACHE_DIR" not in os.environ:
        os.environ["COACH_CACHE_DIR"] = str(tmp_path_factory.getbasetemp().parent / "coach-cache")


@pytest.fixture(autouse=True)
def coach_home(tmp_path, monkeypatch):
    """Point the data home at a fresh folder and clear model configuration."""
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    for var in ("COACH_MODEL", "COACH_API_BASE", "COACH_JUDGE_MODEL", "COACH_FALLBACK_MODELS",
                "COACH_DATABASE_URL", "COACH_CHROMA_URL", "COACH_USERS_FILE",
                "COACH_SESSION_IDLE_HOURS"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def ctx(coach_home):
    """A context on the fresh home with a scripted model (enqueue replies on ctx.llm)."""
    from coach.services.context import Context
    from coach.testing import ScriptedLLM

    return Context.open(coach_home, llm=ScriptedLLM())


@pytest.fixture
def no_model(coach_home, monkeypatch):
    """A context whose model, judge and model factory all fail the test when used."""
    import coach.llm.factory
    from coach.services.context import Context
    from coach.testing import NoModelLLM

    monkeypatch.setattr(coach.llm.factory, "build_llm", NoModelLLM()._refuse)
    ctx = Context.open(coach_home, llm=NoModelLLM())
    ctx.judge_override = NoModelLLM()
    return ctx


def pytest_report_header(config):
    return [f"COACH_TEST_DATABASE_URL={'set' if os.environ.get('COACH_TEST_DATABASE_URL') else 'unset'}"]


# --- Recorded model calls (vcrpy through pytest-recording) -------------------------------------
# Cassettes live in tests/cassettes/<module>/<test>.yaml and replay offline (record mode "none").
# Re-record: `make record` (COACH_RECORD=1 pytest -m "not browser" --record-mode=all).
# Requests match on method, path and JSON body, not host/port: the local server's port is random.

REPLAY_API_BASE = "http://127.0.0.1:9/v1"  # nothing listens here: replays never connect


def _json_or_text(body):
    if body is None:
        return None
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        return json.loads(body)
    except ValueError:
        return body


def _json_body(r1, r2):
    """Bodies equal as JSON (key order and spacing do not matter)."""
    assert _json_or_text(r1.body) == _json_or_text(r2.body), "request bodies differ"


def _scrub_response(response):
    from coach.llm.scrub import scrub

    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):
        try:
            response["body"]["string"] = scrub(body.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            pass
    elif isinstance(body, str):
        response["body"]["string"] = scrub(body)
    for name in ("set-cookie", "Set-Cookie", "openai-organization"):
        response.get("headers", {}).pop(name, None)
    return response


def pytest_recording_configure(config, vcr):
    vcr.register_matcher("json_body", _json_body)


def is_recording(config) -> bool:
    """True under `--record-mode` other than none, or COACH_RECORD=1."""
    mode = config.getoption("--record-mode", default=None)
    if mode:
        return mode != "none"
    return os.environ.get("COACH_RECORD") == "1"


@pytest.fixture
def vcr_config(request):
    config = {
        "match_on": ["method", "path", "json_body"],
        "filter_headers": ["authorization", "api-key", "x-api-key", "cookie"],
        "decode_compressed_response": True,
        "before_record_response": _scrub_response,
    }
    # An explicit --record-mode wins; COACH_RECORD=1 alone means re-record everything.
    if not request.config.getoption("--record-mode", default=None) and is_recording(request.config):
        config["record_mode"] = "all"
    return config


@pytest.fixture(scope="session")
def local_model(tmp_path_factory):
    """The embedded model's server, started once per session (reused if one already runs)."""
    from coach.config import Settings
    from coach.llm.local import LocalServer

    server = LocalServer(Settings.load(tmp_path_factory.mktemp("local-model-home")))
    info = server.ensure()
    yield info
    if server.started_here:
        server.stop()


@dataclass
class Recorded:
    """How a cassette test reaches `local`: the live server when recording, nothing on replay."""

    recording: bool
    api_base: str

    def llm(self, call_log=None, **kwargs):
        from coach.llm.gateway import LiteLLMGateway, RetryPolicy

        kwargs.setdefault("retry", RetryPolicy(attempts=2, initial_s=0.01, jitter_s=0.0))
        kwargs.setdefault("timeout", 120.0)
        return LiteLLMGateway("local", api_base=self.api_base, call_log=call_log, **kwargs)


@pytest.fixture
def recorded(request):
    """Use with `@pytest.mark.vcr`: `recorded.llm(ctx.log_call)` is the `local` model, recorded."""
    if is_recording(request.config):
        return Recorded(True, request.getfixturevalue("local_model").base_url)
    return Recorded(False, REPLAY_API_BASE)
