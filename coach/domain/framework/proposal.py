"""A model's reading of a prose framework, and the check that keeps only the source's words.

For a PDF, a Word file or plain prose the model proposes levels, areas and criteria. It is
not trusted: every criterion must be a span of the source text, word for word once runs of
whitespace are made single spaces (a leading bullet mark is ignored, and so is letter case:
small models capitalise the first word of a list item). What is kept is the source's own
text, never the model's copy of it. Criteria that are not spans are dropped and counted; a
level left with none is dropped too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.framework.builder import FrameworkBuilder
from coach.domain.framework.model import Framework

# The most source text one proposal reads: the embedded model's context holds the prompt, the
# text and a reply that copies most of it back.
MAX_PROSE_CHARS = 6_000
_BULLET_MARK = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")


class ProposedArea(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(..., description="The area's name as the text gives it, e.g. 'Delivery'; "
                                       "'General' when the text names no areas.")
    criteria: list[str] = Field(default_factory=list, description=(
        "What this level expects in this area: each item copied word for word from the text, "
        "one sentence or bullet each. Never reword, shorten or summarise."))


class ProposedLevel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(..., description="The level's name as the text gives it, e.g. 'Senior "
                                       "Engineer' or 'Level 3'.")
    areas: list[ProposedArea] = Field(default_factory=list)


class ProposedFramework(BaseModel):
    """The levels a career-framework text describes, lowest first."""

    model_config = ConfigDict(extra="ignore")

    levels: list[ProposedLevel] = Field(default_factory=list,
                                        description="Every level the text describes, lowest first.")


def normalise(text: str) -> str:
    """Whitespace runs as single spaces, trimmed: how spans are compared."""
    return " ".join(text.split())


@dataclass
class SpanCheck:
    """What survived the check: the framework (None if nothing did) and what was dropped."""

    framework: Framework | None
    kept: int
    dropped: int
    dropped_texts: list[str] = field(default_factory=list)
    empty_levels: list[str] = field(default_factory=list)


def _lower(text: str) -> str:
    """Lower case letter by letter, keeping the length (so an index holds in both texts)."""
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def find_span(criterion: str, source: str) -> str | None:
    """The source's own words that `criterion` copies (bullet mark and letter case aside),
    or None when it is not a span of the normalised `source`."""
    text = _lower(normalise(_BULLET_MARK.sub("", criterion.strip())))
    if not text:
        return None
    at = _lower(source).find(text)
    return source[at:at + len(text)] if at >= 0 else None


def is_span(criterion: str, source: str) -> bool:
    """Whether `criterion` appears word for word in the normalised `source`."""
    return find_span(criterion, source) is not None


def check_spans(proposal: ProposedFramework, source_text: str, *, name: str,
                source: str = "") -> SpanCheck:
    """Keep only the criteria that are spans of `source_text`; build the framework of them."""
    haystack = normalise(source_text)
    builder = FrameworkBuilder(name, source)
    kept = 0
    dropped: list[str] = []
    for level in proposal.levels:
        # the same level named twice is one level (a model may repeat it per area)
        index = builder.level_index(level.name.strip() or f"Level {builder.level_count + 1}")
        for area in level.areas:
            for criterion in area.criteria:
                if (words := find_span(criterion, haystack)) is not None:
                    kept += builder.add(index, area.name, words)
                else:
                    dropped.append(criterion)
    empty = builder.drop_empty_levels()
    framework = builder.build() if builder.level_count else None
    return SpanCheck(framework, kept, len(dropped), dropped, empty)
