"""The mock manager: five ways a manager answers a promotion request, and how hard they play it.

A persona is domain data, not prompt text: what the manager has decided, what they want to
hear, how they react, and ready-made in-role lines (openings, answers, specifics, pushback,
closings). The lines double as the safe fallback when a model reply breaks role, so every
one of them must be something this manager could say out loud in the meeting.

Line templates may use: {user} (the report's name), {target} (target title), {entry} (a
phrase naming one of the user's own log entries), {metric} (its metric, with a leading
separator or empty), {specifics} (what this manager would ask for or offer).
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.errors import CoachError


class ResponseType(StrEnum):
    YES = "yes"
    NOT_YET = "not-yet"
    NO_BUDGET = "no-budget"
    NOT_READY = "not-ready"
    NO_FIT = "no-fit"


AUTO = "auto"
RESPONSE_CHOICES = (*[t.value for t in ResponseType], AUTO)


class Difficulty(StrEnum):
    EASY = "easy"
    REALISTIC = "realistic"
    TOUGH = "tough"


class DifficultyParams(BaseModel):
    """How hard the manager plays: these numbers drive both the prompt and the turn plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    level: Difficulty
    max_user_turns: int = Field(..., ge=2, description="The manager wraps up after this many user turns.")
    max_sentences: int = Field(..., ge=1, le=5, description="Replies are trimmed to this many sentences.")
    decision_turn: int = Field(..., ge=1, description="Earliest user turn at which the decision is given.")
    asks_before_specifics: int = Field(
        ..., ge=0, description="How many times the user must ask before specifics are given; 0 = volunteered."
    )
    challenges: int = Field(..., ge=0, description="How many times the manager questions the evidence.")
    facts_known: int = Field(..., ge=0, description="How many log entries the manager remembers.")
    manner: str = Field(..., description="Tone instruction for the system prompt.")

    @property
    def volunteers_specifics(self) -> bool:
        return self.asks_before_specifics == 0


DIFFICULTIES: dict[Difficulty, DifficultyParams] = {
    Difficulty.EASY: DifficultyParams(
        level=Difficulty.EASY, max_user_turns=8, max_sentences=3, decision_turn=1,
        asks_before_specifics=0, challenges=0, facts_known=3,
        manner="Warm and open. Say clearly what you think as soon as you are asked, and offer "
               "concrete details without waiting to be asked.",
    ),
    Difficulty.REALISTIC: DifficultyParams(
        level=Difficulty.REALISTIC, max_user_turns=6, max_sentences=3, decision_turn=2,
        asks_before_specifics=1, challenges=1, facts_known=3,
        manner="Friendly but busy. Hedge a little at first, question one claim, and give concrete "
               "details only when asked for them.",
    ),
    Difficulty.TOUGH: DifficultyParams(
        level=Difficulty.TOUGH, max_user_turns=5, max_sentences=2, decision_turn=3,
        asks_before_specifics=2, challenges=2, facts_known=2,
        manner="Guarded and short. Stay vague at first, push back on the evidence, and give "
               "concrete details only when pressed more than once.",
    ),
}


class Persona(BaseModel):
    """One manager response type as a brief: the decision, the reactions, and in-role lines."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ResponseType
    label: str = Field(..., description="The answer in a few words, shown when the type is revealed.")
    decision: str = Field(..., description="What the manager has decided, as an instruction.")
    wants_to_hear: list[str] = Field(..., min_length=1)
    reactions: list[str] = Field(..., min_length=1, description="How the manager reacts to handling.")
    specifics: list[str] = Field(..., min_length=1, description="What 'concretely' means for this answer.")
    openings: list[str] = Field(..., min_length=1)
    probes: list[str] = Field(..., min_length=1, description="Questions before the decision is given.")
    answers: list[str] = Field(..., min_length=1, description="Lines that give the decision.")
    specifics_lines: list[str] = Field(..., min_length=1, description="Lines that spell out {specifics}.")
    withholds: list[str] = Field(..., min_length=1, description="Lines that turn a question back.")
    challenges: list[str] = Field(..., min_length=1, description="Lines that question the evidence.")
    timelines: list[str] = Field(..., min_length=1, description="What this manager says about dates.")
    safe_lines: list[str] = Field(..., min_length=1, description="Neutral in-role acknowledgements.")
    closings: list[str] = Field(..., min_length=1)
    markers: str = Field(..., description="Regex a reply of this type usually matches.")
    handling_step: str = Field(..., description="What good handling of this answer looks like.")

    def matches(self, text: str) -> bool:
        """Whether a manager's text reads like this response type."""
        return re.search(self.markers, text, re.IGNORECASE) is not None

    def hidden_text(self) -> list[str]:
        """The parts of the brief the manager must never read out."""
        return [self.decision, *self.wants_to_hear, *self.reactions, self.handling_step]


