"""The written case: deterministic structure, flags, timeline, the command, versions, exports."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document

from coach.domain.evidence import EntryDraft
from coach.domain.proposal import SECTION_TITLES, ask_timeline, build_proposal, strongest
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from tests.scenarios.helpers import TODAY, cli_fail, cli_json, entry, profile, proposal_reply

ENTRIES = [
    entry(1, "Migrated the checkout service", metric="cut p95 latency 40%",
          date=dt.date(2024, 9, 1)),
    entry(2, "Mentored two new engineers", kind="mentoring", metric="both shipped in 3 weeks",
          next_level=True, date=dt.date(2024, 11, 1)),
    entry(3, "Presented the architecture at the all-hands", kind="executive-communication",
          next_level=True, date=dt.date(2025, 3, 1)),
    entry(4, "Fixed flaky tests", date=dt.date(2025, 2, 1)),
]


def build(p=None, entries=ENTRIES, today=TODAY):
    p = p or profile(months=14, review_month=6)
    return build_proposal(p, entries, assess_readiness(p, entries, today=today),
                          assess_timing(p, entries, today=today), today)


def test_four_sections_in_order_with_every_entry_named_once_and_no_entry_numbers():
    d = build()
    assert [s.title for s in d.sections] == list(SECTION_TITLES)
    md = d.markdown()
    for e in ENTRIES:
        assert md.count(f"**{e.title}**") == 1
        if e.metric:
            assert e.metric in md
    assert "[#" not in md and "#2" not in md  # the manager reads it: no internal numbers
    # ...but each claim still knows its entries, for the view that links them.
    claims = {c.text: c.entries for c in d.claims()}
    assert claims["**Mentored two new engineers**: both shipped in 3 weeks (shows mentoring "
                  "others)"] == [2]
    assert [1] in claims.values()


def test_next_level_entries_go_to_section_two_with_what_they_show():
    s2 = build().sections[1].body()
    assert "**Mentored two new engineers**: both shipped in 3 weeks (shows mentoring others)" in s2
    assert "Fixed flaky tests" not in s2


@pytest.mark.parametrize("entries, kinds", [
    (ENTRIES, {"no-metric", "no-evidence"}),
    ([], {"empty-log", "no-evidence"}),
    ([entry(1, "Shipped search", metric="3x faster")], {"no-next-level", "no-evidence"}),
])
def test_weak_spots_are_flagged(entries, kinds):
    d = build(entries=entries)
    assert {f.kind for f in d.flags} == kinds


def test_flags_appear_inline_where_they_apply():
    md = build().markdown()
    assert ("- **Fixed flaky tests**\n  > ⚠ No metric: add the measured result for "
            "\u201cFixed flaky tests\u201d") in md
    assert "> ⚠ No metric: add the measured result for \u201cPresented the architecture" in md


def test_gap_claims_are_flagged():
    d = build(entries=[ENTRIES[1]])
    texts = [f.text for f in d.flags if f.kind == "no-evidence"]
    assert texts == ["No entry shows technical depth yet: log an example before claiming it.",
                     "No entry shows some project coordination yet: log an example before "
                     "claiming it."]


def test_plan_section_has_responsibilities_and_90_day_goals():
    body = build().sections[2].body()
    assert "First 30 days:" in body and "By day 60:" in body and "By day 90:" in body
    assert "Mentoring others:" in body
    assert ("How I will add value: build on results I have already delivered, such as "
            "\u201cMentored two new engineers\u201d (both shipped in 3 weeks)") in body
    assert "[#" not in body


@pytest.mark.parametrize("months, signals, review_month, timeline, estimate", [
    (14, (), 6, "at the June 2025 review cycle", False),
    (14, (), 3, "at the March 2026 review cycle", False),       # this year's passed
    (8, (), 6, "at the June 2026 review cycle", False),         # 12 months first: next year
    (14, (), None, "by July 2025", True),                       # no cycle: an estimate
    (8, (), None, "by August 2025", True),                      # reaches 12 months in August
    (14, ("layoffs",), None, "by July 2025", True),
])
def test_ask_timeline(months, signals, review_month, timeline, estimate):
    p = profile(months=months, signals=signals, review_month=review_month)
    t = assess_timing(p, ENTRIES, today=TODAY)
    text, _, is_estimate = ask_timeline(p, t, TODAY)
    assert (text, is_estimate) == (timeline, estimate)


def test_the_ask_is_one_statement_with_the_exact_title_and_timeline():
    d = build()
    ask = d.sections[3].body()
    assert ask == ("Based on this record, I am asking to be promoted to **Tech Lead**, at the "
                   "June 2025 review cycle.")
    assert d.markdown().lower().count("promoted to") == 1
    assert d.ask.target_title == "Tech Lead" and d.ask.date == dt.date(2025, 6, 1)


def test_missing_review_month_flags_the_timeline():
    d = build(p=profile(months=14))
    assert any(f.kind == "no-timeline" and f.section == 4 for f in d.flags)


def test_strongest_prefers_quantified_then_next_level_then_recent():
    assert [e.id for e in strongest(ENTRIES, 3)] == [2, 1, 3]


# -- the service and the command ------------------------------------------------------------


def seeded(ctx, p=None, entries=ENTRIES):
    p = p or profile(months=14, review_month=6)
    ctx.store.save_profile(p)
    ctx.store.add_entries([EntryDraft(**e.model_dump(exclude={"id"})) for e in entries])
    return p


def test_cli_proposal_json(ctx, monkeypatch, capsys):
    p = seeded(ctx)
    ctx.llm.enqueue(proposal_reply(p, done_work="mentored two new engineers"))
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--today", "2025-04-14")
    assert [s["title"] for s in data["sections"]] == list(SECTION_TITLES)
    assert data["ask"] == {"target_title": "Tech Lead",
                           "timeline": "at the June 2025 review cycle", "date": "2025-06-01"}
    assert data["notice"] is None and data["source"] == "model"
    assert data["version"] == 1 and data["markdown"].startswith("# Priya Shah")
    assert "I mentored two new engineers." in data["sections"][1]["body"]
    assert "[#" not in data["markdown"]
    assert {"section": 2, "entries": [2], "text": "**Mentored two new engineers**: both shipped "
            "in 3 weeks (shows mentoring others)"} in data["claims"]
    assert {f["kind"] for f in data["flags"]} == {"no-metric", "no-evidence"}
    call = ctx.llm.history[0]
    assert call.prompt.name == "proposal"
    prompt = call.messages[1]["content"]
    assert ("Work I have done that is already at the next level:\n- Mentored two new engineers: "
            "both shipped in 3 weeks") in prompt
    assert "[#" not in prompt and "intro_4" not in prompt  # no numbers; the ask is not its job
    assert "What the Tech Lead role expects (plans, not done yet):\n- " in prompt
    assert "2025-04-14" not in call.messages[1]["content"]  # the date is not in the prompt


def test_versions_history_and_show(ctx, monkeypatch, capsys):
    seeded(ctx)
    cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--today", "2025-04-14")
    second = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--today", "2025-04-15")
    assert second["version"] == 2 and second["source"] == "draft"
    history = cli_json(monkeypatch, capsys, ctx, "proposal", "history")
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["target_title"] == "Tech Lead"
    shown = cli_json(monkeypatch, capsys, ctx, "proposal", "show", "1")
    assert shown["version"] == 1 and "_Prepared 2025-04-14._" in shown["markdown"]
    latest = cli_json(monkeypatch, capsys, ctx, "proposal", "show")
    assert latest["version"] == 2
    assert "no proposal version 7" in cli_fail(monkeypatch, capsys, ctx, "proposal", "show", "7")
    assert ctx.llm.history == []  # --no-model never calls the model


def test_export_markdown_and_docx(ctx, monkeypatch, capsys, tmp_path):
    seeded(ctx)
    md_path = tmp_path / "case.md"
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--out", str(md_path))
    assert data["files"] == [str(md_path)]
    assert md_path.read_text(encoding="utf-8") == data["markdown"]

    docx_path = tmp_path / "case.docx"
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--out", str(docx_path))
    doc = Document(str(docx_path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings == [f"{i}. {t}" for i, t in enumerate(SECTION_TITLES, start=1)]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "cut p95 latency 40%" in text and "⚠ No metric" in text
    assert any(r.bold and r.text == "Tech Lead" for p in doc.paragraphs for r in p.runs)


def test_docx_without_out_goes_to_the_exports_folder(ctx, monkeypatch, capsys):
    seeded(ctx)
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--format", "docx")
    assert data["files"] == [str(ctx.settings.exports_dir / "proposal-v1.docx")]


def test_empty_log_still_drafts_and_flags_it(ctx, monkeypatch, capsys):
    seeded(ctx, entries=[])
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--today", "2025-04-14")
    assert "empty-log" in {f["kind"] for f in data["flags"]}
    assert len(data["sections"]) == 4


def test_proposal_without_profile_is_a_clear_error(ctx, monkeypatch, capsys):
    err = cli_fail(monkeypatch, capsys, ctx, "proposal")
    assert "no profile yet" in err and "coach profile set" in err


def test_text_output_shows_notice_and_version(ctx, monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    seeded(ctx)
    ctx.llm.enqueue("nope", "nope")
    monkeypatch.setattr(Context, "open", classmethod(lambda cls, *a, **k: ctx))
    assert main(["proposal", "--today", "2025-04-14"]) == 0
    out = capsys.readouterr().out
    assert "## 4. The ask" in out and "Note: The model's draft" in out
    assert "Saved as version 1." in out
