"""The manager update: the entries since the last one, the results, and the plan's next items.

Facts first: `build_update` writes the complete email from the log and the plan. The model
only rewords it (`polish`, prompt `update_email`), and `validate_update` keeps the rewording
only if every figure in it is one the entries hold; it is asked again once, else the draft
stands with a notice. Each update made is remembered (`LAST_KEY`), so the next one starts
where it ended.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.injection import data_block
from coach.domain.plan import due_next
from coach.domain.timing import add_months
from coach.domain.update_email import (
    UpdateDraft,
    build_update,
    in_window,
    update_text,
    validate_update,
)
from coach.export.eml import build_message, write_eml
from coach.prompts import load_prompt
from coach.services import plan as plan_service
from coach.services.context import Context
from coach.services.drafting import polish
from coach.services.emails import body_only, missing_addresses
from coach.services.inputs import load_inputs, today_or

LAST_KEY = "habit:updates"
KEEP_UPDATES = 24  # two years of monthly updates is plenty of history
FIRST_WINDOW_MONTHS = 1  # the first update covers the last month


class Made(BaseModel):
    """One update made: when, from when, and which entries it reported."""

    made: dt.date
    since: dt.date
    entries: list[int] = Field(default_factory=list)


class UpdateResult(BaseModel):
    to: str
    to_address: str = ""
    sender: str = ""
    from_address: str = ""
    subject: str
    body: str
    since: dt.date
    entries: list[int]
    next_items: list[str] = Field(default_factory=list, description="Plan item ids named as next.")
    source: Literal["model", "draft"]
    notice: str | None = None
    violations: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description=(
        "Profile fields the .eml needs that are empty (manager_email, email): no .eml then."))
    file: str | None = None
    previous: dt.date | None = Field(None, description="When the update before this was made.")

    def text(self) -> str:
        to = f"{self.to} <{self.to_address}>" if self.to_address else self.to
        lines = [f"To: {to}", f"Subject: {self.subject}", "", self.body]
        if self.notice:
            lines += ["", f"Note: {self.notice}"]
        if self.file:
            lines += ["", f"Saved: {self.file}"]
        elif self.missing:
            lines += ["", "No .eml written: the profile lacks " + " and ".join(self.missing) + "."]
        return "\n".join(lines)


def history(ctx: Context) -> list[Made]:
    return [Made.model_validate(m) for m in ctx.store.get_value(LAST_KEY) or []]


def _window(made: list[Made], since: dt.date | None, today: dt.date) -> tuple[dt.date, list[int]]:
    """Where this update starts, and the entries already reported there."""
    if since is not None:
        return since, []
    before = [m for m in made if m.made < today]
    if before:  # a redo on the same day covers the same stretch as the first try
        last = before[-1]
        return last.made, last.entries
    return add_months(today, -FIRST_WINDOW_MONTHS), []


def check_since(since: dt.date | None, today: dt.date) -> None:
    if since is not None and since > today:
        raise CoachError(f"the start date {since.isoformat()} is in the future: an update "
                         "reports work already done", code="future-start", field="since",
                         hint=f"Use a date up to {today.isoformat()}.")


def _eml(ctx: Context, draft: UpdateDraft, body: str, out: str | Path | None,
         today: dt.date) -> str:
    target = Path(out) if out else ctx.settings.exports_dir / "emails" / f"update-{today}.eml"
    msg = build_message(to=draft.to, to_address=draft.to_address, sender=draft.sender,
                        sender_address=draft.from_address, subject=draft.subject, body=body,
                        date=today)
    return str(write_eml(target, msg))


def draft_update(ctx: Context, *, since: dt.date | None = None, out: str | Path | None = None,
                 today: dt.date | None = None, use_model: bool = True,
                 cancel: threading.Event | None = None) -> UpdateResult:
    """Draft, polish and save the update; remembered as made today.

    Args:
        since: report entries from this date (default: where the last update ended, else a
            month back).
        out: the .eml to write (default: `emails/update-<today>.eml` in the exports folder).
            Without both e-mail addresses no .eml is written (`missing` says which), unless
            `out` asks for one: then it is a `no-address` error.
        use_model: False keeps the deterministic wording.
    """
    today = today_or(today)
    check_since(since, today)
    profile, entries = load_inputs(ctx)
    missing = missing_addresses(profile)
    if out is not None and missing:
        who = "your manager's" if missing[0] == "manager_email" else "your own"
        raise CoachError(f"{who} e-mail address is missing", code="no-address", field=missing[0])
    made = history(ctx)
    start, reported = _window(made, since, today)
    window = in_window(entries, start, today, reported)
    plan = plan_service.ensure_plan(ctx, today)
    draft = build_update(profile, window, due_next(plan.items), since=start, today=today)
    body, notice, violations = draft.body, None, []
    source: Literal["model", "draft"] = "draft"
    if use_model:
        outcome = polish(
            ctx, load_prompt("update_email"), {"draft": data_block("update draft", draft.body)},
            parse=body_only, validate=lambda text: validate_update(text, draft, profile, window),
            what="update", fallback="the update built from your log", cancel=cancel)
        if outcome.value is not None:
            body, source = outcome.value, "model"
        notice, violations = outcome.notice, outcome.violations
    file = _eml(ctx, draft, body, out, today) if not missing else None
    kept = [m for m in made if m.made != today][-(KEEP_UPDATES - 1):]
    ctx.store.set_value(LAST_KEY, [m.model_dump(mode="json") for m in kept] + [
        Made(made=today, since=start, entries=draft.entries).model_dump(mode="json")])
    ctx.store.save_artifact("email", "update", update_text(draft, body),
                            {"source": source, "notice": notice, "file": file})
    previous = max((m.made for m in made if m.made < today), default=None)
    return UpdateResult(to=draft.to, to_address=draft.to_address, sender=draft.sender,
                        from_address=draft.from_address, subject=draft.subject, body=body,
                        since=start, entries=draft.entries,
                        next_items=[i.id for i in draft.next_items], source=source,
                        notice=notice, violations=violations, missing=missing, file=file,
                        previous=previous)
