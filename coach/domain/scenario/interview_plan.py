"""The interview: a hiring manager at another company asks about the current role, the evidence
of next-level work and why the move; then the candidate's questions, then the close.

The questions come in that order (`STAGES`). A tough interviewer pushes back once, on the first
vague answer: a role or evidence answer that names no result from the log and no figure, or a
why-move answer that says nothing about what the candidate is moving toward. The interviewer
knows the candidate's CV (the profile and the log's strongest entries) and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.domain.injection import data_block
from coach.domain.profile import Profile
from coach.domain.responses import Difficulty
from coach.domain.roleplay.facts import LogFact
from coach.domain.roleplay.meeting import cites_evidence
from coach.domain.roleplay.off_script import off_script
from coach.domain.scenario.brief import ScenarioBrief
from coach.domain.scenario.common import (
    CLOSE,
    Lines,
    ScenarioDirective,
    ScenarioPlan,
    ScenarioState,
    redirect,
)
from coach.domain.scenario.topics import FORWARD, bad_mouthing
from coach.domain.text import numbers_in

# What the interviewer asks, in order; the opening asks the first.
STAGES = ("current-role", "evidence", "why-move", "questions")
# A small model copies a note's words: "ask why they want to move" comes back as "why do they want
# to move?", and a quoted question gets answered as the candidate. So: what to ask about, no quotes.
NOTES: dict[str, str] = {
    "evidence": "Ask for one result that shows their next-level work, and what changed.",
    "why-move": "Ask about their reason for moving now.",
    "questions": "Thank them briefly; invite their questions for you.",
    "pushback": "That was vague: push back once. Ask for what exactly they did and what changed.",
    "respond": "Answer in general terms only (no facts about your company you were not given); "
               "say the next round can go deeper.",
}
CV_ENTRIES = 3
PUSHBACK = (r"\b(specific\w*|exactly|what did you|results?|measur\w*|concrete|example|more than that|vague|"
            r"general|what changed|numbers?)\b")


def vague(stage: str, text: str, facts: Sequence[LogFact]) -> bool:
    """An answer a tough interviewer would push back on."""
    if stage in ("current-role", "evidence"):
        return not cites_evidence(text, facts)
    if stage == "why-move":
        return bool(bad_mouthing(text)) or not FORWARD.search(text)
    return False


class InterviewPlan(ScenarioPlan):
    """One interview's plan. Pure: no model, no store; the service drives it."""

    scenario = "interview"

    def __init__(self, brief: ScenarioBrief, level: Difficulty, profile: Profile, facts: Sequence[LogFact],
                 seed: int, counterpart: int = 0):
        super().__init__(brief, level, profile, seed, counterpart)
        self.facts = list(facts)
        entry = self.facts[0].title.rstrip(".") if self.facts else "your recent work"
        self.lines = Lines({"user": profile.name.split(" ")[0] if profile.name else "", "title": "",
                            "salary": "", "scope": "", "benefits": "", "start": "",
                            "current": profile.current_title, "target": profile.target_title,
                            "entry": entry[:1].lower() + entry[1:]}, seed)
        self.opening = self.lines.pick(brief.options(f"open.{level.value}"), "open", 0)
        self.lines.remember(self.opening)

    def stage(self, state: ScenarioState | None = None) -> str:
        """The question the candidate is answering now."""
        return STAGES[min((state or self.state).stage, len(STAGES) - 1)]

    def plan(self, text: str) -> ScenarioDirective:
        """The interviewer's move for the candidate's line, without changing the interview yet."""
        state = self.state.model_copy(deep=True)
        if kind := off_script(text):
            return redirect(kind, state, self.lines, self.brief.lines)
        state.user_turns += 1
        turn = state.user_turns
        answering = self.stage(state)
        last = turn >= self.max_user_turns
        done = answering == "questions" and (state.asked.get("questions", 0) >= 1 or "?" not in text)
        if done or (last and state.stage >= 2):
            state.ended = True
            closing = self.lines.pick(self.brief.options("close.end"), "close.end", turn)
            return ScenarioDirective(move=CLOSE, note="", fallback=closing, needs_model=False, state=state)
        tough = self.level is Difficulty.TOUGH
        if tough and not state.pushed_back and vague(answering, text, self.facts):
            state.pushed_back = True
            key = f"pushback.{answering}"
            fallback = self.lines.pick(self.brief.options(key), key, turn)
            return ScenarioDirective(move="pushback", note=NOTES["pushback"], asks=True, fallback=fallback,
                                     must_say={"a push for specifics": PUSHBACK},
                                     retry_note=f'{NOTES["pushback"]} For example: "{fallback}"', state=state)
        if answering == "questions":
            state.asked["questions"] = 1
            move, key = "respond", "respond.questions"
            asks = False
        else:
            state.stage += 1
            move = self.stage(state)
            key, asks = f"ask.{move}", True
        note = NOTES[move]
        fallback = self.lines.pick(self.brief.options(key), key, turn)
        closing = ""
        if last:
            state.ended = True
            closing = self.lines.pick(self.brief.options("close.end"), "close.end", turn)
            note += " Then wrap up."
        return ScenarioDirective(move=move, note=note, asks=asks and not last, fallback=fallback,
                                 retry_note=f'{note} Use only what their CV block says, e.g. "{fallback}"',
                                 closing=closing, state=state)

    # -- what the prompt is built from ------------------------------------------------------
    def data_blocks(self) -> str:
        profile = self.profile
        cv = [f"name: {profile.name}" if profile.name else "name: (not given)",
              f"current title: {profile.current_title}",
              f"applying for: {profile.target_title}"]
        entries = "\n".join(f"- {f.title}" + (f" ({f.metric})" if f.metric else "")
                            for f in self.facts[:CV_ENTRIES]) or "(nothing listed)"
        return "\n".join([data_block("the candidate", "\n".join(cv)),
                          data_block("highlights from their CV", entries)])


    def known_figures(self) -> set[str]:
        found: set[str] = set()
        for text in (self.profile.current_title, self.profile.target_title,
                     *(f"{f.title} {f.metric}" for f in self.facts)):
            found |= numbers_in(text)
        return found
