"""The scenarios' domain: the offer and interview plans per difficulty, the guard, the scorecards."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.offer import Offer, parse_salary
from coach.domain.profile import Profile, Transition
from coach.domain.responses import Difficulty
from coach.domain.roleplay import LogFact, Turn, Verdict, pick_facts
from coach.domain.roleplay.role_breaks import RoleBreak
from coach.domain.scenario import (
    InterviewPlan,
    OfferPlan,
    ScenarioGuard,
    offer_figures,
    parse_scenario,
    salary_pattern,
    score_interview,
    score_offer,
)
from coach.domain.text import numbers_in
from coach.services.scenario import load_brief

PROFILE = Profile(name="Sam Rivera", manager_name="Dana Lee", current_title="Tech Lead",
                  target_title="Engineering Manager", transition=Transition.LEAD_TO_MANAGER,
                  months_in_role=20)
OFFER = Offer(title="Engineering Manager", salary=parse_salary("$150k"),
              scope="the platform team of 6 engineers", benefits="a bonus of up to 10%",
              start=dt.date(2025, 10, 1))
ENTRIES = [
    Entry(id=1, date=dt.date(2025, 3, 14), title="Led the payments migration",
          metric="cut checkout errors 38%", kind=Kind.LEADERSHIP, next_level=True),
    Entry(id=2, date=dt.date(2025, 5, 2), title="Mentored two new engineers",
          metric="both shipping solo within 6 weeks", kind=Kind.MENTORING),
]
FACTS = pick_facts(ENTRIES, 3)


def offer_plan(level: str, offer: Offer | None = OFFER, seed: int = 1) -> OfferPlan:
    return OfferPlan(load_brief("offer"), Difficulty(level), PROFILE, offer, seed)


def interview_plan(level: str, facts: list[LogFact] = FACTS) -> InterviewPlan:
    return InterviewPlan(load_brief("interview"), Difficulty(level), PROFILE, facts, seed=1)


def play(plan, *lines: str) -> list[Turn]:
    """The plan's prepared lines as the counterpart's replies (no model)."""
    turns = [Turn(speaker="manager", text=plan.opening, move="opening")]
    for line in lines:
        directive = plan.plan(line)
        plan.commit(directive)
        turns += [Turn(speaker="you", text=line), Turn(speaker="manager", text=directive.fallback,
                                                       move=directive.move)]
    return turns


# -- the offer plan ----------------------------------------------------------------------------
@pytest.mark.parametrize("level, said, unsaid", [
    ("easy", ["$150k", "platform team", "bonus", "1 October 2025"], []),
    ("realistic", ["$150k"], ["platform team", "bonus", "October"]),
    ("tough", [], ["$150k", "platform team", "bonus", "October"]),
])
def test_what_each_difficulty_volunteers_in_the_opening(level, said, unsaid):
    opening = offer_plan(level).opening
    assert "Engineering Manager" in opening
    assert all(s in opening for s in said), opening
    assert not any(u in opening for u in unsaid), opening


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tough_presses_for_an_answer_in_the_opening(seed):
    opening = offer_plan("tough", seed=seed).opening
    assert any(w in opening for w in ("today", "soon", "accepting")), opening


@pytest.mark.parametrize("level, first, second", [
    ("easy", "writing-agree", "writing-agree"),
    ("realistic", "writing-agree", "writing-agree"),
    ("tough", "writing-defer", "writing-agree"),
])
def test_writing_is_promised_at_once_except_when_tough(level, first, second):
    plan = offer_plan(level)
    one = plan.plan("Could you put that in writing?")
    plan.commit(one)
    two = plan.plan("I'd really like it in writing, please.")
    assert (one.move, two.move) == (first, second)
    if first == "writing-defer":
        assert "a promise in writing" in one.must_not


@pytest.mark.parametrize("level, move", [("easy", "time-easy"), ("realistic", "time-realistic"),
                                         ("tough", "time-tough")])
def test_time_to_decide_per_difficulty(level, move):
    directive = offer_plan(level).plan("Could I take a couple of days to think it over?")
    assert directive.move == move
    if level == "tough":
        assert "today" in directive.fallback or "open" in directive.fallback
    else:
        assert "today" not in directive.fallback


def test_pay_is_given_with_its_figure_then_held_firm_when_tough():
    plan = offer_plan("tough")
    pay = plan.plan("What is the salary?")
    assert pay.move == "pay" and "$150k" in pay.fallback and "the salary" in pay.must_say
    plan.commit(pay)
    push = plan.plan("I was hoping for more, given market pay for the level.")
    assert push.move == "pay-push-tough" and "more pay" in push.must_not
    assert not numbers_in(push.fallback)


@pytest.mark.parametrize("topic_line, move", [
    ("What would I own in the role?", "scope"), ("Does the bonus change?", "benefits"),
    ("When would it take effect?", "start-date"), ("What's the salary?", "pay"),
])
def test_each_question_gets_its_fact(topic_line, move):
    directive = offer_plan("tough").plan(topic_line)
    assert directive.move == move, directive


def test_without_a_saved_offer_no_figure_is_said():
    plan = offer_plan("easy", offer=None)
    said = [plan.opening]
    for line in ("What's the salary?", "What would I own?", "And the benefits?", "When does it start?"):
        directive = plan.plan(line)
        assert directive.move.startswith("nofact-")
        plan.commit(directive)
        said.append(directive.fallback)
    assert not any(numbers_in(s) for s in said), said
    assert plan.known_figures() <= numbers_in(PROFILE.current_title + PROFILE.target_title)


def test_accepting_ends_the_conversation_without_the_model():
    directive = offer_plan("realistic").plan("Thank you, I accept.")
    assert directive.state.ended and not directive.needs_model and directive.move == "close"


def test_the_same_seed_gives_the_same_lines():
    a, b = offer_plan("realistic", seed=5), offer_plan("realistic", seed=5)
    assert a.opening == b.opening
    assert a.plan("What about scope?").fallback == b.plan("What about scope?").fallback


def test_offer_figures_cover_the_ways_a_salary_and_date_are_said():
    figures = offer_figures(OFFER)
    assert {"150", "150000", "10", "2025", "1", "6"} <= figures
    import re
    assert all(re.search(salary_pattern(OFFER), s) for s in ("$150k", "150,000", "150 thousand", "150000"))
    assert not re.search(salary_pattern(OFFER), "$160k")


def test_an_unknown_scenario_is_a_clear_error():
    with pytest.raises(CoachError, match="unknown scenario 'pitch'") as info:
        parse_scenario("pitch")
    assert info.value.code == "bad-scenario" and "offer" in (info.value.hint or "")


# -- the interview plan ------------------------------------------------------------------------
def test_the_interview_asks_role_evidence_why_then_questions():
    plan = interview_plan("realistic")
    assert "current role" in plan.opening
    turns = play(plan, "I'm a tech lead.", "I led the payments migration.", "I want a bigger scope.",
                 "No questions, thanks.")
    moves = [t.move for t in turns if t.speaker == "manager"]
    assert moves == ["opening", "evidence", "why-move", "questions", "close"]


@pytest.mark.parametrize("level, pushes", [("easy", False), ("realistic", False), ("tough", True)])
def test_only_tough_pushes_back_and_only_once(level, pushes):
    plan = interview_plan(level)
    turns = play(plan, "I do a lot of stuff.", "Various things, really.", "I'd like to grow.")
    moves = [t.move for t in turns if t.speaker == "manager"]
    assert moves.count("pushback") == (1 if pushes else 0)
    if pushes:
        assert moves[1] == "pushback" and moves[2] == "evidence"


def test_a_specific_answer_gets_no_pushback_even_when_tough():
    plan = interview_plan("tough")
    directive = plan.plan("Currently Tech Lead; I led the payments migration, which cut checkout errors 38%.")
    assert directive.move == "evidence" and directive.asks


# -- the guard ---------------------------------------------------------------------------------
def guard(scenario: str = "offer", **kw) -> ScenarioGuard:
    plan = offer_plan("realistic") if scenario == "offer" else interview_plan("realistic")
    return ScenarioGuard(manager_name="Dana Lee", user_name="Sam Rivera", hidden=plan.hidden_text(),
                         known_figures=plan.known_figures(), max_sentences=3, scenario=scenario, **kw)


@pytest.mark.parametrize("reply, broken", [
    ("The base salary is $180k, and we can talk about the rest.", RoleBreak.INVENTED_FIGURE),
    ("Thank you for the offer, I accept.", RoleBreak.EMPLOYEE_VOICE),
    ("Can I have it in writing? I'd like some time to think.", RoleBreak.EMPLOYEE_VOICE),
    ("You should ask for more money here; try saying you have another offer.", RoleBreak.COACHING),
    ("As an AI, I can't make offers.", RoleBreak.META),
    ("In this mock meeting I play your HR partner.", RoleBreak.META),
    ("You are presenting a promotion offer to the person in front of you.", RoleBreak.REVEALS_BRIEF),
    ("1. Salary\n2. Scope", RoleBreak.FORMAT),
])
def test_the_offer_guard_rejects(reply, broken):
    verdict = guard().check(reply)
    assert broken in verdict.breaks, verdict


def test_the_offer_guard_passes_an_in_role_reply_with_the_offers_figure():
    verdict = guard().check("The base salary would be $150k, starting on 1 October.",
                            must_say={"the salary": salary_pattern(OFFER)})
    assert verdict.ok, verdict.reasons


def test_the_user_s_own_figure_is_not_the_offers():
    """In the offer a counterpart never says a figure the offer does not hold, even one the user said."""
    verdict = guard().check("Fine, we can do $170k.", heard="I'd like $170k.")
    assert RoleBreak.INVENTED_FIGURE in verdict.breaks


def test_a_turn_must_say_its_fact_and_keep_its_stance():
    g = guard()
    pay = {"the salary": salary_pattern(OFFER)}
    assert RoleBreak.MISSES_ANSWER in g.check("It's a good number.", must_say=pay).breaks
    assert RoleBreak.CONTRADICTS_TYPE in g.check("Sure, I'll send you a letter today.",
                                                 must_not={"a promise": r"\bi'?ll send\b"}).breaks


@pytest.mark.parametrize("reply, broken", [
    ("In my current role I lead a team of engineers.", RoleBreak.EMPLOYEE_VOICE),
    ("A good way to answer is to name your results.", RoleBreak.COACHING),
    ("I led the payments migration myself.", RoleBreak.EMPLOYEE_VOICE),
    ("Tell me about the 45% drop.", RoleBreak.INVENTED_FIGURE),
    ("I understand. What's the reason they want to move now?", RoleBreak.THIRD_PERSON),
])
def test_the_interview_guard_rejects(reply, broken):
    g = guard("interview", user_claims=[f.first_person for f in FACTS])
    assert broken in g.check(reply).breaks


def test_the_interviewer_may_mention_coaching_and_the_candidate_s_figures():
    g = guard("interview", allow_heard=True)
    verdict = g.check("You mentioned coaching two engineers and a 38% drop. How did you measure it?",
                      heard="errors fell 38%", ask=True)
    assert verdict.ok, verdict.reasons


# -- the scorecards ----------------------------------------------------------------------------
def offer_card(*lines: str, level: str = "realistic", offer: Offer | None = OFFER):
    return score_offer(play(offer_plan(level, offer), *lines), offer, level)


@pytest.mark.parametrize("check_id, line", [
    ("thanks", "Thank you, I really appreciate it."),
    ("time-to-decide", "Could I take a couple of days to read it?"),
    ("pay", "Is the salary $150k base?"),
    ("scope", "Which responsibilities change?"),
    ("scope", "What exactly will I own from day one?"),
    ("benefits", "Does the bonus change?"),
    ("start-date", "When does it take effect?"),
    ("in-writing", "Could you confirm it all by email?"),
])
def test_each_offer_check_says_yes_when_the_user_does_it(check_id, line):
    check = offer_card(line, level="tough").check(check_id)
    assert check.verdict is Verdict.YES and check.quote == line


@pytest.mark.parametrize("check_id", ["thanks", "time-to-decide", "pay", "scope", "benefits", "start-date",
                                      "in-writing"])
def test_each_offer_check_says_no_with_a_reason_and_a_better_line(check_id):
    card = offer_card("Okay.", "Sounds fine.", level="tough")
    check = card.check(check_id)
    assert check.verdict is Verdict.NO and check.reason and check.improved
    assert set(numbers_in(check.improved)) <= offer_figures(OFFER), check.improved


def test_accepting_on_the_spot_is_a_no_on_time_with_the_quote():
    check = offer_card("Great, I accept.").check("time-to-decide")
    assert check.verdict is Verdict.NO and check.quote == "Great, I accept." and "on the spot" in check.reason


def test_facts_stated_before_asking_are_not_counted_against_the_user():
    card = offer_card("Thank you.", level="easy")
    assert {card.check(c).verdict for c in ("scope", "benefits", "start-date")} == {Verdict.NA}
    assert card.check("pay").verdict is Verdict.NO  # read the number: the pay is always the user's to check


def test_better_lines_without_a_saved_offer_carry_no_figure():
    card = offer_card("Okay.", offer=None)
    assert all(not numbers_in(c.improved) for c in card.checks), [c.improved for c in card.checks]
    assert not any(re.search(r"\b(\w+) \1\b", c.improved) for c in card.checks)  # "the the"


def interview_card(*lines: str, level: str = "realistic"):
    return score_interview(play(interview_plan(level), *lines), PROFILE, ENTRIES, FACTS, level)


STRONG_ROLE = ("I'm currently a Tech Lead, but I've been operating at the Engineering Manager level: "
               "I led the payments migration, which cut checkout errors 38%.")


@pytest.mark.parametrize("lines, check_id, verdict", [
    ((STRONG_ROLE,), "framing", Verdict.YES),
    (("I'm a tech lead and I work hard.",), "framing", Verdict.NO),
    ((STRONG_ROLE,), "evidence", Verdict.YES),
    (("I'm a tech lead.", "I led the payments migration."), "evidence", Verdict.NO),
    (("I'm a tech lead.", "Stuff.", "I'm looking for a bigger scope and a title that matches the work."),
     "why-move", Verdict.YES),
    (("I'm a tech lead.", "Stuff.", "My manager is useless and the place is toxic."), "why-move", Verdict.NO),
    (("I'm a tech lead.", "Stuff.", "Money, mostly."), "why-move", Verdict.NO),
    (("I'm a tech lead.", "Stuff."), "why-move", Verdict.NA),  # ended before answering
])
def test_interview_checks(lines, check_id, verdict):
    check = interview_card(*lines).check(check_id)
    assert check.verdict is verdict, check
    if verdict is Verdict.NO:
        assert check.reason and check.improved


def test_a_named_result_without_its_figure_says_which_figure():
    check = interview_card("I'm a tech lead.", "I led the payments migration.").check("evidence")
    assert "cut checkout errors 38%" in check.reason and "38%" in check.improved


def test_bad_mouthing_quotes_the_words_and_says_why():
    check = interview_card("I'm a tech lead.", "Stuff.", "Honestly my manager is useless.").check("why-move")
    assert check.quote == "Honestly my manager is useless." and "manager is useless" in check.reason
    assert "moving toward" in check.reason


def test_framing_no_names_what_was_missing_and_offers_the_kit_answer():
    check = interview_card("I'm a tech lead and I work hard.").check("framing")
    assert "Engineering Manager" in check.reason and "operating at the Y level" in check.reason
    assert check.improved.startswith("My title is Tech Lead")


def test_a_counterpart_word_that_sounds_like_a_topic_does_not_count_as_stating_it():
    """'leave this open' is not the benefits: what was stated is read from the plan's moves."""
    turns = [Turn(speaker="manager", text="We'd like to offer you the role.", move="opening"),
             Turn(speaker="you", text="Can I have a few days?"),
             Turn(speaker="manager", text="I'd rather not leave this open.", move="time-tough")]
    assert score_offer(turns, OFFER, "tough").check("benefits").verdict is Verdict.NO


