"""The offer conversation: a manager or HR partner presents the promotion package.

The facts are the user's saved offer, nothing else: a field the user has not saved is described
without a figure ("HR will confirm the number"). The difficulty decides how firm the counterpart
is and what they volunteer: easy states the whole package at once and agrees to time and a
letter; realistic states the title and pay, the rest when asked, and gives a couple of days;
tough stays vague, presses for an answer now, holds firm on pay and puts it in writing only
when pressed twice. Each user line is read for what it asks (`topics.offer_topics`), and each
topic gets the fact or the difficulty's stance.
"""

from __future__ import annotations

import datetime as dt
import re

from coach.domain.injection import data_block
from coach.domain.offer import Offer
from coach.domain.profile import Profile
from coach.domain.responses import Difficulty
from coach.domain.roleplay.off_script import off_script
from coach.domain.scenario.brief import ScenarioBrief
from coach.domain.scenario.common import (
    CLOSE,
    Lines,
    ScenarioDirective,
    ScenarioPlan,
    ScenarioState,
    mid_sentence,
    redirect,
)
from coach.domain.scenario.topics import ACCEPTS, DECLINES, PUSHES_PAY, THANKS, offer_topics
from coach.domain.text import numbers_in

FIELDS = ("pay", "scope", "benefits", "start-date")  # the package's facts, in the order they are told
MAX_TOPICS = 2  # topics answered in one reply: more makes a speech
# What each difficulty states in its opening, without being asked.
VOLUNTEERS: dict[Difficulty, tuple[str, ...]] = {
    Difficulty.EASY: FIELDS,
    Difficulty.REALISTIC: ("pay",),
    Difficulty.TOUGH: (),
}
WRITING_AGREES = r"\b(writing|written|letter|e-?mail|send|paperwork)\b"
_PROMISES_WRITING = (r"\b(i'?ll|i will|we'?ll|we will|happy to|of course,? i'?ll) "
                     r"(send|put|write|e-?mail|confirm)\b")
_RAISES_PAY = (r"\b(i|we) (can|could|will|'ll) (raise|increase|improve|add to|go (up|higher|above))\b|"
               r"\bmore money\b|\bincrease the (offer|number|salary)\b")
_ALL_THE_TIME = r"\b(take (all )?the time you need|no rush|whenever you'?re ready)\b"
_NOW = r"\b(today|right now|by the end of the day|on the spot|this afternoon)\b"
# What a move's reply must say, whatever else it says (a tough press that presses nothing is no press).
MUST_SAY: dict[str, tuple[str, str]] = {
    "press": ("a push for an answer", r"\b(answer|decide|decision|today|now|soon|accept\w*|in or out|"
                                      r"yes or no|tell them|commit|let them know)\b"),
    "time-tough": ("that you want an answer soon", r"\b(today|now|soon|tomorrow|answer|decision|open|"
                                                   r"wait|allocated|quickly)\b"),
    "time-tough-again": ("the deadline", r"\b(tomorrow|by the morning|end of (the )?day)\b"),
    "writing-defer": ("that the paperwork waits", r"\b(first|later|follows?|after|once|answer)\b"),
    "time-easy": ("the time they can take",
                  r"\b(take|have|need) (all |the |a |some |your |a few |a couple of )?"
                  r"(time|days?|week|while)\b|"
                  r"\b(let me know|come back|get back|next week|no rush|whenever)\b"),
}
MUST_SAY["time-realistic"] = MUST_SAY["time-easy"]
NOTES: dict[str, str] = {
    "pay": "Tell them the pay from the offer block, with its figure.",
    "nofact-pay": "Say you do not have the final pay figure with you; HR will confirm it. No number.",
    "scope": "Describe the responsibilities from the offer block.",
    "nofact-scope": "Say the responsibilities are still being written up; you will go through them. "
                    "No detail.",
    "benefits": "Describe the benefits from the offer block.",
    "nofact-benefits": "Say you do not have the benefits details with you; HR will confirm them.",
    "start-date": "Give the start date from the offer block.",
    "nofact-start-date": "Say the start date is not fixed yet; it depends on sign-off.",
    "writing-agree": "Say yes: you will send the details in writing.",
    "writing-defer": "Do not promise anything in writing yet; say the details come first.",
    "time-easy": "Agree they can take the time they need.",
    "time-realistic": "Give them a couple of days to decide.",
    "time-tough": "Say you need an answer soon, ideally today.",
    "time-tough-again": "Give them until tomorrow, no longer.",
    "pay-push-easy": "Say you will ask about the pay, without promising more.",
    "pay-push-realistic": "Say there may be a little room; ask for their case in writing. No number.",
    "pay-push-tough": "Hold firm: the pay is what the budget allows.",
    "respond": "Reply briefly; invite more questions.",
    "press": "Press, briefly, for their answer today.",
}


