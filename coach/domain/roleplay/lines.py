"""The manager's prepared lines, as the user hears them: filled with this user's names, title
and log entries, and never the same line twice in one meeting.

A persona line may name the user ("Thanks, {user}."). When the profile has no name the name is
left out with the words that only carry it ("Thanks."), never replaced by a stand-in. Which
line is said is picked by the meeting's seed among the lines not said yet; when a move's own
lines are used up, neutral lines of the same kind follow, and past those, an earlier line is
said again only with a different lead-in, as people do when they rephrase.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from coach.domain.roleplay.facts import LogFact
from coach.domain.text import sentences, words

# Lines any manager can say in the meeting; the last pools a move draws from.
NEUTRAL: tuple[str, ...] = (
    "Go on.",
    "Tell me more about that.",
    "I hear you.",
    "Okay. What else is on your mind?",
    "That's fair to raise.",
    "Let's keep talking it through.",
)
# Lead-ins that turn a line already said into a rephrasing of it.
LEAD_INS: tuple[str, ...] = ("To put it another way: ", "As I said, ", "Let me say it again: ",
                             "Just to be clear, ", "Again, ")

_NAME = "{user}"


def join_words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def drop_name(template: str) -> str:
    """`template` without its {user} placeholder and the punctuation that only carried it.

    "Thanks, {user}." -> "Thanks."; "Hi {user}, come in." -> "Hi, come in.";
    "{user}, tell me more." -> "tell me more." (sentence starts are capitalised when filled).
    """
    text = re.sub(r",\s*\{user\}(?=\s*[.!?,;:])", "", template)  # "Thanks, {user}." / "Great, {user},"
    text = re.sub(r"(^|(?<=[.!?]\s))\{user\}\s*,\s*", "", text)  # "{user}, tell me ..."
    text = re.sub(r"\s*\{user\}(?=\s*[.!?,;:])", "", text)  # "Hi {user}, come in."
    return text.replace(_NAME, "you")  # "{user}" mid-sentence: the person addressed


def said_key(text: str) -> str:
    """A line as compared for repeats: its words, case and punctuation ignored."""
    return " ".join(words(text))


class LineBook:
    """Fills and picks the manager's prepared lines for one meeting."""

    def __init__(self, *, first_name: str, target: str, facts: Sequence[LogFact],
                 specifics: Sequence[str], seed: int):
        self.first_name = first_name
        self.target = target
        self.facts = list(facts)
        # How the manager names each entry, worked out once: lines are filled on every turn.
        self.phrases = [fact.phrase for fact in self.facts]
        self.specifics = list(specifics)
        self.seed = seed
        self.said: set[str] = set()

    def fill(self, template: str, index: int = 0) -> str:
        """Fill a persona line with this user's name, title and log entry number `index`."""
        at = index % len(self.facts) if self.facts else None
        fact = self.facts[at] if at is not None else None
        if not self.first_name:
            template = drop_name(template)
        text = template.format(
            user=self.first_name,
            target=self.target,
            entry=self.phrases[at] if at is not None else "the work you've been doing",
            metric=f" ({fact.metric})" if fact and fact.metric else "",
            specifics=join_words(self.specifics),
        )
        # Lines may start with a placeholder: capitalise each sentence start.
        return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)

    def pick(self, options: Sequence[str], purpose: str, index: int,
             more: Sequence[Sequence[str]] = ()) -> str:
        """A line for `purpose` not said yet in this meeting: first from `options`, then from
        each pool in `more`; the same seed and history give the same line."""
        rng = random.Random(f"{self.seed}:{purpose}:{index}")
        for pool in (options, *more):
            filled = list(dict.fromkeys(self.fill(o, index) for o in pool))
            fresh = [line for line in filled if said_key(line) not in self.said]
            if fresh:
                return fresh[rng.randrange(len(fresh))]
        line = self.fill(options[rng.randrange(len(options))], index)
        for lead in LEAD_INS:  # every line used up: rephrase one rather than repeat it
            again = lead + line[0].lower() + line[1:]
            if said_key(again) not in self.said:
                return again
        return line

    def remember(self, text: str) -> None:
        """Note a line the manager said (model-written or prepared), and each of its sentences:
        a line that was said as part of a longer one is said too."""
        for part in (text, *sentences(text)):
            if key := said_key(part):
                self.said.add(key)

    def was_said(self, text: str) -> bool:
        return said_key(text) in self.said
