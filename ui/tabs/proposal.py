"""Proposal: draft the written case, edit it in place, save versions, download .md or .docx.

Generate shows the domain's draft at once and swaps in the model's polished version when it
passes the guard (or says the draft stands); Stop keeps the draft. The downloads are ready
files, one click each, named for what they hold: a saved version, or the unsaved draft.
"""

from __future__ import annotations

import gradio as gr

from coach.domain.limits import BUDGET
from coach.domain.proposal import Claim
from coach.services import proposal
from coach.services.context import Context
from coach.ui import downloads
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import staged_call
from coach.ui.tabs import PRIVATE, Panel

HIDDEN = {"show_progress": "hidden", **PRIVATE}


def flags_markdown(flags) -> str:
    if not flags:
        return "**No weak spots flagged.**"
    lines = [f"**Weak spots to fix ({len(flags)})**"]
    lines += [f"- &#9888; {f.text} *(section {f.section})*" for f in flags]
    return "\n".join(lines)


def sources_markdown(claims: list[Claim]) -> str:
    """Which impact-log entry each statement rests on: shown beside the document, never in it."""
    if not claims:
        return ""
    lines = ["**Where each statement comes from** *(for you: the document itself has no "
             "entry numbers)*"]
    for c in claims:
        refs = ", ".join(f"#{i}" for i in c.entries)
        lines.append(f"- Section {c.section}: {c.text.replace('**', '')} "
                     f"&larr; *impact log {refs}*")
    return "\n".join(lines)


def busy(seconds: float) -> str:
    return (f"**Draft shown; the model is polishing the section introductions** "
            f"({seconds:.0f} s)... Press **Stop** to keep this draft.")


def _versions(ctx: Context) -> list[tuple[str, int]]:
    history = proposal.proposal_history(ctx)
    return [(f"v{v.version} - {v.created_at[:16].replace('T', ' ')} ({v.source or 'saved'})",
             v.version) for v in history]


def download_buttons(ctx: Context, text: str, shown: dict) -> tuple:
    """Both download buttons with their files ready, named for what the text is."""
    text = text or ""
    if not text.strip():
        return (gr.update(value=None, interactive=False, label="Download Markdown"),
                gr.update(value=None, interactive=False, label="Download Word (.docx)"))
    version = shown.get("version") if shown.get("text") == text else None
    stem, what = (f"proposal-v{version}", f"version {version}") if version else (
        "proposal-draft-unsaved", "unsaved draft")
    folder = downloads.folder(ctx)
    md = proposal.export(text, folder / f"{stem}.md", "md")
    docx = proposal.export(text, folder / f"{stem}.docx", "docx")
    return (gr.update(value=str(md), interactive=True, label=f"Download {what} (.md)"),
            gr.update(value=str(docx), interactive=True, label=f"Download {what} (.docx)"))


