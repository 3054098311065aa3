"""Readiness and timing: coverage of the next level's expectations as a chart, the gaps and
plan, and the timing verdict as a coloured badge with its reasons."""

from __future__ import annotations

from html import escape

import gradio as gr

from coach.domain.readiness import Readiness
from coach.domain.timing import Timing
from coach.services import readiness, timing
from coach.ui.charts import AMBER, GREEN, RED, Bar, badge, hbar_chart, score_color
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

VERDICTS = {"good": ("Good time to ask", GREEN), "wait": ("Prepare now, ask a little later", AMBER),
            "bad": ("Not now", RED)}
EFFECT_MARK = {"good": "&#10003;", "wait": "&#8987;", "bad": "&#10007;"}


def coverage_chart(r: Readiness) -> str:
    """One bar per expectation: how many entries evidence it (gaps show as an empty red bar)."""
    bars = [Bar(c.expectation.title, len(c.entries), GREEN if c.strength == "strong" else AMBER,
                f"{len(c.entries)} entr{'y' if len(c.entries) == 1 else 'ies'} - {c.strength}")
            for c in r.covered]
    bars += [Bar(g.title, 0, RED, "gap: no evidence yet") for g in r.gaps]
    top = max([3, *(b.value for b in bars)])
    return hbar_chart(bars, max_value=top, title=f"What the next level ({r.target_title}) "
                      "expects, and how many log entries show it",
                      empty="No expectations defined for this step.")


def readiness_markdown(r: Readiness) -> str:
    lines = [f"### Readiness for {r.target_title}: {round(r.score * 100)}%"]
    if r.entry_count == 0:
        lines.append("Your impact log is empty, so every expectation is still a gap.")
    if r.gaps:
        lines.append("\n**Gaps**")
        lines += [f"- **{g.title}**: {g.description}" for g in r.gaps]
    if r.unquantified:
        ids = ", ".join(f"#{i}" for i in r.unquantified)
        by = f" by {r.quantify_by.isoformat()}" if r.quantify_by else ""
        lines.append(f"\n**Add a measured result{by}** to entries {ids}.")
    lines.append(f"\n**Time in role:** {r.tenure.text}")
    if r.plan:
        lines.append("\n**Plan**")
        lines += [f"- by **{s.by.isoformat()}**: {s.action} *({s.expectation.title})*"
                  for s in r.plan]
    return "\n".join(lines)


def score_badge(r: Readiness) -> str:
    return badge(f"{round(r.score * 100)}% ready", score_color(r.score),
                 detail=f"{len(r.covered)} of {len(r.covered) + len(r.gaps)} expectations shown "
                        f"by {r.entry_count} log entries")


def timing_badge(t: Timing) -> str:
    text, color = VERDICTS[t.verdict]
    return badge(text, color, detail=t.summary)


def timing_markdown(t: Timing) -> str:
    lines = ["**Why**"]
    lines += [f"- {EFFECT_MARK[r.effect]} {escape(r.text)}" for r in t.reasons]
    if t.revisit:
        lines.append("\n**Look again**")
        lines += [f"- {r.when.isoformat() if r.when else 'when it happens'}: {escape(r.why)}"
                  for r in t.revisit]
    return "\n".join(lines)


def build(state: AppState) -> Panel:
    with gr.Tab("Readiness & timing", id="readiness") as tab:
        gr.Markdown("### Are you ready, and is now the moment?\nComputed from your goal and "
                    "your impact log each time you open this tab.")
        check = gr.Button("Check again", size="sm", elem_id="readiness-check")
        with gr.Row():
            with gr.Column(scale=3):
                score = gr.HTML(elem_id="readiness-badge")
                chart = gr.HTML(elem_id="readiness-chart")
                details = gr.Markdown(elem_id="readiness-details")
            with gr.Column(scale=2):
                gr.Markdown("### Timing")
                verdict = gr.HTML(elem_id="timing-badge")
                reasons = gr.Markdown(elem_id="timing-reasons")

    @guarded("check readiness and timing", state)
    def refresh(request: gr.Request):
        ctx = state.context(request)
        if ctx.store.get_profile() is None:
            hint = "Set your goal first (Goal tab): readiness and timing are measured against it."
            return "", "", hint, "", ""
        r = readiness.readiness(ctx, today=state.today)
        t = timing.timing(ctx, today=state.today)
        return (score_badge(r), coverage_chart(r), readiness_markdown(r), timing_badge(t),
                timing_markdown(t))

    outputs = [score, chart, details, verdict, reasons]
    check.click(refresh, None, outputs, **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=outputs, on_load=False)
