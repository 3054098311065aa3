"""The talk track: six steps with the user's own facts, model polish under the guard, CLI."""

from __future__ import annotations

import json

import pytest

from coach.domain.evidence import EntryDraft
from coach.domain.script import STEPS, build_script, validate_script
from tests.scenarios.helpers import TODAY, cli_json, entry, profile

P = profile(months=14, review_month=6)
ENTRIES = [
    entry(1, "Migrated the checkout service", metric="cut p95 latency 40%"),
    entry(2, "Mentored two new engineers", kind="mentoring", metric="both shipped in 3 weeks",
          next_level=True),
    entry(3, "Found the root cause of batch failures", metric="failed runs from 6 to 0"),
    entry(4, "Led the reorder launch", kind="leadership", metric="12% adoption", next_level=True),
    entry(5, "Fixed flaky tests"),
]
TIMELINE = "at the June 2025 review cycle"


def script():
    return build_script(P, ENTRIES, TIMELINE)


def texts():
    return {line.step: line.text for line in script().lines}


def test_six_steps_in_order_with_the_users_facts():
    s = script()
    assert [ln.step for ln in s.lines] == [step for step, _ in STEPS]
    by = texts()
    assert "Thank you" in by["appreciation"] and "Dana" in by["appreciation"]
    assert "Tech Lead" in by["goal"]
    assert "?" in by["feedback"]
    assert "June 2025 review cycle" in by["timeline"]
    assert by["close"].startswith("Thank you") and "email" in by["close"]


def test_case_uses_the_three_strongest_quantified_entries():
    s = script()
    assert s.case_entries == [4, 2, 3]
    case = texts()["case"]
    for e in (ENTRIES[3], ENTRIES[1], ENTRIES[2]):
        assert e.metric in case and e.title in case
    assert "Fixed flaky tests" not in case and "[#" not in case  # spoken: no entry numbers
    assert s.lines[2].cites == [4, 2, 3]  # the view can still link them


def test_case_without_metrics_says_so():
    s = build_script(P, [entry(1, "Fixed flaky tests")], TIMELINE)
    assert s.case_entries == [] and "still gathering measured results" in s.lines[2].text


def test_deterministic_lines_pass_their_own_guard():
    assert validate_script(texts(), script(), P, ENTRIES) == []


@pytest.mark.parametrize("step, change, code", [
    ("goal", "I want a bigger role.", "wrong-title"),
    ("case", "I did a lot of good work.", "missing-metric"),
    ("case", "Led the reorder launch: 12% adoption [#4]; both shipped in 3 weeks; failed runs "
             "from 6 to 0.", "internal-id"),
    ("case", "Next I will lead the reorder launch for 12% adoption; both shipped in 3 weeks; "
             "failed runs from 6 to 0.", "tense"),
    ("case", "I grew revenue 25% and both shipped in 3 weeks [#2], 12% adoption [#4], failed runs "
             "from 6 to 0 [#3].", "invented-number"),
    ("timeline", "Whenever suits you.", "no-timeline"),
    ("feedback", "Tell me the gaps.", "missing-element"),
    ("close", "Bye for now.", "missing-element"),
    ("appreciation", "Congratulations on your promotion!", "wrong-voice"),
    ("close", "", "structure"),
])
def test_guard_on_polished_lines(step, change, code):
    t = texts()
    t[step] = change
    assert code in {p.code for p in validate_script(t, script(), P, ENTRIES)}


def seeded(ctx):
    ctx.store.save_profile(P)
    ctx.store.add_entries([EntryDraft(**e.model_dump(exclude={"id"})) for e in ENTRIES])


def test_cli_script_json_with_model_polish(ctx, monkeypatch, capsys):
    seeded(ctx)
    polished = texts()
    polished["appreciation"] = "Thanks for the time today, Dana. Your support has meant a lot."
    ctx.llm.enqueue(json.dumps(polished))
    data = cli_json(monkeypatch, capsys, ctx, "script", "--today", "2025-04-14")
    assert data["source"] == "model" and data["notice"] is None
    assert data["lines"][0]["text"].startswith("Thanks for the time today")
    assert data["timeline"] == TIMELINE and data["target_title"] == "Tech Lead"
    assert ctx.store.latest_artifact("script", "talk-track").version == data["version"] == 1


def test_cli_script_falls_back_after_two_bad_replies(ctx, monkeypatch, capsys):
    seeded(ctx)
    bad = texts()
    bad["case"] = "I did great things."
    ctx.llm.enqueue(json.dumps(bad), json.dumps(bad))
    data = cli_json(monkeypatch, capsys, ctx, "script", "--today", "2025-04-14")
    assert data["source"] == "draft"
    assert data["notice"] == ("The model's talk track dropped a measured result; showing the "
                              "track built from your log instead.")
    assert "12% adoption" in data["text"]


def test_the_service_hands_over_the_draft_first_and_stops_on_cancel(ctx):
    import threading

    from coach.services.script import talk_script

    ctx.store.save_profile(P)
    ctx.store.add_entries([EntryDraft(**e.model_dump(exclude={"id"})) for e in ENTRIES])
    seen, cancel = [], threading.Event()

    def reply(messages):
        assert seen and seen[0].version == 0  # the draft was out before the model answered
        cancel.set()  # ...and the user pressed Stop
        return "{}"

    ctx.llm.enqueue(reply)
    result = talk_script(ctx, today=TODAY, on_draft=seen.append, cancel=cancel)
    assert result.version == 0 and result.notice.startswith("Stopped")
    assert result.text == seen[0].text and ctx.store.artifacts("script", "talk-track") == []
