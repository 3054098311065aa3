"""Timing and tenure: when to ask, in the words of coach/domain/timing.py's rules.

The bad moments carry the `Signal` the question reports, so the chat can run the user's own
timing check with that signal added (see `advise`).
"""

from __future__ import annotations

from coach.domain.advice import vocabulary as v
from coach.domain.advice.rule import Rule, ref
from coach.domain.profile import Signal

BAD = ref("timing.md", "Bad moments to ask")
GOOD = ref("timing.md", "Good moments to ask")
WHEN_BAD = ref("timing.md", "When the timing is bad")
HOW_LONG = ref("timing.md", "How long to wait in your current role")
EARLY = ref("timing.md", "Don't wait only for the annual review")
CHECK = ref("timing.md", "A quick timing check")
SLOT = ref("requesting-the-meeting.md", "Choosing the slot")
NOT_OWED = ref("why-promotions-happen.md", "What a promotion is not")

TIMING_RULES: tuple[Rule, ...] = (
    Rule(id="timing-layoffs", area="timing", says=v.LAYOFFS, stance="no", signal=Signal.LAYOFFS,
         priority=30, rests_on=(BAD, WHEN_BAD), answer=(
             "Not now: while the company is cutting jobs, a request to spend more on you is very "
             "likely to be turned down and can come across as out of touch.",
             "Keep adding results to your log, and let your manager know the growth conversation "
             "is one you want to have once things have settled. [2]")),
    Rule(id="timing-hiring-freeze", area="timing", says=v.HIRING_FREEZE, stance="wait",
         signal=Signal.HIRING_FREEZE, priority=30, rests_on=(BAD, WHEN_BAD), answer=(
             "Wait until the freeze is lifted: a new title normally needs both budget and "
             "headcount, and a freeze locks both.",
             "Use the time to strengthen your case, so it is ready the moment hiring opens "
             "again. [2]")),
    Rule(id="timing-weak-finances", area="timing", says=v.WEAK_FINANCES, stance="wait",
         signal=Signal.FINANCIALS_WEAK, priority=30, rests_on=(BAD, WHEN_BAD), answer=(
             "This is not a good moment: when money is tight, the budget for raises and new "
             "titles is one of the first things to shrink.",
             "Look at it again after the next quarter's results, and keep your goal on your "
             "manager's radar in the meantime. [2]")),
    Rule(id="timing-recent-mistake", area="timing", says=v.MISTAKE, stance="wait",
         signal=Signal.RECENT_MISTAKE, priority=30, rests_on=(BAD,), answer=(
             "Give it a little time: let a stretch of solid results follow the mistake, roughly "
             "three months, before you make the formal request.",
             "Asking with that record behind you is much stronger than asking while the "
             "mistake is what people remember.")),
    Rule(id="timing-manager-overloaded", area="timing", says=v.BOSS_OVERLOADED, stance="wait",
         signal=Signal.MANAGER_OVERLOADED, priority=30, rests_on=(BAD, SLOT), answer=(
             "Wait until the pressure on your manager eases: someone fighting fires cannot "
             "give your case the attention it deserves.",
             "Once things calm down, ask for a dedicated slot at a quiet point in the week. [2]")),
    Rule(id="timing-reorg", area="timing", says=v.REORG, stance="wait", priority=25,
         rests_on=(SLOT, WHEN_BAD), answer=(
             "Hold off until the reorganisation settles and you know who will decide on your "
             "promotion.",
             "Meanwhile keep building your record and let your manager know the goal, so you "
             "can book the meeting as soon as reporting lines are clear. [2]")),
    Rule(id="timing-recent-win", area="timing", says=v.RECENT_WIN, needs=v.WHEN, stance="yes",
         signal=Signal.RECENT_WIN, priority=20, rests_on=(GOOD,), answer=(
             "Yes, this is a good moment: a clear win puts your value in front of everyone, so "
             "ask while it is still fresh.",
             "Bring the numbers behind the result and show the part you played in it.")),
    Rule(id="timing-review-cycle", area="timing", says=v.REVIEW_CYCLE,
         needs=(r"\bwhen\b", r"\bhow (?:early|soon|far ahead)\b", r"\bstart\b", r"\bwait\b",
                r"\btoo late\b"),
         stance="yes", priority=20, rests_on=(EARLY, GOOD), answer=(
             "Start well before the review: tell your manager your goal about a quarter ahead "
             "of the cycle, while nominations and budgets are still open.",
             "Then bring the full written case shortly before nominations close; waiting until "
             "the review itself is usually too late.")),
    Rule(id="timing-tenure-big-scope", area="timing", says=v.MONTHS_IN, needs=v.BIG_SCOPE,
         stance="yes", priority=22, rests_on=(BAD, HOW_LONG), answer=(
             "Yes, you can ask before a year in the role when your scope has already grown "
             "well beyond it, as yours seems to have.",
             "Make that growth visible: your log and written case need to show the bigger "
             "work, because time in the role will not argue for you. [2]")),
    Rule(id="timing-tenure-short", area="timing", says=v.MONTHS_IN, stance="wait", priority=21,
         rests_on=(HOW_LONG, BAD), answer=(
             "It is usually too early for the formal request before about a year in the role.",
             "Tell your manager about your goal now and keep building the record; the "
             "exception is a role whose scope has already grown a lot. [2]")),
    Rule(id="timing-how-long", area="timing", says=v.HOW_LONG, stance="how", priority=15,
         rests_on=(HOW_LONG, NOT_OWED), answer=(
             "The usual expectation is somewhere between a year and a year and a half in a role, "
             "and often more at senior levels.",
             "It is a norm rather than a right: time in the seat never replaces evidence that "
             "you already work at the next level. [2]")),
    Rule(id="timing-now", area="timing",
         says=(r"\b(?:good|right|best|bad) (?:time|moment) to ask\b",
               r"\bwhen (?:is|would be|should i)\b.{0,30}\bask\b", r"\bis now\b.{0,20}\b(?:time|moment)\b"),
         stance="depends", priority=5, rests_on=(CHECK, GOOD), answer=(
             "It depends on a handful of signals: a recent win, an approaching review or "
             "planning cycle, a healthy and hiring company, a manager with room to listen, "
             "and enough time in your role.",
             "When most of them look favourable, book the meeting; when several look "
             "unfavourable, get the case ready and pick a later date.")),
)
