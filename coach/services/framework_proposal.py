"""A framework read from prose by the model, kept only where it quotes the source.

The model proposes levels, areas and criteria (`prompts/framework_import.yaml`); the domain's
span check (`coach.domain.framework.proposal.check_spans`) drops every criterion that is not
word for word in the text. A reply with no criterion left is re-asked once, told why; if the
second fails too, the import fails with a clear message and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.domain.errors import CoachError
from coach.domain.framework.model import Framework
from coach.domain.framework.proposal import (
    MAX_PROSE_CHARS,
    ProposedFramework,
    SpanCheck,
    check_spans,
)
from coach.domain.guard import Violation
from coach.domain.injection import data_block
from coach.services.context import Context

PROMPT = "framework_import"
_CONVERT = ("Save the framework as Markdown with one heading per level, or as CSV with the "
            "columns level, area, criterion, and import that.")


@dataclass
class Proposal:
    """What the model's reading left after the span check."""

    framework: Framework
    kept: int
    dropped: int
    notes: list[str] = field(default_factory=list)


def propose(ctx: Context, text: str, *, name: str, source: str) -> Proposal:
    """Ask the model for the framework in `text`; keep only verbatim criteria.

    Raises:
        CoachError: the text is too long for one reading (`too-long`), or no reply passed
            the check (`no-proposal`); nothing is saved either way.
    """
    from coach.llm.structured import parse
    from coach.prompts import load_prompt
    from coach.services.drafting import polish

    text = text.strip()
    if not text:
        raise CoachError(f"{source} has no text to read a framework from", code="no-levels",
                         field="file", hint="A framework needs at least one level with criteria.")
    if len(text) > MAX_PROSE_CHARS:
        raise CoachError(f"{source} holds {len(text):,} characters of prose; the model reads "
                         f"at most {MAX_PROSE_CHARS:,} at a time", code="too-long", field="file",
                         hint=f"Keep only the levels' pages, or: {_CONVERT}")

    def parse_reply(reply: str) -> ProposedFramework | None:
        try:
            value = parse(reply, ProposedFramework)
        except ValueError:
            return None
        return value if isinstance(value, ProposedFramework) else None

    def validate(value: ProposedFramework) -> list[Violation]:
        check = check_spans(value, text, name=name, source=source)
        if check.framework is None:
            return [Violation(code="not-verbatim",
                              detail="no criterion is copied word for word from the text; copy "
                                     "each one exactly as it is written",
                              phrase="did not copy any criterion word for word")]
        return []

    polished = polish(ctx, load_prompt(PROMPT), {"document": data_block(f"framework file {source}", text)},
                      parse=parse_reply, validate=validate, what="reading of the framework",
                      fallback="nothing")
    if polished.value is None:
        why = (f"its replies did not pass the check: {'; '.join(polished.violations)}"
               if polished.violations else polished.notice or "it did not answer")
        raise CoachError(f"the model could not read a framework from {source}: {why}. "
                         "Nothing was saved", code="no-proposal", field="file", hint=_CONVERT)
    check: SpanCheck = check_spans(polished.value, text, name=name, source=source)
    assert check.framework is not None  # validate() passed on this same value
    notes = [f"The model read {len(check.framework.levels)} levels; every "
             "criterion kept is the file's own words."]
    if check.dropped:
        notes.append(f"Dropped {check.dropped} proposed "
                     f"{'criterion' if check.dropped == 1 else 'criteria'} that "
                     f"{'is' if check.dropped == 1 else 'are'} not word for word in the file.")
    if check.empty_levels:
        notes.append("Dropped levels left without a criterion: " + ", ".join(check.empty_levels) + ".")
    return Proposal(check.framework, check.kept, check.dropped, notes)
