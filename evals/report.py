"""Reports for a run, written into its folder: Markdown for reading in a terminal or a PR,
a self-contained HTML page (inline CSS and an inline SVG chart, nothing fetched), and
JSON for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from coach.domain.errors import CoachError
from coach.evals.gate import GateResult, Thresholds, check_gate, listing, load_thresholds
from coach.evals.results import Agreement, CheckStats, RubricStats, RunRecord


@dataclass
class ReportPaths:
    markdown: Path
    html: Path
    json: Path


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _kappa(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _thresholds() -> Thresholds | None:
    try:
        return load_thresholds()
    except CoachError:  # the report must not depend on the gate file being there
        return None


def write_reports(record: RunRecord, folder: Path, thresholds: Thresholds | None = None) -> ReportPaths:
    """Markdown, HTML and JSON reports of `record` into `folder` (thresholds: the repo's by default)."""
    thresholds = thresholds or _thresholds()
    gate = check_gate(record, thresholds) if thresholds else None
    paths = ReportPaths(folder / "report.md", folder / "report.html", folder / "report.json")
    paths.markdown.write_text(markdown(record, thresholds, gate), encoding="utf-8")
    paths.html.write_text(html(record, thresholds, gate), encoding="utf-8")
    data = {**record.headline(), "gate": gate.model_dump() if gate else None,
            "summary": record.summary.model_dump(mode="json")}
    paths.json.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return paths


# -- Markdown ------------------------------------------------------------------------------
def _md_cell(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat[:limit] + ("…" if len(flat) > limit else "")


def markdown(record: RunRecord, limits: Thresholds | None = None, gate: GateResult | None = None) -> str:
    thresholds = limits.rubrics if limits else {}
    s = record.summary
    out = [f"# Eval report: {record.id}", "",
           f"- mode: {record.mode}" + (f" (outputs of {record.source_run})" if record.source_run else ""),
           f"- created: {record.created_at.isoformat()}  duration: {record.duration_s:.1f} s",
           f"- cases: {s.cases} ({s.scored_cases} scored)" + (f"; missing: {listing(s.missing)}"
                                                              if s.missing else ""),
           f"- models: {', '.join(record.models) or '–'}; judge: {', '.join(record.judge_models) or '–'}",
           f"- prompts: {', '.join(f'{k}@{v}' for k, v in record.prompts.items()) or '–'}"]
    if s.agreement:
        a = s.agreement
        judge_yes = (a.both_yes + a.det_no_judge_yes) / a.n if a.n else None
        out.append(f"- judge agreement with deterministic checks: {_pct(a.percent)} "
                   f"(kappa {_kappa(a.kappa)}, n={a.n}; the judge said yes to {_pct(judge_yes)})")
    if gate:
        out.append("- " + gate.text().replace("\n", "\n  "))
    out += ["", "Pass rate = yes / (yes + no); n/a and unscored are left out. Fell back = outputs "
            "where the app showed its own draft instead of the model's.", "",
            "| rubric | cases | pass rate | deterministic | judge | threshold | all-yes cases | fell back |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in s.rubrics:
        out.append(f"| {r.name} | {r.cases} | {_pct(r.pass_rate)} | {_pct(r.deterministic_pass_rate)} | "
                   f"{_pct(r.judge_pass_rate)} | {_pct(thresholds.get(r.name))} | {r.cases_all_yes} | "
                   f"{r.fallbacks} |")
    for r in s.rubrics:
        out += ["", f"## {r.title} (`{r.name}` v{r.version})", "",
                "| check | source | pass rate | yes | no | n/a | unscored | n |",
                "|---|---|---:|---:|---:|---:|---:|---:|"]
        for c in r.checks:
            out.append(f"| {c.check} | {c.source} | {_pct(c.pass_rate)} | {c.yes} | {c.no} | {c.na} | "
                       f"{c.unscored} | {c.n} |")
        failing = [c for c in r.checks if c.failures or c.unscored_reasons]
        if failing:
            out += ["", "Failures:", ""]
            for c in failing:
                for f in c.failures:
                    out.append(f"- **{c.check}** ({c.source}) `{f.case_id}`: {_md_cell(f.explanation, 140)}"
                               + (f" — “{_md_cell(f.answer)}”" if f.answer else ""))
                for reason in c.unscored_reasons:
                    out.append(f"- **{c.check}** ({c.source}) unscored: {_md_cell(reason)}")
        if r.agreement:
            out += ["", "| judge vs deterministic | n | agree | kappa | disagreeing cases |",
                    "|---|---:|---:|---:|---|"]
            for a in r.agreement:
                out.append(f"| {a.check} | {a.n} | {_pct(a.percent)} | {_kappa(a.kappa)} | "
                           f"{', '.join(a.disagreements[:6]) or '–'} |")
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------------
CSS = """
:root { --ink:#1d2433; --muted:#5b6478; --line:#e3e7ef; --bg:#f6f7fb; --card:#fff;
        --good:#2f855a; --warn:#b7791f; --bad:#c53030; --accent:#3b5bdb; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1180px; margin:0 auto; padding:28px 32px 48px; }
h1 { font-size:26px; margin:0 0 4px; }
h2 { font-size:19px; margin:0 0 2px; }
.sub { color:var(--muted); margin:0 0 18px; }
.meta { display:flex; flex-wrap:wrap; gap:6px 8px; margin:0 0 20px; padding:0; list-style:none; }
.meta li { background:var(--card); border:1px solid var(--line); border-radius:999px; padding:2px 12px;
           font-size:13px; color:var(--muted); }
.meta b { color:var(--ink); font-weight:600; }
.cards { display:grid; grid-template-columns:repeat(4,1fr); gap:14px; margin-bottom:20px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.card .k { color:var(--muted); font-size:13px; }
.card .v { font-size:28px; font-weight:650; }
section { background:var(--card); border:1px solid var(--line); border-radius:10px;
          padding:18px 20px; margin-bottom:18px; }
table { width:100%; border-collapse:collapse; font-size:14px; margin-top:10px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; font-size:12.5px; text-transform:uppercase; letter-spacing:.03em; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.q { color:var(--muted); font-size:13px; }
.src { font-size:11.5px; border-radius:4px; padding:1px 6px; white-space:nowrap; }
.src.deterministic { background:#e7f0ff; color:#234; }
.src.judge { background:#f3e8ff; color:#4a2a6a; }
.rate { display:inline-flex; align-items:center; gap:8px; }
.mini { width:70px; height:8px; background:#edf0f5; border-radius:4px; overflow:hidden;
        display:inline-block; }
.mini i { display:block; height:100%; }
.good { color:var(--good); } .warn { color:var(--warn); } .bad { color:var(--bad); }
.fails { margin:12px 0 0; padding:0; list-style:none; }
.fails li { border-left:3px solid var(--bad); background:#fff7f7; padding:8px 12px; margin:8px 0;
            border-radius:0 6px 6px 0; }
.fails li.unscored { border-left-color:var(--warn); background:#fffbeb; }
.fails .case { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px;
               color:var(--muted); }
.fails q { display:block; margin-top:4px; color:#444; font-style:italic; quotes:"“" "”"; }
.head { display:flex; justify-content:space-between; align-items:baseline; gap:12px; }
.badge { font-size:14px; font-weight:650; }
.note { color:var(--muted); font-size:13px; }
svg text { font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif; }
"""


def _tone(rate: float | None, threshold: float | None = None) -> str:
    if rate is None:
        return "warn"
    if threshold is not None and rate + 1e-9 < threshold:
        return "bad"
    return "good" if rate >= 0.8 else "warn" if rate >= 0.5 else "bad"


_COLORS = {"good": "#38a169", "warn": "#d69e2e", "bad": "#e53e3e"}


def chart(rubrics: list[RubricStats], thresholds: dict[str, float]) -> str:
    """A horizontal bar chart of pass rates per rubric, as inline SVG (threshold ticks in black)."""
    row, label_w, bar_w, top = 34, 150, 760, 28
    height = top + row * len(rubrics) + 30
    width = label_w + bar_w + 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Pass rate per rubric">']
    for pct in (0, 25, 50, 75, 100):
        x = label_w + bar_w * pct / 100
        parts.append(f'<line x1="{x}" y1="{top - 8}" x2="{x}" y2="{height - 24}" stroke="#e3e7ef"/>'
                     f'<text x="{x}" y="{height - 8}" font-size="12" fill="#5b6478" '
                     f'text-anchor="middle">{pct}%</text>')
    for i, r in enumerate(rubrics):
        y = top + i * row
        rate = r.pass_rate or 0.0
        threshold = thresholds.get(r.name)
        color = _COLORS[_tone(r.pass_rate, threshold)]
        parts.append(f'<text x="{label_w - 10}" y="{y + 17}" font-size="14" fill="#1d2433" '
                     f'text-anchor="end">{escape(r.name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="20" rx="4" fill="#edf0f5"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * rate:.1f}" height="20" rx="4" '
                     f'fill="{color}"><title>{escape(r.name)}: {_pct(r.pass_rate)}</title></rect>')
        if threshold is not None:
            tx = label_w + bar_w * threshold
            parts.append(f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + 26}" stroke="#1d2433" '
                         f'stroke-width="2"><title>threshold {_pct(threshold)}</title></line>')
        parts.append(f'<text x="{label_w + bar_w + 10}" y="{y + 18}" font-size="14" font-weight="600" '
                     f'fill="#1d2433">{_pct(r.pass_rate)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _rate_cell(rate: float | None, threshold: float | None = None) -> str:
    tone = _tone(rate, threshold)
    width = 0 if rate is None else round(rate * 100)
    return (f'<span class="rate"><span class="mini"><i style="width:{width}%;background:{_COLORS[tone]}">'
            f'</i></span><b class="{tone}">{_pct(rate)}</b></span>')


def _check_rows(checks: list[CheckStats]) -> str:
    rows = []
    for c in checks:
        rows.append(
            f"<tr><td><b>{escape(c.check)}</b><div class='q'>{escape(c.question)}</div></td>"
            f"<td><span class='src {c.source}'>{c.source}</span></td>"
            f"<td class='num'>{_rate_cell(c.pass_rate)}</td><td class='num'>{c.yes}</td>"
            f"<td class='num'>{c.no}</td><td class='num'>{c.na}</td><td class='num'>{c.unscored}</td>"
            f"<td class='num'>{c.n}</td></tr>")
    return "".join(rows)


def _failures(checks: list[CheckStats]) -> str:
    items = []
    for c in checks:
        for f in c.failures:
            quote = f"<q>{escape(f.answer[:320])}</q>" if f.answer else ""
            items.append(f"<li><span class='case'>{escape(f.case_id)} · {escape(c.check)} "
                         f"({c.source})</span><div>{escape(f.explanation)}</div>{quote}</li>")
        for reason in c.unscored_reasons:
            items.append(f"<li class='unscored'><span class='case'>{escape(c.check)} ({c.source}) "
                         f"unscored</span><div>{escape(reason)}</div></li>")
    if not items:
        return "<p class='note'>No failures.</p>"
    return f"<h3 class='note'>Examples of failures</h3><ul class='fails'>{''.join(items)}</ul>"


def _agreement_rows(agreements: list[Agreement]) -> str:
    return "".join(
        f"<tr><td>{escape(a.check)}</td><td class='num'>{a.n}</td><td class='num'>{_pct(a.percent)}</td>"
        f"<td class='num'>{_kappa(a.kappa)}</td><td class='num'>{a.both_yes}</td>"
        f"<td class='num'>{a.both_no}</td><td class='num'>{a.det_yes_judge_no}</td>"
        f"<td class='num'>{a.det_no_judge_yes}</td>"
        f"<td class='q'>{escape(', '.join(a.disagreements[:5]) or '–')}</td></tr>"
        for a in agreements)


def html(record: RunRecord, limits: Thresholds | None = None, gate: GateResult | None = None) -> str:
    thresholds = limits.rubrics if limits else {}
    s = record.summary
    scored = [r.pass_rate for r in s.rubrics if r.pass_rate is not None]
    overall = sum(scored) / len(scored) if scored else None
    agree = s.agreement
    meta = [("mode", record.mode + (f" of {record.source_run}" if record.source_run else "")),
            ("created", record.created_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("duration", f"{record.duration_s:.1f} s"),
            ("model", ", ".join(record.models) or "–"), ("judge", ", ".join(record.judge_models) or "–")]
    meta += [(name, f"v{version}") for name, version in record.prompts.items()]
    rubric_rows = "".join(
        f"<tr><td><a href='#{escape(r.name)}'>{escape(r.title)}</a></td><td class='num'>{r.cases}</td>"
        f"<td class='num'>{_rate_cell(r.pass_rate, thresholds.get(r.name))}</td>"
        f"<td class='num'>{_pct(r.deterministic_pass_rate)}</td>"
        f"<td class='num'>{_pct(r.judge_pass_rate)}</td>"
        f"<td class='num'>{_pct(thresholds.get(r.name))}</td>"
        f"<td class='num'>{r.cases_all_yes}/{r.cases}</td><td class='num'>{r.fallbacks}</td></tr>"
        for r in s.rubrics)
    sections = []
    for r in s.rubrics:
        agreement = ""
        if r.agreement:
            agreement = ("<h3 class='note'>Judge vs deterministic check</h3><table><tr><th>check</th>"
                         "<th class='num'>n</th><th class='num'>agree</th><th class='num'>kappa</th>"
                         "<th class='num'>both yes</th><th class='num'>both no</th>"
                         "<th class='num'>det yes / judge no</th><th class='num'>det no / judge yes</th>"
                         f"<th>disagreeing cases</th></tr>{_agreement_rows(r.agreement)}</table>")
        sections.append(
            f"<section id='{escape(r.name)}'><div class='head'><h2>{escape(r.title)}</h2>"
            f"<span class='badge {_tone(r.pass_rate, thresholds.get(r.name))}'>{_pct(r.pass_rate)}</span>"
            "</div>"
            f"<p class='sub'>rubric <code>{escape(r.name)}</code> v{escape(r.version)} · {r.cases} cases · "
            f"{r.cases_all_yes} with no failed check</p>"
            "<table><tr><th>check</th><th>source</th><th class='num'>pass rate</th><th class='num'>yes</th>"
            "<th class='num'>no</th><th class='num'>n/a</th><th class='num'>unscored</th>"
            f"<th class='num'>n</th></tr>{_check_rows(r.checks)}</table>{_failures(r.checks)}{agreement}"
            "</section>")
    agree_text = "–" if agree is None else _pct(agree.percent)
    kappa_text = "" if agree is None or not agree.n else (
        f"κ {_kappa(agree.kappa)} · n={agree.n} · judge said yes to "
        f"{_pct((agree.both_yes + agree.det_no_judge_yes) / agree.n)}")
    if gate is None:
        gate_word, gate_tone, gate_text = "–", "warn", "no thresholds file"
    elif gate.passed:
        gate_word, gate_tone, gate_text = "PASS", "good", "every rubric at or above its threshold"
    else:
        gate_word, gate_tone = "FAIL", "bad"
        more = len(gate.failures) - 1
        gate_text = gate.failures[0] + (f" (+{more} more)" if more else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eval report · {escape(record.id)}</title><style>{CSS}</style></head>
<body><main>
<h1>Eval report</h1>
<p class="sub">Run <code>{escape(record.id)}</code>: every kind of coach output scored against the
guidance's steps. Pass rate = yes / (yes + no); “n/a” and “unscored” are left out.</p>
<ul class="meta">{''.join(f'<li>{escape(k)} <b>{escape(v)}</b></li>' for k, v in meta)}</ul>
<div class="cards">
 <div class="card"><div class="k">Cases scored</div><div class="v">{s.scored_cases}<span class="note">
  / {s.cases}</span></div></div>
 <div class="card"><div class="k">Mean rubric pass rate</div>
  <div class="v {_tone(overall)}">{_pct(overall)}</div></div>
 <div class="card"><div class="k">Judge agrees with checks</div><div class="v">{agree_text}</div>
  <div class="note">{kappa_text}</div></div>
 <div class="card"><div class="k">Gate</div><div class="v {gate_tone}">
  {gate_word}</div><div class="note">{escape(gate_text)}</div></div>
</div>
<section><div class="head"><h2>Pass rate per rubric</h2>
<span class="note">black tick = CI threshold</span></div>
{chart(s.rubrics, thresholds)}
<table><tr><th>rubric</th><th class="num">cases</th><th class="num">pass rate</th>
<th class="num">deterministic</th><th class="num">judge</th><th class="num">threshold</th>
<th class="num">all-yes cases</th><th class="num">fell back</th></tr>{rubric_rows}</table>
<p class="note">Fell back: outputs where the model's text failed the app's own guard, so the user saw
the deterministic draft (for role-play: at least one prepared line).</p></section>
{''.join(sections)}
<p class="note">Cases without an output: {escape(listing(s.missing, 50) or 'none')}.</p>
</main></body></html>
"""
