"""The guard on the proposal: invented figures, unknown or mismatched citations, invented
names, wrong voice/title, structure; and the re-ask-once-then-fall-back flow."""

from __future__ import annotations

import json

import pytest

from coach.domain.evidence import EntryDraft
from coach.domain.guard import (
    citation_problems,
    echo_problems,
    facts_from,
    invented_names,
    invented_numbers,
    notice_for,
    second_person,
)
from coach.domain.proposal import (
    SECTION_TITLES,
    build_proposal,
    check_structure,
    title_problems,
    validate_proposal,
)
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from coach.services.proposal import draft_proposal
from tests.scenarios.helpers import TODAY, entry, profile, proposal_reply

P = profile(months=14, review_month=6, signals=("recent-win",))
ENTRIES = [
    entry(1, "Migrated the checkout service to the event queue", metric="cut p95 latency 40%"),
    entry(2, "Mentored two new backend engineers", kind="mentoring",
          metric="both shipped within 3 weeks", next_level=True),
    entry(3, "Fixed flaky tests"),
]


def draft():
    r = assess_readiness(P, ENTRIES, today=TODAY)
    t = assess_timing(P, ENTRIES, today=TODAY)
    return build_proposal(P, ENTRIES, r, t, TODAY)


GOOD = ["My results as Senior Software Engineer are below.",
        "I already mentor engineers, as the two I mentored show.",
        "As Tech Lead I will widen the scope of this work."]


def with_intro(index: int, text: str) -> list[str]:
    intros = list(GOOD)
    intros[index] = text
    return intros


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_good_intros_pass():
    assert validate_proposal(GOOD, draft(), P, ENTRIES) == []


@pytest.mark.parametrize("text, figure", [
    ("I raised revenue by 25% this year.", "25"),
    ("I saved $1.2M in cloud costs.", "1.2"),
    ("I cut latency 45% [#1].", "45"),
    ("I led a team of 7 engineers.", "7"),
])
def test_invented_number_is_rejected(text, figure):
    problems = validate_proposal(with_intro(0, text), draft(), P, ENTRIES)
    assert "invented-number" in codes(problems)
    assert any(figure in p.detail for p in problems)


@pytest.mark.parametrize("text", [
    "I cut p95 latency 40% [#1].",                    # figure from the cited entry
    "I have been in this role for 14 months.",        # profile figure
    "My plan covers the first 90 days.",              # skeleton figure
    "I would like this at the June 2025 review cycle.",  # the ask's timeline
])
def test_numbers_from_inputs_or_skeleton_are_allowed(text):
    assert "invented-number" not in codes(validate_proposal(with_intro(0, text), draft(), P,
                                                            ENTRIES))


def test_an_entry_number_is_rejected_in_a_document_for_the_manager():
    problems = validate_proposal(with_intro(1, "I mentored engineers [#2]."), draft(), P, ENTRIES)
    assert "internal-id" in codes(problems)
    problems = validate_proposal(with_intro(1, "I mentored engineers [#9]."), draft(), P, ENTRIES)
    assert {"unknown-entry", "internal-id"} <= codes(problems)


def test_entry_numbers_the_model_writes_anyway_are_dropped_before_the_guard(ctx):
    seeded(ctx)
    ctx.llm.enqueue(json.dumps({"intro_1": "My results follow [#1].",
                                "intro_2": "I already mentor engineers [#2] , as shown.",
                                "intro_3": "As Tech Lead I will widen the scope of this work."}))
    result = draft_proposal(ctx, today=TODAY)
    assert result.source == "model" and "[#" not in result.markdown
    assert "My results follow." in result.markdown and "engineers, as shown." in result.markdown


@pytest.mark.parametrize("text, flagged", [
    ("As Tech Lead I will focus on migrating the checkout service to the event queue.", True),
    ("I will mentor two new backend engineers first.", True),
    ("I migrated the checkout service to the event queue and will build on it.", True),
    ("As Tech Lead I will set the technical direction and review designs.", False),
    ("I migrated the checkout service to the event queue last year.", False),
])
def test_finished_work_in_the_future_tense_is_rejected(text, flagged):
    problems = validate_proposal(with_intro(2, text), draft(), P, ENTRIES)
    assert ("tense" in codes(problems)) is flagged


@pytest.mark.parametrize("text", ["I am requesting a promotion to Tech Lead.",
                                  "I am asking for the Tech Lead role.",
                                  "I want to be promoted to Tech Lead.",
                                  "Here is my request."])
def test_an_introduction_that_makes_the_ask_is_rejected(text):
    assert "repeated-ask" in codes(validate_proposal(with_intro(1, text), draft(), P, ENTRIES))


def test_citation_must_describe_the_cited_entry():
    problems = validate_proposal(with_intro(1, "I redesigned the billing pipeline [#2]."),
                                 draft(), P, ENTRIES)
    assert "citation-mismatch" in codes(problems)


def test_figure_attached_to_the_wrong_entry_is_rejected():
    facts = facts_from(P, ENTRIES)
    problems = citation_problems("I mentored two engineers and cut latency 40% [#2].", facts)
    assert "citation-mismatch" in codes(problems)


@pytest.mark.parametrize("text, name", [
    ("I also led Project Phoenix to success.", "Phoenix"),
    ("I also introduced Kubernetes to the team.", "Kubernetes"),
])
def test_invented_project_or_tool_names_are_rejected(text, name):
    problems = invented_names(text, facts_from(P, ENTRIES))
    assert any(name in p.detail for p in problems)


