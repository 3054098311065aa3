"""The Emails tab's section for after a yes: the agreed offer confirmed in writing, and a short
thank-you to each person who helped.

The confirmation lists the terms saved in the Offer & options tab and names the ones not yet
settled; the thank-you notes go to the people ticked (by default the sponsors and everyone with
an interaction logged in the People tab). Each is drafted from the user's data, the model's
wording kept only when every figure in it is one the user entered; the .eml files download
from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.thanks_email import helpers
from coach.services import offer_emails
from coach.services import stakeholders as people
from coach.services.context import Context
from coach.services.emails import EmailResult
from coach.services.inputs import require_profile
from coach.ui import downloads
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, label

HIDDEN = {"show_progress": "hidden", **PRIVATE}
# The page's fix for the errors of this section (the core's hints name no tab).
PAGE_FIX = {
    "no-offer": "Note it in the Offer & options tab: the title you were offered, and whatever "
                "else was agreed.",
    "no-helpers": "Mark a sponsor or log what someone did in the People tab, or tick the people "
                  "to thank above.",
}
MISSING = {"manager_email": "your manager's e-mail address (Goal tab)",
           "email": "your e-mail address (Goal tab)",
           "stakeholder_email": "their e-mail address (People tab)"}


def _page(exc: CoachError) -> CoachError:
    fix = PAGE_FIX.get(exc.code)
    return CoachError(exc.message, code=exc.code, field=exc.field, hint=fix) if fix else exc


def people_choices(ctx: Context) -> tuple[list[tuple[str, int]], list[int]]:
    """Everyone on the list (name and role), and the ids ticked by default (the helpers)."""
    listed = people.list_people(ctx)
    choices = [(p.name + (f" ({p.role})" if p.role else "") + (" - sponsor" if p.sponsor else ""),
                p.id) for p in listed]
    return choices, [p.id for p in helpers(listed)]


def checks_line(r: EmailResult) -> str:
    missing = [label(k) for k, ok in r.checks.items() if not ok]
    return "&#10003; The draft shown has every part." if not missing else "&#10007; Missing: " + ", ".join(
        missing) + "."


def how(r: EmailResult) -> str:
    said = ("The model's wording passed the checks." if r.source == "model"
            else "The draft built from your data stands." if not r.notice else "")
    return " ".join(x for x in (said, r.notice or "") if x)


def no_eml(r: EmailResult) -> str:
    if not r.missing:
        return ""
    return "No .eml: add " + " and ".join(MISSING.get(f, f) for f in r.missing) + "."


def thanks_text(notes: Sequence[offer_emails.ThanksResult]) -> str:
    """Every note, one after the other, as it would be sent."""
    parts = []
    for n in notes:
        to = f"{n.to} <{n.to_address}>" if n.to_address else n.to
        parts.append(f"To: {to}\nSubject: {n.subject}\n\n{n.body}")
    return ("\n\n" + "-" * 40 + "\n\n").join(parts)


def thanks_summary(notes: Sequence[offer_emails.ThanksResult]) -> str:
    lines = [f"**{len(notes)} thank-you note{'s' if len(notes) != 1 else ''}**"]
    for n in notes:
        extra = " ".join(x for x in (how(n), checks_line(n), no_eml(n)) if x)
        lines.append(f"- **{n.to}**: {extra}")
    return "\n".join(lines)


def section(state: AppState) -> tuple[gr.CheckboxGroup, Callable[[Context], Any]]:
    """Build the section; returns the people picker and its refresh (for the tab's Panel)."""
    msgs = Messages(state, "after-yes")
    gr.Markdown("### After a yes\nAsk for the agreed terms in writing (from the offer you noted "
                "in **Offer & options**), and thank the people who helped (from the **People** "
                "tab). Every figure comes from what you entered.", elem_id="email-after-yes-intro")
    confirm = gr.Button("Draft the offer confirmation", variant="primary",
                        elem_id="email-offer-draft")
    msgs.form()
    offer_note = gr.Markdown(elem_id="email-offer-notice")
    offer_subject = gr.Textbox(label="Subject", interactive=False, elem_id="email-offer-subject")
    offer_body = gr.Textbox(label="Offer confirmation", lines=12, max_lines=30, interactive=False,
                            elem_id="email-offer-body")
    offer_eml = gr.DownloadButton("Download confirmation (.eml)", interactive=False,
                                  elem_id="email-offer-eml")
    who = gr.CheckboxGroup([], label="Who to thank (ticked: your sponsors and everyone you "
                           "logged an interaction with)", elem_id="email-thanks-who")
    msgs.field("stakeholder", "Who to thank")
    thank = gr.Button("Draft the thank-you notes", variant="primary", elem_id="email-thanks-draft")
    thanks_note = gr.Markdown(elem_id="email-thanks-notice")
    thanks_body = gr.Textbox(label="Thank-you notes", lines=14, max_lines=40, interactive=False,
                             elem_id="email-thanks-body")
    thanks_files = gr.File(label="Download the thank-you notes (.eml)", file_count="multiple",
                           interactive=False, visible=False, elem_id="email-thanks-eml")

    def make_confirmation(request: gr.Request):
        ctx = state.context(request)
        try:
            offer_emails.saved_offer(ctx)  # before saying "drafting"
            require_profile(ctx)
            yield ("*Drafting the confirmation from your offer; the model is polishing it...*",
                   gr.skip(), gr.skip(), gr.skip())
            r = offer_emails.draft_offer_confirmation(ctx, today=state.today)
        except CoachError as exc:
            raise _page(exc) from None
        eml = next((f for f in r.files if f.endswith(".eml")), None)
        button = (gr.update(value=downloads.offer(ctx, eml), interactive=True) if eml
                  else gr.update(value=None, interactive=False))
        note = " ".join(x for x in (how(r), checks_line(r), no_eml(r)) if x)
        yield note, r.subject, r.body, button

    def make_thanks(ticked, request: gr.Request):
        ctx = state.context(request)
        ids = [int(i) for i in ticked or []] or None
        try:
            require_profile(ctx)
            whom = offer_emails.thank_whom(ctx, ids)  # before saying "drafting"
            yield (f"*Drafting a note for each of {len(whom)}; the model is polishing them...*",
                   gr.skip(), gr.skip())
            notes = offer_emails.draft_helper_thanks(ctx, ids, today=state.today)
        except CoachError as exc:
            raise _page(exc) from None
        files = [downloads.offer(ctx, f) for n in notes for f in n.files if f.endswith(".eml")]
        yield (thanks_summary(notes), thanks_text(notes),
               gr.update(value=files or None, visible=bool(files)))

    msgs.on(confirm.click, make_confirmation, None,
            [offer_note, offer_subject, offer_body, offer_eml],
            action="draft the offer confirmation", **HIDDEN)
    msgs.on(thank.click, make_thanks, [who], [thanks_note, thanks_body, thanks_files],
            action="draft the thank-you notes", **HIDDEN)

    def refresh(ctx: Context):
        choices, ticked = people_choices(ctx)
        return gr.update(choices=choices, value=ticked)

    return who, refresh
