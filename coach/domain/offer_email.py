"""The email that asks for the agreed offer in writing, and the figure guard the emails after a
yes share.

Facts first: `build_confirmation` lists every term the user saved with the offer (title, level,
salary, scope, benefits, start date) as they typed it, names the terms not yet settled as still
to confirm (never a guess), and asks the manager to reply confirming them. A model may reword
it; `validate_confirmation` keeps the rewording only if every settled term is still there,
every open one is still named, and every figure and date in it is one the user entered
(`figure_problems`: the saved offer and the profile, nothing else).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from coach.domain.emails import Element, EmailDraft, first_name
from coach.domain.guard import (
    Facts,
    Violation,
    content_words,
    echo_problems,
    facts_from,
    hostile_phrases,
    invented_names,
    manager_voice,
    too_long,
)
from coach.domain.markup import markup_in
from coach.domain.offer import Offer
from coach.domain.profile import Profile
from coach.domain.text import numbers_in
from coach.domain.update_email import date_forms, dated_figure_problems, without_dates

KIND = "offer-confirmation"
BODY_MAX_WORDS = 260
THANKS = re.compile(r"\bthank|\bappreciate|\bgrateful", re.IGNORECASE)

# Each term of an offer: its id, how the email labels it, and words that name it in prose.
TERMS: tuple[tuple[str, str, str], ...] = (
    ("title", "Title", r"\btitle|\brole\b"),
    ("level", "Level", r"\blevel|\bband\b|\bgrade\b"),
    ("salary", "Salary", r"\bsalary|\bpay\b|\bcompensation"),
    ("scope", "Scope", r"\bscope|\bresponsibilit"),
    ("benefits", "Benefits", r"\bbenefit|\bbonus|\bequity|\bpackage"),
    ("start", "Start date", r"\bstart|\beffective|\bbegin"),
)
_NAMES = {tid: re.compile(rx, re.IGNORECASE) for tid, _, rx in TERMS}
_IN_WRITING = re.compile(r"in writing|written|reply (to )?confirm|confirm (these|the|this|them)",
                         re.IGNORECASE)
WORDS_KEPT = {"scope": 3, "benefits": 2}  # content words of a free-text term a rewording keeps


@dataclass(frozen=True)
class Term:
    """One term of the offer: settled (with the value as the user typed it) or still open."""

    id: str
    label: str
    value: str  # '' while open

    @property
    def settled(self) -> bool:
        return bool(self.value)


def _line(text: str) -> str:
    return " ".join(text.split())


def terms(offer: Offer) -> list[Term]:
    """Every term of the offer in the email's order, with the value the user saved (or '')."""
    values = {"title": offer.title, "level": offer.level,
              "salary": offer.salary.text if offer.salary else "", "scope": offer.scope,
              "benefits": offer.benefits, "start": offer.start.isoformat() if offer.start else ""}
    return [Term(tid, label, _line(values[tid])) for tid, label, _ in TERMS]


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def greeting(name: str) -> str:
    return f"Hi {first_name(name)}," if name.strip() else "Hi,"


def signoff(profile: Profile) -> str:
    return f"Best regards,\n{profile.name}" if profile.name else "Best regards,"


def build_confirmation(profile: Profile, offer: Offer) -> EmailDraft:
    """The deterministic confirmation: every settled term as saved, the open ones named."""
    all_terms = terms(offer)
    settled = [t for t in all_terms if t.settled]
    still = [t for t in all_terms if not t.settled]
    listed = "\n".join(f"- {t.label}: {t.value}" for t in settled)
    body = (f"{greeting(profile.manager_name)}\n\nThank you for agreeing to my move to "
            f"{offer.title}. So that we both have the same record, here are the terms as I "
            f"understood them:\n\n{listed}\n\n")
    if still:
        names = _join([("the " + t.label.lower()) for t in still])
        body += (f"Still to confirm: {names}. Could you let me know once "
                 f"{'it is' if len(still) == 1 else 'they are'} settled?\n\n")
    body += ("Could you reply to confirm these details in writing, and let me know whether "
             "anyone else still has to approve the change, and when?\n\n" + signoff(profile))
    return EmailDraft(kind=KIND, to=profile.manager_name or "Manager",
                      to_address=profile.manager_email, sender=profile.name or "me",
                      from_address=profile.email,
                      subject=f"Confirming the agreed terms: {offer.title}", body=body,
                      user_text=[t.value for t in settled])


# -- the figure guard the emails after a yes share ---------------------------------------------
@dataclass(frozen=True)
class Figures:
    """The figures and dates a draft may state: the ones the user entered."""

    numbers: frozenset[str]
    dates: tuple[dt.date, ...] = ()


def _plain_ints(found: set[str]) -> set[str]:
    return found | {str(int(n)) for n in found if n.isdigit()}


