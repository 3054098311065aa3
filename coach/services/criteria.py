"""Impact-log entries mapped to the criteria of the career framework in use.

The coach links each entry to the criteria it most likely shows, with a confidence: the
offline sentence embedder gives the cosines (whole texts, the criterion alone, word against
word) and `coach.domain.framework.mapping` mixes them with the shared words.
The user confirms or rejects links; those decisions live in the store under
`framework:links:<framework id>` and always win over the automatic match. Vectors go
through the machine-wide embedding cache, so an unchanged entry or criterion is embedded once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import BaseModel

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.framework.coverage import CriteriaReadiness, assess_criteria
from coach.domain.framework.mapping import (
    Closeness,
    CriteriaMatcher,
    LinkDecisions,
    LinkStatus,
    Scored,
    content_words,
    resolve_links,
)
from coach.domain.framework.model import Criterion, Framework
from coach.services.context import Context
from coach.services.framework import active_framework
from coach.services.inputs import today_or

if TYPE_CHECKING:
    import numpy as np

LINKS_KEY = "framework:links:{}"


class LinkChange(BaseModel):
    """What `link_entry` / `unlink_entry` saved."""

    framework: str
    entry: int
    entry_title: str
    criterion: str
    criterion_text: str
    level: str
    status: LinkStatus
    at_target: bool


# -- decisions ----------------------------------------------------------------------------
def load_decisions(ctx: Context, framework_id: str) -> LinkDecisions:
    """The user's confirmed and rejected links on a framework."""
    data = ctx.store.get_value(LINKS_KEY.format(framework_id))
    return LinkDecisions.model_validate(data) if data else LinkDecisions()


def _save_decisions(ctx: Context, framework_id: str, decisions: LinkDecisions) -> None:
    ctx.store.set_value(LINKS_KEY.format(framework_id), decisions.model_dump(mode="json"))


def drop_links(ctx: Context, framework_id: str) -> None:
    """Forget the user's links on a framework (for when it is removed; the log is untouched)."""
    ctx.store.set_value(LINKS_KEY.format(framework_id), None)


# -- vectors ------------------------------------------------------------------------------
def entry_text(entry: Entry) -> str:
    """What an entry is matched on: its title, description and measured result."""
    return " ".join(p for p in (entry.title, entry.description, entry.metric) if p)


def _vectors(ctx: Context, texts: list[str]) -> np.ndarray:
    from coach.knowledge import embed_cache
    from coach.knowledge.embedder import DIMENSIONS, MODEL_NAME, embed

    settings = ctx.settings

    def compute(batch: list[str]) -> np.ndarray:
        return embed(batch, threads=settings.embed_threads, spin=settings.embed_spin)

    return embed_cache.cached(settings.embed_cache_dir, MODEL_NAME, texts, compute, DIMENSIONS)


def rank(ctx: Context, texts: list[str], criteria: list[Criterion]) -> list[list[Scored]]:
    """Each text's criteria, best first, with their confidences. The texts are ranked as one
    log: each criterion's score is standardised across them (`CriteriaMatcher.rank_log`), so
    pass the whole log, not one entry at a time."""
    if not texts or not criteria:
        return [[] for _ in texts]
    import numpy as np

    matcher = CriteriaMatcher(criteria)
    text_words = [content_words(t) for t in texts]
    vocabulary = list(dict.fromkeys(w for ws in (*text_words, *matcher.words) for w in ws))
    where = {w: i for i, w in enumerate(vocabulary)}
    n, m = len(texts), len(criteria)
    vectors = _vectors(ctx, [*texts, *matcher.texts, *matcher.plain_texts, *vocabulary])
    lengths = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(lengths > 0, lengths, 1.0)
    entries, words = vectors[:n], vectors[n + 2 * m:]
    whole = entries @ vectors[n: n + m].T
    plain = entries @ vectors[n + m: n + 2 * m].T
    criterion_rows = [[where[w] for w in ws] for ws in matcher.words]
    closeness = []
    for j in range(n):
        mine = [where[w] for w in text_words[j]]
        # Each vocabulary word's best cosine with any word of this text.
        best = (words @ words[mine].T).max(axis=1) if mine else None
        near = [Closeness(whole=float(whole[j, i]), plain=float(plain[j, i]),
                          words=best[rows].tolist() if best is not None and rows else [])
                for i, rows in enumerate(criterion_rows)]
        closeness.append(near)
    return matcher.rank_log(texts, closeness)


