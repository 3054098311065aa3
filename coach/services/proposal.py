"""Proposal use cases: draft the written case (domain draft + guarded model prose), export
it, and browse its saved versions.

The domain's draft is complete on its own, so a face can show it at once (`on_draft`) and
replace it when the model's polished introductions pass the guard.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.guard import strip_citations
from coach.domain.injection import data_block
from coach.domain.limits import check_length
from coach.domain.profile import Profile
from coach.domain.proposal import (
    MODEL_INTROS,
    Ask,
    Claim,
    Flag,
    ProposalDraft,
    build_proposal,
    criterion_label,
    strongest,
    validate_proposal,
)
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from coach.export.markdown import write_text
from coach.llm.structured import extract_json
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.criteria import criteria_readiness
from coach.services.drafting import polish
from coach.services.inputs import load_inputs, today_or
from coach.services.readiness import load_expectations

ARTIFACT_KIND, ARTIFACT_NAME = "proposal", "proposal"
Format = Literal["md", "docx"]


class SectionOut(BaseModel):
    title: str
    body: str


class ProposalResult(BaseModel):
    """The case as shown and saved; `notice` says when the model's prose was not used."""

    sections: list[SectionOut]
    ask: Ask
    flags: list[Flag]
    notice: str | None = None
    markdown: str
    version: int = Field(..., description="The saved version; 0 when not saved (a draft "
                         "shown before the polish, or a stopped run).")
    source: Literal["model", "draft"]
    violations: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list, description="Which log entries each "
                                "statement rests on (kept out of the document's text).")


DraftSink = Callable[[ProposalResult], None]


class Prepared(NamedTuple):
    """The deterministic draft and what it was built from."""

    profile: Profile
    entries: list[Entry]
    draft: ProposalDraft
    expectations: list[str]


class ProposalVersion(BaseModel):
    version: int
    created_at: str
    source: str = ""
    notice: str | None = None
    flags: int = 0
    target_title: str = ""
    markdown: str = ""
    claims: list[Claim] = Field(default_factory=list)


def criterion_labels(ctx: Context, today: dt.date) -> dict[str, str]:
    """With a career framework in use (and a target level on it): each target-level criterion's
    id, which is its expectation's, -> how the case names it. Empty otherwise."""
    report = criteria_readiness(ctx, today)
    return {c.id: criterion_label(c.text, c.area_name) for c in report.criteria} if report else {}


def build_draft(ctx: Context, today: dt.date) -> Prepared:
    """The deterministic draft from the saved profile, log and expectations (the target
    level's criteria, with a career framework in use)."""
    profile, entries = load_inputs(ctx)
    exps = load_expectations(ctx, profile.transition).items
    readiness = assess_readiness(profile, entries, exps, today=today)
    timing = assess_timing(profile, entries, today=today)
    labels = criterion_labels(ctx, today)
    if labels:  # a framework: the plans are the criteria no entry shows yet, in its own words
        titles = [g.description for g in readiness.gaps]
    else:
        titles = [c.expectation.title for c in readiness.covered] + [g.title for g in readiness.gaps]
    draft = build_proposal(profile, entries, readiness, timing, today, criteria=labels)
    return Prepared(profile, entries, draft, titles)


def prompt_facts(profile: Profile, entries: list[Entry], expectations: list[str]) -> str:
    """The facts the model writes around, as one data block: one plain line per fact, finished
    work marked as done (so it stays in the past tense) and no entry numbers (the manager
    reads it)."""
    manager = f"; my manager is {profile.manager_name}" if profile.manager_name else ""
    lines = [f"I am {profile.current_title}, {profile.months_in_role} months in the role"
             f"{manager}.", f"I want to be promoted to {profile.target_title}."]
    for heading, done in (("Work I have done", [e for e in entries if not e.next_level]),
                          ("Work I have done that is already at the next level",
                           [e for e in entries if e.next_level])):
        if done:
            lines.append(f"{heading}:")
            lines += [f"- {e.title}" + (f": {e.metric}" if e.metric else "")
                      for e in strongest(done, n=len(done))]
    if not entries:
        lines.append("My impact log has no entries yet.")
    if expectations:
        lines.append(f"What the {profile.target_title} role expects (plans, not done yet):")
        lines += [f"- {title}" for title in expectations]
    return data_block("my facts", "\n".join(lines))


def _intros(reply: str) -> list[str] | None:
    try:
        data = extract_json(reply)
    except ValueError:
        return None
    intros = [data.get(f"intro_{i}") for i in range(1, MODEL_INTROS + 1)]
    if not all(isinstance(i, str) for i in intros):
        return None
    # An entry number the model made up means nothing to the manager: drop it.
    return [" ".join(strip_citations(i).split()).replace(" .", ".").replace(" ,", ",")
            for i in intros]


def _result(draft: ProposalDraft, *, version: int, source: Literal["model", "draft"],
            notice: str | None = None, violations: list[str] | None = None,
            files: list[str] | None = None) -> ProposalResult:
    return ProposalResult(
        sections=[SectionOut(title=s.title, body=s.body()) for s in draft.sections],
        ask=draft.ask, flags=draft.flags, notice=notice, markdown=draft.markdown(),
        version=version, source=source, violations=violations or [], files=files or [],
        claims=draft.claims())


SUFFIXES: dict[str, Format] = {".md": "md", ".markdown": "md", ".docx": "docx"}


