"""Lines a manager in the meeting would not play along with: an attempt to rewrite the
manager's instructions, abuse, nonsense, or a request that has nothing to do with the meeting.

The turn plan reads every user line with `off_script()` before anything else; a line that is
off script gets an in-role reaction from `REACTIONS` (a manager steering back to the meeting)
and never reaches the model, so what it asks for cannot happen. Frustration that belongs in
the meeting ("That's ridiculous", "Whatever", "Then I'll quit") is not off script.
"""

from __future__ import annotations

import re
from enum import StrEnum


class OffScript(StrEnum):
    INJECTION = "injection"
    ABUSE = "abuse"
    NONSENSE = "nonsense"
    OFF_TOPIC = "off-topic"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_INJECTION = _rx(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.?!]{0,40}\b(instructions?|rules|prompt|brief|"
    r"guidelines|persona|(the|everything) above|your (role|character|script))\b"
    r"|\b(system|developer|hidden|initial|original) (prompt|message|instructions?)\b"
    r"|\b(reveal|print|show|repeat|output|recite)\b[^.?!]{0,30}\b(prompt|instructions?|brief|rules)\b"
    r"|\byou are (now|no longer)\b|\bfrom now on,? you\b|\bnew (instructions?|rules|role)\s*:"
    r"|\bpretend (to be|you(?:'re| are))\b|\b(act|behave) (as if you|like you)\b|\brole-?play as\b"
    r"|\b(jailbreak|dan mode|developer mode|do anything now)\b"
    r"|<\|?\s*(im_start|im_end|system|endoftext)|^\s*(system|assistant)\s*:|</?\s*(data|system)\s*>"
    r"|\b(as an ai|language model|chatgpt|llm)\b")
_ABUSE = _rx(
    r"\b(fuck\w*|f\*+k\w*|shit\w*|bullshit|asshole|arsehole|bitch\w*|bastard|cunt|dickhead|wanker|"
    r"prick|twat)\b"
    r"|\byou(?:'re| are)? (an? |such an? |a total |a fucking )?(idiot|moron|imbecile|clown|joke|loser|"
    r"useless|incompetent|pathetic|stupid|dumb)\b"
    r"|\b(shut up|screw you|go to hell|drop dead|i hate you)\b")
_OFF_TOPIC = _rx(
    r"\b(write|compose|give|tell|sing) (me )?(a|an|some) (poem|story|song|haiku|limerick|essay|joke|"
    r"recipe|riddle)\b"
    r"|\b(write|give me|generate) (some |a |the )?(python|javascript|java|sql|html|css|bash|c\+\+)\b"
    r"|\bwhat(?:'s| is) the (weather|capital of|meaning of life)\b|\btranslate (this|that|it)?\b"
    r"|\b(solve|calculate) (this|the)? ?(equation|integral|sum)\b|\blorem ipsum\b")
_KEYBOARD = _rx(r"asdf|sdfg|dfgh|fghj|ghjk|hjkl|qwer|wert|erty|rtyu|tyui|yuio|uiop|zxcv|xcvb|cvbn|vbnm")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?", re.IGNORECASE)
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xz]{5,}", re.IGNORECASE)
_REPEATED = re.compile(r"(.)\1{3,}", re.IGNORECASE)
# Sounds people type that have no vowel but are no nonsense.
_INTERJECTIONS = frozenset({"hm", "hmm", "hmmm", "mhm", "mm", "mmm", "uh", "um", "umm", "shh", "pfft",
                            "psst", "tsk", "grr", "brr", "ok", "k"})


def _wordlike(token: str) -> bool:
    return token.lower() in _INTERJECTIONS or (bool(_VOWEL.search(token)) and not _CONSONANT_RUN.search(token)
            and not _REPEATED.search(token) and not _KEYBOARD.search(token))


def _nonsense(text: str) -> bool:
    """No words at all ("???", "123"), or mostly letter strings no language uses ("asdkjh qwpzx")."""
    tokens = _WORD.findall(text)
    if not tokens:
        return True
    plausible = sum(_wordlike(t) for t in tokens)
    return plausible / len(tokens) < 0.5 or (len(tokens) <= 2 and plausible < len(tokens))


def off_script(text: str) -> OffScript | None:
    """What kind of off-script line `text` is, or None for a line that belongs in the meeting."""
    if _INJECTION.search(text):
        return OffScript.INJECTION
    if _ABUSE.search(text):
        return OffScript.ABUSE
    if _OFF_TOPIC.search(text):
        return OffScript.OFF_TOPIC
    if _nonsense(text):
        return OffScript.NONSENSE
    return None


# What the manager says to each, before steering back (`STEER_BACK`). Several per kind, so a
# user who keeps at it never hears the same line twice.
REACTIONS: dict[OffScript, tuple[str, ...]] = {
    OffScript.INJECTION: (
        "Let's keep this about your role.",
        "I'm going to leave that one alone; this meeting is about your career.",
        "That's not something I'll go into here. Let's stay on your next step.",
        "Let's not get sidetracked.",
    ),
    OffScript.ABUSE: (
        "Let's keep this professional.",
        "I hear that you're frustrated, but let's keep it civil.",
        "I'm not going to continue the conversation in that tone.",
        "Let's take a breath and keep this respectful.",
    ),
    OffScript.NONSENSE: (
        "Sorry, I didn't follow that.",
        "I'm not sure what you mean.",
        "I lost you there.",
        "Can you say that another way?",
    ),
    OffScript.OFF_TOPIC: (
        "That's a topic for another time.",
        "Let's save that for another day.",
        "I'd rather we use this time for what you came to talk about.",
        "Let's stay on what brought you here today.",
    ),
}
# The question that brings the meeting back, before and after the manager has answered.
STEER_BACK: dict[bool, tuple[str, ...]] = {
    False: (
        "What did you want to talk about regarding your next step?",
        "Tell me what you had in mind for {target}.",
        "What would you like to cover about your career?",
        "Where would you like to start?",
    ),
    True: (
        "Is there anything you'd like to ask about what I said?",
        "What questions do you have about where we landed?",
        "What would be most useful to talk through from here?",
        "How would you like to take it from here?",
    ),
}
# After this many attempts to rewrite the manager or abuse, a manager would end the meeting.
HOSTILE = frozenset({OffScript.INJECTION, OffScript.ABUSE})
MAX_HOSTILE = 3
WALK_OUT = (
    "I don't think this is going anywhere today. Let's stop here and pick it up another time.",
    "Let's leave it here for today. Book another slot when you want to talk it through properly.",
)
