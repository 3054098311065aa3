"""A weekly note harvested by the embedded model, replayed from its recorded reply: whatever
the model wrote, every figure in the inbox is on the note's line it came from.

Record with `COACH_RECORD=1 .venv/bin/pytest tests/test_harvest_recorded.py
--record-mode=all` (it starts the embedded model); without the cassette the test skips.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.harvest.note import note_lines
from coach.domain.text import numbers_in
from coach.services import harvest
from tests.scenarios.helpers import cassette_path

TODAY = dt.date(2026, 3, 9)
NOTE = """Week of 2026-03-02:
- Shipped the invoice export to all 40 enterprise customers; support tickets about invoices fell 35%
- Paired with Ana twice on the payments retry code
- Wrote the on-call handbook and ran the first drill with 6 engineers
- Cut the nightly build from 52 min to 19 min by caching the test images
- Lunch-and-learn on feature flags
"""


@pytest.mark.vcr
def test_a_note_harvested_by_the_embedded_model_keeps_every_figure_on_its_line(
        ctx, recorded, request):
    if not recorded.recording and not cassette_path(request).exists():
        pytest.skip("no cassette: record it with COACH_RECORD=1 (see the module docstring)")
    ctx.llm_override = recorded.llm(ctx.log_call, timeout=600.0)
    result = harvest.harvest_note(ctx, NOTE, name="week-10.md", today=TODAY)

    lines = {f"week-10.md:{ln.number}": ln.text for ln in note_lines(NOTE, TODAY)}
    assert result.added, result.notice
    for item in result.added:
        assert item.link in lines and item.evidence == lines[item.link]
        assert numbers_in(item.metric) <= numbers_in(item.evidence), item
        assert (item.metric == "") == (item.nudge != "")
        assert item.date == dt.date(2026, 3, 2)
    assert (result.drafted_by == "model") == (result.notice is None)
    assert ctx.store.count_entries() == 0
    if not recorded.recording:  # what the recorded reply holds: one entry per line of work
        assert result.drafted_by == "model"
        assert [i.link for i in result.added] == list(lines)
        assert result.added[0].metric == "support tickets fell 35%"
        # a metric the model left empty is taken from the line itself, figures and all
        assert result.added[3].metric.startswith("Cut the nightly build from 52 min to 19 min")
    calls = ctx.store.calls()
    assert calls and all(c.prompt_name == "harvest_note" for c in calls)
