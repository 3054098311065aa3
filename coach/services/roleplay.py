"""Role-play use cases: rehearse the promotion meeting with a mock manager, then score it.

A session streams each manager reply into a buffer (tokens go to `on_token` as they come),
checks the full reply with the role guard, regenerates once if it broke role, and otherwise
falls back to the persona's own line for the planned move (`fallback=True`). Every turn is
saved as it happens, so an interrupted meeting loses nothing; `end()` scores and saves the
scorecard.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.injection import StreamGuard
from coach.domain.personas import (
    AUTO,
    Difficulty,
    ResponseType,
    parse_difficulty,
    parse_response_type,
    persona_for,
)
from coach.domain.profile import Profile
from coach.domain.readiness import assess_readiness
from coach.domain.role_guard import BRIEF_SPAN, RoleGuard
from coach.domain.roleplay import (
    Directive,
    Meeting,
    Move,
    Turn,
    choose_response_type,
    pick_facts,
    specifics_for,
)
from coach.domain.scorecard import (
    Check,
    JudgeQuestion,
    JudgeVerdict,
    Scorecard,
    ScoreInput,
    apply_judge,
    build_scorecard,
    rule_checks,
)
from coach.domain.text import clean_line, numbers_in
from coach.domain.timing import assess_timing
from coach.llm.base import LLMError, Message, StructuredFailure, collect_notes, retry_notice
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.drafting import load_inputs
from coach.services.roleplay_history import KIND, RolePlayResult, get_session

MANAGER_PROMPT = "manager"
JUDGE_PROMPT = "scorecard_judge"
MAX_SCRIPT_LINES = 200
MAX_LINE_CHARS = 2000
RETRY_TEMPERATURE = 0.6  # the same prompt at the same low temperature tends to repeat the slip

TokenSink = Callable[[str], None]


class ReplyEvent(BaseModel):
    """Something the UI should know about a reply beyond its tokens."""

    kind: Literal["rejected", "regenerated", "fallback", "model-error", "cancelled"]
    reason: str = ""
    text: str = Field("", description="The text the user should now see, if it changed.")


class ManagerReply(BaseModel):
    """The manager's validated reply to one user line."""

    text: str
    move: str
    fallback: bool = False
    streamed: str = Field("", description="What was streamed before validation.")
    replaced: bool = Field(False, description="The streamed text was rejected: show `text` instead.")
    events: list[ReplyEvent] = Field(default_factory=list)
    ended: bool = False
    cancelled: bool = False
    notice: str = ""


# -- scripts ---------------------------------------------------------------------------------
def parse_script(text: str, name: str = "script") -> list[str]:
    """User lines from a script's text: one per line; blank lines and #comments are skipped."""
    raw = text.replace("\r\n", "\n").split("\n")
    if len(raw) > MAX_SCRIPT_LINES:
        raise CoachError(f"{name} has {len(raw)} lines; the limit is {MAX_SCRIPT_LINES}",
                         hint="A meeting is a handful of lines: split or shorten the script.")
    lines = [clean_line(r) for r in raw]
    lines = [r for r in lines if r and not r.startswith("#")]
    if not lines:
        raise CoachError(f"{name} has no lines to say",
                         hint="Write one thing you would say per line; # starts a comment.")
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise CoachError(f"line {number} of {name} is {len(line)} characters long",
                             hint=f"Keep each line under {MAX_LINE_CHARS} characters.")
    return lines


