"""One chat turn, facts first.

When a rule of the guidance answers the question (coach.domain.advice), its answer, applied
to the user's own profile and log, is shown at once with the passages it rests on; the
model then adds at most a sentence or two for the user's situation. Otherwise the best
guide sentence is shown at once in the guide's own words and the model answers from one or
two short passages. Either way every sentence the model writes is checked before it is
shown (services.chat.answer), and if nothing of the model's passes, the answer is the
guides' own words with a notice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from pydantic import BaseModel, Field

from coach.domain.advice import Advice, Stance, advise
from coach.domain.chat import (
    FALLBACK_PASSAGES,
    PASSAGE_CHARS,
    AnswerSentence,
    ChatRole,
    Citation,
    build_messages,
    citations_for,
    context_block,
    guide_quotes,
    log_summary,
    mark,
    passages_block,
    profile_block,
)
from coach.domain.evidence import EntryDraft
from coach.domain.expectations import Expectation
from coach.domain.grounding import Source
from coach.domain.injection import DATA_RULE, instruction_text
from coach.domain.passage import Passage
from coach.domain.profile import Profile
from coach.prompts import Prompt, load_prompt
from coach.services.chat.answer import Checks, ModelPart, Removed, stream_checked, word_count
from coach.services.chat.retrieval import retrieve_or_note
from coach.services.context import Context

WORD_LIMIT = 150  # the whole answer, rule and model together
RULE_TOKENS = 60  # the model's part after a rule's answer: a sentence or two
MODEL_PASSAGES = 2  # passages the model reads when no rule answers
FALLBACK_NOTICE = ("The model's answer did not pass the checks, so these are the guides' own "
                   "words.")
STOPPED = "Stopped: the answer may be incomplete."
NO_ANSWER = ("There is no checked answer to that in the guides. Ask it another way, or search "
             "the guides for it.")


class ChatTurn(BaseModel):
    """One answered turn, as shown and stored."""

    answer: str = Field(..., description="The answer as shown, with [n] citation markers.")
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list, description="The cited passages.")
    rule: str | None = Field(None, description="The guidance rule that answered, if one did.")
    stance: Stance | None = None
    removed: list[Removed] = Field(default_factory=list,
                                   description="Model sentences withheld, with the reason.")
    conversation_id: int
    proposed_entry: EntryDraft | None = None
    notice: str | None = None
    cancelled: bool = False


def chat_prompt() -> tuple[Prompt, str]:
    """The chat prompt and its rendered system message (the same every turn)."""
    prompt = load_prompt("chat")
    return prompt, prompt.render_system(data_rule=DATA_RULE)


def _numbers(passages: list[Passage]) -> dict[tuple[str, str], int]:
    numbers: dict[tuple[str, str], int] = {}
    for i, p in enumerate(passages, start=1):
        numbers.setdefault((p.source, p.section), i)
    return numbers


def grounded_part(advice: Advice | None, passages: list[Passage],
                  question: str) -> list[AnswerSentence]:
    """What is shown at once: the rule's answer cited to its passages, or without a rule the
    best sentence of the best guide passage the model will read."""
    if advice is None:
        return guide_quotes(passages[:MODEL_PASSAGES], question, limit=1)
    numbers = _numbers(passages)
    out = []
    for line in advice.lines:
        n = numbers.get((line.rests_on.source, line.rests_on.section)) if line.rests_on else None
        out.append(AnswerSentence(text=mark(line.text, n) if n else line.text,
                                  sources=[n] if n else [], origin=line.origin))
    return out


def _model_input(prompt: Prompt, advice: Advice | None, grounded: list[AnswerSentence],
                 passages: list[Passage], question: str) -> tuple[str, int]:
    if advice is not None:
        said = " ".join(s.text for s in grounded if s.origin == "rule")
        return (prompt.render_user(material=f"The coach's answer: {said}\n", question=question),
                RULE_TOKENS)
    block = passages_block(passages[:MODEL_PASSAGES])
    material = f"{block}\n" if block else ""
    return prompt.render_user(material=material, question=question), prompt.defaults.max_tokens


def _checks(prompt: Prompt, advice: Advice | None, grounded: list[AnswerSentence],
            passages: list[Passage], question: str, context: str) -> Checks:
    read = passages if advice is not None else passages[:MODEL_PASSAGES]
    sources = [Source(text=p.text, n=i) for i, p in enumerate(read, start=1)]
    sources += [Source(text=s.text, n=s.sources[0] if s.sources else None, kind="rule")
                for s in grounded if s.origin == "rule"]
    sources.append(Source(text=context, kind="profile"))
    known = "\n".join([question, context, *(s.text for s in grounded),
                       *(p.text[:PASSAGE_CHARS * 2] for p in read)])
    instructions = instruction_text(prompt.system)
    return Checks(sources=sources, stance=advice.stance if advice else None, question=question,
                  instructions=instructions, known=known)


def answer_turn(ctx: Context, question: str, history: list[tuple[ChatRole, str]],
                on_token: Callable[[str], None] | None = None,
                cancel: threading.Event | None = None,
                today: dt.date | None = None) -> ChatTurn:
    """Answer `question`; the turn has conversation id 0 (the caller saves it). `history` is
    the conversation so far, (role, text), oldest first."""
    profile, entries = ctx.store.get_profile(), ctx.store.list_entries()
    advice = advise(question, profile, entries, today=today,
                    expectations=_own_expectations(ctx, profile))
    passages, note = retrieve_or_note(ctx, question, advice.rests_on if advice else [])
    grounded = grounded_part(advice, passages, question)
    shown_text: list[str] = []

    def show(sentence: AnswerSentence) -> None:
        if on_token:
            on_token((" " if shown_text else "") + sentence.text)
        shown_text.append(sentence.text)

    for sentence in grounded:
        show(sentence)
    prompt, system = chat_prompt()
    context = context_block(profile, entries)
    turn_text, max_tokens = _model_input(prompt, advice, grounded, passages, question)
    messages = build_messages(system, context, history, turn_text)
    checks = _checks(prompt, advice, grounded, passages, question,
                     f"{profile_block(profile)}\n{log_summary(entries)}")
    budget = WORD_LIMIT - sum(word_count(s.text) for s in grounded)
    part = ModelPart()
    if not (cancel is not None and cancel.is_set()):
        part = stream_checked(ctx, prompt, messages, checks, shown=[s.text for s in grounded],
                              budget=budget, max_tokens=max_tokens, on_sentence=show,
                              cancel=cancel)
    cancelled = bool(cancel is not None and cancel.is_set())
    sentences = [*grounded, *part.sentences]
    notes = [n for n in (note, part.notice(after_rule=advice is not None)) if n]
    if advice is None and not part.sentences and not cancelled:
        # Too little left: the guides' own words answer, after the one already shown.
        for sentence in _guides_words(passages, question, shown_text, bool(grounded)):
            show(sentence)
            sentences.append(sentence)
        if part.failure is None:
            notes.append(FALLBACK_NOTICE)
    if cancelled:
        notes.append(STOPPED)
    cited = {n for s in sentences for n in s.sources}
    citations = [c for c in citations_for(passages) if c.n in cited]
    turn = ChatTurn(answer=" ".join(s.text for s in sentences), sentences=sentences,
                    citations=citations, rule=advice.rule if advice else None,
                    stance=advice.stance if advice else None, removed=part.removed,
                    conversation_id=0, notice=" ".join(notes) or None, cancelled=cancelled)
    return turn


def _guides_words(passages: list[Passage], question: str, shown: list[str],
                  anything_shown: bool) -> list[AnswerSentence]:
    quotes = guide_quotes(passages[:MODEL_PASSAGES + 1], question, limit=FALLBACK_PASSAGES + 1)
    more = [s for s in quotes if s.text not in shown][:FALLBACK_PASSAGES]
    if more or anything_shown:
        return more
    return [AnswerSentence(text=NO_ANSWER, origin="guide")]


def _own_expectations(ctx: Context, profile: Profile | None) -> list[Expectation] | None:
    """The user's own expectations for their transition, if they set any."""
    if profile is None:
        return None
    from coach.services.readiness import load_expectations

    listing = load_expectations(ctx, profile.transition.value)
    return listing.items if listing.custom else None
