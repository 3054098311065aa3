"""The scenario guard: every counterpart reply checked before the user sees it.

Built on the promotion meeting's `RoleGuard` (cleaning labels and made-up next turns, the
brief and echo checks, third person, repeats, claiming the user's work) with the scenario's
own rules: the counterpart never speaks as the user (accepting the offer, describing "my
current role"), never coaches, never talks about being an AI or a practice; figures only from
the user's saved offer, profile and log; the turn's facts said (the salary when the move gives
it) and its stance kept (a tough counterpart does not promise a letter on the first ask).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from coach.domain.responses import ResponseType
from coach.domain.roleplay.role_breaks import RoleBreak
from coach.domain.roleplay.role_guard import (
    _EMPLOYEE_RE,
    _META_RE,
    _PROMPTS,
    GuardVerdict,
    RoleGuard,
)
from coach.domain.text import figures_not_in, numbers_in, trim_sentences

_I = re.IGNORECASE
# The user's side of each scenario, said by the counterpart.
USER_VOICE: dict[str, list[re.Pattern[str]]] = {
    "offer": [re.compile(p, _I) for p in (
        r"\b(i accept|i'?ll (take|accept) (it|the offer)|i('?d| would) (like|love) to accept)\b",
        r"\bthank(s| you)( so much| very much)? for (the|this|your) (offer|opportunity|confidence)\b",
        r"\bmy (new )?(salary|pay|title|start date|package|offer|raise|bonus)\b",
        r"\b(can|could) (i|we) (have|get) (it|that|this) in writing\b",
        r"\bi('?d| would) like (some|more) time to (think|decide|consider)\b",
        r"\b(can|could|may) i (take|have) (a|some|a few|a couple of) (days?|time)\b",
        r"\bi('?ll| will)? need (some )?(time|to (read|review|think|look over|go over|consider))\b",
        r"\blet me (think|sleep on) (it|about it)\b",
        r"\bi'?ll (give you|get back to you with|let you know) (an |my )?(answer|decision)\b",
        r"\bi'?ll (check|read|review|look (at|over)|go (over|through)) (the|it|them|this)\b",
    )],
    "interview": [re.compile(p, _I) for p in (
        r"\bmy (current )?(title|role|job|employer|manager) (is|has been)\b",
        r"\bin my current (role|job|company)\b",
        r"\bi'?ve been (operating|working) at the\b",
        r"\bi'?m (currently|now) (a|an|the)\b",
        r"\b(why )?i('?m| am) (looking|leaving|moving) (for|to|because)\b",
        r"\bi('?d| would) (love|like) (to join|this (role|job)|the job)\b",
        r"\bthank(s| you)( so much| very much)? for (having|interviewing|considering) me\b",
    )],
}
# Coaching, worded for these scenarios ("coaching" itself may be the candidate's work).
_COACHING = [re.compile(p, _I) for p in (
    r"\byou (should|might want to|may want to|could try to|ought to) (say|ask|respond|mention|try|push|"
    r"negotiate|counter|answer|frame)\b",
    r"\btry (saying|asking|framing)\b", r"\btips?\s*:", r"\bas your coach\b",
    r"\b(coaching|negotiation) tips?\b",
    r"\bhere(?:'s| is| are) (how|some|a few) (to|tips|ways|phrases)\b",
    r"\bgood (way|approach) to (respond|answer|ask|phrase|negotiate)\b", r"\brole-?\s?play\b",
    r"\bnext time,? (say|ask|try)\b",
    r"\b(a|the) (strong|stronger|better|good) (answer|response) (would|is)\b",
    r"\bwhen (the|an|your) (interviewer|hr partner|manager) (asks|says|offers)\b",
    r"\bin (a|any|this kind of) (negotiation|interview),? (you|always|never)\b",
)]
# The person in front of them talked about, not to: a small model copies "ask why they want to move".
_ABOUT_THEM = [re.compile(p, _I) for p in (
    r"\b(why|what|how|when) (do|does|did|would|are|is|will) (they|he|she)\b", r"\bthe reason (they|he|she)\b",
    r"\b(they|he|she) (want|wants|would like|are looking|is looking) to (move|leave|join|know)\b",
)]
_META = [re.compile(p, _I) for p in (
    r"\b(mock|practice|pretend) (interview|meeting|offer|conversation)\b", r"\bscenario\b",
    r"\bas (an|the) (ai|assistant|model)\b", r"\bmy (role|character) (here|in this)\b",
    r"\bi'?m (here|happy|glad) to (help|assist)( you)?\b", r"\bhow (can|may) i (help|assist) you\b",
)]

# How each break is told to the user ({who}: the counterpart) and to the model on the re-ask.
PLAIN: dict[RoleBreak, str] = {
    RoleBreak.EMPTY: "it was empty",
    RoleBreak.TOO_LONG: "it rambled",
    RoleBreak.EMPLOYEE_VOICE: "it spoke as you rather than as the {who}",
    RoleBreak.COACHING: "it gave coaching tips instead of replying",
    RoleBreak.META: "it stepped out of the role",
    RoleBreak.REVEALS_BRIEF: "it read out the {who}'s private brief",
    RoleBreak.ECHO: "it repeated your line",
    RoleBreak.CONTRADICTS_TYPE: "it went against the {who}'s stance",
    RoleBreak.MISSES_ANSWER: "it left out what the {who} had to say",
    RoleBreak.INVENTED_FIGURE: "it made up figures",
    RoleBreak.FORMAT: "it read like a document, not speech",
    RoleBreak.REPEAT: "it repeated an earlier line word for word",
    RoleBreak.GAP_IN_ENTRY: "it treated one of your log entries as a gap",
    RoleBreak.THIRD_PERSON: "it talked about you instead of to you",
    RoleBreak.NO_QUESTION: "it did not ask you anything",
}
FIXES: dict[RoleBreak, str] = {
    RoleBreak.EMPTY: "Reply in one or two sentences.",
    RoleBreak.TOO_LONG: "Keep it to a few short spoken sentences.",
    RoleBreak.EMPLOYEE_VOICE: "You are the {who}: speak only for yourself; their words and work are theirs.",
    RoleBreak.COACHING: "Reply as the {who}; no tips.",
    RoleBreak.META: "Stay in the conversation as the {who}; no talk of instructions.",
    RoleBreak.REVEALS_BRIEF: "Say it in your own words; do not recite your brief.",
    RoleBreak.ECHO: "Do not repeat their words back.",
    RoleBreak.CONTRADICTS_TYPE: "Keep to the stance in the note.",
    RoleBreak.MISSES_ANSWER: "Say what the note asks, with the detail from the data block.",
    RoleBreak.INVENTED_FIGURE: "Use no figures but those in the data blocks.",
    RoleBreak.FORMAT: "Speak plainly: no lists, no bold.",
    RoleBreak.REPEAT: "Say something new.",
    RoleBreak.GAP_IN_ENTRY: "Their log entries are work done, not gaps.",
    RoleBreak.THIRD_PERSON: "Speak to them ('you'), not about them.",
    RoleBreak.NO_QUESTION: "Ask them one short question; do not answer it yourself.",
}


def plain_reasons(breaks: Iterable[RoleBreak], who: str) -> str:
    return " and ".join(dict.fromkeys(PLAIN[b].format(who=who) for b in breaks))


def fixes(breaks: Iterable[RoleBreak], who: str) -> str:
    return " ".join(dict.fromkeys(FIXES[b].format(who=who) for b in breaks))


@dataclass
class ScenarioGuard(RoleGuard):
    """Checks one counterpart reply. `response_type` is unused here (no decision to contradict)."""

    other = "user"
    response_type: ResponseType = ResponseType.YES
    scenario: str = "offer"
    allow_heard: bool = False  # the user's own figures may be said back (the interview), or not (the offer)
    extra_patterns: Sequence[re.Pattern[str]] = field(default_factory=list)

    def check(self, reply: str, *, user_line: str = "", heard: str = "", answer: bool = False,
              said: Sequence[str] = (), ask: bool = False, must_say: Mapping[str, str] | None = None,
              must_not: Mapping[str, str] | None = None) -> GuardVerdict:
        """Clean and check a reply; `must_say` / `must_not`: the turn's facts and stance (regexes)."""
        text, as_report = self.clean(reply)
        form = self._form(reply, text, as_report, heard)
        if form is None:
            return GuardVerdict("", (RoleBreak.EMPTY,), ("reply is empty",))
        found = form
        trimmed = trim_sentences(text, self.max_sentences)
        voice = [*_EMPLOYEE_RE, *USER_VOICE.get(self.scenario, []), *self.extra_patterns]
        for kind, regexes in ((RoleBreak.EMPLOYEE_VOICE, voice), (RoleBreak.COACHING, _COACHING),
                              (RoleBreak.META, [*_META_RE, *_META])):
            hit = next((m for rx in regexes if (m := rx.search(trimmed))), None)
            if hit:
                found.append((kind, f"'{hit.group(0)}' ({kind})"))
        if claim := self._claim(trimmed):
            found.append((RoleBreak.EMPLOYEE_VOICE, f"claims the user's work as its own: '{claim}'"))
        if about := self._about_user(trimmed) or next((m.group(0) for rx in _ABOUT_THEM
                                                       if (m := rx.search(trimmed))), None):
            found.append((RoleBreak.THIRD_PERSON, f"talks about the user, not to them: '{about}'"))
        found += self._copies(trimmed, user_line)
        if bad := next(((name, m.group(0)) for name, rx in (must_not or {}).items()
                        if (m := re.search(rx, trimmed, re.IGNORECASE))), None):
            found.append((RoleBreak.CONTRADICTS_TYPE, f"'{bad[1]}' goes against the stance (no {bad[0]})"))
        missing = [name for name, rx in (must_say or {}).items()
                   if rx and not re.search(rx, trimmed, re.IGNORECASE)]
        if missing:
            found.append((RoleBreak.MISSES_ANSWER, f"does not say: {', '.join(missing)}"))
        if ask and "?" not in trimmed and not _PROMPTS.search(trimmed):
            found.append((RoleBreak.NO_QUESTION, "the move asks a question; the reply asks none"))
        if repeated := self._repeated(trimmed, said):
            found.append((RoleBreak.REPEAT, f"says again: '{repeated[:60]}'"))
        allowed = self.known_figures | (numbers_in(heard) if self.allow_heard else set())
        if invented := figures_not_in(trimmed, allowed):
            found.append((RoleBreak.INVENTED_FIGURE,
                          f"figures not in the user's data: {', '.join(invented)}"))
        kinds = tuple(dict.fromkeys(v for v, _ in found))
        return GuardVerdict(trimmed, kinds, tuple(r for _, r in found))
