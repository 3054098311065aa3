"""Settings: every `COACH_*` variable is read in `Settings.load`, typed, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli.main import main
from coach.config import Settings, default_threads
from coach.domain.errors import CoachError

VARIABLES = ("COACH_LLM_TIMEOUT", "COACH_MODELS_DIR", "COACH_LOCAL_IDLE_MINUTES",
             "COACH_LOCAL_THREADS", "COACH_LOCAL_POLL", "COACH_EMBED_THREADS", "COACH_EMBED_SPIN",
             "COACH_CACHE_DIR", "COACH_USERS_FILE", "COACH_UI_CONCURRENCY", "COACH_UI_THREADS")


@pytest.fixture
def clean_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults(clean_env, tmp_path):
    settings = Settings.load(tmp_path)
    assert settings.home == tmp_path and settings.model == "local"
    assert settings.llm_timeout_s == 300.0
    assert settings.models_dir is None
    assert (settings.local_idle_minutes, settings.local_threads, settings.local_poll) \
        == (15.0, default_threads(), 50)
    assert (settings.embed_threads, settings.embed_spin) == (default_threads(), True)
    assert settings.users_file is None
    assert (settings.ui_concurrency, settings.ui_threads) == (8, 64)
    assert settings == Settings(home=tmp_path), "the loaded defaults are the fields' defaults"


def test_every_variable_is_read(clean_env, tmp_path):
    values = {"COACH_LLM_TIMEOUT": "12.5", "COACH_MODELS_DIR": str(tmp_path / "m"),
              "COACH_LOCAL_IDLE_MINUTES": "0", "COACH_LOCAL_THREADS": "3", "COACH_LOCAL_POLL": "0",
              "COACH_EMBED_THREADS": "1", "COACH_EMBED_SPIN": "off",
              "COACH_CACHE_DIR": str(tmp_path / "c"), "COACH_USERS_FILE": str(tmp_path / "u.json"),
              "COACH_UI_CONCURRENCY": "2", "COACH_UI_THREADS": "16"}
    for name, value in values.items():
        clean_env.setenv(name, value)
    s = Settings.load(tmp_path)
    assert (s.llm_timeout_s, s.models_dir, s.local_idle_minutes, s.local_threads, s.local_poll) \
        == (12.5, tmp_path / "m", 0.0, 3, 0)
    assert (s.embed_threads, s.embed_spin, s.embed_cache_dir) == (1, False, tmp_path / "c")
    assert (s.users_file, s.ui_concurrency, s.ui_threads) == (tmp_path / "u.json", 2, 16)


@pytest.mark.parametrize(("name", "value"), [
    ("COACH_LLM_TIMEOUT", "soon"), ("COACH_LLM_TIMEOUT", "0"), ("COACH_LLM_TIMEOUT", "nan"),
    ("COACH_LOCAL_THREADS", "0"), ("COACH_LOCAL_THREADS", "2.5"), ("COACH_LOCAL_POLL", "101"),
    ("COACH_LOCAL_IDLE_MINUTES", "-1"), ("COACH_EMBED_THREADS", "many"),
    ("COACH_EMBED_SPIN", "maybe"), ("COACH_UI_CONCURRENCY", "0"), ("COACH_UI_THREADS", "x"),
])
def test_a_bad_value_is_an_error_naming_the_variable(clean_env, tmp_path, name, value):
    clean_env.setenv(name, value)
    with pytest.raises(CoachError) as caught:
        Settings.load(tmp_path)
    assert name in caught.value.message and repr(value) in caught.value.message
    assert name in caught.value.hint


def test_the_cli_reports_a_bad_value_in_one_line(clean_env, capsys):
    clean_env.setenv("COACH_EMBED_THREADS", "lots")
    assert main(["profile", "show"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("coach: error: COACH_EMBED_THREADS='lots'") and "Traceback" not in err


def test_the_models_dir_defaults_to_the_home_cache(clean_env, tmp_path):
    from coach.llm.weights import models_dir

    assert models_dir(Settings.load(tmp_path)) == tmp_path / "cache" / "models"
    clean_env.setenv("COACH_MODELS_DIR", "~/shared-models")
    assert models_dir(Settings.load(tmp_path)) == Path("~/shared-models").expanduser()
