"""Preparation-chat use cases: one grounded, cited turn; warming the model for a chat; accepting
a proposed log entry; the saved chats."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from pydantic import BaseModel

from coach.domain.chat import (
    AnswerSentence,
    ChatRole,
    context_block,
    is_log_command,
    looks_like_win,
    propose_entry,
)
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, EntryDraft
from coach.domain.text import clean_block
from coach.services.chat.retrieval import retrieve
from coach.services.chat.turn import ChatTurn, answer_turn, chat_prompt
from coach.services.context import Context
from coach.services.inputs import today_or

__all__ = ["KIND", "ChatSummary", "ChatTurn", "accept_proposed_entry", "chat_turn",
           "conversations", "entry_preview", "retrieve", "warm_chat"]

log = logging.getLogger(__name__)

KIND = "chat"
HISTORY_MESSAGES = 4  # two exchanges: enough for a follow-up, little for the model to re-read
_ROLES: dict[str, ChatRole] = {"user": "user", "assistant": "assistant"}  # the ones the model reads
MAX_MESSAGE = 4000


def _history(ctx: Context, conversation_id: int) -> list[tuple[ChatRole, str]]:
    stored = ctx.store.messages(conversation_id, last=HISTORY_MESSAGES)
    return [(_ROLES[m.role], m.meta.get("body", m.content)) for m in stored if m.role in _ROLES]


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


def entry_preview(draft: EntryDraft) -> str:
    metric = f" - metric: {draft.metric}" if draft.metric else " - no metric yet"
    return f"{draft.date.isoformat()} [{draft.kind.value}] {draft.title}{metric}"


def warm_chat(ctx: Context) -> bool:
    """Have the model read the chat's fixed start (rules, the user's profile and log) before
    the first question, so the first answer starts sooner. Never raises; False when the
    model keeps no prompt cache (hosted models) or could not be reached."""
    warm = getattr(ctx.llm, "warm", None)
    if warm is None:
        return False
    _, system = chat_prompt()
    context = context_block(ctx.store.get_profile(), ctx.store.list_entries())
    try:
        return bool(warm([{"role": "system", "content": system},
                          {"role": "user", "content": context}]))
    except Exception:  # warming is an optimisation only
        log.debug("warming the chat failed", exc_info=True)
        return False


def chat_turn(ctx: Context, message: str, conversation_id: int | None = None,
              on_token: Callable[[str], None] | None = None,
              cancel: threading.Event | None = None,
              today: dt.date | None = None) -> ChatTurn:
    """Answer one message from the guidance's rules, the guides and the user's own facts.

    Args:
        message: the user's question, or `/log <what you did>` to draft a log entry.
        conversation_id: continue this chat; None starts a new one.
        on_token: called with each piece of the answer as it is shown: the grounded part
            at once, then each checked sentence of the model's part.
        cancel: set it to stop the answer; what was shown so far is kept and marked.
        today: the date a proposed entry and a timing check count from.
    """
    message = clean_block(message)[:MAX_MESSAGE]
    if not message:
        raise CoachError("the message is empty", code="empty", field="message",
                         hint="Type a question first.")
    today = today_or(today)
    conv_id = _conversation(ctx, conversation_id, message)
    proposed = propose_entry(message, today) if looks_like_win(message) else None

    if is_log_command(message):
        if proposed is None:
            raise CoachError("nothing to log", field="message", hint="Write what you did after "
                             "/log, e.g. /log cut build time 30% by caching dependencies.")
        text = f"Here is the entry I would add to your impact log: {entry_preview(proposed)}"
        if on_token:
            on_token(text)
        turn = ChatTurn(answer=text, sentences=[AnswerSentence(text=text, origin="profile")],
                        conversation_id=conv_id, proposed_entry=proposed)
        _save(ctx, turn, message)
        return turn

    turn = answer_turn(ctx, message, _history(ctx, conv_id), on_token=on_token,
                          cancel=cancel, today=today)
    turn = turn.model_copy(update={"conversation_id": conv_id, "proposed_entry": proposed})
    _save(ctx, turn, message)
    return turn


def _save(ctx: Context, turn: ChatTurn, message: str) -> None:
    meta = {"body": turn.answer, "citations": [c.model_dump() for c in turn.citations],
            "sentences": [s.model_dump() for s in turn.sentences], "rule": turn.rule,
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