def export_format(out: str | Path | None, fmt: Format | None) -> Format:
    """The format to export in: `fmt`, else the one `out`'s suffix names ('md' with neither).

    A file name whose suffix names no format we write (`case.exe`), or another format than
    `fmt`, is refused: the file would not open as what its name says.
    """
    if out is None:
        return fmt or "md"
    suffix = Path(out).suffix.lower()
    named = SUFFIXES.get(suffix)
    if named is None:
        raise CoachError(f"cannot export the proposal as '{Path(out).name}': the name must end "
                         "in .md or .docx", code="bad-format", field="out")
    if fmt and fmt != named:
        raise CoachError(f"'{Path(out).name}' names a .{named} file but the format asked for "
                         f"is {fmt}", code="bad-format", field="out")
    return named


def export(markdown: str, path: str | Path, fmt: Format) -> Path:
    """Write the case (as drafted or as the user edited it) to `path` as Markdown or Word."""
    check_length("proposal", markdown)
    if fmt == "docx":
        from coach.export.docx import markdown_to_docx  # python-docx loads lxml: only here

        return markdown_to_docx(markdown, path)
    return write_text(path, markdown)


def draft_proposal(ctx: Context, today: dt.date | None = None, *, use_model: bool = True,
                   out: str | Path | None = None, fmt: Format | None = None,
                   on_draft: DraftSink | None = None,
                   cancel: threading.Event | None = None) -> ProposalResult:
    """Build the four-section case, let the model write the section intros, guard, save.

    Args:
        ctx: the user's context.
        today: the preparation date (dates in the plan and ask count from it).
        use_model: False skips the model and returns the deterministic draft.
        out: a file to export to (.md or .docx); its suffix picks the format.
        fmt: 'md' or 'docx'. 'docx' without `out` writes into the exports folder.
        on_draft: called at once with the deterministic draft (version 0, not saved yet).
        cancel: set to stop the model; the draft is then returned unsaved (version 0).
    """
    fmt = export_format(out, fmt)  # a bad file name is refused before any drafting
    today = today_or(today)
    profile, entries, draft, expectations = build_draft(ctx, today)
    if on_draft is not None:
        on_draft(_result(draft, version=0, source="draft"))
    final, notice, violations = draft, None, []
    source: Literal["model", "draft"] = "draft"
    if use_model:
        outcome = polish(
            ctx, load_prompt("proposal"),
            {"facts": prompt_facts(profile, entries, expectations)},
            parse=_intros,
            validate=lambda intros: validate_proposal(intros, draft, profile, entries),
            what="draft", fallback="the draft built from your log", cancel=cancel)
        if outcome.stopped:
            return _result(draft, version=0, source="draft", notice=outcome.notice)
        if outcome.value is not None:
            final, source = draft.with_intros(outcome.value), "model"
        notice, violations = outcome.notice, outcome.violations
    markdown = final.markdown()
    meta = {"source": source, "notice": notice, "flags": len(final.flags),
            "target_title": profile.target_title, "timeline": final.ask.timeline,
            "prepared": today.isoformat(), "claims": [c.model_dump() for c in final.claims()]}
    artifact = ctx.store.save_artifact(ARTIFACT_KIND, ARTIFACT_NAME, markdown, meta)
    files = []
    if out or fmt == "docx":
        path = out or ctx.settings.exports_dir / f"proposal-v{artifact.version}.{fmt}"
        files.append(str(export(markdown, path, fmt)))
    return _result(final, version=artifact.version, source=source, notice=notice,
                   violations=violations, files=files)


def save_proposal(ctx: Context, markdown: str, claims: list[Claim] | None = None) -> int:
    """Save the user's edited text as the next version; returns its number.

    Args:
        claims: the links of the version it was edited from; those whose statement is
            still in the text are kept.
    """
    check_length("proposal", markdown)
    if not markdown.strip():
        raise CoachError("the proposal is empty", code="empty", field="proposal")
    kept = [c.model_dump() for c in claims or [] if c.text in markdown]
    artifact = ctx.store.save_artifact(ARTIFACT_KIND, ARTIFACT_NAME, markdown,
                                       {"source": "edited", "notice": None, "claims": kept})
    return artifact.version


def proposal_history(ctx: Context) -> list[ProposalVersion]:
    """Every saved version, newest first (without the text)."""
    return [ProposalVersion(version=a.version, created_at=a.created_at,
                            source=a.meta.get("source", ""), notice=a.meta.get("notice"),
                            flags=a.meta.get("flags", 0),
                            target_title=a.meta.get("target_title", ""))
            for a in ctx.store.artifacts(ARTIFACT_KIND, ARTIFACT_NAME)]


def show_proposal(ctx: Context, version: int | None = None) -> ProposalVersion:
    """One saved version with its Markdown (the latest when `version` is None)."""
    for a in ctx.store.artifacts(ARTIFACT_KIND, ARTIFACT_NAME):
        if version is None or a.version == version:
            return ProposalVersion(version=a.version, created_at=a.created_at,
                                   source=a.meta.get("source", ""), notice=a.meta.get("notice"),
                                   flags=a.meta.get("flags", 0),
                                   target_title=a.meta.get("target_title", ""),
                                   markdown=a.content, claims=a.meta.get("claims", []))
    if version is None:
        raise CoachError("no proposal saved yet", code="no-proposal")
    raise CoachError(f"no proposal version {version}", code="not-found", field="version")
