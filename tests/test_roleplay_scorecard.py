"""Every deterministic scorecard check can pass and fail, on the user's own words."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.evidence import Entry, Kind
from coach.domain.profile import Profile, Transition
from coach.domain.roleplay import (
    CheckResult,
    ResponseType,
    Scorecard,
    ScoreInput,
    Turn,
    Verdict,
    pick_facts,
    rule_checks,
)
from coach.prompts import load_persona

PROFILE = Profile(name="Sam Rivera", manager_name="Dana Lee", current_title="Tech Lead",
                  target_title="Engineering Manager", transition=Transition.LEAD_TO_MANAGER,
                  months_in_role=20)
ENTRIES = [
    Entry(id=1, date=dt.date(2025, 3, 14), title="Led the payments migration",
          metric="cut checkout errors 38%", kind=Kind.LEADERSHIP, next_level=True),
    Entry(id=2, date=dt.date(2025, 5, 2), title="Mentored two new engineers",
          metric="both shipping solo within 6 weeks", kind=Kind.MENTORING),
]
NEUTRAL = "Okay."


def transcript(user_lines: list[str], answer_after: int = 1) -> list[Turn]:
    """Alternate user lines with manager replies; the manager answers after line `answer_after`."""
    turns = [Turn(speaker="manager", text="Hi, come in.", move="opening")]
    for i, line in enumerate(user_lines, 1):
        turns.append(Turn(speaker="you", text=line))
        move = "answer" if i == answer_after else "respond"
        turns.append(Turn(speaker="manager", text="I see.", move=move))
    return turns


def checks_for(lines: list[str], response_type=ResponseType.NOT_YET,
               answer_after: int = 1) -> dict[str, CheckResult]:
    inp = ScoreInput(turns=transcript(lines, answer_after), profile=PROFILE,
                     facts=pick_facts(ENTRIES, 2), persona=load_persona(response_type),
                     today=dt.date(2025, 9, 1))
    checks, _ = rule_checks(inp)
    return {c.id: c for c in checks}


# Each row: check id, lines that pass, lines that fail.
CASES = [
    ("appreciation", ["Thanks for making time today."], ["So, about my promotion."]),
    ("appreciation", ["Hi.", "I really appreciate your support."], ["Hi.", "Let's get into it."]),
    ("appreciation", ["I'm grateful for the stretch work."], ["Hi.", "Hello.", "Thank you."]),
    ("goal", ["I'd like to become an engineering manager."], ["I'd like to be promoted."]),
    ("goal", ["The ENGINEERING  MANAGER role is my goal."], ["I want to move up to manager."]),
    ("evidence", ["I cut checkout errors by 38%."], ["I work really hard."]),
    ("evidence", ["I led the payments migration."], ["I've been here six months."]),
    ("evidence", ["We saved $50K a year."], ["I'd like to revisit in 3 months."]),
    ("feedback", ["What do you think?"], ["I think I'm ready."]),
    ("feedback", ["What gaps would I need to close?"], ["I have no gaps."]),
    ("feedback", ["Any feedback on my case?"], ["Here is my case."]),
    ("feedback", ["What would you need to see from me?"], ["You need to see this."]),
    ("timeline", ["Can we revisit this in six months?"], ["I've been doing this for two years."]),
    ("timeline", ["What's a realistic timeline?"], ["May I ask something?"]),
    ("timeline", ["Could it happen by the end of Q3?"], ["I shipped it within 6 weeks."]),
    ("timeline", ["Could we aim for March?"], ["I did this over the last six months."]),
    ("close", ["Hi.", "Thanks, I'll send you a recap email."], ["Hi.", "Thanks, bye."]),
    ("close", ["Hi.", "Thank you. Let's check in next month."], ["Hi.", "I'll send a recap."]),
]


@pytest.mark.parametrize(("check_id", "passing", "failing"), CASES)
def test_each_rule_check_can_pass_and_fail(check_id, passing, failing):
    good, bad = checks_for(passing)[check_id], checks_for(failing)[check_id]
    assert good.verdict is Verdict.YES, good.reason
    assert good.method == "rule"
    assert good.quote and good.quote in " ".join(passing)
    assert bad.verdict is Verdict.NO, (failing, bad.reason)
    assert bad.reason


# Response-specific handling: lines after the manager's answer.
HANDLING = [
    (ResponseType.YES, "Could you confirm the start date and requirements by email?", "Great, thanks."),
    (ResponseType.NOT_YET, "Can you give me specific examples? If I show them, can we revisit in March?",
     "Okay then."),
    (ResponseType.NO_BUDGET, "What would it take to create the role next year, or are there other paths?",
     "That's unfair."),
    (ResponseType.NOT_READY, "Which gaps do you see, specifically? Could we map out a plan?", "I disagree."),
    (ResponseType.NO_FIT, "Thank you for being honest. What do you see for me instead?", "Then I quit."),
]


@pytest.mark.parametrize(("response_type", "passing", "failing"), HANDLING)
def test_handling_can_pass_and_fail(response_type, passing, failing):
    good = checks_for(["I'd like to talk about my promotion.", passing], response_type)["handling"]
    bad = checks_for(["I'd like to talk about my promotion.", failing], response_type)["handling"]
    assert good.verdict is Verdict.YES and good.method == "rule", good.reason
    assert bad.verdict is Verdict.NO and bad.method == "rule", bad.reason


def test_handling_long_before_the_answer_does_not_count():
    # The user asked for a revisit date two lines before the answer, then said nothing useful.
    checks = checks_for(["Can we revisit in March with specific examples?", "Here is my case.", "Okay."],
                        answer_after=2)
    assert checks["handling"].verdict is Verdict.NO


def test_the_question_that_drew_the_answer_counts():
    """Issue 16: the specifics question the manager answered with 'not yet' is part of the handling."""
    lines = ["What would you need to see from me, specifically, before you could back it?",
             "If I take those on over the next two quarters, can we put a date in the calendar to revisit?"]
    handling = checks_for(lines, ResponseType.NOT_YET, answer_after=1)["handling"]
    assert handling.verdict is Verdict.YES and handling.method == "rule", handling.reason
    assert "specifically" in handling.quote and "revisit" in handling.quote


@pytest.mark.parametrize(("response_type", "line", "missing"), [
    (ResponseType.NOT_YET, "Can we revisit this in March?", "ask for specific examples"),
    (ResponseType.YES, "When would it start?", "ask for the details in writing"),
    (ResponseType.NOT_READY, "Which gaps do you see, specifically?", "ask for a concrete plan"),
    (ResponseType.NO_FIT, "Okay, I see.", "ask about the path forward"),
])
def test_partial_handling_is_a_no_that_says_what_is_missing(response_type, line, missing):
    handling = checks_for(["Hello.", line], response_type)["handling"]
    assert handling.verdict is Verdict.NO and handling.method == "rule"
    assert missing in handling.reason


def test_arguing_with_the_answer_is_named_in_the_reason():
    lines = ["Hello.", "That's not fair. Who are you giving it to?"]
    handling = checks_for(lines, ResponseType.NO_FIT)["handling"]
    assert handling.verdict is Verdict.NO
    assert "argued with the answer" in handling.reason and "not fair" in handling.quote


def test_an_unmarked_transcript_finds_the_answer_in_the_managers_words():
    """A pasted real meeting has no moves: the manager's decision line is the answer."""
    turns = [Turn(speaker="manager", text="Hi, what's up?"),
             Turn(speaker="you", text="I'd like to talk about the next step."),
             Turn(speaker="manager", text="Why do you think you're ready for it?"),
             Turn(speaker="you", text="I led the payments migration."),
             Turn(speaker="manager", text="I see you getting there, but not yet."),
             Turn(speaker="you", text="Could you give me specific examples, and can we revisit in March?")]
    inp = ScoreInput(turns=turns, profile=PROFILE, facts=pick_facts(ENTRIES, 2),
                     persona=load_persona(ResponseType.NOT_YET))
    handling = next(c for c in rule_checks(inp)[0] if c.id == "handling")
    assert handling.verdict is Verdict.YES, handling.reason


