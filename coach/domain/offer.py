"""The offer on the table: what has been agreed, and what is still open before accepting.

The checklist is the follow-through guidance applied to the offer the user typed in: each
item is one thing the guidance says to pin down (pay, scope, the rest of the package, the
date, a written confirmation), with the question to ask while it is open and the guide
section it rests on. Bad input (an amount that is not a number, a start date already past)
is a `CoachError` before anything is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.advice.rule import GuideRef, ref
from coach.domain.errors import CoachError
from coach.domain.limits import BUDGET, check_lengths
from coach.domain.text import clean_block, clean_line

IN_WRITING = ref("after-a-yes.md", "Get it in writing")
PACKAGE = ref("after-a-yes.md", "Check the package before you accept")
PAPERWORK = ref("after-a-yes.md", "Chase the paperwork politely")
AGREED = ref("manager-responses.md", "Yes: the promotion is agreed")
OUTSIDE = ref("moving-companies.md", "Weighing an outside offer")

# One amount: an optional currency sign or three-letter code before or after, a number
# (thousands grouped by commas or spaces, optional decimals) and an optional k.
_AMOUNT = re.compile(
    r"(?P<pre>[$€£¥]|[A-Za-z]{3})?\s*"
    r"(?P<num>\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.(?P<dec>\d+))?\s*(?P<k>[kK])?\s*"
    r"(?P<post>[$€£¥]|[A-Za-z]{3})?")
AMOUNT_HINT = "Write one number, optionally with a currency and k: 120000, $120k, EUR 95,000."


class Salary(BaseModel):
    """An amount as the user wrote it, and what it is worth."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(..., description="As typed, e.g. '$120k'.")
    amount: float = Field(..., gt=0)
    currency: str = Field("", description="The sign or code given, e.g. '$' or 'EUR'.")


def parse_salary(text: str) -> Salary:
    """'$120k' -> 120000 in '$'; anything that is not one amount is a clear CoachError."""
    said = clean_line(text)
    match = _AMOUNT.fullmatch(said)
    if not said or match is None or (match["pre"] and match["post"]):
        raise CoachError(f"the salary '{said[:60]}' is not an amount", code="bad-amount",
                         field="salary", hint=AMOUNT_HINT)
    amount = float(re.sub(r"[, ]", "", match["num"]) + (f".{match['dec']}" if match["dec"] else ""))
    amount *= 1000 if match["k"] else 1
    if amount <= 0:
        raise CoachError(f"the salary '{said}' is zero", code="bad-amount", field="salary",
                         hint=AMOUNT_HINT)
    currency = match["pre"] or match["post"] or ""
    return Salary(text=said, amount=amount, currency=currency.upper())


def parse_start(text: str, today: dt.date) -> dt.date:
    """The start date: YYYY-MM-DD, today or later."""
    said = clean_line(text)
    try:
        day = dt.date.fromisoformat(said)
    except ValueError:
        raise CoachError(f"the start date '{said[:40]}' is not a date", code="bad-date",
                         field="start", hint=f"Write it as YYYY-MM-DD, e.g. {today.isoformat()}."
                         ) from None
    if day < today:
        raise CoachError(f"the start date {day.isoformat()} is in the past", code="past-date",
                         field="start", hint="Give the day the new role begins: today or later.")
    return day


