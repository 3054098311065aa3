"""Checks for the emails after a yes (issue 21): the offer confirmation and the thank-you notes
to the people who helped.

The required parts are the app's own definitions (`coach.domain.offer_email`,
`coach.domain.thanks_email`), run here on the output as shown; the figure check is the
app's strict guard for these emails (only the saved offer, the person's own notes and the
profile: a figure from the impact log is no licence here). The eval adds what the app does
not enforce: the right people get a note each, nobody but the manager hears the salary, the
user writes in their own voice, and each note is signed and short.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from coach.domain.guard import Facts, content_words, facts_from, invented_names, manager_voice
from coach.domain.offer import Offer, apply_changes
from coach.domain.offer_email import (
    amount_forms,
    build_confirmation,
    confirmation_elements,
    figure_problems,
    offer_figures,
)
from coach.domain.stakeholders import Person
from coach.domain.text import numbers_in
from coach.domain.thanks_email import build_thanks, helpers, thanks_elements, thanks_figures
from coach.domain.update_email import without_dates
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.emails import email_body
from coach.evals.scorers.text import body_lines, excerpt, sentences, word_count


def saved_offer(sample: Sample) -> Offer | None:
    terms = sample.input.task.offer_terms
    return apply_changes(None, terms, sample.input.today) if terms is not None else None


def people(sample: Sample) -> list[Person]:
    return [Person(id=i, **p.model_dump()) for i, p in enumerate(sample.input.task.stakeholders, start=1)]


def news(sample: Sample) -> tuple[str, dt.date | None]:
    """The new title and start date a thank-you may give: the saved offer's, else the target."""
    offer = saved_offer(sample)
    return (offer.title, offer.start) if offer else (sample.input.profile.target_title, None)


def notes(output: Output) -> list[dict[str, Any]]:
    """The thank-you notes of a helper-thanks output, one per person."""
    found = output.data.get("emails")
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _person_of(note: dict[str, Any], by_id: dict[int, Person]) -> Person | None:
    pid = note.get("person")
    if isinstance(pid, int) and pid in by_id:
        return by_id[pid]
    return next((p for p in by_id.values() if p.name == note.get("to")), None)


# -- the offer confirmation ---------------------------------------------------------------------
_CONFIRMATION = {"thanks", "terms", "still-to-confirm", "in-writing"}
_TERM_IDS = {"title", "level", "salary", "scope", "benefits", "start"}


@scorer("confirmation_element")
def confirmation_element(element: str) -> ScoreFn:
    """One required part of the confirmation ('terms': every term the user saved, as saved)."""
    if element not in _CONFIRMATION:
        raise TypeError(f"unknown element '{element}'; use one of {', '.join(sorted(_CONFIRMATION))}")

    def score(sample: Sample, output: Output) -> Score:
        offer = saved_offer(sample)
        if offer is None:
            return Score.unscored(f"case {sample.id} saves no offer")
        body = email_body(output)
        found = confirmation_elements(body, offer)
        wanted = [e for e in found if (e.id in _TERM_IDS if element == "terms" else e.id == element)]
        if not wanted:
            return Score.na(f"nothing for '{element}' in this offer")
        absent = [e for e in wanted if not e.present]
        if absent:
            return Score.no(f"the email never {absent[0].label}", excerpt(body))
        return Score.yes("; ".join(e.label for e in wanted))

    return score


@scorer("after_yes_figures")
def after_yes_figures() -> ScoreFn:
    """Every figure and date is one the user entered for this email: the saved offer and the
    profile (a confirmation), the person's own notes, the new title and date (a thank-you)."""

    def score(sample: Sample, output: Output) -> Score:
        profile = sample.input.profile
        if sample.kind.value == "offer-confirmation":
            offer = saved_offer(sample)
            if offer is None:
                return Score.unscored(f"case {sample.id} saves no offer")
            checks = [(email_body(output), offer_figures(profile, offer))]
        else:
            title, start = news(sample)
            by_id = {p.id: p for p in people(sample)}
            checks = []
            for note in notes(output):
                person = _person_of(note, by_id)
                if person is None:
                    return Score.no(f"a note to '{note.get('to')}', who is not on the list",
                                    str(note.get("to")))
                checks.append((str(note.get("body", "")), thanks_figures(profile, person, title, start)))
        for body, figures in checks:
            if problems := figure_problems(body, figures):
                return Score.no(problems[0].detail, excerpt(body))
        return Score.yes("every figure and date is one the user entered")

    return score


