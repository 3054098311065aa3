"""Emails: pick the kind, draft it, edit it, download it as .eml (and .ics for a follow-up).

Draft shows the template at once and swaps in the model's polished wording when it passes
the guard (or says the template stands); Stop keeps the template. The .eml is addressed
from the profile; without both addresses the page says which Goal field to fill in. A
follow-up recaps what the user says happened in the real meeting, or a meeting they pick:
never, unasked, the last role-play. Below them, the short update for the manager: what shipped,
the results, what is next, from the log since the last update and the plan's next items; then,
after a yes, the offer confirmation and the thank-you notes (`after_yes.py`).
"""

from __future__ import annotations

import datetime as dt

import gradio as gr

from coach.domain.email_kinds import EMAIL_KINDS
from coach.domain.limits import BUDGET
from coach.services import emails, update
from coach.services.context import Context
from coach.services.inputs import require_profile
from coach.services.meeting_recap import recorded_meetings
from coach.ui import downloads
from coach.ui.errors import Messages, guarded
from coach.ui.state import AppState
from coach.ui.streaming import staged_call
from coach.ui.tabs import PRIVATE, Panel, after_yes, label, parse_date
from coach.ui.tabs.goal import ADDRESS_LABELS

# What the page calls each kind; the kinds themselves (and their order) come from the domain.
LABELS = {"meeting-request": "Ask for the meeting", "follow-up": "Follow up after the talk",
          "decline": "Decline a promotion", "thank-you": "Thank you"}
KINDS = [(LABELS[kind], kind) for kind in EMAIL_KINDS]
NO_MEETING = 0
HIDDEN = {"show_progress": "hidden", **PRIVATE}


def checks_markdown(result) -> str:
    lines = ["**Checks**"]
    lines += [f"- {'&#10003;' if ok else '&#10007; missing:'} {label(name)}"
              for name, ok in result.checks.items()]
    return "\n".join(lines)


def addressee(name: str, address: str) -> str:
    return f"{name} <{address}>" if address else f"{name} (no e-mail address yet)"


def address_note(missing: list[str]) -> str:
    if not missing:
        return ""
    fields = " and ".join(f"*{ADDRESS_LABELS[f]}*" for f in missing)
    return (f"&#9888; To download the .eml, add {fields} in the **Goal** tab: the draft is "
            "addressed from there.")


def busy(seconds: float) -> str:
    return (f"**Draft shown; the model is polishing the wording** ({seconds:.0f} s)... "
            "Press **Stop** to keep this draft.")


def meeting_choices(ctx: Context) -> list[tuple[str, int]]:
    return [("None: use what I wrote above", NO_MEETING)] + [
        (m.label(), m.id) for m in recorded_meetings(ctx)]


def eml_button(path: str | None, missing: list[str]):
    if missing:
        return gr.update(value=None, interactive=False, label="Download .eml (addresses missing)")
    if not path:
        return gr.update(value=None, interactive=False, label="Download .eml")
    return gr.update(value=path, interactive=True, label="Download .eml")