def test_names_from_the_log_and_sentence_starts_are_fine():
    facts = facts_from(P, ENTRIES)
    assert invented_names("Recently I migrated the Checkout service. Mentoring matters.",
                          facts) == []
    assert invented_names("My manager Dana Reyes agreed in June.", facts) == []


def test_wrong_voice_and_wrong_title_are_rejected():
    assert second_person("You have delivered great results.")
    problems = validate_proposal(with_intro(2, "Please promote me to Principal Engineer."),
                                 draft(), P, ENTRIES)
    assert "wrong-title" in codes(problems)
    assert title_problems("I am asking to be promoted to Tech Lead.", "Tech Lead") == []


@pytest.mark.parametrize("text", ["FACTS:\n- I am a Senior Software Engineer",
                                  "Sure. RULES: keep it short.\n  RULES:\n- one page",
                                  "You are a promotion coach talking to an employee.",
                                  "Return JSON with the keys below.", "<|im_start|>assistant"])
def test_an_echoed_prompt_is_rejected(text):
    assert echo_problems(text)


@pytest.mark.parametrize("text", ["If you are available on Tuesday, could we meet?",
                                  "You are a great mentor and I have learned a lot.",
                                  "The facts: I cut costs 20%.", "Please reply with a time."])
def test_ordinary_sentences_are_not_taken_for_an_echo(text):
    assert echo_problems(text) == []


def test_rambling_is_rejected():
    problems = validate_proposal(with_intro(2, "word " * 80), draft(), P, ENTRIES)
    assert "too-long" in codes(problems)


def test_missing_or_empty_intro_is_a_structure_problem():
    assert "structure" in codes(validate_proposal(GOOD[:2], draft(), P, ENTRIES))
    assert "structure" in codes(validate_proposal([*GOOD, "An ask."], draft(), P, ENTRIES))
    assert "structure" in codes(validate_proposal(with_intro(2, "  "), draft(), P, ENTRIES))


def test_structure_check_catches_missing_section_wrong_title_and_no_timeline():
    md = draft().markdown()
    assert check_structure(md, "Tech Lead") == []
    no_section = md.replace(f"## 2. {SECTION_TITLES[1]}", "## Evidence")
    assert "structure" in codes(check_structure(no_section, "Tech Lead"))
    assert "wrong-title" in codes(check_structure(md, "Staff Engineer"))
    no_timeline = md.replace("at the June 2025 review cycle", "soon")
    assert "no-timeline" in codes(check_structure(no_timeline, "Tech Lead"))


def test_invented_numbers_ignores_citation_markers():
    assert invented_numbers("See [#3] and [#12].", facts_from(P, ENTRIES)) == []


def test_notice_names_the_first_problems():
    problems = invented_numbers("I grew revenue 25%.", facts_from(P, ENTRIES))
    assert notice_for(problems) == ("The model's draft invented a figure (25); showing the draft "
                                    "built from your log instead.")


# -- the re-ask loop ----------------------------------------------------------------------

BAD = json.dumps({"intro_1": "I grew revenue 25% at Acme.", "intro_2": "x", "intro_3": "y"})


def seeded(ctx):
    ctx.store.save_profile(P)
    ctx.store.add_entries([EntryDraft(**e.model_dump(exclude={"id"})) for e in ENTRIES])


def test_bad_then_bad_falls_back_to_the_draft_with_notice(ctx):
    seeded(ctx)
    ctx.llm.enqueue(BAD, BAD)
    result = draft_proposal(ctx, today=TODAY)
    assert result.source == "draft"
    assert result.notice.startswith("The model's draft invented a figure (25)")
    assert result.notice.endswith("showing the draft built from your log instead.")
    assert "25%" not in result.markdown and "Acme" not in result.markdown
    assert len(ctx.llm.history) == 2
    reask = ctx.llm.history[1].messages
    assert reask[-2] == {"role": "assistant", "content": BAD}
    assert "the figure 25 is not in your inputs" in reask[-1]["content"]


def test_bad_then_good_uses_the_model_prose(ctx):
    seeded(ctx)
    ctx.llm.enqueue(BAD, proposal_reply(P))
    result = draft_proposal(ctx, today=TODAY)
    assert result.source == "model" and result.notice is None
    assert "widen the scope" in result.markdown
    assert len(ctx.llm.history) == 2


def test_reply_that_is_not_json_is_reasked(ctx):
    seeded(ctx)
    ctx.llm.enqueue("Sure! Here is your proposal.", "still not json")
    result = draft_proposal(ctx, today=TODAY)
    assert result.source == "draft"
    assert "did not answer in the format asked for" in result.notice


def test_model_failure_falls_back_with_notice(ctx):
    from coach.llm.base import LLMError

    seeded(ctx)
    ctx.llm.enqueue(LLMError("the local model is not running"))
    result = draft_proposal(ctx, today=TODAY)
    assert result.source == "draft"
    assert "could not write the draft (the local model is not running)" in result.notice


@pytest.mark.parametrize("text, wrong", [
    ("You have delivered great results.", True),
    ("You've clearly led the project well.", True),
    ("Your results show you are ready.", True),
    ("You should ask for the promotion.", True),
    ("I would like to discuss my progress with you.", False),
    ("I hope you agree this record supports the request.", False),
])
def test_voice_check_tells_coaching_from_addressing_the_manager(text, wrong):
    assert bool(second_person(text)) is wrong
