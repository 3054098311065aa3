"""Connections and migrations for SQLite (default) and PostgreSQL (`COACH_DATABASE_URL`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from coach.domain.errors import CoachError
from coach.store.migrations import MIGRATIONS


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _set_wal(conn: sqlite3.Connection, tries: int = 100) -> None:
    """Switch a connection to WAL. On a brand-new file, two processes opening it at once can
    get "database is locked" here at once, without the busy timeout: try again briefly."""
    for attempt in range(tries):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05)


class Database:
    """A thin, dialect-aware wrapper: `?` placeholders everywhere, one transaction per block."""

    dialect = "sqlite"

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    # -- connections -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise CoachError(f"cannot open the database at {self.path}: {exc}",
                             code="bad-home", field="home") from exc
        conn.row_factory = sqlite3.Row
        _set_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a killed process
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._thread_conn()

    def _thread_conn(self) -> Any:
        """This thread's connection, opened on first use (psycopg's on PostgreSQL)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def tx(self) -> Iterator[Cursor]:
        """One write transaction; committed on success, rolled back on any error."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Cursor(conn.cursor(), self)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, tuple(params)).fetchall()]

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- schema --------------------------------------------------------------------------
    def ddl(self, statement: str) -> str:
        return statement.format(pk="INTEGER PRIMARY KEY AUTOINCREMENT", json="TEXT")

    def applied_versions(self) -> set[int]:
        rows = self.query("SELECT version FROM schema_migrations")
        return {int(r["version"]) for r in rows}

    def migrate(self) -> list[int]:
        """Apply every migration not yet recorded; returns the versions applied now.

        Each one runs in a write transaction that looks at the record again first: two app
        processes opening a new database at once apply every migration once.
        """
        with self.tx() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        done = self.applied_versions()
        applied = []
        for version, name, statements in MIGRATIONS:
            if version in done:
                continue
            with self.tx() as cur:
                if cur.execute("SELECT 1 FROM schema_migrations WHERE version = ?",
                               (version,)).fetchone():
                    continue  # another process applied it since we looked
                for statement in statements:
                    cur.execute(self.ddl(statement))
                cur.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now_iso()),
                )
            applied.append(version)
        return applied

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the live database, safe while other writers run."""
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()


class Cursor:
    """Cursor that speaks `?` placeholders and returns dict rows, whatever the dialect."""

    def __init__(self, raw: Any, db: Database):
        self.raw = raw
        self.db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(sql, tuple(params))
        return self

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        self.raw.execute(sql + " RETURNING id", tuple(params))
        row = self.raw.fetchone()
        return int(row[0])

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.raw.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self.raw.fetchone()
        return dict(row) if row is not None else None

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount


def open_database(path: Path | None, url: str | None = None) -> Database:
    """SQLite at `path` unless a PostgreSQL `url` is given.

    On PostgreSQL each data home gets its own schema (named from the home's path), so the
    per-user homes of the multi-user app stay as separate there as their SQLite files.
    """
    if url:
        from coach.store.postgres import PostgresDatabase

        schema = None
        if path is not None:
            digest = hashlib.sha256(str(path.parent.resolve()).encode()).hexdigest()[:16]
            schema = f"coach_{digest}"
        return PostgresDatabase(url, schema=schema)
    if path is None:
        raise CoachError("no database path and no COACH_DATABASE_URL")
    return Database(path)
