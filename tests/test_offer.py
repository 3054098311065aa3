"""The offer (issue 21): amounts and dates read or refused, every checklist rule, the guide
sections they rest on, bad input saving nothing, and the CLI with --json."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.assets import guides_dir
from coach.domain.errors import CoachError
from coach.domain.limits import TooLong
from coach.domain.offer import (
    ITEMS,
    Offer,
    OfferChanges,
    Salary,
    apply_changes,
    check_offer,
    parse_salary,
    parse_start,
)
from coach.services import offer as offer_service
from tests.scenarios.helpers import TODAY, cli_fail, cli_json

HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


def headings() -> set[tuple[str, str]]:
    return {(p.name, h.strip()) for p in guides_dir().glob("*.md")
            for h in HEADING.findall(p.read_text("utf-8"))}


# -- amounts and dates --------------------------------------------------------------------------
@pytest.mark.parametrize("text, amount, currency", [
    ("120000", 120000, ""),
    ("120,000", 120000, ""),
    ("$120k", 120000, "$"),
    ("120K", 120000, ""),
    ("95.5k", 95500, ""),
    ("EUR 95,000", 95000, "EUR"),
    ("95 000 eur", 95000, "EUR"),
    ("£85k", 85000, "£"),
    ("  150000 USD ", 150000, "USD"),
])
def test_an_amount_is_read(text, amount, currency):
    salary = parse_salary(text)
    assert (salary.amount, salary.currency) == (amount, currency)
    assert salary.text == text.strip()


@pytest.mark.parametrize("text", ["lots", "", "a lot of money", "$", "k", "0", "$0k",
                                  "120-130k", "$120k USD", "12,34", "1e6", "-5000"])
def test_what_is_not_one_amount_is_refused(text):
    with pytest.raises(CoachError) as err:
        parse_salary(text)
    assert (err.value.code, err.value.field) == ("bad-amount", "salary")
    assert "is not an amount" in err.value.message or "is zero" in err.value.message
    assert "$120k" in str(err.value)  # the hint shows how to write one


@pytest.mark.parametrize("text, code", [("2025-04-13", "past-date"), ("2020-01-01", "past-date"),
                                        ("next month", "bad-date"), ("2025-13-01", "bad-date"),
                                        ("14/05/2025", "bad-date")])
def test_a_bad_or_past_start_date_is_refused(text, code):
    with pytest.raises(CoachError) as err:
        parse_start(text, TODAY)
    assert (err.value.code, err.value.field) == (code, "start")


@pytest.mark.parametrize("text", ["2025-04-14", "2025-06-01", "2030-01-01"])
def test_today_or_later_is_a_start_date(text):
    assert parse_start(text, TODAY) == dt.date.fromisoformat(text)


# -- the checklist: one row per rule ------------------------------------------------------------
FULL = Offer(title="Tech Lead", level="L6", salary=Salary(text="$150k", amount=150000,
                                                          currency="$"),
             scope="Leads the payments team of five", benefits="Equity refresh",
             start=dt.date(2025, 6, 1), in_writing=True)


@pytest.mark.parametrize("change, opens", [
    ({}, []),
    ({"salary": None}, ["salary"]),
    ({"scope": ""}, ["scope"]),
    ({"benefits": ""}, ["benefits"]),
    ({"start": None}, ["start"]),
    ({"in_writing": None}, ["in-writing"]),
    ({"in_writing": False}, ["in-writing"]),
    ({"salary": None, "scope": "", "benefits": "", "start": None, "in_writing": None},
     ["salary", "scope", "benefits", "start", "in-writing"]),
])
def test_each_item_is_open_exactly_when_the_offer_lacks_it(change, opens):
    check = check_offer(FULL.model_copy(update=change), TODAY)
    assert check.open == opens
    for item in check.items:
        assert bool(item.ask) == (item.status == "open")
        assert item.rests_on


@pytest.mark.parametrize("start, in_writing, late", [
    (dt.date(2025, 4, 1), None, True),    # the date has passed, nothing in writing: chase it
    (dt.date(2025, 4, 1), False, True),
    (dt.date(2025, 4, 1), True, False),   # confirmed: nothing to chase
    (dt.date(2025, 4, 14), None, False),  # today is not past
    (None, None, False),
])
def test_a_passed_start_date_without_paperwork_means_chase_it(start, in_writing, late):
    check = check_offer(FULL.model_copy(update={"start": start, "in_writing": in_writing}), TODAY)
    assert ("paperwork" in check.open) == late
    assert ("paperwork" in [i.id for i in check.items]) == late


def test_every_item_rests_on_a_guide_section_that_exists():
    known = headings()
    for rule in ITEMS:
        assert rule.rests_on
        assert [g.label() for g in rule.rests_on if (g.source, g.section) not in known] == []


def test_a_fully_pinned_down_offer_says_so():
    check = check_offer(FULL, TODAY)
    assert check.open == [] and "confirmed in writing" in check.summary
    assert {i.id: i.known for i in check.items}["salary"] == "$150k"


# -- changes: merge, clear, refuse --------------------------------------------------------------
def test_changes_merge_with_the_saved_offer_and_empty_text_clears():
    first = apply_changes(None, OfferChanges(title="Tech Lead", salary="$150k", scope="x"), TODAY)
    second = apply_changes(first, OfferChanges(start="2025-05-01", scope=""), TODAY)
    assert second.title == "Tech Lead" and second.salary and second.salary.amount == 150000
    assert second.scope == "" and second.start == dt.date(2025, 5, 1)


@pytest.mark.parametrize("saved, changes, code", [
    (None, OfferChanges(salary="$1"), "empty"),          # no title yet
    (FULL, OfferChanges(title="  "), "empty"),
    (FULL, OfferChanges(salary="lots"), "bad-amount"),
    (FULL, OfferChanges(start="2025-01-01"), "past-date"),
    (FULL, OfferChanges(scope="s" * 1001), "too-long"),
])
def test_bad_changes_are_refused(saved, changes, code):
    with pytest.raises(CoachError) as err:
        apply_changes(saved, changes, TODAY)
    assert err.value.code == code


@pytest.mark.parametrize("changes", [
    OfferChanges(title="Staff Engineer", salary="lots"),
    OfferChanges(title="Staff Engineer", start="2020-01-01"),
    OfferChanges(title="Staff Engineer", benefits="b" * 1001),
])
def test_bad_input_saves_nothing(ctx, changes):
    offer_service.set_offer(ctx, OfferChanges(title="Tech Lead", salary="$150k"), TODAY)
    with pytest.raises(CoachError):
        offer_service.set_offer(ctx, changes, TODAY)
    saved = offer_service.get_offer(ctx)
    assert saved is not None and saved.title == "Tech Lead" and saved.benefits == ""


def test_the_offer_lives_in_the_kv_store_under_offer(ctx):
    offer_service.set_offer(ctx, OfferChanges(title="Tech Lead"), TODAY)
    assert ctx.store.get_value("offer")["title"] == "Tech Lead"


def test_no_offer_yet_is_a_clear_error(ctx):
    with pytest.raises(CoachError) as err:
        offer_service.offer_check(ctx, TODAY)
    assert err.value.code == "no-offer"


# -- the command line ---------------------------------------------------------------------------
def test_cli_offer_set_and_check_json(monkeypatch, capsys, ctx):
    saved = cli_json(monkeypatch, capsys, ctx, "offer", "set", "--title", "Staff Engineer",
                     "--salary", "EUR 95,000", "--start", "2025-06-01", "--in-writing", "no",
                     "--today", TODAY.isoformat())
    assert saved["salary"] == {"text": "EUR 95,000", "amount": 95000.0, "currency": "EUR"}
    assert saved["in_writing"] is False
    check = cli_json(monkeypatch, capsys, ctx, "offer", "check", "--today", TODAY.isoformat())
    assert check["open"] == ["scope", "benefits", "in-writing"]
    items = {i["id"]: i for i in check["items"]}
    assert items["in-writing"]["ask"] and items["salary"]["status"] == "settled"
    assert items["benefits"]["rests_on"][0] == {"source": "after-a-yes.md",
                                                "section": "Check the package before you accept"}


@pytest.mark.parametrize("argv, said", [
    (("--salary", "lots"), "the salary 'lots' is not an amount"),
    (("--start", "2020-01-01"), "the start date 2020-01-01 is in the past"),
    (("--start", "soon"), "the start date 'soon' is not a date"),
])
def test_cli_bad_input_is_one_clear_line_and_saves_nothing(monkeypatch, capsys, ctx, argv, said):
    err = cli_fail(monkeypatch, capsys, ctx, "offer", "set", "--title", "Staff Engineer", *argv,
                   "--today", TODAY.isoformat())
    assert said in err and "Traceback" not in err and err.count("\n") == 1
    assert ctx.store.get_value("offer") is None


def test_cli_over_budget_text_is_a_usage_error(monkeypatch, capsys, ctx):
    err = cli_fail(monkeypatch, capsys, ctx, "offer", "set", "--title", "t" * 121)
    assert "too long" in err and ctx.store.get_value("offer") is None


def test_too_long_is_checked_before_anything(ctx):
    with pytest.raises(TooLong):
        offer_service.set_offer(ctx, OfferChanges(title="x", scope="s" * 5000), TODAY)
