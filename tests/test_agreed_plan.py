"""The plan agreed with the manager after a no (issue 21): the gaps read from the manager's
lines, matched to a criterion only when the words clearly match, dated before the revisit;
the revisit date as .ics with an alarm a week ahead; progress in the status; refresh never
overwrites an agreed item; and every bad input a clear message that saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.agreed_plan import (
    Gap,
    Target,
    agreed_due_dates,
    agreed_items,
    match_gap,
    parse_revisit,
    progress,
    read_gaps,
)
from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.expectations import default_expectations
from coach.domain.plan import Agreement, DevelopmentPlan, PlanItem, Step, refresh_plan
from coach.domain.profile import Transition
from coach.domain.roleplay import Turn
from coach.domain.status import build_status, status_text
from coach.services import agreed_plan, plan
from coach.services.roleplay import score_meeting
from tests.scenarios.helpers import cli_fail, cli_json, profile
from tests.test_framework_readiness import framed, run  # noqa: F401  (fixtures)
from tests.test_habit import events

TODAY = dt.date(2026, 12, 5)
REVISIT = "2027-06-01"


def turns(*pairs: tuple[str, str]) -> list[Turn]:
    return [Turn(speaker=s, text=t) for s, t in pairs]  # type: ignore[arg-type]


# -- reading the gaps from the manager's lines ----------------------------------------------------
@pytest.mark.parametrize("lines, want", [
    ([("manager", "Not yet. I'd want to see you lead a cross-team project over the next six "
                  "months.")], ["Lead a cross-team project"]),
    ([("manager", "Concretely, I'd want to see more from you on owning a roadmap end to end, "
                  "leading a cross-team decision and growing someone on the team.")],
     ["Owning a roadmap end to end", "Leading a cross-team decision",
      "Growing someone on the team"]),
    ([("manager", "Specifically, the gaps I see are handling conflict on the team without me "
                  "stepping in, setting direction rather than executing it and showing the "
                  "work beyond your own tasks.")],
     ["Handling conflict on the team without me stepping in",
      "Setting direction rather than executing it", "Showing the work beyond your own tasks"]),
    # The answer to "what would you need to see?" is a gap even without a lead-in.
    ([("you", "What would you need to see from me, specifically?"),
      ("manager", "Owning a cross-team project end to end.")],
     ["Owning a cross-team project end to end"]),
    ([("manager", "You need to work on your stakeholder communication.")],
     ["Work on your stakeholder communication"]),
    ([("manager", "I'd like to see you mentor a junior engineer, and then we can talk again.")],
     ["Mentor a junior engineer"]),
    ([("manager", "What I need to see is you owning the budget for the platform group.")],
     ["Owning the budget for the platform group"]),
    ([("manager", "You need to mentor the two junior analysts as well.")],
     ["Mentor the two junior analysts"]),
    # Two gaps in one sentence, the second with a lead of its own: the lead is not the gap.
    ([("manager", "I'd want to see you lead a cross-team project end to end, and you need to "
                  "mentor the two new hires.")],
     ["Lead a cross-team project end to end", "Mentor the two new hires"]),
])
def test_gaps_are_read_from_the_managers_statements(lines, want):
    gaps = read_gaps(turns(*lines))
    assert [g.text for g in gaps] == want
    assert all(g.said == lines[-1][1] and not g.typed for g in gaps)  # the line it came from


@pytest.mark.parametrize("lines", [
    [("manager", "There are a few things I'd want to see first, and then we can look again.")],
    [("manager", "Show me those and the picture changes.")],
    [("manager", "Show me a bit more over the next six months and we'll revisit it.")],
    [("manager", "What would you want to see from yourself?")],  # a question names no gap
    [("you", "I'd like to see a raise."), ("manager", "Let's talk later.")],  # the user's line
    [("you", "What would you need to see?"), ("manager", "Sure.")],
    [("manager", "We have no budget for that role this year.")],
    # Asked, and the answer names nothing concrete: no gap, not the answer split at its comma.
    [("you", "Is there anything specific I should work on?"),
     ("manager", "Not really, you're on the right track. Let's see how the year goes.")],
    [("you", "What would you need to see from me?"),
     ("manager", "Honestly, just keep doing what you're doing.")],
])
def test_no_gap_is_invented(lines):
    assert read_gaps(turns(*lines)) == []


BUILT_IN = [Target(id=e.id, name=e.title, demonstrate=e.description, words=e.title,
                   keywords=e.keywords) for e in default_expectations(Transition.IC_TO_LEAD)]
FRAMEWORK = [
    Target(id="l4.delivery.1", name="Delivery: Leads cross-team technical decisions",
           demonstrate="Leads cross-team technical decisions"),
    Target(id="l4.people.1", name="People: Grows engineers on the team through coaching",
           demonstrate="Grows engineers on the team through coaching"),
]


@pytest.mark.parametrize("gap, targets, want", [
    ("Lead a cross-team project", BUILT_IN, "project-coordination"),
    ("Mentor a junior engineer", BUILT_IN, "mentoring"),
    ("Your stakeholder communication", BUILT_IN, None),  # no clear match: the manager's words
    ("Be more visible", BUILT_IN, None),
    ("Present results to the leadership team", BUILT_IN, None),  # "leadership" is not "lead"
    ("Mentoring two analysts", BUILT_IN, "mentoring"),  # a word form of the keyword
    ("Leading a cross-team decision", FRAMEWORK, "l4.delivery.1"),
    ("Coaching engineers on the team", FRAMEWORK, "l4.people.1"),
    ("Own the budget", FRAMEWORK, None),
])
def test_a_gap_is_matched_only_when_the_words_match_clearly(gap, targets, want):
    found = match_gap(gap, targets)
    assert (found.id if found else None) == want


def test_an_item_names_its_criterion_or_keeps_the_managers_words():
    gaps = [Gap(text="Mentor a junior engineer", said="I'd like to see you mentor a junior "
                                                      "engineer."),
            Gap(text="Your stakeholder communication", typed=True)]
    first, second = agreed_items(gaps, BUILT_IN, today=TODAY, revisit=dt.date(2027, 6, 1),
                                 with_name="Dana")
    assert first.criterion == "mentoring" and first.criterion_name == "Mentoring others"
    assert first.demonstrate.startswith("Helps less experienced colleagues")
    assert first.text == "Mentor a junior engineer" and second.demonstrate == second.text
    assert first.gap == "Mentor a junior engineer" and first.said.startswith("I'd like")
    assert second.criterion == "" and second.text == "Your stakeholder communication"
    assert [i.id for i in (first, second)] == ["agreed-1", "agreed-2"]
    assert all(i.agreed and i.agreed_with == "Dana" and i.agreed_on == TODAY
               for i in (first, second))


# -- dates -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("count, revisit, want", [
    (1, dt.date(2027, 6, 1), [dt.date(2027, 5, 18)]),  # two weeks ahead of the revisit
    (3, dt.date(2027, 3, 5), [dt.date(2026, 12, 30), dt.date(2027, 1, 24),
                              dt.date(2027, 2, 19)]),
    (3, dt.date(2026, 12, 26), [dt.date(2026, 12, 12), dt.date(2026, 12, 19),
                                dt.date(2026, 12, 26)]),  # no room for the margin
    (2, TODAY, [TODAY, TODAY]),
    (0, dt.date(2027, 6, 1), []),
])
def test_due_dates_are_spread_before_the_revisit(count, revisit, want):
    dates = agreed_due_dates(count, TODAY, revisit)
    assert dates == want
    assert dates == sorted(dates) and all(TODAY <= d <= revisit for d in dates)


@pytest.mark.parametrize("value, code", [
    (None, "empty"), ("  ", "empty"), ("next spring", "bad-date"), ("2027-02-30", "bad-date"),
    ("2026-12-04", "past-date"), ("2030-01-01", "too-far"),
])
def test_a_bad_revisit_date_is_a_clear_error(value, code):
    with pytest.raises(CoachError) as err:
        parse_revisit(value, TODAY)
    assert err.value.code == code and err.value.field == "revisit"


def test_the_revisit_may_be_today_or_later():
    assert parse_revisit(" 2026-12-05 ", TODAY) == TODAY
    assert parse_revisit(dt.date(2027, 6, 1), TODAY) == dt.date(2027, 6, 1)


# -- refresh and progress --------------------------------------------------------------------------
def _agreed_plan() -> DevelopmentPlan:
    items = agreed_items([Gap(text="Mentor a junior engineer"), Gap(text="Own the on-call rota")],
                         BUILT_IN, today=TODAY, revisit=dt.date(2027, 6, 1), with_name="Dana")
    readiness = PlanItem(id="technical-depth", text="Write a design", why="Technical depth",
                         due=dt.date(2026, 12, 19))
    return DevelopmentPlan(created=TODAY, items=[readiness, *items], agreement=Agreement(
        agreed_on=TODAY, with_name="Dana", revisit=dt.date(2027, 6, 1)))


def test_a_readiness_refresh_never_overwrites_agreed_items():
    old = _agreed_plan()
    # Readiness now finds no gap at all, then a gap the agreed item already carries.
    new = refresh_plan(old, [], dt.date(2027, 1, 10), None)
    agreed = [i for i in new.items if i.agreed]
    assert agreed == [i for i in old.items if i.agreed] and new.agreement == old.agreement
    assert next(i for i in new.items if i.id == "technical-depth").closed_by == "log"
    again = refresh_plan(new, [Step(key="mentoring", text="Mentor", why="Mentoring others")],
                         dt.date(2027, 1, 11), None)
    assert "mentoring" not in {i.id for i in again.items}  # agreed-1 stands for it


def test_progress_counts_the_agreed_items_only():
    p = _agreed_plan()
    p.items[1] = p.items[1].model_copy(update={"done": True, "done_on": TODAY})
    got = progress(p, dt.date(2027, 1, 1))
    assert (got.done, got.total, got.days_to_revisit) == (1, 2, 151)
    assert got.next_item.id == "agreed-2"
    text = status_text(build_status([], p.items, dt.date(2027, 1, 1), agreed=got))
    assert "Agreed plan with Dana: 1 of 2 done; revisit 2027-06-01 (in 151 days)" in text
    assert "next agreed item: Own the on-call rota" in text
    assert progress(DevelopmentPlan(created=TODAY), TODAY) is None
    soon = build_status([], p.items, dt.date(2027, 5, 29), agreed=progress(p, dt.date(2027, 5, 29)))
    assert soon.headline.startswith("Your revisit with Dana is in 3 days: 1 of 2 agreed items")


# -- the service, the calendar file and the command line -------------------------------------------
NOT_YET = ("you: Thanks for the time, Dana. I'd like to talk about the Tech Lead role.\n"
           "manager: You're doing strong work, but not yet.\n"
           "you: What would you need to see from me, specifically?\n"
           "manager: I'd want to see you mentor a junior engineer and lead a cross-team project "
           "over the next six months.\n"
           "you: Can we revisit this in June?\nmanager: Yes, let's put it in the calendar.")
YES = ("you: I'd like to talk about the Tech Lead role.\nmanager: I agree, you're ready and I'll "
       "support it.")


def _seed(ctx):
    ctx.store.save_profile(profile())
    ctx.store.add_entries([EntryDraft(date=dt.date(2026, 11, 20), title="Cut checkout latency",
                                      metric="p95 down 40%")])


def _meeting(ctx, text=NOT_YET, response=None) -> int:
    return score_meeting(ctx, text, response=response).session_id


def test_gaps_are_shown_with_the_line_they_came_from(ctx, monkeypatch, capsys):
    _seed(ctx)
    mid = _meeting(ctx)
    data = cli_json(monkeypatch, capsys, ctx, "plan", "gaps", str(mid))
    assert [g["text"] for g in data["gaps"]] == ["Mentor a junior engineer",
                                                 "Lead a cross-team project"]
    assert data["gaps"][0]["said"].startswith("I'd want to see you mentor")
    assert data["answer"] == "not-yet"


def test_agree_from_a_meeting_writes_the_plan_and_the_revisit(ctx, monkeypatch, capsys,
                                                                 tmp_path):
    _seed(ctx)
    mid = _meeting(ctx)
    out = tmp_path / "revisit.ics"
    data = cli_json(monkeypatch, capsys, ctx, "plan", "agree", "--from-meeting", str(mid),
                    "--gap", "Speak up in the architecture review", "--revisit", REVISIT,
                    "--ics", str(out), "--today", TODAY.isoformat())
    items = data["items"]
    assert [i["criterion"] for i in items] == ["mentoring", "project-coordination", ""]
    assert [i["due"] for i in items] == ["2027-01-28", "2027-03-24", "2027-05-18"]
    assert all(i["agreed"] and i["agreed_with"] == "Dana Reyes" for i in items)
    assert data["agreement"] == {"agreed_on": "2026-12-05", "with_name": "Dana Reyes",
                                 "revisit": "2027-06-01", "meeting": mid}
    assert data["progress"]["done"] == 0 and data["progress"]["total"] == 3
    found = events(out.read_bytes())
    revisit = found[0]
    assert revisit["DTSTART"] == "20270601" and "Dana Reyes" in revisit["SUMMARY"]
    assert "TRIGGER:-P7D" in out.read_text()  # the alarm a week before
    assert sorted(e["DTSTART"] for e in found[1:]) == ["20270128", "20270324", "20270518"]
    # Saved in the development plan, progress in the status, done with `coach plan done`.
    status = cli_json(monkeypatch, capsys, ctx, "status", "--today", "2027-01-01")["status"]
    assert status["agreed"]["total"] == 3 and status["agreed"]["days_to_revisit"] == 151
    assert status["agreed"]["next_item"]["id"] == "agreed-1"
    cli_json(monkeypatch, capsys, ctx, "plan", "done", "agreed-1", "--today", "2027-01-02")
    status = cli_json(monkeypatch, capsys, ctx, "status", "--today", "2027-01-03")["status"]
    assert status["agreed"]["done"] == 1 and status["agreed"]["next_item"]["id"] == "agreed-2"


def test_the_text_output_shows_each_gap_with_its_line(ctx, monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    _seed(ctx)
    mid = _meeting(ctx)
    monkeypatch.setattr(Context, "open",
                        classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    assert main(["plan", "agree", "--from-meeting", str(mid), "--drop", "2", "--revisit",
                 REVISIT, "--with", "Dana", "--preview", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "1. Mentor a junior engineer" in out and "from: \u201cI'd want to see you" in out
    assert "2. Lead a cross-team project (left out)" in out and "Nothing saved" in out
    assert ctx.store.get_value(plan.PLAN_KEY) is None


def test_a_refresh_keeps_agreed_items_and_the_log_closes_a_shown_criterion(ctx):
    _seed(ctx)
    agreed_plan.agree_plan(ctx, revisit=REVISIT, gaps=["Mentor a junior engineer",
                                                       "Own the on-call rota"],
                           today=dt.date(2026, 10, 1))
    view = plan.refresh(ctx, today=dt.date(2026, 10, 20))
    assert {i.id for i in view.items if i.agreed and not i.done} == {"agreed-1", "agreed-2"}
    ctx.store.add_entries([EntryDraft(date=dt.date(2026, 11, 25), title="Mentored a new hire",
                                      kind=Kind.MENTORING)])
    view = plan.refresh(ctx, today=dt.date(2026, 12, 1))
    closed = next(i for i in view.items if i.id == "agreed-1")
    assert closed.done and closed.closed_by == "log" and "agreed-1" in view.closed
    assert not next(i for i in view.items if i.id == "agreed-2").done
    assert view.progress.done == 1


def test_an_earlier_mentoring_entry_does_not_close_what_the_manager_asked_for(ctx):
    _seed(ctx)
    ctx.store.add_entries([EntryDraft(date=dt.date(2026, 9, 1), title="Mentored an intern",
                                      kind=Kind.MENTORING)])
    agreed_plan.agree_plan(ctx, revisit=REVISIT, gaps=["Mentor a junior engineer"],
                           today=dt.date(2026, 10, 1))
    view = plan.refresh(ctx, today=dt.date(2026, 12, 1))
    assert not next(i for i in view.items if i.id == "agreed-1").done


def test_a_new_agreement_replaces_the_old_ones_items(ctx):
    _seed(ctx)
    agreed_plan.agree_plan(ctx, revisit=REVISIT, gaps=["A", "B"], today=TODAY)
    again = agreed_plan.agree_plan(ctx, revisit="2027-09-01", gaps=["Own the on-call rota"],
                                   with_name="Sam", today=TODAY)
    assert again.replaced == 2
    saved = plan.saved_plan(ctx)
    assert [i.gap for i in saved.items if i.agreed] == ["Own the on-call rota"]
    assert saved.agreement.with_name == "Sam"


def test_typed_gaps_can_replace_those_read(ctx):
    _seed(ctx)
    mid = _meeting(ctx)
    result = agreed_plan.agree_plan(ctx, revisit=REVISIT, meeting_id=mid, replace=True,
                                    gaps=["lead a cross-team project", "Present at the guild"],
                                    today=TODAY)
    first, second = result.items
    assert first.said.startswith("I'd want to see")  # the typed gap kept its line
    assert second.said == "" and second.gap == "Present at the guild"
    assert [g.text for g in result.dropped] == ["Mentor a junior engineer"]


@pytest.mark.parametrize("argv, words", [
    (["--gap", "X"], "the revisit date is missing. Pass --revisit DATE"),
    (["--gap", "X", "--revisit", "soon"], "'soon' is not a date (write it as YYYY-MM-DD). Give "
                                          "--revisit as YYYY-MM-DD."),
    (["--gap", "X", "--revisit", "2026-11-01"], "is in the past (today is 2026-12-05). Give "
                                                "--revisit the date you agreed"),
    (["--revisit", REVISIT], "there are no gaps to put in the plan. Pass --from-meeting ID"),
    (["--gap", "  ", "--revisit", REVISIT], "a gap is empty. Give each --gap a few words"),
    (["--gap", "x" * 301, "--revisit", REVISIT],
     "argument --gap: is too long (301 characters; the limit is 300)"),
    (["--from-meeting", "999", "--revisit", REVISIT], "there is no meeting #999."),
    (["--from-meeting", "{yes}", "--revisit", REVISIT], "your manager said yes"),
    (["--from-meeting", "{no_gaps}", "--revisit", REVISIT], "there are no gaps to put in"),
    (["--from-meeting", "{no_gaps}", "--drop", "3", "--revisit", REVISIT],
     "there is no gap 3 to leave out"),
    (["--gap", "X", "--revisit", REVISIT, "--ics", "plan.txt"],
     "argument --ics: 'plan.txt' does not end in .ics"),
    (["--from-meeting", "abc", "--revisit", REVISIT], "argument --from-meeting: 'abc' is not"),
])
def test_bad_input_is_named_in_the_terminals_words_and_saves_nothing(ctx, monkeypatch, capsys,
                                                                      argv, words):
    _seed(ctx)
    ids = {"yes": _meeting(ctx, YES),
           "no_gaps": _meeting(ctx, "you: I'd like the role.\nmanager: Not yet.")}
    argv = [a.format(**ids) for a in argv]
    err = cli_fail(monkeypatch, capsys, ctx, "plan", "agree", *argv, "--today", "2026-12-05")
    assert words in err, err
    assert ctx.store.get_value(plan.PLAN_KEY) is None
    assert not (ctx.settings.exports_dir / agreed_plan.ICS_NAME).exists()


def test_a_practice_role_play_is_not_a_real_meeting(ctx):
    _seed(ctx)
    convo = ctx.store.new_conversation("roleplay", title="practice",
                                       meta={"response_type": "not-yet", "revealed": True})
    with pytest.raises(CoachError) as err:
        agreed_plan.agree_plan(ctx, revisit=REVISIT, meeting_id=convo.id, today=TODAY)
    assert err.value.code == "not-real" and err.value.field == "meeting"


def test_only_real_meetings_that_were_not_a_yes_are_offered(ctx):
    _seed(ctx)
    no = _meeting(ctx)
    _meeting(ctx, YES)
    assert [m.id for m in agreed_plan.agreeable_meetings(ctx)] == [no]


# -- with a career framework in use: the target level's criteria, named ----------------------------


def test_with_a_framework_a_gap_is_matched_to_a_target_level_criterion(framed, ctx):  # noqa: F811
    found = {t.id: t for t in agreed_plan.targets(ctx)}
    assert found and len({i.split(".")[0] for i in found}) == 1  # one level: the target's
    result = agreed_plan.agree_plan(
        ctx, revisit="2027-03-01", with_name="Dana", today=dt.date(2026, 9, 1),
        gaps=["Set technical standards several teams adopt", "Be more visible in the org"])
    standards, visible = result.items
    assert found[standards.criterion].demonstrate == "Sets technical standards that several " \
                                                    "teams adopt."
    assert standards.criterion_name.endswith("Sets technical standards that several teams "
                                             "adopt.")
    assert visible.criterion == "" and visible.demonstrate == "Be more visible in the org"
