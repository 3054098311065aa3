"""Which passages a chat question gets: the criteria of the framework level and area it names
(if a framework is in use), the guide sections of the rule that answers it (routing), then the
search's best. Measured in bench/bench_expansion.py: putting the rule's
guide first lifts held-out hit@3 where appending synonyms to the query does not."""

from __future__ import annotations

import logging

from coach.domain.advice import GuideRef, route
from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.services.context import Context
from coach.services.framework_index import framework_passages, merged

log = logging.getLogger(__name__)

TOP_K = 4  # passages from the search, after the rule's own sections


def retrieve(ctx: Context, question: str, *, refs: list[GuideRef] | None = None,
             k: int = TOP_K, criteria: list[Passage] | None = None) -> list[Passage]:
    """`criteria` (the framework's, for the level and area the question names), the rule's
    sections (`refs`, or those of the rule `question` fires), then the search's top `k`,
    without repeats. Raises CoachError when the guides cannot be searched."""
    refs = route(question) if refs is None else refs
    pinned = ctx.kb.sections([(r.source, r.section) for r in refs]) if refs else []
    return merged([*(criteria or []), *pinned], ctx.kb.search(question, k=k))


def retrieve_or_note(ctx: Context, question: str,
                     refs: list[GuideRef]) -> tuple[list[Passage], str | None]:
    """`retrieve`, or no passages and a note for the user when the search fails."""
    try:
        criteria = framework_passages(ctx, question)
        return retrieve(ctx, question, refs=refs, criteria=criteria), None
    except (CoachError, ImportError) as exc:
        log.warning("knowledge search failed: %s", exc)
        return [], f"The guides could not be searched ({exc}); this answer is not grounded in them."
