"""Email use case: draft one of the four emails, polish it under the guard, write .eml/.ics."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.email_kinds import EMAIL_KINDS
from coach.domain.emails import (
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
from coach.domain.profile import Profile
from coach.domain.readiness import assess_readiness
from coach.domain.timing import add_months, assess_timing
from coach.export.eml import build_message, write_eml
from coach.export.ics import reminder, write_ics
from coach.export.markdown import write_text
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.drafting import polish
from coach.services.inputs import load_inputs, today_or
from coach.services.meeting_recap import meeting_recap
from coach.services.readiness import load_expectations

DEFAULT_REVISIT_MONTHS = 3  # without a review cycle, check in again after a quarter


class EmailResult(BaseModel):
    kind: str
    to: str
    to_address: str = ""
    sender: str = ""
    from_address: str = ""
    subject: str
    body: str
    checks: dict[str, bool] = Field(..., description="Required element -> present.")
    notice: str | None = None
    files: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description=(
        "Profile fields the .eml needs that are empty (manager_email, email): no .eml then."))
    source: Literal["model", "draft"]
    violations: list[str] = Field(default_factory=list)
    revisit: dt.date | None = None
    version: int = Field(0, description="The saved version; 0 while not saved (a draft shown "
                         "before the polish, or a stopped run).")

    def text(self) -> str:
        to = f"{self.to} <{self.to_address}>" if self.to_address else self.to
        lines = [f"To: {to}", f"Subject: {self.subject}", "", self.body]
        if self.notice:
            lines += ["", f"Note: {self.notice}"]
        missing = [k for k, ok in self.checks.items() if not ok]
        if missing:
            lines += ["", f"Check before sending: {', '.join(missing)}"]
        if self.files:
            lines += ["", "Saved: " + ", ".join(self.files)]
        return "\n".join(lines)


DraftSink = Callable[[EmailResult], None]


def missing_addresses(profile: Profile) -> list[str]:
    """The profile fields an addressed .eml needs that are empty."""
    return [f for f in ("manager_email", "email") if not getattr(profile, f)]


def _summary(ctx: Context, summary: str | None, meeting_id: int | None, title: str) -> str:
    """What the follow-up recaps: the user's own account first, else the meeting they picked.
    Never a meeting they did not pick: the email goes to their real manager."""
    if summary and summary.strip():
        return summary.strip()
    if meeting_id is not None:
        return meeting_recap(ctx, meeting_id, title)
    return ""


def _revisit(revisit: dt.date | None, today: dt.date, review: dt.date | None) -> dt.date:
    if revisit:
        return revisit
    if review and review > today:
        return review
    return add_months(today, DEFAULT_REVISIT_MONTHS)


def body_only(reply: str) -> str | None:
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
    files = [str(write_text(folder / f"{stem}.txt", f"Subject: {draft.subject}\n\n{body}"))]
    if draft.to_address and draft.from_address:
        msg = build_message(to=draft.to, to_address=draft.to_address, sender=draft.sender,
                            sender_address=draft.from_address, subject=draft.subject, body=body,
                            date=today)
        files.insert(0, str(write_eml(folder / f"{stem}.eml", msg)))
    if draft.kind == "follow-up" and draft.revisit:
        ics = reminder(when=draft.revisit, summary=f"Promotion check-in with {draft.to}",
                       description=f"Review progress since: {draft.subject}.", stamp=today)
        files.append(str(write_ics(folder / f"{stem}.ics", ics)))
    return files


def _result(draft: EmailDraft, body: str, profile: Profile, **fields) -> EmailResult:
    checks = {e.id: e.present for e in check_elements(body, draft, profile)}
    checks["no-hostile-language"] = not hostile_phrases(body)
    return EmailResult(kind=draft.kind, to=draft.to, to_address=draft.to_address,
                       sender=draft.sender, from_address=draft.from_address,
                       subject=draft.subject, body=body, checks=checks,
                       missing=missing_addresses(profile), revisit=draft.revisit, **fields)


def draft_email(ctx: Context, kind: str, *, reason: str | None = None,
                summary: str | None = None, meeting_id: int | None = None,
                revisit: dt.date | None = None, out_dir: str | Path | None = None,
                today: dt.date | None = None, use_model: bool = True,
                on_draft: DraftSink | None = None,
                cancel: threading.Event | None = None) -> EmailResult:
    """Draft, polish and save one email of `kind`, with an .eml (and .ics for a follow-up).

    Args:
        kind: meeting-request, follow-up, decline or thank-you.
        reason: for a decline, why (optional; only said if given).
        summary: for a follow-up, what was said in the meeting (wins over `meeting_id`).
        meeting_id: for a follow-up, a recorded meeting (real or practice) to recap.
        revisit: the check-in date; else the next review cycle or a quarter from today.
        out_dir: where the files go (default: the exports folder).
        today: the writing date.
        use_model: False keeps the deterministic wording.
        on_draft: called at once with the deterministic email (version 0, not saved yet).
        cancel: set to stop the model; the draft is then returned unsaved (version 0).

    The .eml is written only when the profile has both e-mail addresses (`missing` lists
    the empty ones); the .txt always is.
    """
    check_lengths(reason=reason, summary=summary)  # before anything is read or sent
    if kind not in EMAIL_KINDS:
        raise CoachError(f"unknown email kind '{kind}'", hint=f"Use one of: {', '.join(EMAIL_KINDS)}.")
    today = today_or(today)
    profile, entries = load_inputs(ctx)
    readiness = assess_readiness(profile, entries, load_expectations(ctx, profile.transition).items,
                                 today=today)
    timing = assess_timing(profile, entries, today=today)
    if kind == "follow-up":
        summary = _summary(ctx, summary, meeting_id, profile.target_title)
    draft = build_email(kind, profile, entries, readiness, today=today, reason=reason or "",
                        summary=summary or "",
                        revisit=_revisit(revisit, today, timing.review_date)
                        if kind == "follow-up" else None)
    if on_draft is not None:
        on_draft(_result(draft, draft.body, profile, source="draft"))
    body, notice, violations, source = draft.body, None, [], "draft"
    if use_model:
        outcome = polish(
            ctx, load_prompt("email"),
            {"requirements": _requirements(kind), "draft": data_block("email draft", draft.body)},
            parse=body_only,
            validate=lambda text: validate_email(text, draft, profile, entries),
            what="email", fallback="the template built from your profile", cancel=cancel)
        if outcome.stopped:
            return _result(draft, draft.body, profile, source="draft", notice=outcome.notice)
        if outcome.value is not None:
            body, source = outcome.value, "model"
        notice, violations = outcome.notice, outcome.violations
    hostile = hostile_phrases(body)
    if hostile:
        words = ", ".join(v.detail.split("'")[1] for v in hostile)
        notice = ((notice + " ") if notice else "") + (
            f"Your wording includes {words}, which may read as negative; consider rephrasing.")
    version = len(ctx.store.artifacts("email", kind)) + 1
    files = _files(ctx, draft, body, out_dir, version, today)
    result = _result(draft, body, profile, source=source, notice=notice, files=files,
                     violations=violations, version=version)
    ctx.store.save_artifact("email", kind, f"Subject: {draft.subject}\n\n{body}",
                            {"source": source, "notice": notice, "checks": result.checks,
                             "files": files, "to": draft.to})
    return result


def save_email(ctx: Context, *, subject: str, body: str, kind: str = "",
               today: dt.date | None = None) -> Path:
    """Write an email as the user edited it to an .eml draft in the exports folder,
    addressed from the profile (a `no-address` error names the empty field).

    Args:
        kind: names the file (`<kind>.eml`; `email.eml` when empty); a later save of the
            same kind replaces it.
    """
    check_lengths(subject=subject, body=body)
    if not (body or "").strip():
        raise CoachError("the email is empty", code="empty", field="body")
    profile, _ = load_inputs(ctx)
    if missing := missing_addresses(profile):
        who = "your manager's" if missing[0] == "manager_email" else "your own"
        raise CoachError(f"{who} e-mail address is missing", code="no-address", field=missing[0])
    msg = build_message(to=profile.manager_name or "Manager", to_address=profile.manager_email,
                        sender=profile.name, sender_address=profile.email, subject=subject or "",
                        body=body, date=today_or(today))
    return write_eml(ctx.settings.exports_dir / "emails" / f"{kind or 'email'}.eml", msg)