# -- the thank-you notes -------------------------------------------------------------------------
@scorer("thanks_one_each")
def thanks_one_each() -> ScoreFn:
    """One note to each person chosen (the ids picked, else the sponsors and everyone with a
    logged interaction), and to nobody else."""

    def score(sample: Sample, output: Output) -> Score:
        listed = people(sample)
        picked = sample.input.task.thank
        wanted = [p.name for p in listed if p.id in picked] if picked else [p.name for p in helpers(listed)]
        by_id = {p.id: p for p in listed}
        got = [person.name if (person := _person_of(n, by_id)) else str(n.get("to")) for n in notes(output)]
        if sorted(got) != sorted(wanted):
            return Score.no(f"notes to {', '.join(got) or 'nobody'}; expected {', '.join(wanted)}",
                            excerpt(output.text))
        return Score.yes(f"one note each to {', '.join(wanted)}")

    return score


@scorer("thanks_element")
def thanks_element(element: str) -> ScoreFn:
    """One required part of every note that calls for it (the app's own definition)."""

    def score(sample: Sample, output: Output) -> Score:
        title, start = news(sample)
        by_id = {p.id: p for p in people(sample)}
        applies = 0
        for note in notes(output):
            person = _person_of(note, by_id)
            if person is None:
                continue
            body = str(note.get("body", ""))
            found = [e for e in thanks_elements(body, person, title, start, sample.input.today)
                     if e.id == element]
            if not found:
                continue
            applies += 1
            if not found[0].present:
                return Score.no(f"the note to {person.name} never {found[0].label}", excerpt(body))
        if not applies:
            return Score.na(f"no note calls for '{element}'")
        return Score.yes(f"{applies} notes: {element}")

    return score


@scorer("thanks_no_salary")
def thanks_no_salary() -> ScoreFn:
    """No note to a helper states the salary: it is between the user and the manager."""

    def score(sample: Sample, output: Output) -> Score:
        offer = saved_offer(sample)
        forms = amount_forms(offer) if offer else set()
        if not forms:
            return Score.na("no salary saved")
        for note in notes(output):
            body = str(note.get("body", ""))
            if numbers_in(without_dates(body)[0]) & forms:
                return Score.no(f"the note to {note.get('to')} gives the salary", excerpt(body))
        return Score.yes("no note mentions the salary")

    return score


def _bodies(sample: Sample, output: Output) -> list[str]:
    if sample.kind.value == "helper-thanks":
        return [str(n.get("body", "")) for n in notes(output)]
    return [email_body(output)]


@scorer("own_voice")
def own_voice() -> ScoreFn:
    """The user writes as themselves, never in the manager's voice (the app's guard)."""

    def score(sample: Sample, output: Output) -> Score:
        for body in _bodies(sample, output):
            if problems := manager_voice(body):
                return Score.no(problems[0].detail, excerpt(body))
        return Score.yes("written in the user's own voice")

    return score


@scorer("each_signed")
def each_signed() -> ScoreFn:
    """Every email ends with the user's name."""

    def score(sample: Sample, output: Output) -> Score:
        name = sample.input.profile.name
        if not name:
            return Score.na("the profile has no name to sign with")
        bodies = _bodies(sample, output)
        if not bodies:
            return Score.no("no email at all", excerpt(output.text))
        for body in bodies:
            tail = body_lines(body)[-3:]
            if not any(name.split()[0].lower() in line.lower() for line in tail):
                return Score.no(f"an email is not signed with {name.split()[0]}'s name", " / ".join(tail))
        return Score.yes(f"{len(bodies)} emails signed")

    return score


@scorer("each_short")
def each_short(limit: int) -> ScoreFn:
    """Every email body is short enough to read in one go."""

    def score(sample: Sample, output: Output) -> Score:
        for body in _bodies(sample, output):
            if (count := word_count(body)) > limit:
                return Score.no(f"{count} words, over the limit of {limit}", excerpt(body))
        return Score.yes(f"every email is {limit} words or fewer")

    return score


