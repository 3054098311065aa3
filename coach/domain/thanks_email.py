"""A short thank-you, after a yes, to each person who helped: personal, from the user's own data.

Who: by default the sponsors and everyone the user logged an interaction with (`helpers`).
What each email says, all from the user's list: what the person did (the latest logged
interactions, as the user wrote them; for a sponsor, that they spoke up), the news (the new
title, and the start date if the offer has one), and the wish to deliver early in the new
role, starting with what the person cares about. A model may reword it; `validate_thanks`
keeps the rewording only if those parts are still there and every figure and date in it is
one the user entered (the person's notes, the offer's title and date, the profile). The
salary is never among them: it is nobody else's business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from coach.domain.emails import Element, EmailDraft, first_name
from coach.domain.guard import Violation, content_words, facts_from
from coach.domain.offer_email import (
    THANKS,
    Figures,
    carries,
    common_problems,
    figures_of,
    greeting,
    missing_problems,
    signoff,
)
from coach.domain.profile import Profile
from coach.domain.stakeholders import Interaction, Person
from coach.domain.update_email import date_forms

KIND = "helper-thanks"
BODY_MAX_WORDS = 200
NOTES_SHOWN = 2  # the latest interactions an email recalls
NOTE_WORDS_KEPT = 2  # content words of the recalled notes a rewording keeps
CARES_WORDS_KEPT = 2
_SPOKE_UP = re.compile(r"\bspeak|\bspoke|\bbacked|\bbacking|\bsupport|\badvoca|\bvouch|"
                       r"\bchampion|\bput my name|\bin my corner", re.IGNORECASE)
_EARLY = re.compile(r"\bearly|\bfirst (few )?(days|weeks|months)|\bdeliver|\bquick wins?\b",
                    re.IGNORECASE)


_GENERIC = frozenset(content_words(
    "promotion promoted role position agreed thank thanks help helped along speaking support "
    "deliver early results feedback settle news title"))


def helpers(people: Sequence[Person]) -> list[Person]:
    """The people to thank by default: sponsors, and anyone with a logged interaction."""
    return [p for p in people if p.sponsor or p.interactions]


def recalled(person: Person, today: dt.date) -> list[Interaction]:
    """The latest interactions up to today (newest first) an email recalls."""
    done = [i for i in person.interactions if i.date <= today]
    return sorted(done, key=lambda i: i.date, reverse=True)[:NOTES_SHOWN]


def _note(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def build_thanks(profile: Profile, person: Person, *, title: str, start: dt.date | None,
                 today: dt.date) -> EmailDraft:
    """The deterministic thank-you to one person."""
    notes = recalled(person, today)
    news = f"my promotion to {title} has been agreed" + (
        f", and I start in the new role on {start.isoformat()}" if start else "")
    parts = [f"{greeting(person.name)}\n\nI wanted you to hear it from me: {news}."]
    thanks = "Thank you for your help along the way."
    if person.sponsor:
        thanks = ("Thank you for your help along the way, and for speaking up for me when I "
                  "was not in the room.")
    if notes:
        what = "\n".join(f"- {_note(i.note)}" for i in notes)
        thanks += f" What I remember in particular:\n{what}"
    parts.append(thanks)
    if person.cares_about:
        parts.append(f"In the new role I want to deliver early results, starting with what "
                     f"matters to you ({_note(person.cares_about)}), and I would value your "
                     "feedback as I settle in.")
    else:
        parts.append("In the new role I want to deliver early results, and I would value your "
                     "feedback as I settle in.")
    body = "\n\n".join(parts) + f"\n\n{signoff(profile)}"
    return EmailDraft(kind=KIND, to=person.name, to_address=person.email,
                      sender=profile.name or "me", from_address=profile.email,
                      subject=f"Thank you, {first_name(person.name)}: my move to {title}",
                      body=body, user_text=[i.note for i in notes] + (
                          [person.cares_about] if person.cares_about else []))


def thanks_figures(profile: Profile, person: Person, title: str,
                   start: dt.date | None) -> Figures:
    """What a thank-you may state: the person's own data, the new title and date, the profile."""
    dates = [i.date for i in person.interactions] + ([start] if start else [])
    return figures_of(profile, title, person.name, person.role, person.cares_about,
                      *(i.note for i in person.interactions), dates=dates)


def thanks_elements(body: str, person: Person, title: str, start: dt.date | None,
                    today: dt.date) -> list[Element]:
    """The required parts: their name, thanks, what they did, the news, early delivery."""
    low = body.lower()
    notes = " ".join(i.note for i in recalled(person, today))
    name = first_name(person.name).lower()
    elements = [
        Element(id="greeting", label=f"greets {first_name(person.name)} by name",
                present=bool(name) and name in low),
        Element(id="thanks", label="thanks them", present=bool(THANKS.search(body))),
    ]
    if notes:
        # Words the rest of the note says anyway prove nothing was recalled.
        generic = _GENERIC | content_words(f"{title} {person.cares_about}")
        words = content_words(notes) - generic
        kept = len(words & content_words(body)) >= min(NOTE_WORDS_KEPT, len(words))
        elements.append(Element(id="what-they-did", label="recalls what they did, from your notes",
                                present=kept))
    if person.sponsor:
        elements.append(Element(id="spoke-up", label="thanks them for speaking up for you",
                                present=bool(_SPOKE_UP.search(body))))
    elements.append(Element(id="the-news", label=f"gives the news (the {title} role)",
                            present=title.lower() in low))
    if start is not None:
        elements.append(Element(id="start", label="gives the start date",
                                present=any(f.lower() in low for f in date_forms(start))))
    elements.append(Element(id="early-results", label="says you want to deliver early in the "
                            "new role", present=bool(_EARLY.search(body))))
    if person.cares_about:
        elements.append(Element(id="what-they-care-about", label="names what they care about",
                                present=carries(person.cares_about, body, CARES_WORDS_KEPT)))
    return elements


def who_did_it_problems(body: str, person: Person, today: dt.date) -> list[Violation]:
    """A recalled note the rewording put in the user's mouth: "Put my name forward" (what the
    person did) must not become "I put my name forward"."""
    problems = []
    for note in recalled(person, today):
        words = note.note.split()
        if not words or words[0].lower() in {"i", "i'm", "i've", "we"}:
            continue
        turned = re.compile(rf"\bI\s+{re.escape(words[0])}\b", re.IGNORECASE)
        if turned.search(body):
            problems.append(Violation(code="changed-who", detail=(
                f"'{_note(note.note)}' now reads as something you did"),
                phrase="changed who did what"))
    return problems


def validate_thanks(body: str, draft: EmailDraft, profile: Profile, person: Person, *,
                    title: str, start: dt.date | None, today: dt.date) -> list[Violation]:
    """Checks on a reworded thank-you: its parts kept, only the user's figures, names, tone."""
    facts = facts_from(profile, [], title, person.name, person.role, person.cares_about,
                       *(i.note for i in person.interactions))
    facts.allow_text(draft.subject, draft.body)
    return [*common_problems(body, draft, facts, thanks_figures(profile, person, title, start),
                             "the email", BODY_MAX_WORDS),
            *who_did_it_problems(body, person, today),
            *missing_problems(thanks_elements(body, person, title, start, today), "email")]
