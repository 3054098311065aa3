"""The weekly habit (issue 20): reminders as recurring calendar files, the status, the dated
development plan. Domain rules table by table, the .ics read back line by line, and the CLI
with --json, including the bad input that must save nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.plan import (
    PlanItem,
    Step,
    due_dates,
    mark_done,
    new_plan,
    refresh_plan,
)
from coach.domain.reminders import habit_reminders, next_last_weekday, parse_clock, parse_weekday
from coach.domain.status import build_status, status_text
from coach.export.ics import fold, plan_calendar, recurring
from tests.scenarios.helpers import cli_fail, cli_json, profile

SAT = dt.date(2026, 12, 5)  # a Saturday
NOW = dt.datetime(2026, 12, 5, 8, 30, tzinfo=dt.UTC)


# -- a small reader for the files we write (RFC 5545 as far as we use it) ------------------------
def unfold(raw: bytes) -> list[str]:
    """Content lines of an .ics, checked on the way: CRLF only, no line over 75 octets."""
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in p and b"\r" not in p for p in physical), "a bare LF or CR"
    assert all(len(p) <= 75 for p in physical), max(physical, key=len)
    lines: list[str] = []
    for p in physical:
        if p.startswith(b" "):
            lines[-1] += p[1:].decode("utf-8")
        else:
            lines.append(p.decode("utf-8"))
    return lines


def events(raw: bytes) -> list[dict[str, str]]:
    """Each VEVENT's properties (name without parameters -> value); the calendar must be well
    nested and carry VERSION and PRODID."""
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    found, current, depth = [], None, []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert depth.pop() == value
            if value == "VEVENT":
                found.append(current)
                current = None
        elif current is not None and depth[-1] == "VEVENT":
            current[name.split(";")[0]] = value
            current[name] = value
    assert not depth
    return found


# -- reminders ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, day", [("Friday", 4), ("fri", 4), ("FR", 4), (" monday ", 0),
                                       ("su", 6), ("Sat", 5), ("thursday", 3)])
def test_weekday_names(text, day):
    assert parse_weekday(text) == day


@pytest.mark.parametrize("text", ["Fryday", "f", "", "7", "weekend", "s"])
def test_a_day_that_is_no_weekday_is_a_clear_error(text):
    with pytest.raises(CoachError) as err:
        parse_weekday(text)
    assert err.value.code == "bad-weekday" and err.value.field == "weekday"
    assert "friday" in err.value.hint


@pytest.mark.parametrize("text, want", [("16:00", dt.time(16)), ("9:05", dt.time(9, 5)),
                                        ("00:00", dt.time(0)), ("23:59", dt.time(23, 59))])
def test_clock_times(text, want):
    assert parse_clock(text) == want


@pytest.mark.parametrize("text", ["24:00", "16:60", "4pm", "16", "", "-1:00", "16:5"])
def test_a_time_out_of_range_is_a_clear_error(text):
    with pytest.raises(CoachError) as err:
        parse_clock(text)
    assert err.value.code == "bad-time" and err.value.field == "time"


@pytest.mark.parametrize("today, weekday, want", [
    (SAT, 4, dt.date(2026, 12, 25)),           # last Friday of December
    (dt.date(2026, 12, 26), 4, dt.date(2027, 1, 29)),  # December's has passed
    (dt.date(2026, 12, 25), 4, dt.date(2026, 12, 25)),  # today is the day
    (dt.date(2027, 2, 1), 0, dt.date(2027, 2, 22)),
])
def test_last_weekday_of_the_month(today, weekday, want):
    assert next_last_weekday(today, weekday) == want


def test_the_weekly_and_monthly_events_repeat_by_rule():
    weekly, monthly = habit_reminders("friday", "16:00", monthly=True, today=SAT)
    assert weekly.start == dt.datetime(2026, 12, 11, 16, 0)
    assert weekly.rrule == "FREQ=WEEKLY;BYDAY=FR"
    assert monthly.start == dt.datetime(2026, 12, 25, 16, 15)  # right after that week's log
    assert monthly.rrule == "FREQ=MONTHLY;BYDAY=-1FR"
    late = habit_reminders("sun", "23:50", monthly=True, today=SAT)[1]
    assert late.start == dt.datetime(2026, 12, 27, 23, 20)  # before the log, same day
    assert [r.id for r in habit_reminders("mon", "8:00", monthly=False, today=SAT)] == [
        "weekly-log"]


def test_the_habit_calendar_parses_back():
    raw = recurring(habit_reminders("tue", "09:30", monthly=True, today=SAT), now=NOW,
                    owner="me").encode()
    weekly, monthly = events(raw)
    assert weekly["DTSTART"] == "20261208T093000" and weekly["RRULE"] == "FREQ=WEEKLY;BYDAY=TU"
    assert monthly["RRULE"] == "FREQ=MONTHLY;BYDAY=-1TU"
    for event in (weekly, monthly):
        assert event["UID"].endswith("@promotion-coach") and event["DTSTAMP"] == "20261205T083000Z"
        assert event["DURATION"].startswith("PT")
    assert weekly["UID"] != monthly["UID"]
    # Stable per owner, different between owners: a re-import updates instead of duplicating.
    again = events(recurring(habit_reminders("tue", "10:00", monthly=True, today=SAT),
                             now=NOW, owner="me").encode())
    other = events(recurring(habit_reminders("tue", "10:00", monthly=True, today=SAT),
                             now=NOW, owner="you").encode())
    assert again[0]["UID"] == weekly["UID"] and other[0]["UID"] != weekly["UID"]


@pytest.mark.parametrize("text", ["a" * 200, "é" * 100, "🙂" * 40, "x" * 74 + "é" * 3])
def test_folding_keeps_lines_within_75_octets_and_characters_whole(text):
    folded = fold("DESCRIPTION:" + text)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == "DESCRIPTION:" + text


def test_the_plan_calendar_has_one_all_day_event_per_open_item():
    items = [PlanItem(id="mentoring", text="Mentor someone; weekly, for a quarter", why="Mentoring",
                      due=dt.date(2027, 1, 8)),
             PlanItem(id="done-one", text="x", why="y", due=dt.date(2026, 12, 1), done=True)]
    (only,) = events(plan_calendar(items, now=NOW).encode())
    assert only["DTSTART"] == "20270108" and only["DTSTART;VALUE=DATE"] == "20270108"
    assert only["SUMMARY"] == "Plan: Mentor someone\\; weekly\\, for a quarter"


# -- the plan ------------------------------------------------------------------------------------
STEPS = [Step(key=k, text=f"Do {k}", why=k.title()) for k in ("a", "b", "c")]


@pytest.mark.parametrize("count, review, want", [
    (3, None, [14, 28, 42]),                      # no review month: fortnightly
    (2, dt.date(2027, 6, 1), [42, 84]),           # far review: at most six weeks apart
    (2, dt.date(2027, 3, 1), [36, 72]),           # spread to two weeks before the review
    (3, dt.date(2027, 2, 15), [19, 38, 57]),
    (4, dt.date(2027, 1, 1), [7, 14, 21, 28]),    # close review: weekly, the last one after it
    (2, dt.date(2026, 12, 12), [14, 28]),         # review too close to aim at: fortnightly
    (0, None, []),
])
def test_due_dates(count, review, want):
    assert [(d - SAT).days for d in due_dates(count, SAT, review)] == want


def test_a_refresh_keeps_dates_and_done_items_adds_new_gaps_and_closes_shown_ones():
    plan = mark_done(new_plan(STEPS, SAT, None), "b", SAT)
    later = SAT + dt.timedelta(days=20)
    steps = [STEPS[1], Step(key="d", text="Do d", why="D")]  # a shown, b done, c shown, d new
    fresh = refresh_plan(plan, steps, later, None)
    by_id = {i.id: i for i in fresh.items}
    assert [i.id for i in fresh.items] == ["a", "b", "c", "d"]
    assert by_id["a"].due == plan.items[0].due and by_id["a"].closed_by == "log"
    assert by_id["b"].closed_by == "you" and by_id["b"].done_on == SAT
    assert by_id["c"].done and by_id["c"].closed_by == "log"
    assert by_id["d"].due == later + dt.timedelta(days=14) and not by_id["d"].done


def test_new_gaps_come_after_the_open_items():
    plan = new_plan(STEPS, SAT, None)
    fresh = refresh_plan(plan, [*STEPS, Step(key="z", text="Do z", why="Z")], SAT, None)
    assert fresh.items[-1].due == plan.items[-1].due + dt.timedelta(days=14)


def test_an_unknown_item_is_a_clear_error():
    with pytest.raises(CoachError) as err:
        mark_done(new_plan(STEPS, SAT, None), "nope", SAT)
    assert err.value.code == "not-found" and err.value.field == "plan_item"
    assert "a, b, c" in err.value.message


# -- the status ---------------------------------------------------------------------------------
def _entry(i: int, date: dt.date, metric: str = "") -> Entry:
    return Entry(id=i, date=date, title=f"Win {i}", metric=metric, kind=Kind.RESULT)


ITEMS = [PlanItem(id="late", text="Late", why="W", due=SAT - dt.timedelta(days=1)),
         PlanItem(id="soon", text="Soon", why="W", due=SAT + dt.timedelta(days=7)),
         PlanItem(id="later", text="Later", why="W", due=SAT + dt.timedelta(days=8)),
         PlanItem(id="done", text="Done", why="W", due=SAT - dt.timedelta(days=9), done=True)]


@pytest.mark.parametrize("entries, items, expect", [
    ([], [], {"entries": 0, "days_since_last": None, "this_month": 0, "headline": "fine place"}),
    ([_entry(1, SAT, "40%")], [], {"days_since_last": 0, "this_month": 1, "without_result": [],
                                   "headline": "every entry has a result"}),
    ([_entry(1, dt.date(2026, 11, 30), "3x"), _entry(2, dt.date(2026, 12, 2))], [],
     {"days_since_last": 3, "this_month": 1, "without_result": [2], "headline": "1 entry has"}),
    ([_entry(1, dt.date(2026, 11, 20), "3x")], [], {"days_since_last": 15,
                                                    "headline": "15 days ago"}),
    ([_entry(1, dt.date(2026, 10, 1), "3x")], [], {"days_since_last": 65,
                                                   "headline": "It has been 65 days"}),
    ([_entry(1, SAT, "3x")], ITEMS, {"headline": "1 plan item is past due", "open_items": 3}),
])
def test_status(entries, items, expect):
    status = build_status(entries, items, SAT)
    data = status.model_dump()
    for key, want in expect.items():
        if key == "headline":
            assert want in status.headline
        else:
            assert data[key] == want, key
    if items:
        assert [i.id for i in status.overdue] == ["late"] and [i.id for i in status.due] == ["soon"]


def test_an_empty_home_gets_a_kind_status():
    text = status_text(build_status([], [], SAT, has_profile=False))
    assert "fine place to start" in text and "goal" in text and "error" not in text.lower()


# -- the command line ------------------------------------------------------------------------------
def _seed(ctx, review_month=None):
    ctx.store.save_profile(profile(review_month=review_month))
    from coach.domain.evidence import EntryDraft

    ctx.store.add_entries([
        EntryDraft(date=dt.date(2026, 11, 20), title="Cut checkout latency", metric="p95 down 40%"),
        EntryDraft(date=dt.date(2026, 12, 1), title="Mentored two new hires", kind=Kind.MENTORING),
    ])


def test_cli_status_on_an_empty_home(ctx, monkeypatch, capsys):
    data = cli_json(monkeypatch, capsys, ctx, "status", "--today", "2026-12-05")
    assert data["status"]["entries"] == 0 and data["status"]["has_profile"] is False
    assert "fine place to start" in data["status"]["headline"] and data["schedule"] is None


def test_cli_status_plan_and_done(ctx, monkeypatch, capsys):
    _seed(ctx)
    status = cli_json(monkeypatch, capsys, ctx, "status", "--today", "2026-12-05")["status"]
    assert status["days_since_last"] == 4 and status["this_month"] == 1
    assert status["without_result"] == [2] and status["open_items"] >= 1
    assert status["next_item"]["due"] == "2026-12-19"  # the status made the plan
    plan = cli_json(monkeypatch, capsys, ctx, "plan", "--today", "2026-12-05")
    first = plan["items"][0]
    assert first["due"] == "2026-12-19" and plan["states"][first["id"]] == "later"
    # Dates stay put: a later look (or refresh) does not move them.
    again = cli_json(monkeypatch, capsys, ctx, "plan", "refresh", "--today", "2027-01-30")
    assert again["items"][0]["due"] == "2026-12-19" and again["states"][first["id"]] == "overdue"
    late = cli_json(monkeypatch, capsys, ctx, "status", "--today", "2027-01-30")["status"]
    assert [i["id"] for i in late["overdue"]][:1] == [first["id"]]
    done = cli_json(monkeypatch, capsys, ctx, "plan", "done", first["id"].upper(),
                    "--today", "2027-01-30")
    assert done["states"][first["id"]] == "done"


def test_cli_plan_ics(ctx, monkeypatch, capsys, tmp_path):
    _seed(ctx, review_month=3)
    data = cli_json(monkeypatch, capsys, ctx, "plan", "--ics", str(tmp_path / "plan.ics"),
                    "--today", "2026-12-05")
    found = events((tmp_path / "plan.ics").read_bytes())
    assert len(found) == len([i for i in data["items"] if not i["done"]]) >= 1
    assert data["review"] == "2027-03-01"
    assert {e["DTSTART"] for e in found} == {i["due"].replace("-", "") for i in data["items"]}


def test_cli_remind_writes_a_recurring_calendar(ctx, monkeypatch, capsys, tmp_path):
    out = tmp_path / "habit.ics"
    data = cli_json(monkeypatch, capsys, ctx, "remind", "--weekly", "Wed", "08:15", "--monthly",
                    "--out", str(out), "--today", "2026-12-05")
    weekly, monthly = events(out.read_bytes())
    assert weekly["RRULE"] == "FREQ=WEEKLY;BYDAY=WE" and weekly["DTSTART"] == "20261209T081500"
    assert monthly["RRULE"] == "FREQ=MONTHLY;BYDAY=-1WE"
    assert data["schedule"] == {"day": "wednesday", "time": "08:15", "monthly": True}
    default = cli_json(monkeypatch, capsys, ctx, "remind")
    assert default["file"].endswith("habit.ics") and len(default["events"]) == 1
    assert "BYDAY=FR" in default["events"][0]["rrule"]


@pytest.mark.parametrize("argv, words", [
    (["remind", "--weekly", "Fryday", "16:00"], "argument --weekly: 'Fryday' is not a day"),
    (["remind", "--weekly", "fri", "25:00"], "argument --weekly: '25:00' is not a time"),
    (["remind", "--out", "x.txt"], "argument --out: 'x.txt' does not end in .ics"),
    (["update", "--since", "2999-01-01"], "argument --since: 2999-01-01 is in the future"),
    (["update", "--since", "last week"], "argument --since: 'last week' is not a date"),
    (["update", "--since", "2026-12-04", "--today", "2026-12-01", "--no-model"],
     "--since 2026-12-04 is after --today"),
    (["plan", "done", "nope"], "no plan item 'nope'"),
])
def test_bad_input_names_the_flag_and_saves_nothing(ctx, monkeypatch, capsys, argv, words):
    _seed(ctx)
    err = cli_fail(monkeypatch, capsys, ctx, *argv)
    assert words in err
    if argv[:2] == ["plan", "done"]:
        assert "`coach plan` lists them" in err
    assert ctx.store.get_value("habit:schedule") is None
    assert ctx.store.get_value("habit:updates") is None
    assert ctx.store.get_value("habit:plan") is None
    assert not (ctx.settings.exports_dir / "habit.ics").exists()


def test_a_calendar_library_expands_the_rules_to_the_days_we_mean():
    """An independent reader (dateutil's RFC 5545 rules) gives the weekly and monthly days."""
    rrule = pytest.importorskip("dateutil.rrule")
    raw = recurring(habit_reminders("tue", "09:30", monthly=True, today=SAT), now=NOW).encode()
    weekly, monthly = events(raw)
    weeks = rrule.rrulestr(f"DTSTART:{weekly['DTSTART']}\nRRULE:{weekly['RRULE']}")[:6]
    assert all(d.weekday() == 1 and (d.hour, d.minute) == (9, 30) for d in weeks)
    assert [(b - a).days for a, b in zip(weeks, weeks[1:], strict=False)] == [7] * 5
    months = rrule.rrulestr(f"DTSTART:{monthly['DTSTART']}\nRRULE:{monthly['RRULE']}")[:4]
    assert [d.date() for d in months] == [dt.date(2026, 12, 29), dt.date(2027, 1, 26),
                                          dt.date(2027, 2, 23), dt.date(2027, 3, 30)]
    assert all((d + dt.timedelta(days=7)).month != d.month for d in months)  # the last one
