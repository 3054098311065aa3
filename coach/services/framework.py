"""The user's career frameworks: import, review, list, show, remove, and the one in use.

Frameworks live in the store's key-value table: `framework:ids` lists them in import order,
`framework:data:<id>` holds each one, `framework:active` says which is in use and at which
levels (`{"id", "current", "target"}`, level ids), and `framework:pending` holds a model's
reading of a prose file until the user accepts or discards it. Structured files (front
matter, heading-per-level Markdown, CSV, YAML, JSON) are parsed exactly and saved at once;
prose (PDF, Word, text) is read by the model and waits for review (`accept=True` saves it
at once). Without a framework in use, the built-in expectations apply; removing one changes
nothing in the log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.framework.model import Framework, Level
from coach.domain.limits import check_length
from coach.domain.text import count
from coach.services.context import Context
from coach.services.framework_index import drop_framework, index_framework

IDS_KEY = "framework:ids"
DATA_KEY = "framework:data:{}"
ACTIVE_KEY = "framework:active"
PENDING_KEY = "framework:pending"


class FrameworkImport(BaseModel):
    """What an import did: the framework read, and whether it is saved or waits for review."""

    framework: Framework
    saved: bool
    pending: bool
    dropped: int = Field(0, description="Proposed criteria dropped: not the file's own words.")
    notes: list[str] = Field(default_factory=list)


class FrameworkSummary(BaseModel):
    id: str
    name: str
    levels: int
    areas: int
    criteria: int
    active: bool


class ActiveFramework(BaseModel):
    """The framework in use and the user's place on it (levels not set yet are None)."""

    framework: Framework
    current: Level | None = None
    target: Level | None = None


# -- storage ------------------------------------------------------------------------------
def _ids(ctx: Context) -> list[str]:
    ids = ctx.store.get_value(IDS_KEY) or []
    return [i for i in ids if isinstance(i, str)]


def _load(ctx: Context, framework_id: str) -> Framework | None:
    data = ctx.store.get_value(DATA_KEY.format(framework_id))
    return Framework.model_validate(data) if data else None


def _active_ref(ctx: Context) -> dict[str, Any] | None:
    ref = ctx.store.get_value(ACTIVE_KEY)
    return ref if isinstance(ref, dict) and ref.get("id") in _ids(ctx) else None


def _save(ctx: Context, framework: Framework) -> Framework:
    """Store `framework` under a new id (its slug, numbered if taken); index it; make it the
    one in use if none is."""
    ids = _ids(ctx)
    framework_id, n = framework.id, 2
    while framework_id in ids:
        framework_id, n = f"{framework.id}-{n}", n + 1
    framework = framework.model_copy(update={"id": framework_id})
    ctx.store.set_value(DATA_KEY.format(framework_id), framework.model_dump(mode="json"))
    ctx.store.set_value(IDS_KEY, [*ids, framework_id])
    if _active_ref(ctx) is None:
        ctx.store.set_value(ACTIVE_KEY, {"id": framework_id, "current": None, "target": None})
    index_framework(ctx, framework)
    return framework


# -- import -------------------------------------------------------------------------------
def read_framework(path: str | Path, *, name: str | None = None) -> tuple[Framework | None, str, str]:
    """Parse a structured framework file without a model.

    Returns:
        (the framework, or None when the file is prose the model must read; the prose text;
        the name to give a model's reading).
    """
    from coach.domain.framework.parse_headings import from_headings
    from coach.domain.framework.parse_rows import from_data, from_rows, rows_from_csv
    from coach.domain.framework.parse_topics import from_topics, is_topics
    from coach.sources.framework_files import read_framework_file

    check_length("name", name)
    read = read_framework_file(path)
    fallback, source = read.title, read.name
    if read.kind in ("yaml", "json"):
        return from_data(read.data, name=name, fallback=fallback, source=source), "", fallback
    if read.kind == "csv":
        return from_rows(rows_from_csv(read.text), name=name or fallback, source=source), "", fallback
    title = str(read.meta.get("title") or read.meta.get("name") or "").strip() or None
    if read.kind == "markdown" and is_topics(read.meta):
        return from_topics(read.meta, name=name, fallback=fallback, source=source), "", fallback
    if read.kind in ("markdown", "docx"):
        found = from_headings(read.text, name=name or title, fallback=fallback, source=source)
        if found is not None:
            return found, "", fallback
    return None, read.text, name or title or fallback