# -- readiness ----------------------------------------------------------------------------
def criteria_readiness(ctx: Context, today: dt.date | None = None) -> CriteriaReadiness | None:
    """The log against the target level of the framework in use; None without a framework
    in use or without a target level on it."""
    active = active_framework(ctx)
    if active is None or active.target is None:
        return None
    framework = active.framework
    entries = ctx.store.list_entries()
    criteria = framework.criteria_at(active.target.id)
    ranked = rank(ctx, [entry_text(e) for e in entries], criteria)
    links = resolve_links({e.id: r for e, r in zip(entries, ranked, strict=True)},
                          load_decisions(ctx, framework.id), [c.id for c in criteria])
    return assess_criteria(framework, active.target, active.current, entries, links,
                           today_or(today))


def best_criteria(ctx: Context, text: str, k: int = 3) -> list[tuple[str, float]]:
    """The `k` criteria `text` most likely shows, with confidences: the target level's when
    one is set, else the whole framework's; empty without a framework in use."""
    active = active_framework(ctx)
    if active is None or not text.strip() or k < 1:
        return []
    framework = active.framework
    criteria = (framework.criteria_at(active.target.id) if active.target
                else framework.criteria)
    return [(s.criterion, s.confidence) for s in rank(ctx, [text], criteria)[0][:k]]


# -- the user's decisions -----------------------------------------------------------------
def _criterion(framework: Framework, criterion_id: str) -> Criterion:
    wanted = criterion_id.strip().lower()
    for c in framework.criteria:
        if c.id == wanted:
            return c
    example = framework.criteria[0].id if framework.criteria else "level.area.1"
    raise CoachError(f"no criterion '{criterion_id.strip()}' in {framework.name}",
                     code="not-found", field="criterion",
                     hint=f"Criterion ids look like '{example}'; the readiness report lists "
                          "those of your target level.")


def _decide(ctx: Context, entry_id: int, criterion_id: str, status: LinkStatus) -> LinkChange:
    active = active_framework(ctx)
    if active is None:
        raise CoachError("no career framework is in use, so there is no criterion to link to",
                         code="no-framework",
                         hint="Import your company's framework, or pick one you imported.")
    framework = active.framework
    criterion = _criterion(framework, criterion_id)  # checked before the entry: both must hold
    entry = ctx.store.get_entry(entry_id)
    decisions = load_decisions(ctx, framework.id)
    if status is LinkStatus.CONFIRMED:
        decisions = decisions.confirm(entry.id, criterion.id)
    else:
        decisions = decisions.reject(entry.id, criterion.id)
    alive = {e.id for e in ctx.store.list_entries()}
    _save_decisions(ctx, framework.id, decisions.without_entries(alive))
    return LinkChange(framework=framework.id, entry=entry.id, entry_title=entry.title,
                      criterion=criterion.id, criterion_text=criterion.text,
                      level=framework.level(criterion.level).name, status=status,
                      at_target=active.target is not None and criterion.level == active.target.id)


def link_entry(ctx: Context, entry_id: int, criterion_id: str) -> LinkChange:
    """Confirm that an entry shows a criterion: the link counts whatever the match says.

    Raises:
        CoachError: no framework in use (`no-framework`), an unknown entry or criterion
            (`not-found`); nothing is saved then.
    """
    return _decide(ctx, entry_id, criterion_id, LinkStatus.CONFIRMED)


def unlink_entry(ctx: Context, entry_id: int, criterion_id: str) -> LinkChange:
    """Reject the link between an entry and a criterion: it never comes back automatically.

    Raises:
        CoachError: as `link_entry`.
    """
    return _decide(ctx, entry_id, criterion_id, LinkStatus.REJECTED)