@pytest.mark.parametrize("level", ["easy", "realistic", "tough"])
@pytest.mark.parametrize("line", ["Thanks.", "What's the salary?", "I was hoping for more pay.",
                                  "Could I have a few days to decide?", "Can I have a few days?",
                                  "Could you put it in writing?", "Please put it in writing.",
                                  "What would I own?", "And the start date?", "Any bonus?"])
def test_every_prepared_line_passes_its_own_move_s_checks(level, line):
    """The fallback is what the user sees when the model fails: it must say what the move says."""
    plan = offer_plan(level)
    for said in ("What's the salary?", line):
        directive = plan.plan(said)
        g = guard()
        verdict = g.check(directive.fallback, must_say=directive.must_say, must_not=directive.must_not,
                          ask=directive.asks)
        assert verdict.ok, (directive.move, directive.fallback, verdict.reasons)
        plan.commit(directive)


@pytest.mark.parametrize("level", ["easy", "realistic", "tough"])
@pytest.mark.parametrize("lines", [("Stuff.", "Things.", "More stuff.", "A question?", "No."),
                                   (STRONG_ROLE, "I mentored two new engineers; both shipped solo within 6 "
                                    "weeks.", "I want a bigger scope.", "How big is the team?", "Thanks.")])
def test_every_prepared_interview_line_passes_the_guard(level, lines):
    plan = interview_plan(level)
    for line in lines:
        if plan.state.ended:
            break
        directive = plan.plan(line)
        verdict = guard("interview").check(directive.fallback, ask=directive.asks)
        assert verdict.ok, (directive.move, directive.fallback, verdict.reasons)
        plan.commit(directive)


def test_a_pushback_that_does_not_push_is_rejected():
    plan = interview_plan("tough")
    directive = plan.plan("I do a lot of stuff.")
    assert directive.move == "pushback"
    verdict = guard("interview").check("Great, tell me about your current role.", ask=True,
                                       must_say=directive.must_say)
    assert RoleBreak.MISSES_ANSWER in verdict.breaks
