"""Talk-track use case: what to say in the promotion meeting, in the user's own facts."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.injection import data_block
from coach.domain.proposal import ask_timeline
from coach.domain.script import STEPS, ScriptLine, TalkScript, build_script, validate_script
from coach.domain.timing import assess_timing
from coach.llm.structured import extract_json
from coach.prompts import load_prompt
from coach.services.context import Context
from coach.services.drafting import polish
from coach.services.inputs import load_inputs, today_or


class ScriptResult(BaseModel):
    target_title: str
    timeline: str
    lines: list[ScriptLine]
    text: str
    notice: str | None = None
    source: Literal["model", "draft"]
    violations: list[str] = Field(default_factory=list)
    version: int = 0


def _texts(reply: str) -> dict[str, str] | None:
    try:
        data = extract_json(reply)
    except ValueError:
        return None
    if not all(isinstance(data.get(step), str) for step, _ in STEPS):
        return None
    return {step: " ".join(data[step].split()) for step, _ in STEPS}


def _result(script: TalkScript, **fields) -> ScriptResult:
    return ScriptResult(target_title=script.target_title, timeline=script.timeline,
                        lines=script.lines, text=script.text(), **fields)


def talk_script(ctx: Context, today: dt.date | None = None, *, use_model: bool = True,
                on_draft: Callable[[ScriptResult], None] | None = None,
                cancel: threading.Event | None = None) -> ScriptResult:
    """The six-step talk track; the model may reword it, the guard keeps its facts.

    Args:
        on_draft: called at once with the deterministic track (version 0, not saved yet).
        cancel: set to stop the model; the draft is then returned unsaved (version 0).
    """
    today = today_or(today)
    profile, entries = load_inputs(ctx)
    timing = assess_timing(profile, entries, today=today)
    timeline, _, _ = ask_timeline(profile, timing, today)
    script = build_script(profile, entries, timeline)
    if on_draft is not None:
        on_draft(_result(script, source="draft"))
    final, notice, violations, source = script, None, [], "draft"
    if use_model:
        lines = "\n".join(f"{step}: {line.text}" for step, line in
                          zip((s for s, _ in STEPS), script.lines, strict=True))
        outcome = polish(ctx, load_prompt("script"), {"lines": data_block("talk track", lines)},
                         parse=_texts,
                         validate=lambda texts: validate_script(texts, script, profile, entries),
                         what="talk track", fallback="the track built from your log",
                         cancel=cancel)
        if outcome.stopped:
            return _result(script, source="draft", notice=outcome.notice)
        if outcome.value is not None:
            final, source = script.with_texts(outcome.value), "model"
        notice, violations = outcome.notice, outcome.violations
    artifact = ctx.store.save_artifact("script", "talk-track", final.text(),
                                       {"source": source, "notice": notice})
    return _result(final, notice=notice, source=source, violations=violations,
                   version=artifact.version)
