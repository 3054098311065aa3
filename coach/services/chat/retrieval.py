"""Which passages a chat question gets: the guide sections of the rule that answers it first
(routing), then the search's best. Measured in bench/bench_expansion.py: putting the rule's
guide first lifts held-out hit@3 where appending synonyms to the query does not."""

from __future__ import annotations

import logging

from coach.domain.advice import GuideRef, route
from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.services.context import Context

log = logging.getLogger(__name__)

TOP_K = 4  # passages from the search, after the rule's own sections


def _key(p: Passage) -> tuple[str, str, str]:
    return (p.source, p.section, p.text)


def retrieve(ctx: Context, question: str, *, refs: list[GuideRef] | None = None,
             k: int = TOP_K) -> list[Passage]:
    """The rule's sections (`refs`, or those of the rule `question` fires) then the search's
    top `k`, without repeats. Raises CoachError when the guides cannot be searched."""
    refs = route(question) if refs is None else refs
    pinned = ctx.kb.sections([(r.source, r.section) for r in refs]) if refs else []
    found = ctx.kb.search(question, k=k)
    seen: set[tuple[str, str, str]] = set()
    out = []
    for passage in (*pinned, *found):
        if _key(passage) not in seen:
            seen.add(_key(passage))
            out.append(passage)
    return out


def retrieve_or_note(ctx: Context, question: str,
                     refs: list[GuideRef]) -> tuple[list[Passage], str | None]:
    """`retrieve`, or no passages and a note for the user when the search fails."""
    try:
        return retrieve(ctx, question, refs=refs), None
    except (CoachError, ImportError) as exc:
        log.warning("knowledge search failed: %s", exc)
        return [], f"The guides could not be searched ({exc}); this answer is not grounded in them."
