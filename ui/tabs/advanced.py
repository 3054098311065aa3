"""Advanced: for the curious and for whoever runs the app. The model's technical details
(server, port, weights) and the quality checks (the evaluation suite scores recorded responses
of the coach against rubrics; no model needed)."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.evals import runner
from coach.services import models
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

REPORT_NAMES = ("report.md", "summary.md", "REPORT.md")


def models_markdown(report, *, checked: bool) -> str:
    lines = [f"**Model in use:** `{report.model}`" + (f" at `{report.api_base}`"
                                                      if report.api_base else ""),
             f"**Grader (scorecards, evals):** `{report.judge}`"]
    if report.fallbacks:
        lines.append(f"**Fallbacks:** {', '.join(f'`{m}`' for m in report.fallbacks)}")
    lines.append("")
    for m in report.models:
        if checked and m.answered is not None:
            state = (f"answered in {m.latency_s:.1f} s" if m.answered
                     else f"did not answer: {m.detail}")
        else:
            state = ("ready" if m.ready else "not ready") + f" - {m.detail}"
        lines.append(f"- {m.role} `{m.name}`: {state}")
    return "\n".join(lines)


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
    msgs = Messages(state, "advanced")
    with gr.Tab("Advanced", id="advanced") as tab:
        gr.Markdown("### Advanced\nTechnical details for whoever runs the app. Nothing here "
                    "changes your data.")
        msgs.form()
        with gr.Accordion("Model details", open=False, elem_id="advanced-model"):
            model_info = gr.Markdown(elem_id="advanced-model-info")
            check = gr.Button("Send it a one-word request", size="sm", elem_id="advanced-check")
        with gr.Accordion("Quality checks (evaluation suite)", open=False, elem_id="advanced-evals"):
            gr.Markdown("Scores recorded outputs of the coach (proposals, emails, chat answers, "
                        "role-plays) against rubrics. Replaying the recordings needs no model "
                        "and takes a few seconds.")
            run = gr.Button("Run the recorded suite", elem_id="evals-run")
            report = gr.Markdown(elem_id="evals-report", max_height=640)

    def _model_text(ctx, check_it: bool) -> str:
        if state.llm is not None:  # an injected model (tests, demos) has nothing to check
            return f"**Model in use:** `{getattr(state.llm, 'model', 'injected')}` (built in)"
        return models_markdown(models.list_models(ctx, check=check_it), checked=check_it)

    def check_model(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        progress(0.2, desc="Asking the model for a one-word reply")
        return _model_text(state.context(request), True)

    def run_suite(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        ctx = state.context(request)
        progress(0.1, desc="Scoring the recorded responses")
        record = runner.replay(ctx.settings, runner.RunOptions(progress=False))
        return report_markdown(ctx.settings, record)

    def refresh(request: gr.Request):
        ctx = state.context(request)
        runs = runner.list_runs(ctx.settings)
        last = ("No run yet: press **Run the recorded suite**." if not runs
                else report_markdown(ctx.settings, runner.load_run(ctx.settings, runs[0].id)))
        return _model_text(ctx, False), last

    msgs.on(check.click, check_model, None, model_info, action="check the model", **PRIVATE)
    msgs.on(run.click, run_suite, None, report, action="run the evaluation suite", **PRIVATE)
    outputs = [model_info, report]
    return Panel(tab=tab, refresh=msgs.wrap(refresh, len(outputs), "load the details"),
                 outputs=[*outputs, *msgs.lines], on_load=False)
