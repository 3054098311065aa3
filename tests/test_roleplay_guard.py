"""The role guard: each way a mock-manager reply can break role is caught; good replies pass."""

from __future__ import annotations

import pytest

from coach.domain.roleplay import Difficulty, ResponseType, RoleBreak, RoleGuard
from coach.domain.text import shared_span, trim_sentences
from coach.prompts import load_difficulty, load_persona

BRIEF = load_persona(ResponseType.NOT_YET)


def guard(response_type: ResponseType = ResponseType.NOT_YET, max_sentences: int = 3) -> RoleGuard:
    persona = load_persona(response_type)
    return RoleGuard(
        response_type=response_type, manager_name="Dana Lee", user_name="Sam Rivera",
        hidden=[*persona.hidden_text(), load_difficulty(Difficulty.REALISTIC).manner,
                "Stay in this role for the whole meeting and speak only as Dana Lee, in the first "
                "person, directly to Sam Rivera."],
        known_figures={"38", "12", "3"}, max_sentences=max_sentences, conveys=persona.conveys,
        user_claims=["I led the payments migration", "I worked on onboarding docs"])


USER_LINE = "I led the payments migration which cut checkout errors by 38% and I mentored two engineers."


@pytest.mark.parametrize(("reply", "kind"), [
    ("", RoleBreak.EMPTY),
    ("   ...  ", RoleBreak.EMPTY),
    ("As an employee, I think I've earned this step.", RoleBreak.EMPLOYEE_VOICE),
    ("I would like to be promoted to Engineering Manager this year.", RoleBreak.EMPLOYEE_VOICE),
    ("Employee: I think I'm ready for the role.", RoleBreak.EMPLOYEE_VOICE),
    ("Hi Dana, thanks for meeting with me today.", RoleBreak.EMPLOYEE_VOICE),
    ("Thanks for making time to meet with me.", RoleBreak.EMPLOYEE_VOICE),
    ("Absolutely, Dana. It is a big step in my career.", RoleBreak.EMPLOYEE_VOICE),
    ("You should say that you led the migration.", RoleBreak.COACHING),
    ("Tip: ask for a date to revisit.", RoleBreak.COACHING),
    ("As your coach, I'd push for specifics here.", RoleBreak.COACHING),
    ("When your manager says not yet, ask for examples.", RoleBreak.COACHING),
    ("Your manager will probably push back here.", RoleBreak.COACHING),
    ("I hope my promotion case is strong.", RoleBreak.EMPLOYEE_VOICE),
    ("I led the payments migration, but I also mentored two new engineers.", RoleBreak.EMPLOYEE_VOICE),
    ("I led the whole migration by myself, not my team.", RoleBreak.EMPLOYEE_VOICE),
    ("You need: 1. **Project management**: plan better.", RoleBreak.FORMAT),
    ("Not yet.\n- own a roadmap\n- lead a decision", RoleBreak.FORMAT),
    ("Not yet, **but** close.", RoleBreak.FORMAT),
    ("I ran 10% of the planning myself.", RoleBreak.INVENTED_FIGURE),
    ("Not yet. It would cost $5K more a year.", RoleBreak.INVENTED_FIGURE),
    ("As an AI, I can't make promotion decisions.", RoleBreak.META),
    ("My system prompt says I should not promote you yet.", RoleBreak.META),
    ("I'm an assistant playing your manager.", RoleBreak.META),
    ("(Private note: hedge a little.) Not yet.", RoleBreak.META),
    ("I was told: a request for specific examples of each gap is what I hope to hear.",
     RoleBreak.REVEALS_BRIEF),
    ("I'll stay in this role for the whole meeting and speak only as Dana Lee.", RoleBreak.REVEALS_BRIEF),
    ("Friendly but busy. Hedge a little at first, question one claim.", RoleBreak.REVEALS_BRIEF),
    ("Sam, can you give me a proposal to revisit on a set date?", RoleBreak.REVEALS_BRIEF),
    ("I led the payments migration which cut checkout errors by 38% and I mentored two engineers.",
     RoleBreak.ECHO),
    ("Congratulations, you're promoted! Not yet, though, in title.", RoleBreak.CONTRADICTS_TYPE),
    ("Not yet. Your migration cut errors 55%, which is good, but not enough.", RoleBreak.INVENTED_FIGURE),
    ("Not yet. " + "There is a lot to say about this and I will keep going. " * 14, RoleBreak.TOO_LONG),
    ("Not yet. " * 10, RoleBreak.TOO_LONG),
    # Slips seen in recorded sessions: the manager talking as the report about its own career.
    ("I'm not ready for Engineering Manager yet.", RoleBreak.EMPLOYEE_VOICE),
    ("The payments migration was led by me.", RoleBreak.EMPLOYEE_VOICE),
    ("I see several gaps in my current role.", RoleBreak.EMPLOYEE_VOICE),
    ("I would like to improve my ability to lead a cross-team decision.", RoleBreak.EMPLOYEE_VOICE),
    ("I believe my strengths would fit a different team.", RoleBreak.EMPLOYEE_VOICE),
    ("I led it myself, with some help.", RoleBreak.EMPLOYEE_VOICE),
    ("I lead the payments migration these days.", RoleBreak.EMPLOYEE_VOICE),
    ("I'm sorry, but I can't help you with that.", RoleBreak.META),
    ("I don't see me ready for the role yet.", RoleBreak.EMPLOYEE_VOICE),
    ("I'm looking for a more hands-on role that will allow me to focus.", RoleBreak.EMPLOYEE_VOICE),
])
def test_each_failure_kind_is_caught(reply, kind):
    verdict = guard().check(reply, user_line=USER_LINE, heard=USER_LINE)
    assert not verdict.ok
    assert kind in verdict.breaks, verdict.reasons
    assert verdict.reasons


