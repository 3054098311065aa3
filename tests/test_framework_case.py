"""The proposal with a career framework: section 2 names, in the framework's own words, the
criterion each entry shows; without one it reads as before."""

from __future__ import annotations

from coach.domain.expectations import Expectation
from coach.domain.proposal import build_proposal, criterion_label
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from tests.scenarios.helpers import TODAY, profile
from tests.test_proposal import ENTRIES

MENTORS = "Mentors two or more engineers and grows their scope."
TALKS = "Explains technical choices to people outside engineering."
PLANS = "Breaks a quarter's work into milestones and tracks the risks."
CRITERIA = [  # as the framework in use hands them to readiness (coach.domain.framework.coverage)
    Expectation(id="l4.leadership.1", title=f"Leadership: {MENTORS}", description=MENTORS,
                linked={2: "linked by you"}),
    Expectation(id="l4.communication.1", title=f"Communication: {TALKS}", description=TALKS,
                linked={1: "matched automatically (confidence 0.61)"}),
    Expectation(id="l4.delivery.1", title=f"Delivery: {PLANS}", description=PLANS),
]
LABELS = {"l4.leadership.1": criterion_label(MENTORS, "Leadership"),
          "l4.communication.1": criterion_label(TALKS, "Communication"),
          "l4.delivery.1": criterion_label(PLANS, "Delivery")}


def build(expectations=None, labels=None):
    p = profile(months=14, review_month=6)
    return build_proposal(p, ENTRIES, assess_readiness(p, ENTRIES, expectations, today=TODAY),
                          assess_timing(p, ENTRIES, today=TODAY), TODAY, criteria=labels)


def test_a_criterion_is_quoted_with_its_area_and_long_ones_are_cut_at_a_word():
    assert LABELS["l4.leadership.1"] == (
        "\u201cMentors two or more engineers and grows their scope\u201d (Leadership)")
    long = criterion_label("Owns " + "the long and winding roadmap " * 10)
    assert long.endswith("\u2026\u201d") and len(long) < 150 and "  " not in long


def test_section_two_names_the_criterion_each_entry_shows():
    draft = build(CRITERIA, LABELS)
    s2 = draft.sections[1].body()
    mentors, talks, plans = (LABELS[k] for k in ("l4.leadership.1", "l4.communication.1",
                                                 "l4.delivery.1"))
    assert f"**Mentored two new engineers**: both shipped in 3 weeks (meets {mentors})" in s2
    # An entry not marked next-level still shows its criterion, by its title.
    assert f"{talks}: shown by \u201cMigrated the checkout service\u201d" in s2
    assert f"No entry shows {plans} yet" in s2
    claims = {c.text: c.entries for c in draft.claims()}
    assert claims[f"{talks}: shown by \u201cMigrated the checkout service\u201d"] == [1]
    # Section 3 lists the target level's criteria once each, in the framework's words.
    s3 = draft.sections[2].body()
    assert f"- {plans}\n" in s3 and "Delivery: Breaks" not in s3
    assert "[#" not in draft.markdown()


def test_without_a_framework_the_case_is_unchanged():
    assert build().markdown() == build(labels={}).markdown()
    assert "(shows mentoring others)" in build().sections[1].body()
