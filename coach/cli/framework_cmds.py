"""`coach framework`: your company's career framework (import, review, list, show, use, rm).

Structured files (front-matter or heading-per-level Markdown, CSV, YAML, JSON) are saved as
they are imported. A PDF, Word or plain-text file is read by the model: the result is shown
and waits for review until `coach framework accept` saves it or `coach framework discard`
drops it (`import --yes` saves it at once).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coach.cli.common import Result, add_command, text
from coach.domain.errors import CoachError
from coach.domain.text import count
from coach.services.context import Context

IMPORT_HELP = ("import a framework from .md, .csv, .yaml, .json (read exactly) or .pdf, .docx, "
               ".txt (read by the model, then reviewed)")
IMPORT_SHAPES = """file shapes:
  .md    YAML front matter with `levels: N` and `topics:` (each: name/title and content:
         [{level: N, criteria: [...], exampleCriteria: [{criteria, examples}]}]), or one
         heading per level (deeper headings name areas; paragraphs and bullets are criteria;
         wholly italic or bold lines are notes)
  .csv   columns level, area, criterion[, example]; one criterion a row
  .yaml / .json  the same rows as a list, or {name, levels: [{name, note, criteria,
         areas: [{name, criteria: [text | {text, examples}]}]}]}, or the front-matter mapping
  .pdf / .docx / .txt (or Markdown without levels)  the model proposes the levels; only
         criteria that are the file's own words are kept; review, then `coach framework
         accept` or `discard` (a Word file with a heading per level is read exactly)"""
# A level or a framework named on the command line: an id, a name or a number, as long as a
# name may be (a level's name holds at most 120 characters).
REF = text("name")
_FLAGS = {"current_level": "--current-level", "target_level": "--target-level", "level": "--level"}


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("framework", help="your company's career framework: levels and criteria")
    fsub = group.add_subparsers(dest="framework_command", metavar="ACTION", required=True)

    p = add_command(fsub, "import", cmd_import, help=IMPORT_HELP, model=True, epilog=IMPORT_SHAPES,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--name", type=text("name"), help="the framework's name (default: from the file)")
    p.add_argument("--yes", action="store_true",
                   help="save a model's reading of a prose file without the review step")
    add_command(fsub, "accept", cmd_accept, help="save the import waiting for review")
    add_command(fsub, "discard", cmd_discard, help="drop the import waiting for review")
    add_command(fsub, "list", cmd_list, help="list imported frameworks")
    p = add_command(fsub, "show", cmd_show, help="show a framework (default: the one in use)")
    p.add_argument("id", nargs="?", type=REF, help="a framework id (`coach framework list`)")
    p.add_argument("--level", metavar="L", type=REF, help="only this level: its number, name or id")
    p.add_argument("--pending", action="store_true", help="show the import waiting for review")
    p = add_command(fsub, "use", cmd_use, help="put a framework in use")
    p.add_argument("id", type=REF)
    _level_options(p)
    p = add_command(fsub, "rm", cmd_rm, help="remove a framework (back to built-in expectations "
                                             "if it was in use)")
    p.add_argument("id", type=REF)


def _level_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--current-level", metavar="L", type=REF,
                   help="your level: its number, name or id")
    p.add_argument("--target-level", metavar="L", type=REF, help="the level you aim for")


def worded(exc: CoachError) -> CoachError:
    """An unknown level, its hint naming the flag it came from (the level list stays)."""
    flag = _FLAGS.get(exc.field or "")
    if exc.code != "unknown-level" or flag is None:
        return exc
    return CoachError(exc.message, code=exc.code, field=exc.field,
                      hint=f"Give {flag} a level's number, name or id. {exc.hint or ''}".strip())


# -- rendering ----------------------------------------------------------------------------
def summary(fw: Any) -> dict[str, Any]:
    """What `import --json` prints: id, name, levels (id, name, order), areas, criteria count."""
    return {"id": fw.id, "name": fw.name, "source": fw.source,
            "levels": [{"id": lv.id, "name": lv.name, "order": lv.order}
                       for lv in fw.ordered_levels()],
            "areas": [{"id": a.id, "name": a.name} for a in fw.areas],
            "criteria": len(fw.criteria)}


def render(fw: Any, level: Any = None) -> str:
    lines = [f"{fw.name} (id {fw.id}, from {fw.source or 'unknown'}): "
             f"{count(len(fw.levels), 'level')}, {count(len(fw.areas), 'area')}, "
             f"{count(len(fw.criteria), 'criterion', 'criteria')}"]
    for lv in fw.ordered_levels():
        if level is not None and lv.id != level.id:
            continue
        lines += ["", f"{lv.order}. {lv.name}  [{lv.id}]"]
        if lv.note:
            lines += [f"   note: {' '.join(lv.note.split())}"]
        for area in fw.areas:
            items = [c for c in fw.criteria_at(lv.id) if c.area == area.id]
            if items:
                lines.append(f"   {area.name}:")
                for c in items:
                    lines.append(f"   - {c.text}  [{c.id}]")
                    lines += [f"       e.g. {e}" for e in c.examples]
    return "\n".join(lines)


def _active_data(active: Any) -> dict[str, Any]:
    def level(lv: Any) -> dict[str, Any] | None:
        return {"id": lv.id, "name": lv.name, "order": lv.order} if lv else None

    return {"id": active.framework.id, "name": active.framework.name,
            "current": level(active.current), "target": level(active.target)}


def _active_text(active: Any) -> str:
    current = active.current.name if active.current else "not set"
    target = active.target.name if active.target else "not set"
    return f"In use: {active.framework.name} ({active.framework.id}). Current level: {current}; " \
           f"target level: {target}."


# -- commands -----------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    done = framework.import_framework(ctx, args.file, name=args.name, accept=args.yes)
    fw = done.framework
    data = {**summary(fw), "saved": done.saved, "pending": done.pending,
            "dropped": done.dropped, "notes": done.notes}
    lines = [render(fw), "", *done.notes]
    if done.pending:
        lines.append("Nothing is saved yet: review it above, then `coach framework accept` saves "
                     "it or `coach framework discard` drops it.")
    else:
        active = framework.active_framework(ctx)
        in_use = active is not None and active.framework.id == fw.id
        lines.append(f"Saved as '{fw.id}'" + (" and put in use." if in_use else
                     f"; `coach framework use {fw.id}` puts it in use."))
    return Result(data, "\n".join(lines))


def cmd_accept(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    fw = framework.accept_pending(ctx)
    return Result({**summary(fw), "saved": True, "pending": False},
                  f"Saved '{fw.name}' as '{fw.id}'.")


def cmd_discard(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    framework.discard_pending(ctx)
    return Result({"discarded": True}, "Dropped the import that was waiting for review.")


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    rows = framework.list_frameworks(ctx)
    if not rows:
        return Result([], "No frameworks yet: `coach framework import FILE` adds one; until then "
                          "the built-in expectations apply.")
    lines = [f"{'*' if r.active else ' '} {r.id}  {r.name}  ({count(r.levels, 'level')}, "
             f"{count(r.areas, 'area')}, {count(r.criteria, 'criterion', 'criteria')})"
             for r in rows]
    return Result(rows, "\n".join([*lines, "", "* in use"]))


def cmd_show(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    if args.pending:
        pending = framework.pending_import(ctx)
        if pending is None:
            raise CoachError("no framework import is waiting for review", code="no-pending")
        return Result(pending, "\n".join([render(pending.framework), "", *pending.notes]))
    fw = framework.get_framework(ctx, args.id)
    level = None
    if args.level is not None:
        try:
            level = fw.level(args.level)
        except CoachError as exc:
            raise worded(exc) from None
    data: dict[str, Any] = fw.model_dump(mode="json")
    if level is not None:
        data["levels"] = [level.model_dump(mode="json")]
        data["criteria"] = [c.model_dump(mode="json") for c in fw.criteria_at(level.id)]
    active = framework.active_framework(ctx)
    data["active"] = active is not None and active.framework.id == fw.id
    return Result(data, render(fw, level))


def cmd_use(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    try:
        active = framework.use_framework(ctx, args.id, current_level=args.current_level,
                                         target_level=args.target_level)
    except CoachError as exc:
        raise worded(exc) from None
    return Result(_active_data(active), _active_text(active))


def cmd_rm(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import framework

    fw = framework.remove_framework(ctx, args.id)
    active = framework.active_framework(ctx)
    after = ("" if active is not None else
             " No framework is in use now: the built-in expectations apply.")
    return Result({"removed": fw.id, "active": active.framework.id if active else None},
                  f"Removed '{fw.name}' ({fw.id}); your log is unchanged.{after}")


# -- `coach profile set --framework ID --current-level L --target-level L` ------------------
def profile_options(p: argparse.ArgumentParser) -> None:
    """The framework flags of `coach profile set`."""
    p.add_argument("--framework", metavar="ID", type=REF,
                   help="the career framework to use (`coach framework list` shows the ids)")
    _level_options(p)


def plan_profile_levels(args: argparse.Namespace, ctx: Context) -> Any:
    """The framework and levels `profile set` asked for, checked before anything is saved
    (None when no framework flag was given)."""
    if args.framework is None and args.current_level is None and args.target_level is None:
        return None
    from coach.services import framework

    try:
        return framework.plan_active(ctx, args.framework, current_level=args.current_level,
                                     target_level=args.target_level)
    except CoachError as exc:
        raise worded(exc) from None


def save_profile_levels(ctx: Context, planned: Any, profile: Any = None) -> Result:
    """Save the checked plan; the result of `profile set` with framework flags."""
    from coach.services import framework

    active = framework.use_framework(ctx, planned.framework.id,
                                     current_level=planned.current.id if planned.current else None,
                                     target_level=planned.target.id if planned.target else None)
    text_out = ("Profile saved.\n" if profile is not None else "") + _active_text(active)
    return Result({"profile": profile, "framework": _active_data(active)}, text_out)
