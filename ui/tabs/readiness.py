"""Readiness and timing: how the readiness figure adds up, which entries count for which
expectation and why, the gaps and plan; the timing verdict with its reasons; and the
user's own company expectations in place of the built-in ones."""

from __future__ import annotations

from html import escape
from pathlib import Path

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.readiness import RECENT_MONTHS, STRONG_MIN_ENTRIES, Evidence, Readiness
from coach.domain.text import count
from coach.domain.timing import Timing
from coach.services import readiness, timing
from coach.ui.charts import AMBER, GREEN, RED, Bar, badge, hbar_chart, score_color
from coach.ui.errors import Messages
from coach.ui.icons import icon
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, shared_file

VERDICTS = {"good": ("Good time to ask", GREEN), "wait": ("Prepare now, ask a little later", AMBER),
            "bad": ("Not now", RED)}
EFFECT_MARK = {"good": ("check", "in favour"), "wait": ("wait", "wait"), "bad": ("cross", "against")}
STRONG_RULE = (f"Strong evidence: {STRONG_MIN_ENTRIES} or more entries, at least one with a "
               f"measured result or marked as next-level work, and one from the last "
               f"{RECENT_MONTHS} months.")


def entries_text(n: int) -> str:
    return count(n, "entry", "entries")


def coverage_chart(r: Readiness) -> str:
    """One bar per expectation: how many entries evidence it (gaps show as an empty red bar)."""
    bars = [Bar(c.expectation.title, len(c.entries), GREEN if c.strength == "strong" else AMBER,
                f"{entries_text(len(c.entries))}: {c.strength}")
            for c in r.covered]
    bars += [Bar(g.title, 0, RED, "gap: no evidence yet") for g in r.gaps]
    top = max([3, *(b.value for b in bars)])
    return hbar_chart(bars, max_value=top, title=f"What the next level ({r.target_title}) "
                      "expects, and how many log entries show it",
                      empty="No expectations defined for this step.")


def score_badge(r: Readiness) -> str:
    total = sum(p.points for p in r.parts)
    return badge(f"{round(r.score * 100)}% ready", score_color(r.score),
                 detail=f"{total} of 100 points, from the three parts below")


def parts_table(r: Readiness) -> str:
    """How the figure adds up: each part, how much of it the user has, and its points."""
    rows = "".join(
        f"<tr><td>{escape(p.name)}</td><td>{p.have} of {p.of} ({p.percent}%)</td>"
        f"<td>{p.points} of {p.weight}</td></tr>" for p in r.parts)
    total = sum(p.points for p in r.parts)
    return ('<table class="coach-parts"><thead><tr><th>Part</th><th>You have</th>'
            f"<th>Points</th></tr></thead><tbody>{rows}<tr class=\"coach-total\"><td>Readiness"
            f"</td><td></td><td>{total} of 100</td></tr></tbody></table>")


def built_in_note(r: Readiness) -> str:
    if not r.built_in:
        return ""
    return ('<div class="coach-note" id="readiness-generic"><strong>These are generic '
            "expectations</strong>, built into the coach for this step, not your company's: "
            "a high score against them is a rough guide, not a verdict. Your company's career "
            "framework is what your manager will use: add its expectations under "
            "<em>Use your company's expectations</em> below.</div>")


