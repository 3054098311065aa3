"""The meeting plan: difficulty changes behaviour, facts come from the log, `auto` follows a table."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.domain.evidence import Entry, Kind
from coach.domain.profile import Profile, Transition
from coach.domain.roleplay import (
    Difficulty,
    Meeting,
    Move,
    ResponseType,
    choose_response_type,
    pick_facts,
    read_user_line,
    specifics_for,
)
from coach.domain.roleplay.personas import AUTO_TABLE, readiness_band
from coach.prompts import load_difficulties, load_personas

PERSONAS = load_personas()
DIFFICULTIES = load_difficulties()

PROFILE = Profile(name="Sam Rivera", manager_name="Dana Lee", current_title="Tech Lead",
                  target_title="Engineering Manager", transition=Transition.LEAD_TO_MANAGER,
                  months_in_role=20)
ENTRIES = [
    Entry(id=1, date=dt.date(2025, 1, 10), title="Fixed the flaky CI job", metric="", kind=Kind.RESULT),
    Entry(id=2, date=dt.date(2025, 3, 14), title="Led the payments migration",
          metric="cut checkout errors 38%", kind=Kind.LEADERSHIP, next_level=True),
    Entry(id=3, date=dt.date(2025, 5, 2), title="Mentored two new engineers",
          metric="both shipping solo within 6 weeks", kind=Kind.MENTORING),
    Entry(id=4, date=dt.date(2025, 6, 20), title="Quarterly planning for the platform team",
          metric="3 teams aligned on 12 projects", kind=Kind.STRATEGY, next_level=True),
]
SCRIPT = [
    "Thanks for making time today, I appreciate it.",
    "I'd like to talk about moving into the Engineering Manager role.",
    "I led the payments migration, which cut checkout errors by 38%.",
    "What do you think? What gaps would I need to close?",
    "Can you be more specific? Could we revisit this in six months?",
    "Could you say more about that?",
    "And how would that work with the team?",
    "Thanks, I'll send a recap email and put a check-in on the calendar.",
]


def meeting(level: Difficulty, response_type: ResponseType = ResponseType.NOT_YET, seed: int = 1) -> Meeting:
    persona = PERSONAS[response_type]
    params = DIFFICULTIES[level]
    return Meeting(persona, params, PROFILE, pick_facts(ENTRIES, params.facts_known),
                   specifics_for(persona, []), seed)


def run(m: Meeting, lines=SCRIPT) -> list[Move]:
    moves = []
    for line in lines:
        if m.state.ended:
            break
        directive = m.plan(line)
        m.commit(directive)
        moves.append(directive.move)
    return moves


def test_facts_are_the_strongest_entries_deterministically():
    facts = pick_facts(ENTRIES, 3)
    assert [f.entry_id for f in facts] == [4, 2, 3]  # next-level and quantified first, newest first
    assert facts[1].phrase == "the way you led the payments migration"
    assert facts[0].phrase == "your work on quarterly planning for the platform team"
    assert facts[1].first_person == "I led the payments migration"
    assert pick_facts(list(reversed(ENTRIES)), 3) == facts


def test_the_log_facts_reach_the_model_as_data_and_the_level_changes_the_instructions():
    easy, tough = meeting(Difficulty.EASY), meeting(Difficulty.TOUGH)
    data = easy.data_blocks()
    assert "Led the payments migration (cut checkout errors 38%)" in data
    assert data.count("<data ") == 3 and data.count("</data>") == 3
    assert easy.prompt_vars()["manner"] != tough.prompt_vars()["manner"]
    assert easy.prompt_vars()["max_sentences"] != tough.prompt_vars()["max_sentences"]
    assert data.count("\n- ") > tough.data_blocks().count("\n- ")  # tough remembers less


def test_no_profile_field_or_log_entry_is_in_the_instructions():
    m = meeting(Difficulty.REALISTIC)
    instructions = " ".join(m.prompt_vars().values())
    for value in (PROFILE.name, "Sam", PROFILE.manager_name, PROFILE.current_title, PROFILE.target_title,
                  *(e.title for e in ENTRIES)):
        assert value not in instructions
        assert value in m.data_blocks() or value in ("Sam", ENTRIES[0].title)  # tough on the log: 3 of 4
    for line in SCRIPT:  # nor in any private note: an entry to challenge comes as its own data block
        directive = m.plan(line)
        m.commit(directive)
        outside = re.sub(r"<data .*?</data>", "", directive.note, flags=re.S)
        assert not any(e.title in outside for e in ENTRIES) and PROFILE.target_title not in outside


def test_plan_differs_by_difficulty():
    easy, real, tough = (run(meeting(d)) for d in Difficulty)
    # Easy answers early and volunteers the specifics with the answer; never challenges.
    assert easy.index(Move.ANSWER) <= real.index(Move.ANSWER) < tough.index(Move.ANSWER)
    assert Move.CHALLENGE not in easy
    assert real.count(Move.CHALLENGE) == 1
    # Tough ends first: the user never gets to close.
    assert len(tough) == DIFFICULTIES[Difficulty.TOUGH].max_user_turns < len(real) < len(easy)
    assert easy[-1] is Move.CLOSE and tough[-1] is not Move.CLOSE


def test_easy_volunteers_specifics_and_tough_withholds_them():
    easy = meeting(Difficulty.EASY)
    run(easy, SCRIPT[:2])
    assert easy.state.decision_given and easy.state.specifics_given
    tough = meeting(Difficulty.TOUGH)
    moves = run(tough, SCRIPT[:5])
    assert tough.state.decision_given
    assert Move.SPECIFICS not in moves[:4]  # one ask is not enough for a tough manager


def test_realistic_gives_specifics_when_asked():
    m = meeting(Difficulty.REALISTIC)
    moves = run(m, SCRIPT[:4])
    assert moves[-1] is Move.SPECIFICS
    assert m.state.specifics_given and "- owning a roadmap end to end" in m.data_blocks()


def test_specifics_come_as_data_in_the_brief_and_the_prepared_line_names_them():
    m = meeting(Difficulty.REALISTIC)
    run(m, SCRIPT[:3])
    directive = m.plan(SCRIPT[3])
    assert directive.move is Move.SPECIFICS
    # The note points at the list by its label; the list is data in the brief, never an instruction.
    assert directive.note == m.persona.specifics_note and "owning" not in directive.note
    assert "- owning a roadmap end to end" in m.data_blocks()
    assert "owning a roadmap end to end" in directive.fallback


def test_the_challenge_is_about_the_entry_the_user_cited():
    m = meeting(Difficulty.REALISTIC)
    run(m, SCRIPT[:2])
    directive = m.plan(SCRIPT[2])
    assert directive.move is Move.CHALLENGE
    assert "payments migration" not in directive.note  # the user just named it; the note is short
    assert "payments migration" in directive.fallback


def test_closing_needs_no_model_and_ends_the_meeting():
    m = meeting(Difficulty.REALISTIC)
    run(m, SCRIPT[:2])
    directive = m.plan(SCRIPT[-1])
    assert directive.move is Move.CLOSE and not directive.needs_model and directive.state.ended
    assert directive.fallback in [m.fill(c, i) for c in PERSONAS[ResponseType.NOT_YET].closings
                                  for i in range(3)]


def test_easy_answers_on_the_first_line_that_states_the_goal():
    assert run(meeting(Difficulty.EASY), SCRIPT[1:2]) == [Move.ANSWER]
    assert run(meeting(Difficulty.REALISTIC), SCRIPT[1:2]) == [Move.PROBE]


@pytest.mark.parametrize("level", list(Difficulty))
def test_the_meeting_always_ends_with_an_answer_and_a_closing_line(level):
    m = meeting(level)
    lines = ["Hello.", "Hmm.", "I cut errors 38%.", "I also aligned 3 teams.", "Right.", "Okay.",
             "Sure.", "Fine."]
    last = None
    for line in lines:
        last = m.plan(line)
        m.commit(last)
        if m.state.ended:
            break
    assert m.state.ended and m.state.decision_given
    assert last.closing
    assert m.state.user_turns == DIFFICULTIES[level].max_user_turns


def test_planning_does_not_change_the_meeting_until_committed():
    m = meeting(Difficulty.REALISTIC)
    before = m.state.model_copy()
    m.plan(SCRIPT[0])
    assert m.state == before


def test_same_seed_same_lines_different_seed_may_differ():
    a, b = meeting(Difficulty.REALISTIC, seed=5), meeting(Difficulty.REALISTIC, seed=5)
    assert a.opening == b.opening
    assert a.plan(SCRIPT[0]).fallback == b.plan(SCRIPT[0]).fallback
    openings = {meeting(Difficulty.REALISTIC, seed=s).opening for s in range(30)}
    assert len(openings) > 1


@pytest.mark.parametrize(("line", "field"), [
    ("What do you think? What gaps do you see?", "asks_feedback"),
    ("Could you give me a specific example?", "asks_feedback"),
    ("Could we revisit this in six months?", "asks_timeline"),
    ("I cut checkout errors 38%.", "cites_evidence"),
    ("I'd like to move into the Engineering Manager role.", "states_goal"),
])
def test_reading_user_lines(line, field):
    read = read_user_line(line, "Engineering Manager", first=False, facts=pick_facts(ENTRIES, 4))
    assert getattr(read, field)


def test_a_thank_you_at_the_start_is_not_a_close():
    line = "Thanks for making time, I'll follow up with a recap."
    assert not read_user_line(line, "X", first=True).closes
    assert read_user_line(line, "X", first=False).closes


def test_gap_answers_name_the_readiness_gaps_first():
    gaps = ["Managing people", "Stakeholder management"]
    assert specifics_for(PERSONAS[ResponseType.NOT_READY], gaps)[:2] == ["managing people",
                                                                         "stakeholder management"]
    assert specifics_for(PERSONAS[ResponseType.NO_BUDGET], gaps) == list(
        PERSONAS[ResponseType.NO_BUDGET].specifics[:3])


# -- auto ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("score", "timing", "allowed"), [
    (0.9, "good", {ResponseType.YES}),
    (0.9, "wait", {ResponseType.NOT_YET, ResponseType.YES}),
    (0.9, "bad", {ResponseType.NO_BUDGET}),
    (0.5, "good", {ResponseType.NOT_YET}),
    (0.5, "wait", {ResponseType.NOT_YET, ResponseType.NOT_READY}),
    (0.5, "bad", {ResponseType.NO_BUDGET, ResponseType.NOT_YET}),
    (0.2, "good", {ResponseType.NOT_READY}),
    (0.2, "wait", {ResponseType.NOT_READY, ResponseType.NO_FIT}),
    (0.2, "bad", {ResponseType.NO_FIT, ResponseType.NOT_READY}),
])
def test_auto_table(score, timing, allowed):
    picked = {choose_response_type(score, timing, seed) for seed in range(40)}
    assert picked == allowed  # every listed answer is reachable, nothing else is


def test_auto_is_deterministic_given_a_seed():
    assert all(choose_response_type(0.5, "wait", s) == choose_response_type(0.5, "wait", s)
               for s in range(20))


def test_weak_log_in_a_freeze_gets_a_hard_answer_and_strong_good_gets_yes():
    hard = {ResponseType.NO_FIT, ResponseType.NOT_READY}
    assert all(choose_response_type(0.1, "bad", s) in hard for s in range(20))
    assert all(choose_response_type(0.95, "good", s) is ResponseType.YES for s in range(20))


@pytest.mark.parametrize(("score", "band"), [(1.0, "strong"), (0.7, "strong"), (0.69, "mid"),
                                             (0.4, "mid"), (0.39, "weak"), (0.0, "weak")])
def test_readiness_bands(score, band):
    assert readiness_band(score) == band


def test_the_table_covers_every_band_and_verdict():
    assert len(AUTO_TABLE) == 9
    assert choose_response_type(0.5, "unknown", 1) in AUTO_TABLE[("mid", "wait")]


def test_a_second_try_reads_in_full_what_the_short_note_points_at():
    m = meeting(Difficulty.REALISTIC)
    run(m, SCRIPT[:2])
    challenge = m.plan(SCRIPT[2])
    assert challenge.move is Move.CHALLENGE
    assert "the way you led the payments migration" in challenge.retry_note  # the entry, as data
    assert challenge.retry_note.startswith(challenge.note)
    m.commit(challenge)
    specifics = m.plan(SCRIPT[3])
    assert specifics.move is Move.SPECIFICS
    outside = re.sub(r"<data .*?</data>", "", specifics.retry_note, flags=re.S)
    assert "owning a roadmap end to end" in specifics.retry_note and "owning" not in outside
    m.commit(specifics)
    assert m.plan("ok").retry_note == ""  # a plain reply: the short note is all there is to say