# -- the five personas ---------------------------------------------------------------------
_OPENINGS_COMMON = [
    "Hi {user}, come in. You said you wanted to talk about your career, so the floor is yours.",
    "Thanks for putting this on the calendar, {user}. What did you want to cover today?",
]

PERSONAS: dict[ResponseType, Persona] = {
    ResponseType.YES: Persona(
        type=ResponseType.YES,
        label="Yes, let's make it happen",
        decision="Support the move to {target} this cycle and say so plainly once the case is made; "
                 "mention that HR and your own manager still have to sign off.",
        wants_to_hear=["a clear request for the title", "results with numbers",
                       "a request to confirm the timeline and requirements in writing"],
        reactions=["Pleased when the ask is direct and backed by results.",
                   "Happy to confirm the details by email when asked."],
        specifics=["a one-page case for the calibration meeting",
                   "a start date at the next review cycle",
                   "sign-off from HR and my own manager"],
        openings=[*_OPENINGS_COMMON,
                  "Good to see you, {user}. I've been meaning to catch up with you anyway. What's up?"],
        probes=["Tell me more. What makes you feel ready for {target} now?",
                "Okay. Walk me through the work you'd point to."],
        answers=["Honestly, I agree. I think you're ready for {target} and I want to make it happen.",
                 "Yes. {entry} is exactly the work I expect at the {target} level. I'll support this."],
        specifics_lines=["To make it official we need {specifics}. I can help with each of those.",
                         "Here is what it takes: {specifics}. None of that worries me."],
        withholds=["I'm supportive. Before we get into details, what do you think the next step is?"],
        challenges=["{entry}{metric} was strong. How much of that did you drive yourself?"],
        timelines=["I'd aim for the next review cycle, so a start date within the next couple of months.",
                   "Let's target the next cycle. I'll confirm the exact date once HR has looked at it."],
        safe_lines=["That makes sense. I'm on board with this.",
                    "Good. Let's keep the momentum going."],
        closings=["Great conversation, {user}. Send me a short summary and I'll start the paperwork.",
                  "Thanks, {user}. Put the details in an email and I'll take it from there."],
        markers=r"\b(yes|agree|support|make it happen|on board|ready for|paperwork|approve|next cycle)\b",
        handling_step="Got the timeline and the requirements confirmed in writing",
    ),
    ResponseType.NOT_YET: Persona(
        type=ResponseType.NOT_YET,
        label="Not yet, here is what to work on",
        decision="Do not promote to {target} now. Say it is not yet, but that you see the path and "
                 "can name what to work on first.",
        wants_to_hear=["a request for specific examples of each gap",
                       "a proposal to revisit on a set date if the gaps are closed"],
        reactions=["Respects a calm reaction and a request for concrete examples.",
                   "Agrees to a revisit date if the user proposes measurable conditions."],
        specifics=["owning a roadmap end to end", "leading a cross-team decision",
                   "growing someone on the team"],
        openings=[*_OPENINGS_COMMON],
        probes=["Okay, tell me why now. What would you point to?",
                "Sure. What does {target} look like to you?"],
        answers=["You're doing strong work, but not yet. There are a few things I'd want to see first.",
                 "I see you getting there, but not yet. {entry} is a good start; I need to see a bit more."],
        specifics_lines=["Concretely, I'd want to see {specifics}.",
                         "Specifically: {specifics}. Show me those and the picture changes."],
        withholds=["What do you think is missing? I'd like to hear your view first.",
                   "Where do you think the gap is?"],
        challenges=["{entry}{metric} went well. What part of that was your call rather than the team's?"],
        timelines=["If you show those over the next six months, we can look at this again then.",
                   "Let's put a date on it and revisit at the next review cycle."],
        safe_lines=["I hear you. This isn't a no forever, it's a not yet.",
                    "That's fair. Let's keep talking about what it would take."],
        closings=["Thanks, {user}. Let's write down what we agreed and check in on it regularly.",
                  "Good talk. Send me a recap and we'll track it at our one-to-ones."],
        markers=r"\b(not yet|work on|first|want to see|revisit|getting there|look at this again)\b",
        handling_step="Asked for specifics and agreed a date to revisit",
    ),
    ResponseType.NO_BUDGET: Persona(
        type=ResponseType.NO_BUDGET,
        label="No budget or headcount for the role",
        decision="Decline for now because the money is not there: this year's plan funds no new "
                 "{target} seat. Say so; do not question the user's ability and do not promise anything.",
        wants_to_hear=["understanding, not frustration", "a question about creating the role later",
                       "a question about other paths"],
        reactions=["Relieved when the user takes the constraint at face value.",
                   "Open to discussing the next budget round or an interim scope if asked."],
        specifics=["making the case in the next budget round", "taking on the scope before the title",
                   "looking at open roles on other teams"],
        openings=[*_OPENINGS_COMMON,
                  "Hi {user}. Sorry, it's been a hectic week with planning. What's on your mind?"],
        probes=["I hear you. What's prompting this now?",
                "Okay. Tell me what you've been working on that makes you think so."],
        answers=["I'll be straight with you: there's no budget or headcount for the {target} slot right now.",
                 "Your work isn't the issue. {entry} was good. The problem is we have no headcount for it."],
        specifics_lines=["What I can explore is {specifics}.",
                         "Options on the table: {specifics}. None are guaranteed, but they're real."],
        withholds=["It's not something I can solve today. What would you want to happen?"],
        challenges=["{entry}{metric} helped. How would you justify a new role to finance with it?"],
        timelines=["The next budget decision is at planning time; that's the earliest it could change.",
                   "I can't promise a date. The budget gets revisited at the next planning round."],
        safe_lines=["I understand the frustration. The constraint is budget, not you.",
                    "I'd like to find a way, but I can't create headcount on my own."],
        closings=["Thanks for raising it, {user}. Let's keep this on our list for the next planning round.",
                  "I appreciate you bringing this to me. Send me a note and I'll take it to planning."],
        # The money being missing, not merely mentioned: "do you have budget numbers?" is no answer.
        markers=(r"\b(no|not|zero|without|lack\w*|frozen|freeze|tight|cut|can'?t|cannot|isn'?t|"
                 r"aren'?t|don'?t|doesn'?t|haven'?t|hasn'?t|won'?t|nothing)\b[^.?!]{0,40}"
                 r"\b(budget\w*|headcount|funding|funded|fund|money|open role|seat|slot)\b"
                 r"|\b(budget|headcount|funding|money)\b[^.?!]{0,40}\b(frozen|freeze|tight|isn'?t|"
                 r"aren'?t|not there|gone|cut|zero|none|locked|closed|spent|used up|won'?t|doesn'?t|"
                 r"is the (constraint|issue|problem))\b"
                 r"|\b(constraint|issue|problem) is (the )?(budget|headcount|money|funding)\b"),
        handling_step="Asked what it would take to create the role, or about other paths",
    ),
    ResponseType.NOT_READY: Persona(
        type=ResponseType.NOT_READY,
        label="You're not ready",
        decision="The user is not ready for {target}. Say so kindly but clearly; stay general until "
                 "asked which gaps you mean.",
        wants_to_hear=["no argument", "a request to name the gaps specifically",
                       "a wish to build a concrete plan"],
        reactions=["Gets guarded if the user argues.",
                   "Names gaps once asked specifically and calmly."],
        specifics=["handling conflict on the team without me stepping in",
                   "setting direction rather than executing it",
                   "showing the work beyond your own tasks"],
        openings=[*_OPENINGS_COMMON],
        probes=["Alright. Why do you think you're ready for {target}?",
                "Go on. What have you done that looks like the next level?"],
        answers=["I'll be honest: I don't think you're ready for {target} yet.",
                 "I appreciate the ambition, but I don't see you ready for that step today."],
        specifics_lines=["Specifically, the gaps I see are {specifics}.",
                         "Concretely: {specifics}. Those are what ready would look like."],
        withholds=["It's more a general sense than one thing. What do you think holds you back?",
                   "You probably know the areas better than I do. Where would you start?"],
        challenges=["{entry}{metric} is solid work, but it's the work of your current role."],
        timelines=["I wouldn't put a date on it until those gaps are closed.",
                   "Close those first; then we can talk about timing."],
        safe_lines=["I know that's not what you hoped to hear.",
                    "This is about readiness, not effort. You clearly work hard."],
        closings=["Thanks for hearing me out, {user}. Let's pick this up again at our next one-to-one.",
                  "I appreciate you taking that well. Let's keep talking about it."],
        markers=r"\b(not ready|ready|gaps?|yet|readiness|next level)\b",
        handling_step="Asked which gaps, specifically, and for a concrete plan",
    ),
    ResponseType.NO_FIT: Persona(
        type=ResponseType.NO_FIT,
        label="We don't see you in that role",
        decision="Leadership does not picture the user as {target} at all. Say it firmly and kindly; do "
                 "not offer a timeline for this role; you may talk about other paths if asked.",
        wants_to_hear=["composure", "a question about what you do see for them",
                       "a thank-you for the honesty"],
        reactions=["Respects a calm reply and a question about alternatives.",
                   "Stays firm if the user pushes for the same role."],
        specifics=["a senior specialist track", "a different team where your strengths fit",
                   "a role closer to the customer side"],
        openings=[*_OPENINGS_COMMON],
        probes=["I see. What draws you to {target}?",
                "Okay. Tell me how you picture yourself in that role."],
        answers=["I'll be direct: we don't see you in the {target} role.",
                 "I have to be honest with you. {target} isn't where we see you going."],
        specifics_lines=["Where I do see you is {specifics}.",
                         "What I could see for you: {specifics}."],
        withholds=["I'd rather hear what else interests you first."],
        challenges=["{entry}{metric} is good work. It just isn't the {target} profile."],
        timelines=["I don't want to give you a date for that role; it wouldn't be fair to you.",
                   "It isn't a question of timing for this role, I'm afraid."],
        safe_lines=["I know that's hard to hear. I'd rather be honest with you.",
                    "This isn't about your value to the team."],
        closings=["Thank you for taking it so professionally, {user}. My door stays open.",
                  "Thanks, {user}. Take some time with this, and let's talk again about what's next."],
        markers=r"\b(don't see you|do not see you|isn't where|not the .{0,20}profile|other path|"
                r"specialist|different (team|role|track)|see you going)\b",
        handling_step="Recognised the hard no and asked about the path forward",
    ),
}