def build(state: AppState) -> Panel:
    with gr.Tab("Proposal", id="proposal") as tab:
        gr.Markdown("### Your written case\nFour sections built from your log: accomplishments, "
                    "next-level evidence, what you will do at the next level, and the ask. "
                    "Edit it freely; each save is a new version.")
        with gr.Row():
            generate = gr.Button("Generate a new draft", variant="primary",
                                 elem_id="proposal-generate")
            stop = gr.Button("Stop", visible=False, elem_id="proposal-stop")
            versions = gr.Dropdown([], label="Version history", elem_id="proposal-versions",
                                   interactive=True)
        notice = gr.Markdown(elem_id="proposal-notice")
        flags = gr.Markdown(elem_id="proposal-flags")
        with gr.Row():
            editor = gr.Textbox(label="Edit (Markdown)", lines=24, max_lines=60,
                                elem_id="proposal-editor", max_length=BUDGET["proposal"])
            preview = gr.Markdown(label="Preview", elem_id="proposal-preview",
                                  container=True, height=560)
        with gr.Row():
            save = gr.Button("Save as new version", elem_id="proposal-save")
            dl_md = gr.DownloadButton("Download Markdown", interactive=False,
                                      elem_id="proposal-dl-md")
            dl_docx = gr.DownloadButton("Download Word (.docx)", interactive=False,
                                        elem_id="proposal-dl-docx")
        status = gr.Markdown(elem_id="proposal-status")
        sources = gr.Markdown(elem_id="proposal-sources")
        shown = gr.State({})  # the saved version on screen: {"version", "text", "claims"}

    idle = (gr.update(interactive=True), gr.update(visible=False))  # Generate, Stop
    working = (gr.update(interactive=False), gr.update(visible=True))

    @guarded("draft the proposal", state)
    def make(request: gr.Request):
        ctx = state.context(request)
        for step in staged_call(proposal.draft_proposal, ctx=ctx, today=state.today):
            if step.done:
                r = step.value
                saved = {"version": r.version, "text": r.markdown,
                         "claims": [c.model_dump() for c in r.claims]}
                note = ("&#10003; The model's polished version replaced the draft." if
                        r.source == "model" else f"The draft stands: {r.notice}" if r.notice
                        else "")
                yield (gr.update(value=r.markdown, interactive=True), r.markdown,
                       flags_markdown(r.flags), note, sources_markdown(r.claims),
                       gr.update(choices=_versions(ctx), value=r.version),
                       f"Saved as version {r.version}.", *idle,
                       *download_buttons(ctx, r.markdown, saved), saved)
            elif step.value is not None:  # the domain's draft, at once
                d = step.value  # (not editable until the polished version has replaced it)
                yield (gr.update(value=d.markdown, interactive=False), d.markdown,
                       flags_markdown(d.flags), busy(step.waited_s), sources_markdown(d.claims),
                       gr.skip(), "", *working, *download_buttons(ctx, "", {}), {})
            else:  # the model is still at it
                yield (gr.skip(), gr.skip(), gr.skip(), busy(step.waited_s), *[gr.skip()] * 8)

    @guarded("stop", state)
    def stopped(text, request: gr.Request):
        ctx = state.context(request)
        return ("Stopped: the draft built from your log is shown. It is not saved yet: "
                "**Save as new version** keeps it.", gr.update(interactive=True), *idle,
                *download_buttons(ctx, text, {}))

    @guarded("open that version", state)
    def show(version, request: gr.Request):
        if not version:
            return (gr.skip(),) * 7
        ctx = state.context(request)
        v = proposal.show_proposal(ctx, int(version))
        note = f"*{v.notice}*" if v.notice else ""
        saved = {"version": v.version, "text": v.markdown,
                 "claims": [c.model_dump() for c in v.claims]}
        return (v.markdown, v.markdown, note, sources_markdown(v.claims),
                *download_buttons(ctx, v.markdown, saved), saved)

    @guarded("save the proposal", state)
    def save_version(text, current, request: gr.Request):
        ctx = state.context(request)
        claims = [Claim.model_validate(c) for c in (current or {}).get("claims", [])]
        version = proposal.save_proposal(ctx, text or "", claims)
        saved = {"version": version, "text": text,
                 "claims": [c.model_dump() for c in claims if c.text in text]}
        return (gr.update(choices=_versions(ctx), value=version), f"Saved as version {version}.",
                *download_buttons(ctx, text, saved), saved)

    @guarded("prepare the downloads", state)
    def edited(text, current, request: gr.Request):
        return download_buttons(state.context(request), text, current or {})

    @guarded("load your proposals", state)
    def refresh(current, request: gr.Request):
        ctx = state.context(request)
        choices = _versions(ctx)
        if not choices:
            hint = ("No proposal yet. Set your goal and log a few wins, then press "
                    "**Generate a new draft**.")
            return (gr.update(choices=[], value=None), gr.skip(), gr.skip(), hint,
                    *(gr.skip(),) * 4)
        if (current or "").strip():  # never overwrite text the user is editing
            return (gr.update(choices=choices), *(gr.skip(),) * 7)
        latest = proposal.show_proposal(ctx)
        saved = {"version": latest.version, "text": latest.markdown,
                 "claims": [c.model_dump() for c in latest.claims]}
        return (gr.update(choices=choices, value=latest.version), latest.markdown,
                latest.markdown, "", sources_markdown(latest.claims),
                *download_buttons(ctx, latest.markdown, saved), saved)

    busy_outputs = [editor, preview, flags, notice, sources, versions, status, generate, stop,
                    dl_md, dl_docx, shown]
    # One busy indicator: the notice line (with the seconds), not a spinner on every output.
    run = generate.click(make, None, busy_outputs, **HIDDEN)
    stop.click(stopped, editor, [notice, editor, generate, stop, dl_md, dl_docx], cancels=[run],
               **HIDDEN)
    versions.input(show, versions, [editor, preview, notice, sources, dl_md, dl_docx, shown],
                   **HIDDEN)
    editor.change(None, editor, preview, js="(text) => text", **HIDDEN)  # in the browser
    editor.input(edited, [editor, shown], [dl_md, dl_docx], trigger_mode="always_last", **HIDDEN)
    save.click(save_version, [editor, shown], [versions, status, dl_md, dl_docx, shown], **HIDDEN)
    return Panel(tab=tab, refresh=refresh, inputs=[editor],
                 outputs=[versions, editor, preview, status, sources, dl_md, dl_docx, shown],
                 on_load=False)