def build(state: AppState) -> Panel:
    with gr.Tab("Emails", id="emails") as tab:
        gr.Markdown("### Emails\nDrafts from your goal and log, addressed to your manager. Edit "
                    "them here, then download the .eml to open it as a draft in your mail "
                    "program.")
        with gr.Row():
            kind = gr.Radio(KINDS, value="meeting-request", label="Which email",
                            elem_id="email-kind")
        reason = gr.Textbox(label="Why you decline (optional)", visible=False,
                            elem_id="email-reason", max_length=BUDGET["reason"])
        with gr.Group(visible=False) as follow_up:
            summary = gr.Textbox(label="What happened in the real meeting: what was said and "
                                 "what you agreed", lines=4, elem_id="email-summary",
                                 max_length=BUDGET["summary"],
                                 placeholder="e.g. Priya agreed the case is strong; I will lead "
                                 "the hiring plan and we review it in March.")
            with gr.Row():
                meeting = gr.Dropdown([("None: use what I wrote above", NO_MEETING)],
                                      value=NO_MEETING, label="Or recap a meeting you recorded",
                                      elem_id="email-meeting")
                revisit = gr.Textbox(label="Check-in date YYYY-MM-DD (optional)",
                                     elem_id="email-revisit")
        with gr.Row():
            draft = gr.Button("Draft email", variant="primary", elem_id="email-draft")
            stop = gr.Button("Stop", visible=False, elem_id="email-stop")
        notice = gr.Markdown(elem_id="email-notice")
        with gr.Row():
            to = gr.Textbox(label="To", interactive=False, elem_id="email-to")
            sender = gr.Textbox(label="From", interactive=False, elem_id="email-from")
        addresses = gr.Markdown(elem_id="email-addresses")
        subject = gr.Textbox(label="Subject", elem_id="email-subject",
                             max_length=BUDGET["subject"])
        body = gr.Textbox(label="Body", lines=14, max_lines=40, elem_id="email-body",
                          max_length=BUDGET["body"])
        checks = gr.Markdown(elem_id="email-checks")
        with gr.Row():
            eml = gr.DownloadButton("Download .eml", interactive=False, elem_id="email-dl-eml")
            ics = gr.DownloadButton("Download reminder (.ics)", visible=False,
                                    elem_id="email-dl-ics")
        email_kind = gr.State("")
        missing = gr.State([])
        update_section(state)
        who, who_refresh = after_yes.section(state)

    def fields_for(kind_v):
        return gr.update(visible=kind_v == "decline"), gr.update(visible=kind_v == "follow-up")

    idle = (gr.update(interactive=True), gr.update(visible=False))  # Draft, Stop
    working = (gr.update(interactive=False), gr.update(visible=True))

    def shown(r, ctx: Context, final: bool) -> tuple:
        """Everything the email fills in, for the draft (final False) or the result."""
        files = {f.rsplit(".", 1)[-1]: f for f in r.files}
        return (addressee(r.to, r.to_address), addressee(r.sender, r.from_address),
                address_note(r.missing), r.subject,
                gr.update(value=r.body, interactive=final), checks_markdown(r),
                eml_button(downloads.offer(ctx, files["eml"]) if "eml" in files else None,
                           r.missing if final else []),
                gr.update(value=downloads.offer(ctx, files["ics"]) if "ics" in files else None,
                          visible="ics" in files),
                r.kind, r.missing)

    @guarded("draft the email", state)
    def make(kind_v, reason_v, summary_v, meeting_v, revisit_v, request: gr.Request):
        ctx = state.context(request)
        meeting_id = int(meeting_v or NO_MEETING) or None
        calls = staged_call(
            emails.draft_email, ctx=ctx, kind=kind_v, reason=reason_v or None,
            summary=summary_v if kind_v == "follow-up" else None,
            meeting_id=meeting_id if kind_v == "follow-up" else None,
            revisit=parse_date(revisit_v, what="check-in date"), today=state.today)
        for step in calls:
            if step.done:
                r = step.value
                note = ("&#10003; The model's polished wording replaced the draft." if
                        r.source == "model" else "")
                if r.notice:
                    note += f" {r.notice}" if r.source == "model" else (
                        f"The draft stands: {r.notice}")
                yield (note, *shown(r, ctx, final=True), *idle)
            elif step.value is not None:  # the template, at once
                yield (busy(step.waited_s), *shown(step.value, ctx, final=False), *working)
            else:
                yield (busy(step.waited_s), *[gr.skip()] * 12)

    @guarded("stop", state)
    def stopped(subject_v, body_v, kind_v, request: gr.Request):
        note = "Stopped: the draft is shown as the template wrote it; it is not saved yet."
        return (note, gr.update(interactive=True), *edited(subject_v, body_v, kind_v, request),
                *idle)

    @guarded("prepare the .eml", state)
    def edited(subject_v, body_v, kind_v, request: gr.Request):
        ctx = state.context(request)
        profile = ctx.store.get_profile()  # None: save_email says the profile is missing
        missing_v = emails.missing_addresses(profile) if kind_v and profile else []
        if not kind_v or not (body_v or "").strip() or missing_v:
            return eml_button(None, missing_v), missing_v
        path = emails.save_email(ctx, subject=subject_v or "", body=body_v, kind=kind_v,
                                 today=state.today)
        return eml_button(downloads.offer(ctx, path), []), []

    @guarded("list your meetings", state)
    def refresh(current, request: gr.Request):
        ctx = state.context(request)
        choices = meeting_choices(ctx)
        keep = current if current in {c[1] for c in choices} else NO_MEETING
        return gr.update(choices=choices, value=keep), who_refresh(ctx)

    filled = [to, sender, addresses, subject, body, checks, eml, ics, email_kind, missing]
    kind.change(fields_for, kind, [reason, follow_up], **HIDDEN)
    # One busy indicator: the notice line (with the seconds), not a spinner on every output.
    run = draft.click(make, [kind, reason, summary, meeting, revisit],
                      [notice, *filled, draft, stop], **HIDDEN)
    stop.click(stopped, [subject, body, email_kind], [notice, body, eml, missing, draft, stop],
               cancels=[run], **HIDDEN)
    for box in (subject, body):
        box.input(edited, [subject, body, email_kind], [eml, missing],
                  trigger_mode="always_last", **HIDDEN)
    return Panel(tab=tab, refresh=refresh, inputs=[meeting], outputs=[meeting, who],
                 on_load=False)


