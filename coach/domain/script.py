"""The talk track for the promotion meeting, filled with the user's own facts.

Six steps in the order the conversation guidance sets out: appreciation, the goal with
the exact title, the case (two or three strongest quantified entries), a request for
feedback, the timeline, and thanks with a written follow-up. The lines are spoken to the
manager, so they name work by its title, never by the log's entry numbers (`cites` keeps
those for the view).
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from coach.domain.emails import first_name
from coach.domain.evidence import Entry
from coach.domain.guard import (
    Violation,
    check_prose,
    facts_from,
    future_done_problems,
    internal_ids,
    manager_voice,
    too_long,
)
from coach.domain.markup import defuse_markdown
from coach.domain.profile import Profile
from coach.domain.proposal import strongest
from coach.domain.text import numbers_in

STEPS: tuple[tuple[str, str], ...] = (
    ("appreciation", "Open with appreciation"),
    ("goal", "State the goal"),
    ("case", "Make the case"),
    ("feedback", "Ask for their view"),
    ("timeline", "Agree a timeline"),
    ("close", "Thank and follow up"),
)
CASE_ENTRIES = 3
LINE_MAX_WORDS = 90


class ScriptLine(BaseModel):
    step: str
    label: str
    text: str
    cites: list[int] = Field(default_factory=list)


class TalkScript(BaseModel):
    target_title: str
    timeline: str
    lines: list[ScriptLine]
    case_entries: list[int]

    def text(self) -> str:
        out = [f"Talk track: the {self.target_title} conversation", ""]
        for i, line in enumerate(self.lines, start=1):
            out += [f"{i}. {line.label}", f"   {line.text}", ""]
        return defuse_markdown("\n".join(out).rstrip())  # shown as Markdown: user text stays text

    def with_texts(self, texts: dict[str, str]) -> TalkScript:
        lines = [ln.model_copy(update={"text": texts.get(ln.step, ln.text).strip() or ln.text})
                 for ln in self.lines]
        return self.model_copy(update={"lines": lines})


def build_script(profile: Profile, entries: list[Entry], timeline: str) -> TalkScript:
    """The deterministic talk track; `timeline` comes from the proposal's ask."""
    manager = f", {first_name(profile.manager_name)}" if profile.manager_name else ""
    case = strongest([e for e in entries if e.quantified], n=CASE_ENTRIES)
    if case:
        parts = [f"{e.title}: {e.metric}" for e in case]
        case_text = ("Here is what makes me ready. " + "; ".join(parts) +
                     ". I have written it up in a short document I can share.")
    else:
        case_text = ("I am still gathering measured results; here is the work I am proudest "
                     "of so far, and I have written it up in a short document I can share.")
    texts = {
        "appreciation": f"Thank you for making time for this{manager}. I appreciate the support "
                        "and the stretch work you have given me.",
        "goal": f"I would like to move into the {profile.target_title} role, and I want to talk "
                "about what it would take to get there.",
        "case": case_text,
        "feedback": "How do you see it? Which gaps would I need to close, and can you point to "
                    "an example?",
        "timeline": f"I am aiming for the change to take effect {timeline}. What would a "
                    "realistic timeline look like, and when do nominations close?",
        "close": "Thank you for your time and for being open with me. I will send a short "
                 "summary of what we agreed by email tomorrow.",
    }
    lines = [ScriptLine(step=step, label=label, text=texts[step],
                        cites=[e.id for e in case] if step == "case" else [])
             for step, label in STEPS]
    return TalkScript(target_title=profile.target_title, timeline=timeline, lines=lines,
                      case_entries=[e.id for e in case])


def validate_script(texts: dict[str, str], script: TalkScript, profile: Profile,
                    entries: list[Entry]) -> list[Violation]:
    """Checks on model-polished lines: every step present and each keeps its facts."""
    problems: list[Violation] = []
    missing = [s for s, _ in STEPS if not texts.get(s, "").strip()]
    if missing:
        return [Violation(code="structure", detail=f"missing steps: {', '.join(missing)}",
                          phrase="dropped a step of the talk track")]
    facts = facts_from(profile, entries).allow_text(script.text())
    joined = "\n".join(texts[s] for s, _ in STEPS)
    problems += check_prose(joined, facts) + manager_voice(joined) + internal_ids(joined)
    problems += future_done_problems(texts["case"], entries)
    for step, _ in STEPS:
        problems += too_long(texts[step], LINE_MAX_WORDS, f"the '{step}' line")
    if profile.target_title.lower() not in texts["goal"].lower():
        problems.append(Violation(code="wrong-title", detail=(
            f"the goal does not name '{profile.target_title}'"), phrase="lost the target title"))
    by_id = {e.id: e for e in entries}
    for entry_id in script.case_entries:
        needed = numbers_in(by_id[entry_id].metric)
        if not needed <= numbers_in(texts["case"]):
            problems.append(Violation(code="missing-metric", detail=(
                f"the case lost the result of '{by_id[entry_id].title}' ({by_id[entry_id].metric})"),
                phrase="dropped a measured result"))
    stated = script.timeline.removeprefix("by ").removeprefix("at the ")
    if not re.search(re.escape(stated.split()[0]), texts["timeline"], re.IGNORECASE):
        problems.append(Violation(code="no-timeline", detail=(
            f"the timeline line does not mention {stated}"), phrase="dropped the timeline"))
    if "?" not in texts["feedback"]:
        problems.append(Violation(code="missing-element", detail=(
            "the feedback step asks no question"), phrase="stopped asking for feedback"))
    if not re.search(r"\bthank", texts["close"], re.IGNORECASE):
        problems.append(Violation(code="missing-element", detail="the close does not thank",
                                  phrase="dropped the thanks"))
    return problems
