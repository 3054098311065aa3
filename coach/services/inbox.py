"""The inbox: the harvested candidates waiting for the user, accepted into the log or rejected."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft
from coach.domain.harvest.candidate import InboxItem
from coach.domain.harvest.inbox import PENDING, STATUSES
from coach.domain.limits import check_lengths
from coach.domain.validation import invalid
from coach.services.context import Context

EDITABLE = ("title", "metric", "kind", "date", "description", "next_level")


class Accepted(BaseModel):
    """An accepted item and the log entry it became."""

    item: InboxItem
    entry: Entry


def list_inbox(ctx: Context, status: str | None = PENDING) -> list[InboxItem]:
    """The items with `status` (pending by default; None for all), oldest first."""
    if status is not None and status not in STATUSES:
        raise CoachError(f"'{status}' is not an inbox status; the statuses are "
                         f"{', '.join(STATUSES)}", code="bad-choice", field="status")
    return ctx.store.inbox.items(status)


def inbox_item(ctx: Context, item_id: int) -> InboxItem:
    return ctx.store.inbox.get(item_id)


def accept(ctx: Context, item_id: int, **edits: Any) -> Accepted:
    """Turn the item into a log entry with its source link, after the user's `edits` (any of
    `EDITABLE`; None keeps the candidate's value). Nothing is saved if the entry is invalid."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise ValueError(f"not editable: {', '.join(unknown)}")
    changes = {k: v for k, v in edits.items() if v is not None}
    check_lengths(**{k: changes.get(k) for k in ("title", "metric", "description")})
    item = ctx.store.inbox.get(item_id)
    try:
        draft = EntryDraft.model_validate({**item.to_entry().model_dump(), **changes})
    except ValidationError as exc:
        raise invalid(exc, "entry") from None
    saved, entry = ctx.store.inbox.accept(item_id, draft)
    return Accepted(item=saved, entry=entry)


def reject(ctx: Context, item_id: int) -> InboxItem:
    """Keep the item out of the log, and out of every later harvest of its source."""
    return ctx.store.inbox.reject(item_id)
