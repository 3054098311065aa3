"""A framework's criteria in the search index, and the rule that makes a question naming a
level or an area prefer those criteria."""

from __future__ import annotations

import pytest

from coach.domain.framework.model import Area, Level
from coach.domain.framework.scope import scope_of
from coach.services.framework_index import (
    criteria_for,
    drop_framework,
    index_framework,
    level_heading,
)
from tests.framework_sample import ENGINEER, SENIOR, STAFF, sample_framework, write_sample

FRAMEWORK = sample_framework()
LEVELS, AREAS = FRAMEWORK.levels, FRAMEWORK.areas
SENIOR_LEADERSHIP = {f"{SENIOR}.leadership.1", f"{SENIOR}.leadership.2"}


@pytest.mark.parametrize(("question", "level", "area"), [
    ("what does level 4 expect for leadership", SENIOR, "leadership"),  # the number in its name
    ("What does L4 expect in Leadership?", SENIOR, "leadership"),
    ("lvl 5 delivery", STAFF, "delivery"),
    ("what does a L4 Senior Engineer do about technical craft", SENIOR, "technical-craft"),
    ("what is expected at l3-engineer", ENGINEER, None),  # the level's id
    ("how do I show leading a project", None, "leadership"),  # "leading" finds Leadership
    ("what does the craft area ask", None, "technical-craft"),  # one word of the area's name
    ("when is a good time to ask", None, None),
    ("level 9 leadership", None, "leadership"),  # no such level: no preference for one
])
def test_a_question_names_a_level_and_an_area(question, level, area):
    scope = scope_of(LEVELS, AREAS, question)
    assert (scope.level.id if scope.level else None) == level
    assert (scope.area.id if scope.area else None) == area


def test_a_level_is_found_by_its_name_its_number_or_its_order():
    levels = [Level(id="engineer", name="Engineer", order=1),
              Level(id="senior", name="Senior Engineer", order=2),
              Level(id="staff", name="Staff Engineer", order=3)]
    assert scope_of(levels, AREAS, "what does a senior engineer do").level.id == "senior"
    assert scope_of(levels, AREAS, "what does level 2 expect").level.id == "senior"  # by order
    assert scope_of(levels, AREAS, "staff").level.id == "staff"
    numbered = [Level(id="engineer-i", name="Engineer I", order=1),
                Level(id="engineer-ii", name="Engineer II", order=2)]
    assert scope_of(numbered, AREAS, "Engineer II").level.id == "engineer-ii"  # longest name


@pytest.mark.parametrize(("question", "level"), [
    ("what does my target level expect?", SENIOR), ("What does the next level need?", SENIOR),
    ("what does my current level ask for", ENGINEER), ("is my level right?", ENGINEER),
    ("what does level 5 expect", STAFF),  # a level named outright wins
])
def test_the_user_s_own_levels_can_be_named(question, level):
    by_id = {lv.id: lv for lv in LEVELS}
    scope = scope_of(LEVELS, AREAS, question, current=by_id[ENGINEER], target=by_id[SENIOR])
    assert scope.level.id == level
    assert scope_of(LEVELS, AREAS, "what does my target level expect?").level is None


def test_words_every_area_shares_do_not_pick_one():
    areas = [Area(id="tech-leadership", name="Technical Leadership"),
             Area(id="tech-delivery", name="Technical Delivery")]
    assert scope_of(LEVELS, areas, "technical things").area is None
    assert scope_of(LEVELS, areas, "technical leadership").area.id == "tech-leadership"


def test_a_level_heading_says_its_number_once():
    assert level_heading(Level(id="senior", name="Senior Engineer", order=4)) == \
        "Senior Engineer (level 4)"
    assert level_heading(Level(id="l4", name="L4 Senior", order=2)) == "L4 Senior"


def test_criteria_are_indexed_with_their_level_and_area(ctx):
    assert index_framework(ctx, FRAMEWORK) == 18
    found = criteria_for(ctx, FRAMEWORK, "what does level 4 expect for leadership")
    assert {p.facets["criterion"] for p in found} == SENIOR_LEADERSHIP
    first = found[0]
    assert first.section == "L4 Senior Engineer > Leadership"
    assert first.title == "Acme Engineering Framework" and first.trusted
    assert first.facets["level"] == SENIOR and first.facets["area"] == "leadership"
    assert first.facets["level_order"] == 2 and first.facets["level_name"] == "L4 Senior Engineer"
    assert first.facets["area_name"] == "Leadership"
    # The plain search reaches them too, and still reaches the guides.
    plain = ctx.kb.search("mentors two or more engineers and grows their scope", k=5)
    assert plain[0].facets.get("criterion") == f"{SENIOR}.leadership.1"
    assert any(p.source.endswith(".md") for p in ctx.kb.search("when to ask", k=5))
    assert criteria_for(ctx, FRAMEWORK, "when is a good time to ask") == []


