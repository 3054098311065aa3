"""Preparation-chat use cases: one grounded, cited turn; accepting a proposed log entry."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from coach.domain.chat import (
    Citation,
    CitedAnswer,
    MarkerFilter,
    answer_problems,
    build_messages,
    check_citations,
    citations_for,
    guide_answer,
    is_log_command,
    log_summary,
    looks_like_win,
    passages_block,
    profile_block,
    propose_entry,
    sources_block,
)
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft
from coach.domain.guard import Violation, notice_for, violation_feedback
from coach.domain.injection import StreamGuard, instruction_text
from coach.domain.passage import Passage
from coach.domain.text import clean_block
from coach.llm.base import LLMError, Message, collect_notes, retry_notice
from coach.prompts import Prompt, load_prompt
from coach.services.context import Context
from coach.services.inputs import today_or

log = logging.getLogger(__name__)

KIND = "chat"
TOP_K = 4
HISTORY_MESSAGES = 6  # three exchanges: enough for follow-ups, small enough for a 4k context
MAX_MESSAGE = 4000
REPLACED = "(That answer did not pass the checks, so here is another:)"


class ChatTurn(BaseModel):
    """One answered turn, as shown and stored."""

    answer: str
    citations: list[Citation] = Field(default_factory=list)
    conversation_id: int
    proposed_entry: EntryDraft | None = None
    notice: str | None = None
    cancelled: bool = False


def _retrieve(ctx: Context, question: str) -> tuple[list[Passage], str | None]:
    try:
        return list(ctx.kb.search(question, k=TOP_K)), None
    except (CoachError, ImportError) as exc:
        log.warning("knowledge search failed: %s", exc)
        return [], f"The guides could not be searched ({exc}); this answer is not grounded in them."


def _history(ctx: Context, conversation_id: int) -> list[tuple[str, str]]:
    stored = ctx.store.messages(conversation_id, last=HISTORY_MESSAGES)
    # The model sees the answer without the appended sources list: shorter, and the
    # numbers there belonged to that turn's passages, not this one's.
    return [(m.role, m.meta.get("body", m.content)) for m in stored
            if m.role in ("user", "assistant")]


def _conversation(ctx: Context, conversation_id: int | None, message: str) -> int:
    if conversation_id is not None:
        conv = ctx.store.get_conversation(conversation_id)
        if conv.kind != KIND:
            raise CoachError(f"conversation {conversation_id} is not a chat",
                             code="not-found", field="conversation")
        return conv.id
    return ctx.store.new_conversation(KIND, title=message[:60]).id


def _remember_entry(ctx: Context, conversation_id: int, draft: EntryDraft | None) -> None:
    conv = ctx.store.get_conversation(conversation_id)
    meta = dict(conv.meta)
    meta["proposed_entry"] = draft.model_dump(mode="json") if draft else None
    ctx.store.update_conversation(conversation_id, meta)


def _entry_preview(draft: EntryDraft) -> str:
    metric = f" - metric: {draft.metric}" if draft.metric else " - no metric yet"
    return f"{draft.date.isoformat()} [{draft.kind.value}] {draft.title}{metric}"


def chat_turn(ctx: Context, message: str, conversation_id: int | None = None,
              on_token: Callable[[str], None] | None = None,
              cancel: threading.Event | None = None,
              today: dt.date | None = None) -> ChatTurn:
    """Answer one message from the guides and the user's own facts, with checked citations.

    Args:
        message: the user's question, or `/log <what you did>` to draft a log entry.
        conversation_id: continue this chat; None starts a new one.
        on_token: called with each piece of the answer as it streams in.
        cancel: set it to stop the answer; what arrived so far is kept and marked.
        today: the date a proposed entry gets.
    """
    message = clean_block(message)[:MAX_MESSAGE]
    if not message:
        raise CoachError("the message is empty", hint="Type a question, or /quit to leave.")
    today = today_or(today)
    conv_id = _conversation(ctx, conversation_id, message)
    proposed = propose_entry(message, today) if looks_like_win(message) else None

    if is_log_command(message):
        if proposed is None:
            raise CoachError("nothing to log", hint="Write what you did after /log, e.g. "
                             "`/log cut build time 30% by caching dependencies`.")
        answer = f"Here is the entry I would add to your impact log:\n  {_entry_preview(proposed)}"
        if on_token:
            on_token(answer)
        turn = ChatTurn(answer=answer, conversation_id=conv_id, proposed_entry=proposed)
        _save(ctx, turn, message, body=answer)
        return turn

    passages, notice = _retrieve(ctx, message)
    prompt = load_prompt("chat")
    system = prompt.render_system(profile=profile_block(ctx.store.get_profile()),
                                  log=log_summary(ctx.store.list_entries()))
    question = prompt.render_user(passages=passages_block(passages), question=message)
    messages = build_messages(system, _history(ctx, conv_id), question)
    reply = _answer(ctx, prompt, messages, passages, on_token, cancel)
    checked, cancelled = reply.checked, reply.cancelled
    notes = [n for n in (notice, reply.notice) if n]
    if checked.removed:
        gone = ", ".join(f"[{n}]" for n in checked.removed)
        notes.append(f"Removed citation numbers that matched no source ({gone}).")
    every = citations_for(passages)
    if checked.cited:
        citations = [c for c in every if c.n in checked.cited]
    else:
        citations = every
        if passages and not cancelled:
            notes.append("The answer did not cite the guides; these are the passages it was "
                         "given.")
    body = checked.text + (" [stopped]" if cancelled and not reply.replaced else "")
    body += " [cut off]" if reply.cut else ""
    answer = body + (f"\n\n{sources_block(citations)}" if citations else "")
    if proposed:
        answer += f"\n\nThat sounds like a win for your log:\n  {_entry_preview(proposed)}"
    turn = ChatTurn(answer=answer, citations=citations, conversation_id=conv_id,
                    proposed_entry=proposed, notice=" ".join(notes) or None,
                    cancelled=cancelled)
    _save(ctx, turn, message, body=body)
    return turn


@dataclass
class _Answer:
    """The answer to show; `notice` says why the model's own was replaced by the guides'."""

    checked: CitedAnswer
    cancelled: bool = False
    replaced: bool = False
    notice: str | None = None
    cut: bool = False


def _answer(ctx: Context, prompt: Prompt, messages: list[Message], passages: list[Passage],
            on_token: Callable[[str], None] | None,
            cancel: threading.Event | None) -> _Answer:
    """Stream the model's answer, check it, re-ask once, else answer from the guides.

    The stream is shown as it arrives, except what could be the prompt read out or a link:
    that waits for the check. A rejected answer is followed on the stream by its
    replacement, so a face that printed the stream shows the checked text too. When the
    model fails (after the gateway's retries), the text that arrived is kept and marked as
    cut off, or, if none did, the guides answer; either way the notice says what happened.
    """
    instructions = instruction_text(prompt.system)
    known = "\n".join(m["content"] for m in messages)
    markers, shown = MarkerFilter(len(passages)), StreamGuard(instructions)
    pieces: list[str] = []
    model_notes: list[str] = []
    failure: LLMError | None = None
    try:
        for piece in collect_notes(ctx.llm.stream(
                messages, prompt=prompt.ref, max_tokens=prompt.defaults.max_tokens,
                temperature=prompt.defaults.temperature, cancel=cancel), model_notes):
            pieces.append(piece)
            if on_token and (visible := shown.feed(markers.feed(piece))):
                on_token(visible)
            if cancel is not None and cancel.is_set():
                break
    except LLMError as exc:  # the user is told below; what arrived so far is kept
        failure = exc
    tail = shown.feed(markers.flush())
    cancelled = bool(cancel is not None and cancel.is_set())
    first = "".join(pieces)
    if failure is not None and not first.strip():
        checked = check_citations(guide_answer(passages), len(passages))
        if on_token:
            on_token(checked.text)
        return _Answer(checked, cancelled, replaced=True, notice="The model could not answer, "
                       f"so here are the guides' own words instead: {failure}")
    checked = check_citations(first, len(passages))
    problems = answer_problems(checked.text, instructions=instructions, known=known)
    if not problems:
        if on_token and (rest := tail + shown.rest()):
            on_token(rest)
        if failure is not None:
            return _Answer(checked, cancelled, cut=True,
                           notice=f"The answer stops part-way: {failure}")
        return _Answer(checked, cancelled, notice=retry_notice(model_notes) or None)
    log.info("chat answer rejected: %s", "; ".join(map(str, problems)))
    again = None if cancelled else _reask(ctx, prompt, messages, first, problems, len(passages),
                                          instructions, known)
    notice = None
    if isinstance(again, CitedAnswer):
        checked = again
    else:
        problems = again or problems
        checked = check_citations(guide_answer(passages), len(passages))
        notice = notice_for(problems, "answer", "the guides' own words")
    if on_token:
        on_token(f"\n\n{REPLACED}\n{checked.text}")
    return _Answer(checked, cancelled, replaced=True, notice=notice)


def _reask(ctx: Context, prompt: Prompt, messages: list[Message], first: str,
           problems: list[Violation], n_passages: int, instructions: list[str],
           known: str) -> CitedAnswer | list[Violation] | None:
    """The second answer if it passes; else its violations (None if the model failed)."""
    retry = [*messages, {"role": "assistant", "content": first},
             {"role": "user", "content": violation_feedback(problems)}]
    try:
        reply = ctx.llm.complete(retry, prompt=prompt.ref, max_tokens=prompt.defaults.max_tokens,
                                 temperature=prompt.defaults.temperature)
    except CoachError as exc:
        log.warning("chat re-ask failed: %s", exc)
        return None
    checked = check_citations(reply.text, n_passages)
    return answer_problems(checked.text, instructions=instructions, known=known) or checked


def _save(ctx: Context, turn: ChatTurn, message: str, body: str) -> None:
    meta = {"body": body, "citations": [c.model_dump() for c in turn.citations],
            "notice": turn.notice, "cancelled": turn.cancelled,
            "proposed_entry": turn.proposed_entry.model_dump(mode="json")
            if turn.proposed_entry else None}
    ctx.store.add_messages(turn.conversation_id,
                           [("user", message, {}), ("assistant", turn.answer, meta)])
    if turn.proposed_entry:
        _remember_entry(ctx, turn.conversation_id, turn.proposed_entry)


def accept_proposed_entry(ctx: Context, conversation_id: int) -> Entry:
    """Save the entry the chat last proposed in this conversation to the impact log."""
    conv = ctx.store.get_conversation(conversation_id)
    data = conv.meta.get("proposed_entry")
    if not data:
        raise CoachError(f"conversation {conversation_id} has no proposed entry",
                         code="nothing-proposed",
                         hint="Describe a win with a figure, or write /log and what you did.")
    entry = ctx.store.add_entry(EntryDraft.model_validate(data))
    _remember_entry(ctx, conversation_id, None)
    ctx.store.add_messages(conversation_id, [("assistant", f"Added {entry.cite()} to your impact "
                                              f"log: {entry.title}", {"entry_id": entry.id})])
    return entry


class ChatSummary(BaseModel):
    id: int
    title: str
    updated_at: str
    messages: int


def conversations(ctx: Context) -> list[ChatSummary]:
    """The saved chats, oldest first."""
    return [ChatSummary(id=c.id, title=c.title, updated_at=c.updated_at,
                        messages=len(ctx.store.messages(c.id)))
            for c in ctx.store.conversations(KIND)]
