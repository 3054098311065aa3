"""Impact log: the table of entries, a form to add or edit one, delete with confirmation,
import from a file and export to a download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.log_formats import LogFormat
from coach.services import impact_log
from coach.services.context import Context
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, label, parse_date

HEADERS = ["#", "Date", "Title", "Metric", "Kind", "Next level", "Source"]
KINDS = [(label(k.value), k.value) for k in Kind]
NEW = 0  # the selector's "new entry" value


def table(entries: list[Entry]) -> list[list]:
    return [[e.id, e.date.isoformat(), e.title, e.metric, label(e.kind.value),
             "yes" if e.next_level else "", e.source] for e in entries]


def choices(entries: list[Entry]) -> list[tuple[str, int]]:
    return [("New entry", NEW)] + [(f"#{e.id} {e.title[:60]}", e.id) for e in entries]


def _find(ctx: Context, entry_id: int) -> Entry:
    for entry in impact_log.list_entries(ctx):
        if entry.id == entry_id:
            return entry
    raise CoachError(f"there is no entry #{entry_id}", hint="It may have been deleted; "
                     "pick another entry from the list.")


def _fields(date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v) -> dict:
    return {"date": parse_date(date_v) or dt.date.today(), "title": title_v or "",
            "metric": metric_v or "", "kind": kind_v or Kind.RESULT.value,
            "next_level": bool(next_v), "description": desc_v or "", "source": source_v or ""}


def build(state: AppState) -> Panel:
    with gr.Tab("Impact log", id="log") as tab:
        gr.Markdown("### Your impact log\nDated evidence of your work. A number in the metric "
                    "(time saved, %, money, people) makes an entry count as measured.")
        grid = gr.Dataframe(headers=HEADERS, datatype=["number"] + ["str"] * 6, interactive=False,
                            wrap=True, label="Entries", elem_id="log-table")
        with gr.Group():
            selector = gr.Dropdown(choices([]), value=NEW, label="Entry to edit (or pick a row)",
                                   elem_id="log-selector")
            with gr.Row():
                date = gr.Textbox(label="Date (YYYY-MM-DD, empty = today)",
                                  placeholder="YYYY-MM-DD", elem_id="log-date")
                kind = gr.Dropdown(KINDS, value=Kind.RESULT.value, label="Kind", elem_id="log-kind")
                next_level = gr.Checkbox(label="Shows work at the target level", elem_id="log-next")
            title = gr.Textbox(label="What you did", placeholder="e.g. Led the payments migration",
                               elem_id="log-title")
            metric = gr.Textbox(label="Measured result", placeholder="e.g. cut p95 latency 40%",
                                elem_id="log-metric")
            description = gr.Textbox(label="Details (optional)", lines=2, elem_id="log-description")
            source = gr.Textbox(label="Proof: a link or where it lives (optional)",
                                elem_id="log-source")
        with gr.Row():
            add_btn = gr.Button("Add as new entry", variant="primary", elem_id="log-add")
            save_btn = gr.Button("Save changes", elem_id="log-save")
            delete_btn = gr.Button("Delete entry", variant="stop", elem_id="log-delete")
        with gr.Row(visible=False, elem_id="log-confirm") as confirm_row:
            confirm_text = gr.Markdown()
            yes_btn = gr.Button("Yes, delete it", variant="stop", elem_id="log-confirm-yes")
            no_btn = gr.Button("Cancel", elem_id="log-confirm-no")
        status = gr.Markdown(elem_id="log-status")
        with gr.Accordion("Import and export", open=False, elem_id="log-io"):
            with gr.Row():
                upload = gr.File(label="Import a .json, .csv or .md file",
                                 file_types=[".json", ".csv", ".md"], elem_id="log-upload")
                with gr.Column():
                    skip_bad = gr.Checkbox(label="Skip bad rows and import the rest")
                    import_btn = gr.Button("Import", elem_id="log-import")
            with gr.Row():
                fmt = gr.Radio([("JSON", "json"), ("CSV", "csv"), ("Markdown", "md")],
                               value="csv", label="Export format")
                export_btn = gr.Button("Export", elem_id="log-export")
                download = gr.File(label="Download", interactive=False, height=90, elem_id="log-download")

    form = [date, title, metric, kind, next_level, description, source]

    def _listing(ctx: Context):
        entries = impact_log.list_entries(ctx)
        return entries, table(entries)

    def _empty_form():
        return ["", "", "", Kind.RESULT.value, False, "", ""]

    @guarded("list your entries", state)
    def refresh(request: gr.Request):
        entries, rows = _listing(state.context(request))
        return rows, gr.update(choices=choices(entries))

    @guarded("add the entry", state)
    def add(date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v, request: gr.Request):
        ctx = state.context(request)
        values = (date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v)
        entry = impact_log.add_entry(ctx, **_fields(*values))
        entries, rows = _listing(ctx)
        note = "" if entry.quantified else " Tip: add a number to the measured result."
        return (rows, gr.update(choices=choices(entries), value=entry.id),
                f"Added entry **#{entry.id}** {entry.title}.{note}")

    @guarded("save the changes", state)
    def save(entry_id, date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v,
             request: gr.Request):
        values = (date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v)
        if not entry_id:
            raise CoachError("no entry is selected", hint="Pick an entry to edit, or use "
                             "'Add as new entry'.")
        ctx = state.context(request)
        entry = impact_log.edit_entry(ctx, int(entry_id), **_fields(*values))
        entries, rows = _listing(ctx)
        return (rows, gr.update(choices=choices(entries), value=entry.id),
                f"Saved entry **#{entry.id}** {entry.title}.")

    @guarded("open the entry", state)
    def pick(entry_id, request: gr.Request):
        if not entry_id:
            return [*_empty_form(), gr.update(visible=False)]
        e = _find(state.context(request), int(entry_id))
        return [e.date.isoformat(), e.title, e.metric, e.kind.value, e.next_level,
                e.description, e.source, gr.update(visible=False)]

    def row_selected(evt: gr.SelectData, rows):
        # The first column of the clicked row holds the entry id.
        try:
            row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
            return int(rows.iloc[row, 0]) if hasattr(rows, "iloc") else int(rows[row][0])
        except (TypeError, ValueError, IndexError, KeyError):
            return gr.skip()

    @guarded("delete the entry", state)
    def ask_delete(entry_id, request: gr.Request):
        if not entry_id:
            raise CoachError("no entry is selected", hint="Pick the entry to delete first.")
        e = _find(state.context(request), int(entry_id))
        return gr.update(visible=True), (f"Delete entry **#{e.id}** \u201c{e.title}\u201d? "
                                         "This cannot be undone.")

    @guarded("delete the entry", state)
    def delete(entry_id, request: gr.Request):
        if not entry_id:
            raise CoachError("no entry is selected", hint="Pick the entry to delete first.")
        ctx = state.context(request)
        gone = impact_log.remove_entry(ctx, int(entry_id))
        entries, rows = _listing(ctx)
        return (rows, gr.update(choices=choices(entries), value=NEW), gr.update(visible=False),
                f"Deleted entry #{gone.id} {gone.title}.", *_empty_form())

    @guarded("import the file", state)
    def do_import(path, skip, request: gr.Request):
        if not path:
            raise CoachError("no file chosen", hint="Drop a .json, .csv or .md file on the box.")
        ctx = state.context(request)
        result = impact_log.import_file(ctx, Path(path), skip_bad=bool(skip))
        entries, rows = _listing(ctx)
        text = f"Imported {len(result.imported)} entries."
        if result.skipped:
            text += " Skipped:\n" + "\n".join(f"- {e}" for e in result.skipped[:20])
        return rows, gr.update(choices=choices(entries)), text

    @guarded("export the log", state)
    def do_export(fmt_v, request: gr.Request):
        ctx = state.context(request)
        fmt = LogFormat(fmt_v or "csv")
        text = impact_log.export_log(ctx, fmt)
        ctx.settings.exports_dir.mkdir(parents=True, exist_ok=True)
        path = ctx.settings.exports_dir / f"impact-log.{fmt.value}"
        path.write_text(text, encoding="utf-8")
        return str(path), f"Exported {len(impact_log.list_entries(ctx))} entries as {fmt.value}."

    add_btn.click(add, form, [grid, selector, status], **PRIVATE)
    save_btn.click(save, [selector, *form], [grid, selector, status], **PRIVATE)
    # Only the user picking an entry (from the list or a row) fills the form from the store,
    # and a deletion empties it in its own update. A change of the selector does not: after
    # "Add" sets it to the new entry, a late fill would overwrite what the user typed since.
    selector.input(pick, selector, [*form, confirm_row], **PRIVATE)
    grid.select(row_selected, grid, selector, **PRIVATE).then(
        pick, selector, [*form, confirm_row], **PRIVATE)
    delete_btn.click(ask_delete, selector, [confirm_row, confirm_text], **PRIVATE)
    no_btn.click(lambda: gr.update(visible=False), None, confirm_row, **PRIVATE)
    yes_btn.click(delete, selector, [grid, selector, confirm_row, status, *form], **PRIVATE)
    import_btn.click(do_import, [upload, skip_bad], [grid, selector, status], **PRIVATE)
    export_btn.click(do_export, fmt, [download, status], **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[grid, selector])
