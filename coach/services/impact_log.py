"""The impact log: add, edit, remove, list, import and export entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft, EntryFilter
from coach.domain.log_formats import (
    PARSERS,
    RENDERERS,
    LogFormat,
    RowError,
    decode,
    format_from_name,
)
from coach.domain.validation import explain
from coach.services.context import Context


class ImportResult(BaseModel):
    imported: list[Entry]
    skipped: list[RowError]
    dry_run: bool = False


def _validated(data: dict[str, Any]) -> EntryDraft:
    try:
        return EntryDraft.model_validate(data)
    except ValidationError as exc:
        raise CoachError(f"entry not saved: {explain(exc)}", hint="Nothing was changed.") from None


def add_entry(ctx: Context, **fields: Any) -> Entry:
    return ctx.store.add_entry(_validated({k: v for k, v in fields.items() if v is not None}))


def edit_entry(ctx: Context, entry_id: int, **changes: Any) -> Entry:
    current = ctx.store.get_entry(entry_id)
    data = current.model_dump(exclude={"id"})
    data.update({k: v for k, v in changes.items() if v is not None})
    return ctx.store.update_entry(entry_id, _validated(data))


def remove_entry(ctx: Context, entry_id: int) -> Entry:
    return ctx.store.delete_entry(entry_id)


def list_entries(ctx: Context, where: EntryFilter | None = None) -> list[Entry]:
    return ctx.store.list_entries(where)


def import_text(ctx: Context, text: str, fmt: LogFormat, *, skip_bad: bool = False,
                dry_run: bool = False) -> ImportResult:
    """Validate every row; with any bad row nothing is imported unless `skip_bad`."""
    parsed = PARSERS[fmt](text)
    if not parsed.rows and not parsed.errors:
        raise CoachError("the file holds no entries", hint="Export a log to see the expected shape.")
    if parsed.errors and not skip_bad:
        listing = "\n".join(f"  {e}" for e in parsed.errors[:50])
        more = f"\n  ... and {len(parsed.errors) - 50} more" if len(parsed.errors) > 50 else ""
        raise CoachError(
            f"{len(parsed.errors)} bad row(s); nothing was imported:\n{listing}{more}\n",
            code="bad-rows", field="file",
        )
    if dry_run:
        return ImportResult(imported=[], skipped=parsed.errors, dry_run=True)
    saved = ctx.store.add_entries(parsed.rows)
    return ImportResult(imported=saved, skipped=parsed.errors)


def import_file(ctx: Context, path: Path, *, fmt: LogFormat | None = None,
                skip_bad: bool = False, dry_run: bool = False) -> ImportResult:
    if not path.is_file():
        raise CoachError(f"no file at {path}", hint="Check the path.")
    fmt = fmt or format_from_name(path.name)
    text = decode(path.read_bytes(), path.name)
    return import_text(ctx, text, fmt, skip_bad=skip_bad, dry_run=dry_run)


def export_log(ctx: Context, fmt: LogFormat, where: EntryFilter | None = None) -> str:
    entries = ctx.store.list_entries(where)
    return RENDERERS[fmt]([EntryDraft(**e.model_dump(exclude={"id"})) for e in entries])
