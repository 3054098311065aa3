"""The same store on PostgreSQL (`COACH_DATABASE_URL`): same schema, same migrations.

Only what differs from SQLite lives here: the driver, placeholders, id columns and
transactions. Everything above the `Database` interface is shared.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from coach.domain.errors import CoachError
from coach.store.db import Cursor, Database

if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import DictRow

_PLACEHOLDER = re.compile(r"\?")


def _pg(sql: str) -> str:
    return _PLACEHOLDER.sub("%s", sql)


class _PgCursor(Cursor):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(_pg(sql), tuple(params))
        return self

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        self.raw.execute(_pg(sql + " RETURNING id"), tuple(params))
        return int(self.raw.fetchone()["id"])

    def fetchall(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.raw.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        row = self.raw.fetchone()
        return dict(row) if row is not None else None


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, url: str, schema: str | None = None):
        try:
            import psycopg  # noqa: F401  (optional dependency, only for this backend)
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise CoachError("COACH_DATABASE_URL is set but psycopg is not installed",
                             hint="pip install 'psycopg[binary]'") from exc
        self.url = url
        self.schema = schema
        self.path = None  # type: ignore[assignment]
        self._local = threading.local()
        self.migrate()

    def _connect(self):
        import psycopg
        from psycopg.rows import dict_row

        try:
            conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                   connect_timeout=10)
            if self.schema:  # one schema per user home: users never share tables
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                conn.execute(f'SET search_path TO "{self.schema}"')
            return conn
        except psycopg.Error as exc:
            safe = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", self.url)
            raise CoachError(f"cannot connect to PostgreSQL at {safe}: {exc.__class__.__name__}",
                             hint="Check COACH_DATABASE_URL and that the server runs.") from None

    @property
    def pg(self) -> psycopg.Connection[DictRow]:
        """This thread's connection (the inherited `conn` is typed as SQLite's)."""
        return self._thread_conn()

    @contextmanager
    def tx(self) -> Iterator[Cursor]:
        conn = self.pg
        with conn.transaction():
            with conn.cursor() as raw:
                yield _PgCursor(raw, self)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.pg.cursor() as cur:
            cur.execute(_pg(sql), tuple(params))
            return [dict(r) for r in cur.fetchall()]

    def ddl(self, statement: str) -> str:
        return statement.format(pk="BIGSERIAL PRIMARY KEY", json="TEXT")

    def migrate(self) -> list[int]:
        # Several replicas may start at once: one migrates, the others wait and find it done.
        self.pg.execute("SELECT pg_advisory_lock(727272)")
        try:
            return super().migrate()
        finally:
            self.pg.execute("SELECT pg_advisory_unlock(727272)")

    def reset_sequences(self, tables: Sequence[str]) -> None:
        with self.tx() as cur:
            for table in tables:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )

    def backup_to(self, target) -> None:  # pragma: no cover - backups are logical, see services
        raise CoachError("a file-level copy works only for SQLite; take a backup of the data "
                         "instead", code="sqlite-only")
