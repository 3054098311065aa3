"""The impact log: add, edit, remove, list, import and export entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError, computed_field

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft, EntryFilter
from coach.domain.limits import MAX_FILE_BYTES, check_lengths
from coach.domain.log_formats import (
    PARSERS,
    RENDERERS,
    LogFormat,
    RowError,
    bad_rows_message,
    decode,
    entry_key,
    format_from_name,
    template_csv,
)
from coach.domain.validation import invalid
from coach.files import read_bounded
from coach.services.context import Context


class ImportResult(BaseModel):
    """What an import did: the new entries, the rows already in the log, the bad rows."""

    imported: list[Entry]
    skipped: list[RowError]
    duplicates: list[RowError] = []
    dry_run: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {"imported": len(self.imported), "duplicates": len(self.duplicates),
                "skipped": len(self.skipped)}


TEXT_FIELDS = ("title", "metric", "description", "source")


def _validated(data: dict[str, Any]) -> EntryDraft:
    check_lengths(**{k: data.get(k) for k in TEXT_FIELDS})
    try:
        return EntryDraft.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc, "entry") from None


def add_entry(ctx: Context, **fields: Any) -> Entry:
    return ctx.store.add_entry(_validated({k: v for k, v in fields.items() if v is not None}))


def edit_entry(ctx: Context, entry_id: int, **changes: Any) -> Entry:
    """Change the given fields of an entry (None keeps a field); no change at all is an error."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise CoachError(f"no changes given for entry #{entry_id}", code="no-changes",
                         hint="Nothing was changed.")
    check_lengths(**{k: changes.get(k) for k in TEXT_FIELDS})
    current = ctx.store.get_entry(entry_id)
    data = current.model_dump(exclude={"id"})
    data.update(changes)
    return ctx.store.update_entry(entry_id, _validated(data))


def remove_entry(ctx: Context, entry_id: int) -> Entry:
    return ctx.store.delete_entry(entry_id)


def list_entries(ctx: Context, where: EntryFilter | None = None) -> list[Entry]:
    return ctx.store.list_entries(where)


def import_text(ctx: Context, text: str, fmt: LogFormat, *, skip_bad: bool = False,
                dry_run: bool = False) -> ImportResult:
    """Validate every row; with any bad row nothing is imported unless `skip_bad`.

    A row whose date, title and metric match an entry already in the log (or an earlier row
    of the file) is a duplicate: reported and skipped, so importing a file twice adds
    nothing the second time.
    """
    parsed = PARSERS[fmt](text)
    if not parsed.rows and not parsed.errors:
        raise CoachError("the file holds no entries", code="bad-file",
                         hint="Export a log or download the template to see the expected shape.")
    if parsed.errors and not skip_bad:
        raise CoachError(bad_rows_message(parsed.errors), code="bad-rows", field="file")
    seen = {entry_key(e) for e in ctx.store.list_entries()}
    new, duplicates = [], []
    for line, row in zip(parsed.lines, parsed.rows, strict=True):
        key = entry_key(row)
        if key in seen:
            duplicates.append(RowError(line=line, reason=f"already in the log ({row.date}, "
                                                         f"{row.title})"))
            continue
        seen.add(key)
        new.append(row)
    if dry_run:
        return ImportResult(imported=[], skipped=parsed.errors, duplicates=duplicates,
                            dry_run=True)
    saved = ctx.store.add_entries(new) if new else []
    return ImportResult(imported=saved, skipped=parsed.errors, duplicates=duplicates)


def import_file(ctx: Context, path: Path, *, fmt: LogFormat | None = None,
                skip_bad: bool = False, dry_run: bool = False) -> ImportResult:
    if not path.is_file():
        raise CoachError(f"no file at {path}", hint="Check the path.")
    fmt = fmt or format_from_name(path.name)
    text = decode(read_bounded(path, MAX_FILE_BYTES["log"], "an impact-log import"), path.name)
    return import_text(ctx, text, fmt, skip_bad=skip_bad, dry_run=dry_run)


def import_template() -> str:
    """A CSV template: the columns an import reads and one example row."""
    return template_csv()


def export_log(ctx: Context, fmt: LogFormat, where: EntryFilter | None = None) -> str:
    entries = ctx.store.list_entries(where)
    return RENDERERS[fmt]([EntryDraft(**e.model_dump(exclude={"id"})) for e in entries])
