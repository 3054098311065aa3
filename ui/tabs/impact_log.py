"""Impact log: the table of entries, a form to add or edit one, delete with confirmation,
import from a file (with a template), the harvest inbox (ui/tabs/inbox.py) and a one-click
export."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.limits import BUDGET
from coach.domain.log_formats import COLUMNS, LogFormat
from coach.domain.text import count
from coach.services import impact_log
from coach.services.context import Context
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, inbox, label, parse_date, shared_file

HEADERS = ["#", "Date", "What you did", "Measured result", "Kind", "Next level", "Proof"]
KINDS = [(label(k.value), k.value) for k in Kind]
FORMATS = [("CSV (spreadsheets)", "csv"), ("Markdown", "md"), ("JSON", "json")]
NEW = 0  # the selector's "new entry" value
COLUMNS_HELP = ("**The columns an import reads** (the first row of a CSV names them; "
                "date and title are required):\n\n"
                + "\n".join(f"- `{name}`: {what}" for name, what in COLUMNS.items())
                + "\n\nA Markdown or JSON file exported from here imports as well. An entry "
                  "already in your log (same date, title and measured result) is skipped.")


def table(entries: list[Entry]) -> list[list]:
    return [[e.id, e.date.isoformat(), e.title, e.metric, label(e.kind.value),
             "yes" if e.next_level else "", e.source] for e in entries]


def cards(entries: list[Entry]) -> str:
    """The log as a list that wraps, for a phone (the table needs a wide screen)."""
    if not entries:
        return '<p class="coach-empty">No entries yet.</p>'
    items = "".join(
        f"<li><strong>#{e.id}</strong> {e.date.isoformat()} &middot; {escape(e.title)}"
        + (f"<br><span>{escape(e.metric)}</span>" if e.metric else "")
        + (" <em>(next level)</em>" if e.next_level else "") + "</li>" for e in entries)
    return f'<ul class="coach-cards">{items}</ul>'


def choices(entries: list[Entry]) -> list[tuple[str, int]]:
    return [("New entry", NEW)] + [(f"#{e.id} {e.title[:60]}", e.id) for e in entries]


def entries_text(n: int) -> str:
    return count(n, "entry", "entries")


def import_summary(result: impact_log.ImportResult) -> str:
    """'Imported 2 entries; 1 entry already in your log was skipped (line 4).'"""
    text = f"Imported {entries_text(len(result.imported))}"
    if result.duplicates:
        lines = ", ".join(str(d.line) for d in result.duplicates[:20])
        verb = "was" if len(result.duplicates) == 1 else "were"
        text += (f"; {entries_text(len(result.duplicates))} already in your log {verb} "
                 f"skipped ({'line' if len(result.duplicates) == 1 else 'lines'} {lines})")
    text += "."
    if result.skipped:
        text += f" Skipped {count(len(result.skipped), 'bad row')}:\n" + "\n".join(
            f"- {e}" for e in result.skipped[:20])
    return text


def _find(ctx: Context, entry_id: int) -> Entry:
    for entry in impact_log.list_entries(ctx):
        if entry.id == entry_id:
            return entry
    raise CoachError(f"there is no entry #{entry_id}", code="not-found", field="entry")


def _fields(date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v) -> dict:
    return {"date": parse_date(date_v) or dt.date.today(), "title": title_v or "",
            "metric": metric_v or "", "kind": kind_v or Kind.RESULT.value,
            "next_level": bool(next_v), "description": desc_v or "", "source": source_v or ""}


def export_file(ctx: Context, fmt_v: str | None) -> str:
    """Write the log in this format to the user's exports folder; the path to download."""
    fmt = LogFormat(fmt_v or "csv")
    ctx.settings.exports_dir.mkdir(parents=True, exist_ok=True)
    path = ctx.settings.exports_dir / f"impact-log.{fmt.value}"
    path.write_text(impact_log.export_log(ctx, fmt), encoding="utf-8")
    return str(path)


