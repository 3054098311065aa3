"""What a piece of work shows, guessed from its words: a suggested kind and a next-level flag.

Suggestions only: the user confirms or changes them in the inbox. The rules are plain word
lists, first match wins, so a reader can tell why a candidate got its kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coach.domain.evidence import Kind

# (kind, words). Order matters within one text: an "architecture talk" is a talk.
KIND_WORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (Kind.EXECUTIVE_COMMUNICATION, ("talk", "presentation", "presenting", "keynote", "demo",
                                    "all-hands", "all hands", "town hall", "brown bag",
                                    "lunch and learn", "lunch & learn", "conference",
                                    "meetup", "webinar", "showcase", "leadership update")),
    (Kind.STRATEGY, ("rfc", "design doc", "architecture", "adr", "roadmap",
                     "strategy", "proposal", "vision")),
    (Kind.MENTORING, ("mentor*", "pairing", "pair programming", "paired with",
                      "co-authored-by", "onboard*", "coaching", "review",
                      "workshop", "training", "teach", "office hours", "1:1")),
    (Kind.LEADERSHIP, ("cross-team", "cross team", "across teams", "multi-team",
                       "coordinated", "led the", "incident commander", "migration plan",
                       "rollout plan", "working group", "guild")),
    (Kind.RESPONSIBILITY, ("on-call", "on call", "incident", "postmortem", "post-mortem",
                           "outage", "sev1", "sev-1", "security fix", "vulnerability")),
    (Kind.LEARNING, ("spike", "prototype", "proof of concept", "poc", "investigat*",
                     "research")),
)
# Words (or labels) that say the work is at the level above: scope beyond the team, the
# org's direction, or an audience of leaders.
NEXT_LEVEL_WORDS: tuple[str, ...] = (
    "next-level", "next level", "promo", "promotion", "staff", "principal", "org-wide",
    "company-wide", "cross-team", "cross team", "across teams", "multi-team", "rfc",
    "design doc", "architecture", "strategy", "roadmap", "all-hands", "all hands", "keynote",
    "town hall", "conference", "leadership", "executive", "exec review", "vp", "cto",
    "led the", "incident commander", "working group",
)


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    # Whole words with a plain ending ("talks", "reviewed"), so "vp" never fires on "vpn";
    # a word ending in "*" is a stem and matches as a prefix ("investigat*").
    alternatives = sorted((re.escape(w[:-1]) + r"\w*" if w.endswith("*")
                           else re.escape(w) + r"(?:s|es|ed|ing)?(?![\w-])" for w in words),
                          key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")")  # on lowered text


# One pass per text: every kind's words in one pattern, each kind a named group.
_KINDS = re.compile("|".join(f"(?P<k{i}>{_pattern(words).pattern})"
                             for i, (_, words) in enumerate(KIND_WORDS)))
_NEXT_LEVEL = _pattern(NEXT_LEVEL_WORDS)
MAX_SCAN = 10_000  # the words that matter are near the top; a pasted log must stay cheap


def suggest_kind(*texts: str, default: Kind = Kind.RESULT) -> Kind:
    """The first kind whose words appear, text by text (a title before a body), else `default`.

    Within one text, the kind listed first in KIND_WORDS wins.
    """
    for text in texts:
        found = {m.lastgroup for m in _KINDS.finditer(text[:MAX_SCAN].lower()) if m.lastgroup}
        for index, (kind, _) in enumerate(KIND_WORDS):
            if f"k{index}" in found:
                return kind
    return default


def suggests_next_level(*texts: str) -> bool:
    """True when the texts (or labels) say the work reaches past the team or the level."""
    return any(_NEXT_LEVEL.search(t[:MAX_SCAN].lower()) for t in texts if t)
