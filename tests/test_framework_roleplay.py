"""With a career framework in use, the mock manager asks about the target level's criteria
and the scorecard's better lines quote them; without one, nothing changes."""

from __future__ import annotations

import datetime as dt

from coach.domain.roleplay import (
    Difficulty,
    LevelCriterion,
    Meeting,
    Move,
    ResponseType,
    asked_criteria,
    criterion_probe,
    pick_facts,
    specifics_for,
)
from coach.domain.roleplay.facts import PROBE_QUESTIONS, probe_note
from coach.domain.roleplay.scorecard_phrases import Phrases
from tests.test_roleplay_plan import DIFFICULTIES, ENTRIES, PERSONAS, PROFILE

MENTORS = LevelCriterion(text="Mentors two or more engineers and grows their scope.",
                         area="leadership", entries=[3])
DESIGNS = LevelCriterion(text="Designs systems other teams build on, in written design docs.",
                         area="craft")
LEADS = LevelCriterion(text="Leads a project of several people from plan to launch.",
                       area="leadership", entries=[2])
CRITERIA = [MENTORS, DESIGNS, LEADS]


def test_the_criteria_no_entry_shows_are_asked_first():
    assert asked_criteria(CRITERIA) == [DESIGNS.text, MENTORS.text, LEADS.text]
    assert asked_criteria([]) == []


def test_without_a_framework_the_probe_note_is_unchanged():
    assert probe_note(1) == f'No decision yet: ask one short question, e.g. "{PROBE_QUESTIONS[0]}"'
    assert probe_note(4) == probe_note(1)
    assert probe_note(1, [DESIGNS.text]) == probe_note(1)  # the first probe asks why now


def test_later_probes_ask_about_a_criterion_given_as_data():
    note = probe_note(2, [DESIGNS.text, MENTORS.text])
    assert "how their work shows this point of the level" in note
    head, block = note.split("\n", 1)
    assert DESIGNS.text not in head and DESIGNS.text in block and block.startswith('<data source=')
    assert MENTORS.text in probe_note(3, [DESIGNS.text, MENTORS.text])


def test_prepared_probes_quote_the_criterion_and_survive_braces():
    assert criterion_probe("Owns {the} roadmap.") == (
        "For {target} our framework expects this: \u201cOwns {{the}} roadmap\u201d. "
        "Where has your work shown it?")


def framework_meeting(criteria: list[str]) -> Meeting:
    persona = PERSONAS[ResponseType.NOT_YET]
    params = DIFFICULTIES[Difficulty.TOUGH]
    return Meeting(persona, params, PROFILE, pick_facts(ENTRIES, params.facts_known),
                   specifics_for(persona, []), 1, criteria=criteria)


def test_the_manager_asks_about_the_target_level_s_criteria():
    m = framework_meeting([DESIGNS.text])
    first = m.plan("Thanks for making time today.")
    assert first.move is Move.PROBE and DESIGNS.text not in first.note
    assert "Designs" not in first.fallback
    m.commit(first)
    second = m.plan("I have been thinking about my next step.")
    assert second.move is Move.PROBE
    assert DESIGNS.text in second.note
    # Its prepared line, used when the model's reply fails the checks, asks the same.
    assert "Designs systems other teams build on" in second.fallback
    assert "Engineering Manager" in second.fallback


def test_phrases_quote_the_criterion_an_entry_shows_and_the_one_missing():
    facts = pick_facts(ENTRIES, len(ENTRIES))
    phrases = Phrases(facts, "Engineering Manager", dt.date(2025, 7, 1), CRITERIA)
    convincing = phrases.for_check("convincing", ResponseType.NOT_YET)
    assert "\u201cLeads a project of several people from plan to launch\u201d" in convincing
    assert "I led the payments migration" in convincing
    feedback = phrases.for_check("feedback", ResponseType.NOT_YET)
    assert "\u201cDesigns systems other teams build on, in written design docs\u201d" in feedback
    handling = phrases.for_check("handling", ResponseType.NOT_YET)
    assert "where I fall short of \u201cDesigns systems" in handling
    plain = Phrases(facts, "Engineering Manager", dt.date(2025, 7, 1))
    assert plain.for_check("feedback", ResponseType.NOT_YET) == (
        "How do you see my readiness for Engineering Manager? What gaps would I need to close?")