def import_framework(ctx: Context, path: str | Path, *, name: str | None = None,
                     accept: bool = False) -> FrameworkImport:
    """Import the framework in `path`.

    Structured files are saved at once. Prose is read by the model and, unless `accept`,
    kept as the pending import for the user to review (`accept_pending`, `discard_pending`).

    Raises:
        CoachError: a file that cannot be read or holds no valid framework, or prose the
            model could not read; nothing is saved.
    """
    framework, prose, proposed_name = read_framework(path, name=name)
    if framework is not None and not framework.criteria:
        raise CoachError(f"{framework.source} names {count(len(framework.levels), 'level')} but "
                         "no criteria under them", code="no-criteria", field="file",
                         hint="Put each level's expectations under it as paragraphs, bullets or "
                              "rows.")
    if framework is not None:
        saved = _save(ctx, framework)
        return FrameworkImport(framework=saved, saved=True, pending=False,
                               notes=[f"Read {count(len(saved.levels), 'level')}, "
                                      f"{count(len(saved.areas), 'area')} and "
                                      f"{count(len(saved.criteria), 'criterion', 'criteria')} "
                                      f"from {saved.source}."])
    from coach.services.framework_proposal import propose

    proposal = propose(ctx, prose, name=proposed_name, source=Path(path).name)
    if accept:
        return FrameworkImport(framework=_save(ctx, proposal.framework), saved=True, pending=False,
                               dropped=proposal.dropped, notes=proposal.notes)
    notes = [*proposal.notes]
    if _pending(ctx) is not None:
        notes.append("It replaces the import that was waiting for review.")
    ctx.store.set_value(PENDING_KEY, {"framework": proposal.framework.model_dump(mode="json"),
                                      "dropped": proposal.dropped, "notes": notes,
                                      "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
    return FrameworkImport(framework=proposal.framework, saved=False, pending=True,
                           dropped=proposal.dropped, notes=notes)


def _pending(ctx: Context) -> FrameworkImport | None:
    data = ctx.store.get_value(PENDING_KEY)
    if not isinstance(data, dict) or not data.get("framework"):
        return None
    return FrameworkImport(framework=Framework.model_validate(data["framework"]), saved=False,
                           pending=True, dropped=int(data.get("dropped") or 0),
                           notes=list(data.get("notes") or []))


def pending_import(ctx: Context) -> FrameworkImport | None:
    """The model's reading waiting for review, if there is one."""
    return _pending(ctx)


def _no_pending() -> CoachError:
    return CoachError("no framework import is waiting for review", code="no-pending",
                      hint="Import a PDF, Word or text file first.")


def accept_pending(ctx: Context) -> Framework:
    """Save the import waiting for review; returns it as saved."""
    pending = _pending(ctx)
    if pending is None:
        raise _no_pending()
    saved = _save(ctx, pending.framework)
    ctx.store.set_value(PENDING_KEY, None)
    return saved


def discard_pending(ctx: Context) -> None:
    """Drop the import waiting for review (nothing else changes)."""
    if _pending(ctx) is None:
        raise _no_pending()
    ctx.store.set_value(PENDING_KEY, None)


# -- reading and removing -----------------------------------------------------------------
def list_frameworks(ctx: Context) -> list[FrameworkSummary]:
    """Every saved framework, in import order."""
    active = (_active_ref(ctx) or {}).get("id")
    out = []
    for framework_id in _ids(ctx):
        fw = _load(ctx, framework_id)
        if fw is not None:
            out.append(FrameworkSummary(id=fw.id, name=fw.name, levels=len(fw.levels),
                                        areas=len(fw.areas), criteria=len(fw.criteria),
                                        active=fw.id == active))
    return out


def get_framework(ctx: Context, framework_id: str | None = None) -> Framework:
    """The framework of this id, or the one in use when `framework_id` is None.

    Raises:
        CoachError: `not-found` for an unknown id, `no-framework` when none is in use.
    """
    if framework_id is None:
        ref = _active_ref(ctx)
        if ref is None:
            raise CoachError("no career framework is in use", code="no-framework",
                             hint="Import your company's framework, or pick one you imported.")
        framework_id = ref["id"]
    framework = _load(ctx, framework_id) if framework_id in _ids(ctx) else None
    if framework is None:
        raise CoachError(f"no framework with the id '{framework_id}'", code="not-found",
                         field="framework")
    return framework


def remove_framework(ctx: Context, framework_id: str) -> Framework:
    """Delete a framework (and its index passages); the log is untouched. Removing the one in
    use brings back the built-in expectations."""
    framework = get_framework(ctx, framework_id)
    if (_active_ref(ctx) or {}).get("id") == framework.id:
        ctx.store.set_value(ACTIVE_KEY, None)
    ctx.store.set_value(IDS_KEY, [i for i in _ids(ctx) if i != framework.id])
    ctx.store.set_value(DATA_KEY.format(framework.id), None)
    drop_framework(ctx, framework.id)
    return framework


# -- the framework in use -----------------------------------------------------------------
def active_framework(ctx: Context) -> ActiveFramework | None:
    """The framework in use with the user's current and target levels, or None."""
    ref = _active_ref(ctx)
    framework = _load(ctx, ref["id"]) if ref else None
    if ref is None or framework is None:
        return None
    by_id = {lv.id: lv for lv in framework.levels}
    return ActiveFramework(framework=framework, current=by_id.get(ref.get("current") or ""),
                           target=by_id.get(ref.get("target") or ""))


def _level(framework: Framework, ref: str | int | None, field: str) -> Level | None:
    if ref is None or str(ref).strip() == "":
        return None
    try:
        return framework.level(ref)
    except CoachError as exc:
        raise CoachError(exc.message, code=exc.code, field=field, hint=exc.hint) from None


def plan_active(ctx: Context, framework_id: str | None = None, *,
                current_level: str | int | None = None,
                target_level: str | int | None = None) -> ActiveFramework:
    """What `use_framework` / `set_levels` would save, checked, without saving it.

    Levels not given keep their saved value when the framework stays the same.

    Raises:
        CoachError: an unknown framework or level, or a target below the current level.
    """
    active = active_framework(ctx)
    framework = get_framework(ctx, framework_id)
    same = active is not None and active.framework.id == framework.id
    current = _level(framework, current_level, "current_level")
    target = _level(framework, target_level, "target_level")
    if same and active is not None:
        current = current if current_level is not None else active.current
        target = target if target_level is not None else active.target
    if current is not None and target is not None and target.order < current.order:
        raise CoachError(f"the target level {target.name} is below the current level "
                         f"{current.name}", code="bad-levels", field="target_level",
                         hint="Pick a target at or above your current level.")
    return ActiveFramework(framework=framework, current=current, target=target)


def _store_active(ctx: Context, active: ActiveFramework) -> ActiveFramework:
    ctx.store.set_value(ACTIVE_KEY, {"id": active.framework.id,
                                     "current": active.current.id if active.current else None,
                                     "target": active.target.id if active.target else None})
    return active


def use_framework(ctx: Context, framework_id: str, *, current_level: str | int | None = None,
                  target_level: str | int | None = None) -> ActiveFramework:
    """Put a framework in use, optionally with the current and target levels."""
    return _store_active(ctx, plan_active(ctx, framework_id, current_level=current_level,
                                          target_level=target_level))


def set_levels(ctx: Context, *, current_level: str | int | None = None,
               target_level: str | int | None = None) -> ActiveFramework:
    """Set the current and/or target level on the framework in use."""
    return _store_active(ctx, plan_active(ctx, None, current_level=current_level,
                                          target_level=target_level))
