"""A live mock meeting: one user line in, the manager's validated reply out, every turn saved.

`RolePlaySession` keeps the books: the plan's state, the history the model reads, the
transcript, the store, the end and its scorecard. `ManagerVoice` (voice.py) writes one reply.
Every turn is saved as it happens, so an interrupted meeting loses nothing.

What the model reads: the instructions, then the user's profile, log and what the manager would
name as data blocks (the system message, the same all meeting), the opening as the manager's
first message, then the meeting so far. An off-script line (an attempt to rewrite the manager,
abuse, nonsense) gets the plan's in-role reaction and reaches the model only as a placeholder.

A turn runs through this module, voice.py, the meeting plan and the role guard; nothing else
of role-play is on its path.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Sequence
from typing import Any

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.limits import BUDGET, check_length
from coach.domain.roleplay import (
    AUTO,
    OFF_SCRIPT,
    OFF_SCRIPT_HISTORY,
    Difficulty,
    Meeting,
    Move,
    RoleGuard,
    Turn,
    off_script,
    pick_facts,
)
from coach.domain.text import clean_line, numbers_in
from coach.llm.base import Message
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.roleplay.history import RolePlayResult, get_session
from coach.services.roleplay.replies import EventSink, ManagerReply, TokenSink
from coach.services.roleplay.scoring import score_transcript
from coach.services.roleplay.voice import ManagerVoice

MANAGER_PROMPT = "manager"
MAX_LINE_CHARS = BUDGET["line"]


def _instruction_lines(system: str) -> list[str]:
    """The rule lines of the rendered instructions: quoting them is revealing the brief."""
    skip = ("- ", "Your decision:")
    return [line for line in system.splitlines() if line.strip() and not line.startswith(skip)]


def _without_examples(text: str) -> str:
    """`text` without its quoted example lines."""
    return re.sub(r'\s*"[^"]*"', "", text)


class TurnTaking:
    """The turn every live role-play runs once its plan has decided the move: the prepared line
    or the voice's checked reply, the closing line appended, then the turn saved. Used by the
    promotion meeting and by the offer and interview scenarios (coach.services.scenario)."""

    ctx: Context
    id: int
    prompt: Any
    system: str
    history: list[Message]
    transcript: list[Turn]
    notices: list[str]
    voice: Any

    def _take_turn(self, plan: Any, line: str, directive: Any, on_token: TokenSink | None,
                   cancel: threading.Event | None, on_event: EventSink | None) -> ManagerReply:
        """The reply to `line` under `directive` (a plan's directive), saved unless cancelled."""
        if not directive.needs_model:
            reply = ManagerReply(text=directive.fallback, move=directive.move, streamed=directive.fallback)
            if on_token:
                on_token(directive.fallback)
            # What the model will read of this turn: never the text of an off-script line.
            user_content = OFF_SCRIPT_HISTORY if directive.off_script else line
        else:
            user_content = self.prompt.render_user(line=line, note=directive.note)
            messages: list[Message] = [{"role": "system", "content": self.system}, *self.history,
                                       {"role": "user", "content": user_content}]
            heard = " ".join(t.text for t in self.transcript if t.speaker == "you") + " " + line
            said = [t.text for t in self.transcript if t.speaker == "manager"]
            reply = self.voice.reply(line, directive, messages, heard, said, on_token, cancel,
                                     on_event or (lambda event: None))
            if reply.cancelled:
                return reply
            if directive.closing:
                reply.text = f"{reply.text} {directive.closing}"
                if on_token:
                    on_token(" " + directive.closing)
        reply.ended = directive.state.ended
        self._commit(plan, line, user_content, directive, reply)
        return reply

    def _commit(self, plan: Any, line: str, user_content: str, directive: Any,
                reply: ManagerReply) -> None:
        plan.commit(directive, said=reply.text)
        self.history += [{"role": "user", "content": user_content},
                         {"role": "assistant", "content": reply.text}]
        violations = sorted({r for e in reply.events if e.kind == "rejected" for r in e.reason.split("; ")})
        user_turn = Turn(speaker="you", text=line, move=OFF_SCRIPT if directive.off_script else "")
        their_turn = Turn(speaker="manager", text=reply.text, fallback=reply.fallback,
                          move=directive.move, violations=violations, replaced_why=reply.replaced_why,
                          stalled=reply.stalled)
        self.transcript += [user_turn, their_turn]
        if reply.notice and reply.notice not in self.notices:
            self.notices.append(reply.notice)
        self.ctx.store.add_messages(self.id, [("user", line, user_turn.meta()),
                                              ("assistant", reply.text, their_turn.meta())])


class RolePlaySession(TurnTaking):
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
        # What the guard keeps the manager from reading out: the brief without its data, and the
        # decision's wording guide without its example line (the manager may well say that one).
        guarded = {**meeting.prompt_vars(), "answer_how": _without_examples(meeting.persona.answer_note)}
        instructions = self.prompt.render_system(**guarded, data="")
        self.system = self.prompt.render_system(**meeting.prompt_vars(), data=meeting.data_blocks())
        # The meeting as the model reads it: the opening, then each line and reply.
        self.history: list[Message] = [{"role": "assistant", "content": meeting.opening}]
        self.transcript: list[Turn] = [Turn(speaker="manager", text=meeting.opening, move="opening")]
        self.notices: list[str] = []
        self._warm_lock = threading.Lock()
        self._warming: threading.Thread | None = None  # the one warming thread, while it runs
        self._warm_next: str | None = None  # the draft it reads next; None: nothing left to read
        self.result: RolePlayResult | None = None
        known: set[str] = set()
        for e in self.entries:
            known |= numbers_in(f"{e.title} {e.metric} {e.description}")
        self.guard = RoleGuard(
            response_type=meeting.persona.type,
            manager_name=meeting.profile.manager_name,
            user_name=meeting.profile.name,
            hidden=[*meeting.hidden_text(), *_instruction_lines(instructions)],
            known_figures=known | meeting.known_figures(),
            max_sentences=meeting.params.max_sentences,
            conveys=meeting.persona.conveys,
            user_claims=[f.first_person for f in pick_facts(self.entries, len(self.entries))],
            entry_titles=[e.title for e in self.entries],
        )
        self.voice = ManagerVoice(self.llm, self.prompt, self.guard, meeting)
        ctx.store.add_messages(self.id, [("assistant", meeting.opening, self.transcript[0].meta())])

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

    def warm(self, draft: str = "") -> bool:
        """Let the embedded model read the meeting so far while the user reads and types.

        The brief and the opening before the first turn; after a turn, the history too, so the
        next turn only reads the new line. That matters most after a reply was replaced (regenerated or a
        prepared line): the server's cache then holds text the user never saw. `draft` is the
        line as typed so far: read now, only the note (and what was typed since) is left to read
        once it is sent. Faces call this in the background; a no-op for hosted models.
        """
        warm = getattr(self.llm, "warm", None)
        if warm is None:
            return False
        messages: list[Message] = [{"role": "system", "content": self.system}, *self.history]
        line = clean_line(draft or "")
        if line and len(line) <= BUDGET["line"] and not off_script(line):
            messages.append({"role": "user", "content": line})
        try:
            return bool(warm(messages))
        except Exception:  # warming is an optimisation only
            return False

    def warm_in_background(self, draft: str = "") -> threading.Thread | None:
        """`warm()` on a daemon thread, as the faces do at the start, after every reply and
        while a line is being typed.

        One warming at a time: a call while one runs only leaves its draft for the next round,
        so a burst of keystrokes costs one reading of the latest text. If the line is sent
        before a warming finished, the turn waits for it on the model server but is spared
        the same reading, so the wait is hardly longer.
        """
        if self.ended or getattr(self.llm, "warm", None) is None:
            return None
        with self._warm_lock:
            self._warm_next = draft
            if self._warming is None:
                self._warming = threading.Thread(target=self._warm_latest, name="coach-warm", daemon=True)
                self._warming.start()
            return self._warming

    def _warm_latest(self) -> None:
        while True:
            with self._warm_lock:
                draft, self._warm_next = self._warm_next, None
                if draft is None or self.ended:
                    self._warming = None
                    return
            self.warm(draft)

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
        with self._warm_lock:  # a draft not read yet is stale now: the turn reads the line itself
            self._warm_next = None
        directive = self.meeting.plan(line)
        return self._take_turn(self.meeting, line, directive, on_token, cancel, on_event)

    # -- the end ----------------------------------------------------------------------------
    def end(self) -> RolePlayResult:
        """Close the meeting (with the manager's closing line if needed), score it and save."""
        if self.result is not None:
            return self.result
        if not self.meeting.state.ended and len(self.transcript) > 1:
            closing = Turn(speaker="manager", text=self.meeting.closing_line(), move=Move.CLOSE)
            self.transcript.append(closing)
            self.ctx.store.add_messages(self.id, [("assistant", closing.text, closing.meta())])
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