def update_note(r: update.UpdateResult) -> str:
    """What the page says about a drafted update: where it starts, the model, the .eml."""
    since = f"Covers your log from **{r.since.isoformat()}**" + (
        f" (your last update was made on {r.previous.isoformat()})." if r.previous else ".")
    how = ("&#10003; The model's wording passed the checks." if r.source == "model"
           else f"The draft built from your log stands: {r.notice}" if r.notice else "")
    return " ".join(x for x in (since, how, address_note(r.missing)) if x)


def update_section(state: AppState) -> None:
    """The manager update: draft from the log and the plan, the model's polish under the
    figure guard, and the .eml (addressed from the Goal tab)."""
    msgs = Messages(state, "update")
    gr.Markdown("### Update for your manager\nA short note on what shipped, the results and "
                "what is next, from your log since the last update and your plan's next items. "
                "Every figure in it comes from your log.", elem_id="email-update-intro")
    since = gr.Textbox(label="From date YYYY-MM-DD (optional: since your last update)",
                       elem_id="email-update-since", max_length=10)
    msgs.field("since", "From date")
    draft = gr.Button("Draft the update", variant="primary", elem_id="email-update-draft")
    msgs.form()
    note = gr.Markdown(elem_id="email-update-notice")
    subject = gr.Textbox(label="Subject", interactive=False, elem_id="email-update-subject")
    body = gr.Textbox(label="Update", lines=12, max_lines=30, interactive=False,
                      elem_id="email-update-body")
    eml = gr.DownloadButton("Download update (.eml)", interactive=False,
                            elem_id="email-update-eml")

    def make_update(since_v, request: gr.Request):
        ctx = state.context(request)
        start = parse_date(since_v, what="since")
        update.check_since(start, state.today or dt.date.today())  # before saying "drafting"
        require_profile(ctx)
        yield ("*Drafting the update from your log; the model is polishing it...*", gr.skip(),
               gr.skip(), gr.skip())
        r = update.draft_update(ctx, since=start, today=state.today)
        button = (gr.update(value=downloads.offer(ctx, r.file), interactive=True) if r.file
                  else eml_button(None, r.missing))
        yield update_note(r), r.subject, r.body, button

    msgs.on(draft.click, make_update, [since], [note, subject, body, eml], action="draft the update",
            **HIDDEN)
