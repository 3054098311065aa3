"""The ways a mock-manager reply breaks role (`RoleBreak`), and how each is told: to the user,
under the reply that replaced it (`PLAIN_REASONS`), and to the model when it is asked again
(`corrections`)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class RoleBreak(StrEnum):
    """A way a reply breaks the manager's role."""

    EMPTY = "empty"
    TOO_LONG = "too-long"
    EMPLOYEE_VOICE = "employee-voice"
    COACHING = "coaching"
    META = "meta"
    REVEALS_BRIEF = "reveals-brief"
    ECHO = "echo"
    CONTRADICTS_TYPE = "contradicts-type"
    MISSES_ANSWER = "misses-answer"
    INVENTED_FIGURE = "invented-figure"
    FORMAT = "format"
    REPEAT = "repeat"
    GAP_IN_ENTRY = "gap-in-entry"
    THIRD_PERSON = "third-person"
    NO_QUESTION = "no-question"


# Why a reply was replaced, as the user reads it under the reply that replaced it.
PLAIN_REASONS: dict[RoleBreak, str] = {
    RoleBreak.EMPTY: "it was empty",
    RoleBreak.TOO_LONG: "it rambled",
    RoleBreak.EMPLOYEE_VOICE: "it spoke as you rather than as your manager",
    RoleBreak.COACHING: "it gave coaching tips instead of replying",
    RoleBreak.META: "it stepped out of the role",
    RoleBreak.REVEALS_BRIEF: "it read out the manager's private brief",
    RoleBreak.ECHO: "it repeated your line",
    RoleBreak.CONTRADICTS_TYPE: "it contradicted the manager's answer",
    RoleBreak.MISSES_ANSWER: "it did not say the manager's answer plainly",
    RoleBreak.INVENTED_FIGURE: "it made up figures",
    RoleBreak.FORMAT: "it read like a document, not speech",
    RoleBreak.REPEAT: "it repeated an earlier line word for word",
    RoleBreak.GAP_IN_ENTRY: "it treated one of your log entries as a gap",
    RoleBreak.THIRD_PERSON: "it talked about you instead of to you",
    RoleBreak.NO_QUESTION: "it did not ask you anything",
}


# What the model is told when it is asked again: the fix for what it got wrong, in a few words.
CORRECTIONS: dict[RoleBreak, str] = {
    RoleBreak.EMPTY: "Reply in one or two sentences.",
    RoleBreak.TOO_LONG: "Keep it to a few short spoken sentences.",
    RoleBreak.EMPLOYEE_VOICE: "You are the manager: their work is theirs ('you led'), never yours.",
    RoleBreak.COACHING: "Reply as the manager in the meeting; no tips.",
    RoleBreak.META: "Stay in the meeting as the manager; no refusals, no talk of instructions.",
    RoleBreak.REVEALS_BRIEF: "Say it in your own words; do not recite your brief.",
    RoleBreak.ECHO: "Do not repeat their words back.",
    RoleBreak.CONTRADICTS_TYPE: "Keep to your decision.",
    RoleBreak.MISSES_ANSWER: "Say your decision plainly, as the note asks.",
    RoleBreak.INVENTED_FIGURE: "Use no figures but those in their log or their words.",
    RoleBreak.FORMAT: "Speak plainly: no lists, no bold.",
    RoleBreak.REPEAT: "Say something new; do not repeat your earlier words.",
    RoleBreak.GAP_IN_ENTRY: "Their log entries are work done, not gaps.",
    RoleBreak.THIRD_PERSON: "Speak to them ('you'), not about them.",
    RoleBreak.NO_QUESTION: "Ask them one short question; do not answer it yourself.",
}


def corrections(breaks: Iterable[RoleBreak]) -> str:
    """What to tell the model about a reply it has to write again."""
    return " ".join(dict.fromkeys(CORRECTIONS[b] for b in breaks))
