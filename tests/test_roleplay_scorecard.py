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
    (ResponseType.NOT_READY, "Which gaps do you see, specifically?", "I disagree."),
    (ResponseType.NO_FIT, "Thank you for being honest. What do you see for me instead?", "Then I quit."),
]


@pytest.mark.parametrize(("response_type", "passing", "failing"), HANDLING)
def test_handling_can_pass_and_fail(response_type, passing, failing):
    good = checks_for(["I'd like to talk about my promotion.", passing], response_type)["handling"]
    bad = checks_for(["I'd like to talk about my promotion.", failing], response_type)["handling"]
    assert good.verdict is Verdict.YES and good.method == "rule", good.reason
    assert bad.verdict is Verdict.NO and bad.method == "rule", bad.reason


def test_handling_before_the_answer_does_not_count():
    # The user asked for a revisit date before the manager answered, then said nothing useful.
    checks = checks_for(["Can we revisit in March with specific examples?", "Okay."], answer_after=1)
    assert checks["handling"].verdict is Verdict.NO


@pytest.mark.parametrize(("response_type", "line"), [
    (ResponseType.NOT_YET, "Can we revisit this in March?"),  # a date but no specifics
    (ResponseType.YES, "Could you email me?"),  # in writing, but what?
    (ResponseType.NOT_READY, "What do you think I should do?"),  # feedback, not gaps specifically
])
def test_inconclusive_handling_goes_to_the_judge(response_type, line):
    inp = ScoreInput(turns=transcript(["Hello.", line]), profile=PROFILE, facts=pick_facts(ENTRIES, 2),
                     persona=load_persona(response_type))
    checks, questions = rule_checks(inp)
    handling = next(c for c in checks if c.id == "handling")
    assert handling.verdict is Verdict.UNSCORED and handling.method == "judge"
    assert any(q.check_id == "handling" and q.lines == [line] for q in questions)


def test_handling_is_not_applicable_when_no_answer_came():
    checks = checks_for(["Hello.", "Okay."], answer_after=99)
    assert checks["handling"].verdict is Verdict.NA


def test_convincing_always_goes_to_the_judge():
    inp = ScoreInput(turns=transcript(["I cut errors 38%."]), profile=PROFILE, facts=pick_facts(ENTRIES, 2),
                     persona=load_persona(ResponseType.YES))
    checks, questions = rule_checks(inp)
    assert next(c for c in checks if c.id == "convincing").method == "judge"
    assert questions[0].check_id == "convincing" and "Engineering Manager" in questions[0].question


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
