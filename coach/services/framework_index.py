"""A framework's criteria in the search index: one passage per criterion, with its level and
area, so the chat and `coach search` find what a level expects.

A question that names a level ("level 4", "L4", the level's name or id) or an area (by
name) gets that level's and area's criteria first (`scope_of` in the domain decides what it
names), then the usual search's best.
"""

from __future__ import annotations

import logging
import re

from coach.domain.errors import CoachError
from coach.domain.framework.model import Criterion, Framework, Level
from coach.domain.framework.scope import Scope, scope_of
from coach.domain.passage import Passage
from coach.knowledge.records import Record
from coach.services.context import Context

log = logging.getLogger(__name__)

FRAMEWORK_K = 3  # criteria put first when a question names a level or an area


def level_heading(level: Level) -> str:
    """'Senior (level 4)'; a name that carries a number of its own ('L4 Senior') stands alone,
    as the company numbers its levels its own way."""
    return level.name if re.search(r"\d", level.name) else f"{level.name} (level {level.order})"


def criterion_record(framework: Framework, criterion: Criterion) -> Record:
    """One criterion as a passage: cited under '<level> > <area>', filed under both."""
    level = next(lv for lv in framework.levels if lv.id == criterion.level)
    area = framework.area_name(criterion.area)
    section = f"{level_heading(level)} > {area}"
    text = criterion.text
    if criterion.examples:
        text += "\nFor example: " + "; ".join(criterion.examples)
    return Record(key=criterion.id, text=text, section=section,
                  embed_text=f"{framework.name}: {section}\n{text}",
                  meta={"framework": framework.id, "criterion": criterion.id,
                        "level": level.id, "level_name": level.name, "level_order": level.order,
                        "area": criterion.area, "area_name": area})


def index_framework(ctx: Context, framework: Framework) -> int:
    """Index every criterion of `framework` (replacing an earlier copy); returns the count."""
    records = [criterion_record(framework, c) for c in framework.criteria]
    return ctx.kb.put_records(framework.id, framework.name, records, doc_id=framework.id)


def drop_framework(ctx: Context, framework_id: str) -> None:
    """Remove the framework's criteria from the index."""
    ctx.kb.drop_records(framework_id)


def drop_all_frameworks(ctx: Context) -> int:
    """Remove every framework's criteria from the index (erasing a home); returns how many
    passages went."""
    return sum(ctx.kb.drop_records(source) for source in ctx.kb.record_sources())


def _in_scope(ctx: Context, framework: Framework, scope: Scope, question: str,
              k: int) -> list[Passage]:
    where: dict[str, object] = {"kind": "framework", "framework": framework.id}
    if scope.level is not None:
        where["level"] = scope.level.id
    if scope.area is not None:
        where["area"] = scope.area.id
    return ctx.kb.search(question, k=k, where=where)


def criteria_for(ctx: Context, framework: Framework, question: str, k: int = FRAMEWORK_K, *,
                 current: Level | None = None, target: Level | None = None) -> list[Passage]:
    """The criteria of the level and area `question` names, best first; [] when it names
    neither. `current` and `target`: the user's levels ("what does my target level expect")."""
    scope = scope_of(framework.levels, framework.areas, question, current=current, target=target)
    return [] if scope.empty else _in_scope(ctx, framework, scope, question, k)


def framework_passages(ctx: Context, question: str, k: int = FRAMEWORK_K) -> list[Passage]:
    """`criteria_for` the framework in use, at the user's levels; [] without one."""
    from coach.services.framework import active_framework  # it imports this module

    active = active_framework(ctx)
    if active is None:
        return []
    framework = active.framework
    scope = scope_of(framework.levels, framework.areas, question, current=active.current,
                     target=active.target)
    if scope.empty:
        return []
    found = _in_scope(ctx, framework, scope, question, k)
    if not found and framework.id not in ctx.kb.record_sources():
        # Saved but not in the index (a home restored from a backup: its index is rebuilt
        # from the files): index it now.
        index_framework(ctx, framework)
        found = _in_scope(ctx, framework, scope, question, k)
    return found


def merged(first: list[Passage], rest: list[Passage], k: int | None = None) -> list[Passage]:
    """`first` then `rest` without repeats, at most `k`."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in (*first, *rest):
        key = (p.source, p.section, p.text)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out if k is None else out[:k]


def search_with_framework(ctx: Context, question: str, k: int) -> list[Passage]:
    """The search, with the named level's and area's criteria first (what `coach search` runs)."""
    try:
        first = framework_passages(ctx, question, k=min(k, FRAMEWORK_K + 2))
    except CoachError as exc:  # the framework could not be read: the plain search still helps
        log.warning("framework criteria not searched: %s", exc)
        first = []
    return merged(first, ctx.kb.search(question, k=k), k) if first else ctx.kb.search(question, k=k)
