"""Opening Chroma: a local persistent index, or a server named by `COACH_CHROMA_URL`."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import chromadb.config

from coach.config import Settings
from coach.domain.errors import CoachError

log = logging.getLogger(__name__)


def open_client(settings: Settings):
    """A Chroma client: HTTP when `COACH_CHROMA_URL` is set, else the local index folder."""
    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url
                       else f"http://{settings.chroma_url}")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise CoachError(f"COACH_CHROMA_URL '{settings.chroma_url}' is not an http(s) URL.",
                             hint="Use a value like http://127.0.0.1:8000, or unset it.")
        try:
            port = url.port or (443 if url.scheme == "https" else 8000)
        except ValueError as exc:
            raise CoachError(f"COACH_CHROMA_URL '{settings.chroma_url}' has an invalid port.",
                             hint="Use a value like http://127.0.0.1:8000, or unset it.") from exc
        try:
            return chromadb.HttpClient(host=url.hostname, port=port, ssl=url.scheme == "https",
                                       settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise CoachError(f"Could not reach the Chroma server at {settings.chroma_url} ({exc}).",
                             hint="Start the server, fix COACH_CHROMA_URL, or unset it to use "
                                  "the local index.") from exc
    _quarantine_if_damaged(settings.index_dir)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:  # noqa: BLE001 - chromadb raises several internal types
        raise CoachError(
            f"The search index at {settings.index_dir} could not be opened ({exc}).",
            hint="It only holds derived data: delete that folder and run the command again "
                 "to rebuild it.") from exc


def _quarantine_if_damaged(index_dir: Path) -> None:
    """Move a damaged index aside so it is rebuilt from the files (it is derived data only).

    Checked before Chroma opens the database, because a failed open stays cached in
    chromadb's per-path client registry for the rest of the process.
    """
    db = index_dir / "chroma.sqlite3"
    if not db.is_file():
        return
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            healthy = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.OperationalError:
        return  # locked or not openable read-only: not evidence of damage, let Chroma decide
    except sqlite3.DatabaseError:
        healthy = False  # "file is not a database", "database disk image is malformed"
    if healthy:
        return
    target = index_dir.with_name(f"{index_dir.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(index_dir, target)
    log.warning("The search index was damaged; moved it to %s and rebuilding it.", target)