def framework_html(r: Readiness) -> str:
    """With a career framework in use: coverage per area, then each target-level criterion
    with the entries linked to it (confidence, or 'yours' for a link the user confirmed)."""
    if not r.framework:
        return ""
    areas = "".join(f"<tr><td>{escape(a.name)}</td><td>{a.covered} of {a.total} ({a.percent}%)"
                    "</td></tr>" for a in r.coverage)
    items = []
    for c in r.criteria:
        links = ", ".join(f"#{k.entry} ({'yours' if k.status == 'confirmed' else f'{k.confidence:.2f}'})"
                          for k in c.links) or "no entry yet"
        new = ' <span class="coach-fact">new at this level</span>' if c.new else ""
        items.append(f"<li><code>{escape(c.id)}</code> {escape(c.text)}{new}<br>"
                     f'<span class="coach-why">{escape(links)}</span></li>')
    return (f'<div class="coach-exp" id="readiness-framework"><h4>{escape(r.framework)}, '
            f"level {escape(r.target_level or '')}</h4>"
            '<table class="coach-parts"><thead><tr><th>Area</th><th>Criteria shown</th></tr>'
            f"</thead><tbody>{areas}</tbody></table><ul>{''.join(items)}</ul>"
            "<p>Links are the coach's best matches; confirm or reject them in the Framework "
            "tab.</p></div>")


def _evidence_item(ev: Evidence) -> str:
    def fact(ok: bool, yes: str, no: str) -> str:
        return f'<span class="coach-fact">{icon("check" if ok else "todo")} {yes if ok else no}</span>'

    facts = (fact(ev.quantified, "measured", "no measured result")
             + fact(ev.next_level, "next-level", "not marked next-level")
             + fact(ev.recent, "recent", f"older than {RECENT_MONTHS} months"))
    return (f"<li><strong>#{ev.entry}</strong> {escape(ev.title)} "
            f'<span class="coach-why">({escape(ev.why)})</span><br>{facts}</li>')


def expectations_html(r: Readiness) -> str:
    """Each expectation, what counts for it and why; the gaps with what would fill them."""
    parts = [f'<p class="coach-rule">{escape(STRONG_RULE)}</p>']
    for cov in r.covered:
        head = (f"{escape(cov.expectation.title)}: {entries_text(len(cov.entries))}, "
                f"{cov.strength}")
        lacks = (f'<p class="coach-lacks">To be strong it needs {escape("; ".join(cov.missing))}.'
                 "</p>" if cov.missing else "")
        items = "".join(_evidence_item(ev) for ev in cov.evidence)
        parts.append(f'<div class="coach-exp"><h4>{head}</h4>'
                     f"<p>{escape(cov.expectation.description)}</p><ul>{items}</ul>{lacks}</div>")
    for gap in r.gaps:
        parts.append(f'<div class="coach-exp coach-gap"><h4>{escape(gap.title)}: no entry yet</h4>'
                     f"<p>{escape(gap.description)}</p></div>")
    return '<div class="coach-exps">' + "".join(parts) + "</div>"


def readiness_markdown(r: Readiness) -> str:
    lines = []
    if r.entry_count == 0:
        lines.append("Your impact log is empty, so every expectation is still a gap.")
    if r.unquantified:
        ids = ", ".join(f"#{i}" for i in r.unquantified)
        by = f" by {r.quantify_by.isoformat()}" if r.quantify_by else ""
        which = "entry" if len(r.unquantified) == 1 else "entries"
        lines.append(f"\n**Add a measured result{by}** to {which} {ids}.")
    lines.append(f"\n**Time in role:** {r.tenure.text}")
    if r.plan:
        lines.append("\n**Plan**")
        lines += [f"- by **{s.by.isoformat()}**: {s.action} *({s.expectation.title})*"
                  for s in r.plan]
    return "\n".join(lines)


def timing_badge(t: Timing) -> str:
    text, color = VERDICTS[t.verdict]
    return badge(text, color, detail=t.summary)


def timing_html(t: Timing) -> str:
    items = "".join(f"<li>{icon(*EFFECT_MARK[r.effect])} {escape(r.text)}</li>" for r in t.reasons)
    out = f'<h4>Why</h4><ul class="coach-reasons">{items}</ul>'
    if t.revisit:
        again = "".join(f"<li>{r.when.isoformat() if r.when else 'when it happens'}: "
                        f"{escape(r.why)}</li>" for r in t.revisit)
        out += f"<h4>Look again</h4><ul>{again}</ul>"
    return out


