"""Offer & options: the offer on the table and what is still open, stay or go with the rules
that decide it, and the external move kit as text ready to copy."""

from __future__ import annotations

from html import escape

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.kit import Kit
from coach.domain.limits import BUDGET
from coach.domain.offer import Offer, OfferChanges, OfferCheck
from coach.domain.options import Options
from coach.services import offer as offer_service
from coach.services import options as options_service
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

WRITTEN = [("Not said yet", "unknown"), ("Yes", "yes"), ("No", "no")]
_WRITTEN_VALUE = {"unknown": None, "yes": True, "no": False}
VERDICT_WORDS = {"look-outside": "Look outside", "ask-again-now": "Ask again now",
                 "build-and-ask-again": "Build and ask again"}
LEAN_WORDS = {"look-outside": "points outside", "stay": "try here first",
              "ask-again-now": "ask now", "build-and-ask-again": "build first"}
NO_OFFER = "*No offer noted yet: fill in what you know and press Save and check.*"
NO_GOAL = "*Set your goal in the Goal tab first.*"


def _cites(refs) -> str:
    return "; ".join(escape(g.label()) for g in refs)


def check_markdown(check: OfferCheck) -> str:
    lines = [f"**{escape(check.summary)}**", ""]
    for item in check.items:
        if item.status == "open":
            lines.append(f"- &#9744; **{item.label}**: ask: {escape(item.ask)}  \n"
                         f"  <small>{_cites(item.rests_on)}</small>")
        else:
            known = f": {escape(item.known)}" if item.known else ""
            note = f" {escape(item.note)}" if item.note else ""
            lines.append(f"- &#9745; **{item.label}**{known}.{note}  \n"
                         f"  <small>{_cites(item.rests_on)}</small>")
    return "\n".join(lines)


def options_markdown(result: Options) -> str:
    said = result.summary.split(": ", 1)[-1]  # the heading already names the verdict
    lines = [f"### {VERDICT_WORDS[result.verdict]}", "", escape(said[:1].upper() + said[1:]), "",
             "**Why:**", ""]
    for r in result.reasons:
        lines.append(f"- *{LEAN_WORDS[r.leans]}*: {escape(r.text)}  \n"
                     f"  <small>{_cites(r.rests_on)}</small>")
    return "\n".join(lines)


def kit_notes(kit: Kit) -> str:
    lines = [f"- {escape(n)}" for n in kit.notes]
    lines.append(f"<small>{_cites(kit.rests_on)}</small>")
    return "\n".join(lines)


def _form(offer: Offer | None) -> list:
    if offer is None:
        return ["", "", "", "", "", "", "unknown"]
    written = {None: "unknown", True: "yes", False: "no"}[offer.in_writing]
    return [offer.title, offer.level, offer.salary.text if offer.salary else "",
            offer.start.isoformat() if offer.start else "", offer.scope, offer.benefits,
            written]


def build(state: AppState) -> Panel:
    msgs = Messages(state, "offer")
    with gr.Tab("Offer & options", id="offer") as tab:
        gr.Markdown("### The offer\nWhat you have been offered so far. The checklist shows "
                    "what is still open and what to ask before you accept.")
        col = msgs.column
        with gr.Row():
            title = col("title", gr.Textbox(label="Title offered", elem_id="offer-title",
                                            placeholder="e.g. Staff Engineer", render=False,
                                            max_length=BUDGET["offer_title"]))
            msgs.label("offer_title", "Title offered")
            level = col("level", gr.Textbox(label="Level or band", elem_id="offer-level",
                                            render=False, max_length=BUDGET["level"]))
            salary = col("salary", gr.Textbox(label="Salary", elem_id="offer-salary",
                                              placeholder="e.g. $120k or EUR 95,000",
                                              render=False, max_length=BUDGET["salary"]))
            start = col("start", gr.Textbox(label="Start date", elem_id="offer-start",
                                            placeholder="YYYY-MM-DD", render=False,
                                            max_length=BUDGET["start"]))
        with gr.Row():
            scope = col("scope", gr.Textbox(label="Scope: what changes", elem_id="offer-scope",
                                            lines=2, render=False, max_length=BUDGET["scope"]))
            benefits = col("benefits", gr.Textbox(label="Bonus, equity, benefits",
                                                  elem_id="offer-benefits", lines=2,
                                                  render=False, max_length=BUDGET["benefits"]))
            written = col("in_writing", gr.Radio(WRITTEN, value="unknown", render=False,
                                                 label="Confirmed in writing",
                                                 elem_id="offer-writing"))
        save = gr.Button("Save and check", variant="primary", elem_id="offer-save")
        msgs.form()
        check = gr.Markdown(NO_OFFER, elem_id="offer-check")

        gr.Markdown("### Stay or go\nThe guidance on moving on, applied to your goal, your log "
                    "and your manager's last answer (set them in the Goal tab).")
        verdict = gr.Markdown(elem_id="options-verdict")
        gr.Markdown("### The external move kit\nYour answer to *tell me about your current "
                    "role*, a profile summary and the titles to search for, from your log.")
        kit_text = gr.Textbox(label="Kit (copy it)", lines=8, interactive=False,
                              buttons=["copy"], elem_id="kit-text")
        notes = gr.Markdown(elem_id="kit-notes")

    fields = [title, level, salary, start, scope, benefits, written]

    def save_offer(title_v, level_v, salary_v, start_v, scope_v, benefits_v, written_v,
                   request: gr.Request):
        ctx = state.context(request)
        changes = OfferChanges(title=title_v or "", level=level_v or "", salary=salary_v or "",
                               start=start_v or "", scope=scope_v or "",
                               benefits=benefits_v or "",
                               in_writing=_WRITTEN_VALUE.get(written_v or "unknown"))
        # The form shows the whole offer: what it sends replaces what was saved.
        offer_service.set_offer(ctx, changes, state.today, replace=True)
        return check_markdown(offer_service.offer_check(ctx, state.today))

    def load(request: gr.Request):
        ctx = state.context(request)
        offer = offer_service.get_offer(ctx)
        shown = check_markdown(offer_service.offer_check(ctx, state.today)) if offer else NO_OFFER
        try:
            opts = options_markdown(options_service.options(ctx, state.today))
            kit = options_service.kit(ctx)
            kit_v, notes_v = kit.text(notes=False), kit_notes(kit)
        except CoachError as exc:
            if exc.code != "no-profile":
                raise
            opts, kit_v, notes_v = NO_GOAL, "", NO_GOAL
        return (*_form(offer), shown, opts, kit_v, notes_v)

    msgs.on(save.click, save_offer, fields, check, action="check your offer", **PRIVATE)
    outputs = [*fields, check, verdict, kit_text, notes]
    return Panel(tab=tab, refresh=msgs.wrap(load, len(outputs), "load your offer and options"),
                 outputs=[*outputs, *msgs.lines], on_load=False)
