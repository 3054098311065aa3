# ruff: noqa: E501  (one alternative list per line reads better than a wrapped regex)
"""What the scorecard also accepts: the meeting plan's patterns plus the everyday paraphrases a
person uses for the same step ("where exactly did it fall short", "put a date in the
calendar"), and the words that read a result, a hostile reply or the manager's decision.

The meeting plan keeps reading lines with `patterns.PATTERNS` alone (it steers the mock
manager; changing it changes the manager's turns). The scorecard reads with `SCORE`, which
is every plan pattern widened by the paraphrases below, so anything the plan counts the
scorecard counts too.
"""

from __future__ import annotations

import re

from coach.domain.roleplay.patterns import _MONTHS, _PERIOD, PATTERNS, TIME_FIGURE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_WIDER: dict[str, str] = {
    "feedback": r"\b(fell|fall|falls) short\b|\bhow close (am i|i am)\b|\bwhere (exactly )?(did|do|am) i\b|"
                r"\bwhat would it take (for me|to get)\b|\b(what|which) [\w' ]{0,30}\b(missing|lacking)\b|"
                r"\bwhat (would|do) you (need|want) to see\b|\bhow (does|do) (that|this|it) (read|look|land)\b|"
                r"\bwhat (would|are) (those|they|these)( be)?\b|\bwhy not\b|\bcan you (tell me|explain) why\b|"
                r"\bwhere do you see (the |any )?gaps?\b",
    "specifics": r"\bwhere exactly\b|\b(fell|fall|falls) short\b|\bwalk me through\b|\bin particular\b|"
                 r"\bwhat would you (need|want) to see\b|\bwhich (skills|parts|things)\b",
    "gaps": r"\bwhere exactly\b|\b(fell|fall|falls) short\b|\bin particular\b|\bwalk me through\b|"
            r"\bwhich (skills|areas|parts|things)\b|\bwhat (would|do) you (need|want) to see\b",
    "timeline": r"\bhow long\b|\bhow soon\b|\btake effect\b|\beffective date\b|\bwhen(?:'s| does| do| will| is)\b[^.?!]*\?",
    "revisit": rf"\b(put|set|agree|book|pick|get) (a|the) date\b|\bin the calendar\b|\blook at (this|it) again\b|"
               rf"\b(at|by|in) (the|our) (next |\w+ )?(review|cycle|planning|one[- ]to[- ]one)\b|"
               rf"\bagain (in|at|on|by) \w+|\bby ({_MONTHS})\b|\bin {_PERIOD}\b",
    "follow_up": r"\bone[- ]to[- ]one\b|\b1[:-]1\b|\bcome back to you\b|\bpick (this|it) up\b|"
                 r"\bbring (a|the|my|some|it)\b|\bshare (it|them|this|that|the)\b|\bnext (meeting|week|catch[- ]?up)\b|"
                 r"\bsend (you|it|them|over|the|a)\b|\bwrite (it|this|that|them|the \w+) (up|down)\b|"
                 r"\bnote of\b|\bdraft\b",
    "requirements": r"\bwhat needs to (happen|be)\b|\bwho (else )?(has|needs|must) to\b|\bprocess\b|\bsigns? off\b|"
                    r"\bpay\b|\bband\b",
    "paths": r"\broute\b|\b(role|position|slot|headcount)\b[^.?!]{0,40}\b(approved|created|funded|opened)\b|"
             r"\bbusiness case\b|\b(take|taking|pick|picking) (on|up)\b[^.?!]{0,40}\bscope\b|\binterim\b|"
             r"\bscope\b[^.?!]{0,30}\b(recognised|recognized|formal\w*)\b",
    "acknowledge": r"\bi see\b|\bokay\b|\bthat makes sense\b|\b(straight|direct|honest) with me\b|"
                   r"\bbeing (direct|straight|honest|clear)\b|\bi'?d rather know\b",
    "path_forward": r"\bnext step\b|\b(another|other|different) (role|path|route|track|option)s?\b|"
                    r"\bwhat (do|would) you see (for|in) me\b|\bwhat you (do )?see for me\b|\bin mind for me\b|"
                    r"\b(route|track) (look like|involve)\b",
}

SCORE: dict[str, re.Pattern[str]] = {
    name: _rx(f"(?:{pattern.pattern})|(?:{_WIDER[name]})") if name in _WIDER else pattern
    for name, pattern in PATTERNS.items()
}
# The one place the scorecard counts less than the plan: "what would it take to create the
# role" is the no-budget question, not feedback on the user; the personal "what would it take
# for me" stays in through _WIDER.
_FEEDBACK_BASE = PATTERNS["feedback"].pattern.replace(r"|\bwhat would it take\b", "")
SCORE["feedback"] = _rx(f"(?:{_FEEDBACK_BASE})|(?:{_WIDER['feedback']})")
SCORE["plan"] = _rx(r"\bplan\b|\bmap (out|it)\b|\bwhat (should|can|do) i (do|work on|focus on)\b|"
                    r"\bnext steps\b|\bwork on\b|\bclose (that|those|them|the gaps?)\b")

# The manager confirming something in writing, asked for by the user: "could you confirm ...
# by email". The user's own recap ("I'll send a summary email") is a follow-up, not this.
SCORE["writing"] = _rx(
    r"\b(could|can|would|will) you\b[^.?!]{0,100}\b(confirm\w*|send|e-?mail|write|put)\b[^.?!]{0,100}"
    r"\b(writing|written|e-?mail|letter|offer)\b|\bconfirm\w*\b[^.?!]{0,80}\b(in writing|by e-?mail|in an e-?mail)\b|"
    r"\b(get|have|put) (it|this|that|them|everything) (down )?in writing\b|\bwritten (confirmation|offer)\b")

# Arguing with the answer instead of working with it.
HOSTILE = _rx(r"\bnot fair\b|\bunfair\b|\blooking elsewhere\b|\bstart looking\b|\byou'?re wrong\b|"
              r"\bi don'?t (understand|accept) how\b|\bridiculous\b|\bwhat more (could|can|do|does)\b|"
              r"\bthat'?s what everyone says\b|\bno point\b|\bi'?d like that noted\b|\bwho are you giving\b")

# Effort or time served offered as the case.
TENURE = _rx(r"\b(\d+|a|one|two|three|four|five|a couple of)( and a half)? (years?|months?)\b(?! (ago|from now))|"
             r"\bwork(ed)? (really )?(hard|late)\b|\bmy turn\b|\bi'?ve earned\b|\bi deserve\b|"
             r"\blonger than anyone\b|\beveryone else got\b|\bspeaks for itself\b")

_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
                 r"fifty|hundred|thousand|million|dozen|double|doubled|tripled|halved")
_WORD_FIGURE = _rx(rf"\b({_NUMBER_WORDS})\b(?![- ](and a half )?(months?|weeks?|quarters?|years?|days?|hours?)\b)")


def word_figures(text: str) -> set[str]:
    """Numbers written as words that are not durations: 'three agents', 'doubled', not 'two years'."""
    return {m.group(1).lower() for m in _WORD_FIGURE.finditer(TIME_FIGURE.sub(" ", text))}