def spoken_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def salary_pattern(offer: Offer) -> str:
    """A regex for the offer's salary however it is said: '$120k', '120,000', '120 thousand'."""
    if offer.salary is None:
        return ""
    amount = offer.salary.amount
    whole = int(amount)
    forms = {re.escape(f"{whole:,}"), str(whole)}
    if whole % 1000 == 0:
        forms |= {rf"{whole // 1000}\s?(k|thousand)"}
    forms |= {re.escape(n) for n in numbers_in(offer.salary.text)}
    return r"(?<![\d.])(" + "|".join(sorted(forms, key=len, reverse=True)) + r")"


def offer_figures(offer: Offer | None) -> set[str]:
    """Every figure the saved offer states, as `numbers_in` normalises them (dates' parts too)."""
    if offer is None:
        return set()
    found: set[str] = set()
    for text in (offer.title, offer.level, offer.scope, offer.benefits):
        found |= numbers_in(text)
    if offer.salary is not None:
        found |= numbers_in(offer.salary.text)
        whole = int(offer.salary.amount)
        found |= {str(whole), f"{offer.salary.amount:g}"}
        if whole % 1000 == 0:
            found.add(str(whole // 1000))
    if offer.start is not None:
        found |= {str(offer.start.day), str(offer.start.month), str(offer.start.year),
                  f"{offer.start.day:02d}", f"{offer.start.month:02d}", offer.start.isoformat()}
    return found


class OfferPlan(ScenarioPlan):
    """One offer conversation's plan. Pure: no model, no store; the service drives it."""

    scenario = "offer"

    def __init__(self, brief: ScenarioBrief, level: Difficulty, profile: Profile, offer: Offer | None,
                 seed: int, counterpart: int = 0):
        super().__init__(brief, level, profile, seed, counterpart)
        self.offer = offer
        self.lines = Lines(self._values(), seed)
        self.opening = self._opening()
        self.lines.remember(self.opening)

    # -- the facts -------------------------------------------------------------------------
    def _values(self) -> dict[str, str]:
        offer, profile = self.offer, self.profile
        return {"user": profile.name.split(" ")[0] if profile.name else "",
                "title": offer.title if offer else profile.target_title,
                "salary": offer.salary.text if offer and offer.salary else "",
                "scope": mid_sentence(offer.scope) if offer else "",
                "benefits": mid_sentence(offer.benefits) if offer else "",
                "start": spoken_date(offer.start) if offer and offer.start else "",
                "current": profile.current_title, "target": profile.target_title, "entry": ""}

    def known(self, topic: str) -> bool:
        """Whether the saved offer holds this fact."""
        offer = self.offer
        if offer is None:
            return False
        return {"pay": offer.salary is not None, "scope": bool(offer.scope),
                "benefits": bool(offer.benefits), "start-date": offer.start is not None}.get(topic, False)

    def _fact(self, topic: str, index: int) -> str:
        key = f"fact.{topic}" if self.known(topic) else f"nofact.{topic}"
        return self.lines.pick(self.brief.options(key), key, index)

    def _opening(self) -> str:
        parts = [self.lines.pick(self.brief.options(f"open.{self.level.value}"), "open", 0)]
        for topic in VOLUNTEERS[self.level]:
            parts.append(self._fact(topic, 0))
            self.state.given.append(topic)
        if self.level is Difficulty.TOUGH:
            parts.append(self.lines.pick(self.brief.options("press.tough"), "press", 0))
        return " ".join(parts)

    # -- the plan --------------------------------------------------------------------------
    def plan(self, text: str) -> ScenarioDirective:
        """The counterpart's move for the user's line, without changing the meeting yet."""
        state = self.state.model_copy(deep=True)
        if kind := off_script(text):
            return redirect(kind, state, self.lines, self.brief.lines)
        state.user_turns += 1
        turn = state.user_turns
        topics = offer_topics(text)
        if (ACCEPTS.search(text) or DECLINES.search(text)) and not topics:  # a question keeps it open
            state.ended = True
            key = "close.accept" if ACCEPTS.search(text) else "close.decline"
            line = self.lines.pick(self.brief.options(key), key, turn)
            return ScenarioDirective(move=CLOSE, note="", fallback=line, needs_model=False, state=state)
        parts: list[tuple[str, str]] = []  # (note key, line)
        must_say: dict[str, str] = {}
        must_not: dict[str, str] = {}
        for topic in topics[:MAX_TOPICS]:  # a topic past these is not answered, so not counted as asked
            state.asked[topic] = state.asked.get(topic, 0) + 1
            key, line = self._answer(topic, text, state, turn)
            parts.append((key, line))
            if key == "pay" and self.offer and self.offer.salary:
                must_say["the salary"] = salary_pattern(self.offer)
            if key == "writing-agree":
                must_say["the written confirmation"] = WRITING_AGREES
            if key == "writing-defer":
                must_not["a promise in writing"] = _PROMISES_WRITING
            if key == "pay-push-tough":
                must_not["more pay"] = _RAISES_PAY
            if key == "time-tough":
                must_not["all the time they want"] = _ALL_THE_TIME
            if key in ("time-easy", "time-realistic"):
                must_not["an answer now"] = _NOW
            if key in MUST_SAY:
                must_say[MUST_SAY[key][0]] = MUST_SAY[key][1]
        if not parts:
            key = "press" if self.level is Difficulty.TOUGH else "respond"
            lines_key = "press.tough" if key == "press" else f"respond.{self.level.value}"
            if THANKS.search(text) and key == "respond":
                lines_key = "thanks"
            parts.append((key, self.lines.pick(self.brief.options(lines_key), lines_key, turn)))
            if key == "press":
                state.pressed += 1
                must_say[MUST_SAY[key][0]] = MUST_SAY[key][1]
        if self.offer and self.offer.salary and "pay" not in state.given:  # tough: no figure before asked
            must_not["the pay before it is asked for"] = salary_pattern(self.offer)
        move = parts[0][0]
        last = turn >= self.max_user_turns
        closing = ""
        if last:
            state.ended = True
            closing = self.lines.pick(self.brief.options("close.end"), "close.end", turn)
        note = " ".join(NOTES[k] for k, _ in parts) + (" Wrap up in one sentence." if last else "")
        fallback = " ".join(line for _, line in parts)
        # The second try (the first's words showed already) gets the prepared line as an example.
        retry = f'{note} Use only the offer block\'s details, e.g. "{fallback}"'
        return ScenarioDirective(move=move, note=note, fallback=fallback, retry_note=retry, closing=closing,
                                 must_say=must_say, must_not=must_not, state=state)

    def _answer(self, topic: str, text: str, state: ScenarioState, turn: int) -> tuple[str, str]:
        level, brief = self.level, self.brief
        if topic == "in-writing":
            agree = level is not Difficulty.TOUGH or state.asked[topic] >= 2
            key = "writing-agree" if agree else "writing-defer"
            lines_key = "writing.agree" if agree else "writing.defer"
            return key, self.lines.pick(brief.options(lines_key), lines_key, turn)
        if topic == "time-to-decide":
            again = level is Difficulty.TOUGH and state.asked[topic] >= 2
            key = "time-tough-again" if again else f"time-{level.value}"
            lines_key = "time.tough-again" if again else f"time.{level.value}"
            return key, self.lines.pick(brief.options(lines_key), lines_key, turn)
        if topic == "pay" and "pay" in state.given and PUSHES_PAY.search(text):
            key = f"pay-push-{level.value}"
            return key, self.lines.pick(brief.options(f"pay.push.{level.value}"), key, turn)
        if topic not in state.given:
            state.given.append(topic)
        return (topic if self.known(topic) else f"nofact-{topic}"), self._fact(topic, turn)

    # -- what the prompt is built from ------------------------------------------------------
    def data_blocks(self) -> str:
        offer, profile = self.offer, self.profile
        person = [f"their name: {profile.name}" if profile.name else "their name: (not given)",
                  f"their current title: {profile.current_title}"]
        if offer is None:
            package = [f"title: {profile.target_title}", "pay, scope, benefits, start date: not known yet "
                       "(say no figure and no detail for them)"]
        else:
            unknown = "not known yet (give no figure or detail)"
            package = [f"title: {offer.title}" + (f" ({offer.level})" if offer.level else ""),
                       f"pay: {offer.salary.text if offer.salary else unknown}",
                       f"scope: {offer.scope or unknown}", f"benefits: {offer.benefits or unknown}",
                       f"start date: {spoken_date(offer.start) if offer.start else unknown}"]
        return "\n".join([data_block("the person you are meeting", "\n".join(person)),
                          data_block("the offer", "\n".join(package))])

    def known_figures(self) -> set[str]:
        """Figures the counterpart may say: the saved offer's and the profile's."""
        found = offer_figures(self.offer)
        for text in (self.profile.current_title, self.profile.target_title):
            found |= numbers_in(text)
        return found