def _name_facts(sample: Sample, person: Person | None) -> Facts:
    """The names an email may use: the profile's, the offer's or the person's, and the words of
    the app's own draft of it (its labels and stock phrases)."""
    profile, offer = sample.input.profile, saved_offer(sample)
    if person is None and offer is not None:
        facts = facts_from(profile, [], offer.title, offer.level, offer.scope, offer.benefits)
        draft = build_confirmation(profile, offer)
    else:
        assert person is not None
        title, start = news(sample)
        facts = facts_from(profile, [], title, person.name, person.role, person.cares_about,
                           *(i.note for i in person.interactions))
        draft = build_thanks(profile, person, title=title, start=start, today=sample.input.today)
    return facts.allow_text(draft.subject, draft.body)


@scorer("no_invented_names")
def no_invented_names() -> ScoreFn:
    """No name of a project, tool or person the user never wrote: a note to someone with
    nothing logged must not make up what they did (the app's guard)."""

    def score(sample: Sample, output: Output) -> Score:
        pairs: list[tuple[str, Person | None]]
        if sample.kind.value == "offer-confirmation":
            pairs = [(email_body(output), None)]
        else:
            by_id = {p.id: p for p in people(sample)}
            pairs = [(str(n.get("body", "")), _person_of(n, by_id)) for n in notes(output)]
        for body, person in pairs:
            if sample.kind.value == "helper-thanks" and person is None:
                return Score.no("a note to someone not on the list", excerpt(body))
            if problems := invented_names(body, _name_facts(sample, person)):
                return Score.no(problems[0].detail, excerpt(body))
        return Score.yes("every name is one the user wrote")

    return score


_THANKING = re.compile(r"\bthank|\bgrateful|\bappreciat", re.IGNORECASE)
_MARKDOWN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|^\s*#{1,6}\s", re.MULTILINE)


@scorer("plain_text")
def plain_text() -> ScoreFn:
    """The email is plain text, as it is sent (.txt, .eml): no markdown bold or headings that
    would show as stray asterisks and hashes."""

    def score(sample: Sample, output: Output) -> Score:
        for body in _bodies(sample, output):
            if m := _MARKDOWN.search(body):
                return Score.no(f"markdown in an email: '{m.group(0).strip()}'", excerpt(body, m, 60))
        return Score.yes("plain text")

    return score


# Words general thanks uses whoever it is for: they name no particular help.
_GENERAL_THANKS = frozenset(content_words(
    "thank thanks thankful grateful gratitude appreciate appreciated really truly much many huge great "
    "invaluable generous generosity kind kindness support supporting supported guidance backing "
    "encouragement trust confidence belief time help helping helped along the way everything all "
    "especially particular remember wanted also always"))


@scorer("thanks_only_logged_help")
def thanks_only_logged_help() -> ScoreFn:
    """A note thanks someone only for what the user logged about them (their notes, what they
    care about, speaking up for a sponsor) or in general terms: a thanking sentence with words
    from none of these makes up what the person did."""

    def score(sample: Sample, output: Output) -> Score:
        title, start = news(sample)
        by_id = {p.id: p for p in people(sample)}
        checked = 0
        for note in notes(output):
            person = _person_of(note, by_id)
            if person is None:
                continue
            draft = build_thanks(sample.input.profile, person, title=title, start=start,
                                 today=sample.input.today)
            known = _GENERAL_THANKS | content_words(" ".join([
                draft.body, person.name, person.role, person.cares_about, title,
                *(i.note for i in person.interactions), sample.input.profile.name]))
            for sentence in sentences(str(note.get("body", ""))):
                if not _THANKING.search(sentence):
                    continue
                checked += 1
                new = sorted(content_words(sentence) - known)
                if new:
                    logged = "nothing" if not person.interactions else "other things"
                    return Score.no(f"thanks {person.name} for something the user never logged "
                                    f"({', '.join(new[:4])}); the log holds {logged}", sentence)
        return Score.yes(f"{checked} thanking sentences, all about logged help or general") if checked \
            else Score.na("no thanking sentence")

    return score