def test_handling_is_not_applicable_when_no_answer_came():
    checks = checks_for(["Hello.", "Okay."], answer_after=99)
    assert checks["handling"].verdict is Verdict.NA


@pytest.mark.parametrize(("lines", "verdict", "why"), [
    (["I led the payments migration, which cut checkout errors 38%."], Verdict.YES, "next-level work"),
    (["I've been here two years and I work really hard."], Verdict.NO, "time served or effort"),
    (["I mentored two new engineers; both were shipping solo within 6 weeks."], Verdict.NO,
     "results of your current role"),
    (["I led the payments migration."], Verdict.NO, "gave no number"),
])
def test_convincing_is_decided_by_rules_when_the_log_tells(lines, verdict, why):
    convincing = checks_for(lines)["convincing"]
    assert convincing.verdict is verdict and convincing.method == "rule"
    assert why in convincing.reason


def test_convincing_goes_to_the_judge_only_when_the_results_are_not_in_the_log():
    inp = ScoreInput(turns=transcript(["I grew the support team from 3 to 9 people."]), profile=PROFILE,
                     facts=pick_facts(ENTRIES, 2), persona=load_persona(ResponseType.YES))
    checks, questions = rule_checks(inp)
    assert next(c for c in checks if c.id == "convincing").method == "judge"
    assert [q.check_id for q in questions] == ["convincing"]
    assert "Engineering Manager" in questions[0].question and questions[0].seen == ["3", "9"]


