"""The SQLite store: migrations, profile, impact log, artifacts, conversations, call log."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sqlite3

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft, EntryFilter, Kind
from coach.domain.profile import Profile, Signal, Transition
from coach.llm.base import CallRecord
from coach.store import Store, open_database
from coach.store.migrations import MIGRATIONS
from coach.store.repo import CallRow


def _fresh_postgres(url: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return open_database(None, url)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """The same tests run on SQLite and, where a server is available, on PostgreSQL."""
    if request.param == "sqlite":
        yield Store(open_database(tmp_path / "coach.db"))
        return
    url = os.environ.get("COACH_TEST_DATABASE_URL")
    if not url:
        pytest.skip("COACH_TEST_DATABASE_URL not set (scripts/postgres.sh starts a server)")
    db = _fresh_postgres(url)
    yield Store(db)
    db.close()


def draft(**kw):
    base = dict(date=dt.date(2026, 3, 1), title="Led the payments migration",
                metric="cut p95 latency 40%", kind=Kind.LEADERSHIP)
    return EntryDraft(**{**base, **kw})


def test_migrations_recorded_once_and_pragmas_sqlite(tmp_path):
    db = open_database(tmp_path / "coach.db")
    assert db.applied_versions() == {v for v, _, _ in MIGRATIONS}
    assert db.migrate() == []  # idempotent
    assert db.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    assert db.query("PRAGMA foreign_keys")[0]["foreign_keys"] == 1


def test_two_processes_opening_a_new_database_at_once_migrate_it_once(tmp_path, monkeypatch):
    """Two app replicas starting on one new data home: both see no migrations applied, then
    each must find the other's work inside its own write transaction."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from coach.store.db import Database

    both_looked = Barrier(2, timeout=10)
    seen = Database.applied_versions

    def after_both_looked(self):
        versions = seen(self)
        both_looked.wait()
        return versions

    monkeypatch.setattr(Database, "applied_versions", after_both_looked)
    with ThreadPoolExecutor(2) as pool:  # one connection each, as two processes have
        opened = list(pool.map(lambda _: Database(tmp_path / "coach.db"), range(2)))
    monkeypatch.undo()
    rows = opened[0].query("SELECT version FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in rows] == [v for v, _, _ in MIGRATIONS]


def test_profile_round_trip(store):
    assert store.get_profile() is None
    p = Profile(current_title="Engineer", target_title="Senior Engineer",
                transition=Transition.IC_TO_LEAD, months_in_role=14,
                signals=[Signal.RECENT_WIN, Signal.LAYOFFS])
    store.save_profile(p)
    assert store.get_profile() == p
    store.save_profile(p.model_copy(update={"months_in_role": 15}))
    assert store.get_profile().months_in_role == 15


def test_entries_add_edit_delete_filter(store):
    a = store.add_entry(draft())
    b = store.add_entry(draft(title="Mentored two juniors", kind=Kind.MENTORING, metric="",
                              next_level=True, date=dt.date(2026, 5, 1)))
    assert [e.id for e in store.list_entries()] == [a.id, b.id]
    assert store.get_entry(a.id) == a
    assert store.list_entries(EntryFilter(kind=Kind.MENTORING)) == [b]
    assert store.list_entries(EntryFilter(next_level=True)) == [b]
    assert store.list_entries(EntryFilter(since=dt.date(2026, 4, 1))) == [b]
    assert store.list_entries(EntryFilter(text="payments")) == [a]
    edited = store.update_entry(a.id, draft(metric="cut p95 latency 45%"))
    assert store.get_entry(a.id).metric == "cut p95 latency 45%" == edited.metric
    store.delete_entry(a.id)
    assert store.list_entries() == [b]
    with pytest.raises(CoachError, match="no impact-log entry with id"):
        store.delete_entry(a.id)


def test_bulk_add_is_all_or_nothing(store, monkeypatch):
    store.add_entry(draft())

    class Boom(Exception):
        pass

    real = store._entry_values
    calls = {"n": 0}

    def flaky(d):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Boom()
        return real(d)

    monkeypatch.setattr(store, "_entry_values", flaky)
    with pytest.raises(Boom):
        store.add_entries([draft(title=f"t{i}") for i in range(5)])
    assert store.count_entries() == 1


def test_artifact_versions(store):
    v1 = store.save_artifact("proposal", "proposal", "first", {"notice": ""})
    v2 = store.save_artifact("proposal", "proposal", "second")
    assert (v1.version, v2.version) == (1, 2)
    assert [a.content for a in store.artifacts("proposal")] == ["second", "first"]
    assert store.latest_artifact("proposal").content == "second"
    assert store.get_artifact(v1.id).meta == {"notice": ""}


def test_conversations_and_cascade(store):
    conv = store.new_conversation("chat", "prep", {"k": 1})
    store.add_messages(conv.id, [("user", "hi", None), ("assistant", "hello", {"citations": []})])
    assert [m.role for m in store.messages(conv.id)] == ["user", "assistant"]
    store.save_scorecard(conv.id, 0.5, {"checks": []})
    assert store.scorecards()[0]["data"] == {"checks": []}
    with store.db.tx() as cur:
        cur.execute("DELETE FROM conversations WHERE id = ?", (conv.id,))
    assert store.messages(conv.id) == []
    assert store.scorecards() == []


def test_the_newest_messages_come_oldest_first(store):
    conv = store.new_conversation("chat", "long")
    other = store.new_conversation("chat", "other")
    store.add_messages(conv.id, [("user", f"m{i}", None) for i in range(5)])
    store.add_messages(other.id, [("user", "elsewhere", None)])
    assert [m.content for m in store.messages(conv.id, last=2)] == ["m3", "m4"]
    assert [m.content for m in store.messages(conv.id, last=9)] == [f"m{i}" for i in range(5)]
    assert store.messages(conv.id, last=0) == []


def test_call_log_and_kv(store):
    store.log_call(CallRow(model="local", prompt_name="proposal", prompt_version="1",
                           prompt_tokens=10, completion_tokens=5, latency_s=0.5))
    assert store.calls()[0].prompt_name == "proposal"
    store.set_value("expectations:ic-to-lead", [{"id": "x"}])
    assert store.get_value("expectations:ic-to-lead") == [{"id": "x"}]
    assert store.get_value("missing", 7) == 7


def test_context_logs_each_model_call_record_as_one_row(ctx):
    """The model layer's CallRecord and the store's CallRow carry the same fields."""
    assert {f.name for f in dataclasses.fields(CallRecord)} == set(CallRow.model_fields) - {"at"}
    record = CallRecord(model="local", prompt_name="chat", prompt_version="2", prompt_tokens=3,
                        completion_tokens=4, cost_usd=0.0, latency_s=0.25, first_token_s=0.1,
                        outcome="error:timeout", error="slow")
    ctx.log_call(record)
    row = ctx.store.calls()[0]
    assert row.at and row.model_dump(exclude={"at"}) == dataclasses.asdict(record)


def test_backup_is_a_consistent_copy(tmp_path):
    store = Store(open_database(tmp_path / "coach.db"))
    store.add_entry(draft())
    target = tmp_path / "copy.db"
    store.db.backup_to(target)
    rows = sqlite3.connect(target).execute("SELECT title FROM entries").fetchall()
    assert rows == [("Led the payments migration",)]


def test_migrations_idempotent_on_either_backend(store):
    assert store.db.applied_versions() == {v for v, _, _ in MIGRATIONS}
    assert store.db.migrate() == []


def test_postgres_homes_do_not_share_tables(tmp_path):
    url = os.environ.get("COACH_TEST_DATABASE_URL")
    if not url:
        pytest.skip("COACH_TEST_DATABASE_URL not set")
    a = Store(open_database(tmp_path / "alice" / "coach.db", url))
    b = Store(open_database(tmp_path / "bob" / "coach.db", url))
    a.add_entry(draft(title="Alice's win"))
    assert [e.title for e in a.list_entries()] == ["Alice's win"]
    assert b.list_entries() == []
    for store in (a, b):
        with store.db.tx() as cur:
            cur.execute(f'DROP SCHEMA "{store.db.schema}" CASCADE')
        store.db.close()
