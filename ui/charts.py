"""Small self-contained charts and badges as HTML/SVG: no plotting library, renders offline."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

GREEN, AMBER, RED, GREY, BLUE = "#1a7f37", "#b7791f", "#c62828", "#8a8f98", "#2563eb"


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value, its colour and a note shown at the end of the bar."""

    label: str
    value: float
    color: str = BLUE
    note: str = ""


def hbar_chart(bars: list[Bar], *, max_value: float | None = None, title: str = "",
               empty: str = "Nothing to show yet.") -> str:
    """A horizontal bar chart: one row per bar, label on the left, note after the bar."""
    if not bars:
        return f'<div class="coach-empty">{escape(empty)}</div>'
    top = max_value or max((b.value for b in bars), default=1) or 1
    label_w, bar_w, row_h, note_w = 250, 300, 30, 190
    width = label_w + bar_w + note_w
    height = row_h * len(bars) + 10
    rows = []
    for i, bar in enumerate(bars):
        y = i * row_h + 5
        w = max(bar.value / top * bar_w, 3 if bar.value else 0)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" class="lbl">'
            f"{escape(_clip(bar.label, 34))}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 10}" rx="4" '
            f'fill="#eef0f3"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" rx="4" '
            f'fill="{bar.color}"><title>{escape(bar.label)}: {escape(bar.note)}</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 19}" class="note" fill="{bar.color}">'
            f"{escape(bar.note)}</text>")
    caption = f'<div class="coach-chart-title">{escape(title)}</div>' if title else ""
    return (f'<div class="coach-chart">{caption}<svg role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">'
            '<style>.lbl{font:13px sans-serif;fill:currentColor}'
            '.note{font:600 12px sans-serif}</style>'
            + "".join(rows) + "</svg></div>")


def vbar_chart(bars: list[Bar], *, max_value: float = 100, title: str = "",
               empty: str = "Nothing to show yet.") -> str:
    """A vertical bar chart (e.g. scores across sessions), oldest on the left."""
    if not bars:
        return f'<div class="coach-empty">{escape(empty)}</div>'
    col_w, plot_h, top_pad, bottom = 64, 160, 22, 40
    width = max(col_w * len(bars) + 40, 240)
    height = plot_h + top_pad + bottom
    parts = [f'<line x1="30" y1="{top_pad + plot_h}" x2="{width}" y2="{top_pad + plot_h}" '
             'stroke="#c9ced6"/>']
    for i, bar in enumerate(bars):
        x = 40 + i * col_w
        h = max(bar.value / (max_value or 1) * plot_h, 2)
        y = top_pad + plot_h - h
        parts.append(
            f'<rect x="{x}" y="{y:.1f}" width="{col_w - 18}" height="{h:.1f}" rx="4" '
            f'fill="{bar.color}"><title>{escape(bar.label)}: {escape(bar.note)}</title></rect>'
            f'<text x="{x + (col_w - 18) / 2}" y="{y - 6:.1f}" text-anchor="middle" '
            f'class="note">{escape(bar.note)}</text>'
            f'<text x="{x + (col_w - 18) / 2}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
            f'class="lbl">{escape(_clip(bar.label, 9))}</text>')
    caption = f'<div class="coach-chart-title">{escape(title)}</div>' if title else ""
    return (f'<div class="coach-chart">{caption}<svg role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">'
            '<style>.lbl{font:12px sans-serif;fill:currentColor}'
            '.note{font:600 12px sans-serif;fill:currentColor}</style>'
            + "".join(parts) + "</svg></div>")


def badge(text: str, color: str, *, detail: str = "") -> str:
    """A coloured pill with an optional line of detail next to it."""
    extra = f'<span class="coach-badge-detail">{escape(detail)}</span>' if detail else ""
    return (f'<div class="coach-badge-row"><span class="coach-badge" style="background:{color}">'
            f"{escape(text)}</span>{extra}</div>")


def score_color(score: float) -> str:
    """Green from 70%, amber from 40%, red below (score is 0..1)."""
    return GREEN if score >= 0.7 else AMBER if score >= 0.4 else RED


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


CSS = """
.coach-badge{display:inline-block;color:#fff;font-weight:700;padding:6px 14px;border-radius:999px;
  font-size:15px;letter-spacing:.02em;white-space:nowrap}
.coach-badge-row{display:flex;align-items:center;gap:12px;margin:6px 0 10px}
.coach-badge-detail{font-size:15px}
.coach-chart-title{font-weight:600;margin:4px 0 6px}
.coach-empty{color:#6b7280;font-style:italic;padding:8px 0}
.coach-steps li{margin:4px 0}
.coach-done{color:#1a7f37;font-weight:700}
"""
