"""Proposal: draft the written case, edit it in place, save versions, download .md or .docx."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.services import proposal
from coach.services.context import Context
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel


def flags_markdown(flags) -> str:
    if not flags:
        return "**No weak spots flagged.**"
    lines = [f"**Weak spots to fix ({len(flags)})**"]
    lines += [f"- &#9888; {f.text} *(section {f.section})*" for f in flags]
    return "\n".join(lines)


def _versions(ctx: Context) -> list[tuple[str, int]]:
    history = proposal.proposal_history(ctx)
    return [(f"v{v.version} - {v.created_at[:16].replace('T', ' ')} ({v.source or 'saved'})",
             v.version) for v in history]


def save_edited(ctx: Context, markdown: str) -> int:
    """Save the user's edited text as the next version; returns its number."""
    if not markdown.strip():
        raise CoachError("the proposal is empty", hint="Generate a draft or type your case first.")
    # The proposal service has no "save edited text" use case yet; the store call below is
    # the same one it uses, under the same artifact kind and name, so history stays one list.
    artifact = ctx.store.save_artifact(proposal.ARTIFACT_KIND, proposal.ARTIFACT_NAME,
                                       markdown, {"source": "edited", "notice": None})
    return artifact.version


def build(state: AppState) -> Panel:
    with gr.Tab("Proposal", id="proposal") as tab:
        gr.Markdown("### Your written case\nFour sections built from your log: accomplishments, "
                    "next-level evidence, what you will do at the next level, and the ask. "
                    "Edit it freely; each save is a new version.")
        with gr.Row():
            generate = gr.Button("Generate a new draft", variant="primary",
                                 elem_id="proposal-generate")
            versions = gr.Dropdown([], label="Version history", elem_id="proposal-versions",
                                   interactive=True)
        notice = gr.Markdown(elem_id="proposal-notice")
        flags = gr.Markdown(elem_id="proposal-flags")
        with gr.Row():
            editor = gr.Textbox(label="Edit (Markdown)", lines=24, max_lines=60,
                                elem_id="proposal-editor")
            preview = gr.Markdown(label="Preview", elem_id="proposal-preview",
                                  container=True, height=560)
        with gr.Row():
            save = gr.Button("Save as new version", elem_id="proposal-save")
            dl_md = gr.Button("Download Markdown", elem_id="proposal-dl-md")
            dl_docx = gr.Button("Download Word (.docx)", elem_id="proposal-dl-docx")
        download = gr.File(label="Download", interactive=False, height=90, elem_id="proposal-file")
        status = gr.Markdown(elem_id="proposal-status")

    @guarded("draft the proposal", state)
    def make(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        ctx = state.context(request)
        progress(0.1, desc="Reading your goal and log")
        progress(0.3, desc="Writing the case (the model writes the section intros)")
        result = proposal.draft_proposal(ctx, today=state.today)
        progress(1.0, desc="Done")
        note = f"*{result.notice}*" if result.notice else ""
        return (result.markdown, result.markdown, flags_markdown(result.flags), note,
                gr.update(choices=_versions(ctx), value=result.version),
                f"Saved as version {result.version}.")

    @guarded("open that version", state)
    def show(version, request: gr.Request):
        if not version:
            return gr.skip(), gr.skip(), gr.skip()
        v = proposal.show_proposal(state.context(request), int(version))
        note = f"*{v.notice}*" if v.notice else ""
        return v.markdown, v.markdown, note

    @guarded("save the proposal", state)
    def save_version(text, request: gr.Request):
        ctx = state.context(request)
        version = save_edited(ctx, text or "")
        return gr.update(choices=_versions(ctx), value=version), f"Saved as version {version}."

    def exporter(fmt: str):
        @guarded(f"export the proposal as {fmt}", state)
        def run(text, version, request: gr.Request):
            if not (text or "").strip():
                raise CoachError("there is nothing to export yet", hint="Generate a draft first.")
            ctx = state.context(request)
            stem = f"proposal-v{version}" if version else "proposal"
            path = proposal.export(text, ctx.settings.exports_dir / f"{stem}.{fmt}", fmt)
            return str(path), f"Exported {path.name}."
        return run

    @guarded("load your proposals", state)
    def refresh(current, request: gr.Request):
        ctx = state.context(request)
        choices = _versions(ctx)
        if not choices:
            hint = ("No proposal yet. Set your goal and log a few wins, then press "
                    "**Generate a new draft**.")
            return gr.update(choices=[], value=None), gr.skip(), gr.skip(), hint
        if (current or "").strip():  # never overwrite text the user is editing
            return gr.update(choices=choices), gr.skip(), gr.skip(), gr.skip()
        latest = proposal.show_proposal(ctx)
        return (gr.update(choices=choices, value=latest.version), latest.markdown,
                latest.markdown, "")

    generate.click(make, None, [editor, preview, flags, notice, versions, status], **PRIVATE)
    versions.input(show, versions, [editor, preview, notice], **PRIVATE)
    editor.change(lambda t: t, editor, preview, queue=False, show_progress="hidden", **PRIVATE)
    save.click(save_version, editor, [versions, status], **PRIVATE)
    dl_md.click(exporter("md"), [editor, versions], [download, status], **PRIVATE)
    dl_docx.click(exporter("docx"), [editor, versions], [download, status], **PRIVATE)
    return Panel(tab=tab, refresh=refresh, inputs=[editor],
                 outputs=[versions, editor, preview, status], on_load=False)
