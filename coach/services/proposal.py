"""Proposal use cases: draft the written case (domain draft + guarded model prose), export
it, and browse its saved versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.domain.proposal import (
    Ask,
    Flag,
    ProposalDraft,
    build_proposal,
    strongest,
    validate_proposal,
)
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from coach.export.markdown import write_text
from coach.llm.structured import extract_json
from coach.prompts import load_prompt
from coach.services.context import Context
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
    version: int
    source: Literal["model", "draft"]
    violations: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)


class ProposalVersion(BaseModel):
    version: int
    created_at: str
    source: str = ""
    notice: str | None = None
    flags: int = 0
    target_title: str = ""
    markdown: str = ""


def build_draft(ctx: Context, today: dt.date) -> tuple[Profile, list[Entry], ProposalDraft]:
    """The deterministic draft from the saved profile, log and expectations."""
    profile, entries = load_inputs(ctx)
    exps = load_expectations(ctx, profile.transition).items
    readiness = assess_readiness(profile, entries, exps, today=today)
    timing = assess_timing(profile, entries, today=today)
    return profile, entries, build_proposal(profile, entries, readiness, timing, today)


def prompt_facts(profile: Profile, entries: list[Entry], draft: ProposalDraft) -> str:
    """The fact list the model writes around: one plain line per fact."""
    manager = f"; my manager is {profile.manager_name}" if profile.manager_name else ""
    lines = [f"- I am {profile.current_title}, {profile.months_in_role} months in the role"
             f"{manager}.", f"- I want to be promoted to {profile.target_title}."]
    for e in strongest(entries, n=len(entries)):
        metric = f": {e.metric}" if e.metric else ""
        tag = " (next-level work)" if e.next_level else ""
        lines.append(f"- {e.cite()} {e.title}{metric}{tag}")
    if not entries:
        lines.append("- My impact log has no entries yet.")
    lines.append(f"- Timeline for the ask: {draft.ask.timeline}.")
    return "\n".join(lines)


def _intros(reply: str) -> list[str] | None:
    try:
        data = extract_json(reply)
    except ValueError:
        return None
    intros = [data.get(f"intro_{i}") for i in range(1, 5)]
    if not all(isinstance(i, str) for i in intros):
        return None
    return [" ".join(i.split()) for i in intros]


def export(markdown: str, path: str | Path, fmt: Format) -> Path:
    if fmt == "docx":
        from coach.export.docx import markdown_to_docx  # python-docx loads lxml: only here

        return markdown_to_docx(markdown, path)
    return write_text(path, markdown)


def draft_proposal(ctx: Context, today: dt.date | None = None, *, use_model: bool = True,
                   out: str | Path | None = None, fmt: Format | None = None) -> ProposalResult:
    """Build the four-section case, let the model write the section intros, guard, save.

    Args:
        ctx: the user's context.
        today: the preparation date (dates in the plan and ask count from it).
        use_model: False skips the model and returns the deterministic draft.
        out: a file to export to; its suffix picks the format unless `fmt` is given.
        fmt: 'md' or 'docx'. 'docx' without `out` writes into the exports folder.
    """
    today = today_or(today)
    profile, entries, draft = build_draft(ctx, today)
    final, notice, violations, source = draft, None, [], "draft"
    if use_model:
        outcome = polish(
            ctx, load_prompt("proposal"),
            {"facts": prompt_facts(profile, entries, draft), "target_title": profile.target_title,
             "timeline": draft.ask.timeline},
            parse=_intros,
            validate=lambda intros: validate_proposal(intros, draft, profile, entries),
            what="draft", fallback="the draft built from your log")
        if outcome.value is not None:
            final, source = draft.with_intros(outcome.value), "model"
        notice, violations = outcome.notice, outcome.violations
    markdown = final.markdown()
    fmt = fmt or ("docx" if out and str(out).lower().endswith(".docx") else "md")
    meta = {"source": source, "notice": notice, "flags": len(final.flags),
            "target_title": profile.target_title, "timeline": final.ask.timeline,
            "prepared": today.isoformat()}
    artifact = ctx.store.save_artifact(ARTIFACT_KIND, ARTIFACT_NAME, markdown, meta)
    files = []
    if out or fmt == "docx":
        path = out or ctx.settings.exports_dir / f"proposal-v{artifact.version}.{fmt}"
        files.append(str(export(markdown, path, fmt)))
    return ProposalResult(
        sections=[SectionOut(title=s.title, body=s.body()) for s in final.sections],
        ask=final.ask, flags=final.flags, notice=notice, markdown=markdown,
        version=artifact.version, source=source, violations=violations, files=files)


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
                                   markdown=a.content)
    if version is None:
        raise CoachError("no proposal saved yet", code="no-proposal")
    raise CoachError(f"no proposal version {version}", code="not-found", field="version")
