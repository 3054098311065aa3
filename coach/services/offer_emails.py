"""The emails after a yes: the agreed offer confirmed in writing, and a thank-you to each person
who helped. Each is drafted from the user's own data (the saved offer, the profile, the list of
people who decide), polished under the figure guard (one re-ask, else the draft with a notice),
saved as a versioned draft and written as .txt and, when both addresses are known, .eml.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from coach.domain.emails import Element, EmailDraft
from coach.domain.errors import CoachError
from coach.domain.guard import Violation, hostile_phrases
from coach.domain.injection import data_block
from coach.domain.offer import Offer
from coach.domain.offer_email import KIND as CONFIRMATION
from coach.domain.offer_email import build_confirmation, confirmation_elements, validate_confirmation
from coach.domain.profile import Profile
from coach.domain.responses import ResponseType
from coach.domain.stakeholders import Person
from coach.domain.thanks_email import KIND as THANKS
from coach.domain.thanks_email import build_thanks, helpers, thanks_elements, validate_thanks
from coach.export.eml import build_message, write_eml
from coach.export.markdown import write_text
from coach.prompts import load_prompt
from coach.services import offer as offer_service
from coach.services import stakeholders as people_service
from coach.services.context import Context
from coach.services.drafting import polish
from coach.services.emails import EmailResult, body_only, missing_addresses
from coach.services.inputs import require_profile, today_or


class ThanksResult(EmailResult):
    """One thank-you note; `missing` may also name `stakeholder_email` (the person's address)."""

    person: int = Field(..., description="The stakeholder id the note is for.")
    person_name: str = ""


Sink = Callable[[EmailResult], None]


def _requirements(elements: list[Element]) -> str:
    return "; ".join(e.label for e in elements)


def _checks(elements: list[Element], body: str) -> dict[str, bool]:
    checks = {e.id: e.present for e in elements}
    checks["no-hostile-language"] = not hostile_phrases(body)
    return checks


def _tone(notice: str | None, body: str) -> str | None:
    if hostile := hostile_phrases(body):
        words = ", ".join(v.detail.split("'")[1] for v in hostile)
        return ((notice + " ") if notice else "") + (
            f"Your wording includes {words}, which may read as negative; consider rephrasing.")
    return notice


def _write(ctx: Context, draft: EmailDraft, body: str, out_dir: str | Path | None, stem: str,
           today: dt.date) -> list[str]:
    """The .txt always; the .eml when both addresses are known."""
    folder = Path(out_dir).expanduser() if out_dir else ctx.settings.exports_dir / "emails"
    files = [str(write_text(folder / f"{stem}.txt", f"Subject: {draft.subject}\n\n{body}"))]
    if draft.to_address and draft.from_address:
        msg = build_message(to=draft.to, to_address=draft.to_address, sender=draft.sender,
                            sender_address=draft.from_address, subject=draft.subject, body=body,
                            date=today)
        files.insert(0, str(write_eml(folder / f"{stem}.eml", msg)))
    return files


def _polished(ctx: Context, prompt: str, draft: EmailDraft, elements: list[Element],
              validate: Callable[[str], list[Violation]], use_model: bool,
              cancel: threading.Event | None) -> tuple[str, str | None, list[str],
                                                       Literal["model", "draft"], bool]:
    """(body, notice, violations, source, stopped): the model's rewording if it passes."""
    if not use_model:
        return draft.body, None, [], "draft", False
    outcome = polish(ctx, load_prompt(prompt),
                     {"requirements": _requirements(elements),
                      "draft": data_block("email draft", draft.body)},
                     parse=body_only, validate=validate, what="email",
                     fallback="the draft built from your data", cancel=cancel)
    if outcome.value is not None:
        return outcome.value, outcome.notice, outcome.violations, "model", False
    return draft.body, outcome.notice, outcome.violations, "draft", outcome.stopped


def _save(ctx: Context, draft: EmailDraft, result: EmailResult, meta: dict) -> None:
    ctx.store.save_artifact("email", draft.kind, f"Subject: {draft.subject}\n\n{result.body}",
                            {"source": result.source, "notice": result.notice,
                             "checks": result.checks, "files": result.files, "to": draft.to,
                             **meta})


def _fields(draft: EmailDraft) -> dict:
    return {"kind": draft.kind, "to": draft.to, "to_address": draft.to_address,
            "sender": draft.sender, "from_address": draft.from_address, "subject": draft.subject}


# -- the offer confirmation --------------------------------------------------------------------
def saved_offer(ctx: Context) -> Offer:
    """The saved offer, or the `no-offer` error (a face checks it before saying "drafting")."""
    offer = offer_service.get_offer(ctx)
    if offer is None:
        raise CoachError("no offer saved yet: save the offer first, then draft its confirmation",
                         code="no-offer", hint="Save the title you were offered, and whatever "
                         "else was agreed.")
    return offer


def draft_offer_confirmation(ctx: Context, today: dt.date | None = None, *,
                             out_dir: str | Path | None = None, use_model: bool = True,
                             on_draft: Sink | None = None,
                             cancel: threading.Event | None = None) -> EmailResult:
    """Draft, polish and save the email asking the manager to confirm the agreed terms.

    Every term saved with the offer is stated as typed; the ones not saved are named as still
    to confirm. No saved offer: a `no-offer` error, nothing drafted.

    Args:
        out_dir: where the files go (default: the exports folder's `emails/`).
        use_model: False keeps the deterministic wording.
        on_draft: called at once with the deterministic email (version 0, not saved yet).
        cancel: set to stop the model; the draft is then returned unsaved (version 0).
    """
    today = today_or(today)
    offer = saved_offer(ctx)
    profile = require_profile(ctx)
    draft = build_confirmation(profile, offer)
    missing = missing_addresses(profile)

    def result(body: str, **extra) -> EmailResult:
        return EmailResult(**_fields(draft), body=body, missing=missing,
                           checks=_checks(confirmation_elements(body, offer), body), **extra)

    if on_draft is not None:
        on_draft(result(draft.body, source="draft"))
    body, notice, violations, source, stopped = _polished(
        ctx, "offer_email", draft, confirmation_elements(draft.body, offer),
        lambda text: validate_confirmation(text, draft, profile, offer), use_model, cancel)
    if stopped:
        return result(draft.body, source="draft", notice=notice)
    if offer.in_writing is True:
        notice = ((notice + " ") if notice else "") + (
            "Your offer is already marked as confirmed in writing: send this only if something "
            "has changed since.")
    version = len(ctx.store.artifacts("email", CONFIRMATION)) + 1
    files = _write(ctx, draft, body, out_dir, f"{CONFIRMATION}-v{version}", today)
    done = result(body, source=source, notice=_tone(notice, body), files=files,
                  violations=violations, version=version)
    _save(ctx, draft, done, {})
    return done


# -- the thank-you notes -----------------------------------------------------------------------
def thank_whom(ctx: Context, ids: Sequence[int] | None = None) -> list[Person]:
    """The people named (every id checked before anything is drafted), else the helpers."""
    people = people_service.list_people(ctx)
    if ids:
        by_id = {p.id: p for p in people}
        for pid in ids:
            if pid not in by_id:
                raise CoachError(f"no person with id {pid} on your list of people who decide",
                                 code="not-found", field="stakeholder")
        return [by_id[pid] for pid in dict.fromkeys(ids)]
    chosen = helpers(people)
    if not chosen:
        raise CoachError("nobody to thank yet: no one on your list of people who decide is "
                         "marked as a sponsor or has a logged interaction", code="no-helpers",
                         field="stakeholder", hint="Mark your sponsors, or log what the people "
                         "who helped did, or pick the people to thank.")
    return chosen


def _news(ctx: Context, profile: Profile) -> tuple[str, dt.date | None, str | None]:
    """The new title and start date (the saved offer's, else the profile's target), and a
    notice when nothing says the promotion was agreed yet."""
    offer = offer_service.get_offer(ctx)
    if offer is not None:
        return offer.title, offer.start, None
    if profile.last_answer is ResponseType.YES:
        return profile.target_title, None, None
    return profile.target_title, None, (
        "No offer is saved and your manager's last answer is not a yes: send these once the "
        "promotion is agreed.")


def draft_helper_thanks(ctx: Context, stakeholder_ids: Sequence[int] | None = None,
                        today: dt.date | None = None, *, out_dir: str | Path | None = None,
                        use_model: bool = True,
                        cancel: threading.Event | None = None) -> list[ThanksResult]:
    """Draft, polish and save a thank-you to each person who helped, one email each.

    Args:
        stakeholder_ids: the people to thank (ids from the list of people who decide); an
            unknown id is a `not-found` error naming it, nothing drafted. Default: the
            sponsors and everyone with a logged interaction.
        out_dir: where the files go (default: the exports folder's `emails/`).
        use_model: False keeps the deterministic wording.
        cancel: set to stop the model; the drafts not yet polished keep their wording.
    """
    today = today_or(today)
    profile = require_profile(ctx)
    people = thank_whom(ctx, stakeholder_ids)
    title, start, caveat = _news(ctx, profile)
    results = []
    for person in people:
        draft = build_thanks(profile, person, title=title, start=start, today=today)
        missing = [f for f in ("email",) if not profile.email] + (
            [] if person.email else ["stakeholder_email"])

        def elements(body: str, person: Person = person) -> list[Element]:
            return thanks_elements(body, person, title, start, today)

        def validate(text: str, draft: EmailDraft = draft,
                     person: Person = person) -> list[Violation]:
            return validate_thanks(text, draft, profile, person, title=title, start=start,
                                   today=today)

        body, notice, violations, source, _ = _polished(
            ctx, "thanks_email", draft, elements(draft.body), validate,
            use_model and not (cancel is not None and cancel.is_set()), cancel)
        if caveat:
            notice = ((notice + " ") if notice else "") + caveat
        version = len(ctx.store.artifacts("email", THANKS)) + 1
        files = _write(ctx, draft, body, out_dir, f"{THANKS}-{person.id}-v{version}", today)
        done = ThanksResult(**_fields(draft), body=body, missing=missing,
                            checks=_checks(elements(body), body), source=source,
                            notice=_tone(notice, body), files=files, violations=violations,
                            version=version, person=person.id, person_name=person.name)
        _save(ctx, draft, done, {"person": person.id})
        results.append(done)
    return results
