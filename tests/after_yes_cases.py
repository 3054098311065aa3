"""After a yes, for three of the shared scenarios: the offer each person saved and the people
who helped them (with what they logged). Used by tests/test_offer_emails_recorded.py and the
live bench (bench/bench_emails.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from coach.domain.offer import OfferChanges
from coach.domain.text import numbers_in
from coach.domain.update_email import without_dates
from coach.services import offer as offer_service
from coach.services import stakeholders as people
from tests.scenarios import Scenario, load_scenario, seed


@dataclass(frozen=True)
class Helper:
    name: str
    influence: str
    relationship: str
    role: str = ""
    cares_about: str = ""
    sponsor: bool = False
    email: str = ""
    notes: tuple[tuple[str, str], ...] = ()  # (YYYY-MM-DD, what happened)


@dataclass(frozen=True)
class AfterYes:
    scenario_id: str
    offer: OfferChanges
    helpers: tuple[Helper, ...] = field(default_factory=tuple)

    @property
    def scenario(self) -> Scenario:
        return load_scenario(self.scenario_id)


CASES = (
    AfterYes("backend-tech-lead", OfferChanges(
        title="Tech Lead", level="L5", salary="$152k", scope="Lead the checkout team of five "
        "engineers and own its on-call rota", benefits="Equity refresh of 400 shares",
        start="2025-06-02"), (
        Helper("Ravi Menon", "high", "strong", role="Director of Engineering", sponsor=True,
               email="ravi.menon@example.com", cares_about="Checkout reliability before the "
               "holiday peak",
               notes=(("2025-02-11", "Reviewed my promotion case and asked for the latency "
                                     "figures up front"),
                      ("2025-03-20", "Put my name forward in the calibration meeting"))),
        Helper("Mei Tanaka", "medium", "strong", role="Staff Engineer",
               email="mei.tanaka@example.com",
               notes=(("2025-01-15", "Mock interview on system design for the lead loop"),)))),
    AfterYes("design-lead-overloaded", OfferChanges(
        title="Lead Product Designer", salary="EUR 82,000", start="2025-10-01"), (
        Helper("Omar Haddad", "high", "strong", role="manager", email="omar.haddad@example.com",
               notes=(("2025-08-28", "Agreed to drop two side projects so I could run the "
                                     "design system rollout"),)),
        Helper("Julia Brandt", "high", "neutral", role="Head of Product", sponsor=True,
               cares_about="A consistent checkout experience across the apps"))),
    AfterYes("director-platform", OfferChanges(
        title="Director of Engineering", level="D1", scope="The platform and data "
        "infrastructure groups, three managers"), (
        Helper("Grace Liu", "high", "strong", role="VP Engineering", sponsor=True,
               email="grace.liu@example.com", cares_about="Cloud cost and hiring senior managers",
               notes=(("2025-02-10", "Coached me on presenting the cloud savings to the "
                                     "board"),)),)),
)


def seed_after_yes(ctx: Any, case: AfterYes) -> Scenario:
    """Save the scenario, the offer and the helpers (with their notes) into `ctx.store`."""
    scenario = case.scenario
    seed(ctx, scenario)
    offer_service.set_offer(ctx, case.offer, scenario.today)
    for h in case.helpers:
        person = people.add_person(ctx, name=h.name, influence=h.influence,
                                   relationship=h.relationship, role=h.role,
                                   cares_about=h.cares_about, sponsor=h.sponsor, email=h.email)
        for day, note in h.notes:
            people.log_interaction(ctx, person.id, note, date=dt.date.fromisoformat(day),
                                   today=scenario.today)
    return scenario


def entered_figures(ctx: Any) -> set[str]:
    """Every figure the user entered: profile, offer (the salary in its written-out forms too),
    the people and their notes; dates blanked out (they are checked as dates)."""
    p = ctx.store.get_profile()
    texts = [p.name, p.manager_name, p.current_title, p.target_title, str(p.months_in_role)]
    offer = offer_service.get_offer(ctx)
    found: set[str] = set()
    if offer is not None:
        texts += [offer.title, offer.level, offer.scope, offer.benefits]
        if offer.salary is not None:
            amount = offer.salary.amount
            found |= numbers_in(offer.salary.text) | {f"{amount:.0f}", f"{amount / 1000:g}"}
    for person in people.list_people(ctx):
        texts += [person.name, person.role, person.cares_about,
                  *(i.note for i in person.interactions)]
    for text in texts:
        found |= numbers_in(without_dates(text)[0])
    return found | {str(int(n)) for n in found if n.isdigit()}


def entered_dates(ctx: Any) -> set[dt.date]:
    offer = offer_service.get_offer(ctx)
    days = {i.date for p in people.list_people(ctx) for i in p.interactions}
    return days | ({offer.start} if offer is not None and offer.start else set())


def stated_figures(body: str, days: set[dt.date]) -> set[str]:
    """The figures a body states outside its dates, less the years of the dates entered."""
    return numbers_in(without_dates(body)[0]) - {str(d.year) for d in days}
