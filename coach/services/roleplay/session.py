"""A live mock meeting: one user line in, the manager's validated reply out, every turn saved.

`RolePlaySession` keeps the books: the plan's state, the history the model reads, the
transcript, the store, the end and its scorecard. `ManagerVoice` writes one reply: it streams
the model's words into a buffer (tokens go to `on_token` as they come, the brief never
shown), checks the full reply with the role guard, asks once more if it broke role, and
otherwise falls back to the persona's own line for the planned move (`fallback=True`).
Every turn is saved as it happens, so an interrupted meeting loses nothing.

A turn runs through this module, the meeting plan and the role guard; nothing else of
role-play is on its path.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.injection import StreamGuard
from coach.domain.limits import BUDGET, check_length
from coach.domain.roleplay import (
    AUTO,
    BRIEF_SPAN,
    Difficulty,
    Directive,
    Meeting,
    Move,
    RoleGuard,
    Turn,
    pick_facts,
)
from coach.domain.text import clean_line, numbers_in
from coach.llm.base import LLM, LLMError, Message, collect_notes, retry_notice
from coach.prompts import Prompt, load_prompt
from coach.services.context import Context
from coach.services.roleplay.history import RolePlayResult, get_session
from coach.services.roleplay.replies import EventSink, ManagerReply, ReplyEvent, TokenSink
from coach.services.roleplay.scoring import score_transcript

MANAGER_PROMPT = "manager"
MAX_LINE_CHARS = BUDGET["line"]
RETRY_TEMPERATURE = 0.6  # the same prompt at the same low temperature tends to repeat the slip


def _system_hidden(system: str) -> list[str]:
    """The rule lines of the rendered system prompt: quoting them is revealing the brief."""
    skip = ("- ", "Your decision:", "You opened the meeting")
    return [line for line in system.splitlines() if line.strip() and not line.startswith(skip)]


class ManagerVoice:
    """Writes the manager's reply to one line: the model's, checked, or the move's prepared line."""

    def __init__(self, llm: LLM, prompt: Prompt, guard: RoleGuard, meeting: Meeting):
        self.llm = llm
        self.prompt = prompt
        self.guard = guard
        self.meeting = meeting

    def reply(self, line: str, directive: Directive, messages: list[Message], heard: str,
              on_token: TokenSink | None, cancel: threading.Event | None, emit: EventSink) -> ManagerReply:
        """The reply to `line`; `messages` end with the user turn as the model reads it."""
        defaults = self.prompt.defaults
        events: list[ReplyEvent] = []
        # What the user is told about the model itself: retries that worked, or why it failed.
        model_notes: list[str] = []
        failures: list[str] = []
        pieces: list[str] = []
        shown = StreamGuard(self.guard.hidden, n=BRIEF_SPAN)  # the brief never streams, even briefly
        try:
            for piece in collect_notes(self.llm.stream(
                    messages, prompt=self.prompt.ref, max_tokens=defaults.max_tokens,
                    temperature=defaults.temperature, cancel=cancel), model_notes):
                pieces.append(piece)
                if on_token and (visible := shown.feed(piece)):
                    on_token(visible)
        except LLMError as exc:  # a cut part-way keeps what was shown: the UI swaps it below
            failures.append(exc.message)
            events.append(ReplyEvent(kind="model-error", reason=str(exc)))
            emit(events[-1])
        streamed = "".join(pieces)
        if cancel is not None and cancel.is_set():
            return self._cancelled(directive, streamed, events)
        answer = directive.move is Move.ANSWER
        verdict = (self.guard.check(streamed, user_line=line, heard=heard, answer=answer)
                   if streamed and not failures else None)
        if verdict is not None and verdict.ok:
            if on_token and (rest := shown.rest()):
                on_token(rest)
            return ManagerReply(text=verdict.text, move=directive.move, streamed=streamed,
                                replaced=verdict.text != streamed.strip(), events=events,
                                notice=retry_notice(model_notes))
        if verdict is not None:
            events.append(ReplyEvent(kind="rejected", reason="; ".join(verdict.reasons)))
            emit(events[-1])
        # One more try, not streamed: the UI already shows the rejected text and will swap it.
        retry_note = (f"{directive.note} Reply only as {self.meeting.manager_name}, speaking to "
                      f"{self.meeting.user_name}.")
        retry_messages = [*messages[:-1], {"role": "user", "content": self.prompt.render_user(
            line=line, note=retry_note, manager_name=self.meeting.manager_name)}]
        try:
            again = self.llm.complete(retry_messages, prompt=self.prompt.ref,
                                      max_tokens=defaults.max_tokens, temperature=RETRY_TEMPERATURE)
            model_notes += again.notes
            second = self.guard.check(again.text, user_line=line, heard=heard, answer=answer)
        except LLMError as exc:
            second = None
            failures.append(exc.message)
            events.append(ReplyEvent(kind="model-error", reason=str(exc)))
            emit(events[-1])
        if cancel is not None and cancel.is_set():  # stopped while the retry was running
            return self._cancelled(directive, streamed, events)
        if second is not None and second.ok:
            events.append(ReplyEvent(kind="regenerated", text=second.text))
            emit(events[-1])
            notice = (f"The model's first reply failed, so it was asked again: {failures[0]}"
                      if failures else retry_notice(model_notes))
            return ManagerReply(text=second.text, move=directive.move, streamed=streamed, replaced=True,
                                events=events, notice=notice)
        if second is not None:
            events.append(ReplyEvent(kind="rejected", reason="; ".join(second.reasons)))
            emit(events[-1])
        why = "the model could not be reached" if failures else "the model's replies broke role twice"
        events.append(ReplyEvent(kind="fallback", text=directive.fallback,
                                 reason=f"{why}; using a prepared line"))
        emit(events[-1])
        notice = (f"The model could not be reached, so the manager used a prepared line: {failures[-1]}"
                  if failures else "The model's reply broke role twice, so the manager used a prepared line.")
        return ManagerReply(text=directive.fallback, move=directive.move, fallback=True, streamed=streamed,
                            replaced=True, events=events, notice=notice)

    @staticmethod
    def _cancelled(directive: Directive, streamed: str, events: list[ReplyEvent]) -> ManagerReply:
        return ManagerReply(text="", move=directive.move, streamed=streamed, cancelled=True,
                            events=[*events, ReplyEvent(kind="cancelled")])