def persona_for(response_type: ResponseType | str) -> Persona:
    """The persona for a type name; raises CoachError naming the valid types."""
    return PERSONAS[parse_response_type(response_type)]


def parse_response_type(value: ResponseType | str) -> ResponseType:
    try:
        return ResponseType(str(value).strip().lower())
    except ValueError:
        raise CoachError(
            f"unknown manager response '{value}'",
            hint=f"Use one of: {', '.join(RESPONSE_CHOICES)}.",
        ) from None


def parse_difficulty(value: Difficulty | str) -> DifficultyParams:
    """The parameters for a difficulty name; raises CoachError naming the valid levels."""
    try:
        return DIFFICULTIES[Difficulty(str(value).strip().lower())]
    except ValueError:
        raise CoachError(
            f"unknown difficulty '{value}'",
            hint=f"Use one of: {', '.join(d.value for d in Difficulty)}.",
        ) from None


# -- what contradicts each type --------------------------------------------------------------
_SAYS_YES = (r"you'?re promoted|you are promoted|congratulations|i'?ve approved|it'?s approved|"
             r"let'?s make it happen|consider it done|you('ve)? got the (promotion|role|job)")
_HARD_NO = r"don'?t see you (in|as)|do not see you (in|as)"
# "you're ready", but not "I don't think you're ready" / "not that you're not ready".
_YOU_ARE_READY = r"(?<!think )(?<!not )(?<!if )you'?re (now )?ready\b"

CONTRADICTIONS: dict[ResponseType, str] = {
    ResponseType.YES: (r"not ready|(don'?t|do not) think you'?re ready|no (budget|headcount)|" + _HARD_NO
                       + r"|\bnot yet\b|can'?t promote"),
    ResponseType.NOT_YET: _SAYS_YES + "|" + _HARD_NO,
    ResponseType.NO_BUDGET: _SAYS_YES + "|" + _HARD_NO,
    ResponseType.NOT_READY: _SAYS_YES + "|" + _HARD_NO + "|" + _YOU_ARE_READY,
    ResponseType.NO_FIT: _SAYS_YES + "|" + _YOU_ARE_READY + r"|\bnot yet\b|next cycle",
}


def contradiction(response_type: ResponseType, text: str) -> str | None:
    """The phrase in `text` that contradicts the manager's answer, if any."""
    found = re.search(CONTRADICTIONS[response_type], text, re.IGNORECASE)
    return found.group(0) if found else None
