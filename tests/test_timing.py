"""Timing: every rule (signals, tenure, review month, log), the verdict, revisit dates, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.domain.timing import add_months, assess_timing, months_between, next_review, timing_text
from tests.scenarios import load_scenarios, seed
from tests.scenarios.helpers import cli_fail, cli_json, entry, profile

TODAY = dt.date(2025, 4, 14)


def rules(t) -> dict[str, str]:
    return {r.rule: r.effect for r in t.reasons}


# -- signal rules --------------------------------------------------------------------------


@pytest.mark.parametrize("signal, effect, verdict, revisit", [
    ("layoffs", "bad", "bad", dt.date(2025, 7, 14)),
    ("hiring-freeze", "bad", "bad", None),
    ("financials-weak", "bad", "bad", dt.date(2025, 7, 14)),
    ("recent-mistake", "wait", "wait", dt.date(2025, 7, 14)),
    ("manager-overloaded", "wait", "wait", dt.date(2025, 5, 14)),
])
def test_bad_signal_rules(signal, effect, verdict, revisit):
    t = assess_timing(profile(months=14, signals=(signal,)), today=TODAY)
    assert rules(t)[f"bad-signal-{signal}"] == effect
    assert t.verdict == verdict
    reason = next(r for r in t.reasons if r.signal_or_fact == signal)
    assert reason.text
    assert revisit in [r.when for r in t.revisit]


@pytest.mark.parametrize("signal", ["recent-win", "review-cycle", "company-growing",
                                    "team-growing", "financials-strong"])
def test_good_signal_rules(signal):
    t = assess_timing(profile(months=14, signals=(signal,)), today=TODAY)
    assert rules(t)[f"good-signal-{signal}"] == "good"
    assert t.verdict == "good"


@pytest.mark.parametrize("signals, verdict", [
    ((), "good"),                                                   # tenure in the norm
    (("recent-win", "layoffs"), "bad"),                             # a bad signal wins
    (("recent-win", "team-growing", "recent-mistake"), "wait"),
    (("manager-overloaded", "recent-mistake"), "wait"),
    (("hiring-freeze", "manager-overloaded"), "bad"),               # bad beats wait
    (("recent-win", "review-cycle", "financials-strong"), "good"),
])
def test_verdict_from_combined_signals(signals, verdict):
    assert assess_timing(profile(months=14, signals=signals), today=TODAY).verdict == verdict


# -- tenure rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("months, rule, effect, verdict", [
    (0, "tenure-under-12", "wait", "wait"),
    (6, "tenure-under-12", "wait", "wait"),
    (11, "tenure-under-12", "wait", "wait"),
    (12, "tenure-norm", "good", "good"),
    (18, "tenure-norm", "good", "good"),
    (19, "tenure-beyond-norm", "good", "good"),
    (48, "tenure-beyond-norm", "good", "good"),
])
def test_tenure_rules(months, rule, effect, verdict):
    t = assess_timing(profile(months=months), today=TODAY)
    assert rules(t)[rule] == effect
    assert t.verdict == verdict


def test_short_tenure_revisits_when_it_reaches_12_months():
    t = assess_timing(profile(months=8), today=TODAY)
    assert any(r.when == dt.date(2025, 8, 14) and "12 months" in r.why for r in t.revisit)


STRONG = [entry(1, "Led the migration", kind="leadership", metric="40% faster", next_level=True),
          entry(2, "Mentored two juniors", kind="mentoring", metric="2 promoted",
                next_level=True)]


@pytest.mark.parametrize("signals, entries, rule, verdict", [
    (("recent-win",), STRONG, "tenure-short-strong-case", "good"),
    (("recent-win",), STRONG[:1], "tenure-under-12", "wait"),        # one entry is not enough
    ((), STRONG, "tenure-under-12", "wait"),                         # no recent win
    (("recent-win", "team-growing", "company-growing"), STRONG[:1], "tenure-short-strong-case",
     "good"),
    (("recent-win", "team-growing", "company-growing"), [], "tenure-under-12", "wait"),
])
def test_short_tenure_exception_for_strong_reasons(signals, entries, rule, verdict):
    t = assess_timing(profile(months=9, signals=signals), entries or None, today=TODAY)
    assert rule in rules(t)
    assert t.verdict == verdict


# -- review month rules ----------------------------------------------------------------------


@pytest.mark.parametrize("review_month, rule, review_date", [
    (4, "review-now", dt.date(2025, 4, 1)),
    (5, "review-approaching", dt.date(2025, 5, 1)),
    (7, "review-approaching", dt.date(2025, 7, 1)),
    (8, None, dt.date(2025, 8, 1)),                       # four months: only a revisit date
    (3, None, dt.date(2026, 3, 1)),                       # passed this year: next year's
])
def test_review_month_rules(review_month, rule, review_date):
    t = assess_timing(profile(months=14, review_month=review_month), today=TODAY)
    assert t.review_date == review_date
    review_rules = {r for r in rules(t) if r.startswith("review-")}
    assert review_rules == ({rule} if rule else set())
    assert review_date in [r.when for r in t.revisit]


def test_distant_review_suggests_raising_it_a_quarter_ahead():
    t = assess_timing(profile(months=14, review_month=11), today=TODAY)
    whens = [r.when for r in t.revisit]
    assert whens == [dt.date(2025, 8, 1), dt.date(2025, 11, 1)]
    assert "quarter before" in t.revisit[0].why
    assert t.verdict == "good"  # a distant cycle is no reason to wait


def test_revisit_dates_sorted_with_undated_last():
    t = assess_timing(profile(months=8, signals=("hiring-freeze",), review_month=6), today=TODAY)
    whens = [r.when for r in t.revisit]
    assert whens[-1] is None
    dated = [w for w in whens if w]
    assert dated == sorted(dated)


# -- log rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("entries, rule, effect", [
    ([], "log-empty", "wait"),
    ([entry(1, "Shipped search", metric="3x faster", date=dt.date(2025, 3, 1))],
     "recent-result", "good"),
])
def test_log_rules(entries, rule, effect):
    t = assess_timing(profile(months=14), entries, today=TODAY)
    assert rules(t)[rule] == effect


@pytest.mark.parametrize("entries", [
    None,                                                                        # log not given
    [entry(1, "Shipped search", metric="3x faster", date=dt.date(2024, 6, 1))],  # too old
    [entry(1, "Shipped search", date=dt.date(2025, 3, 1))],                      # no metric
])
def test_no_recent_result_rule(entries):
    rule_ids = rules(assess_timing(profile(months=14), entries, today=TODAY))
    assert "recent-result" not in rule_ids and "log-empty" not in rule_ids


def test_recent_win_signal_makes_the_log_rule_redundant():
    es = [entry(1, "Shipped search", metric="3x faster", date=dt.date(2025, 3, 1))]
    assert "recent-result" not in rules(
        assess_timing(profile(months=14, signals=("recent-win",)), es, today=TODAY))


# -- date helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
    (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
    (dt.date(2025, 3, 1), -3, dt.date(2024, 12, 1)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_next_review_and_months_between():
    assert next_review(dt.date(2025, 12, 5), 12) == dt.date(2025, 12, 1)
    assert next_review(dt.date(2025, 12, 5), 1) == dt.date(2026, 1, 1)
    assert months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1)) == 3


def test_timing_text_lists_reasons_and_revisits():
    text = timing_text(assess_timing(profile(months=8, signals=("layoffs",)), today=TODAY))
    assert text.startswith("Timing: BAD")
    assert "[bad-signal-layoffs]" in text and "Look again:" in text


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.id)
def test_scenarios_timing(scenario):
    t = assess_timing(scenario.profile, scenario.saved_entries(), today=scenario.today)
    assert t.verdict == scenario.expect.timing
    assert t.revisit, "every scenario should say when to look again"


# -- the timing command ----------------------------------------------------------------------


def test_cli_timing_json_is_saved(ctx, monkeypatch, capsys):
    scenario = next(s for s in load_scenarios() if s.expect.timing == "bad")
    seed(ctx, scenario)
    data = cli_json(monkeypatch, capsys, ctx, "timing", "--today", scenario.today.isoformat())
    assert data["verdict"] == "bad"
    assert {"rule", "signal_or_fact", "effect", "text"} <= set(data["reasons"][0])
    assert data["revisit"] and "when" in data["revisit"][0]
    saved = ctx.store.latest_artifact("timing", "latest")
    assert json.loads(saved.content)["verdict"] == "bad"
    assert saved.meta["verdict"] == "bad"


def test_cli_timing_rejects_a_bad_date(ctx, monkeypatch, capsys):
    ctx.store.save_profile(profile())
    err = cli_fail(monkeypatch, capsys, ctx, "timing", "--today", "14/04/2025")
    assert "is not a date; use YYYY-MM-DD" in err