def build(state: AppState) -> Panel:
    msgs = Messages(state, "readiness")
    with gr.Tab("Readiness & timing", id="readiness") as tab:
        gr.Markdown("### Are you ready, and is now the moment?\nComputed from your goal and "
                    "your impact log each time you open this tab.")
        check = gr.Button("Check again", size="sm", elem_id="readiness-check")
        msgs.form()
        with gr.Row():
            with gr.Column(scale=3, min_width=300):
                score = gr.HTML(elem_id="readiness-badge")
                generic = gr.HTML(elem_id="readiness-note")
                parts = gr.HTML(elem_id="readiness-parts")
                # On a phone the chart's labels would be too small: the list below says the same.
                chart = gr.HTML(elem_id="readiness-chart", elem_classes=["coach-wide"])
                explained = gr.HTML(elem_id="readiness-explained")
                details = gr.Markdown(elem_id="readiness-details")
            with gr.Column(scale=2, min_width=300):
                gr.Markdown("### Timing")
                verdict = gr.HTML(elem_id="timing-badge")
                reasons = gr.HTML(elem_id="timing-reasons")
        with gr.Accordion("Use your company's expectations", open=False, elem_id="exp-own"):
            gr.Markdown("Upload your company's expectations for your step as a CSV with the "
                        "columns `title` (required), `description`, `keywords` (words that show "
                        "it in a log entry, separated by semicolons) and `action` (a first "
                        "step to close the gap). They replace the built-in list for your step.",
                        elem_id="exp-help")
            gr.DownloadButton("Download the expectations template", size="sm",
                              elem_id="exp-template", value=shared_file(
                                  state, "expectations-template.csv",
                                  readiness.expectations_template()))
            exp_file = gr.File(label="Your expectations (.csv)", file_types=[".csv"],
                               elem_id="exp-upload")
            msgs.field("exp-file", "Your expectations")
            with gr.Row():
                exp_import = gr.Button("Use these expectations", elem_id="exp-import")
                exp_reset = gr.Button("Back to the built-in list", elem_id="exp-reset")
            exp_status = gr.Markdown(elem_id="exp-status")

    def show(request: gr.Request):
        ctx = state.context(request)
        if ctx.store.get_profile() is None:
            hint = "Set your goal first (Goal tab): readiness and timing are measured against it."
            return "", "", "", "", "", hint, "", ""
        r = readiness.readiness(ctx, today=state.today)
        t = timing.timing(ctx, today=state.today)
        return (score_badge(r), built_in_note(r), parts_table(r), coverage_chart(r),
                framework_html(r) + expectations_html(r), readiness_markdown(r),
                timing_badge(t), timing_html(t))

    def use_own(path, request: gr.Request):
        if not path:
            raise CoachError("no file chosen", code="no-file", field="exp-file")
        try:
            listing = readiness.import_expectations(state.context(request), Path(path))
        except CoachError as exc:
            exc.field = exc.field or "exp-file"
            raise
        return (f"Now measuring against your {count(len(listing.items), 'expectation')}. "
                "Press **Check again** to see the result."), None

    def use_built_in(request: gr.Request):
        listing = readiness.reset_expectations(state.context(request))
        return (f"Back to the {count(len(listing.items), 'built-in expectation')}. "
                "Press **Check again** to see the result.")

    outputs = [score, generic, parts, chart, explained, details, verdict, reasons]
    refresh = msgs.wrap(show, len(outputs), "check readiness and timing")
    check.click(refresh, None, [*outputs, *msgs.lines], **PRIVATE)
    msgs.on(exp_import.click, use_own, exp_file, [exp_status, exp_file],
            action="use your expectations", **PRIVATE)
    msgs.on(exp_reset.click, use_built_in, None, exp_status,
            action="go back to the built-in expectations", **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[*outputs, *msgs.lines], on_load=False)
