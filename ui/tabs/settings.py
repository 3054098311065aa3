"""Settings: what the user acts on. Which model writes for them (and whether it answers), the
knowledge documents (add / list / remove), and their own data: a one-click backup, restore
from a backup, and deleting everything (with confirmation)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import gradio as gr

from coach.config import LOCAL_MODEL
from coach.domain.errors import CoachError
from coach.domain.text import count
from coach.services import backup, knowledge, models
from coach.services.context import Context
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

DOC_HEADERS = ["Title", "File", "Kind", "Passages"]


def model_words(name: str) -> str:
    """A model as the user knows it."""
    if name == LOCAL_MODEL:
        return "the built-in model, running on this computer (nothing leaves it)"
    return f"the hosted model {name}"


def backup_file(ctx: Context) -> str:
    """A fresh backup of this home, ready for the download button."""
    folder = ctx.settings.exports_dir
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("promotion-coach-backup-*.tar.gz"):
        old.unlink(missing_ok=True)  # one at a time: each holds the whole home
    path = folder / f"promotion-coach-backup-{dt.date.today().isoformat()}.tar.gz"
    return backup.backup(ctx, path).path


def _kind(doc) -> str:
    if doc.kind != "user":
        return "guide"
    return "yours, trusted" if doc.trusted else "yours"


def build(state: AppState) -> Panel:
    msgs = Messages(state, "settings")
    with gr.Tab("Settings", id="settings") as tab:
        gr.Markdown("### Model")
        model_info = gr.Markdown(elem_id="settings-model")
        with gr.Row():
            check = gr.Button("Check that it answers", elem_id="settings-check", size="sm")
        check_out = gr.Markdown(elem_id="settings-check-result")
        gr.Markdown("### Knowledge documents\nThe guides the coach cites, plus your own "
                    "documents (a career framework, review notes): .md, .txt or .pdf.")
        docs = gr.Dataframe(headers=DOC_HEADERS, interactive=False, wrap=True,
                            elem_id="settings-docs", elem_classes=["coach-table"])
        with gr.Row():
            with gr.Column(min_width=240):
                upload = gr.File(label="Add a document", file_types=[".md", ".txt", ".pdf"],
                                 elem_id="settings-upload")
                msgs.field("file", "The document")
                trusted = gr.Checkbox(label="I trust this document: the coach may quote it as "
                                      "guidance (otherwise it is only material to read)",
                                      elem_id="settings-trusted")
                add = gr.Button("Add to the knowledge base", elem_id="settings-add")
            with gr.Column(min_width=240):
                which = gr.Dropdown([], label="Your document to remove", elem_id="settings-which")
                msgs.field("document", "Your document to remove")
                remove = gr.Button("Remove", variant="stop", elem_id="settings-remove")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown()
            yes = gr.Button("Yes, remove it", variant="stop", elem_id="settings-confirm-yes")
            no = gr.Button("Cancel")

        gr.Markdown("### Your data\nEverything you entered lives in your own data home. Keep "
                    "a backup; restore it here or on another computer.")
        download = gr.DownloadButton("Download a backup", elem_id="settings-backup")
        with gr.Row():
            with gr.Column(min_width=240):
                restore_file = gr.File(label="Restore from a backup (.tar.gz)",
                                       file_types=[".gz"], elem_id="settings-restore-file")
                msgs.field("backup", "The backup")
                restore_btn = gr.Button("Restore", elem_id="settings-restore")
            with gr.Column(min_width=240):
                gr.Markdown("A restore fills an empty data home: to go back to a backup, delete "
                            "your data first.")
                erase_btn = gr.Button("Delete all my data", variant="stop",
                                      elem_id="settings-erase")
        with gr.Row(visible=False, elem_id="settings-erase-confirm") as erase_row:
            gr.Markdown("**Delete your goal, impact log, drafts, role-plays, emails and "
                        "documents?** This cannot be undone. Download a backup first if you "
                        "may want them back.")
            erase_yes = gr.Button("Yes, delete everything", variant="stop",
                                  elem_id="settings-erase-yes")
            erase_no = gr.Button("Cancel", elem_id="settings-erase-no")
        msgs.form()
        status = gr.Markdown(elem_id="settings-status")

    def _model_text(ctx: Context) -> str:
        if state.llm is not None:  # an injected model (tests, demos)
            return "Drafts, answers and the mock manager are written by **a built-in test model**."
        return (f"Drafts, answers and the mock manager are written by "
                f"**{model_words(ctx.settings.model)}**. The details are under *Advanced*.")

    def _docs(ctx: Context):
        found = knowledge.list_documents(ctx)
        rows = [[d.title, d.source, _kind(d), d.chunks]
                for d in found]
        mine = [(f"{d.title} ({d.source})", d.id) for d in found if d.kind == "user"]
        return rows, gr.update(choices=mine, value=None)

    def refresh(request: gr.Request):
        ctx = state.context(request)
        return (_model_text(ctx), *_docs(ctx), backup_file(ctx))

    def check_model(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        if state.llm is not None:
            return "The built-in test model always answers."
        progress(0.2, desc="Asking the model for a one-word reply")
        report = models.list_models(state.context(request), check=True)
        main = report.models[0]
        if main.answered:
            return f"It answered in {main.latency_s:.1f} s."
        raise CoachError(f"the model did not answer: {main.detail}")

    def add_doc(path, trust, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        if not path:
            raise CoachError("no file chosen", code="no-file", field="file")
        ctx = state.context(request)
        progress(0.3, desc="Reading and indexing the document")
        try:
            info = knowledge.add_document(ctx, Path(path), trusted=bool(trust))
        except CoachError as exc:
            exc.field = exc.field or "file"
            raise
        trust = " It may be quoted as guidance." if info.trusted else ""
        return (*_docs(ctx), f"Added **{info.title}** ({count(info.chunks, 'passage')}).{trust}",
                None, False, backup_file(ctx))  # the next document starts untrusted again

    def ask_remove(doc_id):
        if not doc_id:
            raise CoachError("no document selected", field="document",
                             hint="Pick one of your documents first.")
        return gr.update(visible=True), f"Remove **{doc_id}** from the knowledge base?"

    def do_remove(doc_id, request: gr.Request):
        if not doc_id:
            raise CoachError("no document selected", field="document",
                             hint="Pick one of your documents first.")
        ctx = state.context(request)
        gone = knowledge.remove_document(ctx, doc_id)
        return (*_docs(ctx), gr.update(visible=False), f"Removed **{gone.title}**.",
                backup_file(ctx))

    def restore(path, request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        if not path:
            raise CoachError("no file chosen", code="no-file", field="backup")
        ctx = state.context(request)
        try:
            report = backup.restore(ctx, Path(path))
        except CoachError as exc:
            if exc.code == "home-not-empty":  # the core names the folder; the page, its fix
                raise CoachError("your data home is not empty", field="backup",
                                 hint="Delete your data first (below), then restore.") from None
            exc.field = exc.field or "backup"
            raise
        progress(0.5, desc="Indexing the restored documents")
        ctx.kb.index()
        return (f"Restored {count(report.rows.get('entries', 0), 'log entry', 'log entries')} "
                f"and {count(report.documents, 'document')}: every tab shows them when you open "
                "it.", None, *_docs(ctx), backup_file(ctx))

    def erase(request: gr.Request):
        ctx = state.context(request)
        report = backup.erase(ctx)
        return (gr.update(visible=False), f"Deleted all your data "
                f"({count(report.rows.get('entries', 0), 'log entry', 'log entries')}, "
                f"{count(report.documents, 'document')}).",
                *_docs(ctx), backup_file(ctx))

    msgs.on(check.click, check_model, None, check_out, action="check the model", **PRIVATE)
    msgs.on(add.click, add_doc, [upload, trusted], [docs, which, status, upload, trusted, download],
            action="add the document", **PRIVATE)
    msgs.on(remove.click, ask_remove, which, [confirm_row, confirm_text],
            action="remove the document", **PRIVATE)
    no.click(lambda: gr.update(visible=False), None, confirm_row, **PRIVATE)
    msgs.on(yes.click, do_remove, which, [docs, which, confirm_row, status, download],
            action="remove the document", **PRIVATE)
    msgs.on(restore_btn.click, restore, restore_file,
            [status, restore_file, docs, which, download], action="restore the backup", **PRIVATE)
    erase_btn.click(lambda: gr.update(visible=True), None, erase_row, **PRIVATE)
    erase_no.click(lambda: gr.update(visible=False), None, erase_row, **PRIVATE)
    msgs.on(erase_yes.click, erase, None, [erase_row, status, docs, which, download],
            action="delete your data", **PRIVATE)
    outputs = [model_info, docs, which, download]
    return Panel(tab=tab, refresh=msgs.wrap(refresh, len(outputs), "load the settings"),
                 outputs=[*outputs, *msgs.lines], on_load=False)
