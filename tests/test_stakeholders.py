"""The people who decide (issue 21): the rules per person and for the list, as tables; the
service (nothing saved on bad input); the CLI's --json and its messages; what readiness and
timing take from the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.assets import guides_dir
from coach.domain import stakeholders as rules
from coach.domain.errors import CoachError
from coach.domain.readiness import readiness_text
from coach.domain.stakeholder_timing import timing_reason
from coach.domain.stakeholders import Interaction, Person
from coach.domain.timing import assess_timing
from coach.services import readiness as readiness_svc
from coach.services import stakeholders as svc
from coach.services import timing as timing_svc
from coach.services.profile import set_profile
from tests.scenarios.helpers import cli_fail, cli_json
from tests.scenarios.helpers import profile as a_profile

TODAY = dt.date(2025, 4, 14)


def person(pid: int = 1, name: str = "Dana", influence: str = "high",
           relationship: str = "strong", *, sponsor: bool = False, cares: str = "",
           days: int | None = None) -> Person:
    talks = [Interaction(date=TODAY - dt.timedelta(days=days), note="spoke")] \
        if days is not None else []
    return Person(id=pid, name=name, influence=influence, relationship=relationship,
                  sponsor=sponsor, cares_about=cares, interactions=talks)


# -- next action per person ---------------------------------------------------------------------
@pytest.mark.parametrize(("who", "rule", "says", "section"), [
    # a sponsor not heard from in a month is kept informed, whatever else is true
    (person(sponsor=True), "keep-sponsor-informed", "short note", "Find a sponsor"),
    (person(sponsor=True, days=rules.SPONSOR_DAYS), "keep-sponsor-informed", "short note",
     "Find a sponsor"),
    (person(sponsor=True, relationship="none", days=45), "keep-sponsor-informed", "short note",
     "Find a sponsor"),
    # a recent sponsor falls through to the other rules
    (person(sponsor=True, days=rules.SPONSOR_DAYS - 1), "stay-visible", "in the loop",
     "Stay visible without bragging"),
    # a decider who barely knows the work
    (person(relationship="weak"), "get-known", "one-to-one", "Know who decides"),
    (person(relationship="none", days=3), "get-known", "forum they attend", "Know who decides"),
    (person(relationship="none", cares="the billing migration"), "get-known",
     "Start from what they care about: the billing migration", "Know who decides"),
    # not close, and what they care about is known: help with it
    (person(influence="medium", relationship="weak", cares="hiring"), "collaborate",
     "real help with what they care about: hiring", "Map your stakeholders"),
    (person(relationship="neutral", cares="the roadmap", days=2), "collaborate", "the roadmap",
     "Map your stakeholders"),
    # not close, and what they care about is unknown: find out
    (person(influence="low", relationship="none"), "learn-priorities", "matters most",
     "Map your stakeholders"),
    (person(relationship="neutral"), "learn-priorities", "this quarter", "Map your stakeholders"),
    # close, but not heard from in two months (or never): ask for feedback
    (person(), "ask-feedback", "specific feedback", "Ask for feedback regularly"),
    (person(influence="low", days=rules.FEEDBACK_DAYS), "ask-feedback", "specific feedback",
     "Ask for feedback regularly"),
    # close and recent
    (person(days=rules.FEEDBACK_DAYS - 1), "stay-visible", "next result",
     "Stay visible without bragging"),
    (person(days=0), "stay-visible", "next result", "Stay visible without bragging"),
])
def test_each_person_gets_the_action_of_the_first_rule_that_fits(who, rule, says, section):
    got_rule, action, why, cites = rules.next_action(who, TODAY)
    assert (got_rule, cites.source, cites.section) == (rule, rules.GUIDE, section)
    assert says in action and who.name in action and why


@pytest.mark.parametrize(("days", "said"), [
    (None, "no interaction logged yet"), (0, "last spoke today"), (1, "last spoke 1 day ago"),
    (75, "last spoke 75 days ago")])
def test_the_why_says_how_long_since_the_last_interaction(days, said):
    assert said in rules.next_action(person(relationship="weak", days=days), TODAY)[2]


def test_a_plan_dated_in_the_past_ignores_later_interactions():
    later = person(days=-5)  # logged five days after the plan's date
    assert later.days_since(TODAY) is None
    assert later.days_since(TODAY + dt.timedelta(days=7)) == 2


# -- gaps of the list ----------------------------------------------------------------------------
@pytest.mark.parametrize(("people", "expected"), [
    ([], ["nobody-mapped"]),
    ([person(influence="medium", sponsor=True, days=5)], ["no-decider"]),
    ([person(relationship="weak", days=5), person(2, "Lee", "medium", sponsor=True, days=5)],
     ["no-decider-knows-you"]),
    ([person(relationship="neutral", days=5, sponsor=True)], ["no-decider-knows-you"]),
    ([person(days=5)], ["no-sponsor"]),
    ([person(days=rules.FEEDBACK_DAYS, sponsor=True)], ["nobody-recent"]),
    ([person(sponsor=True)], ["nobody-recent"]),
    ([person(influence="low", relationship="none")],
     ["no-decider", "no-sponsor", "nobody-recent"]),
    ([person(relationship="weak"), person(2, "Sam", "low")],
     ["no-decider-knows-you", "no-sponsor", "nobody-recent"]),
    ([person(days=5, sponsor=True), person(2, "Sam", "low", "none")], []),
])
def test_the_gaps_of_the_list(people, expected):
    assert [g.rule for g in rules.gaps(people, TODAY)] == expected


@pytest.mark.parametrize(("people", "named"), [
    ([person(days=5)], "Dana already knows your work"),  # a close decider is the candidate
    ([person(influence="medium", days=5)], "Dana already knows your work"),
    ([person(influence="low", days=5)], None),  # someone without a say is no sponsor
    ([person(relationship="neutral", days=5)], None),
])
def test_the_sponsor_gap_names_a_candidate_who_knows_the_work(people, named):
    gap = next(g for g in rules.gaps(people, TODAY) if g.rule == "no-sponsor")
    assert (named in gap.text) if named else ("already knows" not in gap.text)


def test_every_action_and_gap_cites_a_section_that_exists_in_the_guide():
    text = (guides_dir() / rules.GUIDE).read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", text, re.MULTILINE))
    cited = {rules.WHO_DECIDES, rules.MAP, rules.SPONSOR, rules.FEEDBACK, rules.VISIBLE}
    assert {c.section for c in cited} <= headings
    crowd = [person(sponsor=s, relationship=r, influence=i, cares=c, days=d, pid=n)
             for n, (s, r, i, c, d) in enumerate([
                 (True, "strong", "high", "", None), (False, "weak", "high", "", 3),
                 (False, "neutral", "medium", "x", 3), (False, "none", "low", "", None),
                 (False, "strong", "low", "", None), (False, "strong", "medium", "", 2)], 1)]
    plan = rules.plan(crowd, TODAY)
    assert {a.cites for a in plan.actions} == cited
    for people in ([], [person(influence="low", relationship="none")], [person(relationship="weak")]):
        assert all(g.cites in cited for g in rules.gaps(people, TODAY))


# -- order ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("people", "order"), [
    # influence first
    ([person(1, "A", "low"), person(2, "B", "high"), person(3, "C", "medium")], [2, 3, 1]),
    # within an influence, the longest silence first; never spoken to before anyone
    ([person(1, "A", days=3), person(2, "B", days=40), person(3, "C")], [3, 2, 1]),
    ([person(1, "A", "medium", days=90), person(2, "B", "high", days=1)], [2, 1]),
    # a tie: by name, then id
    ([person(2, "b", days=5), person(1, "B", days=5), person(3, "a", days=5)], [3, 1, 2]),
])
def test_people_are_ordered_by_influence_then_by_staleness(people, order):
    assert [a.person for a in rules.plan(people, TODAY).actions] == order


# -- readiness and timing --------------------------------------------------------------------------
@pytest.mark.parametrize(("people", "steps"), [
    ([], []),  # nobody mapped: readiness says nothing about people
    ([person(days=5, sponsor=True)], []),
    ([person(days=5)], ["no-sponsor"]),
    ([person(relationship="weak", sponsor=True)], ["no-decider-knows-you"]),
    ([person(influence="low")], ["no-decider", "no-sponsor"]),
])
def test_readiness_steps_when_no_sponsor_or_no_decider_knows_the_work(people, steps):
    got = rules.readiness_steps(people, TODAY)
    assert [s.rule for s in got] == steps
    assert [s.by for s in got] == [TODAY + dt.timedelta(weeks=4 * (i + 1))
                                   for i in range(len(steps))]


@pytest.mark.parametrize(("people", "rule", "effect"), [
    ([], None, None),
    ([person(influence="medium", relationship="none")], None, None),  # no decider listed
    ([person()], "decider-knows-you", "good"),
    ([person(relationship="weak"), person(2, "Sam", relationship="strong")],
     "decider-knows-you", "good"),
    ([person(relationship="weak"), person(2, "Sam", relationship="none")],
     "deciders-do-not-know-you", "wait"),
    ([person(relationship="neutral")], None, None),  # knows of the work: the plan handles it
])
def test_the_timing_reason_about_the_deciders(people, rule, effect):
    reason = timing_reason(people, TODAY)
    assert (reason.rule, reason.effect) == (rule, effect) if rule else reason is None
    if reason:
        assert "Know who decides" in reason.text


def test_a_wait_reason_from_the_people_makes_a_good_moment_wait():
    profile = a_profile(months=14, signals=("recent-win",))
    assert assess_timing(profile, [], today=TODAY).verdict == "wait"  # the empty log
    good = assess_timing(profile, None, today=TODAY)
    assert good.verdict == "good"
    reason = timing_reason([person(relationship="none")], TODAY)
    waited = assess_timing(profile, None, today=TODAY, extra=[reason])
    assert waited.verdict == "wait" and waited.reasons[-1] == reason
    assert waited.reasons[:-1] == good.reasons


# -- the service ---------------------------------------------------------------------------------
def test_add_edit_log_remove_round_trip(ctx):
    dana = svc.add_person(ctx, name="  Dana   Reyes ", role="skip-level", influence="high",
                          relationship="weak", cares_about="the billing migration",
                          email="dana@example.com")
    sam = svc.add_person(ctx, name="Sam", influence="medium", relationship="strong", sponsor=True)
    assert (dana.id, dana.name, sam.id) == (1, "Dana Reyes", 2)
    svc.log_interaction(ctx, 1, "demoed the migration", date=TODAY - dt.timedelta(days=3),
                        today=TODAY)
    svc.log_interaction(ctx, 1, "asked about Q3", date=TODAY - dt.timedelta(days=10), today=TODAY)
    edited = svc.edit_person(ctx, 1, relationship="neutral", sponsor=None)
    assert edited.relationship == "neutral" and edited.email == "dana@example.com"
    assert [i.note for i in edited.interactions] == ["asked about Q3", "demoed the migration"]
    assert edited.days_since(TODAY) == 3
    assert svc.remove_person(ctx, 2).name == "Sam"
    again = svc.add_person(ctx, name="Lee", influence="low", relationship="none")
    assert again.id == 3  # ids are never reused
    assert [p.id for p in svc.list_people(ctx)] == [1, 3]


@pytest.mark.parametrize(("call", "code", "field"), [
    (lambda c: svc.add_person(c, name="  ", influence="high", relationship="weak"), "empty", "name"),
    (lambda c: svc.add_person(c, name="X", influence="huge", relationship="weak"), "bad-choice",
     "influence"),
    (lambda c: svc.add_person(c, name="X", influence="high", relationship="best"), "bad-choice",
     "relationship"),
    (lambda c: svc.add_person(c, name="X", influence="high", relationship="weak", email="bob"),
     "bad-email", "email"),
    (lambda c: svc.add_person(c, name="X" * 121, influence="high", relationship="weak"),
     "too-long", "name"),
    (lambda c: svc.edit_person(c, 1, email="not an address"), "bad-email", "email"),
    (lambda c: svc.edit_person(c, 1, name=""), "empty", "name"),
    (lambda c: svc.edit_person(c, 9, role="boss"), "not-found", "stakeholder"),
    (lambda c: svc.remove_person(c, 9), "not-found", "stakeholder"),
    (lambda c: svc.log_interaction(c, 9, "hi", today=TODAY), "not-found", "stakeholder"),
    (lambda c: svc.log_interaction(c, 1, " ", today=TODAY), "empty", "note"),
    (lambda c: svc.log_interaction(c, 1, "hi", date=TODAY + dt.timedelta(days=1), today=TODAY),
     "future-date", "date"),
])
def test_bad_input_is_refused_and_nothing_is_saved(ctx, call, code, field):
    svc.add_person(ctx, name="Dana", influence="high", relationship="weak")
    before = ctx.store.get_value(rules.STORE_KEY)
    with pytest.raises(CoachError) as err:
        call(ctx)
    assert (err.value.code, err.value.field) == (code, field)
    assert ctx.store.get_value(rules.STORE_KEY) == before


def test_readiness_and_timing_take_the_list_into_account(ctx):
    set_profile(ctx, a_profile(months=14).model_dump(mode="json"))
    before_r = readiness_svc.readiness(ctx, today=TODAY)
    before_t = timing_svc.timing(ctx, today=TODAY)
    assert before_r.people_steps == [] and "people who decide" not in readiness_text(before_r)
    svc.add_person(ctx, name="Dana", influence="high", relationship="none")
    after_r = readiness_svc.readiness(ctx, today=TODAY)
    after_t = timing_svc.timing(ctx, today=TODAY)
    assert [s.rule for s in after_r.people_steps] == ["no-decider-knows-you", "no-sponsor"]
    assert after_r.plan == before_r.plan and after_r.score == before_r.score  # the drafts' input
    assert "Get one result in front of Dana" in readiness_text(after_r)
    assert after_t.reasons[-1].rule == "deciders-do-not-know-you"
    assert after_t.reasons[:-1] == before_t.reasons


# -- the command line ----------------------------------------------------------------------------
def test_cli_add_list_log_plan_as_json(ctx, monkeypatch, capsys):
    run = lambda *argv: cli_json(monkeypatch, capsys, ctx, "stakeholders", *argv)  # noqa: E731
    added = run("add", "Dana Reyes", "--role", "skip-level", "--influence", "high",
                "--relationship", "weak", "--cares-about", "the billing migration")
    assert added["id"] == 1 and added["influence"] == "high" and added["sponsor"] is False
    run("add", "Sam", "--influence", "medium", "--relationship", "strong", "--sponsor",
        "--email", "sam@example.com")
    logged = run("log", "2", "1:1 about the roadmap", "--date", "2025-04-01")
    assert logged["interactions"] == [{"date": "2025-04-01", "note": "1:1 about the roadmap"}]
    assert run("edit", "1", "--relationship", "neutral")["relationship"] == "neutral"
    assert [p["name"] for p in run("list")] == ["Dana Reyes", "Sam"]
    plan = run("plan", "--today", "2025-04-14")
    assert [(a["person"], a["rule"], a["days_since"]) for a in plan["actions"]] == [
        (1, "collaborate", None), (2, "stay-visible", 13)]
    assert plan["actions"][0]["cites"] == {"source": rules.GUIDE,
                                           "section": "Map your stakeholders"}
    assert [g["rule"] for g in plan["gaps"]] == ["no-decider-knows-you"]
    assert run("rm", "2")["name"] == "Sam"


@pytest.mark.parametrize(("argv", "says"), [
    (["add", "", "--influence", "high", "--relationship", "weak"], "NAME: person not saved: "
                                                                   "name is empty"),
    (["add", "X", "--influence", "huge", "--relationship", "weak"], "argument --influence: "
                                                                    "invalid choice: 'huge'"),
    (["add", "X", "--influence", "high", "--relationship", "weak", "--email", "bob"],
     "--email: person not saved: email 'bob' is not an e-mail address"),
    (["add", "X", "--influence", "high", "--relationship", "weak", "--role", "r" * 121],
     "argument --role: is too long"),
    (["log", "7", "hello"], "no person with id 7. Run `coach stakeholders list`"),
    (["rm", "x"], "argument ID: 'x' is not a person's id"),
    (["log", "1", "hello", "--date", "2999-01-01"], "--date: date 2999-01-01 is in the future"),
    (["edit", "1"], "nothing to change for person #1"),
])
def test_cli_bad_input_names_the_flag_and_saves_nothing(ctx, monkeypatch, capsys, argv, says):
    svc.add_person(ctx, name="Dana", influence="high", relationship="weak")
    before = ctx.store.get_value(rules.STORE_KEY)
    assert says in cli_fail(monkeypatch, capsys, ctx, "stakeholders", *argv)
    assert ctx.store.get_value(rules.STORE_KEY) == before
