"""Moving on (issue 21): the new profile signals and fields, every rule of `coach options` and
the verdict they make, the external move kit (no figure outside the log), the timing check
unmoved by the new signals, and the CLI with --json."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft
from coach.domain.kit import build_kit, field_of, kit_problems, search_titles
from coach.domain.options import RULES, Situation, decide
from coach.domain.profile import BAD_SIGNALS, GOOD_SIGNALS, MOVING_ON_SIGNALS, Signal
from coach.domain.responses import ResponseType
from coach.domain.text import numbers_in
from coach.domain.timing import assess_timing
from coach.services import options as options_service
from coach.services import profile as profile_service
from coach.services.roleplay.history import MEETING_KIND
from tests.scenarios.helpers import TODAY, cli_fail, cli_json, entry, profile
from tests.test_offer import headings

NEW = ("passed-over", "no-path", "politics", "company-stagnant", "maxed-out")


def sit(signals=(), passed=0, answer=None, gaps=2, expectations=4, timing="good", plan=0):
    return Situation(signals=[Signal(s) for s in signals], times_passed_over=passed,
                     last_answer=ResponseType(answer) if answer else None,
                     answer_from="from your profile" if answer else "", gaps=gaps,
                     expectations=expectations, timing=timing, plan_items=plan)


# -- the profile --------------------------------------------------------------------------------
def test_the_new_signals_are_neither_good_nor_bad_moments():
    assert {s.value for s in MOVING_ON_SIGNALS} == set(NEW)
    assert not MOVING_ON_SIGNALS & (GOOD_SIGNALS | BAD_SIGNALS)
    assert GOOD_SIGNALS | BAD_SIGNALS | MOVING_ON_SIGNALS == set(Signal)


@pytest.mark.parametrize("signal", NEW)
@pytest.mark.parametrize("months", [6, 14, 30])
def test_timing_is_unmoved_by_a_moving_on_signal(signal, months):
    entries = [entry(1, "Shipped search", metric="cut latency 40%", next_level=True,
                     date=dt.date(2025, 3, 1))]
    base = assess_timing(profile(months=months, signals=("recent-win",)), entries, today=TODAY)
    more = assess_timing(profile(months=months, signals=("recent-win", signal)), entries,
                         today=TODAY)
    assert more == base
    assert all(signal not in r.signal_or_fact for r in more.reasons)


def test_an_old_profile_without_the_new_fields_still_loads():
    old = profile().model_dump(mode="json")
    del old["times_passed_over"], old["last_answer"]
    loaded = type(profile()).model_validate(old)
    assert loaded.times_passed_over == 0 and loaded.last_answer is None


@pytest.mark.parametrize("changes, code", [
    ({"times_passed_over": -1}, "out-of-range"),
    ({"times_passed_over": 51}, "out-of-range"),
    ({"times_passed_over": True}, "invalid"),
    ({"last_answer": "maybe"}, "bad-choice"),
])
def test_bad_moving_on_fields_save_nothing(ctx, changes, code):
    ctx.store.save_profile(profile())
    with pytest.raises(CoachError) as err:
        profile_service.set_profile(ctx, changes)
    assert err.value.code == code
    assert ctx.store.get_profile() == profile()


def test_cli_profile_flags(monkeypatch, capsys, ctx):
    ctx.store.save_profile(profile())
    saved = cli_json(monkeypatch, capsys, ctx, "profile", "set", "--signal", "politics",
                     "--signal", "passed-over", "--times-passed-over", "2", "--last-answer",
                     "not-yet")
    assert saved["signals"] == ["politics", "passed-over"]
    assert (saved["times_passed_over"], saved["last_answer"]) == (2, "not-yet")
    cleared = cli_json(monkeypatch, capsys, ctx, "profile", "set", "--last-answer", "none")
    assert cleared["last_answer"] is None and cleared["times_passed_over"] == 2
    err = cli_fail(monkeypatch, capsys, ctx, "profile", "set", "--times-passed-over", "many")
    assert "'many' is not a whole number" in err


# -- the rules, one row each --------------------------------------------------------------------
@pytest.mark.parametrize("situation, fires, leans", [
    (sit(passed=2), "passed-over-repeatedly", "look-outside"),
    (sit(signals=("passed-over",), passed=3), "passed-over-repeatedly", "look-outside"),
    (sit(signals=("no-path",)), "no-path", "look-outside"),
    (sit(signals=("politics",)), "politics", "look-outside"),
    (sit(signals=("company-stagnant",)), "company-stagnant", "look-outside"),
    (sit(signals=("maxed-out",)), "maxed-out", "look-outside"),
    (sit(answer="no-fit"), "hard-no", "look-outside"),
    (sit(answer="not-yet", passed=2), "same-answer-again", "look-outside"),
    (sit(answer="no-budget", passed=2), "same-answer-again", "look-outside"),
    (sit(), "try-internal-first", "stay"),
    (sit(signals=("politics",), answer="not-yet"), "one-sign", "stay"),
    (sit(answer="yes"), "answer-yes", "ask-again-now"),
    (sit(answer="not-yet"), "answer-not-yet", "build-and-ask-again"),
    (sit(answer="not-ready"), "answer-not-ready", "build-and-ask-again"),
    (sit(answer="no-budget"), "answer-no-budget", "build-and-ask-again"),
    (sit(plan=3), "plan-with-dates", "build-and-ask-again"),
    (sit(gaps=1), "gaps-remain", "build-and-ask-again"),
    (sit(timing="wait"), "timing-not-good", "build-and-ask-again"),
    (sit(timing="bad"), "timing-not-good", "build-and-ask-again"),
    (sit(gaps=0, answer="not-yet"), "ready-and-good-time", "ask-again-now"),
])
def test_each_rule_fires_on_its_situation(situation, fires, leans):
    reasons = {r.rule: r for r in decide(situation).reasons}
    assert fires in reasons
    assert reasons[fires].leans == leans and reasons[fires].text and reasons[fires].rests_on


@pytest.mark.parametrize("situation, silent", [
    (sit(passed=1), "passed-over-repeatedly"),
    (sit(signals=("passed-over",)), "passed-over-repeatedly"),
    (sit(answer="not-yet", passed=1), "same-answer-again"),
    (sit(answer="yes", passed=2), "same-answer-again"),
    (sit(answer="not-yet", passed=2), "answer-not-yet"),       # the repeat replaces it
    (sit(passed=1), "try-internal-first"),                     # passed over: it was tried
    (sit(signals=("politics", "no-path"), answer="not-yet"), "one-sign"),
    (sit(gaps=0, timing="wait"), "ready-and-good-time"),
    (sit(gaps=0, expectations=0), "ready-and-good-time"),      # nothing to be ready for
    (sit(gaps=0, answer="no-fit"), "ready-and-good-time"),
    # after a yes there is nothing left to ask for: gaps, timing and the plan are moot
    (sit(answer="yes", gaps=2), "gaps-remain"),
    (sit(answer="yes", timing="bad"), "timing-not-good"),
    (sit(answer="yes", plan=3), "plan-with-dates"),
])
def test_a_rule_stays_silent_outside_its_situation(situation, silent):
    assert silent not in {r.rule for r in decide(situation).reasons}


@pytest.mark.parametrize("situation, verdict", [
    # several signs together, the internal route tried: look outside
    (sit(passed=3), "look-outside"),                                      # passed over often
    (sit(answer="no-fit", signals=("no-path",)), "look-outside"),        # a hard no, no path
    (sit(signals=("politics", "company-stagnant"), answer="not-yet"), "look-outside"),
    (sit(answer="no-budget", passed=2), "look-outside"),                 # the same no, again
    (sit(signals=("maxed-out", "politics"), passed=1), "look-outside"),
    # one sign on its own may be temporary
    (sit(passed=2), "build-and-ask-again"),
    (sit(answer="no-fit"), "build-and-ask-again"),
    (sit(signals=("politics",), answer="not-yet", gaps=0), "ask-again-now"),
    # signs, but never asked: try the internal route first
    (sit(signals=("politics", "company-stagnant", "maxed-out")), "build-and-ask-again"),
    (sit(signals=("politics", "no-path"), gaps=0), "ask-again-now"),
    # a "not yet" with a plan and a date: build and ask again
    (sit(answer="not-yet", plan=3), "build-and-ask-again"),
    (sit(answer="not-ready", gaps=1), "build-and-ask-again"),
    (sit(answer="no-budget", gaps=0, timing="bad"), "build-and-ask-again"),
    # ready with evidence and a good time: ask again now
    (sit(answer="not-yet", gaps=0), "ask-again-now"),
    (sit(gaps=0), "ask-again-now"),
    # a yes: ask now, for it in writing
    (sit(answer="yes", signals=("politics", "no-path")), "ask-again-now"),
])
def test_the_verdict(situation, verdict):
    assert decide(situation).verdict == verdict


def test_every_rule_rests_on_a_guide_section_that_exists_and_ids_are_unique():
    known = headings()
    for rule in RULES:
        assert [g.label() for g in rule.rests_on if (g.source, g.section) not in known] == []
    assert len({r.id for r in RULES}) == len(RULES)


# -- the service: the last answer, the plan -----------------------------------------------------
def _meeting(ctx, answer: str, status: str = "done") -> None:
    ctx.store.new_conversation(MEETING_KIND, title="Meeting", meta={
        "response_type": answer, "revealed": True, "status": status, "score": 0.5})


def test_the_last_answer_comes_from_the_profile_else_the_latest_scored_meeting(ctx):
    assert options_service.MEETING_KIND == MEETING_KIND
    ctx.store.save_profile(profile(months=20))
    assert options_service.options(ctx, TODAY).last_answer is None
    _meeting(ctx, "no-budget")
    _meeting(ctx, "no-fit")
    _meeting(ctx, "yes", status="active")  # not scored: ignored
    result = options_service.options(ctx, TODAY)
    assert result.last_answer == ResponseType.NO_FIT and "real meeting" in result.answer_from
    ctx.store.save_profile(profile(months=20, last_answer="not-yet"))
    result = options_service.options(ctx, TODAY)
    assert (result.last_answer, result.answer_from) == (ResponseType.NOT_YET, "from your profile")


def test_options_write_nothing(ctx):
    ctx.store.save_profile(profile(months=20, signals=("politics",)))
    options_service.options(ctx, TODAY)
    assert ctx.store.artifacts("readiness", "latest") == []


def test_cli_options_json(monkeypatch, capsys, ctx):
    ctx.store.save_profile(profile(months=20, signals=("politics", "no-path"),
                                   last_answer="no-fit"))
    data = cli_json(monkeypatch, capsys, ctx, "options", "--today", TODAY.isoformat())
    assert data["verdict"] == "look-outside" and data["last_answer"] == "no-fit"
    rules = [r["rule"] for r in data["reasons"]]
    assert {"no-path", "politics", "hard-no"} <= set(rules)
    assert all(r["rests_on"] and r["text"] for r in data["reasons"])


def test_options_need_a_profile(monkeypatch, capsys, ctx):
    assert "no profile yet" in cli_fail(monkeypatch, capsys, ctx, "options")


# -- the kit ------------------------------------------------------------------------------------
LOG = [
    entry(1, "Led the checkout service move to the new platform",
          metric="cut p95 latency from 900 ms to 350 ms", next_level=True,
          date=dt.date(2025, 2, 1)),
    entry(2, "Mentored two engineers to their first promotion", kind="mentoring",
          metric="2 engineers promoted", next_level=True, date=dt.date(2025, 1, 5)),
    entry(3, "Wrote the API deprecation policy", kind="strategy", next_level=True,
          date=dt.date(2024, 12, 1)),
    entry(4, "Fixed flaky tests", metric="CI failures down 60%", date=dt.date(2025, 3, 1)),
    entry(5, "Ran the on-call rota", next_level=True, date=dt.date(2024, 6, 1)),
]


def test_the_kit_answer_uses_the_strongest_next_level_entries_verbatim():
    p = profile(transition="senior-to-staff", current_title="Senior Engineer",
                target_title="Staff Engineer")
    kit = build_kit(p, LOG)
    assert kit.entries == [1, 2, 3]  # measured first, then the most recent
    assert kit.current_role.startswith("My title is Senior Engineer, but I have been working at "
                                       "the Staff Engineer level: I led the checkout service")
    for e in LOG[:2]:
        assert e.metric in kit.current_role
    assert "wrote the API deprecation policy" in kit.current_role
    assert "Fixed flaky tests" not in kit.current_role  # not next-level
    assert "title matches the work" in kit.current_role
    assert kit.search_titles == ["Staff Engineer", "Principal Engineer"]
    assert any("[#3]" in n for n in kit.notes)  # the entry without a result


@pytest.mark.parametrize("entries", [LOG, LOG[3:4], [], LOG[4:]])
def test_the_kit_never_states_a_figure_that_is_not_in_the_log(entries):
    p = profile(current_title="Engineer II", target_title="Senior Engineer III")
    kit = build_kit(p, entries)
    allowed = set().union(*(numbers_in(f"{e.title} {e.metric}") for e in entries),
                          numbers_in(p.current_title + " " + p.target_title))
    said = " ".join([kit.current_role, kit.summary, *kit.search_titles])
    assert numbers_in(said) <= allowed
    assert kit_problems(kit, p, entries) == []


def test_without_next_level_entries_the_kit_claims_no_next_level_work():
    kit = build_kit(profile(), LOG[3:4])
    assert "level" not in kit.current_role and "CI failures down 60%" in kit.current_role
    assert any("next-level" in n for n in kit.notes)


@pytest.mark.parametrize("title, field", [
    ("Senior Software Engineer", "Software Engineer"), ("Head of Data", "Data"),
    ("Engineering Manager", "Engineering"), ("Team Lead", ""), ("Staff Engineer", "Engineer"),
])
def test_the_field_of_a_title(title, field):
    assert field_of(title) == field


@pytest.mark.parametrize("transition, current, target, titles", [
    ("ic-to-lead", "Senior Data Analyst", "Lead Data Analyst",
     ["Lead Data Analyst", "Data Analyst Lead", "Team Lead"]),
    ("ic-to-lead", "Software Engineer", "Tech Lead", ["Tech Lead", "Lead Software Engineer",
                                                      "Software Engineer Lead", "Team Lead"]),
    ("lead-to-manager", "Team Lead", "Engineering Manager",
     ["Engineering Manager", "Team Manager"]),
    ("manager-to-director", "Engineering Manager", "Director of Engineering",
     ["Director of Engineering", "Head of Engineering", "Engineering Director"]),
    ("other", "Designer", "Design Lead", ["Design Lead"]),
])
def test_the_titles_to_search_for(transition, current, target, titles):
    p = profile(transition=transition, current_title=current, target_title=target)
    assert search_titles(p) == titles
    assert current not in search_titles(p)


def test_cli_kit_json(monkeypatch, capsys, ctx):
    ctx.store.save_profile(profile())
    for e in LOG[:2]:
        ctx.store.add_entry(EntryDraft(**e.model_dump(exclude={"id"})))
    data = cli_json(monkeypatch, capsys, ctx, "kit")
    assert data["current_role"].startswith("My title is Senior Software Engineer")
    assert "cut p95 latency from 900 ms to 350 ms" in data["current_role"]
    assert data["search_titles"][0] == "Tech Lead"
    assert {g["source"] for g in data["rests_on"]} == {"moving-companies.md"}
    assert re.search(r"\[#\d+\]", data["current_role"]) is None
