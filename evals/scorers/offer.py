"""Checks for the offer checklist (`coach offer check`): the package the guidance says to pin
down, each item's status true to what the user saved, a question for each open item, and the
paperwork chased once the start date has passed with nothing in writing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coach.domain.offer import OfferChanges
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import excerpt

# What after-a-yes.md says to pin down before accepting, by checklist id.
PACKAGE = {"salary": "salary", "scope": "scope", "benefits": "benefits", "start": "start date",
           "in-writing": "written confirmation"}


def _terms(sample: Sample) -> OfferChanges:
    terms = sample.input.task.offer_terms
    if terms is None:
        raise ValueError(f"case {sample.id} saves no offer")
    return terms


def _saved(terms: OfferChanges) -> dict[str, bool]:
    """Checklist id -> whether the user entered it (in writing: only a yes settles it)."""
    return {"salary": bool((terms.salary or "").strip()), "scope": bool((terms.scope or "").strip()),
            "benefits": bool((terms.benefits or "").strip()), "start": bool((terms.start or "").strip()),
            "in-writing": terms.in_writing is True}


def _items(output: Output) -> dict[str, dict[str, Any]]:
    items = output.data.get("items")
    return {str(i.get("id")): i for i in items if isinstance(i, dict)} if isinstance(items, list) else {}


@scorer("offer_covers_package")
def covers_package() -> ScoreFn:
    """The checklist has every part of the package the guidance says to pin down."""

    def score(sample: Sample, output: Output) -> Score:
        missing = [label for item, label in PACKAGE.items() if item not in _items(output)]
        return Score.verdict(not missing, "salary, scope, benefits, start date and written confirmation",
                             f"the checklist leaves out: {', '.join(missing)}", excerpt(output.text))

    return score


@scorer("offer_status_true")
def status_true() -> ScoreFn:
    """An item is settled only when the user entered it, and open when they did not."""

    def score(sample: Sample, output: Output) -> Score:
        saved, items = _saved(_terms(sample)), _items(output)
        for item, entered in saved.items():
            got = items.get(item)
            if got is None:
                continue
            if got.get("status") == "settled" and not entered:
                return Score.no(f"marks {PACKAGE[item]} settled, but the user never entered it",
                                f"{got.get('label')}: {got.get('known')}")
            if got.get("status") == "open" and entered:
                return Score.no(f"marks {PACKAGE[item]} open, though the user entered it",
                                f"{got.get('label')}: {got.get('known')}")
        return Score.yes("every status matches what the user saved")

    return score


@scorer("offer_known_verbatim")
def known_verbatim() -> ScoreFn:
    """What the checklist says is known is what the user typed, word for word."""

    def score(sample: Sample, output: Output) -> Score:
        terms, items = _terms(sample), _items(output)
        typed = {"salary": terms.salary, "scope": terms.scope, "benefits": terms.benefits,
                 "start": terms.start}
        for item, value in typed.items():
            known = str(items.get(item, {}).get("known", ""))
            value = " ".join((value or "").split())
            if known and known != value:
                return Score.no(f"shows {PACKAGE[item]} as '{known}', the user typed '{value or 'nothing'}'",
                                known)
        return Score.yes("every known term is shown as typed")

    return score


@scorer("offer_open_items_ask")
def open_items_ask() -> ScoreFn:
    """Each open item says what to ask (a question or a step to take); a settled one does not
    ask again."""

    def score(sample: Sample, output: Output) -> Score:
        items = list(_items(output).values())
        for item in items:
            ask = str(item.get("ask", "")).strip()
            if item.get("status") == "open" and not ask:
                return Score.no(f"'{item.get('label')}' is open but says nothing to ask",
                                str(item.get("label")))
            if item.get("status") == "settled" and ask:
                return Score.no(f"'{item.get('label')}' is settled but still asks", ask)
        if not any(i.get("status") == "open" for i in items):
            return Score.na("nothing is open")
        return Score.yes("every open item says what to ask")

    return score


@scorer("offer_summary_true")
def summary_true() -> ScoreFn:
    """The summary names exactly the open items, or says the offer is pinned down only when none is."""

    def score(sample: Sample, output: Output) -> Score:
        summary = str(output.data.get("summary", ""))
        items = _items(output)
        open_labels = [str(i.get("label", "")).lower() for i in items.values() if i.get("status") == "open"]
        if not open_labels:
            return Score.verdict("pinned down" in summary.lower(), "says the offer is pinned down",
                                 "nothing is open, yet the summary does not say so", summary)
        missing = [label for label in open_labels if label not in summary.lower()]
        if missing or "pinned down" in summary.lower():
            why = ", ".join(missing) or "it says pinned down"
            return Score.no(f"the summary does not name the open items ({why})", summary)
        return Score.yes(f"names the {len(open_labels)} open items", summary)

    return score


@scorer("offer_paperwork_chased")
def paperwork_chased() -> ScoreFn:
    """Once the start date has passed with nothing in writing, the checklist says to chase the
    paperwork; before that date, or once it is in writing, it does not."""

    def score(sample: Sample, output: Output) -> Score:
        terms = _terms(sample)
        day = sample.input.task.read_on or sample.input.today
        start = dt.date.fromisoformat(terms.start) if terms.start and terms.start.strip() else None
        due = start is not None and start < day and terms.in_writing is not True
        shown = "paperwork" in _items(output)
        if due:
            return Score.verdict(shown, "says to chase the paperwork",
                                 f"the start date {start} has passed with nothing in writing, and "
                                 "the checklist does not say to chase it", excerpt(output.text))
        return Score.verdict(not shown, "no paperwork item before it is due",
                             "tells the user to chase paperwork that is not late", excerpt(output.text))

    return score
