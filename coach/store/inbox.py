"""The harvest inbox: candidates waiting for the user, and what became of each.

An item is never deleted: an accepted one points at its entry, a rejected one stays so the
next harvest of the same source leaves it out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft
from coach.domain.harvest.candidate import Candidate, InboxItem
from coach.domain.harvest.inbox import ACCEPTED, PENDING, REJECTED
from coach.store.db import now_iso

if TYPE_CHECKING:
    from coach.store.repo import Store

_COLS = "id, data, status, entry_id"


def _item(row: dict[str, Any]) -> InboxItem:
    data = row["data"] if isinstance(row["data"], dict) else json.loads(row["data"])
    return InboxItem.model_validate({**data, "id": row["id"], "status": row["status"],
                                     "entry_id": row["entry_id"]})


class Inbox:
    """Typed reads and writes of the `inbox` table (`Store.inbox`)."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def add(self, candidates: Sequence[Candidate]) -> list[InboxItem]:
        """Save every candidate as a pending item, in one transaction."""
        stamp = now_iso()
        saved: list[InboxItem] = []
        with self.db.tx() as cur:
            for c in candidates:
                data = Candidate.model_validate(c.model_dump(include=set(Candidate.model_fields)))
                new_id = cur.insert(
                    "INSERT INTO inbox (source, link, work_key, date, title, data, status, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (data.source.value, data.link, data.key, data.date.isoformat(), data.title,
                     data.model_dump_json(), PENDING, stamp, stamp))
                saved.append(InboxItem(**data.model_dump(), id=new_id))
        return saved

    def items(self, status: str | None = None) -> list[InboxItem]:
        """Items oldest first; only those with `status` if given."""
        if status is None:
            rows = self.db.query(f"SELECT {_COLS} FROM inbox ORDER BY id")
        else:
            rows = self.db.query(f"SELECT {_COLS} FROM inbox WHERE status = ? ORDER BY id",
                                 (status,))
        return [_item(r) for r in rows]

    def get(self, item_id: int) -> InboxItem:
        rows = self.db.query(f"SELECT {_COLS} FROM inbox WHERE id = ?", (item_id,))
        if not rows:
            raise CoachError(f"no inbox item with id {item_id}", code="not-found", field="inbox")
        return _item(rows[0])

    def _pending(self, cur: Any, item_id: int) -> None:
        row = cur.execute("SELECT status, entry_id FROM inbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise CoachError(f"no inbox item with id {item_id}", code="not-found", field="inbox")
        if row["status"] != PENDING:
            done = f" as entry #{row['entry_id']}" if row["entry_id"] else ""
            raise CoachError(f"inbox item {item_id} was already {row['status']}{done}",
                             code="not-pending", field="inbox")

    def accept(self, item_id: int, draft: EntryDraft) -> tuple[InboxItem, Entry]:
        """Save `draft` as a log entry and mark the item accepted, both or neither."""
        stamp = now_iso()
        with self.db.tx() as cur:
            self._pending(cur, item_id)
            entry_id = cur.insert(
                f"INSERT INTO entries ({self.store._ENTRY_COLS}, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*self.store._entry_values(draft), stamp, stamp))
            cur.execute("UPDATE inbox SET status = ?, entry_id = ?, updated_at = ? WHERE id = ?",
                        (ACCEPTED, entry_id, stamp, item_id))
        return self.get(item_id), Entry(id=entry_id, **draft.model_dump())

    def reject(self, item_id: int) -> InboxItem:
        with self.db.tx() as cur:
            self._pending(cur, item_id)
            cur.execute("UPDATE inbox SET status = ?, updated_at = ? WHERE id = ?",
                        (REJECTED, now_iso(), item_id))
        return self.get(item_id)
