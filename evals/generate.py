"""Live generation: produce each case's output through the same service functions the CLI
and the UI call, on a throw-away data home per case, and wrap it as a Recording.

Every case gets its own home (profile + impact log from the dataset) so no case sees
another's artifacts; they share one model, one judge and one knowledge index built from
the bundled guides only (never the user's own documents, so retrieval is repeatable).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.evals import adapters
from coach.evals.schema import Cited, Output, OutputKind, PromptInfo, Recording, Sample, TranscriptLine
from coach.llm.base import LLM, PromptRef
from coach.services.context import Context

RULES_MODEL = "none (rules)"


class RecordingLLM:
    """Passes every call through to the real model and notes which prompt made it."""

    def __init__(self, inner: LLM):
        self.inner = inner
        self.model = inner.model
        self.prompts: list[PromptRef] = []

    def _note(self, prompt: PromptRef | None) -> None:
        if prompt is not None and prompt not in self.prompts:
            self.prompts.append(prompt)

    def complete(self, messages, *, prompt=None, **kwargs):
        self._note(prompt)
        return self.inner.complete(messages, prompt=prompt, **kwargs)

    def stream(self, messages, *, prompt=None, **kwargs):
        self._note(prompt)
        yield from self.inner.stream(messages, prompt=prompt, **kwargs)

    def structured(self, messages, schema, *, prompt=None, **kwargs):
        self._note(prompt)
        return self.inner.structured(messages, schema, prompt=prompt, **kwargs)

    def __getattr__(self, name: str) -> Any:  # warm() and whatever else a gateway offers
        return getattr(self.inner, name)


class RecordingKB:
    """The shared knowledge base, keeping the passages of the last search for the recording."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.last: list[Passage] = []

    def search(self, query: str, k: int = 5) -> list[Passage]:
        self.last = list(self.inner.search(query, k=k))
        return self.last

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Generator:
    """Generates recordings for samples; `close()` removes the scratch homes."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.workdir = Path(tempfile.mkdtemp(prefix="coach-eval-"))
        self.llm = RecordingLLM(ctx.llm)
        self.judge = RecordingLLM(ctx.judge) if ctx.judge is not ctx.llm else self.llm
        self._kb: RecordingKB | None = None

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def kb(self) -> RecordingKB:
        if self._kb is None:
            from coach.knowledge.kb import KnowledgeBase

            settings = dataclasses.replace(self.ctx.settings, home=self.workdir / "_kb", chroma_url=None)
            settings.ensure_home()
            kb = KnowledgeBase(settings)
            kb.index()
            self._kb = RecordingKB(kb)
        return self._kb

    def case_context(self, sample: Sample) -> Context:
        """A fresh home holding the case's profile and log, sharing the model and the judge."""
        settings = dataclasses.replace(self.ctx.settings, home=self.workdir / sample.id,
                                       database_url=None)
        settings.ensure_home()
        ctx = Context(settings=settings, llm_override=self.llm, judge_override=self.judge)
        ctx.store.save_profile(sample.input.profile)
        if sample.input.entries:
            ctx.store.add_entries(sample.input.entries)
        adapters.setup(ctx, sample)
        if sample.kind == OutputKind.CHAT:
            ctx.__dict__["kb"] = self.kb  # cached_property slot: share one index across cases
        return ctx

    def generate(self, sample: Sample) -> Recording:
        """Run the case through its service and wrap what the user would see."""
        ctx = self.case_context(sample)
        self.llm.prompts.clear()
        started = time.perf_counter()
        output = ADAPTERS[sample.kind](ctx, sample, self)
        # An output made without asking the model (a rules-only kind, or a role-play that ended
        # on prepared lines) names no model.
        model = RULES_MODEL if sample.kind.is_deterministic or not self.llm.prompts else self.llm.model
        return Recording(
            case_id=sample.id, kind=sample.kind, output=output, model=model,
            prompts=[PromptInfo(name=p.name, version=p.version) for p in self.llm.prompts
                     if p.name != "eval_judge"],
            recorded_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            latency_s=round(time.perf_counter() - started, 2))


# -- one adapter per output kind ------------------------------------------------------------
Adapter = Callable[[Context, Sample, Generator], Output]


