"""Checks for the talk track: the six steps of the conversation, each doing its job.

1 appreciation, 2 the goal with the exact title, 3 the case with the user's own figures,
4 a question asking for feedback, 5 a timeline, 6 thanks and a written follow-up. Each
step is checked on its own line when the output is split into steps (the service's
`lines`, or numbered blocks in the text), else on the whole text.
"""

from __future__ import annotations

import re

from coach.domain.script import STEPS
from coach.domain.text import numbers_in
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.common import facts_for
from coach.evals.scorers.text import TIME_RE, excerpt, search

STEP_IDS = [step for step, _ in STEPS]
STEP_LABELS = dict(STEPS)
STEP_PATTERNS: dict[str, str] = {
    "appreciation": r"\b(thank\w*|appreciat\w*|grateful)\b",
    "goal": r"\b(i'?d like to|i want to|i'?m (interested|aiming|hoping)|my goal|i would like to|"
            r"move (into|to|up)|step (into|up)|promot\w+)\b",
    "case": r"\b(i('ve| have)|i (led|cut|grew|built|shipped|launched|delivered|mentored|ran|reduced|"
            r"increased|saved|owned|coached|coordinated)|here is what|results?)\b",
    "feedback": r"\?",
    "timeline": r"\b(timeline|timeframe|time frame|realistic|by when|next (cycle|review)|"
                r"over the next|months?|quarter|review cycle)\b",
    "close": r"\b(follow[- ]?up|recap|summar\w+|send (you )?(an email|a note|a short)|in writing|"
             r"write (it|this) up|email)\b",
}
_NUMBERED = re.compile(r"^\s*(\d)[.)]\s+(.+?)\s*$", re.MULTILINE)


def step_texts(output: Output) -> dict[str, str]:
    """Step id -> its line: from the service's `lines`, or the numbered blocks of the text."""
    lines = output.data.get("lines")
    if isinstance(lines, list) and lines and all(isinstance(x, dict) for x in lines):
        return {str(x.get("step")): str(x.get("text", "")) for x in lines}
    blocks = list(_NUMBERED.finditer(output.text))
    if len(blocks) == len(STEP_IDS):
        found = {}
        for i, (step, match) in enumerate(zip(STEP_IDS, blocks, strict=True)):
            end = blocks[i + 1].start() if i + 1 < len(blocks) else len(output.text)
            found[step] = output.text[match.end():end].strip()
        return found
    return {}


@scorer("script_step")
def script_step(step: str) -> ScoreFn:
    """One of the six steps does its job (the goal names the exact title, the case uses the
    user's own figures, the feedback step asks a question, the close thanks and follows up)."""
    if step not in STEP_PATTERNS:
        raise TypeError(f"unknown step '{step}'; use one of {', '.join(STEP_PATTERNS)}")

    def score(sample: Sample, output: Output) -> Score:
        steps = step_texts(output)
        text = steps.get(step, "") if steps else output.text
        name = STEP_LABELS[step].lower()
        if steps and not text.strip():
            return Score.no(f"the '{name}' step is empty", excerpt(output.text))
        match = search(STEP_PATTERNS[step], text)
        if step == "timeline" and match is None:
            match = TIME_RE.search(text)
        if match is None:
            return Score.no(f"missing step: {name}", excerpt(text))
        if step == "goal":
            title = sample.input.profile.target_title
            if title.lower() not in text.lower():
                return Score.no(f"{name}: the exact title '{title}' is never said", excerpt(text, match))
        if step == "case":
            facts = facts_for(sample, output)
            real = sorted(n for n in numbers_in(text) if n in facts.numbers)
            if sample.input.entries and any(e.quantified for e in sample.input.entries) and not real:
                return Score.no(f"{name}: no figure from the user's log", excerpt(text, match))
        if step == "close" and not search(STEP_PATTERNS["appreciation"], text):
            return Score.no(f"{name}: no thanks at the close", excerpt(text, match, 60))
        return Score.yes(name, excerpt(text, match, 60))

    return score


@scorer("script_in_order")
def script_in_order() -> ScoreFn:
    """All six steps are there, in the guidance's order."""

    def score(sample: Sample, output: Output) -> Score:
        steps = step_texts(output)
        if steps:
            order = [s for s in steps if s in STEP_IDS]
            missing = [STEP_LABELS[s] for s in STEP_IDS if s not in steps]
            if missing:
                return Score.no(f"missing: {', '.join(missing)}", excerpt(output.text))
            return Score.verdict(order == STEP_IDS, "six steps in order",
                                 "steps out of order: " + " -> ".join(order), excerpt(output.text))
        positions = {s: m.start() for s in ("appreciation", "goal", "close")
                     if (m := search(STEP_PATTERNS[s], output.text))}
        if len(positions) < 3:
            missing = [STEP_LABELS[s] for s in ("appreciation", "goal", "close") if s not in positions]
            return Score.no(f"cannot find the steps: {', '.join(missing)}", excerpt(output.text))
        ordered = sorted(positions, key=positions.__getitem__)
        return Score.verdict(ordered == ["appreciation", "goal", "close"], "opens with thanks, "
                             "states the goal, closes with a follow-up",
                             "steps out of order: " + " -> ".join(ordered), excerpt(output.text))

    return score
