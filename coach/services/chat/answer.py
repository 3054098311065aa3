"""The model's part of a chat answer: streamed, cut into sentences, each checked before it is
shown (coach.domain.grounding), within the answer's word budget."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from coach.domain.chat import AnswerSentence, answer_problems
from coach.domain.grounding import SentenceBuffer, Source, check_sentence, clean, without_markers
from coach.llm.base import LLMError, Message, collect_notes, retry_notice
from coach.prompts import Prompt
from coach.services.context import Context

log = logging.getLogger(__name__)


class Removed(BaseModel):
    """A sentence the model wrote that the user was not shown, and why."""

    text: str
    reason: str
    broke: str = Field("", description="The hard rule it broke (a leak, a link, a decision, "
                       "a figure nobody gave), in a notice's words; '' if it merely had no "
                       "source, took the wrong stance or repeated itself.")


@dataclass
class Checks:
    """What the model's sentences are checked against."""

    sources: list[Source]
    stance: str | None
    question: str
    instructions: list[str]
    known: str


@dataclass
class ModelPart:
    """The sentences of the model's answer that passed, and what happened on the way."""

    sentences: list[AnswerSentence] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    failure: str | None = None
    notes: list[str] = field(default_factory=list)

    def notice(self, *, after_rule: bool) -> str | None:
        """What the user is told about the model's part ('' when all went well).

        Args:
            after_rule: a rule's answer stands, so a model that failed only could not add to it.
        """
        if self.failure is None:
            broke = ", ".join(dict.fromkeys(r.broke for r in self.removed if r.broke))
            left_out = f"Part of the model's answer was left out: it {broke}." if broke else ""
            return " ".join(n for n in (retry_notice(self.notes), left_out) if n) or None
        if self.sentences:
            return f"The model's part of the answer stops part-way: {self.failure}"
        if after_rule:
            return f"The model could not add to this answer: {self.failure}"
        return f"The model could not answer ({self.failure}), so these are the guides' own words."


def word_count(text: str) -> int:
    """Words as the user counts them: citation markers are not words."""
    return len(without_markers(text).split())


def stream_checked(ctx: Context, prompt: Prompt, messages: list[Message], checks: Checks, *,
                   shown: list[str], budget: int, max_tokens: int,
                   on_sentence: Callable[[AnswerSentence], None],
                   cancel: threading.Event | None = None) -> ModelPart:
    """Stream the model's answer and pass on each sentence that passes its checks.

    A sentence is held until it is complete and checked, so nothing unchecked and nothing
    unfinished is ever shown. The stream stops (and the model with it) once the next
    sentence would take the answer past `budget` words, or when `cancel` is set.

    Args:
        shown: the sentences already on screen (a sentence repeating one is dropped); the
            sentences shown here are appended to it.
        budget: words the whole answer may still use.
    """
    part = ModelPart()
    buffer = SentenceBuffer()
    used = 0

    def take(raw: str) -> bool:
        """Check one sentence; False once the budget is spent."""
        nonlocal used
        text = clean(raw)
        problems = answer_problems(text, instructions=checks.instructions, known=checks.known)
        verdict = check_sentence(text, sources=checks.sources, stance=checks.stance,
                                 question=checks.question, shown=shown, problems=problems)
        if not verdict.keep:
            part.removed.append(Removed(text=verdict.text, reason=verdict.reason,
                                        broke=", ".join(dict.fromkeys(p.phrase for p in problems))))
            return True
        size = word_count(verdict.text)
        if used + size > budget:
            part.removed.append(Removed(text=verdict.text, reason="past the answer's length"))
            return False
        used += size
        sentence = AnswerSentence(text=verdict.text, sources=verdict.cites, origin="model")
        part.sentences.append(sentence)
        shown.append(verdict.text)
        on_sentence(sentence)
        return True

    stream = collect_notes(ctx.llm.stream(messages, prompt=prompt.ref, max_tokens=max_tokens,
                                          temperature=prompt.defaults.temperature,
                                          cancel=cancel), part.notes)
    going = True
    try:
        for piece in stream:
            going = all(take(raw) for raw in buffer.feed(piece))
            if not going or (cancel is not None and cancel.is_set()):
                break
    except LLMError as exc:  # the user is told; the sentences shown so far stand
        part.failure = str(exc)
    finally:
        stream.close()  # stops the model when we stopped reading
    stopped = not going or (cancel is not None and cancel.is_set())
    if not stopped:
        last, unfinished = buffer.finish()
        for raw in last:
            take(raw)
        if unfinished:
            part.removed.append(Removed(text=unfinished, reason="unfinished: the model stopped "
                                        "in the middle of it"))
    if part.removed:
        log.info("chat: %d model sentence(s) withheld: %s", len(part.removed),
                 "; ".join(r.reason for r in part.removed))
    return part
