"""Where things live and which model to use: `COACH_*` environment variables and the data home."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.domain.errors import CoachError

LOCAL_MODEL = "local"

# Libraries that phone home unless told not to. Set before any of them is imported.
OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "DO_NOT_TRACK": "1",
}


def set_offline_env() -> None:
    """Switch off every network look-up the stack would make at import or run time."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def default_home() -> Path:
    """`$COACH_HOME`, else `$XDG_DATA_HOME/coach`, else `~/.local/share/coach`."""
    if env := os.environ.get("COACH_HOME"):
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "coach"


def default_cache_dir() -> Path:
    """The machine-wide cache: `$XDG_CACHE_HOME/coach`, else `~/.cache/coach`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "coach"


def default_threads() -> int:
    """Two threads, or one on a single core: what the CPU-bound models use unless told."""
    return min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about its environment.

    Built from `COACH_*` variables by `Settings.load` (the one place that reads them);
    constructed directly, every field not given keeps its default.
    """

    home: Path
    model: str = LOCAL_MODEL
    api_base: str | None = None
    judge_model: str | None = None
    fallback_models: list[str] = field(default_factory=list)
    database_url: str | None = None
    chroma_url: str | None = None
    # A hosted or local model call that takes longer than this fails (CPU generation of a
    # long reply under load can take minutes).
    llm_timeout_s: float = 300.0
    # The embedded model's weights (1 GB): None keeps them under this home's cache. Several
    # homes (tests, the users of the web service) share one copy by naming a folder.
    models_dir: Path | None = None
    # The embedded model's server: stop after this long without requests (0 = never), its
    # CPU threads, and how hard idle threads spin (0-100; 0 is kinder to a busy machine).
    local_idle_minutes: float = 15.0
    local_threads: int = field(default_factory=default_threads)
    local_poll: int = 50
    # The embedding model: CPU threads, and whether idle threads spin briefly (about 3 ms
    # off a query; off where those spins would take cores from other requests).
    embed_threads: int = field(default_factory=default_threads)
    embed_spin: bool = True
    # The machine-wide cache of passage embeddings, shared by every data home.
    embed_cache_dir: Path = field(default_factory=default_cache_dir)
    # The web service: its accounts file (None: one local user, no login), how many requests
    # run at once, and the size of its worker-thread pool.
    users_file: Path | None = None
    ui_concurrency: int = 8
    ui_threads: int = 64
    # Web service logins end after this long without a request.
    session_idle_hours: float = 12.0

    @property
    def db_path(self) -> Path:
        return self.home / "coach.db"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def documents_dir(self) -> Path:
        return self.home / "documents"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def exports_dir(self) -> Path:
        return self.home / "exports"

    @property
    def grader(self) -> str:
        return self.judge_model or self.model

    @classmethod
    def load(cls, home: str | Path | None = None, model: str | None = None) -> Settings:
        """Build settings from arguments first, then `COACH_*` variables, then defaults.

        Raises:
            CoachError: a variable holds a value of the wrong kind (it names the variable).
        """
        env = _Env(os.environ)
        return cls(
            home=Path(home).expanduser() if home else default_home(),
            model=model or env.text("COACH_MODEL") or LOCAL_MODEL,
            api_base=env.text("COACH_API_BASE"),
            judge_model=env.text("COACH_JUDGE_MODEL"),
            fallback_models=env.names("COACH_FALLBACK_MODELS"),
            database_url=env.text("COACH_DATABASE_URL"),
            chroma_url=env.text("COACH_CHROMA_URL"),
            llm_timeout_s=env.number("COACH_LLM_TIMEOUT", 300.0, low=1.0),
            models_dir=env.path("COACH_MODELS_DIR"),
            local_idle_minutes=env.number("COACH_LOCAL_IDLE_MINUTES", 15.0, low=0.0),
            local_threads=env.whole("COACH_LOCAL_THREADS", default_threads(), low=1),
            local_poll=env.whole("COACH_LOCAL_POLL", 50, low=0, high=100),
            embed_threads=env.whole("COACH_EMBED_THREADS", default_threads(), low=1),
            embed_spin=env.switch("COACH_EMBED_SPIN", True),
            embed_cache_dir=env.path("COACH_CACHE_DIR") or default_cache_dir(),
            users_file=env.path("COACH_USERS_FILE"),
            ui_concurrency=env.whole("COACH_UI_CONCURRENCY", 8, low=1),
            ui_threads=env.whole("COACH_UI_THREADS", 64, low=1),
            session_idle_hours=env.number("COACH_SESSION_IDLE_HOURS", 12.0, low=0.0001),
        )

    def ensure_home(self) -> Path:
        if self.home.exists() and not self.home.is_dir():
            raise CoachError(f"the data home {self.home} is a file, not a folder",
                             code="bad-home", field="home")
        for path in (self.home, self.cache_dir, self.documents_dir, self.exports_dir):
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CoachError(f"cannot use {self.home} as the data home: {exc.strerror or exc}",
                                 code="bad-home", field="home") from None
        return self.home


_SWITCHES = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class _Env:
    """Typed reads of environment variables; a bad value is a CoachError naming the variable."""

    values: Mapping[str, str]

    def text(self, name: str) -> str | None:
        return self.values.get(name, "").strip() or None

    def path(self, name: str) -> Path | None:
        value = self.text(name)
        return Path(value).expanduser() if value else None

    def names(self, name: str) -> list[str]:
        return [part.strip() for part in (self.text(name) or "").split(",") if part.strip()]

    def number(self, name: str, default: float, *, low: float) -> float:
        return self._read(name, default, float, lambda v: low <= v < float("inf"),
                          f"a number of at least {low:g}")

    def whole(self, name: str, default: int, *, low: int, high: int | None = None) -> int:
        kind = f"a whole number from {low} to {high}" if high is not None \
            else f"a whole number of at least {low}"
        return self._read(name, default, int, lambda v: v >= low and (high is None or v <= high), kind)

    def switch(self, name: str, default: bool) -> bool:
        return self._read(name, default, lambda v: _SWITCHES[v.lower()], lambda v: True,
                          "1 or 0 (on or off)")

    def _read(self, name: str, default: Any, convert: Callable[[str], Any],
              ok: Callable[[Any], bool], kind: str) -> Any:
        value = self.text(name)
        if value is None:
            return default
        try:
            parsed = convert(value)
        except (ValueError, KeyError):
            parsed = None
        if parsed is None or not ok(parsed):
            raise CoachError(f"{name}={value!r} is not {kind}",
                             hint=f"Fix or unset {name} (the default is {default}).")
        return parsed
