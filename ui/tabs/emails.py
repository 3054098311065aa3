"""Emails: pick the kind, draft it, edit it, download it as .eml (and .ics for a follow-up)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from coach.domain.emails import EMAIL_KINDS
from coach.services import emails
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, label, parse_date

# What the page calls each kind; the kinds themselves (and their order) come from the domain.
LABELS = {"meeting-request": "Ask for the meeting", "follow-up": "Follow up after the talk",
          "decline": "Decline a promotion", "thank-you": "Thank you"}
KINDS = [(LABELS[kind], kind) for kind in EMAIL_KINDS]


def checks_markdown(result) -> str:
    lines = []
    if result.notice:
        lines.append(f"*{result.notice}*\n")
    lines.append("**Checks**")
    lines += [f"- {'&#10003;' if ok else '&#10007; missing:'} {label(name)}"
              for name, ok in result.checks.items()]
    return "\n".join(lines)


def build(state: AppState) -> Panel:
    with gr.Tab("Emails", id="emails") as tab:
        gr.Markdown("### Emails\nDrafts from your goal and log. Edit them here, then download "
                    "the .eml to open it as a draft in your mail program.")
        with gr.Row():
            kind = gr.Radio(KINDS, value="meeting-request", label="Which email",
                            elem_id="email-kind")
        with gr.Row():
            reason = gr.Textbox(label="Why you decline (optional, decline only)",
                                elem_id="email-reason")
            summary = gr.Textbox(label="What was said (follow-up; default: your last role-play)",
                                 elem_id="email-summary")
            revisit = gr.Textbox(label="Check-in date YYYY-MM-DD (follow-up, optional)",
                                 elem_id="email-revisit")
        draft = gr.Button("Draft email", variant="primary", elem_id="email-draft")
        to = gr.Textbox(label="To", interactive=False, elem_id="email-to")
        subject = gr.Textbox(label="Subject", elem_id="email-subject")
        body = gr.Textbox(label="Body", lines=14, max_lines=40, elem_id="email-body")
        checks = gr.Markdown(elem_id="email-checks")
        with gr.Row():
            save_eml = gr.Button("Download .eml", elem_id="email-dl-eml")
            calendar = gr.Button("Download reminder (.ics)", visible=False, elem_id="email-dl-ics")
        download = gr.File(label="Download", interactive=False, height=90, elem_id="email-file")
        sender = gr.State("")
        ics_path = gr.State("")
        email_kind = gr.State("")

    @guarded("draft the email", state)
    def make(kind_v, reason_v, summary_v, revisit_v, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        ctx = state.context(request)
        progress(0.2, desc="Drafting the email")
        result = emails.draft_email(
            ctx, kind_v, reason=reason_v or None, summary=summary_v or None,
            revisit=parse_date(revisit_v, what="check-in date"), today=state.today)
        profile = ctx.store.get_profile()
        ics = next((f for f in result.files if f.endswith(".ics")), "")
        return (result.to, result.subject, result.body, checks_markdown(result),
                profile.name if profile else "", ics, gr.update(visible=bool(ics)), kind_v)

    @guarded("save the email", state)
    def to_eml(to_v, subject_v, body_v, sender_v, kind_v, request: gr.Request):
        path = emails.save_email(state.context(request), to=to_v, sender=sender_v,
                                 subject=subject_v or "", body=body_v, kind=kind_v)
        return str(path)

    def to_ics(path):
        if not path or not Path(path).is_file():
            raise gr.Error("There is no reminder for this email; draft a follow-up first.")
        return path

    draft.click(make, [kind, reason, summary, revisit],
                [to, subject, body, checks, sender, ics_path, calendar, email_kind], **PRIVATE)
    save_eml.click(to_eml, [to, subject, body, sender, email_kind], download, **PRIVATE)
    calendar.click(to_ics, ics_path, download, **PRIVATE)
    return Panel(tab=tab)