def test_every_no_says_why():
    checks = checks_for(["So.", "Okay.", "Bye."], ResponseType.NOT_READY)
    assert all(c.reason for c in checks.values() if c.verdict is Verdict.NO)


def test_no_fit_does_not_require_a_timeline():
    assert checks_for(["Hello."], ResponseType.NO_FIT)["timeline"].verdict is Verdict.NA
    assert checks_for(["Hello."], ResponseType.NOT_YET)["timeline"].verdict is Verdict.NO


def test_an_empty_meeting_is_not_applicable_everywhere():
    inp = ScoreInput(turns=[Turn(speaker="manager", text="Hi.", move="opening")], profile=PROFILE,
                     persona=load_persona(ResponseType.YES))
    checks, questions = rule_checks(inp)
    assert {c.verdict for c in checks} == {Verdict.NA} and questions == []


@pytest.mark.parametrize(("verdicts", "score"), [
    (["yes", "yes", "no", "n/a", "unscored"], 2 / 3),
    (["yes"], 1.0),
    (["no", "n/a"], 0.0),
    (["n/a", "unscored"], 0.0),
])
def test_score_counts_only_yes_and_no(verdicts, score):
    card = Scorecard(response_type=ResponseType.YES, difficulty="easy", checks=[
        CheckResult(id=f"c{i}", step="s", verdict=Verdict(v)) for i, v in enumerate(verdicts)])
    assert card.score == pytest.approx(score, abs=1e-3)
    assert card.model_dump()["score"] == card.score


def test_improved_lines_fall_back_to_a_placeholder_without_a_log():
    inp = ScoreInput(turns=transcript(["Hi."]), profile=PROFILE, facts=[],
                     persona=load_persona(ResponseType.YES))
    checks, _ = rule_checks(inp)
    evidence = next(c for c in checks if c.id == "evidence")
    assert "[your strongest result, with its number]" in evidence.improved


def test_the_question_that_drew_the_answer_counts_even_when_the_meeting_ends_there():
    """Issue 16: 'what would it take to create the role' drew the no-budget answer, then the
    meeting closed; that is handled, not 'not needed'."""
    lines = ["Hi.", "What would it take to create the role, or are there other paths?"]
    handling = checks_for(lines, ResponseType.NO_BUDGET, answer_after=2)["handling"]
    assert handling.verdict is Verdict.YES, handling.reason
    # Nothing relevant before the answer and nothing after: still not applicable.
    nothing = checks_for(["Hi.", "Okay."], ResponseType.NO_BUDGET, answer_after=2)["handling"]
    assert nothing.verdict is Verdict.NA