class RolePlaySession:
    """One live meeting. `say()` per user line; `end()` when done (idempotent)."""

    def __init__(self, ctx: Context, meeting: Meeting, *, requested: str, entries: Sequence[Entry],
                 conversation_id: int, today: dt.date):
        self.ctx = ctx
        self.llm = ctx.llm  # one model for the whole meeting
        self.meeting = meeting
        self.requested = requested
        self.entries = list(entries)
        self.id = conversation_id
        self.today = today
        self.prompt = load_prompt(MANAGER_PROMPT)
        self.system = self.prompt.render_system(**meeting.prompt_vars())
        self.history: list[Message] = []
        self.transcript: list[Turn] = [Turn(speaker="manager", text=meeting.opening, move="opening")]
        self.notices: list[str] = []
        self.result: RolePlayResult | None = None
        known: set[str] = set()
        for e in self.entries:
            known |= numbers_in(f"{e.title} {e.metric} {e.description}")
        self.guard = RoleGuard(
            response_type=meeting.persona.type,
            manager_name=meeting.profile.manager_name,
            user_name=meeting.profile.name,
            hidden=[*meeting.hidden_text(), *_system_hidden(self.system)],
            known_figures=known | meeting.known_figures(),
            max_sentences=meeting.params.max_sentences,
            answer_markers=meeting.persona.markers,
            user_claims=[f.first_person for f in pick_facts(self.entries, len(self.entries))],
        )
        self.voice = ManagerVoice(self.llm, self.prompt, self.guard, meeting)
        ctx.store.add_messages(self.id, [("assistant", meeting.opening, {"speaker": "manager",
                                                                          "move": "opening"})])

    # -- what the faces read ----------------------------------------------------------------
    @property
    def opening(self) -> str:
        return self.meeting.opening

    @property
    def ended(self) -> bool:
        return self.meeting.state.ended or self.result is not None

    @property
    def visible_type(self) -> str:
        """The answer type if the user may know it yet: `auto` stays hidden until the end."""
        if self.requested == AUTO and self.result is None:
            return AUTO
        return self.meeting.persona.type.value

    @property
    def difficulty(self) -> Difficulty:
        return self.meeting.params.level

    def warm(self) -> bool:
        """Let the embedded model read the meeting so far while the user reads and types.

        The brief before the first turn; after a turn, the history too, so the next turn only
        reads the new line. That matters most after a reply was replaced (regenerated or a
        prepared line): the server's cache then holds text the user never saw. Faces call this
        in the background; a no-op for hosted models.
        """
        warm = getattr(self.llm, "warm", None)
        if warm is None:
            return False
        try:
            return bool(warm([{"role": "system", "content": self.system}, *self.history]))
        except Exception:  # warming is an optimisation only
            return False

    def warm_in_background(self) -> threading.Thread | None:
        """`warm()` on a daemon thread, as the faces do at the start and after every reply.

        If the next line comes before it finished, that turn waits for it on the model server
        but is spared the same reading, so the wait is hardly longer.
        """
        if self.ended or getattr(self.llm, "warm", None) is None:
            return None
        thread = threading.Thread(target=self.warm, name="coach-warm", daemon=True)
        thread.start()
        return thread

    # -- one turn ---------------------------------------------------------------------------
    def say(self, text: str, *, on_token: TokenSink | None = None, cancel: threading.Event | None = None,
            on_event: EventSink | None = None) -> ManagerReply:
        """The manager's reply to one user line, validated; nothing is recorded if cancelled."""
        if self.ended:
            raise CoachError("this meeting has ended", hint="Start a new role-play to practise again.")
        line = clean_line(text or "")
        if not line:
            raise CoachError("say something first", hint="Type what you would say to your manager.")
        check_length("line", line)
        directive = self.meeting.plan(line)
        if not directive.needs_model:
            reply = ManagerReply(text=directive.fallback, move=directive.move, streamed=directive.fallback)
            if on_token:
                on_token(directive.fallback)
            user_content = line
        else:
            user_content = self.prompt.render_user(
                line=line, note=directive.note, manager_name=self.meeting.manager_name)
            messages: list[Message] = [{"role": "system", "content": self.system}, *self.history,
                                       {"role": "user", "content": user_content}]
            heard = " ".join(t.text for t in self.transcript if t.speaker == "you") + " " + line
            reply = self.voice.reply(line, directive, messages, heard, on_token, cancel,
                                     on_event or (lambda event: None))
            if reply.cancelled:
                return reply
            if directive.closing:
                reply.text = f"{reply.text} {directive.closing}"
                if on_token:
                    on_token(" " + directive.closing)
        reply.ended = directive.state.ended
        self._commit(line, user_content, directive, reply)
        return reply

    def _commit(self, line: str, user_content: str, directive: Directive, reply: ManagerReply) -> None:
        self.meeting.commit(directive)
        self.history += [{"role": "user", "content": user_content},
                         {"role": "assistant", "content": reply.text}]
        violations = sorted({r for e in reply.events if e.kind == "rejected" for r in e.reason.split("; ")})
        user_turn = Turn(speaker="you", text=line)
        manager_turn = Turn(speaker="manager", text=reply.text, fallback=reply.fallback,
                            move=directive.move, violations=violations)
        self.transcript += [user_turn, manager_turn]
        if reply.notice and reply.notice not in self.notices:
            self.notices.append(reply.notice)
        self.ctx.store.add_messages(self.id, [
            ("user", line, {"speaker": "you"}),
            ("assistant", reply.text, {"speaker": "manager", "fallback": reply.fallback,
                                       "move": str(directive.move), "violations": violations}),
        ])

    # -- the end ----------------------------------------------------------------------------
    def end(self) -> RolePlayResult:
        """Close the meeting (with the manager's closing line if needed), score it and save."""
        if self.result is not None:
            return self.result
        if not self.meeting.state.ended and len(self.transcript) > 1:
            closing = self.meeting.closing_line()
            self.transcript.append(Turn(speaker="manager", text=closing, move=Move.CLOSE))
            self.ctx.store.add_messages(self.id, [("assistant", closing, {"speaker": "manager",
                                                                          "move": "close"})])
        self.meeting.state.ended = True
        card = score_transcript(self.ctx, self.transcript, self.meeting.profile, self.entries,
                                self.meeting.persona.type, self.difficulty, self.today)
        self.ctx.store.save_scorecard(self.id, card.score, card.model_dump(mode="json"))
        meta = self.ctx.store.get_conversation(self.id).meta
        meta.update(status="done", revealed=True, score=card.score)
        self.ctx.store.update_conversation(self.id, meta)
        self.result = get_session(self.ctx, self.id)
        self.result.notices = list(self.notices)
        return self.result
