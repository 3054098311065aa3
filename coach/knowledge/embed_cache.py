"""A machine-wide cache of passage embeddings, keyed by the model and the exact text.

Every data home has its own index, but the shipped guidance is the same text in each: with
this cache a new home (a new user in service mode, a test's fresh home) indexes the
guidance without running the model again. Stored in the folder `Settings.embed_cache_dir`
names (`$COACH_CACHE_DIR`, else `$XDG_CACHE_HOME/coach`). Losing it only costs time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

_lock = threading.Lock()


def _key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()


def _connect(folder: Path) -> sqlite3.Connection | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(folder / "embeddings.sqlite", timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        return conn
    except (OSError, sqlite3.Error):
        return None  # an unwritable cache just means computing everything


def cached(folder: Path, model: str, texts: list[str],
           compute: Callable[[list[str]], np.ndarray], dims: int) -> np.ndarray:
    """Embeddings for `texts`, computing only those the cache in `folder` does not hold."""
    out = np.empty((len(texts), dims), dtype=np.float32)
    keys = [_key(model, t) for t in texts]
    with _lock:
        conn = _connect(folder)
        found: dict[str, bytes] = {}
        if conn is not None:
            try:
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    found.update(conn.execute(
                        f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk).fetchall())
            except sqlite3.Error:
                found = {}
        missing = [i for i, k in enumerate(keys) if k not in found]
        for i, k in enumerate(keys):
            if k in found:
                out[i] = np.frombuffer(found[k], dtype=np.float32)
        if missing:
            fresh = compute([texts[i] for i in missing])
            for row, i in enumerate(missing):
                out[i] = fresh[row]
            if conn is not None:
                try:
                    with conn:
                        conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                         [(keys[i], fresh[row].tobytes())
                                          for row, i in enumerate(missing)])
                except sqlite3.Error:
                    pass
        if conn is not None:
            conn.close()
    return out