class Offer(BaseModel):
    """The offer as the user knows it; empty text and None mean 'not known yet'."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=BUDGET["offer_title"])
    level: str = Field("", max_length=BUDGET["level"])
    salary: Salary | None = None
    scope: str = Field("", max_length=BUDGET["scope"])
    benefits: str = Field("", max_length=BUDGET["benefits"])
    start: dt.date | None = None
    in_writing: bool | None = Field(None, description="Confirmed in writing (None: not said).")


class OfferChanges(BaseModel):
    """What the user typed: None keeps the saved value, '' clears it."""

    title: str | None = None
    level: str | None = None
    salary: str | None = None
    scope: str | None = None
    benefits: str | None = None
    start: str | None = None
    in_writing: bool | None = None


def apply_changes(saved: Offer | None, changes: OfferChanges, today: dt.date) -> Offer:
    """The saved offer with the changes; every value is checked before any is kept."""
    check_lengths(offer_title=changes.title, level=changes.level, salary=changes.salary,
                  scope=changes.scope, benefits=changes.benefits, start=changes.start)
    data = saved.model_dump() if saved else {}
    title = clean_line(changes.title) if changes.title is not None else data.get("title", "")
    if not title:
        raise CoachError("the offer's title is empty", code="empty", field="title",
                         hint="Give the title you were offered.")
    data["title"] = title
    if changes.level is not None:
        data["level"] = clean_line(changes.level)
    for key in ("scope", "benefits"):
        value = getattr(changes, key)
        if value is not None:
            data[key] = clean_block(value)
    if changes.salary is not None:
        data["salary"] = parse_salary(changes.salary) if changes.salary.strip() else None
    if changes.start is not None:
        data["start"] = parse_start(changes.start, today) if changes.start.strip() else None
    if changes.in_writing is not None:
        data["in_writing"] = changes.in_writing
    return Offer.model_validate(data)


# -- the checklist -------------------------------------------------------------------------
Status = Literal["open", "settled"]


@dataclass(frozen=True)
class ItemRule:
    """One thing to pin down: when it is open, what it holds, what to ask, and why."""

    id: str
    label: str
    applies: Callable[[Offer, dt.date], bool]
    is_open: Callable[[Offer, dt.date], bool]
    known: Callable[[Offer], str]
    ask: str
    settled_note: str
    rests_on: tuple[GuideRef, ...]


def _always(offer: Offer, today: dt.date) -> bool:
    return True


def _paperwork_late(offer: Offer, today: dt.date) -> bool:
    return offer.start is not None and offer.start < today and offer.in_writing is not True


ITEMS: tuple[ItemRule, ...] = (
    ItemRule("salary", "Salary", _always, lambda o, _: o.salary is None,
             lambda o: o.salary.text if o.salary else "",
             "What is the new salary or pay band, and do bonus or equity change with it?",
             "Compare it with market pay for the new level, not with your current pay plus a "
             "small step; if the title changes and the pay does not, ask when it catches up.",
             (IN_WRITING, PACKAGE)),
    ItemRule("scope", "Scope", _always, lambda o, _: not o.scope, lambda o: o.scope,
             "Which responsibilities change, and what will you own from the first day?",
             "Keep the responsibilities that change in the written confirmation.",
             (IN_WRITING,)),
    ItemRule("benefits", "Benefits", _always, lambda o, _: not o.benefits, lambda o: o.benefits,
             "Does anything else change: bonus, equity, benefits or flexibility?",
             "Weigh the whole package, not the base pay alone.", (PACKAGE, OUTSIDE)),
    ItemRule("start", "Start date", _always, lambda o, _: o.start is None,
             lambda o: o.start.isoformat() if o.start else "",
             "From what date does the change take effect, and who else still has to approve it "
             "before then?",
             "Put the date in the written confirmation.", (IN_WRITING,)),
    ItemRule("in-writing", "Written confirmation", _always,
             lambda o, _: o.in_writing is not True,
             lambda o: {True: "yes", False: "not yet", None: ""}[o.in_writing],
             "Within a day, send a short email with the title, date, pay and responsibilities "
             "as agreed, and ask your manager to reply confirming them.",
             "Keep the reply: it protects you both if memories differ or approvals stall.",
             (IN_WRITING, AGREED)),
    ItemRule("paperwork", "Paperwork after the start date", _paperwork_late, _paperwork_late,
             lambda o: f"the start date {o.start.isoformat()} has passed" if o.start else "",
             "The agreed date has passed with nothing in writing: ask politely how the change "
             "is going and whether anything is needed from you, and keep asking until it is "
             "done.", "", (PAPERWORK,)),
)


class CheckItem(BaseModel):
    """One item of the checklist, applied to the offer."""

    id: str
    label: str
    status: Status
    known: str = Field("", description="What the offer says about it so far.")
    ask: str = Field("", description="What to ask while it is open.")
    note: str = Field("", description="What to keep in mind once it is settled.")
    rests_on: list[GuideRef]


class OfferCheck(BaseModel):
    offer: Offer
    items: list[CheckItem]
    open: list[str] = Field(..., description="Ids of the open items, in checklist order.")
    summary: str


def check_offer(offer: Offer, today: dt.date) -> OfferCheck:
    """Every checklist rule that applies, open or settled, with what to ask."""
    items = []
    for rule in ITEMS:
        if not rule.applies(offer, today):
            continue
        is_open = rule.is_open(offer, today)
        items.append(CheckItem(id=rule.id, label=rule.label,
                               status="open" if is_open else "settled", known=rule.known(offer),
                               ask=rule.ask if is_open else "",
                               note="" if is_open else rule.settled_note,
                               rests_on=list(rule.rests_on)))
    still = [i.id for i in items if i.status == "open"]
    if still:
        names = ", ".join(i.label.lower() for i in items if i.status == "open")
        summary = f"Still open for the {offer.title} offer: {names}. Ask before you accept."
    else:
        summary = (f"The {offer.title} offer is pinned down and confirmed in writing. Keep the "
                   "confirmation.")
    return OfferCheck(offer=offer, items=items, open=still, summary=summary)


def offer_text(offer: Offer) -> str:
    parts = [f"Offer: {offer.title}" + (f" ({offer.level})" if offer.level else "")]
    parts.append(f"Salary: {offer.salary.text if offer.salary else 'not known yet'}")
    parts.append(f"Start date: {offer.start.isoformat() if offer.start else 'not known yet'}")
    written = {True: "yes", False: "no", None: "not said"}[offer.in_writing]
    parts.append(f"In writing: {written}")
    if offer.scope:
        parts.append(f"Scope: {offer.scope}")
    if offer.benefits:
        parts.append(f"Benefits: {offer.benefits}")
    return "\n".join(parts)


def check_text(check: OfferCheck) -> str:
    """The checklist for the terminal: open items first with their question."""
    lines = [check.summary, ""]
    for item in check.items:
        mark = "[ ]" if item.status == "open" else "[x]"
        known = f": {item.known}" if item.known and item.status == "settled" else ""
        lines.append(f"{mark} {item.label}{known}")
        if item.ask:
            lines.append(f"    Ask: {item.ask}")
        elif item.note:
            lines.append(f"    {item.note}")
        lines.append("    (" + "; ".join(g.label() for g in item.rests_on) + ")")
    return "\n".join(lines)
