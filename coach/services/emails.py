"""Email use case: draft one of the four emails, polish it under the guard, write .eml/.ics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.emails import (
    EMAIL_KINDS,
    REQUIRED,
    EmailDraft,
    build_email,
    check_elements,
    validate_email,
)
from coach.domain.errors import CoachError
from coach.domain.guard import hostile_phrases
from coach.domain.injection import data_block
from coach.domain.limits import check_lengths
from coach.domain.readiness import assess_readiness
from coach.domain.timing import add_months, assess_timing
from coach.export.eml import build_message, write_eml
from coach.export.ics import reminder, write_ics
from coach.export.markdown import write_text
from coach.prompts import load_prompt
from coach.services import roleplay
from coach.services.context import Context
from coach.services.drafting import polish
from coach.services.inputs import load_inputs, today_or
from coach.services.readiness import load_expectations

DEFAULT_REVISIT_MONTHS = 3  # without a review cycle, check in again after a quarter


class EmailResult(BaseModel):
    kind: str
    to: str
    subject: str
    body: str
    checks: dict[str, bool] = Field(..., description="Required element -> present.")
    notice: str | None = None
    files: list[str] = Field(default_factory=list)
    source: Literal["model", "draft"]
    violations: list[str] = Field(default_factory=list)
    revisit: dt.date | None = None
    version: int = 0

    def text(self) -> str:
        lines = [f"To: {self.to}", f"Subject: {self.subject}", "", self.body]
        if self.notice:
            lines += ["", f"Note: {self.notice}"]
        missing = [k for k, ok in self.checks.items() if not ok]
        if missing:
            lines += ["", f"Check before sending: {', '.join(missing)}"]
        if self.files:
            lines += ["", "Saved: " + ", ".join(self.files)]
        return "\n".join(lines)


def _roleplay_summary(ctx: Context, session_id: int | None) -> str:
    """The summary of a role-play session: the one given, else the latest ("" if none)."""
    if session_id is None:
        sessions = ctx.store.conversations(roleplay.KIND)
        if not sessions:
            return ""
        session_id = sessions[-1].id
    return roleplay.session_summary(ctx, session_id).strip()


def _revisit(revisit: dt.date | None, today: dt.date, review: dt.date | None) -> dt.date:
    if revisit:
        return revisit
    if review and review > today:
        return review
    return add_months(today, DEFAULT_REVISIT_MONTHS)


def _body_only(reply: str) -> str | None:
    """The reply minus a subject line or a 'Here is...' preface the model may add."""
    lines = reply.strip().splitlines()
    while lines and (lines[0].lower().startswith(("subject:", "here is", "here's"))
                     or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip() or None


def _requirements(kind: str) -> str:
    return "; ".join(label for _, label, _ in REQUIRED[kind])


def _files(ctx: Context, draft: EmailDraft, body: str, out_dir: str | Path | None,
           version: int, today: dt.date) -> list[str]:
    folder = Path(out_dir).expanduser() if out_dir else ctx.settings.exports_dir / "emails"
    stem = f"{draft.kind}-v{version}"
    msg = build_message(to=draft.to, sender=draft.sender, subject=draft.subject, body=body,
                        date=today)
    files = [str(write_eml(folder / f"{stem}.eml", msg)),
             str(write_text(folder / f"{stem}.txt", f"Subject: {draft.subject}\n\n{body}"))]
    if draft.kind == "follow-up" and draft.revisit:
        ics = reminder(when=draft.revisit, summary=f"Promotion check-in with {draft.to}",
                       description=f"Review progress since: {draft.subject}.", stamp=today)
        files.append(str(write_ics(folder / f"{stem}.ics", ics)))
    return files


def draft_email(ctx: Context, kind: str, *, reason: str | None = None,
                summary: str | None = None, session_id: int | None = None,
                revisit: dt.date | None = None, out_dir: str | Path | None = None,
                today: dt.date | None = None, use_model: bool = True) -> EmailResult:
    """Draft, polish and save one email of `kind`, with an .eml (and .ics for a follow-up).

    Args:
        kind: meeting-request, follow-up, decline or thank-you.
        reason: for a decline, why (optional; only said if given).
        summary: for a follow-up, what was said; else the role-play session's summary.
        session_id: the role-play session to summarise (latest when None).
        revisit: the check-in date; else the next review cycle or a quarter from today.
        out_dir: where the files go (default: the exports folder).
        today: the writing date.
        use_model: False keeps the deterministic wording.
    """
    check_lengths(reason=reason, summary=summary)  # before anything is read or sent
    if kind not in EMAIL_KINDS:
        raise CoachError(f"unknown email kind '{kind}'", hint=f"Use one of: {', '.join(EMAIL_KINDS)}.")
    today = today_or(today)
    profile, entries = load_inputs(ctx)
    readiness = assess_readiness(profile, entries, load_expectations(ctx, profile.transition).items,
                                 today=today)
    timing = assess_timing(profile, entries, today=today)
    if kind == "follow-up" and not (summary or "").strip():
        summary = _roleplay_summary(ctx, session_id)
    draft = build_email(kind, profile, entries, readiness, today=today, reason=reason or "",
                        summary=summary or "",
                        revisit=_revisit(revisit, today, timing.review_date)
                        if kind == "follow-up" else None)
    body, notice, violations, source = draft.body, None, [], "draft"
    if use_model:
        outcome = polish(
            ctx, load_prompt("email"),
            {"requirements": _requirements(kind), "draft": data_block("email draft", draft.body)},
            parse=_body_only,
            validate=lambda text: validate_email(text, draft, profile, entries),
            what="email", fallback="the template built from your profile")
        if outcome.value is not None:
            body, source = outcome.value, "model"
        notice, violations = outcome.notice, outcome.violations
    checks = {e.id: e.present for e in check_elements(body, draft, profile)}
    hostile = hostile_phrases(body)
    checks["no-hostile-language"] = not hostile
    if hostile:
        words = ", ".join(v.detail.split("'")[1] for v in hostile)
        notice = ((notice + " ") if notice else "") + (
            f"Your wording includes {words}, which may read as negative; consider rephrasing.")
    version = len(ctx.store.artifacts("email", kind)) + 1
    files = _files(ctx, draft, body, out_dir, version, today)
    ctx.store.save_artifact("email", kind, f"Subject: {draft.subject}\n\n{body}",
                            {"source": source, "notice": notice, "checks": checks, "files": files,
                             "to": draft.to})
    return EmailResult(kind=kind, to=draft.to, subject=draft.subject, body=body, checks=checks,
                       notice=notice, files=files, source=source, violations=violations,
                       revisit=draft.revisit, version=version)


def save_email(ctx: Context, *, to: str, sender: str, subject: str, body: str,
               kind: str = "") -> Path:
    """Write an email as the user edited it to an .eml draft in the exports folder.

    Args:
        kind: names the file (`<kind>.eml`; `email.eml` when empty); a later save of the
            same kind replaces it.
    """
    check_lengths(subject=subject, body=body)
    if not (body or "").strip():
        raise CoachError("the email is empty", hint="Draft it first.")
    msg = build_message(to=to, sender=sender, subject=subject, body=body, date=dt.date.today())
    return write_eml(ctx.settings.exports_dir / "emails" / f"{kind or 'email'}.eml", msg)