def amount_forms(offer: Offer) -> set[str]:
    """The salary as typed and written out: '$150k' may read '$150,000' or '150000'."""
    if offer.salary is None:
        return set()
    amount = offer.salary.amount
    forms = numbers_in(offer.salary.text) | {f"{amount:.0f}" if amount.is_integer() else f"{amount:g}"}
    if amount >= 1000:
        forms.add(f"{amount / 1000:g}")
    return forms


def figures_of(profile: Profile, *texts: str, dates: Iterable[dt.date] = (),
               extra: Iterable[str] = ()) -> Figures:
    """The figures of the profile and the given texts (dates blanked out first: a date's day
    is no licence for a figure), plus the dates given."""
    profile_text = " ".join([profile.name, profile.manager_name, profile.current_title,
                             profile.target_title, str(profile.months_in_role)])
    found: set[str] = set(extra)
    for text in (profile_text, *texts):
        found |= numbers_in(without_dates(text)[0])
    return Figures(numbers=frozenset(_plain_ints(found)), dates=tuple(dates))


def offer_figures(profile: Profile, offer: Offer) -> Figures:
    """What a confirmation may state: the saved offer and the profile."""
    return figures_of(profile, offer.title, offer.level, offer.scope, offer.benefits,
                      dates=[offer.start] if offer.start else [], extra=amount_forms(offer))


def figure_problems(body: str, figures: Figures) -> list[Violation]:
    """Figures the user never entered, and dates they never gave."""
    return dated_figure_problems(body, figures.numbers, figures.dates, "not one you entered")


def carries(text: str, body: str, needed: int) -> bool:
    """Whether the body keeps `needed` of the text's content words (fewer if it has fewer)."""
    words = content_words(text)
    return not words or len(words & content_words(body)) >= min(needed, len(words))


def _term_present(term: Term, body: str, offer: Offer) -> bool:
    low = body.lower()
    if term.id == "salary":
        return bool(numbers_in(without_dates(body)[0]) & amount_forms(offer))
    if term.id == "start" and offer.start is not None:
        return any(f.lower() in low for f in date_forms(offer.start))
    if term.id in WORDS_KEPT:
        return carries(term.value, body, WORDS_KEPT[term.id])
    return term.value.lower() in low


def confirmation_elements(body: str, offer: Offer) -> list[Element]:
    """The required parts: thanks, each settled term, each open term named, the ask in writing."""
    elements = [Element(id="thanks", label="thanks the manager", present=bool(THANKS.search(body)))]
    still = []
    for term in terms(offer):
        if term.settled:
            elements.append(Element(id=term.id, label=f"states the {term.label.lower()} as saved",
                                    present=_term_present(term, body, offer)))
        else:
            still.append(term)
    if still:
        named = all(_NAMES[t.id].search(body) for t in still)
        elements.append(Element(id="still-to-confirm", label="names the terms still to confirm "
                                f"({', '.join(t.label.lower() for t in still)})", present=named))
    elements.append(Element(id="in-writing", label="asks for the terms to be confirmed in writing",
                            present=bool(_IN_WRITING.search(body))))
    return elements


def missing_problems(elements: list[Element], what: str) -> list[Violation]:
    return [Violation(code="missing-element", detail=f"the {what} no longer {e.label}",
                      phrase=f"left out a required part ({e.id})")
            for e in elements if not e.present]


def markup_problems(body: str) -> list[Violation]:
    """Formatting marks a mail client would show as typed: bold stars, headings, links."""
    found = markup_in(body) or next((m for m in ("**", "__") if m in body), None)
    if found is None and re.search(r"(?m)^\s*#{1,6}\s", body):
        found = "#"
    if found is None:
        return []
    return [Violation(code="markup", detail=f"the email holds formatting ({found[:40]}) an email "
                                            "would show as typed", phrase="used formatting marks")]


def common_problems(body: str, draft: EmailDraft, facts: Facts, figures: Figures,
                    what: str, max_words: int) -> list[Violation]:
    """The checks every email after a yes runs: prompt echo, figures, names, tone, voice, marks."""
    hostile = [v for v in hostile_phrases(body) if v not in hostile_phrases(draft.body)]
    return [*echo_problems(body), *markup_problems(body), *figure_problems(body, figures),
            *invented_names(body, facts),
            *hostile, *manager_voice(body),
            *too_long(body, max(max_words, len(draft.body.split()) + 40), what)]


def validate_confirmation(body: str, draft: EmailDraft, profile: Profile,
                          offer: Offer) -> list[Violation]:
    """Checks on a reworded confirmation: terms kept, open ones named, only the user's figures."""
    facts = facts_from(profile, [], offer.title, offer.level, offer.scope, offer.benefits)
    facts.allow_text(draft.subject, draft.body)
    return [*common_problems(body, draft, facts, offer_figures(profile, offer), "the email",
                             BODY_MAX_WORDS),
            *missing_problems(confirmation_elements(body, offer), "email")]
