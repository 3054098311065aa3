"""What each step of a promotion conversation sounds like: the patterns the meeting plan reads
a user's line with and the scorecard checks it by, so the two never disagree."""

from __future__ import annotations

import re

# "May" is left out: "may I ask" is far more common in a meeting than the month.
_MONTHS = r"january|february|march|april|june|july|august|september|october|november|december"
_COUNT = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple of"
_PERIOD = rf"(?:{_COUNT})[- ](?:months?|weeks?|quarters?|years?|days?)"
# A period counts as a timeline only looking ahead: "in six months", not "for two years now".
# "within 6 weeks" is usually a result ("shipping solo within 6 weeks"), so it needs "next".
_AHEAD = (rf"(?:(?:in|after|by|over) (?:the )?(?:next |coming |following )?"
          rf"|(?:for|during|within) the (?:next|coming|following) ){_PERIOD}")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


PATTERNS: dict[str, re.Pattern[str]] = {
    "thanks": _rx(r"\b(thanks?|thank you|appreciat\w*|grateful|gratitude)\b"),
    "goal": _rx(r"\b(promot(ion|ed|e)|move (up|into)|moving (up|into|to)|step (up|into)|next level|"
                r"(the|a) [\w -]{0,40}\b(role|position|title))\b"),
    "feedback": _rx(r"\bwhat (would|do|did) you (need|think|see|want)|\bfeedback\b|\b(what|which) gaps\b|"
                    r"\bwhat('s| is) missing\b|\bhow do you see\b|\bwhat would it take\b|"
                    r"\bwhere do i (fall short|need to grow|stand)\b|"
                    r"\bwhat should i (work on|focus on|improve)\b|"
                    r"\bwhat am i missing\b|\byour (view|take|honest)\b|\bhow am i doing\b"),
    "specifics": _rx(r"\bspecific(s|ally)?\b|\bconcrete\b|\bexamples?\b|\bwhat exactly\b|"
                     r"\bwhich (areas|skills|gaps|ones)\b|\bwhat would ready look like\b"),
    "timeline": _rx(rf"\b{_AHEAD}\b|\b(next|this|coming) (quarter|month|half)\b|\bnext {_PERIOD}\b|"
                    rf"\bq[1-4]\b|\b({_MONTHS})\b|\btime ?line\b|\bstart date\b|"
                    r"\btime ?frame\b|\bwhen (could|can|would|might|will|should)\b|\brevisit\b|"
                    r"\bcheck in\b|\bnext (cycle|review|round)\b|\breview cycle\b|\b(a|the) date\b|"
                    r"\bby (the )?end of\b|\bnext year\b"),
    "revisit": _rx(rf"\brevisit\b|\bcheck in\b|\blook at (this|it) again\b|\bcome back to (this|it)\b|"
                   rf"\bin {_PERIOD}\b|\bover the next {_PERIOD}\b|\bnext (cycle|review|round)\b|"
                   rf"\bin ({_MONTHS})\b"),
    "follow_up": _rx(r"\bfollow[- ]?(up|through)\b|\brecap\b|\bsummar(y|ise|ize)\b|\bsend (you|over|it)\b|"
                     r"\be-?mail\b|\bin writing\b|\bwrite (it|this|that|them) (up|down)\b|\bcheck in\b|"
                     r"\bnext steps\b|\bcalendar\b|\bschedule\b"),
    "writing": _rx(r"\bin writing\b|\bby e-?mail\b|\be-?mail\b|\bwritten\b|"
                   r"\bwrite (it|this|that) (up|down)\b|\bconfirm\w*\b|\bdocument\w*\b"),
    "requirements": _rx(r"\brequirements?\b|\bwhat (do|would|will) (we|i|you) need\b|\bnext steps\b|"
                        r"\bpaperwork\b|\bapprov\w*\b|\bsign[- ]?off\b|\bstart date\b|\beffective\b|"
                        r"\bsalary\b|\bcompensation\b|\bresponsibilities\b"),
    "paths": _rx(r"\bcreat(e|ing) (the|this|that|a) (role|position)\b|\bwhat would it take\b|"
                 r"\b(other|alternative|different) (paths?|routes?|roles?|options?|ways?|teams?)\b|"
                 r"\bnext budget\b|\bbudget (cycle|round|request|planning)\b|\bheadcount (next|later)\b|"
                 r"\bscope (first|now|before)\b|\btitle (first|now)\b|\bpath forward\b"),
    "gaps": _rx(r"\b(which|what) (specific )?gaps\b|\bspecific(ally)?\b|\bconcrete (plan|examples?)\b|"
                r"\bexamples?\b|\bwhat would ready look like\b|\bwhat (exactly|specifically)\b"),
    "acknowledge": _rx(r"\bi understand\b|\bunderstood\b|\bhonest(y)?\b|\bappreciate\b|\bthank"
                       r"(s| you)\b|\bfair enough\b|\bthat'?s fair\b|\bi hear you\b"),
    "path_forward": _rx(r"\bwhat do you see (for|in) me\b|\bpath forward\b|\bwhere do you see me\b|"
                        r"\b(other|alternative|different) (paths?|roles?|tracks?|teams?|options?)\b|"
                        r"\binstead\b|\bwhat would (change|it take)\b|\bgoing forward\b|\bnext for me\b"),
}

# Figures that are about time, not results: "6 months", "2 weeks", "Q3".
TIME_FIGURE = _rx(r"\b(\d+)[- ](months?|weeks?|quarters?|years?|days?)\b|\bq[1-4]\b|\b(19|20)\d\d\b")