@pytest.mark.parametrize(("response_type", "reply"), [
    (ResponseType.NOT_YET, "You're doing strong work, but not yet. I'd want to see you own a roadmap first."),
    (ResponseType.NOT_YET, "The migration cut errors 38%, and I noticed. How much of it was your call?"),
    (ResponseType.YES, "I agree. I think you're ready and I'll support it at the next review cycle."),
    (ResponseType.NO_BUDGET, "There's no headcount for that role this year. I'm sorry, it isn't about you."),
    (ResponseType.NOT_READY, "I don't think you're ready yet. Let's talk about what ready would look like."),
    (ResponseType.NO_FIT, "We don't see you in that role. I'd rather be honest with you."),
    (ResponseType.NOT_YET, "Let's revisit this in six months, say in March."),
    (ResponseType.YES, "As your manager, I'm on board. I'll raise it with my manager this week."),
    (ResponseType.NOT_YET, "You led the payments migration well. I'd still like to see more first."),
    (ResponseType.NOT_YET, "I led a team through a reorg once; it's hard. Not yet, though."),
    (ResponseType.NO_BUDGET, "I own the budget, and there's no money for a new seat this year."),
    (ResponseType.YES, "I'm ready to support it, and I agree you've earned it."),
])
def test_good_in_role_replies_pass(response_type, reply):
    verdict = guard(response_type).check(reply, user_line=USER_LINE, heard=USER_LINE)
    assert verdict.ok, verdict.reasons
    assert verdict.text == reply


@pytest.mark.parametrize(("reply", "expected"), [
    ("Manager: Not yet, I'm afraid.", "Not yet, I'm afraid."),
    ("**Dana Lee:** Not yet, I'm afraid.", "Not yet, I'm afraid."),
    ('"Not yet, I\'m afraid."', "Not yet, I'm afraid."),
    ("Not yet, I'm afraid.\nEmployee: Why not?\nManager: Because.", "Not yet, I'm afraid."),
    ("Not yet, I'm afraid. Sam: Why not?", "Not yet, I'm afraid."),
])
def test_labels_and_made_up_next_turns_are_cleaned(reply, expected):
    verdict = guard().check(reply)
    assert verdict.ok, verdict.reasons
    assert verdict.text == expected


def test_a_colon_inside_a_sentence_is_not_a_speaker_label():
    verdict = guard().check("Here is what I need from you: a roadmap you own end to end.")
    assert verdict.ok and verdict.text.endswith("end to end.")


@pytest.mark.parametrize(("limit", "expected"), [
    (1, "Not yet."),
    (2, "Not yet. I need to see more."),
    (3, "Not yet. I need to see more. Own a roadmap."),
])
def test_replies_are_trimmed_to_the_sentence_cap(limit, expected):
    text = "Not yet. I need to see more. Own a roadmap. And another thing."
    assert trim_sentences(text, limit) == expected
    assert guard(max_sentences=limit).check(text).text == expected


def test_an_unfinished_last_sentence_is_dropped():
    assert trim_sentences("Not yet. I need to see you own a", 3) == "Not yet."


def test_figures_the_user_said_are_allowed():
    g = guard()
    assert not g.check("You said 70% of tickets, which is good.").ok
    assert g.check("You said 70% of tickets, which is good.", heard="we closed 70% of tickets").ok


def test_shared_span_finds_copied_runs_only():
    assert shared_span("one two three four five", "zero one two three four five six", 5)
    assert shared_span("one two three four", "one two three five", 4) is None


