"""Framework: the user's company career framework. Import a file, pick the current and target
levels, see the target level's criteria against the impact log (a criteria x evidence matrix,
by area) and confirm or reject which entry shows which criterion."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.framework.coverage import CriteriaReadiness, CriterionStatus
from coach.domain.framework.mapping import LinkStatus
from coach.domain.framework.model import Framework
from coach.domain.text import count
from coach.services import criteria as criteria_service
from coach.services import framework as framework_service
from coach.services import impact_log
from coach.services.context import Context
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

FILE_TYPES = [".md", ".csv", ".yaml", ".yml", ".json", ".pdf", ".docx", ".txt"]
MATRIX_ENTRIES = 12  # evidence columns shown; the rest are counted under the matrix
STYLE = ("<style>.fw-matrix{border-collapse:collapse;width:100%;font-size:0.95em}"
         ".fw-matrix th,.fw-matrix td{border:1px solid var(--border-color-primary);padding:4px 8px;"
         "vertical-align:top}.fw-area th{text-align:left;background:var(--background-fill-secondary)}"
         ".fw-cell{text-align:center;white-space:nowrap}.fw-confirmed{color:#15803d;font-weight:bold}"
         ".fw-auto{color:#b45309}.fw-new{font-size:0.8em;padding:0 4px;border-radius:4px;"
         "background:#dbeafe;color:#1e3a8a;white-space:nowrap}.fw-gap{color:#b91c1c}"
         ".fw-criterion code{font-size:0.75em;opacity:0.7;word-break:break-all}"
         ".fw-scroll{overflow-x:auto;max-width:100%}</style>")
HELP = ("Import your company's career framework (levels, areas and what each level expects). "
        "A Markdown, CSV, YAML or JSON file is read exactly; a PDF, Word or text file is read by "
        "the model and waits for you to keep or discard its reading. Once you pick your levels, "
        "readiness, the proposal, the role-play and the chat measure you against the target "
        "level's criteria instead of the built-in expectations.")


# -- rendering ------------------------------------------------------------------------------
def level_choices(framework: Framework | None) -> list[tuple[str, str]]:
    if framework is None:
        return []
    return [(f"{lv.order}. {lv.name}", lv.id) for lv in framework.ordered_levels()]


def _mark(entry: int, criterion: CriterionStatus) -> str:
    """One cell: whether the entry shows the criterion, and how the coach knows."""
    link = next((k for k in criterion.links if k.entry == entry), None)
    if link is None:
        return '<td class="fw-cell"></td>'
    if link.status is LinkStatus.CONFIRMED:
        return '<td class="fw-cell fw-confirmed" title="you confirmed it">&#10003;</td>'
    return (f'<td class="fw-cell fw-auto" title="matched by the coach, confidence '
            f'{link.confidence:.2f}">&#9675; {round(link.confidence * 100)}%</td>')


def matrix_html(report: CriteriaReadiness, framework: Framework, titles: dict[int, str]) -> str:
    """The target level's criteria (rows, grouped by area) against the entries that show
    any of them (columns)."""
    shown = sorted({e for c in report.criteria for e in c.covered_by})
    columns = shown[:MATRIX_ENTRIES]
    head = "".join(f'<th class="fw-entry" title="{escape(titles.get(e, ""))}">#{e}</th>'
                   for e in columns)
    rows = []
    for area in framework.areas:
        items = [c for c in report.criteria if c.area == area.id]
        if not items:
            continue
        have = sum(1 for c in items if c.covered_by)
        rows.append(f'<tr class="fw-area"><th colspan="{len(columns) + 2}">{escape(area.name)}: '
                    f"{have} of {count(len(items), 'criterion', 'criteria')} shown</th></tr>")
        for c in items:
            new = ' <span class="fw-new">new at this level</span>' if c.new else ""
            cells = "".join(_mark(e, c) for e in columns)
            evidence = count(len(c.covered_by), "entry", "entries") if c.covered_by else \
                '<span class="fw-gap">no entry yet</span>'
            rows.append(f'<tr><td class="fw-criterion"><code>{escape(c.id)}</code> '
                        f"{escape(c.text)}{new}</td>{cells}<td>{evidence}</td></tr>")
    more = (f'<p class="fw-more">{count(len(shown) - len(columns), "more entry", "more entries")} '
            "not shown as columns.</p>" if len(shown) > len(columns) else "")
    names = "; ".join(f"<strong>#{e}</strong> {escape(titles.get(e, ''))}" for e in columns)
    legend = (f'<p class="fw-legend">Columns: {names}.<br>&#10003; you confirmed it &middot; '
              "&#9675; matched by the coach (its confidence): confirm or reject it below.</p>"
              if columns else '<p class="fw-legend">No entry of your log shows a criterion of '
              "this level yet.</p>")
    return (f'{STYLE}<div class="fw-scroll"><table class="fw-matrix"><thead><tr><th>Criterion'
            f"</th>{head}<th>Evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"</div>{more}{legend}")


def summary_markdown(report: CriteriaReadiness) -> str:
    """Where the user stands on the framework, per area, and a dated step for each gap."""
    level = report.target_level.name
    where = (f"**{report.current_level.name}** &rarr; **{level}**" if report.current_level
             else f"target **{level}**")
    lines = [f"Using **{report.framework_name}**, {where}: {report.covered} of "
             f"{count(report.total, 'criterion', 'criteria')} of the target level shown by "
             "your log."]
    lines += [f"- {a.name}: {a.covered} of {a.total} ({a.percent}%)" for a in report.coverage]
    if report.gaps:
        lines.append("\n**Gaps, and a first step for each**")
        lines += [f"- by **{g.by.isoformat()}**: {g.action} *({g.criterion})*"
                  for g in report.gaps]
    return "\n".join(lines)


def import_note(done: framework_service.FrameworkImport) -> str:
    fw = done.framework
    what = (f"{count(len(fw.levels), 'level')}, {count(len(fw.areas), 'area')} and "
            f"{count(len(fw.criteria), 'criterion', 'criteria')}")
    notes = "".join(f"\n- {escape(n)}" for n in done.notes)
    if done.pending:
        dropped = (f" {count(done.dropped, 'proposed criterion', 'proposed criteria')} "
                   "were not the file's own words and were left out." if done.dropped else "")
        return (f"**Read {escape(fw.name)}**: {what}.{dropped} Check the levels below, then keep "
                f"or discard this reading.{notes}")
    return f"**Imported {escape(fw.name)}**: {what}. Pick your levels below.{notes}"


# -- the tab --------------------------------------------------------------------------------
def build(state: AppState) -> Panel:
    msgs = Messages(state, "framework")
    with gr.Tab("Framework", id="framework") as tab:
        gr.Markdown(f"### Your company's career framework\n{HELP}", elem_id="fw-help")
        msgs.form()
        with gr.Accordion("Import a framework", open=True, elem_id="fw-import-box"):
            upload = gr.File(label="Framework file", file_types=FILE_TYPES, elem_id="fw-upload")
            msgs.field("file", "Framework file")
            name = gr.Textbox(label="Name (optional)", placeholder="e.g. Acme engineering ladder",
                              elem_id="fw-name")
            msgs.field("name", "Name (optional)")
            import_btn = gr.Button("Import", variant="primary", elem_id="fw-import")
            import_status = gr.Markdown(elem_id="fw-import-status")
            with gr.Row(visible=False, elem_id="fw-review") as review:
                keep = gr.Button("Keep this reading", elem_id="fw-keep")
                discard = gr.Button("Discard it", elem_id="fw-discard")
        gr.Markdown("### Your levels")
        with gr.Row():
            pick = gr.Dropdown(label="Framework", choices=[], elem_id="fw-pick")
            current = gr.Dropdown(label="Your current level", choices=[], elem_id="fw-current")
            target = gr.Dropdown(label="Your target level", choices=[], elem_id="fw-target")
        msgs.field("current_level", "Your current level")
        msgs.field("target_level", "Your target level")
        msgs.label("framework", "Framework")
        use = gr.Button("Use these levels", elem_id="fw-use")
        summary = gr.Markdown(elem_id="fw-summary")
        matrix = gr.HTML(elem_id="fw-matrix")
        gr.Markdown("### Confirm or reject a link\nPick an entry and a criterion. Confirmed "
                    "links always count; a rejected one never comes back.")
        with gr.Row():
            link_entry = gr.Dropdown(label="Entry", choices=[], elem_id="fw-link-entry")
            link_criterion = gr.Dropdown(label="Criterion", choices=[],
                                         elem_id="fw-link-criterion")
        msgs.label("entry", "Entry")
        msgs.label("criterion", "Criterion")
        with gr.Row():
            confirm = gr.Button("It shows it: confirm", elem_id="fw-confirm")
            reject = gr.Button("It does not: reject", elem_id="fw-reject")
        link_status = gr.Markdown(elem_id="fw-link-status")

    def view(ctx: Context) -> list[Any]:
        """Everything the tab shows, read fresh."""
        frameworks = framework_service.list_frameworks(ctx)
        active = framework_service.active_framework(ctx)
        pending = framework_service.pending_import(ctx)
        fw = active.framework if active else None
        picks = [(f.name, f.id) for f in frameworks]
        levels = level_choices(fw)
        entries = impact_log.list_entries(ctx)
        titles = {e.id: e.title for e in entries}
        entry_choices = [(f"#{e.id} {e.title[:60]}", e.id) for e in entries]
        report = criteria_service.criteria_readiness(ctx, today=state.today) if \
            active and active.target else None
        if fw is None:
            text = ("No framework yet: import one above. Until then the coach uses its built-in "
                    "expectations.")
            crit_choices: list[tuple[str, str]] = []
            grid = ""
        elif report is None:
            text = f"Using **{escape(fw.name)}**. Pick your current and target levels."
            crit_choices, grid = [], ""
        else:
            text = summary_markdown(report)
            crit_choices = [(f"{c.id}: {c.text[:70]}", c.id) for c in report.criteria]
            grid = matrix_html(report, fw, titles)
        return [gr.update(choices=picks, value=fw.id if fw else None),
                gr.update(choices=levels, value=active.current.id if active and active.current
                          else None),
                gr.update(choices=levels, value=active.target.id if active and active.target
                          else None),
                text, grid,
                gr.update(choices=entry_choices, value=None),
                gr.update(choices=crit_choices, value=None),
                gr.update(visible=pending is not None)]

    def show(request: gr.Request):
        return view(state.context(request))

    def do_import(path, given_name, request: gr.Request):
        if not path:
            raise CoachError("no file chosen", code="no-file", field="file")
        ctx = state.context(request)
        done = framework_service.import_framework(ctx, Path(path), name=(given_name or None))
        return [import_note(done), None, *view(ctx)]

    def keep_pending(request: gr.Request):
        ctx = state.context(request)
        saved = framework_service.accept_pending(ctx)
        return [f"**Kept {escape(saved.name)}.** Pick your levels below.", *view(ctx)]

    def discard_pending(request: gr.Request):
        ctx = state.context(request)
        framework_service.discard_pending(ctx)
        return ["Discarded the reading; nothing was saved.", *view(ctx)]

    def choose_framework(framework_id, request: gr.Request):
        """Show the levels of the framework picked (saved when the levels are used)."""
        if not framework_id:
            return gr.skip(), gr.skip()
        fw = framework_service.get_framework(state.context(request), framework_id)
        levels = level_choices(fw)
        return gr.update(choices=levels, value=None), gr.update(choices=levels, value=None)

    def use_levels(framework_id, current_id, target_id, request: gr.Request):
        if not framework_id:
            raise CoachError("no framework picked", code="empty", field="framework")
        if not target_id:
            raise CoachError("no target level picked", code="empty", field="target_level")
        ctx = state.context(request)
        framework_service.use_framework(ctx, framework_id, current_level=current_id or None,
                                        target_level=target_id)
        return view(ctx)

    def linked(confirmed: bool):
        def act(entry_id, criterion_id, request: gr.Request):
            if not entry_id:
                raise CoachError("no entry picked", code="not-selected", field="entry")
            if not criterion_id:
                raise CoachError("no criterion picked", code="empty", field="criterion")
            ctx = state.context(request)
            if confirmed:
                criteria_service.link_entry(ctx, int(entry_id), criterion_id)
                said = f"Confirmed: entry #{entry_id} shows {criterion_id}."
            else:
                criteria_service.unlink_entry(ctx, int(entry_id), criterion_id)
                said = f"Rejected: entry #{entry_id} no longer counts for {criterion_id}."
            return [said, *view(ctx)]
        return act

    outputs = [pick, current, target, summary, matrix, link_entry, link_criterion, review]
    refresh = msgs.wrap(show, len(outputs), "show your framework")
    msgs.on(import_btn.click, do_import, [upload, name], [import_status, upload, *outputs],
            action="import the framework", **PRIVATE)
    msgs.on(keep.click, keep_pending, None, [import_status, *outputs],
            action="keep the framework", **PRIVATE)
    msgs.on(discard.click, discard_pending, None, [import_status, *outputs],
            action="discard the framework", **PRIVATE)
    msgs.on(pick.input, choose_framework, pick, [current, target],
            action="show the framework's levels", **PRIVATE)
    msgs.on(use.click, use_levels, [pick, current, target], outputs,
            action="use these levels", **PRIVATE)
    msgs.on(confirm.click, linked(True), [link_entry, link_criterion], [link_status, *outputs],
            action="confirm the link", **PRIVATE)
    msgs.on(reject.click, linked(False), [link_entry, link_criterion], [link_status, *outputs],
            action="reject the link", **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[*outputs, *msgs.lines], on_load=False)
