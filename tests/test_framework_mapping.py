"""The mapping rules of entries to framework criteria (coach.domain.framework.mapping and
coverage): confidence ordering, automatic links, the user's decisions winning, new-vs-current,
and criteria as expectations. Pure: similarities are given, no embedder."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.evidence import Entry
from coach.domain.expectations import Expectation
from coach.domain.framework import mapping as m
from coach.domain.framework.coverage import as_expectations, assess_criteria, plan_action
from coach.domain.framework.mapping import LinkDecisions, LinkStatus, Scored
from coach.domain.framework.model import Area, Criterion, Framework, Level

TODAY = dt.date(2026, 6, 1)


def _framework() -> Framework:
    levels = [Level(id="senior", name="Senior", order=1), Level(id="staff", name="Staff", order=2)]
    areas = [Area(id="people", name="People"), Area(id="craft", name="Craft")]
    crit = [
        Criterion(id="senior.people.1", level="senior", area="people",
                  text="Mentors one or two engineers."),
        Criterion(id="senior.craft.1", level="senior", area="craft",
                  text="Writes design documents for their team."),
        # Carried over word for word: not new at staff.
        Criterion(id="staff.people.1", level="staff", area="people",
                  text="Mentors one or two engineers."),
        Criterion(id="staff.people.2", level="staff", area="people",
                  text="Grows senior engineers into technical leads."),
        Criterion(id="staff.craft.1", level="staff", area="craft",
                  text="Sets technical standards that several teams adopt.",
                  examples=["Wrote the API style guide four teams follow."]),
    ]
    return Framework(id="acme", name="Acme ladder", levels=levels, areas=areas, criteria=crit)


def _entry(i: int, title: str, metric: str = "") -> Entry:
    return Entry(id=i, date=dt.date(2026, 3, 1), title=title, metric=metric)


def _ranked(*pairs: tuple[str, float]) -> list[Scored]:
    return [Scored(criterion=c, confidence=v) for c, v in pairs]


# -- confidence ---------------------------------------------------------------------------
def _near(sim: float, words: float | None = None) -> m.Closeness:
    """The same cosine for the whole criterion, its own sentence and each of its words."""
    return m.Closeness(whole=sim, plain=sim, words=[sim if words is None else words] * 3)


@pytest.mark.parametrize(("near", "overlap", "expected"), [
    (_near(0.0), 0.0, 0.0),       # unrelated: clamped at 0
    (_near(1.0), 1.0, 1.0),       # identical: clamped at 1
    (_near(m.RAW_FLOOR / (m.W_WHOLE + m.W_PLAIN + m.W_WORDS)), 0.0, 0.0),  # exactly the floor
])
def test_confidence_is_clamped_between_0_and_1(near, overlap, expected):
    assert m.confidence(near, overlap) == pytest.approx(expected)


def test_confidence_grows_with_each_signal():
    base = m.Closeness(whole=0.5, plain=0.5, words=[0.5, 0.5])
    assert m.confidence(base, 0.0) < m.confidence(base._replace(whole=0.6), 0.0)
    assert m.confidence(base, 0.0) < m.confidence(base._replace(plain=0.6), 0.0)
    assert m.confidence(base, 0.0) < m.confidence(base._replace(words=[0.5, 0.7]), 0.0)
    assert m.confidence(base, 0.0) < m.confidence(base, 0.3)


def test_no_content_word_means_no_soft_word_match():
    assert m.confidence(m.Closeness(whole=0.5, plain=0.5, words=[]), 0.0) < m.confidence(
        m.Closeness(whole=0.5, plain=0.5, words=[0.4]), 0.0)


def test_scores_are_best_first_and_shared_words_break_a_tie():
    fw = _framework()
    matcher = m.CriteriaMatcher(fw.criteria_at("staff"))
    # Same meaning score for all three: only the words can order them.
    ranked = matcher.scores("Grew two senior engineers into tech leads", [_near(0.4)] * 3)
    assert ranked[0].criterion == "staff.people.2"
    assert [s.confidence for s in ranked] == sorted((s.confidence for s in ranked), reverse=True)
    # A much closer meaning outranks shared words.
    ranked = matcher.scores("Grew two senior engineers into tech leads",
                            [_near(0.9), _near(0.2), _near(0.2)])
    assert ranked[0].criterion == "staff.people.1"


def test_scores_keep_their_order_past_the_ceiling():
    matcher = m.CriteriaMatcher(_framework().criteria_at("staff"))
    ranked = matcher.scores("unrelated", [_near(0.97), _near(1.0), _near(0.1)])
    assert [s.confidence for s in ranked[:2]] == [1.0, 1.0]  # both clamped ...
    assert ranked[0].criterion == "staff.people.2"  # ... the closer one still first


def test_scores_need_one_closeness_per_criterion():
    with pytest.raises(ValueError):
        m.CriteriaMatcher(_framework().criteria).scores("text", [_near(0.1)])


# -- a log ranked together -----------------------------------------------------------------
def test_one_text_keeps_its_raw_mixes():
    assert m.standardise([[0.3, 0.1, 0.5]]) == [[0.3, 0.1, 0.5]]
    matcher = m.CriteriaMatcher(_framework().criteria_at("staff"))
    near = [_near(0.5), _near(0.3), _near(0.2)]
    assert matcher.rank_log(["Grew two leads"], [near]) == [matcher.scores("Grew two leads", near)]


def test_a_criterion_near_every_entry_stops_winning_them_all():
    # Criterion 0 is a little closer than the others to every entry; each entry also stands
    # out on one other criterion. Alone, criterion 0 wins everything; ranked as a log, each
    # entry goes to the criterion it stands out on.
    raws = [[0.40, 0.38, 0.20], [0.41, 0.20, 0.39], [0.40, 0.21, 0.20]]
    standard = m.standardise(raws)
    assert [max(range(3), key=row.__getitem__) for row in raws] == [0, 0, 0]
    assert [max(range(3), key=row.__getitem__) for row in standard] == [1, 2, 0]


def test_standardising_keeps_the_log_on_its_scale():
    raws = [[0.1, 0.5, 0.3], [0.2, 0.6, 0.2], [0.3, 0.4, 0.1], [0.2, 0.5, 0.3]]
    flat = [v for row in m.standardise(raws) for v in row]
    assert sum(flat) / len(flat) == pytest.approx(sum(v for r in raws for v in r) / 12, abs=0.01)
    assert m.standardise([[0.2, 0.2], [0.2, 0.2]]) == [[0.2, 0.2], [0.2, 0.2]]  # no spread
    # The fewer the entries, the more a criterion's own figures are shrunk toward the log's.
    few = m.standardise(raws[:2])[0][1] - raws[0][1]
    many = m.standardise(raws)[0][1] - raws[0][1]
    assert abs(few) < abs(many)


def test_rank_log_needs_one_row_per_text():
    matcher = m.CriteriaMatcher(_framework().criteria_at("staff"))
    with pytest.raises(ValueError):
        matcher.rank_log(["a", "b"], [[_near(0.1)] * 3])


def test_matcher_lists_the_words_each_criterion_is_embedded_by():
    matcher = m.CriteriaMatcher(_framework().criteria_at("staff"))
    assert matcher.plain_texts[2] == "Sets technical standards that several teams adopt."
    assert "guide" in matcher.words[2]  # its example's words count too
    assert "that" not in matcher.words[2]


@pytest.mark.parametrize(("text", "expected"), [
    ("Mentored the new joiners", {"mentor", "joiner"}),
    ("We led 3 of the teams", {"led", "team"}),
    ("Asked when it was unclear; asks often", {"ask", "unclear", "often"}),
])
def test_terms_drop_small_words_and_cut_stems(text, expected):
    assert m.terms(text) == expected


def test_content_words_keep_the_words_as_written_once_each():
    assert m.content_words("Cut on-call pages; the pages dropped 80%") == [
        "cut", "on-call", "pages", "dropped"]


def test_cosine():
    assert m.cosine([1.0, 0.0], [1.0, 0.0]) == 1.0
    assert m.cosine([1.0, 0.0], [0.0, 1.0]) == 0.0
    assert m.cosine([0.0, 0.0], [1.0, 0.0]) == 0.0


# -- automatic links ----------------------------------------------------------------------
@pytest.mark.parametrize(("ranked", "linked"), [
    ([("a", 0.9), ("b", 0.85), ("c", 0.84)], ["a", "b"]),        # at most two
    ([("a", 0.9), ("b", 0.7)], ["a"]),                           # second too far below the best
    ([("a", m.AUTO_MIN_CONFIDENCE - 0.01)], []),                 # below the floor
    ([("a", m.AUTO_MIN_CONFIDENCE), ("b", m.AUTO_MIN_CONFIDENCE - 0.01)], ["a"]),
    ([], []),
])
def test_auto_links(ranked, linked):
    assert [k.criterion for k in m.auto_links(7, _ranked(*ranked))] == linked


def test_a_confirmed_link_wins_over_a_low_score():
    ranked = {1: _ranked(("x", 0.9), ("y", 0.05))}
    decisions = LinkDecisions().confirm(1, "y")
    links = m.resolve_links(ranked, decisions, ["x", "y"])
    by = {k.criterion: k for k in links}
    assert by["y"].status is LinkStatus.CONFIRMED and by["y"].confidence == 1.0
    assert by["x"].status is LinkStatus.AUTO  # confirming one link does not drop the others


def test_a_rejected_link_never_comes_back_however_high_it_scores():
    decisions = LinkDecisions().reject(1, "x")
    for score in (0.5, 0.9, 1.0):
        links = m.resolve_links({1: _ranked(("x", score))}, decisions, ["x"])
        assert links == []
    # Confirming it later brings it back as the user's own link.
    links = m.resolve_links({1: _ranked(("x", 0.9))}, decisions.confirm(1, "x"), ["x"])
    assert [(k.criterion, k.status) for k in links] == [("x", LinkStatus.CONFIRMED)]


def test_rejecting_a_confirmed_link_drops_it():
    decisions = LinkDecisions().confirm(1, "y").reject(1, "y")
    assert decisions.status(1, "y") is LinkStatus.REJECTED
    assert m.resolve_links({1: _ranked(("y", 0.1))}, decisions, ["y"]) == []


def test_decisions_about_gone_entries_or_other_criteria_do_not_count():
    decisions = LinkDecisions().confirm(1, "x").confirm(2, "x").confirm(1, "other-level")
    links = m.resolve_links({1: _ranked(("x", 0.0))}, decisions, ["x"])
    assert [(k.entry, k.criterion) for k in links] == [(1, "x")]
    assert decisions.without_entries([1]).confirmed == [m.LinkKey(entry=1, criterion="x"),
                                                        m.LinkKey(entry=1, criterion="other-level")]


def test_decisions_survive_a_json_round_trip():
    decisions = LinkDecisions().confirm(3, "staff.people.2").reject(4, "staff.craft.1")
    again = LinkDecisions.model_validate(decisions.model_dump(mode="json"))
    assert again == decisions
    assert again.status(3, "staff.people.2") is LinkStatus.CONFIRMED
    assert again.status(4, "staff.craft.1") is LinkStatus.REJECTED
    assert again.status(4, "staff.people.2") is None


# -- readiness against the framework --------------------------------------------------------
def _assess(current: str | None, links: list[m.Link]):
    fw = _framework()
    entries = [_entry(1, "Coached two seniors"), _entry(2, "API style guide", "4 teams")]
    return assess_criteria(fw, fw.level("staff"), fw.level(current) if current else None,
                           entries, links, TODAY)


def test_new_flags_what_the_current_level_does_not_already_expect():
    result = _assess("senior", [])
    assert {c.id: c.new for c in result.criteria} == {
        "staff.people.1": False, "staff.people.2": True, "staff.craft.1": True}
    assert all(c.new for c in _assess(None, []).criteria)


def test_coverage_per_area_and_a_dated_step_per_missing_criterion():
    link = m.Link(entry=2, criterion="staff.craft.1", confidence=0.7, status=LinkStatus.AUTO)
    result = _assess("senior", [link])
    assert [(a.area, a.covered, a.total, a.percent) for a in result.coverage] == [
        ("people", 0, 2, 0), ("craft", 1, 1, 100)]
    assert (result.covered, result.total) == (1, 3)
    craft = next(c for c in result.criteria if c.id == "staff.craft.1")
    assert craft.covered_by == [2] and craft.confidence == 0.7
    assert craft.links[0].title == "API style guide"
    assert [g.criterion for g in result.gaps] == ["staff.people.1", "staff.people.2"]
    assert result.gaps[0].by < result.gaps[1].by
    assert "one or two engineers" in result.gaps[0].action


def test_links_to_missing_entries_are_left_out():
    ghost = m.Link(entry=99, criterion="staff.craft.1", confidence=1.0,
                   status=LinkStatus.CONFIRMED)
    assert _assess("senior", [ghost]).covered == 0


def test_plan_action_uses_the_criterion_and_its_example():
    crit = _framework().criteria[-1]
    action = plan_action(crit, "Craft")
    assert "sets technical standards" in action and "API style guide" in action


def test_criteria_become_expectations_that_carry_their_links():
    link = m.Link(entry=2, criterion="staff.craft.1", confidence=1.0,
                  status=LinkStatus.CONFIRMED)
    exps = as_expectations(_assess("senior", [link]))
    assert [e.id for e in exps] == ["staff.people.1", "staff.people.2", "staff.craft.1"]
    craft = exps[-1]
    assert craft.title == "Craft: Sets technical standards that several teams adopt."
    assert craft.match(_entry(2, "anything")) == "linked by you"
    assert craft.match(_entry(1, "standards and more standards")) is None  # no keyword matching
    assert exps[0].action  # a gap carries its plan step


@pytest.mark.parametrize("bad", ["senior..1", "Senior.people", "a.b.c.d", "has space.a.1"])
def test_expectation_ids_accept_criterion_ids_only_in_their_shape(bad):
    assert Expectation(id="staff-engineer.growth.3", title="t").id == "staff-engineer.growth.3"
    with pytest.raises(ValueError):
        Expectation(id=bad, title="t")
