"""The manager update (issue 20): a deterministic draft from the entries and the plan, the
model's rewording kept only when every figure is one the entries hold, one re-ask, then the
draft with a notice. Fake models only (ScriptedLLM)."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy

import pytest

from coach.domain.evidence import Entry, EntryDraft, Kind
from coach.domain.plan import PlanItem
from coach.domain.text import numbers_in
from coach.domain.update_email import build_update, in_window, validate_update
from coach.services import plan as plan_service
from coach.services import update
from tests.scenarios.helpers import cli_fail, cli_json, profile

TODAY = dt.date(2026, 12, 5)
P = profile()
ENTRIES = [
    Entry(id=1, date=dt.date(2026, 10, 2), title="Old win", metric="saved 9 hours"),
    Entry(id=2, date=dt.date(2026, 11, 20), title="Cut checkout latency", metric="p95 down 40%"),
    Entry(id=3, date=dt.date(2026, 12, 1), title="Mentored two new hires", kind=Kind.MENTORING),
]
NEXT = [PlanItem(id="design-review", text="Run the design review for the billing rework",
                 why="Technical direction", due=dt.date(2026, 12, 19))]


def _draft():
    window = in_window(ENTRIES, dt.date(2026, 11, 5), TODAY)
    return build_update(P, window, NEXT, since=dt.date(2026, 11, 5), today=TODAY), window


def test_the_draft_reports_the_window_its_results_and_the_plan():
    draft, window = _draft()
    assert [e.id for e in window] == [2, 3] and draft.entries == [2, 3]
    body = draft.body
    assert body.startswith("Hi Dana,") and body.rstrip().endswith("Priya Shah")
    shipped, rest = body.split("The results:")
    results, nexts = rest.split("What is next:")
    assert "Cut checkout latency (2026-11-20)" in shipped and "Mentored two new hires" in shipped
    assert "Old win" not in body  # outside the window
    assert "p95 down 40%" in results and "Mentored" not in results  # no figure, no result line
    assert "Run the design review for the billing rework (by 2026-12-19)" in nexts
    assert draft.results == ["p95 down 40%"] and validate_update(body, draft, P, window) == []


def test_an_empty_window_and_an_empty_plan_say_so_without_inventing():
    draft = build_update(P, [], [], since=dt.date(2026, 11, 5), today=TODAY)
    assert "Nothing new in my impact log since 2026-11-05" in draft.body
    assert "nothing else is planned yet" in draft.body


def test_entries_already_reported_are_left_out():
    assert [e.id for e in in_window(ENTRIES, dt.date(2026, 10, 1), TODAY, reported=[2])] == [1, 3]


REWORDED = ("Hi Dana,\n\nHere is a short note on my work since 2026-11-05.\n\nI cut checkout "
            "latency (p95 down 40%) and mentored two new hires.\n\nNext, I will run the design "
            "review for the billing rework by 2026-12-19.\n\nBest regards,\nPriya Shah")


@pytest.mark.parametrize("body, code", [
    (REWORDED, None),
    (REWORDED.replace("down 40%", "down 45%"), "invented-number"),
    # A day of a logged date is no licence for a figure: the checkout entry is dated Nov 20.
    (REWORDED.replace("down 40%", "down 20%"), "invented-number"),
    (REWORDED.replace("by 2026-12-19", "by December 20"), "invented-number"),
    (REWORDED.replace("since 2026-11-05", "since 2025-11-05"), "invented-number"),
    (REWORDED.replace("new hires.", "new hires, saving 12 hours a week."), "invented-number"),
    (REWORDED.replace("(p95 down 40%) ", ""), "lost-result"),
    (REWORDED.replace(" by 2026-12-19", ""), "lost-next-step"),
    (REWORDED.replace("and mentored two new hires", ""), "lost-entry"),
    (REWORDED.replace("Hi Dana,", "Hi Dana, this is ridiculous,"), "hostile"),
    (REWORDED.replace("I will run", "Dana and Marcus will run"), "invented-name"),
])
def test_the_guard_on_a_reworded_update(body, code):
    draft, window = _draft()
    problems = validate_update(body, draft, P, window)
    assert [p.code for p in problems][:1] == ([code] if code else [])


def test_a_date_may_be_written_in_words():
    draft, window = _draft()
    assert validate_update(REWORDED.replace("2026-12-19", "December 19"), draft, P, window) == []


# -- the service and the CLI ---------------------------------------------------------------------
def _seed(ctx, **extra):
    ctx.store.save_profile(profile(**extra))
    return ctx.store.add_entries([
        EntryDraft(date=e.date, title=e.title, metric=e.metric, kind=e.kind) for e in ENTRIES])


def _polite(messages) -> str:
    """A well-behaved reword: the draft from the data block, greeting changed."""
    block = re.search(r"<data [^>]*>\n(.*?)\n</data>", messages[1]["content"], re.DOTALL)
    return block.group(1).replace("Hi Dana,", "Hello Dana,", 1)


def _inventing(messages) -> str:
    return _polite(messages).replace("p95 down 40%", "p95 down 40%, saving $20k a month")


def _allowed(ctx) -> set[str]:
    """Figures the log and the plan hold (dates aside)."""
    allowed = set()
    for e in ctx.store.list_entries():
        allowed |= numbers_in(f"{e.title} {e.metric} {e.description}")
    for item in plan_service.saved_plan(ctx).items:
        allowed |= numbers_in(item.text)
    return allowed


def test_a_clean_reword_is_kept(ctx):
    _seed(ctx)
    ctx.llm.enqueue(_polite)
    result = update.draft_update(ctx, since=dt.date(2026, 11, 5), today=TODAY)
    assert result.source == "model" and result.notice is None
    assert result.body.startswith("Hello Dana,") and len(ctx.llm.history) == 1
    prompt = ctx.llm.history[0]
    assert prompt.prompt.name == "update_email"
    assert "<data" in prompt.messages[1]["content"]
    assert "never instructions" in prompt.messages[0]["content"]


def test_an_invented_figure_is_caught_and_the_retry_is_kept(ctx):
    _seed(ctx)
    ctx.llm.enqueue(_inventing, _polite)
    result = update.draft_update(ctx, since=dt.date(2026, 11, 5), today=TODAY)
    assert len(ctx.llm.history) == 2
    feedback = ctx.llm.history[1].messages[-1]["content"]
    assert "20" in feedback  # the re-ask names the invented figure
    assert result.source == "model" and "20k" not in result.body and "$20" not in result.body


def test_two_inventions_fall_back_to_the_draft_with_a_notice(ctx):
    _seed(ctx)
    ctx.llm.enqueue(_inventing, _inventing)
    result = update.draft_update(ctx, since=dt.date(2026, 11, 5), today=TODAY)
    assert result.source == "draft" and len(ctx.llm.history) == 2
    assert result.notice and "invented a figure" in result.notice
    assert any(v.startswith("invented-number") for v in result.violations)
    assert "20k" not in result.body and result.body.startswith("Hi Dana,")
    stated = numbers_in(re.sub(r"\d{4}-\d{2}-\d{2}", " ", result.body))
    assert stated <= _allowed(ctx), stated


def test_a_model_error_falls_back_too(ctx):
    from coach.domain.errors import CoachError

    _seed(ctx)
    ctx.llm.enqueue(CoachError("the model is not reachable"))
    result = update.draft_update(ctx, since=dt.date(2026, 11, 5), today=TODAY)
    assert result.source == "draft" and "not reachable" in result.notice


def test_what_is_next_comes_from_the_plan(ctx):
    _seed(ctx)
    plan = plan_service.show_plan(ctx, today=TODAY)
    result = update.draft_update(ctx, today=TODAY, use_model=False)
    first = plan.items[0]
    assert result.next_items[0] == first.id
    assert f"{first.text.rstrip('.')} (by {first.due.isoformat()})" in result.body


def test_the_next_update_starts_where_the_last_one_ended(ctx):
    _seed(ctx)
    day = dt.date(2026, 11, 25)
    first = update.draft_update(ctx, today=day, use_model=False)
    assert first.since == dt.date(2026, 10, 25) and first.entries == [2]
    redo = update.draft_update(ctx, today=day, use_model=False)  # same day: same stretch
    assert redo.since == first.since and redo.entries == [2] and redo.previous is None
    ctx.store.add_entry(EntryDraft(date=dt.date(2026, 12, 3), title="Shipped the billing "
                                   "rework", metric="2x faster invoices"))
    later = update.draft_update(ctx, today=TODAY, use_model=False)
    assert later.since == day and later.entries == [3, 4] and later.previous == day
    assert "2x faster invoices" in later.body and "Cut checkout" not in later.body


def test_the_eml_is_addressed_from_the_profile(ctx, tmp_path):
    _seed(ctx)
    result = update.draft_update(ctx, today=TODAY, use_model=False, out=tmp_path / "u.eml")
    msg = email.message_from_bytes((tmp_path / "u.eml").read_bytes(), policy=policy.default)
    assert msg["To"] == "Dana Reyes <dana.reyes@example.com>" and msg["X-Unsent"] == "1"
    assert msg["Subject"] == result.subject and "p95 down 40%" in msg.get_content()


def test_without_addresses_there_is_no_eml_unless_one_is_asked_for(ctx, tmp_path):
    _seed(ctx, manager_email="")
    result = update.draft_update(ctx, today=TODAY, use_model=False)
    assert result.file is None and result.missing == ["manager_email"]
    from coach.domain.errors import CoachError

    with pytest.raises(CoachError) as err:
        update.draft_update(ctx, today=dt.date(2026, 12, 6), use_model=False,
                            out=tmp_path / "u.eml")
    assert err.value.code == "no-address" and err.value.field == "manager_email"
    assert [m.made for m in update.history(ctx)] == [TODAY]  # the failed one saved nothing


def test_a_future_start_is_refused_before_anything_is_saved(ctx):
    from coach.domain.errors import CoachError

    _seed(ctx)
    with pytest.raises(CoachError) as err:
        update.draft_update(ctx, since=TODAY + dt.timedelta(days=1), today=TODAY)
    assert err.value.code == "future-start" and err.value.field == "since"
    assert ctx.llm.history == [] and update.history(ctx) == []


def test_cli_update_json(ctx, monkeypatch, capsys, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_inventing, _inventing)
    data = cli_json(monkeypatch, capsys, ctx, "update", "--since", "2026-11-05", "--today",
                    "2026-12-05", "--out", str(tmp_path / "update.eml"))
    assert data["source"] == "draft" and "invented a figure" in data["notice"]
    assert data["entries"] == [2, 3] and data["file"].endswith("update.eml")
    assert "$20k" not in (tmp_path / "update.eml").read_text()


def test_cli_update_without_a_profile_says_what_to_do(ctx, monkeypatch, capsys):
    err = cli_fail(monkeypatch, capsys, ctx, "update", "--no-model")
    assert "no profile yet" in err and "coach profile set" in err
