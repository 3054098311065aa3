"""A pasted real meeting: its forms (lines, names, JSON), the answer read from the manager's words."""

from __future__ import annotations

import json

import pytest

from coach.domain.errors import CoachError
from coach.domain.roleplay import ResponseType, infer_response_type
from coach.services.roleplay import get_session, list_meetings, parse_meeting, score_meeting
from tests.test_roleplay_sessions import seed_user


def test_lines_names_and_wrapped_lines():
    turns = parse_meeting("# my notes\nDana Lee: Hi, what's up?\nMe: I'd like the Engineering Manager role,\n"
                          "  ideally this cycle.\n\nDana: Not yet, I'm afraid.", manager_name="Dana Lee")
    assert [t.speaker for t in turns] == ["manager", "you", "manager"]
    assert turns[1].text == "I'd like the Engineering Manager role, ideally this cycle."


def test_json_turns_in_an_object():
    text = json.dumps({"turns": [{"speaker": "manager", "text": "Hi"}, {"speaker": "user", "text": "Hello"}]})
    assert [t.speaker for t in parse_meeting(text)] == ["manager", "you"]


@pytest.mark.parametrize(("line", "answer"), [
    ("Honestly, I agree. You're ready and I'll support it.", ResponseType.YES),
    ("I see you getting there, but not yet.", ResponseType.NOT_YET),
    ("I think you're not quite there yet, though. Maybe in six months.", ResponseType.NOT_YET),
    ("We have no headcount for that slot this year.", ResponseType.NO_BUDGET),
    ("I don't think you're ready for it yet.", ResponseType.NOT_READY),
    ("Engineering Manager isn't where we see you going.", ResponseType.NO_FIT),
])
def test_the_answer_is_read_from_the_managers_statements(line, answer):
    turns = parse_meeting(f"manager: Why do you think you're ready for it?\nyou: I led it.\nmanager: {line}")
    assert infer_response_type(turns) is answer


def test_a_question_never_decides_the_answer():
    turns = parse_meeting("manager: Why do you think you're ready?\nyou: I led it.\nmanager: Tell me more.")
    assert infer_response_type(turns) is None


def test_a_scored_meeting_is_saved_as_a_real_meeting(ctx):
    seed_user(ctx)
    text = ("manager: What's up?\nyou: Thanks for the time. I'd like the Engineering Manager role.\n"
            "manager: Not yet.\nyou: Could you be specific? Can we revisit in March?")
    result = score_meeting(ctx, text)
    assert result.real and result.response_type is ResponseType.NOT_YET and result.notices
    convo = ctx.store.get_conversation(result.session_id)
    assert convo.kind == "meeting" and convo.meta["inferred"] is True
    again = get_session(ctx, result.session_id)
    assert again.scorecard == result.scorecard and again.difficulty is None
    assert [m.real for m in list_meetings(ctx)] == [True]


# Seen: a real not-yet meeting said in other words scored "asked for specifics and a date:
# n/a, the manager never gave an answer", though the user did both and named the answer.
UNMARKED = ("you: Thanks for making time. I'd like to talk about the Engineering Manager role.\n"
            "manager: Sure.\nyou: I led the payments migration and cut p95 latency by 40%.\n"
            "manager: Good work. Let's keep building on it.\n"
            "you: What would you need to see from me, specifically?\n"
            "manager: Owning a cross-team project end to end.\n"
            "you: Can we put a date in the calendar to revisit this in March?\nmanager: Yes.")


def test_a_named_answer_the_words_do_not_show_still_scores_the_users_handling(ctx):
    seed_user(ctx)
    card = score_meeting(ctx, UNMARKED, response="not-yet").scorecard
    handling = next(c for c in card.checks if c.id == "handling")
    assert handling.verdict.value == "yes", handling.reason


def test_the_follow_up_recaps_what_the_manager_said_to_each_question(ctx):
    from coach.services.meeting_recap import meeting_recap

    seed_user(ctx)
    meeting = score_meeting(ctx, UNMARKED, response="not-yet").session_id
    recap = meeting_recap(ctx, meeting, "Engineering Manager")
    assert "You said it is not the right time yet" in recap
    assert ("When I asked \u201cWhat would you need to see from me, specifically?\u201d, you "
            "said: \u201cOwning a cross-team project end to end.\u201d") in recap


def test_too_long_a_meeting_is_refused():
    with pytest.raises(CoachError, match="limit"):
        parse_meeting("you: hi\nmanager: hello\n" + "you: more\n" * 40_000)
