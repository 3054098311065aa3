"""The manager's voice: one reply to one user line, from the model, checked, or prepared.

The model's words stream to `on_token` as they come (the brief never shown, nothing past the
sentence cap), from a worker thread watched for stalls: no word for `STALL_S` seconds (the
first word: `FIRST_WORD_S`) stops the model and the move's prepared line is used. The whole
reply is checked by the role guard; a reply that breaks role is asked for once more with what
was wrong, and if that fails too the persona's prepared line for the planned move is used.
Whenever the text the user ends up with is not the text that streamed, the reply says why
(`replaced_why`), so every face can show it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.domain.injection import StreamGuard
from coach.domain.roleplay import (
    ASKING,
    BRIEF_SPAN,
    PLAIN_REASONS,
    Directive,
    GuardVerdict,
    Meeting,
    Move,
    RoleGuard,
    corrections,
)
from coach.domain.text import sentences, trim_sentences, words
from coach.llm.base import LLM, LLMError, Message, collect_notes, retry_notice
from coach.prompts import Prompt
from coach.services.roleplay.replies import EventSink, ManagerReply, ReplyEvent, TokenSink

# No word from the model for this long and it has stalled: the user should not wait on. The first
# word may take longer: the model reads the new line, and the meeting so far if it was not warmed.
FIRST_WORD_S = 30.0
STALL_S = 10.0
RETRY_TEMPERATURE = 0.6  # the same prompt at the same low temperature tends to repeat the slip
_END = object()


@dataclass
class _Attempt:
    """One model reply as it streamed."""

    text: str = ""
    shown: str = ""  # what reached the user
    error: str = ""
    stalled: float = 0.0  # seconds without a word when the model was given up on
    cancelled: bool = False
    notes: list[str] = field(default_factory=list)
    guard: StreamGuard | None = None  # holds back what could be the brief until the reply is checked

    def show(self, piece: str, on_token: TokenSink | None) -> None:
        if self.guard is not None and on_token is not None and piece and (visible := self.guard.feed(piece)):
            self.shown += visible
            on_token(visible)

    def show_rest(self, on_token: TokenSink | None) -> None:
        """Show what was held back: only once the whole reply passed the role guard."""
        if self.guard is not None and on_token is not None and (rest := self.guard.rest()):
            self.shown += rest
            on_token(rest)


class ManagerVoice:
    """Writes the manager's reply to one line: the model's, checked, or the move's prepared line."""

    def __init__(self, llm: LLM, prompt: Prompt, guard: RoleGuard, meeting: Meeting):
        self.llm = llm
        self.prompt = prompt
        self.guard = guard
        self.meeting = meeting

    def reply(self, line: str, directive: Directive, messages: list[Message], heard: str, said: Sequence[str],
              on_token: TokenSink | None, cancel: threading.Event | None, emit: EventSink) -> ManagerReply:
        """The reply to `line`; `messages` end with the user turn as the model reads it."""
        events: list[ReplyEvent] = []

        def event(kind: str, reason: str = "", text: str = "") -> None:
            events.append(ReplyEvent(kind=kind, reason=reason, text=text))
            emit(events[-1])

        first = self._stream(messages, self.prompt.defaults.temperature, on_token, cancel)
        if first.cancelled:
            return self._cancelled(directive, first.text, events)
        answer, ask = directive.move is Move.ANSWER, directive.move in ASKING
        checked = self._check(first, line, heard, answer, ask, said)
        if checked is not None and checked.ok:
            first.show_rest(on_token)
            seen = first.shown if on_token else first.text
            return ManagerReply(text=checked.text, move=directive.move, streamed=first.text,
                                replaced=words(checked.text) != words(seen), events=events,
                                notice=retry_notice(first.notes))
        why = self._why(first, checked)
        if first.error:
            event("model-error", first.error)
        elif first.stalled:
            event("stalled", why)
        elif checked is not None:  # always, once neither failed nor stalled
            event("rejected", "; ".join(checked.reasons))
        second, again = None, None
        if not first.stalled:  # a stalled model would only stall again: the user has waited enough
            fixes = corrections(checked.breaks if checked else ())
            note = f"{directive.retry_note or directive.note} {fixes}".strip()
            asked = self.prompt.render_user(line=line, note=note)
            retry: list[Message] = [*messages[:-1], {"role": "user", "content": asked}]
            again = self._stream(retry, RETRY_TEMPERATURE, None, cancel)
            if again.cancelled:
                return self._cancelled(directive, first.text, events)
            second = self._check(again, line, heard, answer, ask, said)
        if again is not None and second is not None and second.ok:
            event("regenerated", text=second.text)
            notice = (f"The model's first reply failed, so it was asked again: {first.error}"
                      if first.error else retry_notice(first.notes + again.notes))
            return ManagerReply(text=second.text, move=directive.move, streamed=first.text, replaced=True,
                                replaced_why=f"{why}; the model was asked again", events=events,
                                notice=notice)
        if again is not None:
            if again.error or again.stalled:
                event("model-error" if again.error else "stalled", again.error or self._why(again, None))
            elif second is not None:  # always, once neither failed nor stalled
                event("rejected", "; ".join(second.reasons))
        failed = first.error or (again.error if again else "")
        stalled = first.stalled or (again.stalled if again else 0.0)
        event("fallback", f"{why}; using a prepared line", directive.fallback)
        if failed:
            notice = f"The model could not be reached, so the manager used a prepared line: {failed}"
        elif stalled:
            notice = f"The model stalled (no words for {stalled:g} s), so the manager used a prepared line."
        else:
            notice = "The model's reply broke role twice, so the manager used a prepared line."
        return ManagerReply(text=directive.fallback, move=directive.move, fallback=True, streamed=first.text,
                            replaced=True, replaced_why=f"{why}; a prepared line was used",
                            stalled=bool(stalled), events=events, notice=notice)

    # -- one model reply ----------------------------------------------------------------------
    def _stream(self, messages: list[Message], temperature: float, on_token: TokenSink | None,
                cancel: threading.Event | None) -> _Attempt:
        """Stream one reply on a worker thread; stop at the sentence cap, a stall or a cancel."""
        out = _Attempt(guard=StreamGuard(self.guard.hidden, n=BRIEF_SPAN) if on_token else None)
        pieces: queue.Queue = queue.Queue()
        stop = threading.Event()
        cap = self.meeting.params.max_sentences

        def run() -> None:
            try:
                for piece in collect_notes(self.llm.stream(
                        messages, prompt=self.prompt.ref, max_tokens=self.prompt.defaults.max_tokens,
                        temperature=temperature, cancel=stop), out.notes):
                    pieces.put(piece)
                    if stop.is_set():
                        break
            except LLMError as exc:  # a cut part-way keeps what was shown: the faces swap it
                pieces.put(exc)
            finally:
                pieces.put(_END)

        threading.Thread(target=run, name="coach-manager", daemon=True).start()
        last = time.monotonic()
        while True:
            try:
                piece = pieces.get(timeout=0.1)
            except queue.Empty:
                piece = None
            if cancel is not None and cancel.is_set():
                out.cancelled = True
                break
            if piece is None:
                limit = STALL_S if out.text else FIRST_WORD_S
                if time.monotonic() - last > limit:
                    out.stalled = limit
                    break
                continue
            if piece is _END:
                break
            if isinstance(piece, LLMError):
                out.error = piece.message
                break
            last = time.monotonic()
            before, out.text = out.text, out.text + piece
            if len(sentences(out.text)) > cap:  # past the cap: the rest would be cut anyway
                out.text = trim_sentences(out.text, cap)
                out.show(out.text[len(before):] if out.text.startswith(before) else "", on_token)
                break
            out.show(piece, on_token)
        stop.set()  # the worker stops the model at its next word
        return out

    def _check(self, attempt: _Attempt, line: str, heard: str, answer: bool, ask: bool,
               said: Sequence[str]) -> GuardVerdict | None:
        if attempt.error or attempt.stalled:
            return None
        return self.guard.check(attempt.text, user_line=line, heard=heard, answer=answer, said=said, ask=ask)

    @staticmethod
    def _why(attempt: _Attempt, verdict: GuardVerdict | None) -> str:
        """Why an attempt could not be used, in the user's words."""
        if attempt.stalled:
            return f"the model stalled (no words for {attempt.stalled:g} s)"
        if attempt.error or verdict is None:
            return "the model could not be reached"
        return " and ".join(dict.fromkeys(PLAIN_REASONS[b] for b in verdict.breaks))

    @staticmethod
    def _cancelled(directive: Directive, streamed: str, events: list[ReplyEvent]) -> ManagerReply:
        return ManagerReply(text="", move=directive.move, streamed=streamed, cancelled=True,
                            events=[*events, ReplyEvent(kind="cancelled")])