def test_reindexing_replaces_and_the_file_scan_keeps_them(ctx):
    index_framework(ctx, FRAMEWORK)
    ids_before = set(ctx.kb.collection.get(where={"kind": "framework"})["ids"])
    assert index_framework(ctx, FRAMEWORK) == 18  # unchanged: nothing embedded again
    assert set(ctx.kb.collection.get(where={"kind": "framework"})["ids"]) == ids_before
    report = ctx.kb.index()  # the file scan leaves records (they have no file) alone
    assert report.files_removed == 0
    assert len(ctx.kb.collection.get(where={"kind": "framework"})["ids"]) == 18
    consistency = ctx.kb.consistency()
    assert consistency.orphaned == [] and consistency.manifest_in_sync
    assert all(d.kind != "framework" for d in ctx.kb.list_documents())

    smaller = FRAMEWORK.model_copy(update={"criteria": FRAMEWORK.criteria[:4]})
    assert index_framework(ctx, smaller) == 4
    assert len(ctx.kb.collection.get(where={"kind": "framework"})["ids"]) == 4
    drop_framework(ctx, FRAMEWORK.id)
    assert ctx.kb.collection.get(where={"kind": "framework"})["ids"] == []
    assert ctx.kb.consistency().manifest_in_sync
    drop_framework(ctx, FRAMEWORK.id)  # dropping twice is fine


def test_two_frameworks_stay_apart(ctx):
    other = FRAMEWORK.model_copy(update={"id": "other", "name": "Other Ladder"})
    index_framework(ctx, FRAMEWORK)
    index_framework(ctx, other)
    found = criteria_for(ctx, other, "level 5 craft", k=5)
    assert {p.facets["framework"] for p in found} == {"other"} and len(found) == 2
    drop_framework(ctx, "other")
    assert criteria_for(ctx, other, "level 5 craft") == []
    assert len(criteria_for(ctx, FRAMEWORK, "level 5 craft")) == 2


def import_sample(ctx, folder):
    """The sample framework imported as a user would (a CSV file), in use at L3 -> L4."""
    from coach.services.framework import import_framework, use_framework

    done = import_framework(ctx, write_sample(folder))
    return use_framework(ctx, done.framework.id, current_level="L3 Engineer",
                         target_level="L4 Senior Engineer")


@pytest.mark.parametrize("question", [
    "what does level 4 expect for leadership", "L4 leadership",
    "What does a L4 Senior Engineer need for leadership?"])
def test_coach_search_puts_the_named_level_and_area_first(ctx, tmp_path, question):
    from coach.services import knowledge

    import_sample(ctx, tmp_path)
    found = knowledge.search(ctx, question, k=5)
    assert {p.facets.get("criterion") for p in found[:2]} == SENIOR_LEADERSHIP
    assert len(found) == 5


def test_a_question_naming_no_level_or_area_searches_as_before(ctx, tmp_path):
    from coach.services import knowledge

    import_sample(ctx, tmp_path)
    question = "when is a good time to ask for a promotion"
    assert knowledge.search(ctx, question, k=3) == ctx.kb.search(question, k=3)


def test_my_target_level_means_the_level_picked(ctx, tmp_path):
    from coach.services import knowledge

    import_sample(ctx, tmp_path)
    found = knowledge.search(ctx, "what does my target level expect for delivery?", k=3)
    assert {p.facets.get("criterion") for p in found[:2]} == {f"{SENIOR}.delivery.1",
                                                              f"{SENIOR}.delivery.2"}


def test_the_chat_reads_the_criteria_a_question_names(ctx, tmp_path):
    from coach.services.chat.retrieval import retrieve_or_note

    import_sample(ctx, tmp_path)
    found, note = retrieve_or_note(ctx, "What does level 5 expect for delivery?", [])
    assert note is None
    assert {p.facets.get("criterion") for p in found[:2]} == {f"{STAFF}.delivery.1",
                                                              f"{STAFF}.delivery.2"}
    assert all(p.trusted for p in found[:2])


def test_removing_the_framework_removes_its_passages(ctx, tmp_path):
    from coach.services import knowledge
    from coach.services.framework import remove_framework

    active = import_sample(ctx, tmp_path)
    remove_framework(ctx, active.framework.id)
    found = knowledge.search(ctx, "what does level 4 expect for leadership", k=10)
    assert not any(p.facets for p in found)


def test_erasing_a_home_removes_the_criteria_from_the_index(ctx, tmp_path):
    from coach.services import backup, knowledge

    import_sample(ctx, tmp_path)
    backup.erase(ctx)
    assert ctx.kb.record_sources() == []
    found = knowledge.search(ctx, "what does level 4 expect for leadership", k=10)
    assert not any(p.facets for p in found)


def test_a_restored_home_indexes_its_framework_when_first_asked(ctx, tmp_path):
    from coach.services import backup, knowledge
    from coach.services.context import Context

    import_sample(ctx, tmp_path)
    archive = tmp_path / "home.tar.gz"
    backup.backup(ctx, archive)
    restored = Context.open(tmp_path / "restored")
    backup.restore(restored, archive)
    assert restored.kb.record_sources() == []  # the index is rebuilt from files only
    found = knowledge.search(restored, "what does level 4 expect for leadership", k=5)
    assert {p.facets.get("criterion") for p in found[:2]} == SENIOR_LEADERSHIP
