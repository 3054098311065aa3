"""Readiness against the career framework in use, through the command line: `coach --json
readiness` (criteria, coverage per area, gaps with a plan), `coach log link | unlink`, bad
input, and removing the framework. Real offline embeddings; no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.services import criteria as svc
from coach.services.readiness import load_expectations
from tests.scenarios.helpers import cli_fail, cli_json

TOPICS = str(Path(__file__).parent / "fixtures" / "frameworks" / "ladder-topics.md")
TODAY = "2026-09-01"
LINKS_KEY = "framework:links:acme-product-engineering-ladder"
ENTRIES = [
    ("Mentored three senior engineers in other teams",
     "Monthly sessions with seniors from payments, search and mobile.", "2 of 3 now lead projects"),
    ("Wrote the API standards four teams adopted",
     "Agreed the error format and versioning rules with each team's lead.",
     "4 teams on the standard"),
    ("Fixed a typo on the pricing page", "", ""),
]


@pytest.fixture
def run(ctx, monkeypatch, capsys):
    def call(*argv: str):
        return cli_json(monkeypatch, capsys, ctx, *argv)

    def fail(*argv: str) -> str:
        return cli_fail(monkeypatch, capsys, ctx, *argv)

    call.fail = fail  # type: ignore[attr-defined]
    call("profile", "set", "--current-title", "Senior Engineer", "--target-title",
         "Staff Engineer", "--transition", "senior-to-staff", "--months-in-role", "14")
    for title, description, metric in ENTRIES:
        call("log", "add", title, "--description", description, "--metric", metric,
             "--date", "2026-05-01")
    return call


@pytest.fixture
def framed(run):
    run("framework", "import", TOPICS)
    run("framework", "use", "acme-product-engineering-ladder", "--current-level", "3",
        "--target-level", "4")
    return run


def _criterion(report: dict, cid: str) -> dict:
    return next(c for c in report["criteria"] if c["id"] == cid)


def test_readiness_lists_the_target_levels_criteria_with_their_entries(framed):
    report = framed("readiness", "--today", TODAY)
    assert report["framework"] == "Acme product engineering ladder"
    assert report["target_level"] == "Staff Engineer"
    assert len(report["criteria"]) == 15
    first = report["criteria"][0]
    assert set(first) >= {"id", "area", "level", "text", "covered_by", "confidence", "new"}
    assert {c["level"] for c in report["criteria"]} == {"staff-engineer"}
    assert all(c["new"] for c in report["criteria"])  # senior and staff share no wording
    mentoring = _criterion(report, "staff-engineer.growth.1")
    assert 1 in mentoring["covered_by"] and mentoring["confidence"] >= 0.4
    assert mentoring["links"][0]["status"] == "auto"
    standards = _criterion(report, "staff-engineer.craft.2")
    assert 2 in standards["covered_by"]
    assert not any(3 in c["covered_by"] for c in report["criteria"])  # a typo shows nothing
    assert report["built_in"] is False


def test_coverage_per_area_and_a_plan_step_per_missing_criterion(framed):
    report = framed("readiness", "--today", TODAY)
    areas = {a["area"]: a for a in report["coverage"]}
    assert list(areas) == ["delivery", "craft", "collaboration", "ownership", "growth"]
    assert all(a["total"] == 3 for a in areas.values())
    covered = {c["id"] for c in report["criteria"] if c["covered_by"]}
    assert sum(a["covered"] for a in areas.values()) == len(covered)
    assert areas["growth"]["covered"] >= 1 and areas["craft"]["covered"] >= 1
    gap_ids = [g["id"] for g in report["gaps"]]
    assert set(gap_ids) == {c["id"] for c in report["criteria"]} - covered
    assert [s["expectation"]["id"] for s in report["plan"]] == gap_ids
    assert all(s["action"] and s["by"] > TODAY for s in report["plan"])
    assert len({s["by"] for s in report["plan"]}) == len(gap_ids)  # one at a time


def test_link_makes_a_gap_covered_and_unlink_drops_an_automatic_link_for_good(framed, ctx):
    before = framed("readiness", "--today", TODAY)
    assert not _criterion(before, "staff-engineer.craft.3")["covered_by"]
    change = framed("log", "link", "3", "staff-engineer.craft.3")
    assert change["status"] == "confirmed" and change["at_target"] is True
    after = framed("readiness", "--today", TODAY)
    retired = _criterion(after, "staff-engineer.craft.3")
    assert retired["covered_by"] == [3] and retired["confidence"] == 1.0
    assert retired["links"][0]["status"] == "confirmed"

    framed("log", "unlink", "1", "staff-engineer.growth.1")
    for _ in range(2):  # and it stays unlinked
        again = framed("readiness", "--today", TODAY)
        assert 1 not in _criterion(again, "staff-engineer.growth.1")["covered_by"]
    # Editing the entry to say even more about mentoring does not bring the link back.
    framed("log", "edit", "1", "--description", "Mentored senior engineers across teams.")
    again = framed("readiness", "--today", TODAY)
    assert 1 not in _criterion(again, "staff-engineer.growth.1")["covered_by"]
    # Linking it by hand does.
    framed("log", "link", "1", "staff-engineer.growth.1")
    again = framed("readiness", "--today", TODAY)
    assert 1 in _criterion(again, "staff-engineer.growth.1")["covered_by"]


def test_a_link_to_another_levels_criterion_is_kept_but_not_counted(framed):
    change = framed("log", "link", "3", "senior-engineer.craft.1")
    assert change["at_target"] is False
    report = framed("readiness", "--today", TODAY)
    assert all(c["id"].startswith("staff-engineer.") for c in report["criteria"])


@pytest.mark.parametrize(("argv", "said"), [
    (("log", "link", "99", "staff-engineer.craft.3"), "no impact-log entry with id 99"),
    (("log", "link", "1", "staff-engineer.craft.9"), "no criterion 'staff-engineer.craft.9'"),
    (("log", "unlink", "1", "nonsense"), "no criterion 'nonsense'"),
    (("log", "link", "one", "staff-engineer.craft.3"), "is not an entry id"),
])
def test_bad_link_input_says_what_is_wrong_and_saves_nothing(framed, ctx, argv, said):
    err = framed.fail(*argv)
    assert said in err and "Traceback" not in err
    assert ctx.store.get_value(LINKS_KEY) is None


def test_link_without_a_framework_in_use_is_refused(run, ctx):
    err = run.fail("log", "link", "1", "staff-engineer.growth.1")
    assert "no career framework is in use" in err and "coach framework import" in err
    assert ctx.store.get_value(LINKS_KEY) is None


def test_the_framework_drives_the_expectations_every_feature_reads(framed, ctx):
    listing = load_expectations(ctx)
    assert listing.framework == "Acme product engineering ladder" and listing.custom
    assert [e.id for e in listing.items][:3] == ["staff-engineer.delivery.1",
                                                 "staff-engineer.delivery.2",
                                                 "staff-engineer.delivery.3"]
    shown = framed("expectations", "list")
    assert shown["framework"] == "Acme product engineering ladder"


def test_removing_the_framework_brings_back_the_built_in_expectations_and_keeps_the_log(framed):
    framed("log", "link", "3", "staff-engineer.craft.3")
    log_before = framed("log", "list")
    framed("framework", "rm", "acme-product-engineering-ladder")
    report = framed("readiness", "--today", TODAY)
    assert report["framework"] is None and report["criteria"] == [] and report["coverage"] == []
    assert report["built_in"] is True
    assert [c["expectation"]["id"] for c in report["covered"]] + report["gaps"] != []
    assert {e["id"] for e in framed("expectations", "list")["items"]} == {
        "cross-team-direction", "multiplying-others", "business-impact", "unowned-problems"}
    assert framed("log", "list") == log_before


def test_without_a_target_level_readiness_keeps_the_built_in_expectations(run):
    run("framework", "import", TOPICS)  # in use, but no levels chosen yet
    report = run("readiness", "--today", TODAY)
    assert report["framework"] is None and report["built_in"] is True


def test_best_criteria_ranks_a_text_against_the_target_level(framed, ctx):
    best = svc.best_criteria(ctx, "Ran a design review club that three other teams now hold", k=3)
    assert len(best) == 3 and all(cid.startswith("staff-engineer.") for cid, _ in best)
    assert [v for _, v in best] == sorted((v for _, v in best), reverse=True)
    assert "staff-engineer.growth.3" in [cid for cid, _ in best]
    assert svc.best_criteria(ctx, "   ") == []


def test_best_criteria_without_a_framework_is_empty(ctx):
    assert svc.best_criteria(ctx, "Mentored two engineers") == []


def test_the_readiness_tab_shows_each_criterion_and_the_area_coverage(framed, ctx):
    from coach.services.readiness import readiness
    from ui.tabs.readiness import framework_html

    framed("log", "link", "3", "staff-engineer.craft.3")
    html = framework_html(readiness(ctx))
    assert 'id="readiness-framework"' in html
    assert "Acme product engineering ladder, level Staff Engineer" in html
    assert "<td>Growing others</td>" in html and "of 3 (" in html
    assert "staff-engineer.craft.3</code> Retires legacy systems safely." in html
    assert "#3 (yours)" in html and "new at this level" in html
    framed("framework", "rm", "acme-product-engineering-ladder")
    assert framework_html(readiness(ctx)) == ""
