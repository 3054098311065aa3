"""The offer on the table: saved in the key-value store (`OFFER_KEY`), checked against the
follow-through guidance."""

from __future__ import annotations

import datetime as dt

from coach.domain.errors import CoachError
from coach.domain.offer import Offer, OfferChanges, OfferCheck, apply_changes, check_offer
from coach.services.context import Context
from coach.services.inputs import today_or

OFFER_KEY = "offer"


def get_offer(ctx: Context) -> Offer | None:
    raw = ctx.store.get_value(OFFER_KEY)
    return Offer.model_validate(raw) if raw else None


def set_offer(ctx: Context, changes: OfferChanges, today: dt.date | None = None, *,
              replace: bool = False) -> Offer:
    """Create or update the offer; unspecified fields keep their saved values, '' clears one
    (`replace`: the changes are the whole offer, as a form that shows every field sends it).
    Every value is checked first: a bad one saves nothing."""
    offer = apply_changes(None if replace else get_offer(ctx), changes, today_or(today))
    ctx.store.set_value(OFFER_KEY, offer.model_dump(mode="json"))
    return offer


def offer_check(ctx: Context, today: dt.date | None = None) -> OfferCheck:
    """What is still open about the saved offer, and what to ask."""
    offer = get_offer(ctx)
    if offer is None:
        raise CoachError("no offer yet: note the title you were offered first", code="no-offer",
                         hint="Note the offer's title, and whatever else you know of it.")
    return check_offer(offer, today_or(today))