def load_script(path: str | Path) -> list[str]:
    """Read a role-play script file; every way it can be unusable is a clear CoachError."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise CoachError(f"script file {file} does not exist",
                         hint="Pass a text file with one line per thing you would say.")
    data = file.read_bytes()
    if b"\x00" in data:
        raise CoachError(f"script file {file} looks binary",
                         hint="Use a plain text file, one line per thing you would say.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoachError(f"script file {file} is not UTF-8 text (byte {exc.start})",
                         hint="Save it as UTF-8 and try again.") from None
    return parse_script(text, f"script file {file.name}")


# -- the session -----------------------------------------------------------------------------
def _system_hidden(system: str) -> list[str]:
    """The rule lines of the rendered system prompt: quoting them is revealing the brief."""
    skip = ("- ", "Your decision:", "You opened the meeting")
    return [line for line in system.splitlines() if line.strip() and not line.startswith(skip)]


class RolePlaySession:
    """One live meeting. `say()` per user line; `end()` when done (idempotent)."""

    def __init__(self, ctx: Context, meeting: Meeting, *, requested: str, entries: Sequence[Entry],
                 conversation_id: int, today: dt.date):
        self.ctx = ctx
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
        warm = getattr(self.ctx.llm, "warm", None)
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
        if self.ended or getattr(self.ctx.llm, "warm", None) is None:
            return None
        thread = threading.Thread(target=self.warm, name="coach-warm", daemon=True)
        thread.start()
        return thread

    # -- one turn ---------------------------------------------------------------------------
    def say(self, text: str, *, on_token: TokenSink | None = None, cancel: threading.Event | None = None,
            on_event: Callable[[ReplyEvent], None] | None = None) -> ManagerReply:
        """The manager's reply to one user line, validated; nothing is recorded if cancelled."""
        if self.ended:
            raise CoachError("this meeting has ended", hint="Start a new role-play to practise again.")
        line = clean_line(text or "")
        if not line:
            raise CoachError("say something first", hint="Type what you would say to your manager.")
        if len(line) > MAX_LINE_CHARS:
            raise CoachError(f"that line is {len(line)} characters long",
                             hint=f"Keep it under {MAX_LINE_CHARS} characters: this is a conversation.")
        directive = self.meeting.plan(line)
        emit = on_event or (lambda event: None)
        if not directive.needs_model:
            reply = ManagerReply(text=directive.fallback, move=directive.move, streamed=directive.fallback)
            if on_token:
                on_token(directive.fallback)
            user_content = line
        else:
            user_content = self.prompt.render_user(
                line=line, note=directive.note, manager_name=self.meeting.manager_name)
            reply = self._generate(line, user_content, directive, on_token, cancel, emit)
            if reply.cancelled:
                return reply
            if directive.closing:
                reply.text = f"{reply.text} {directive.closing}"
                if on_token:
                    on_token(" " + directive.closing)
        reply.ended = directive.state.ended
        self._commit(line, user_content, directive, reply)
        return reply

    def _generate(self, line: str, user_content: str, directive: Directive, on_token: TokenSink | None,
                  cancel: threading.Event | None, emit: Callable[[ReplyEvent], None]) -> ManagerReply:
        messages: list[Message] = [{"role": "system", "content": self.system}, *self.history,
                                   {"role": "user", "content": user_content}]
        heard = " ".join(t.text for t in self.transcript if t.speaker == "you") + " " + line
        defaults = self.prompt.defaults
        events: list[ReplyEvent] = []
        # What the user is told about the model itself: retries that worked, or why it failed.
        model_notes: list[str] = []
        failures: list[str] = []
        pieces: list[str] = []
        shown = StreamGuard(self.guard.hidden, n=BRIEF_SPAN)  # the brief never streams, even briefly
        try:
            for piece in collect_notes(self.ctx.llm.stream(
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
            return ManagerReply(text="", move=directive.move, streamed=streamed, cancelled=True,
                                events=[*events, ReplyEvent(kind="cancelled")])
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
            again = self.ctx.llm.complete(retry_messages, prompt=self.prompt.ref,
                                          max_tokens=defaults.max_tokens, temperature=RETRY_TEMPERATURE)
            model_notes += again.notes
            second = self.guard.check(again.text, user_line=line, heard=heard, answer=answer)
        except LLMError as exc:
            second = None
            failures.append(exc.message)
            events.append(ReplyEvent(kind="model-error", reason=str(exc)))
            emit(events[-1])
        if cancel is not None and cancel.is_set():  # stopped while the retry was running
            return ManagerReply(text="", move=directive.move, streamed=streamed, cancelled=True,
                                events=[*events, ReplyEvent(kind="cancelled")])
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


def start_roleplay(ctx: Context, response: str = AUTO, difficulty: str = "realistic", *,
                   seed: int | None = None, today: dt.date | None = None) -> RolePlaySession:
    """Open a meeting with a mock manager who gives `response` (or, for `auto`, the likely answer).

    Args:
        ctx: the user's context (profile and log are read from its store).
        response: yes | not-yet | no-budget | not-ready | no-fit | auto.
        difficulty: easy | realistic | tough.
        seed: makes the manager's lines and the `auto` answer repeatable; random when None.
        today: the date readiness and timing are judged at (defaults to today).
    """
    requested = str(response).strip().lower()
    params = parse_difficulty(difficulty)
    if requested != AUTO:
        parse_response_type(requested)
    profile, entries = load_inputs(ctx)
    today = today or dt.date.today()
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    readiness = _readiness(ctx, profile, entries, today)
    if requested == AUTO:
        timing = assess_timing(profile, entries, today=today)
        response_type = choose_response_type(readiness.score if readiness else 0.0, timing.verdict, seed)
    else:
        response_type = parse_response_type(requested)
    persona = persona_for(response_type)
    gaps = [g.title for g in readiness.gaps] if readiness else []
    meeting = Meeting(persona, params, profile, pick_facts(entries, params.facts_known),
                      specifics_for(persona, gaps), seed)
    convo = ctx.store.new_conversation(KIND, title=f"Role-play: {profile.target_title}", meta={
        "requested": requested, "response_type": response_type.value, "revealed": requested != AUTO,
        "difficulty": params.level.value, "persona": f"{meeting.manager_name} ({persona.label})",
        "status": "active", "seed": seed, "model": getattr(ctx.llm, "model", ""),
    })
    return RolePlaySession(ctx, meeting, requested=requested, entries=entries,
                           conversation_id=convo.id, today=today)


def _readiness(ctx: Context, profile: Profile, entries: list[Entry], today: dt.date):
    from coach.services.readiness import load_expectations

    return assess_readiness(profile, entries, load_expectations(ctx, profile.transition).items, today=today)


def run_script(ctx: Context, lines: Sequence[str], response: str = AUTO, difficulty: str = "realistic", *,
               seed: int | None = None, today: dt.date | None = None,
               on_token: TokenSink | None = None) -> RolePlayResult:
    """Play a whole meeting from scripted user lines, then score it.

    Lines after the manager has ended the meeting are not said; `unused_lines` counts them.
    """
    session = start_roleplay(ctx, response, difficulty, seed=seed, today=today)
    unused = 0
    for line in lines:
        if line.strip().lower() == "/end":
            break
        if session.ended:
            unused += 1
            continue
        session.say(line, on_token=on_token)
    result = session.end()
    result.unused_lines = unused
    if unused:
        result.notices.append(f"The manager ended the meeting after {session.meeting.state.user_turns} "
                              f"of your lines; {unused} line(s) of the script were not said.")
    return result


# -- scoring ---------------------------------------------------------------------------------
def score_transcript(ctx: Context, turns: Sequence[Turn], profile: Profile, entries: Sequence[Entry],
                     response_type: ResponseType, difficulty: str, today: dt.date | None = None) -> Scorecard:
    """Rule checks first; the judge model for the rest. Nothing is saved here."""
    inp = ScoreInput(turns=list(turns), profile=profile, facts=pick_facts(entries, len(entries)),
                     response_type=response_type, difficulty=str(difficulty),
                     today=today or dt.date.today())
    checks, questions = rule_checks(inp)
    by_id = {q.check_id: q for q in questions}
    judged: list[Check] = []
    for check in checks:
        question = by_id.get(check.id)
        judged.append(_judge(ctx, check, question, profile) if question else check)
    return build_scorecard(inp, judged)


def _judge(ctx: Context, check: Check, question: JudgeQuestion, profile: Profile) -> Check:
    prompt = load_prompt(JUDGE_PROMPT)
    messages = prompt.render(target_title=profile.target_title, question=question.question,
                             lines="\n".join(f"- {line}" for line in question.lines) or "- (nothing)")
    try:
        reply = ctx.judge.structured(messages, JudgeVerdict, prompt=prompt.ref,
                                     max_tokens=prompt.defaults.max_tokens,
                                     temperature=prompt.defaults.temperature)
    except LLMError as exc:
        return apply_judge(check, f"the judge model failed: {exc}", question.lines)
    if isinstance(reply, StructuredFailure):
        return apply_judge(check, reply.error or "no JSON verdict", question.lines)
    return apply_judge(check, reply, question.lines)
