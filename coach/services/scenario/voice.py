"""The counterpart's voice: one reply, from the model, checked by the scenario guard, asked again
once with what was wrong, else the move's prepared line with a notice saying so.

The streaming itself (the worker thread, stall timers, the sentence cap, holding back what could
be the brief) is the promotion meeting's (`ManagerVoice._stream`); what differs is the check
(the scenario guard, with the turn's facts and stance) and the words: the counterpart is the
offer's manager or HR partner, or the interviewer, never "the manager" by default.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from types import SimpleNamespace
from typing import cast

from coach.domain.roleplay import GuardVerdict, Meeting
from coach.domain.scenario import ScenarioDirective, ScenarioGuard, fixes, plain_reasons
from coach.domain.text import words
from coach.llm.base import LLM, Message, retry_notice
from coach.prompts import Prompt
from coach.services.roleplay.replies import EventSink, ManagerReply, ReplyEvent, TokenSink
from coach.services.roleplay.voice import RETRY_TEMPERATURE, ManagerVoice, _Attempt


class ScenarioVoice(ManagerVoice):
    """Writes the counterpart's reply to one line: the model's, checked, or the prepared line."""

    def __init__(self, llm: LLM, prompt: Prompt, guard: ScenarioGuard, max_sentences: int, who: str):
        # `_stream` reads only the sentence cap from the meeting: a stand-in carries it.
        stand_in = SimpleNamespace(params=SimpleNamespace(max_sentences=max_sentences))
        super().__init__(llm, prompt, guard, cast(Meeting, stand_in))
        self.scenario_guard = guard
        self.who = who

    def reply(self, line: str, directive: ScenarioDirective, messages: list[Message],  # type: ignore[override]
              heard: str, said: Sequence[str], on_token: TokenSink | None, cancel: threading.Event | None,
              emit: EventSink) -> ManagerReply:
        events: list[ReplyEvent] = []

        def event(kind: str, reason: str = "", text: str = "") -> None:
            events.append(ReplyEvent(kind=kind, reason=reason, text=text))
            emit(events[-1])

        def check(attempt: _Attempt) -> GuardVerdict | None:
            if attempt.error or attempt.stalled:
                return None
            return self.scenario_guard.check(attempt.text, user_line=line, heard=heard, said=said,
                                             ask=directive.asks, must_say=directive.must_say,
                                             must_not=directive.must_not)

        first = self._stream(messages, self.prompt.defaults.temperature, on_token, cancel)
        if first.cancelled:
            return self._cancelled(directive, first.text, events)  # type: ignore[arg-type]
        checked = check(first)
        if checked is not None and checked.ok:
            first.show_rest(on_token)
            seen = first.shown if on_token else first.text
            return ManagerReply(text=checked.text, move=directive.move, streamed=first.text,
                                replaced=words(checked.text) != words(seen), events=events,
                                notice=retry_notice(first.notes))
        why = self._scenario_why(first, checked)
        if first.error:
            event("model-error", first.error)
        elif first.stalled:
            event("stalled", why)
        elif checked is not None:
            event("rejected", "; ".join(checked.reasons))
        second, again = None, None
        if not first.stalled:  # a stalled model would only stall again
            told = fixes(checked.breaks if checked else (), self.who)
            note = f"{directive.retry_note or directive.note} {told}".strip()
            asked = self.prompt.render_user(line=line, note=note)
            retry: list[Message] = [*messages[:-1], {"role": "user", "content": asked}]
            again = self._stream(retry, RETRY_TEMPERATURE, None, cancel)
            if again.cancelled:
                return self._cancelled(directive, first.text, events)  # type: ignore[arg-type]
            second = check(again)
        if again is not None and second is not None and second.ok:
            event("regenerated", text=second.text)
            notice = (f"The model's first reply failed, so it was asked again: {first.error}"
                      if first.error else retry_notice(first.notes + again.notes))
            return ManagerReply(text=second.text, move=directive.move, streamed=first.text, replaced=True,
                                replaced_why=f"{why}; the model was asked again", events=events,
                                notice=notice)
        if again is not None:
            if again.error or again.stalled:
                event("model-error" if again.error else "stalled",
                      again.error or self._scenario_why(again, None))
            elif second is not None:
                event("rejected", "; ".join(second.reasons))
        failed = first.error or (again.error if again else "")
        stalled = first.stalled or (again.stalled if again else 0.0)
        event("fallback", f"{why}; using a prepared line", directive.fallback)
        if failed:
            notice = f"The model could not be reached, so the {self.who} used a prepared line: {failed}"
        elif stalled:
            notice = (f"The model stalled (no words for {stalled:g} s), so the {self.who} used a "
                      "prepared line.")
        else:
            notice = f"The model's reply broke role twice, so the {self.who} used a prepared line."
        return ManagerReply(text=directive.fallback, move=directive.move, fallback=True, streamed=first.text,
                            replaced=True, replaced_why=f"{why}; a prepared line was used",
                            stalled=bool(stalled), events=events, notice=notice)

    def _scenario_why(self, attempt: _Attempt, verdict: GuardVerdict | None) -> str:
        if attempt.stalled:
            return f"the model stalled (no words for {attempt.stalled:g} s)"
        if attempt.error or verdict is None:
            return "the model could not be reached"
        return plain_reasons(verdict.breaks, self.who)