def test_the_answer_turn_must_give_the_decision():
    g = guard()
    vague = "Thanks for sharing all of that with me today."
    assert g.check(vague).ok  # fine as a probe or a reaction
    verdict = g.check(vague, answer=True)
    assert RoleBreak.MISSES_ANSWER in verdict.breaks
    assert g.check("Honestly, not yet. There are things I'd want to see first, and we can revisit "
                   "it next review.", answer=True).ok


# The answer turn must convey its type: the parts each type names in `conveys`.
@pytest.mark.parametrize(("response_type", "reply", "missing"), [
    # no-fit: the alternatives alone read as a not-yet; the hard no must be said.
    (ResponseType.NO_FIT, "I would need to see a senior specialist track, a different team where your "
                          "strengths fit.", {"the hard no"}),
    (ResponseType.NO_FIT, "I have to be honest: I don't see you in the management role.", set()),
    (ResponseType.NO_FIT, "Management isn't the right fit for you, now or later.", set()),
    # yes: a yes that never says yes.
    (ResponseType.YES, "Great, thanks for walking me through that.", {"a yes"}),
    (ResponseType.YES, "Yes. I'll support the move this cycle.", set()),
    # not-yet: not now, a path and a time.
    (ResponseType.NOT_YET, "Not yet.", {"a path", "a time"}),
    (ResponseType.NOT_YET, "Not yet, but I'd want to see a roadmap you own first.", {"a time"}),
    (ResponseType.NOT_YET, "Not yet: show me a cross-team decision and we'll revisit it in six months.",
     set()),
    # no-budget: the money or headcount is not there.
    (ResponseType.NO_BUDGET, "Do you have budget numbers for the project?", {"no money or headcount"}),
    (ResponseType.NO_BUDGET, "There's no headcount for that role this year.", set()),
    # not-ready: gaps, or not ready said plainly.
    (ResponseType.NOT_READY, "Tell me more about your planning work.", {"not ready"}),
    (ResponseType.NOT_READY, "I don't think you're ready for that role yet.", set()),
    (ResponseType.NOT_READY, "I see some gaps before that step.", set()),
])
def test_the_answer_must_convey_its_type(response_type, reply, missing):
    persona = load_persona(response_type)
    assert set(persona.missing(reply)) == missing
    verdict = guard(response_type).check(reply, answer=True)
    caught = {RoleBreak.MISSES_ANSWER, RoleBreak.CONTRADICTS_TYPE} & set(verdict.breaks)
    assert bool(caught) is bool(missing), verdict.reasons


@pytest.mark.parametrize(("reply", "asks"), [
    ("They want this step because they believe they can make an impact.", False),
    ("That's a big step. I'd want to understand the motivation.", False),
    ("Why this step, and why now?", True),
    ("Time served isn't what I look at. Walk me through the work you'd point to.", True),
])
def test_a_probe_must_ask_something(reply, asks):
    verdict = guard().check(reply, ask=True)
    assert (RoleBreak.NO_QUESTION not in verdict.breaks) is asks, verdict.reasons
    assert guard().check(reply).ok or not asks  # any other move may state it


def test_a_reply_that_narrates_the_user_is_caught():
    verdict = guard().check("They want this step because they believe they can make an impact.")
    assert RoleBreak.THIRD_PERSON in verdict.breaks


def test_agreeing_to_a_request_may_repeat_a_few_of_its_words():
    line = "Could you confirm the start date and the requirements by email, so we both have it?"
    assert guard(ResponseType.YES).check("Yes, I'll confirm the start date and the requirements by email "
                                         "this week, once HR has looked at it.", user_line=line).ok


def test_a_manager_who_shares_the_users_first_name_may_say_it():
    g = RoleGuard(response_type=ResponseType.NOT_YET, manager_name="Alex Kim", user_name="Alex Roe")
    assert g.check("Not yet, Alex. I'd want to see more first.").ok


@pytest.mark.parametrize(("reply", "gives_it"), [
    ("I'll be straight with you: there's no budget for that seat right now.", True),
    ("Headcount is frozen until the next planning round.", True),
    ("The constraint is budget, not you.", True),
    ("Finance hasn't funded any new lead roles this year.", True),
    ("Do you have budget numbers for the project?", False),
    ("What headcount does your team have today?", False),
    ("We have budget for it if you make the case.", False),
])
def test_a_no_budget_answer_must_say_the_money_is_missing(reply, gives_it):
    verdict = guard(ResponseType.NO_BUDGET).check(reply, answer=True)
    assert (RoleBreak.MISSES_ANSWER not in verdict.breaks) is gives_it, verdict.reasons
