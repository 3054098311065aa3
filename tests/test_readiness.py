"""Readiness: expectations per transition, coverage, gaps, tenure, the plan, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.domain import expectations as exp_rules
from coach.domain.errors import CoachError
from coach.domain.expectations import Expectation, default_expectations, storage_key
from coach.domain.profile import Transition
from coach.domain.readiness import (
    FIRST_STEP_WEEKS,
    STEP_SPACING_WEEKS,
    assess_readiness,
    readiness_text,
    tenure_status,
)
from tests.scenarios import load_scenarios, seed
from tests.scenarios.helpers import TODAY, cli_fail, cli_json, entry, profile

# -- built-in expectations ----------------------------------------------------------------


@pytest.mark.parametrize("transition, ids", [
    ("ic-to-lead", ["mentoring", "technical-depth", "project-coordination"]),
    ("lead-to-manager", ["managing-people", "strategy-over-hands-on", "stakeholder-management"]),
    ("manager-to-director", ["managing-managers", "department-strategy", "budget-ownership",
                             "cross-functional-leadership"]),
    ("other", ["bigger-results", "leading-others", "ownership", "visibility"]),
])
def test_default_expectations_per_transition(transition, ids):
    exps = default_expectations(Transition(transition))
    assert [e.id for e in exps] == ids
    for e in exps:
        assert e.title and e.description and e.action
        assert e.kinds or e.keywords


@pytest.mark.parametrize("exp_id, title, kind, expected", [
    ("mentoring", "Paired with the new joiner every week", "result", True),     # keyword
    ("mentoring", "Anything at all", "mentoring", True),                        # kind
    ("mentoring", "Fixed the login bug", "result", False),
    ("technical-depth", "Found the root cause of the outage", "result", True),
    ("technical-depth", "Cut p95 latency on search", "result", True),
    ("project-coordination", "Coordinated the release across two teams", "result", True),
    ("project-coordination", "Took over the on-call rota", "responsibility", True),
])
def test_ic_to_lead_evidence_matching(exp_id, title, kind, expected):
    exp = exp_rules.find(default_expectations(Transition.IC_TO_LEAD), exp_id)
    assert exp.evidenced_by(entry(1, title, kind=kind)) is expected


@pytest.mark.parametrize("transition, exp_id, title, kind", [
    ("lead-to-manager", "managing-people", "Ran the hiring loop for two analysts", "result"),
    ("lead-to-manager", "strategy-over-hands-on", "Set the team roadmap", "result"),
    ("lead-to-manager", "stakeholder-management", "Negotiated deadlines with finance", "result"),
    ("manager-to-director", "managing-managers", "Coached a team lead into management", "result"),
    ("manager-to-director", "department-strategy", "Wrote the annual plan", "result"),
    ("manager-to-director", "budget-ownership", "Owned the headcount forecast", "result"),
    ("manager-to-director", "cross-functional-leadership", "Launched with sales", "result"),
    ("other", "visibility", "Presented results at the all-hands", "result"),
    ("other", "ownership", "Took over the supplier contracts", "result"),
])
def test_other_transitions_evidence_matching(transition, exp_id, title, kind):
    exp = exp_rules.find(default_expectations(Transition(transition)), exp_id)
    assert exp.evidenced_by(entry(1, title, kind=kind))


def test_keyword_matches_word_starts_only():
    exp = Expectation(id="x", title="X", keywords=["lead"])
    assert exp.evidenced_by(entry(1, "Leading the guild"))
    assert not exp.evidenced_by(entry(1, "Misleading chart fixed"))


# -- readiness cases ----------------------------------------------------------------------

E_MENTOR = entry(1, "Mentored two juniors", kind="mentoring", metric="both promoted in 6 months")
E_DEPTH = entry(2, "Found the root cause of the nightly failures", metric="failures down 90%")
E_COORD = entry(3, "Coordinated the payments project", kind="leadership", metric="2 weeks early",
                next_level=True)
E_BARE = entry(4, "Fixed flaky tests")


@pytest.mark.parametrize("entries, covered, gaps, unquantified", [
    ([], [], ["mentoring", "technical-depth", "project-coordination"], []),
    ([E_MENTOR], ["mentoring"], ["technical-depth", "project-coordination"], []),
    ([E_MENTOR, E_DEPTH, E_COORD], ["mentoring", "technical-depth", "project-coordination"], [],
     []),
    ([E_BARE], [], ["mentoring", "technical-depth", "project-coordination"], [4]),
    ([E_DEPTH, E_BARE], ["technical-depth"], ["mentoring", "project-coordination"], [4]),
])
def test_readiness_cases(entries, covered, gaps, unquantified):
    r = assess_readiness(profile(), entries, today=TODAY)
    assert [c.expectation.id for c in r.covered] == covered
    assert [g.id for g in r.gaps] == gaps
    assert r.unquantified == unquantified
    assert [p.expectation.id for p in r.plan] == gaps
    assert 0.0 <= r.score <= 1.0


@pytest.mark.parametrize("entries, strength", [
    ([E_MENTOR], "thin"),                                        # one ordinary entry
    ([E_MENTOR, entry(5, "Coached a new joiner", kind="mentoring")], "strong"),  # two entries
    ([entry(6, "Mentored an intern", kind="mentoring", next_level=True)], "strong"),
])
def test_coverage_strength(entries, strength):
    r = assess_readiness(profile(), entries, today=TODAY)
    assert r.covered[0].strength == strength


def test_coverage_lists_every_entry_that_shows_it():
    r = assess_readiness(profile(), [E_MENTOR, E_DEPTH, entry(5, "Taught a testing course")],
                         today=TODAY)
    assert r.entries_for("mentoring") == [1, 5]
    assert r.entries_for("budget") == []


def test_plan_dates_count_from_today_one_gap_at_a_time():
    r = assess_readiness(profile(), [], today=TODAY)
    expected = [TODAY + dt.timedelta(weeks=FIRST_STEP_WEEKS + STEP_SPACING_WEEKS * i)
                for i in range(3)]
    assert [p.by for p in r.plan] == expected
    assert all(p.action for p in r.plan)
    assert r.quantify_by is None


def test_unquantified_entries_get_a_date_to_add_figures():
    r = assess_readiness(profile(), [E_BARE], today=TODAY)
    assert r.quantify_by == TODAY + dt.timedelta(weeks=2)


@pytest.mark.parametrize("months, status", [
    (0, "early"), (6, "early"), (11, "early"), (12, "within-norm"), (15, "within-norm"),
    (18, "within-norm"), (19, "beyond-norm"), (40, "beyond-norm"),
])
def test_tenure_against_12_to_18_months(months, status):
    t = tenure_status(months)
    assert t.status == status
    assert str(months) in t.text


def test_score_grows_with_evidence():
    empty = assess_readiness(profile(months=14), [], today=TODAY).score
    some = assess_readiness(profile(months=14), [E_MENTOR], today=TODAY).score
    full = assess_readiness(profile(months=14), [E_MENTOR, E_DEPTH, E_COORD], today=TODAY).score
    assert empty < some < full == 1.0


def test_custom_expectations_replace_defaults():
    own = [Expectation(id="on-call", title="Runs the on-call rota", keywords=["on-call"])]
    r = assess_readiness(profile(), [entry(1, "Took over the on-call rota")], own, today=TODAY)
    assert [c.expectation.id for c in r.covered] == ["on-call"]
    assert r.gaps == []


def test_readiness_text_names_gaps_and_plan():
    text = readiness_text(assess_readiness(profile(), [], today=TODAY))
    assert "impact log is empty" in text
    assert "Plan:" in text and "Mentoring others" in text


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.id)
def test_scenarios_readiness(scenario):
    r = assess_readiness(scenario.profile, scenario.saved_entries(), today=scenario.today)
    assert {c.expectation.id for c in r.covered} == set(scenario.expect.covered)
    assert [g.id for g in r.gaps] == scenario.expect.gaps
    assert len(r.unquantified) == scenario.expect.unquantified


# -- editing expectations -------------------------------------------------------------------


def test_expectation_list_edits_are_pure_and_checked():
    base = default_expectations(Transition.IC_TO_LEAD)
    added = exp_rules.add(base, Expectation(id="on-call", title="On-call"))
    assert len(added) == len(base) + 1 and len(base) == 3
    with pytest.raises(CoachError, match="already exists"):
        exp_rules.add(added, Expectation(id="on-call", title="Again"))
    edited = exp_rules.edit(added, "on-call", title="Runs on-call", keywords=["Pager"])
    assert exp_rules.find(edited, "on-call").keywords == ["pager"]
    with pytest.raises(CoachError, match="no expectation with id 'nope'"):
        exp_rules.remove(edited, "nope")
    assert [e.id for e in exp_rules.remove(edited, "mentoring")][0] == "technical-depth"


def test_expectation_id_must_be_a_slug():
    with pytest.raises(ValueError):
        Expectation(id="Not a slug!", title="x")


def test_cli_expectations_add_edit_rm_reset(ctx, monkeypatch, capsys):
    ctx.store.save_profile(profile())
    listed = cli_json(monkeypatch, capsys, ctx, "expectations", "list")
    assert listed["custom"] is False and len(listed["items"]) == 3
    added = cli_json(monkeypatch, capsys, ctx, "expectations", "add", "code-review",
                     "--title", "Raises the code-review bar", "--keywords", "review,standards",
                     "--kinds", "feedback")
    assert added["custom"] is True and added["items"][-1]["kinds"] == ["feedback"]
    assert ctx.store.get_value(storage_key(Transition.IC_TO_LEAD))[-1]["id"] == "code-review"
    edited = cli_json(monkeypatch, capsys, ctx, "expectations", "edit", "code-review",
                      "--description", "Reviews that teach")
    assert edited["items"][-1]["description"] == "Reviews that teach"
    removed = cli_json(monkeypatch, capsys, ctx, "expectations", "rm", "mentoring")
    assert [e["id"] for e in removed["items"]] == ["technical-depth", "project-coordination",
                                                   "code-review"]
    other = cli_json(monkeypatch, capsys, ctx, "expectations", "list", "--transition", "other")
    assert other["custom"] is False and other["transition"] == "other"
    reset = cli_json(monkeypatch, capsys, ctx, "expectations", "reset")
    assert reset["custom"] is False and len(reset["items"]) == 3


def test_cli_expectations_errors_are_clear(ctx, monkeypatch, capsys):
    ctx.store.save_profile(profile())
    err = cli_fail(monkeypatch, capsys, ctx, "expectations", "add", "x", "--title", "X",
                   "--kinds", "wizardry")
    assert "unknown entry kind" in err
    err = cli_fail(monkeypatch, capsys, ctx, "expectations", "edit", "mentoring")
    assert "nothing to change" in err
    err = cli_fail(monkeypatch, capsys, ctx, "expectations", "rm", "ghost")
    assert "no expectation with id 'ghost'" in err


# -- the readiness command ------------------------------------------------------------------


def test_cli_readiness_json_is_saved(ctx, monkeypatch, capsys):
    scenario = load_scenarios()[0]
    seed(ctx, scenario)
    data = cli_json(monkeypatch, capsys, ctx, "readiness", "--today", scenario.today.isoformat())
    for key in ("covered", "gaps", "unquantified", "plan", "tenure", "score"):
        assert key in data
    assert data["covered"][0]["entries"]
    saved = ctx.store.latest_artifact("readiness", "latest")
    assert json.loads(saved.content)["score"] == data["score"]


def test_cli_readiness_uses_the_users_own_expectations(ctx, monkeypatch, capsys):
    ctx.store.save_profile(profile())
    cli_json(monkeypatch, capsys, ctx, "expectations", "add", "on-call", "--title", "On-call",
             "--keywords", "on-call")
    data = cli_json(monkeypatch, capsys, ctx, "readiness", "--today", "2025-04-14")
    assert "on-call" in [g["id"] for g in data["gaps"]]


def test_readiness_with_empty_log_is_all_gaps(ctx, monkeypatch, capsys):
    ctx.store.save_profile(profile(transition="manager-to-director"))
    data = cli_json(monkeypatch, capsys, ctx, "readiness", "--today", "2025-04-14")
    assert data["covered"] == [] and len(data["gaps"]) == 4 and len(data["plan"]) == 4
    assert data["plan"][0]["by"] == (TODAY + dt.timedelta(weeks=6)).isoformat()


def test_readiness_without_profile_says_how_to_create_one(ctx, monkeypatch, capsys):
    err = cli_fail(monkeypatch, capsys, ctx, "readiness")
    assert "no profile yet" in err and "Run `coach profile set --current-title" in err
