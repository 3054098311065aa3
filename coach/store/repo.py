"""Typed reads and writes over the database: profile, impact log, artifacts, conversations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft, EntryFilter, Kind
from coach.domain.profile import Profile
from coach.store.db import Database, now_iso
from coach.store.inbox import Inbox


class Artifact(BaseModel):
    """A saved output (proposal, email, readiness report...) with its version number."""

    id: int
    kind: str
    name: str
    version: int
    content: str
    meta: dict[str, Any]
    created_at: str


class StoredMessage(BaseModel):
    id: int
    conversation_id: int
    role: str
    content: str
    meta: dict[str, Any]
    created_at: str


class Conversation(BaseModel):
    id: int
    kind: str
    title: str
    meta: dict[str, Any]
    created_at: str
    updated_at: str


class CallRow(BaseModel):
    """One model call as logged (never the key)."""

    at: str = ""
    model: str
    prompt_name: str = ""
    prompt_version: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    latency_s: float = 0.0
    first_token_s: float | None = None
    outcome: str = "ok"
    error: str = ""


def _entry(row: dict[str, Any]) -> Entry:
    # Rows were validated on the way in; constructing skips re-checking dates against today.
    return Entry.model_construct(
        id=row["id"],
        date=dt.date.fromisoformat(row["date"]),
        title=row["title"],
        description=row["description"],
        metric=row["metric"],
        kind=Kind(row["kind"]),
        next_level=bool(row["next_level"]),
        source=row["source"],
    )


def _loads(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else json.loads(value or "{}")


class Store:
    """The one place the app reads and writes its user's data."""

    def __init__(self, db: Database):
        self.db = db

    @cached_property
    def inbox(self) -> Inbox:
        """The harvest inbox (coach/store/inbox.py)."""
        return Inbox(self)

    # -- profile -------------------------------------------------------------------------
    def get_profile(self) -> Profile | None:
        rows = self.db.query("SELECT data FROM profile WHERE id = 1")
        return Profile.model_validate(_loads(rows[0]["data"])) if rows else None

    def save_profile(self, profile: Profile) -> Profile:
        data = profile.model_dump_json()
        with self.db.tx() as cur:
            cur.execute(
                "INSERT INTO profile (id, data, updated_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (data, now_iso()),
            )
        return profile

    # -- impact log ----------------------------------------------------------------------
    _ENTRY_COLS = "date, title, description, metric, kind, next_level, source"

    @staticmethod
    def _entry_values(draft: EntryDraft) -> tuple[Any, ...]:
        return (draft.date.isoformat(), draft.title, draft.description, draft.metric,
                str(draft.kind), int(draft.next_level), draft.source)

    def add_entries(self, drafts: Sequence[EntryDraft]) -> list[Entry]:
        """Add all drafts in one transaction: either every one is saved or none is."""
        stamp = now_iso()
        saved: list[Entry] = []
        with self.db.tx() as cur:
            for draft in drafts:
                new_id = cur.insert(
                    f"INSERT INTO entries ({self._ENTRY_COLS}, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*self._entry_values(draft), stamp, stamp),
                )
                saved.append(Entry(id=new_id, **draft.model_dump()))
        return saved

    def add_entry(self, draft: EntryDraft) -> Entry:
        return self.add_entries([draft])[0]

    def get_entry(self, entry_id: int) -> Entry:
        rows = self.db.query(f"SELECT id, {self._ENTRY_COLS} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise CoachError(f"no impact-log entry with id {entry_id}", code="not-found",
                             field="entry")
        return _entry(rows[0])

    def update_entry(self, entry_id: int, draft: EntryDraft) -> Entry:
        self.get_entry(entry_id)
        with self.db.tx() as cur:
            cur.execute(
                "UPDATE entries SET date = ?, title = ?, description = ?, metric = ?, kind = ?, "
                "next_level = ?, source = ?, updated_at = ? WHERE id = ?",
                (*self._entry_values(draft), now_iso(), entry_id),
            )
        return Entry(id=entry_id, **draft.model_dump(exclude={"id"}))

    def delete_entry(self, entry_id: int) -> Entry:
        entry = self.get_entry(entry_id)
        with self.db.tx() as cur:
            cur.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        return entry

    def list_entries(self, where: EntryFilter | None = None) -> list[Entry]:
        rows = self.db.query(f"SELECT id, {self._ENTRY_COLS} FROM entries ORDER BY date, id")
        entries = [_entry(r) for r in rows]
        return [e for e in entries if where is None or where.matches(e)]

    def count_entries(self) -> int:
        return int(self.db.query("SELECT COUNT(*) AS n FROM entries")[0]["n"])

    # -- artifacts (versioned outputs) -------------------------------------------------
    def save_artifact(self, kind: str, name: str, content: str,
                      meta: dict[str, Any] | None = None) -> Artifact:
        stamp = now_iso()
        meta_json = json.dumps(meta or {}, default=str)
        with self.db.tx() as cur:
            row = cur.execute(
                "SELECT COALESCE(MAX(version), 0) AS v FROM artifacts WHERE kind = ? AND name = ?",
                (kind, name),
            ).fetchone()
            version = int(row["v"]) + 1 if row else 1
            new_id = cur.insert(
                "INSERT INTO artifacts (kind, name, version, content, meta, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, name, version, content, meta_json, stamp),
            )
        return Artifact(id=new_id, kind=kind, name=name, version=version, content=content,
                        meta=meta or {}, created_at=stamp)

    def artifacts(self, kind: str, name: str | None = None) -> list[Artifact]:
        """Versions of an artifact kind (optionally one name), newest first."""
        sql = "SELECT * FROM artifacts WHERE kind = ?"
        params: list[Any] = [kind]
        if name is not None:
            sql += " AND name = ?"
            params.append(name)
        rows = self.db.query(sql + " ORDER BY id DESC", params)
        return [Artifact(**{**r, "meta": _loads(r["meta"])}) for r in rows]

    def latest_artifact(self, kind: str, name: str | None = None) -> Artifact | None:
        found = self.artifacts(kind, name)
        return found[0] if found else None

    def get_artifact(self, artifact_id: int) -> Artifact:
        rows = self.db.query("SELECT * FROM artifacts WHERE id = ?", (artifact_id,))
        if not rows:
            raise CoachError(f"no saved draft with id {artifact_id}")
        return Artifact(**{**rows[0], "meta": _loads(rows[0]["meta"])})

    # -- conversations (chat, role-play) -----------------------------------------------
    def new_conversation(self, kind: str, title: str = "",
                         meta: dict[str, Any] | None = None) -> Conversation:
        stamp = now_iso()
        with self.db.tx() as cur:
            new_id = cur.insert(
                "INSERT INTO conversations (kind, title, meta, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, title, json.dumps(meta or {}, default=str), stamp, stamp),
            )
        return Conversation(id=new_id, kind=kind, title=title, meta=meta or {},
                            created_at=stamp, updated_at=stamp)

    def update_conversation(self, conversation_id: int, meta: dict[str, Any]) -> None:
        with self.db.tx() as cur:
            cur.execute("UPDATE conversations SET meta = ?, updated_at = ? WHERE id = ?",
                        (json.dumps(meta, default=str), now_iso(), conversation_id))

    def get_conversation(self, conversation_id: int) -> Conversation:
        rows = self.db.query("SELECT * FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            raise CoachError(f"no conversation with id {conversation_id}")
        return Conversation(**{**rows[0], "meta": _loads(rows[0]["meta"])})

    def conversations(self, kind: str) -> list[Conversation]:
        rows = self.db.query("SELECT * FROM conversations WHERE kind = ? ORDER BY id", (kind,))
        return [Conversation(**{**r, "meta": _loads(r["meta"])}) for r in rows]

    def delete_conversation(self, conversation_id: int) -> None:
        """Remove a conversation with its messages and scorecards (the foreign keys cascade)."""
        self.get_conversation(conversation_id)
        with self.db.tx() as cur:
            cur.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def add_messages(self, conversation_id: int,
                     messages: Iterable[tuple[str, str, dict[str, Any] | None]]) -> None:
        stamp = now_iso()
        with self.db.tx() as cur:
            for role, content, meta in messages:
                cur.execute(
                    "INSERT INTO messages (conversation_id, role, content, meta, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (conversation_id, role, content, json.dumps(meta or {}, default=str), stamp),
                )
            cur.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                        (stamp, conversation_id))

    def messages(self, conversation_id: int, last: int | None = None) -> list[StoredMessage]:
        """The conversation's messages, oldest first; only the newest `last` if given (a long
        chat then costs no more per turn than a short one)."""
        if last is None:
            rows = self.db.query("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                                 (conversation_id,))
        else:
            rows = self.db.query("SELECT * FROM messages WHERE conversation_id = ? "
                                 "ORDER BY id DESC LIMIT ?", (conversation_id, max(0, last)))[::-1]
        return [StoredMessage(**{**r, "meta": _loads(r["meta"])}) for r in rows]

    # -- scorecards ------------------------------------------------------------------------
    def save_scorecard(self, conversation_id: int, score: float, data: dict[str, Any]) -> int:
        with self.db.tx() as cur:
            return cur.insert(
                "INSERT INTO scorecards (conversation_id, score, data, created_at) "
                "VALUES (?, ?, ?, ?)",
                (conversation_id, score, json.dumps(data, default=str), now_iso()),
            )

    def scorecards(self) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT * FROM scorecards ORDER BY id")
        return [{**r, "data": _loads(r["data"])} for r in rows]

    # -- model-call log ------------------------------------------------------------------
    def log_call(self, call: CallRow) -> None:
        row = call.model_dump()
        row["at"] = row["at"] or now_iso()
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.db.tx() as cur:
            cur.execute(f"INSERT INTO llm_calls ({cols}) VALUES ({marks})", tuple(row.values()))

    def calls(self, limit: int = 100) -> list[CallRow]:
        rows = self.db.query(
            "SELECT * FROM llm_calls ORDER BY id DESC LIMIT ?", (limit,))
        return [CallRow(**{k: v for k, v in r.items() if k != "id"}) for r in rows]

    # -- small settings -------------------------------------------------------------------
    def get_value(self, key: str, default: Any = None) -> Any:
        rows = self.db.query("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(rows[0]["value"]) if rows else default

    def set_value(self, key: str, value: Any) -> None:
        with self.db.tx() as cur:
            cur.execute(
                "INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (key, json.dumps(value, default=str), now_iso()),
            )
