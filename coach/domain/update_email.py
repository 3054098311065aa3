"""The short manager update: what shipped, the results, what is next, from the user's own facts.

The draft is complete without a model: the entries since the last update (titles and their
measured results, word for word) and the development plan's items due next (never invented).
A model may reword it; `validate_update` keeps the rewording only if every figure in it is one
the entries (or the draft's own dates) hold, every result and due date is still there, and
nothing hostile or in the manager's voice slipped in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from coach.domain.emails import first_name
from coach.domain.evidence import Entry
from coach.domain.guard import (
    Facts,
    Violation,
    content_words,
    echo_problems,
    facts_from,
    hostile_phrases,
    invented_names,
    invented_numbers,
    manager_voice,
    too_long,
)
from coach.domain.plan import PlanItem
from coach.domain.profile import Profile
from coach.domain.text import numbers_in

NEXT_ITEMS = 3  # what is next: the three plan items due soonest
BODY_MAX_WORDS = 260
TITLE_WORDS_KEPT = 2  # content words of each shipped entry's title the rewording must keep


class UpdateDraft(BaseModel):
    """The deterministic update email and what it was built from."""

    to: str
    to_address: str = ""
    sender: str
    from_address: str = ""
    subject: str
    body: str
    since: dt.date
    until: dt.date
    entries: list[int] = Field(default_factory=list, description="Ids of the entries it reports.")
    results: list[str] = Field(default_factory=list, description="The measured results, as logged.")
    next_items: list[PlanItem] = Field(default_factory=list)


def in_window(entries: Sequence[Entry], since: dt.date, until: dt.date,
              reported: Sequence[int] = ()) -> list[Entry]:
    """Entries dated from `since` to `until`, less those an update already reported."""
    done = set(reported)
    return sorted((e for e in entries if since <= e.date <= until and e.id not in done),
                  key=lambda e: (e.date, e.id))


def _when(day: dt.date) -> str:
    return day.isoformat()


def build_update(profile: Profile, entries: Sequence[Entry], next_items: Sequence[PlanItem], *,
                 since: dt.date, today: dt.date) -> UpdateDraft:
    """The update over `entries` (already the window's) and the plan items due next."""
    shipped = [f"- {e.title} ({_when(e.date)})" for e in entries] or [
        f"- Nothing new in my impact log since {_when(since)}; the work below is under way."]
    measured = [e for e in entries if e.quantified]
    results = [f"- {e.title}: {e.metric}" for e in measured] or [
        "- No measured results to share for this stretch yet."]
    coming = list(next_items)[:NEXT_ITEMS]
    nexts = [f"- {i.text.rstrip('.')} (by {_when(i.due)})" for i in coming] or [
        "- Keep delivering and logging results; nothing else is planned yet."]
    hello = f"Hi {first_name(profile.manager_name)}," if profile.manager_name else "Hi,"
    sign = f"Best regards,\n{profile.name}" if profile.name else "Best regards,"
    body = (f"{hello}\n\nA short update on my work since {_when(since)}.\n\n"
            "What shipped:\n" + "\n".join(shipped) + "\n\n"
            "The results:\n" + "\n".join(results) + "\n\n"
            "What is next:\n" + "\n".join(nexts) + "\n\n"
            f"Happy to go into any of it when it suits you.\n\n{sign}")
    return UpdateDraft(to=profile.manager_name or "Manager", to_address=profile.manager_email,
                       sender=profile.name or "me", from_address=profile.email,
                       subject=f"Update: my work since {_when(since)}", body=body, since=since,
                       until=today, entries=[e.id for e in entries],
                       results=[e.metric for e in measured], next_items=coming)


def update_facts(profile: Profile, entries: Sequence[Entry], draft: UpdateDraft) -> Facts:
    """The words a rewording may use (names are checked against them)."""
    return facts_from(profile, entries).allow_text(draft.subject, draft.body)


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
_ISO_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_WORD_DATE = re.compile(
    rf"\b(?:({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?({_MONTHS}))\b(?:,?\s+(\d{{4}})\b)?", re.IGNORECASE)
_MONTH_NUMBER = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}


