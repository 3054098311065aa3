"""The preparation chat: grounding, checked citations, stable-prefix messages, cancel, and
turning a described win into a log entry."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from coach.domain.chat import (
    MarkerFilter,
    build_messages,
    check_citations,
    log_summary,
    looks_like_win,
    propose_entry,
)
from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.passage import Passage
from coach.services.chat import accept_proposed_entry, chat_turn, conversations
from tests.scenarios.helpers import TODAY, cli_fail, cli_json, entry, profile

PASSAGES = [
    Passage(text="Ask just after a clear win, while it is fresh.", source="timing.md",
            section="Good moments to ask", score=0.82, trusted=True),
    Passage(text="Book a separate meeting of about half an hour.",
            source="requesting-the-meeting.md", section="Ask for dedicated time", score=0.74,
            trusted=True),
]


class FakeKB:
    def __init__(self, passages=PASSAGES, error: Exception | None = None):
        self.passages = passages
        self.error = error
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5) -> list[Passage]:
        self.queries.append(query)
        if self.error:
            raise self.error
        return self.passages[:k]


@pytest.fixture
def chat_ctx(ctx):
    ctx.store.save_profile(profile(months=14, review_month=6, signals=("recent-win",)))
    ctx.store.add_entry(EntryDraft(date=dt.date(2025, 3, 1), title="Launched one-click reorder",
                                   metric="12% of returning customers used it"))
    ctx.__dict__["kb"] = FakeKB()
    return ctx


# -- domain rules ---------------------------------------------------------------------------


@pytest.mark.parametrize("answer, n, text, cited, removed", [
    ("Ask after a win [1].", 2, "Ask after a win [1].", [1], []),
    ("Ask after a win [1] in a short meeting [2][1].", 2,
     "Ask after a win [1] in a short meeting [2][1].", [1, 2], []),
    ("Ask now [3].", 2, "Ask now.", [], [3]),
    ("No sources here.", 2, "No sources here.", [], []),
    ("Ask now [0] or later [1].", 1, "Ask now or later [1].", [1], [0]),
])
def test_check_citations(answer, n, text, cited, removed):
    result = check_citations(answer, n)
    assert (result.text, result.cited, result.removed) == (text, cited, removed)


@pytest.mark.parametrize("pieces, shown", [
    (["Ask ", "[1] ", "now ", "[7]."], "Ask [1] now ."),
    (["Ask [", "2", "] now"], "Ask [2] now"),
    (["Ask [", "12", "] now"], "Ask  now"),
    (["Entry [#3] and [a] stay", " [", "1"], "Entry [#3] and [a] stay [1"),
])
def test_marker_filter_hides_unknown_citations_while_streaming(pieces, shown):
    f = MarkerFilter(2)
    assert "".join(f.feed(p) for p in pieces) + f.flush() == shown


@pytest.mark.parametrize("message, is_win", [
    ("I cut our build time 35% by caching dependencies", True),
    ("We shipped the new onboarding flow and activation rose 12%", True),
    ("Yesterday I led the incident review for 3 teams", True),
    ("/log mentored the new analyst", True),
    ("How do I ask for 30 minutes with my manager?", False),        # a question
    ("I improved the onboarding docs", False),                      # no figure
    ("The team grew revenue 20%", False),                           # not first person
    ("I will cut costs 10% next quarter", False),                   # not past tense
])
def test_win_detection(message, is_win):
    assert looks_like_win(message) is is_win


@pytest.mark.parametrize("message, title, metric, kind", [
    ("I cut our build time 35% by caching dependencies", "Cut our build time 35% by caching "
     "dependencies", "cut our build time 35% by caching dependencies", Kind.RESULT),
    ("I mentored two new hires, and both shipped within 3 weeks", "Mentored two new hires",
     "both shipped within 3 weeks", Kind.MENTORING),
    ("/log presented the Q3 roadmap to the leadership team, approved with 2 new roles",
     "Presented the Q3 roadmap to the leadership team", "approved with 2 new roles",
     Kind.EXECUTIVE_COMMUNICATION),
])
def test_propose_entry(message, title, metric, kind):
    draft = propose_entry(message, TODAY)
    assert (draft.title, draft.metric, draft.kind) == (title, metric, kind)
    assert draft.date == TODAY and draft.source == "chat"


def test_log_summary_is_compact():
    entries = [entry(i, f"Result {i}", metric=f"{i}0% faster", date=dt.date(2025, 1, i))
               for i in range(1, 12)]
    text = log_summary(entries)
    assert text.splitlines()[0] == "11 entries, 11 with a metric, 0 marked next-level."
    assert len(text.splitlines()) == 9 and "[#11]" in text and "[#1] " not in text
    assert log_summary([]) == "The impact log is empty."


def test_messages_put_the_stable_prefix_first():
    msgs = build_messages("SYSTEM", [("user", "q1"), ("assistant", "a1")], "PASSAGES+Q2")
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"]
    assert msgs[0]["content"] == "SYSTEM" and msgs[-1]["content"] == "PASSAGES+Q2"


# -- one turn ---------------------------------------------------------------------------------


def test_turn_cites_passages_and_saves_the_conversation(chat_ctx):
    chat_ctx.llm.enqueue("Ask soon, while your reorder launch is fresh [1]. Book half an hour "
                         "[2].")
    seen: list[str] = []
    turn = chat_turn(chat_ctx, "When should I ask?", on_token=seen.append, today=TODAY)
    assert [c.n for c in turn.citations] == [1, 2]
    assert turn.citations[0].source == "timing.md"
    assert turn.citations[0].section == "Good moments to ask"
    assert "Sources:\n  [1] timing.md § Good moments to ask" in turn.answer
    assert turn.notice is None and turn.proposed_entry is None
    assert "".join(seen).strip().startswith("Ask soon")
    stored = chat_ctx.store.messages(turn.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].meta["citations"][1]["source"] == "requesting-the-meeting.md"
    assert chat_ctx.store.get_conversation(turn.conversation_id).kind == "chat"


def test_prompt_has_profile_log_passages_and_question_in_cache_friendly_order(chat_ctx):
    chat_ctx.llm.enqueue("First answer [1].", "Second answer [2].")
    first = chat_turn(chat_ctx, "When should I ask?", today=TODAY)
    chat_turn(chat_ctx, "How long should the meeting be?", first.conversation_id, today=TODAY)
    call1, call2 = (c.messages for c in chat_ctx.llm.history)
    assert call1[0] == call2[0]                      # the same system prefix both turns
    system = call1[0]["content"]
    assert "Target title: Tech Lead" in system and "Launched one-click reorder" in system
    assert call2[1] == {"role": "user", "content": "When should I ask?"}
    assert call2[2] == {"role": "assistant", "content": "First answer [1]."}  # no sources list
    last = call2[-1]["content"]
    assert last.index("[1] timing.md § Good moments to ask") < last.index(
        "Question: How long should the meeting be?")
    assert chat_ctx.llm.history[0].prompt.name == "chat"


def test_unknown_citation_numbers_never_reach_the_user(chat_ctx):
    chat_ctx.llm.enqueue("Ask after a win [1] and check the budget [7].")
    streamed: list[str] = []
    turn = chat_turn(chat_ctx, "When should I ask?", on_token=streamed.append, today=TODAY)
    assert "[7]" not in "".join(streamed) and "[1]" in "".join(streamed)
    assert "[7]" not in turn.answer and [c.n for c in turn.citations] == [1]
    assert "Removed citation numbers that matched no source ([7])" in turn.notice


def test_answer_without_citations_gets_the_sources_appended(chat_ctx):
    chat_ctx.llm.enqueue("Ask soon after a win.")
    turn = chat_turn(chat_ctx, "When should I ask?", today=TODAY)
    assert [c.n for c in turn.citations] == [1, 2]
    assert "did not cite the guides" in turn.notice
    assert turn.answer.endswith("[2] requesting-the-meeting.md § Ask for dedicated time")


def test_search_failure_still_answers_and_says_so(chat_ctx):
    chat_ctx.__dict__["kb"] = FakeKB(error=CoachError("the index is missing"))
    chat_ctx.llm.enqueue("Ask after a win.")
    turn = chat_turn(chat_ctx, "When should I ask?", today=TODAY)
    assert turn.citations == [] and "could not be searched (the index is missing)" in turn.notice
    assert "Sources:" not in turn.answer


def test_cancel_stops_the_answer_and_keeps_what_arrived(chat_ctx):
    cancel = threading.Event()
    chat_ctx.llm.enqueue("one two three four five six seven eight nine ten")
    got: list[str] = []

    def on_token(piece: str) -> None:
        got.append(piece)
        if len(got) == 3:
            cancel.set()

    turn = chat_turn(chat_ctx, "Tell me about timing", on_token=on_token, cancel=cancel,
                     today=TODAY)
    assert turn.cancelled and turn.answer.startswith("one two three [stopped]")
    assert "ten" not in turn.answer
    assert chat_ctx.store.messages(turn.conversation_id)[1].meta["cancelled"] is True


def test_described_win_is_proposed_and_accepted(chat_ctx):
    chat_ctx.llm.enqueue("Great result; log it while it is fresh [1].")
    turn = chat_turn(chat_ctx, "I cut our build time 35% by caching dependencies", today=TODAY)
    assert turn.proposed_entry is not None and turn.proposed_entry.metric.endswith("dependencies")
    assert "That sounds like a win for your log" in turn.answer
    before = chat_ctx.store.count_entries()
    saved = accept_proposed_entry(chat_ctx, turn.conversation_id)
    assert chat_ctx.store.count_entries() == before + 1
    assert saved.title.startswith("Cut our build time 35%") and saved.source == "chat"
    with pytest.raises(CoachError, match="has no proposed entry"):
        accept_proposed_entry(chat_ctx, turn.conversation_id)


def test_log_command_proposes_without_calling_the_model(chat_ctx):
    turn = chat_turn(chat_ctx, "/log presented the roadmap to the leadership team", today=TODAY)
    assert chat_ctx.llm.history == []
    assert turn.proposed_entry.kind == Kind.EXECUTIVE_COMMUNICATION
    with pytest.raises(CoachError, match="nothing to log"):
        chat_turn(chat_ctx, "/log", today=TODAY)


def test_empty_message_and_wrong_conversation_are_clear_errors(chat_ctx):
    with pytest.raises(CoachError, match="the message is empty"):
        chat_turn(chat_ctx, "   ")
    other = chat_ctx.store.new_conversation("roleplay", "x")
    with pytest.raises(CoachError, match="is not a chat"):
        chat_turn(chat_ctx, "hi", other.id)


# -- the command ------------------------------------------------------------------------------


def test_cli_chat_one_turn_json_and_accept(chat_ctx, monkeypatch, capsys):
    chat_ctx.llm.enqueue("Nice work. Ask while it is fresh [1].")
    data = cli_json(monkeypatch, capsys, chat_ctx, "chat", "--message",
                    "We shipped the new onboarding flow and activation rose 12%",
                    "--today", "2025-04-14")
    assert data["answer"].startswith("Nice work.")
    assert data["citations"] == [{"n": 1, "source": "timing.md",
                                  "section": "Good moments to ask", "score": 0.82}]
    assert data["proposed_entry"]["metric"] == "activation rose 12%"
    conv = data["conversation_id"]
    added = cli_json(monkeypatch, capsys, chat_ctx, "chat", "--accept-entry", "--conversation",
                     str(conv))
    assert added["title"] == "Shipped the new onboarding flow" and added["id"] == 2
    assert [c.id for c in conversations(chat_ctx)] == [conv]


def test_cli_chat_json_needs_a_message(chat_ctx, monkeypatch, capsys):
    assert "--json needs --message" in cli_fail(monkeypatch, capsys, chat_ctx, "chat", "--json")
    assert "--accept-entry needs --conversation" in cli_fail(monkeypatch, capsys, chat_ctx,
                                                             "chat", "--accept-entry")


def test_cli_repl_streams_and_quits(chat_ctx, monkeypatch, capsys):
    from coach.cli.main import main
    from coach.services.context import Context

    answers = iter(["When should I ask?", "I cut our build time 35% last week", "y", "/quit"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr(Context, "open", classmethod(lambda cls, *a, **k: chat_ctx))
    chat_ctx.llm.enqueue("Ask after your reorder launch [1].", "Well done, log it [1].")
    assert main(["chat"]) == 0
    out = capsys.readouterr().out
    assert "coach> Ask after your reorder launch [1]." in out
    assert "[1] timing.md § Good moments to ask" in out
    assert "Proposed entry: Cut our build time 35% last week" in out and "Added [#2]." in out
    assert chat_ctx.store.get_entry(2).source == "chat"
    assert "Chat saved as conversation 1." in out
    assert len(chat_ctx.store.messages(1)) == 5  # two turns and the confirmation
