"""The five manager personas and the difficulty parameters: data files, validated on load."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from coach.assets import prompts_dir
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.profile import Profile, Transition
from coach.domain.roleplay import (
    Difficulty,
    Meeting,
    ResponseType,
    RoleGuard,
    contradiction,
    parse_difficulty,
    parse_response_type,
    pick_facts,
)
from coach.prompts import load_difficulties, load_difficulty, load_persona, load_personas

PERSONAS = load_personas()
DIFFICULTIES = load_difficulties()

PLACEHOLDERS = {"user", "target", "entry", "metric", "specifics"}
PROFILE = Profile(name="Sam Rivera", manager_name="Dana Lee", current_title="Tech Lead",
                  target_title="Engineering Manager", transition=Transition.LEAD_TO_MANAGER,
                  months_in_role=20)
ENTRIES = [Entry(id=1, date=dt.date(2025, 3, 1), title="Led the payments migration",
                 metric="cut checkout errors 38%", kind=Kind.LEADERSHIP, next_level=True)]


def _lines(persona):
    return [*persona.openings, *persona.probes, *persona.answers, *persona.specifics_lines,
            *persona.withholds, *persona.challenges, *persona.timelines, *persona.safe_lines,
            *persona.closings]


def test_there_is_one_persona_per_response_type():
    assert set(PERSONAS) == set(ResponseType)
    assert all(p.type is t for t, p in PERSONAS.items())


@pytest.mark.parametrize("response_type", list(ResponseType))
def test_persona_lines_use_only_known_placeholders(response_type):
    for line in _lines(PERSONAS[response_type]):
        names = {name for _, name, _, _ in string.Formatter().parse(line) if name}
        assert names <= PLACEHOLDERS, (line, names - PLACEHOLDERS)


@pytest.mark.parametrize("response_type", list(ResponseType))
def test_every_prepared_line_passes_the_role_guard(response_type):
    """The lines are the fallback: each must be something this manager can say, in role."""
    persona = PERSONAS[response_type]
    meeting = Meeting(persona, DIFFICULTIES[Difficulty.REALISTIC], PROFILE, pick_facts(ENTRIES, 3),
                      list(persona.specifics), seed=1)
    guard = RoleGuard(response_type=response_type, manager_name="Dana Lee", user_name="Sam Rivera",
                      hidden=meeting.hidden_text(), known_figures=meeting.known_figures(), max_sentences=3)
    for line in _lines(persona):
        filled = meeting.fill(line)
        verdict = guard.check(filled)
        assert verdict.ok, (filled, verdict.reasons)
        assert "{" not in filled


@pytest.mark.parametrize("response_type", list(ResponseType))
def test_answers_read_as_their_type_and_do_not_contradict_it(response_type):
    persona = PERSONAS[response_type]
    for line in persona.answers:
        filled = line.format(user="Sam", target="Engineering Manager", entry="the migration",
                             metric="", specifics="x")
        assert persona.matches(filled), filled
        assert contradiction(response_type, filled) is None, filled


@pytest.mark.parametrize(("response_type", "text"), [
    (ResponseType.NO_BUDGET, "Congratulations, you're promoted!"),
    (ResponseType.NOT_YET, "Let's make it happen."),
    (ResponseType.NOT_READY, "Honestly, you're ready now."),
    (ResponseType.NO_FIT, "Not yet, but next cycle for sure."),
    (ResponseType.YES, "I don't think you're ready."),
    (ResponseType.YES, "There's no budget for it."),
])
def test_contradictions_are_found(response_type, text):
    assert contradiction(response_type, text)


@pytest.mark.parametrize(("response_type", "text"), [
    (ResponseType.NOT_READY, "I don't think you're ready for that yet."),
    (ResponseType.NO_BUDGET, "Your work isn't the issue; we have no headcount."),
    (ResponseType.YES, "I agree, and I'll support it."),
])
def test_in_type_lines_are_not_contradictions(response_type, text):
    assert contradiction(response_type, text) is None


@pytest.mark.parametrize("value", ["yes", "not-yet", "NO-BUDGET", " not-ready ", "no-fit"])
def test_response_types_parse(value):
    assert parse_response_type(value).value == value.strip().lower()


@pytest.mark.parametrize("value", ["maybe", "", "no_budget"])
def test_unknown_response_types_are_clear_errors(value):
    with pytest.raises(CoachError, match="unknown manager response") as err:
        parse_response_type(value)
    assert "auto" in str(err.value)


@pytest.mark.parametrize("value", ["hard", "", "normal"])
def test_unknown_difficulties_are_clear_errors(value):
    with pytest.raises(CoachError, match="unknown difficulty") as err:
        parse_difficulty(value)
    assert "realistic" in str(err.value)


def test_load_persona_accepts_names():
    assert load_persona("no-fit").type is ResponseType.NO_FIT


# -- difficulty ---------------------------------------------------------------------------------
def test_difficulty_gets_strictly_harder():
    easy, real, tough = (DIFFICULTIES[d] for d in Difficulty)
    assert easy.max_user_turns > real.max_user_turns > tough.max_user_turns
    assert easy.decision_turn < real.decision_turn < tough.decision_turn
    assert easy.asks_before_specifics < real.asks_before_specifics < tough.asks_before_specifics
    assert easy.challenges < real.challenges < tough.challenges
    assert easy.max_sentences >= real.max_sentences > tough.max_sentences
    assert easy.asks_before_specifics == 0  # volunteered
    assert len({easy.manner, real.manner, tough.manner}) == 3


@pytest.mark.parametrize("level", list(Difficulty))
def test_load_difficulty_returns_the_parameters(level):
    assert parse_difficulty(level.value) is level
    assert load_difficulty(level.value) is DIFFICULTIES[level]


# -- the files -----------------------------------------------------------------------------------
@pytest.fixture
def persona_dir(tmp_path):
    """A copy of the shipped persona files to break one at a time."""
    source = prompts_dir() / "personas"
    for path in source.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_an_unknown_key_in_a_persona_file_is_a_clear_error(persona_dir):
    path = persona_dir / "yes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "mood: cheerful\n", encoding="utf-8")
    with pytest.raises(CoachError, match="persona file yes.yaml: mood: Extra inputs are not permitted"):
        load_persona("yes", persona_dir)


def test_a_persona_file_must_hold_its_own_type(persona_dir):
    (persona_dir / "no-fit.yaml").write_text((persona_dir / "not-ready.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    with pytest.raises(CoachError, match="no-fit.yaml declares type 'not-ready'"):
        load_persona("no-fit", persona_dir)


def test_a_missing_persona_file_names_the_folder(persona_dir):
    (persona_dir / "no-budget.yaml").unlink()
    with pytest.raises(CoachError, match="no persona file for 'no-budget'"):
        load_personas(persona_dir)


def test_the_difficulty_file_sets_every_level_and_nothing_else(persona_dir):
    path = persona_dir / "difficulties.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tough:", "brutal:"), encoding="utf-8")
    with pytest.raises(CoachError, match="must set exactly: easy, realistic, tough"):
        load_difficulties(persona_dir)
    path.write_text(text.replace("  challenges: 2", "  challenges: -1"), encoding="utf-8")
    with pytest.raises(CoachError, match="difficulties.yaml: challenges"):
        load_difficulties(persona_dir)