def without_dates(text: str) -> tuple[str, list[tuple[int | None, int, int]]]:
    """The text with its dates blanked out, and the dates as (year or None, month, day)."""
    found: list[tuple[int | None, int, int]] = []

    def iso(m: re.Match[str]) -> str:
        found.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
        return " "

    def words(m: re.Match[str]) -> str:
        month = _MONTH_NUMBER[(m.group(1) or m.group(4)).lower()]
        found.append((int(m.group(5)) if m.group(5) else None, month,
                      int(m.group(2) or m.group(3))))
        return " "

    return _WORD_DATE.sub(words, _ISO_DATE.sub(iso, text)), found


def figure_problems(body: str, draft: UpdateDraft, entries: Sequence[Entry]) -> list[Violation]:
    """Figures the entries (and the plan's next items) do not hold, and dates the draft does
    not name. A date's day and month are no licence for a figure: "20%" is not "Nov 20"."""
    days = [draft.since, draft.until, *(e.date for e in entries), *(i.due for i in draft.next_items)]
    source = " ".join([*(f"{e.title} {e.description} {e.metric}" for e in entries),
                       *(i.text for i in draft.next_items)])
    return dated_figure_problems(body, numbers_in(source), days, "not in your log or plan")


def dated_figure_problems(body: str, numbers: Iterable[str], days: Iterable[dt.date],
                          whose: str) -> list[Violation]:
    """Figures outside `numbers` (a day's year counts as known) and dates outside `days`; a
    date's day and month are read as a date, never as figures. `whose` ends a date's message:
    "the date 2027-03-01 is {whose}"."""
    days = list(days)
    allowed = set(numbers) | {str(d.year) for d in days}
    plain, dates = without_dates(body)
    problems = invented_numbers(plain, Facts(numbers=allowed))
    known = {(d.month, d.day, d.year) for d in days}
    for year, month, day in dates:
        if not any((m, dd) == (month, day) and year in (None, y) for m, dd, y in known):
            shown = f"{year or ''}-{month:02d}-{day:02d}".lstrip("-")
            problems.append(Violation(code="invented-number", detail=(
                f"the date {shown} is {whose}"), phrase=f"invented a date ({shown})"))
    return problems


def date_forms(day: dt.date) -> set[str]:
    """The ways a drafted email may write a day: ISO, "March 1", "1 March", "Mar 1", "1 Mar"."""
    return {day.isoformat(), f"{day:%B} {day.day}", f"{day.day} {day:%B}",
            f"{day:%b} {day.day}", f"{day.day} {day:%b}"}


def validate_update(body: str, draft: UpdateDraft, profile: Profile,
                    entries: Sequence[Entry]) -> list[Violation]:
    """Checks on a reworded update: figures, kept results and dates, tone, voice, length."""
    facts = update_facts(profile, entries, draft)
    low = body.lower()
    problems = [*echo_problems(body), *figure_problems(body, draft, entries),
                *invented_names(body, facts), *manager_voice(body),
                *[v for v in hostile_phrases(body) if v not in hostile_phrases(draft.body)],
                *too_long(body, max(BODY_MAX_WORDS, len(draft.body.split()) + 40), "the update")]
    said = numbers_in(body)
    for result in draft.results:
        if lost := sorted(numbers_in(result) - said):
            problems.append(Violation(code="lost-result", detail=(
                f"the result '{result}' is missing ({', '.join(lost)} not stated)"),
                phrase="left out a result"))
    for item in draft.next_items:
        if not any(form.lower() in low for form in date_forms(item.due)):
            problems.append(Violation(code="lost-next-step", detail=(
                f"the next step '{item.text}' lost its date ({item.due.isoformat()})"),
                phrase="left out what is next or its date"))
    body_words = content_words(body)
    for entry in entries:
        if entry.id not in draft.entries:
            continue
        words = content_words(entry.title)
        if words and len(words & body_words) < min(TITLE_WORDS_KEPT, len(words)):
            problems.append(Violation(code="lost-entry", detail=(
                f"'{entry.title}' is no longer mentioned"), phrase="left out shipped work"))
    return problems


def update_text(draft: UpdateDraft, body: str) -> str:
    to = f"{draft.to} <{draft.to_address}>" if draft.to_address else draft.to
    return "\n".join([f"To: {to}", f"Subject: {draft.subject}", "", body])
