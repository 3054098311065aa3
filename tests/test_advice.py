"""The guidance's rules the chat answers with (coach.domain.advice) and the sentence checks
every model sentence passes (coach.domain.grounding): pure, table-driven."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.assets import guides_dir
from coach.domain.advice import RULES, advise, pick_rule, route
from coach.domain.grounding import (
    SentenceBuffer,
    Source,
    check_sentence,
    clean,
    polarity,
    stance_problem,
)
from coach.domain.text import shared_span
from tests.scenarios.helpers import TODAY, entry, profile

HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


# -- which rule answers -------------------------------------------------------------------------


@pytest.mark.parametrize("question, rule", [
    ("Is it a bad idea to ask for a raise in title while the company is laying people off?",
     "timing-layoffs"),
    ("Our CEO just said we're trimming 10% of staff. Bad time to ask about moving up?",
     "timing-layoffs"),
    ("There's a freeze on new roles until Q3. Can I still get promoted in the meantime?",
     "timing-hiring-freeze"),
    ("Sales are way down this year. Does that change whether I should ask?", "timing-weak-finances"),
    ("The whole department is being restructured next month. Should I wait?", "timing-reorg"),
    ("My manager is dealing with a huge client escalation right now. When's a good time?",
     "timing-manager-overloaded"),
    ("I've only been in this job for eight months, is it too early to ask?", "timing-tenure-short"),
    ("Should I bring up my promotion casually at the end of a standup?", "meeting-dedicated"),
    ("can I just mention it at the end of our weekly catch-up?", "meeting-dedicated"),
    ("My boss said there's no budget for it, what now?", "answer-no-budget"),
    ("I got told there's no room in the budget for a senior title. Should I believe it?",
     "answer-no-budget-real"),
    ("My manager thinks I'm too junior for a lead role. How do I respond?", "answer-not-ready"),
    ("My director told me the management track isn't for me. Is it over?", "answer-no-fit"),
    ("They offered me a management position but I'd rather keep coding, how do I say no?",
     "declining-how"),
    ("Should I mention that my rent went up a lot?", "conversation-personal-finances"),
])
def test_the_rule_that_answers(question, rule):
    assert pick_rule(question)[0].id == rule


@pytest.mark.parametrize("question", [
    "We're not laying anyone off, should I ask?",        # the trigger, negated
    "We haven't had layoffs, should I ask?",
    "How should I structure the doc I hand my manager?",   # nothing the rules know
    "how long should my promotion document be?",           # "how long", but not about tenure
    "My boss's boss barely knows who I am. How do I change that before promotion season?",
    "What does the weather look like?",
])
def test_no_rule_answers_what_it_does_not_clearly_match(question):
    assert pick_rule(question) is None and route(question) == []


def _headings() -> set[tuple[str, str]]:
    return {(p.name, h.strip()) for p in guides_dir().glob("*.md")
            for h in HEADING.findall(p.read_text("utf-8"))}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_rests_on_a_guide_section_that_exists(rule):
    missing = [g.label() for g in rule.rests_on if (g.source, g.section) not in _headings()]
    assert not missing
    assert all(line for line, _ in rule.lines())
    assert len({r.id for r in RULES}) == len(RULES)


def test_rule_answers_are_our_own_words():
    guides = [p.read_text("utf-8") for p in guides_dir().glob("*.md")]
    copied = [(rule.id, span) for rule in RULES for sentence in rule.answer for text in guides
              if (span := shared_span(sentence, text, 8))]
    assert copied == []


# -- applied to the user ------------------------------------------------------------------------


def test_a_freeze_runs_the_users_timing_check_with_that_signal():
    advice = advise("They froze hiring across the whole org. Should I hold off?",
                    profile(months=14), [], today=TODAY)
    assert advice.rule == "timing-hiring-freeze" and advice.stance == "wait"
    assert advice.lines[-1].origin == "profile"
    assert advice.lines[-1].text == ("With hiring freeze added to your profile, your own timing "
                                     "check says not now; look again after the hiring freeze lifts.")


def test_a_win_question_says_so_when_the_profile_has_a_blocker():
    advice = advise("We just had our best quarter ever. Is this the moment?",
                    profile(months=14, signals=("layoffs",)), [], today=TODAY)
    assert advice.stance == "yes"
    assert advice.lines[-1].text == ("Your profile also lists layoffs, so your own timing check "
                                     "still says not now.")


@pytest.mark.parametrize("question, months, line", [
    ("I've only been in the role seven months but I've taken over my old manager's job. Can I "
     "ask already?", 20, "At 7 months in the role, you are 5 months short of the usual 12 to 18 "
                         "month window."),
    ("How long do people normally stay at one level before getting bumped up?", 14,
     "At 14 months in the role, you are inside the usual 12 to 18 month window."),
])
def test_tenure_questions_place_the_months_in_the_usual_window(question, months, line):
    assert advise(question, profile(months=months), []).lines[-1].text == line


def test_a_criteria_question_names_the_transitions_expectations_and_the_gaps():
    entries = [entry(1, "Mentored two new hires", kind="mentoring", metric="2 ramped up")]
    advice = advise("How do I work out the gap between what I do now and what the next level "
                    "needs?", profile(), entries, today=TODAY)
    personal = [line.text for line in advice.lines if line.origin == "profile"]
    assert personal[0].startswith("For your move to Tech Lead, your list expects mentoring others")
    assert personal[1].startswith("Your log already shows mentoring others; still open:")


def test_without_a_profile_the_rule_answers_alone():
    advice = advise("My boss said there's no budget for it, what now?")
    assert [line.origin for line in advice.lines] == ["rule"] * 3


# -- the checks each model sentence passes ------------------------------------------------------


@pytest.mark.parametrize("pieces, sentences, rest", [
    (["Ask soon [1]", ". Then book ", "it."], ["Ask soon [1]."], "Then book it."),
    (["Ask soon. [1] Then", " book."], ["Ask soon. [1]"], "Then book."),
    (["Steps:\n1. Mentor interns\n2. Book it", " now.\n"], ["Book it now."], ""),
    (["Use e.g. a recap. Then stop mid"], ["Use e.g. a recap."], "Then stop mid"),
])
def test_sentences_are_handed_out_only_when_complete(pieces, sentences, rest):
    buffer = SentenceBuffer()
    got = [s for piece in pieces for s in buffer.feed(piece)]
    last, unfinished = buffer.finish()
    assert got == sentences
    assert (last[0] if last else unfinished) == rest


@pytest.mark.parametrize("raw, cleaned", [
    ("Based on the information provided in the passage, the employee should ask [1].",
     "You should ask [1]."),
    ("According to the guide, ask soon.", "Ask soon."),
    ("**Book** the meeting; the user's manager will prepare.",
     "Book the meeting; your manager will prepare."),
])
def test_clean(raw, cleaned):
    assert clean(raw) == cleaned


@pytest.mark.parametrize("sentence, question, said", [
    ("Yes, you should bring it up at standup.", "Should I bring it up at standup?", "yes"),
    ("It is not a bad idea to ask.", "Is it a bad idea to ask now?", "yes"),
    ("Yes, it is a bad idea right now.", "Is it a bad idea to ask now?", "no"),
    ("Yes.", "Is it a bad idea to ask during layoffs?", "no"),
    ("Not now: wait until things settle.", "Is it a bad idea to ask now?", "no"),
    ("Now is a good moment to ask.", "", "yes"),
    ("No budget does not mean never.", "", None),
    ("Book a separate meeting.", "", None),
])
def test_polarity(sentence, question, said):
    assert polarity(sentence, question) == said


@pytest.mark.parametrize("sentence, stance, why", [
    ("You should bring up your promotion casually at the end of a standup.", "no",
     "recommends what the question proposes"),
    ("Don't bring up your promotion casually at the end of a standup.", "no", None),
    ("Yes, book a dedicated slot.", "depends", "gives a flat answer"),
    ("Wait until the freeze lifts.", "yes", "says no where the guidance says yes"),
    ("Book the time now.", "how", None),
])
def test_stance(sentence, stance, why):
    problem = stance_problem(sentence, stance, "Should I bring up my promotion casually at the "
                                               "end of a standup?")
    assert (problem is None) if why is None else problem.startswith(why)


def test_a_sentence_that_turns_its_sources_negation_around_is_dropped():
    source = Source(text="Do not argue with your manager in the moment when you hear the news.",
                    n=1)
    flipped = check_sentence("Argue with your manager in the moment when you hear the news [1].",
                             sources=[source], stance=None, question="", shown=[], problems=[])
    assert not flipped.keep and flipped.reason == "turns a negation of its source around"
    kept = check_sentence("Do not argue with your manager in the moment; ask for examples [1].",
                          sources=[source], stance=None, question="", shown=[], problems=[])
    assert kept.keep and kept.cites == [1] and kept.text.endswith("examples [1].")


def test_a_sentence_gets_the_marker_of_the_passage_that_supports_it():
    sources = [Source(text="Ask just after a clear win, while it is fresh.", n=1),
               Source(text="Book a separate meeting of about half an hour.", n=2)]
    checked = check_sentence("Book a separate half-hour meeting for it [1].", sources=sources,
                             stance=None, question="", shown=[], problems=[])
    assert checked.keep and checked.cites == [2] and checked.text.endswith("for it [2].")


def test_dates_in_the_timing_check_follow_today():
    later = advise("We're laying people off. Should I ask?", profile(), [],
                   today=dt.date(2025, 11, 30))
    assert later.lines[-1].text.endswith("look again around 28 February 2026.")
