"""The people who decide as HTML: a grid placing each person by influence and relationship,
and the plan (next action per person, the gaps) with the guide section each rests on.

Plain HTML and inline styles, like `ui.charts`: no plotting library, readable on a phone.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from coach.domain.stakeholders import (
    Influence,
    PeoplePlan,
    PeopleStep,
    Person,
    Relationship,
    ordered,
)
from coach.domain.timing import Reason
from coach.ui.charts import AMBER, GREEN, RED

COLUMNS = [Relationship.NONE, Relationship.WEAK, Relationship.NEUTRAL, Relationship.STRONG]
ROWS = [Influence.HIGH, Influence.MEDIUM, Influence.LOW]
# Cell colours: a decider who barely knows the work is the risk; a strong relationship is safe.
_RISK, _WATCH, _SAFE, _PLAIN = "#fde8e8", "#fdf3df", "#e3f3e6", "#f3f4f6"


def _cell_color(influence: Influence, relationship: Relationship) -> str:
    if relationship is Relationship.STRONG:
        return _SAFE
    if relationship in (Relationship.NONE, Relationship.WEAK):
        return _RISK if influence is Influence.HIGH else _WATCH
    return _WATCH if influence is Influence.HIGH else _PLAIN


def _chip(p: Person) -> str:
    sponsor = (' <span style="font-weight:700;color:#1d4ed8">· sponsor</span>' if p.sponsor
               else "")
    border = "2px solid #1d4ed8" if p.sponsor else "1px solid #c9ced6"
    return (f'<span class="stk-chip" style="display:inline-block;margin:2px;padding:2px 5px;'
            f"border-radius:8px;background:#fff;color:#111827;border:{border};font-size:12px;line-height:1.3;"
            f'overflow-wrap:break-word;max-width:100%">#{p.id} {escape(p.name)}{sponsor}</span>')


def grid(people: list[Person]) -> str:
    """Rows: influence (high on top); columns: relationship (none to strong)."""
    if not people:
        return ('<div class="coach-empty">Nobody on your list yet: add your manager first, '
                "then their manager.</div>")
    head = '<div aria-hidden="true"></div>'  # the corner: the title says what the axes are
    head += "".join(f'<div style="font-weight:600;font-size:12px;padding:4px;text-align:center">'
                    f"{c.value}</div>" for c in COLUMNS)
    cells = []
    for row in ROWS:
        cells.append(f'<div style="font-weight:600;font-size:11px;padding:6px 2px">{row.value}'
                     "</div>")
        for col in COLUMNS:
            here = [p for p in people if p.influence is row and p.relationship is col]
            chips = "".join(_chip(p) for p in here)
            cells.append(f'<div class="stk-cell" data-influence="{row.value}" '
                         f'data-relationship="{col.value}" style="min-height:44px;padding:4px;'
                         f'border-radius:6px;background:{_cell_color(row, col)};color:#111827">'
                         f"{chips}</div>")
    return ('<div class="coach-chart"><div class="coach-chart-title">Where each person stands: '
            "influence on the decision (rows) and how well they know your work (columns)</div>"
            '<div style="display:grid;grid-template-columns:60px repeat(4,minmax(0,1fr));gap:4px;'
            'max-width:760px">'
            + head + "".join(cells) + "</div></div>")


def _cite(label: str) -> str:
    return f'<span class="coach-why">Guide: {escape(label)}</span>'


def plan_html(plan: PeoplePlan) -> str:
    """The gaps first (they concern the whole list), then one card per person, in order."""
    out = []
    if plan.gaps:
        items = "".join(f'<li style="margin:6px 0"><strong>{escape(g.text)}</strong><br>'
                        f"{_cite(g.cites.label())}</li>" for g in plan.gaps)
        out.append(f'<div class="coach-note" id="stk-gaps"><h4 style="margin:0 0 4px">Gaps</h4>'
                   f'<ul style="margin:0;padding-left:18px">{items}</ul></div>')
    cards = []
    for a in plan.actions:
        last = "no interaction logged" if a.days_since is None else \
            f"last interaction {a.days_since} day{'s' if a.days_since != 1 else ''} ago"
        facts = f"{a.influence.value} influence, {a.relationship.value} relationship, {last}"
        if a.sponsor:
            facts += ", sponsor"
        cards.append(f'<li data-person="{a.person}"><strong>#{a.person} {escape(a.name)}</strong>'
                     f' <span class="coach-why">({escape(facts)})</span><br>'
                     f"<strong>Next:</strong> {escape(a.action)}<br>"
                     f"<strong>Why:</strong> {escape(a.why)}<br>{_cite(a.cites.label())}</li>")
    if cards:
        out.append(f'<h4>Next action per person</h4><ul class="coach-cards">{"".join(cards)}</ul>')
    return "".join(out)


def effects_html(steps: list[PeopleStep], reasons: list[Reason]) -> str:
    """What the readiness plan and the timing check take from the list."""
    if not steps and not reasons:
        return ""
    items = [f"<li>Readiness plan, by {s.by.isoformat()}: {escape(s.action)} "
             f"{_cite(s.cites.label())}</li>" for s in steps]
    colors = {"good": GREEN, "wait": AMBER, "bad": RED}
    items += [f'<li>Timing (<span style="color:{colors[r.effect]};font-weight:600">'
              f"{r.effect}</span>): {escape(r.text)}</li>" for r in reasons]
    return ('<h4>In your readiness and timing</h4><ul class="coach-reasons">'
            + "".join(items) + "</ul>")


def people_table(people: list[Person], today: dt.date) -> str:
    """Who is on the list, most influence first, with their last interaction."""
    if not people:
        return ""
    rows = []
    for p in ordered(people, today):
        last = p.interactions[-1] if p.interactions else None
        seen = f"{last.date.isoformat()}: {escape(last.note)}" if last else "never"
        rows.append(f"<tr><td>#{p.id}</td><td>{escape(p.name)}</td><td>{escape(p.role)}</td>"
                    f"<td>{escape(p.cares_about)}</td><td>{seen}</td></tr>")
    return ('<div style="overflow-x:auto;max-width:100%"><table class="coach-parts" '
            'style="max-width:none"><thead><tr><th>Id</th>'
            "<th>Name</th><th>Role</th><th>Cares about</th><th>Last interaction</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")

