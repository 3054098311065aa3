"""Where things live and which model to use: `COACH_*` environment variables and the data home."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from coach.domain.errors import CoachError

LOCAL_MODEL = "local"
SESSION_IDLE_HOURS = 12.0  # a working day of quiet before a web login has to be made again

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


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _hours(name: str, default: float) -> float:
    """A positive number of hours from `$name` (unset or empty: the default)."""
    raw = (os.environ.get(name) or "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise CoachError(f"{name}={raw} is not a positive number of hours",
                         hint=f"Set it to e.g. 12, or unset it for the default ({default:g}).")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about its environment."""

    home: Path
    model: str = LOCAL_MODEL
    api_base: str | None = None
    judge_model: str | None = None
    fallback_models: list[str] = field(default_factory=list)
    database_url: str | None = None
    chroma_url: str | None = None
    # Web service logins end after this long without a request (`$COACH_SESSION_IDLE_HOURS`).
    session_idle_hours: float = SESSION_IDLE_HOURS

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
        """Build settings from arguments first, then `COACH_*` variables, then defaults."""
        return cls(
            home=Path(home).expanduser() if home else default_home(),
            model=model or os.environ.get("COACH_MODEL") or LOCAL_MODEL,
            api_base=os.environ.get("COACH_API_BASE") or None,
            judge_model=os.environ.get("COACH_JUDGE_MODEL") or None,
            fallback_models=_split(os.environ.get("COACH_FALLBACK_MODELS")),
            database_url=os.environ.get("COACH_DATABASE_URL") or None,
            chroma_url=os.environ.get("COACH_CHROMA_URL") or None,
            session_idle_hours=_hours("COACH_SESSION_IDLE_HOURS", SESSION_IDLE_HOURS),
        )

    def ensure_home(self) -> Path:
        if self.home.exists() and not self.home.is_dir():
            raise CoachError(f"the data home {self.home} is a file, not a folder",
                             hint="Pass --home with a folder path.")
        for path in (self.home, self.cache_dir, self.documents_dir, self.exports_dir):
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CoachError(f"cannot use {self.home} as the data home: {exc.strerror or exc}",
                                 hint="Pass --home with a writable folder.") from None
        return self.home
