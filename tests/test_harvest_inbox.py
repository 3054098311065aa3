"""The harvest inbox: candidates wait there, accept makes an entry, reject keeps them out,
a second harvest adds nothing, and every figure of a note's candidate is on the note's line."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft, Kind
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, InboxItem, SourceKind
from coach.domain.harvest.inbox import split_new, traced
from coach.domain.harvest.note import (
    NoteEntry,
    NoteReply,
    draft_candidates,
    note_lines,
    reply_problems,
)
from coach.services import harvest, inbox
from coach.store import Store, open_database

TODAY = dt.date(2026, 3, 9)
NOTE = """# Week of 2026-03-02
- Shipped the billing export, cut support tickets 30%
- Mentored Ana on the payments code
* Ran the incident review for the Tuesday outage
Lunch
"""


def pr(n: int, title: str = "Speed up checkout", **kw) -> Candidate:
    base = dict(source=SourceKind.GITHUB, link=f"https://github.com/acme/shop/pull/{n}",
                key=f"github:acme/shop#{n}", date=dt.date(2026, 2, 10 + n), title=title,
                evidence=f"{title}: p95 from 900 ms to 450 ms", metric="p95 from 900 ms to 450 ms")
    return Candidate(**{**base, **kw})


def reply(*entries: dict) -> str:
    return json.dumps({"entries": list(entries)})


# -- the domain ---------------------------------------------------------------------------
def test_note_lines_skip_headings_and_lone_words_and_take_the_heading_date():
    lines = note_lines(NOTE, TODAY)
    assert [(ln.number, ln.text) for ln in lines] == [
        (2, "Shipped the billing export, cut support tickets 30%"),
        (3, "Mentored Ana on the payments code"),
        (4, "Ran the incident review for the Tuesday outage")]
    assert {ln.date for ln in lines} == {dt.date(2026, 3, 2)}
    future = note_lines("# Week of 2099-01-05\n- Planned the launch party", TODAY)
    assert future[0].date is None  # a date ahead of today dates nothing


@pytest.mark.parametrize(("metric", "kept"), [
    ("p95 from 900 ms to 450 ms", True),
    ("p95 from 900 ms to 300 ms", False),  # 300 is not in the source
    ("faster checkout", False),  # no figure: not a metric
    ("", False),
])
def test_a_metric_stays_only_when_every_figure_is_in_the_source(metric, kept):
    out = traced(pr(1, metric=metric))
    assert out.metric == (metric if kept else "")
    assert out.nudge == ("" if kept else ADD_THE_RESULT)


def test_split_new_by_link_key_and_date_with_title():
    entries = [Entry(id=7, date=dt.date(2026, 2, 14), title="Speed up checkout",
                     source="https://github.com/acme/shop/pull/9")]
    rejected = InboxItem(**pr(1).model_dump(), id=3, status="rejected")
    split = split_new([pr(1), pr(9, title="Other"), pr(4), pr(5, key="x"), pr(5, key="x")],
                      entries=entries, inbox=[rejected])
    assert [c.link for c in split.new] == [pr(5).link]
    assert [(d.same_as, d.reason) for d in split.duplicates] == [
        ("inbox #3 (rejected)", "same link"), ("entry #7", "same link"),
        ("entry #7", "same date and title"), ("an earlier candidate of this harvest", "same link")]


def test_a_notes_line_number_is_not_a_link_but_its_words_are_the_work():
    first = draft_candidates(note_lines("- Shipped the billing export\n", TODAY), "week.md", TODAY)
    rewritten = draft_candidates(note_lines("- Wrote the hiring plan\n", TODAY), "week.md",
                                 TODAY)
    assert first[0].link == rewritten[0].link == "week.md:1"
    saved = [InboxItem(**first[0].model_dump(), id=1)]
    assert len(split_new(rewritten, entries=[], inbox=saved).new) == 1  # other words: new work
    assert split_new(first, entries=[], inbox=saved).new == []


def test_reply_problems_catch_an_invented_figure_and_a_line_the_note_lacks():
    lines = note_lines(NOTE, TODAY)
    good = NoteReply(entries=[NoteEntry(line=2, title="Shipped the billing export",
                                        metric="cut support tickets 30%", kind=Kind.RESULT)])
    assert reply_problems(good, lines) == []
    invented = NoteReply(entries=[NoteEntry(line=3, title="Mentored Ana",
                                            metric="Ana closed 12 tickets", kind=Kind.MENTORING)])
    assert [p.code for p in reply_problems(invented, lines)] == ["invented-number"]
    assert "12" in reply_problems(invented, lines)[0].detail
    wrong_line = NoteReply(entries=[NoteEntry(line=40, title="Something", kind=Kind.RESULT)])
    assert [p.code for p in reply_problems(wrong_line, lines)] == ["bad-line"]


# -- the service: a note --------------------------------------------------------------------
def test_a_note_harvested_by_the_model_with_its_figures_on_their_lines(ctx):
    ctx.llm.enqueue(reply(
        {"line": 2, "title": "Shipped the billing export", "metric": "cut support tickets 30%",
         "kind": "result"},
        {"line": 3, "title": "Mentored Ana on payments", "metric": "", "kind": "mentoring"}))
    result = harvest.harvest_note(ctx, NOTE, name="week.md", today=TODAY)
    assert result.drafted_by == "model" and result.notice is None
    first, second = result.added
    assert (first.title, first.metric, first.link) == (
        "Shipped the billing export", "cut support tickets 30%", "week.md:2")
    assert first.evidence == "Shipped the billing export, cut support tickets 30%"
    assert second.metric == "" and second.nudge == ADD_THE_RESULT
    assert ctx.store.count_entries() == 0  # the inbox, never the log
    call = ctx.llm.history[0]
    assert call.prompt.name == "harvest_note" and '<data source="my weekly note">' in \
        call.messages[1]["content"] and "[L2] Shipped" in call.messages[1]["content"]


def test_a_reply_inventing_a_number_is_asked_again_then_replaced_by_the_lines(ctx):
    invented = reply({"line": 3, "title": "Mentored Ana", "metric": "Ana closed 12 tickets",
                      "kind": "mentoring"})
    ctx.llm.enqueue(invented, invented)
    result = harvest.harvest_note(ctx, NOTE, name="week.md", today=TODAY)
    assert len(ctx.llm.history) == 2
    assert "12" in ctx.llm.history[1].messages[-1]["content"]  # the re-ask names the figure
    assert result.drafted_by == "draft"
    assert result.notice == ("The model's entries used figures that are not in your note; "
                             "showing one candidate per line of your note instead.")
    assert [c.link for c in result.added] == ["week.md:2", "week.md:3", "week.md:4"]
    for c in result.added:  # every figure shown is one the note states on that line
        assert not c.metric or c.metric in c.evidence
    assert result.added[0].metric and not any("12" in c.metric or "Ana closed" in c.title
                                              for c in result.added)


def test_a_second_try_that_passes_is_used(ctx):
    ctx.llm.enqueue(reply({"line": 2, "title": "Cut tickets", "metric": "cut tickets 45%",
                           "kind": "result"}),
                    reply({"line": 2, "title": "Cut tickets", "metric": "cut support tickets 30%",
                           "kind": "result"}))
    result = harvest.harvest_note(ctx, NOTE, name="week.md", today=TODAY)
    assert result.drafted_by == "model" and result.added[0].metric == "cut support tickets 30%"


def test_a_failing_model_falls_back_with_a_notice(ctx):
    ctx.llm.enqueue(CoachError("the model is not running"))
    result = harvest.harvest_note(ctx, NOTE, name="week.md", today=TODAY)
    assert result.drafted_by == "draft" and "could not read the note" in result.notice
    assert len(result.added) == 3


def test_harvest_twice_adds_nothing_and_reject_keeps_it_out(ctx):
    first = harvest.harvest_note(ctx, NOTE, name="week.md", use_model=False, today=TODAY)
    assert len(first.added) == 3
    inbox.reject(ctx, first.added[2].id)
    again = harvest.harvest_note(ctx, NOTE, name="week.md", use_model=False, today=TODAY)
    assert again.added == [] and len(again.duplicates) == 3
    assert "inbox #3 (rejected)" in {d.same_as for d in again.duplicates}
    assert [i.id for i in inbox.list_inbox(ctx)] == [1, 2]


def test_since_keeps_only_later_work(ctx):
    with pytest.raises(CoachError) as err:
        harvest.harvest_note(ctx, NOTE, since=dt.date(2026, 3, 5), use_model=False, today=TODAY)
    assert err.value.code == "nothing-found" and err.value.field == "note"


# -- accept and reject ----------------------------------------------------------------------
def test_accept_makes_an_entry_with_the_source_link_and_the_users_edits(ctx):
    added = harvest.to_inbox(ctx, SourceKind.GITHUB, [pr(1), pr(2, title="Retry payouts")]).added
    done = inbox.accept(ctx, added[0].id)
    assert done.entry.source == pr(1).link and done.entry.metric == "p95 from 900 ms to 450 ms"
    assert done.item.status == "accepted" and done.item.entry_id == done.entry.id
    edited = inbox.accept(ctx, added[1].id, title="Made payouts retry safely",
                          metric="0 lost payouts in March", kind="responsibility",
                          next_level=True, date=dt.date(2026, 3, 1))
    e = ctx.store.get_entry(edited.entry.id)
    assert (e.title, e.metric, e.kind, e.next_level, e.date) == (
        "Made payouts retry safely", "0 lost payouts in March", Kind.RESPONSIBILITY, True,
        dt.date(2026, 3, 1))
    again = harvest.to_inbox(ctx, SourceKind.GITHUB, [pr(1), pr(2, title="Retry payouts")])
    assert again.added == [] and len(again.duplicates) == 2


def test_bad_accepts_save_nothing(ctx):
    item = harvest.to_inbox(ctx, SourceKind.GITHUB, [pr(1)]).added[0]
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(CoachError) as err:
        inbox.accept(ctx, item.id, date=future)
    assert err.value.code == "future-date"
    with pytest.raises(CoachError) as err:
        inbox.accept(ctx, item.id, title="x" * 201)
    assert err.value.code == "too-long"
    assert ctx.store.count_entries() == 0 and inbox.list_inbox(ctx)[0].status == "pending"
    inbox.reject(ctx, item.id)
    for act in (lambda: inbox.accept(ctx, item.id), lambda: inbox.reject(ctx, item.id)):
        with pytest.raises(CoachError) as err:
            act()
        assert err.value.code == "not-pending" and err.value.field == "inbox"
    with pytest.raises(CoachError) as err:
        inbox.accept(ctx, 99)
    assert err.value.code == "not-found"
    assert ctx.store.count_entries() == 0


# -- reading files ---------------------------------------------------------------------------
@pytest.mark.parametrize(("data", "text"), [
    (b"\xef\xbb\xbf- Shipped it fast", "- Shipped it fast"),
    ("- Shipped it fast".encode("utf-16"), "- Shipped it fast"),
    ("- Gr\u00fc\u00dfe sent".encode(), "- Gr\u00fc\u00dfe sent"),
])
def test_text_files_decode_with_a_bom_or_in_utf8(data, text):
    assert harvest.decode_text(data, "n.txt") == text


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00", b"caf\xe9 au lait"])
def test_binary_or_non_utf8_files_are_refused(data):
    with pytest.raises(CoachError) as err:
        harvest.decode_text(data, "n.txt")
    assert err.value.code in ("binary", "not-text") and err.value.field == "file"


def test_a_file_over_the_limit_is_refused_before_it_is_read(ctx, tmp_path, monkeypatch):
    from coach.domain import limits

    monkeypatch.setitem(limits.MAX_FILE_BYTES, "harvest", 100)
    big = tmp_path / "week.md"
    big.write_text("- Shipped the export\n" * 20)
    with pytest.raises(CoachError) as err:
        harvest.harvest_file(ctx, SourceKind.TEXT, big, use_model=False)
    assert err.value.code == "too-big"
    assert inbox.list_inbox(ctx, None) == []


# -- the store on SQLite and PostgreSQL --------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "sqlite":
        yield Store(open_database(tmp_path / "coach.db"))
        return
    url = os.environ.get("COACH_TEST_DATABASE_URL")
    if not url:
        pytest.skip("COACH_TEST_DATABASE_URL not set (scripts/postgres.sh starts a server)")
    db = open_database(tmp_path / "home" / "coach.db", url)  # a schema of its own
    yield Store(db)
    with db.tx() as cur:
        cur.execute(f'DROP SCHEMA "{db.schema}" CASCADE')  # this test's schema only
    db.close()


def test_the_inbox_table_round_trips_and_accept_is_one_transaction(store):
    saved = store.inbox.add([pr(1), pr(2, criterion="senior.delivery.1", counts={"files": 3})])
    assert [i.status for i in store.inbox.items()] == ["pending", "pending"]
    assert store.inbox.get(saved[1].id) == saved[1]
    assert saved[1].criterion == "senior.delivery.1" and saved[1].counts == {"files": 3}
    draft = EntryDraft(**pr(1).to_entry().model_dump())
    item, entry = store.inbox.accept(saved[0].id, draft)
    assert item.entry_id == entry.id and store.get_entry(entry.id).source == pr(1).link
    with pytest.raises(CoachError):
        store.inbox.accept(saved[0].id, draft)
    assert store.count_entries() == 1
    assert store.inbox.reject(saved[1].id).status == "rejected"
    assert [i.id for i in store.inbox.items("pending")] == []


def test_with_a_framework_in_use_a_candidate_gets_its_best_criterion(ctx, tmp_path):
    from coach.services.framework import import_framework, use_framework
    from tests.framework_sample import SENIOR, write_sample

    assert harvest.to_inbox(ctx, SourceKind.GITHUB, [pr(1)]).added[0].criterion is None
    done = import_framework(ctx, write_sample(tmp_path))
    use_framework(ctx, done.framework.id, current_level="L3 Engineer",
                  target_level="L4 Senior Engineer")
    mentoring = pr(2, title="Mentored two engineers until they led projects of their own",
                   evidence="", metric="")
    kept = pr(3, title="Bump a dependency", criterion="l3-engineer.delivery.1")
    added = harvest.to_inbox(ctx, SourceKind.GITHUB, [mentoring, kept]).added
    assert added[0].criterion is not None and added[0].criterion.startswith(f"{SENIOR}.")
    assert added[0].next_level  # a criterion of the target level: next-level work
    assert added[1].criterion == "l3-engineer.delivery.1"  # the source's own stays
