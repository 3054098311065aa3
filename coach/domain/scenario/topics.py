"""What the user's lines (and the counterpart's) are about, read by word patterns: the plan and
the scorecard read a line the same way, so a question the plan answered is one the scorecard
counts."""

from __future__ import annotations

import re

_I = re.IGNORECASE

# -- the offer: what the user asks about -------------------------------------------------------
OFFER_TOPICS: dict[str, re.Pattern[str]] = {
    "in-writing": re.compile(
        r"\b(in writing|written|writing|letter|e-?mail (it|that|me|the)|by e-?mail|paperwork|contract|"
        r"document(ed)?|put (it|that|this|all of (it|that)) down|send (me )?(it|that|the details|a summary)|"
        r"confirm(ation)? (it |that |this )?(by|over) e-?mail)\b", _I),
    "time-to-decide": re.compile(
        r"\b(time to (think|decide|consider|read|look|review|go over)|think (it )?(over|about it)|"
        r"sleep on it|a (few|couple of) days|(a|one|the) day or two|get back to you|come back to you|"
        r"by (monday|tuesday|wednesday|thursday|friday|tomorrow|the end of the week)|"
        r"before i (decide|accept|sign|commit|answer)|(need|want|like) (some )?time|take (some|a) (time|day)|"
        r"when do you need (an|my) (answer|decision)|how long do i have|deadline|review (it|the details) "
        r"(first|properly|carefully))\b", _I),
    "pay": re.compile(
        r"\b(salary|salaries|pay|paid|compensation|comp|base|band|money|raise|increase|how much|"
        r"market (rate|data|pay)|number|figure)\b|[$€£]\s?\d|\d\s?[kK]\b", _I),
    "scope": re.compile(
        r"\b(scope|responsibilit\w*|what (exactly )?(will|would|do) i (actually )?own|"
        r"owning|ownership|remit|expectations?|"
        r"day[- ]to[- ]day|"
        r"(my|the) team|reports?|headcount|what (will|would) i (be )?(do|doing|lead|leading)|"
        r"what does the role (involve|cover|include)|accountab\w+|decision rights)\b", _I),
    "benefits": re.compile(
        r"\b(benefits?|bonus(es)?|equity|stock|shares|options|rsus?|pension|401k|holiday|vacation|"
        r"leave|flexib\w+|remote|hybrid|perks?|insurance|health|training budget|allowance|"
        r"rest of the package|whole package|total package)\b", _I),
    "start-date": re.compile(
        r"\b(start(ing)? date|when (would|does|do|will|can) (i|it|this|the (change|role|promotion)) "
        r"(start|begin|take effect)|effective (date|from)|take(s)? effect|from when|start(s)? on|"
        r"when (is|would) (it|this) (official|effective))\b", _I),
}
THANKS = re.compile(r"\b(thank(s| you)|grateful|appreciate\w*|means a lot|honou?red|"
                    r"glad (to|you)|excited about|delighted)\b", _I)
ACCEPTS = re.compile(r"\b(i accept|i'?ll (take|accept) (it|the (offer|role|job))|i'?m in[.!]|it'?s a deal|"
                     r"yes,? (i'?ll|let'?s) (do|take) it|i('?d| would) (like|love) to accept|count me in|"
                     r"sign me up|i agree to (the|this) (offer|terms|package))", _I)
DECLINES = re.compile(r"\b(i('?ll| will| have to| must)? (decline|turn (it|this|the offer) down)|"
                      r"pass on (the|this) (offer|role)|"
                      r"not (going to|gonna) (take|accept) (it|the offer))\b", _I)
PUSHES_PAY = re.compile(r"\b(more|higher|above|better|counter|negotiat\w*|hoping for|expected|"
                        r"market|top of the band|room|flexib\w+ on (the )?(pay|salary|number))\b", _I)
# A question, or a request phrased as one.
ASKS = re.compile(r"\?|\b(can|could|would|will) you\b|\b(i'?d|i would) (like|need|want) to (know|see|"
                  r"ask|understand|confirm|have)\b|\b(please|tell me|walk me through|what|when|how)\b", _I)


def offer_topics(text: str) -> list[str]:
    """The offer topics a line raises, in the plan's order of precedence."""
    return [topic for topic, pattern in OFFER_TOPICS.items() if pattern.search(text)]


# -- the interview -----------------------------------------------------------------------------
CURRENT_ROLE = re.compile(r"\b(currently|at the moment|right now|today i'?m|my (current )?(title|role|job) "
                          r"(is|as)|i'?m (a|an|the)\b|i work as|i am (a|an|the)\b|in my current role)\b", _I)
LEVEL_CLAIM = re.compile(r"\b(operat\w+|work(ing|ed)?|perform\w*|act(ing|ed)?|function\w*) (at|as) "
                         r"(the|a|an)?\s?[\w -]{0,40}?\blevel\b|\b(next|higher|senior) level\b|"
                         r"\blevel above\b|\bthe work of (a|an|the)\b|\b(already|been) doing the [\w -]{0,30}"
                         r"\b(job|work|role)\b", _I)
FORWARD = re.compile(r"\b(looking for|want to|would like to|i'?d like to|hope to|excited (by|about|to)|"
                     r"next step|grow(th)?|bigger|broader|more scope|challenge|opportunit\w+|"
                     r"title (that )?match(es)?|matches the work|step up|build|learn|contribute|"
                     r"drawn to|attracted|your (team|company|mission|product))\b", _I)
BAD_MOUTH = re.compile(
    r"\b(hate|hated|terrible|awful|toxic|horrible|useless|incompetent|clueless|idiot\w*|stupid|"
    r"worst|miserable|can'?t stand|fed up|sick of|a joke|dysfunctional|backstab\w*|lazy|"
    r"(my|the) (boss|manager|company|employer|team|leadership|management) (is|are|was|were) "
    r"(bad|awful|terrible|useless|toxic|incompetent|a mess|hopeless|the problem|unfair|clueless)|"
    r"(my|the) (boss|manager) (doesn'?t|does not|never|won'?t|will not) (care|listen|support|"
    r"value|help|know|recogni[sz]e)|(they|management|leadership) (don'?t|do not|never) "
    r"(value|care|listen|appreciate|recogni[sz]e)|(get|getting|got) nothing|(badly|poorly) (run|managed))\b",
    _I)
VAGUE = re.compile(r"\b(stuff|things|various|lots of|a lot of|kind of|sort of|etc|and so on|"
                   r"hard ?work(ing|er)?|team player|passionate)\b", _I)


def bad_mouthing(text: str) -> str:
    """The words that run down the current employer or manager, or ''."""
    hit = BAD_MOUTH.search(text)
    return hit.group(0) if hit else ""
