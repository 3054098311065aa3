"""Evals: score the recorded responses of the quality suite (no model needed) and show the report."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.evals import runner
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

REPORT_NAMES = ("report.md", "summary.md", "REPORT.md")


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def headline_markdown(record) -> str:
    """A compact summary from the run record, used when no Markdown report was written."""
    head = record.headline()
    lines = [f"### Run `{head['run']}` ({head['mode']})",
             f"{head['cases']} cases, {head['scored_cases']} scored, {len(head['missing'])} without a "
             f"recording; {head['duration_s']} s.", "",
             "| Output | Pass rate | Rule checks | Judge checks |", "| --- | --- | --- | --- |"]
    det, judge = head["rubrics_deterministic"], head["rubrics_judge"]
    for name, rate in head["rubrics"].items():
        lines.append(f"| {name} | {_pct(rate)} | {_pct(det.get(name))} | {_pct(judge.get(name))} |")
    agreement = head.get("judge_agreement")
    if agreement:
        lines.append(f"\nJudge agreement with the rule checks: {_pct(agreement['percent'])} "
                     f"over {agreement['n']} checks (kappa {agreement['kappa']}).")
    if head["models"]:
        lines.append(f"\nRecorded with: {', '.join(head['models'])}.")
    return "\n".join(lines)


def report_markdown(settings, record) -> str:
    """The run's own Markdown report when the suite wrote one, else the headline table."""
    try:
        folder = runner.resolve_run(settings, record.id)
    except CoachError:
        folder = None
    for name in REPORT_NAMES:
        if folder is not None and (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8")
    return headline_markdown(record)


def build(state: AppState) -> Panel:
    with gr.Tab("Evals", id="evals") as tab:
        gr.Markdown("### Quality checks\nThe evaluation suite scores recorded outputs of the "
                    "coach (proposals, emails, chat answers, role-plays) against rubrics. "
                    "Replaying the recordings needs no model and takes a few seconds.")
        run = gr.Button("Run the recorded suite", variant="primary", elem_id="evals-run")
        report = gr.Markdown(elem_id="evals-report")

    @guarded("run the evaluation suite", state)
    def run_suite(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        ctx = state.context(request)
        progress(0.1, desc="Scoring the recorded responses")
        record = runner.replay(ctx.settings, runner.RunOptions(progress=False))
        return report_markdown(ctx.settings, record)

    @guarded("load the last evaluation", state)
    def refresh(request: gr.Request):
        ctx = state.context(request)
        runs = runner.list_runs(ctx.settings)
        if not runs:
            return "No run yet: press **Run the recorded suite**."
        return report_markdown(ctx.settings, runner.load_run(ctx.settings, runs[0].id))

    run.click(run_suite, None, report, **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[report], on_load=False)