def build(state: AppState) -> Panel:
    msgs = Messages(state, "log")
    with gr.Tab("Impact log", id="log") as tab:
        gr.Markdown("### Your impact log\nDated evidence of your work. A number in the measured "
                    "result (time saved, %, money, people) makes an entry count as measured.")
        grid = gr.Dataframe(headers=HEADERS, datatype=["number", "str", "str", "str", "str", "str", "str"],
                            interactive=False, wrap=True, label="Entries", elem_id="log-table",
                            elem_classes=["coach-wide"])
        listed = gr.HTML(elem_id="log-cards", elem_classes=["coach-narrow"])
        with gr.Group():
            selector = gr.Dropdown(choices([]), value=NEW, label="Entry to edit",
                                   elem_id="log-selector")
            with gr.Row():
                with gr.Column(min_width=200):
                    date = gr.Textbox(label="Date (YYYY-MM-DD, empty = today)",
                                      placeholder="YYYY-MM-DD", elem_id="log-date")
                    msgs.field("date", "Date")
                with gr.Column(min_width=200):
                    kind = gr.Dropdown(KINDS, value=Kind.RESULT.value, label="Kind",
                                       elem_id="log-kind")
                    msgs.field("kind", "Kind")
                next_level = gr.Checkbox(label="Shows work at the target level",
                                         elem_id="log-next")
            title = gr.Textbox(label="What you did", placeholder="e.g. Led the payments migration",
                               elem_id="log-title", max_length=BUDGET["title"])
            msgs.field("title", "What you did")
            metric = gr.Textbox(label="Measured result", placeholder="e.g. cut p95 latency 40%",
                                elem_id="log-metric", max_length=BUDGET["metric"])
            msgs.field("metric", "Measured result")
            description = gr.Textbox(label="Details (optional)", lines=2, elem_id="log-description",
                                     max_length=BUDGET["description"])
            msgs.field("description", "Details")
            source = gr.Textbox(label="Proof: a link or where it lives (optional)",
                                elem_id="log-source", max_length=BUDGET["source"])
            msgs.field("source", "Proof")
        msgs.label("next_level", "Shows work at the target level")
        with gr.Row():
            add_btn = gr.Button("Add as new entry", variant="primary", elem_id="log-add")
            save_btn = gr.Button("Save changes", elem_id="log-save")
            delete_btn = gr.Button("Delete entry", variant="stop", elem_id="log-delete")
        msgs.form()
        with gr.Row(visible=False, elem_id="log-confirm") as confirm_row:
            confirm_text = gr.Markdown()
            yes_btn = gr.Button("Yes, delete it", variant="stop", elem_id="log-confirm-yes")
            no_btn = gr.Button("Cancel", elem_id="log-confirm-no")
        status = gr.Markdown(elem_id="log-status")
        with gr.Accordion("Import entries from a file", open=False, elem_id="log-io"):
            gr.Markdown(COLUMNS_HELP, elem_id="log-columns")
            template = shared_file(state, "impact-log-template.csv", impact_log.import_template())
            gr.DownloadButton("Download the CSV template", value=template, elem_id="log-template",
                              size="sm")
            upload = gr.File(label="A .csv, .md or .json file", file_types=[".json", ".csv", ".md"],
                             elem_id="log-upload")
            msgs.field("file", "The file")
            skip_bad = gr.Checkbox(label="Skip bad rows and import the rest", elem_id="log-skip")
            import_btn = gr.Button("Import", elem_id="log-import")
        section = inbox.build(state)
        with gr.Accordion("Download your log", open=False, elem_id="log-export-box"):
            with gr.Row():
                fmt = gr.Radio(FORMATS, value="csv", label="Format", elem_id="log-format")
                download = gr.DownloadButton("Download the log", elem_id="log-download")

    form = [date, title, metric, kind, next_level, description, source]

    def _listing(ctx: Context, fmt_v: str | None):
        entries = impact_log.list_entries(ctx)
        return (table(entries), cards(entries), gr.update(choices=choices(entries)),
                export_file(ctx, fmt_v))

    def _empty_form():
        return ["", "", "", Kind.RESULT.value, False, "", ""]

    def refresh(fmt_v, request: gr.Request):
        ctx = state.context(request)
        return (*_listing(ctx, fmt_v), *section.render(ctx))

    def add(date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v, fmt_v,
            request: gr.Request):
        ctx = state.context(request)
        values = (date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v)
        entry = impact_log.add_entry(ctx, **_fields(*values))
        rows, listed_v, picker, path = _listing(ctx, fmt_v)
        note = "" if entry.quantified else " Tip: add a number to the measured result."
        return (rows, listed_v, {**picker, "value": entry.id}, path,
                f"Added entry **#{entry.id}** {entry.title}.{note}")

    def save(entry_id, date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v, fmt_v,
             request: gr.Request):
        values = (date_v, title_v, metric_v, kind_v, next_v, desc_v, source_v)
        if not entry_id:
            raise CoachError("no entry is selected", code="not-selected")
        ctx = state.context(request)
        entry = impact_log.edit_entry(ctx, int(entry_id), **_fields(*values))
        rows, listed_v, picker, path = _listing(ctx, fmt_v)
        return (rows, listed_v, {**picker, "value": entry.id}, path,
                f"Saved entry **#{entry.id}** {entry.title}.")

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

    def ask_delete(entry_id, request: gr.Request):
        if not entry_id:
            raise CoachError("no entry is selected", code="not-selected")
        e = _find(state.context(request), int(entry_id))
        return gr.update(visible=True), (f"Delete entry **#{e.id}** \u201c{e.title}\u201d? "
                                         "This cannot be undone.")

    def delete(entry_id, fmt_v, request: gr.Request):
        if not entry_id:
            raise CoachError("no entry is selected", code="not-selected")
        ctx = state.context(request)
        gone = impact_log.remove_entry(ctx, int(entry_id))
        rows, listed_v, picker, path = _listing(ctx, fmt_v)
        return (rows, listed_v, {**picker, "value": NEW}, path, gr.update(visible=False),
                f"Deleted entry #{gone.id} {gone.title}.", *_empty_form())

    def do_import(path, skip, fmt_v, request: gr.Request):
        if not path:
            raise CoachError("no file chosen", code="no-file", field="file")
        ctx = state.context(request)
        try:
            result = impact_log.import_file(ctx, Path(path), skip_bad=bool(skip))
        except CoachError as exc:
            exc.field = exc.field or "file"  # whatever is wrong, it is about the file
            raise
        return (*_listing(ctx, fmt_v), import_summary(result), None)

    listing = [grid, listed, selector, download]
    msgs.on(add_btn.click, add, [*form, fmt], [*listing, status], action="add the entry",
            **PRIVATE)
    msgs.on(save_btn.click, save, [selector, *form, fmt], [*listing, status],
            action="save the changes", **PRIVATE)
    # Only the user picking an entry (from the list or a row) fills the form from the store,
    # and a deletion empties it in its own update. A change of the selector does not: after
    # "Add" sets it to the new entry, a late fill would overwrite what the user typed since.
    msgs.on(selector.input, pick, selector, [*form, confirm_row], action="open the entry",
            **PRIVATE)
    grid.select(row_selected, grid, selector, **PRIVATE).then(
        msgs.wrap(pick, len(form) + 1, "open the entry"), selector,
        [*form, confirm_row, *msgs.lines], **PRIVATE)
    msgs.on(delete_btn.click, ask_delete, selector, [confirm_row, confirm_text],
            action="delete the entry", **PRIVATE)
    no_btn.click(lambda: gr.update(visible=False), None, confirm_row, **PRIVATE)
    msgs.on(yes_btn.click, delete, [selector, fmt], [*listing, confirm_row, status, *form],
            action="delete the entry", **PRIVATE)
    msgs.on(import_btn.click, do_import, [upload, skip_bad, fmt], [*listing, status, upload],
            action="import the file", **PRIVATE)

    def prepare(fmt_v, request: gr.Request):
        return export_file(state.context(request), fmt_v)

    msgs.on(fmt.change, prepare, fmt, download, action="prepare the download", **PRIVATE)
    shown = [*listing, *section.outputs]
    section.accepted.then(msgs.wrap(refresh, len(shown), "list your entries", clear=False), fmt,
                          [*shown, *msgs.lines], **PRIVATE)
    return Panel(tab=tab, refresh=msgs.wrap(refresh, len(shown), "list your entries"),
                 inputs=[fmt], outputs=[*shown, *msgs.lines])
