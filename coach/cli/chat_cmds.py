"""`coach chat`: one turn with --message, or a conversation in the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import textwrap
import threading
from typing import TYPE_CHECKING

from coach.cli.common import Result, add_command, text, today_option
from coach.domain.errors import CoachError
from coach.domain.limits import check_length
from coach.services.context import Context

if TYPE_CHECKING:
    from coach.services.chat import ChatTurn

# The chat service brings its rules, retrieval and prompt: imported when the command runs.


def _sources_text(turn: ChatTurn) -> str:
    """The cited passages under the answer: label, then the passage text itself."""
    from coach.domain.chat import plain

    lines = ["Sources:"]
    for c in turn.citations:
        lines.append(f"  {c.label()}")
        lines += textwrap.wrap(plain(c.text), width=88, initial_indent="      ",
                               subsequent_indent="      ")
    return "\n".join(lines)


def _turn_extras(turn: ChatTurn) -> str:
    """What follows the answer: its sources, its notice, a proposed log entry."""
    from coach.services.chat import entry_preview

    parts = [_sources_text(turn)] if turn.citations else []
    if turn.notice:
        parts.append(f"Note: {turn.notice}")
    if turn.proposed_entry:
        parts.append(f"That sounds like a win for your log: {entry_preview(turn.proposed_entry)}")
    return "\n\n".join(parts)


def _chat(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import chat as chat_svc

    if args.accept_entry:
        if args.conversation is None:
            raise CoachError("--accept-entry needs --conversation ID")
        entry = chat_svc.accept_proposed_entry(ctx, args.conversation)
        return Result(entry, f"Added {entry.cite()} to your impact log: {entry.title}")
    if args.message is not None:
        turn = chat_svc.chat_turn(ctx, args.message, args.conversation, today=args.today)
        extras = _turn_extras(turn)
        text = turn.answer + (f"\n\n{extras}" if extras else "")
        if turn.proposed_entry:
            text += (f"\nTo add it: coach chat --accept-entry --conversation "
                     f"{turn.conversation_id}")
        return Result(turn, text)
    if getattr(args, "json", False):
        raise CoachError("--json needs --message TEXT (one turn) or --accept-entry")
    return Result(None, _repl(ctx, args.conversation, args.today))


def _run_turn(ctx: Context, line: str, conversation_id: int | None,
              today: dt.date | None) -> ChatTurn | None:
    """Run one turn in a worker so Ctrl-C can stop the answer without killing the chat."""
    from coach.services import chat as chat_svc

    cancel = threading.Event()
    box: dict[str, object] = {}

    def write(piece: str) -> None:
        sys.stdout.write(piece)
        sys.stdout.flush()

    def work() -> None:
        try:
            check_length("message", line)
            box["turn"] = chat_svc.chat_turn(ctx, line, conversation_id, on_token=write,
                                             cancel=cancel, today=today)
        except BaseException as exc:  # handed to the main thread: never lost in the worker
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        try:
            worker.join(0.1)
        except KeyboardInterrupt:
            cancel.set()
            sys.stdout.write("\n[stopping...]\n")
    error = box.get("error")
    if isinstance(error, CoachError):
        print(f"\ncoach: error: {error}", file=sys.stderr)
        return None
    if isinstance(error, BaseException):
        raise error
    return box.get("turn")  # type: ignore[return-value]


def _repl(ctx: Context, conversation_id: int | None, today: dt.date | None) -> str:
    from coach.services import chat as chat_svc

    print("Promotion coach chat. Ask anything about your case; `/log <win>` drafts a log "
          "entry; `/quit` leaves.")
    threading.Thread(target=chat_svc.warm_chat, args=(ctx,), daemon=True).start()
    while True:
        try:
            line = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        sys.stdout.write("coach> ")
        turn = _run_turn(ctx, line, conversation_id, today)
        if turn is None:
            continue
        conversation_id = turn.conversation_id
        extras = _turn_extras(turn.model_copy(update={"proposed_entry": None}))
        if extras:
            print("\n\n" + extras)
        if turn.proposed_entry:
            print(f"\nProposed entry: {turn.proposed_entry.title}"
                  + (f" ({turn.proposed_entry.metric})" if turn.proposed_entry.metric else ""))
            try:
                yes = input("Add this to your impact log? [y/N] ").strip().lower() in ("y", "yes")
            except (EOFError, KeyboardInterrupt):
                yes = False
            if yes:
                entry = chat_svc.accept_proposed_entry(ctx, conversation_id)
                print(f"Added {entry.cite()}.")
    return f"Chat saved as conversation {conversation_id}." if conversation_id else ""


# -- registration ---------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "chat", _chat, model=True,
                    help="ask the coach (cites the guides); interactive unless --message")
    p.add_argument("--message", type=text("message"),
                   help="one turn: the question or `/log <win>`")
    p.add_argument("--conversation", type=int, metavar="ID", help="continue this chat")
    p.add_argument("--accept-entry", action="store_true",
                   help="save the entry the chat proposed in --conversation")
    today_option(p)