def _proposal(ctx: Context, sample: Sample, gen: Generator) -> Output:
    from coach.services.proposal import draft_proposal

    result = draft_proposal(ctx, today=sample.input.today)
    return Output(text=result.markdown, notice=result.notice or "", data={
        "source": result.source, "violations": result.violations, "flags": len(result.flags),
        "timeline": result.ask.timeline})


def _email(ctx: Context, sample: Sample, gen: Generator) -> Output:
    from coach.services.emails import draft_email

    task = sample.input.task
    result = draft_email(ctx, task.kind.value, reason=task.reason or None, summary=task.notes or None,
                         today=sample.input.today, out_dir=ctx.settings.exports_dir)
    return Output(text=f"Subject: {result.subject}\n\n{result.body}", notice=result.notice or "", data={
        "source": result.source, "violations": result.violations, "subject": result.subject,
        "body": result.body, "to": result.to, "checks": result.checks,
        "revisit": result.revisit.isoformat() if result.revisit else None})


def _script(ctx: Context, sample: Sample, gen: Generator) -> Output:
    from coach.services.script import talk_script

    result = talk_script(ctx, today=sample.input.today)
    return Output(text=result.text, notice=result.notice or "", data={
        "source": result.source, "violations": result.violations, "timeline": result.timeline,
        "lines": [line.model_dump() for line in result.lines]})


def _chat(ctx: Context, sample: Sample, gen: Generator) -> Output:
    from coach.services.chat import chat_turn

    turn = chat_turn(ctx, sample.input.task.question, today=sample.input.today)
    passages = [Cited(source=c.source, section=c.section, text=c.text, label=f"[{c.n}]")
                for c in turn.citations]
    return Output(text=turn.answer, citations=passages, notice=turn.notice or "", data={
        "source": "model" if any(s.origin == "model" for s in turn.sentences) else "guidance",
        "rule": turn.rule, "cited": [c.n for c in turn.citations], "answer": turn.answer})


def _roleplay(ctx: Context, sample: Sample, gen: Generator) -> Output:
    from coach.services.roleplay import run_script

    task = sample.input.task
    if task.response_type is None or not task.user_turns:
        raise CoachError(f"case {sample.id}: a role-play needs response_type and user_turns")
    result = run_script(ctx, task.user_turns, response=task.response_type.value,
                        difficulty=task.difficulty, seed=zlib.crc32(sample.id.encode()) % 1_000_000,
                        today=sample.input.today)
    turns = [TranscriptLine(role="user" if t.speaker == "you" else "manager", content=t.text)
             for t in result.transcript]
    text = "\n".join(f"{'You' if t.role == 'user' else 'Manager'}: {t.content}" for t in turns)
    fallbacks = sum(1 for t in result.transcript if t.speaker == "manager" and t.fallback)
    return Output(text=text, transcript=turns, notice=" ".join(result.notices), data={
        "source": "partial" if fallbacks else "model", "fallback_turns": fallbacks,
        "response_type": task.response_type.value,
        "violations": sorted({v for t in result.transcript for v in t.violations}),
        "scorecard": result.scorecard.model_dump(mode="json") if result.scorecard else None,
        "unused_lines": result.unused_lines})


ADAPTERS: dict[OutputKind, Adapter] = {
    OutputKind.PROPOSAL: _proposal,
    OutputKind.MEETING_REQUEST: _email,
    OutputKind.FOLLOW_UP: _email,
    OutputKind.DECLINE: _email,
    OutputKind.THANK_YOU: _email,
    OutputKind.SCRIPT: _script,
    OutputKind.CHAT: _chat,
    OutputKind.ROLEPLAY: _roleplay,
    OutputKind.STAKEHOLDERS: adapters.stakeholders,
    OutputKind.OFFER_CHECK: adapters.offer_check,
    OutputKind.OPTIONS: adapters.options,
    OutputKind.KIT: adapters.kit,
    OutputKind.AGREED_PLAN: adapters.agreed_plan,
    OutputKind.OFFER_CONFIRMATION: adapters.offer_confirmation,
    OutputKind.HELPER_THANKS: adapters.helper_thanks,
    OutputKind.OFFER_ROLEPLAY: adapters.scenario("offer"),
    OutputKind.INTERVIEW_ROLEPLAY: adapters.scenario("interview"),
}
