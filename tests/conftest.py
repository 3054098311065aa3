"""Shared test set-up: every test gets its own data home, and no test reaches a real model
unless it asks for one (the `live` marker) or replays a cassette."""

from __future__ import annotations

import os

import pytest

from coach.config import set_offline_env

set_offline_env()


@pytest.fixture(autouse=True)
def coach_home(tmp_path, monkeypatch):
    """Point the data home at a fresh folder and clear model configuration."""
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    for var in ("COACH_MODEL", "COACH_API_BASE", "COACH_JUDGE_MODEL", "COACH_FALLBACK_MODELS",
                "COACH_DATABASE_URL", "COACH_CHROMA_URL", "COACH_USERS_FILE"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def ctx(coach_home):
    """A context on the fresh home with a scripted model (enqueue replies on ctx.llm)."""
    from coach.services.context import Context
    from coach.testing import ScriptedLLM

    return Context.open(coach_home, llm=ScriptedLLM())


def pytest_report_header(config):
    return [f"COACH_TEST_DATABASE_URL={'set' if os.environ.get('COACH_TEST_DATABASE_URL') else 'unset'}"]
