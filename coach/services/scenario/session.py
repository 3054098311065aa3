"""A live scenario: one user line in, the counterpart's checked reply out, every turn saved.

The same shape as the promotion meeting (`coach.services.roleplay.session`): the plan decides
the move, the model words it (`ScenarioVoice`), the guard checks it; each turn is saved as it
happens, so an interrupted session loses nothing; `end()` scores it and saves the scorecard.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.limits import BUDGET, check_length
from coach.domain.offer import Offer
from coach.domain.responses import Difficulty
from coach.domain.roleplay import Scorecard, Turn, off_script, pick_facts
from coach.domain.scenario import (
    CLOSE,
    InterviewPlan,
    OfferPlan,
    ScenarioGuard,
    score_interview,
    score_offer,
)
from coach.domain.text import clean_line, numbers_in
from coach.llm.base import Message
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.roleplay.history import RolePlayResult, get_session
from coach.services.roleplay.replies import EventSink, ManagerReply, TokenSink
from coach.services.roleplay.session import TurnTaking
from coach.services.scenario.voice import ScenarioVoice

SCENARIO_PROMPT = "scenario"


def _instruction_lines(system: str) -> list[str]:
    """The rule lines of the rendered instructions: quoting them is revealing the brief."""
    return [line for line in system.splitlines() if line.strip() and not line.startswith("Your manner:")]


class ScenarioSession(TurnTaking):
    """One live scenario. `say()` per user line; `end()` when done (idempotent)."""

    def __init__(self, ctx: Context, plan: OfferPlan | InterviewPlan, *, entries: Sequence[Entry],
                 offer: Offer | None, conversation_id: int, today: dt.date, notices: Sequence[str] = ()):
        self.ctx = ctx
        self.llm = ctx.llm
        self.plan = plan
        self.scenario: str = plan.scenario
        self.entries = list(entries)
        self.offer = offer
        self.id = conversation_id
        self.today = today
        self.prompt = load_prompt(SCENARIO_PROMPT)
        self.who = plan.counterpart.label
        instructions = self.prompt.render_system(**plan.prompt_vars(), data="")
        self.system = self.prompt.render_system(**plan.prompt_vars(), data=plan.data_blocks())
        self.history: list[Message] = [{"role": "assistant", "content": plan.opening}]
        self.transcript: list[Turn] = [Turn(speaker="manager", text=plan.opening, move="opening")]
        self.notices: list[str] = list(notices)
        self.result: RolePlayResult | None = None
        known = set(plan.known_figures())
        if self.scenario == "interview":  # the interviewer read the CV: the log's figures are known
            for e in self.entries:
                known |= numbers_in(f"{e.title} {e.metric}")
        profile = plan.profile
        self.guard = ScenarioGuard(
            manager_name=profile.manager_name if self.who == "manager" else self.who,
            user_name=profile.name, hidden=[*plan.hidden_text(), *_instruction_lines(instructions)],
            known_figures=known, max_sentences=plan.max_sentences, scenario=self.scenario,
            allow_heard=self.scenario == "interview",
            user_claims=[f.first_person for f in pick_facts(self.entries, len(self.entries))],
            entry_titles=[e.title for e in self.entries])
        self.voice = ScenarioVoice(self.llm, self.prompt, self.guard, plan.max_sentences, self.who)
        self._warming: threading.Thread | None = None
        ctx.store.add_messages(self.id, [("assistant", plan.opening, self.transcript[0].meta())])

    # -- what the faces read ----------------------------------------------------------------
    @property
    def opening(self) -> str:
        return self.plan.opening

    @property
    def difficulty(self) -> Difficulty:
        return self.plan.level

    @property
    def ended(self) -> bool:
        return self.plan.state.ended or self.result is not None

    def warm_in_background(self, draft: str = "") -> threading.Thread | None:
        """Let the embedded model read the conversation so far (and `draft`, the line as typed)
        while the user types; a no-op for models that cannot be warmed; one warming at a time."""
        warm = getattr(self.llm, "warm", None)
        if warm is None or self.ended or (self._warming is not None and self._warming.is_alive()):
            return None
        messages: list[Message] = [{"role": "system", "content": self.system}, *self.history]
        line = clean_line(draft or "")
        if line and len(line) <= BUDGET["line"] and not off_script(line):
            messages.append({"role": "user", "content": line})

        def run() -> None:
            try:
                warm(messages)
            except Exception:  # warming is an optimisation only
                pass

        self._warming = threading.Thread(target=run, name="coach-warm", daemon=True)
        self._warming.start()
        return self._warming

    # -- one turn ---------------------------------------------------------------------------
    def say(self, text: str, *, on_token: TokenSink | None = None, cancel: threading.Event | None = None,
            on_event: EventSink | None = None) -> ManagerReply:
        """The counterpart's reply to one user line, checked; nothing is recorded if cancelled."""
        if self.ended:
            raise CoachError("this conversation has ended", code="ended",
                             hint="Start a new role-play to practise again.")
        line = clean_line(text or "")
        if not line:
            raise CoachError("say something first", code="empty", field="line",
                             hint="Type what you would say.")
        check_length("line", line)
        directive = self.plan.plan(line)
        return self._take_turn(self.plan, line, directive, on_token, cancel, on_event)

    # -- the end ----------------------------------------------------------------------------
    def scorecard(self) -> Scorecard:
        """The scorecard of the conversation so far (rules only; nothing saved)."""
        level = self.plan.level.value
        if isinstance(self.plan, OfferPlan):
            return score_offer(self.transcript, self.offer, level)
        facts = pick_facts(self.entries, len(self.entries))
        return score_interview(self.transcript, self.plan.profile, self.entries, facts, level)

    def end(self) -> RolePlayResult:
        """Close the conversation (with the counterpart's closing line if needed), score it, save."""
        if self.result is not None:
            return self.result
        if not self.plan.state.ended and len(self.transcript) > 1:
            closing = Turn(speaker="manager", text=self.plan.closing_line(), move=CLOSE)
            self.transcript.append(closing)
            self.ctx.store.add_messages(self.id, [("assistant", closing.text, closing.meta())])
        self.plan.state.ended = True
        card = self.scorecard()
        self.ctx.store.save_scorecard(self.id, card.score, card.model_dump(mode="json"))
        meta = self.ctx.store.get_conversation(self.id).meta
        meta.update(status="done", score=card.score)
        self.ctx.store.update_conversation(self.id, meta)
        self.result = get_session(self.ctx, self.id)
        self.result.notices = list(self.notices)
        return self.result
