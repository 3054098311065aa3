"""Settings: the model in use and whether it answers; the knowledge documents (add / list / remove)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from coach.domain.errors import CoachError
from coach.services import knowledge, models
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

DOC_HEADERS = ["Id", "Title", "File", "Kind", "Chunks"]


def models_markdown(report, *, checked: bool) -> str:
    lines = [f"**Model in use:** `{report.model}`" + (f" at `{report.api_base}`"
                                                      if report.api_base else ""),
             f"**Grader (scorecards, evals):** `{report.judge}`"]
    if report.fallbacks:
        lines.append(f"**Fallbacks:** {', '.join(f'`{m}`' for m in report.fallbacks)}")
    lines.append("")
    for m in report.models:
        if checked and m.answered is not None:
            state = (f"&#10003; answered in {m.latency_s:.1f} s" if m.answered
                     else f"&#10007; did not answer: {m.detail}")
        else:
            state = ("&#10003; ready" if m.ready else "&#10007; not ready") + f" - {m.detail}"
        lines.append(f"- {m.role} `{m.name}`: {state}")
    if not checked:
        lines.append("\n*Press **Check the model answers** to send it a one-word request "
                     "(for the embedded model this loads it, which takes a few seconds).*")
    return "\n".join(lines)


def build(state: AppState) -> Panel:
    with gr.Tab("Settings", id="settings") as tab:
        gr.Markdown("### Model")
        model_info = gr.Markdown(elem_id="settings-model")
        check = gr.Button("Check the model answers", elem_id="settings-check")
        gr.Markdown("### Knowledge documents\nThe guides the coach cites, plus your own "
                    "documents (a career framework, review notes): .md, .txt or .pdf.")
        docs = gr.Dataframe(headers=DOC_HEADERS, interactive=False, wrap=True,
                            elem_id="settings-docs")
        with gr.Row():
            upload = gr.File(label="Add a document", file_types=[".md", ".txt", ".pdf"],
                             elem_id="settings-upload")
            with gr.Column():
                add = gr.Button("Add to the knowledge base", elem_id="settings-add")
                which = gr.Dropdown([], label="Your document to remove", elem_id="settings-which")
                remove = gr.Button("Remove", variant="stop", elem_id="settings-remove")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown()
            yes = gr.Button("Yes, remove it", variant="stop", elem_id="settings-confirm-yes")
            no = gr.Button("Cancel")
        status = gr.Markdown(elem_id="settings-status")

    def _model_text(ctx, check_it: bool) -> str:
        if state.llm is not None:  # an injected model (tests, demos) has nothing to check
            return f"**Model in use:** `{getattr(state.llm, 'model', 'injected')}` (built in)"
        return models_markdown(models.list_models(ctx, check=check_it),
                               checked=check_it)

    def _docs(ctx):
        found = knowledge.list_documents(ctx)
        rows = [[d.id, d.title, d.source, d.kind, d.chunks] for d in found]
        mine = [(f"{d.title} ({d.source})", d.id) for d in found if d.kind == "user"]
        return rows, gr.update(choices=mine, value=None)

    @guarded("load the settings", state)
    def refresh(request: gr.Request):
        ctx = state.context(request)
        return (_model_text(ctx, False), *_docs(ctx))

    @guarded("check the model", state)
    def check_model(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        progress(0.2, desc="Asking the model for a one-word reply")
        return _model_text(state.context(request), True)

    @guarded("add the document", state)
    def add_doc(path, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        if not path:
            raise CoachError("no file chosen", hint="Drop a .md, .txt or .pdf file on the box.")
        ctx = state.context(request)
        progress(0.3, desc="Reading and indexing the document")
        info = knowledge.add_document(ctx, Path(path))
        return (*_docs(ctx), f"Added **{info.title}** ({info.chunks} passages).", None)

    @guarded("remove the document", state)
    def ask_remove(doc_id):
        if not doc_id:
            raise CoachError("no document selected", hint="Pick one of your documents first.")
        return gr.update(visible=True), f"Remove **{doc_id}** from the knowledge base?"

    @guarded("remove the document", state)
    def do_remove(doc_id, request: gr.Request):
        if not doc_id:
            raise CoachError("no document selected", hint="Pick one of your documents first.")
        ctx = state.context(request)
        gone = knowledge.remove_document(ctx, doc_id)
        return (*_docs(ctx), gr.update(visible=False), f"Removed **{gone.title}**.")

    check.click(check_model, None, model_info, **PRIVATE)
    add.click(add_doc, upload, [docs, which, status, upload], **PRIVATE)
    remove.click(ask_remove, which, [confirm_row, confirm_text], **PRIVATE)
    no.click(lambda: gr.update(visible=False), None, confirm_row, **PRIVATE)
    yes.click(do_remove, which, [docs, which, confirm_row, status], **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[model_info, docs, which], on_load=False)
