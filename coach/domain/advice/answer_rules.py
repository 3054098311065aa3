"""The manager's answer, and what comes after it: the five `ResponseType`s and how to handle
each (the role-play's `handling_step`, in the chat's words), then following through.
"""

from __future__ import annotations

from coach.domain.advice import vocabulary as v
from coach.domain.advice.rule import Rule, ref

OVERVIEW = ref("manager-responses.md", "The four harder answers at a glance")
BETWEEN = ref("manager-responses.md", "Reading between the lines")
AFTER_ANY = ref("manager-responses.md", "After any response")
YET_PLAN = ref("response-not-yet.md", "Turn the feedback into a plan")
YET_JUDGED = ref("response-not-yet.md", "Agree how progress will be judged")
YET_WRITE = ref("response-not-yet.md", "Write it down")
YET_AGAIN = ref("response-not-yet.md", "When \"not yet\" keeps repeating")
HIDDEN_NO = ref("after-a-no.md", "Watch for a hidden no")
BUDGET_FIRST = ref("response-no-budget.md", "Take it at face value first")
BUDGET_ASK = ref("response-no-budget.md", "Questions worth asking")
BUDGET_OPTIONS = ref("response-no-budget.md", "Options short of a full promotion now")
BUDGET_ROUND = ref("response-no-budget.md", "Get into the next budget round")
BUDGET_REAL = ref("response-no-budget.md", "Real limit or polite no?")
READY_CALM = ref("response-not-ready.md", "Don't argue in the moment")
READY_SPECIFIC = ref("response-not-ready.md", "Ask for specifics")
READY_VAGUE = ref("response-not-ready.md", "Translate vague feedback into actions")
READY_NONE = ref("response-not-ready.md", "When no gap can be named")
FIT_CALM = ref("response-not-in-role.md", "Respond calmly in the moment")
FIT_SEE = ref("response-not-in-role.md", "Ask what they do see for you")
FIT_SECOND = ref("response-not-in-role.md", "Get a second view")
FIT_PATH = ref("response-not-in-role.md", "Decide whether there is a path here")
YES_WRITE = ref("after-a-yes.md", "Get it in writing")
YES_PACKAGE = ref("after-a-yes.md", "Check the package before you accept")
YES_CHASE = ref("after-a-yes.md", "Chase the paperwork politely")
YES_PEERS = ref("after-a-yes.md", "Handle the change with your old peers")
NO_DAY = ref("after-a-no.md", "Give yourself a day before reacting")
NO_WHY = ref("after-a-no.md", "Find out exactly why")
NO_DATE = ref("after-a-no.md", "Set a date to revisit")
MOVE_SIGNS = ref("moving-companies.md", "Signs it may be time to look outside")
MOVE_FIRST = ref("moving-companies.md", "Try the internal route properly first")
MOVE_COUNTER = ref("moving-companies.md", "Counter-offers")
MOVE_EXTERNAL = ref("moving-companies.md", "The external promotion")
MOVE_STORY = ref("moving-companies.md", "Telling your story in interviews")

ANSWER_RULES: tuple[Rule, ...] = (
    Rule(id="answer-yes", area="follow-through", stance="how", priority=40,
         says=(v.BOSS + r"\s+(?:said|says|agreed to|approved)\s+(?:yes|my promotion|to promote me)\b",
               r"\bagreed to promote me\b", r"\bapproved my promotion\b"),
         rests_on=(YES_WRITE, YES_CHASE), answer=(
             "Thank your manager, then pin down the title, the date it takes effect, the pay, "
             "the responsibilities that change and who else still has to sign off.",
             "Ask for those details in an email within a day, and if the agreed date passes "
             "with no paperwork, follow up politely until it is done. [2]")),
    Rule(id="answer-not-yet-again", area="manager-response", stance="depends", priority=55,
         says=(r"\bnot yet\b.{0,40}\b(?:again|new conditions|moved|goalposts)\b",
               r"\b(?:did|done|delivered|finished) (?:all|everything)\b.{0,60}\bnot yet\b",
               r"\bgoalposts\b"),
         rests_on=(YET_AGAIN, HIDDEN_NO), answer=(
             "If you delivered what you agreed and new conditions appear, say so calmly and ask "
             "what is really standing in the way.",
             "Goalposts that keep moving are one of the signs of a hidden no, so weigh your "
             "options here and elsewhere if it happens again. [2]")),
    Rule(id="answer-vague-over-time", area="manager-response", stance="depends", priority=50,
         says=(r"\bevery time i (?:raise|ask|bring)\b", r"\bkeeps? (?:saying|telling me)\b",
               r"\bnothing (?:has )?happened\b", r"\bsilence\b", r"\bcycle after cycle\b"),
         rests_on=(BETWEEN, HIDDEN_NO), answer=(
             "An answer that names dates counts, even when it is a no for now; the same vague "
             "reply meeting after meeting usually means no.",
             "Ask for something concrete with a date, and if it never comes, treat it as a "
             "hidden no and raise it with your manager's manager or HR. [2]")),
    Rule(id="answer-not-yet", area="manager-response", says=v.NOT_YET, needs=v.SAID,
         stance="how", priority=40, rests_on=(YET_PLAN, YET_JUDGED, YET_WRITE), answer=(
             "Treat it as a roadmap rather than a no: ask for the two or three things that would "
             "make it a yes, each with an example, an action and a visible result.",
             "Agree who else has to be convinced and a date to look at it again. [2]",
             "Confirm it all in an email the same day, so the plan survives a busy quarter or a "
             "change of manager. [3]")),
    Rule(id="answer-no-budget-real", area="manager-response", says=v.NO_BUDGET, stance="depends",
         needs=(r"\bnice way\b", r"\bpolite\b", r"\b(?:real|true|genuine)\b", r"\bbelieve\b",
                r"\bexcuse\b", r"\bsaying no\b", r"\bsoft no\b"),
         priority=45, rests_on=(BUDGET_REAL, BUDGET_ASK), answer=(
             "It is probably genuine if costs are visibly being cut, no one else is moving up "
             "either, and your manager takes your questions seriously.",
             "It is more likely a soft no if others are promoted, no date ever comes, or the "
             "same reason returns every cycle; then treat it like a judgement that you do not "
             "fit the role.",
             "Asking when the next budget decision is, and who makes it, usually tells you "
             "which. [2]")),
    Rule(id="answer-no-budget", area="manager-response", says=v.NO_BUDGET, stance="no",
         priority=41, rests_on=(BUDGET_FIRST, BUDGET_ASK, BUDGET_OPTIONS, BUDGET_ROUND), answer=(
             "Do not just wait: accept the constraint, then ask what creating the role would "
             "require and when the next budget decision is made.",
             "Offer your manager a short written case to put into that budget round. [4]",
             "Ask about options in the meantime, such as the title now with the pay from a fixed "
             "later date, or the wider scope now with a committed review date. [3]")),
    Rule(id="answer-not-ready", area="manager-response", says=v.NOT_READY, needs=v.SAID,
         stance="no", priority=40, rests_on=(READY_CALM, READY_SPECIFIC, READY_VAGUE, READY_NONE),
         answer=(
             "Do not argue or list your achievements on the spot; thank them and ask which gaps "
             "they see in particular, with an example of each.",
             "Turn vague words such as presence or experience into a concrete action you can "
             "take, and agree a written plan with a date to look again. [3]",
             "If no gap can be named even when you ask, ask once more, then talk to your "
             "manager's manager or HR about how decisions are made. [4]")),
    Rule(id="answer-no-fit", area="manager-response", says=v.NO_FIT, stance="depends",
         priority=40, rests_on=(FIT_CALM, FIT_SEE, FIT_SECOND, FIT_PATH), answer=(
             "Do not give up on the spot, and do not threaten to leave: thank them for being "
             "direct and ask what they do see for you.",
             "Ask what that other path involves, its likely timeline and its pay. [2]",
             "Then get a second view from a mentor or your manager's manager before you decide "
             "whether there is a path for you here. [3]")),
    Rule(id="after-title-no-pay", area="follow-through", stance="no", priority=45,
         says=(r"\b(?:new )?title\b.{0,50}\b(?:salary|pay|raise)\b.{0,30}\b(?:same|unchanged|"
               r"didn'?t change|stayed|no raise)\b", r"\btitle (?:but|without) (?:a |any )?(?:raise|pay)\b"),
         rests_on=(YES_PACKAGE,), answer=(
             "Do not just accept it as it is: ask when the pay will catch up with the new title.",
             "Get that date in writing, and compare the pay with the market rate for the level "
             "rather than with your old salary.")),
    Rule(id="after-managing-peers", area="follow-through", stance="how", priority=35,
         says=(r"\b(?:were|used to be) my (?:peers|teammates|colleagues|friends)\b",
               r"\bmanag\w* (?:my )?(?:former|old) (?:peers|teammates|colleagues|friends)\b",
               r"\bfriends?\b.{0,30}\breport to me\b"),
         rests_on=(YES_PEERS,), answer=(
             "Name the change openly rather than pretending nothing happened.",
             "Have a private conversation with each of them about working together, and be fair "
             "and consistent from the first day, neither a pal nor suddenly distant.")),
    Rule(id="after-no-plan-real", area="follow-through", stance="depends", priority=45,
         says=(r"\bplan\b.{0,60}\b(?:real|keep me quiet|for show|genuine)\b",
               r"\bcheck-?ins?\b.{0,20}\bcancel", r"\bkeep me quiet\b"),
         rests_on=(HIDDEN_NO,), answer=(
             "Watch for the warning signs: criteria that move each time you meet them, "
             "check-ins that keep being cancelled, promised stretch work that never arrives, "
             "and people with less evidence promoted ahead of you.",
             "If several appear, bring it up plainly with your manager first, then with their "
             "manager or HR.")),
    Rule(id="after-no", area="follow-through", stance="how", priority=30,
         says=(r"\bdidn'?t (?:make|get) (?:it|the (?:promotion )?list|promoted|the promotion)\b",
               r"\bturned (?:me )?down\b", r"\b(?:got|was) rejected\b", r"\bthey said no\b"),
         unless=(r"\bplan\b",), rests_on=(NO_DAY, NO_WHY, NO_DATE), answer=(
             "Give yourself a day before you react, and talk it through with a person outside the "
             "team whose judgement you trust.",
             "Then book a short follow-up to ask for the reasons, with an example for each "
             "gap. [2]",
             "Turn them into a written plan with a date to revisit, often around six months "
             "out. [3]")),
    Rule(id="moving-counter-offer", area="follow-through", stance="depends", priority=45,
         says=(r"\b(?:outside|external|competing|other) offer\b", r"\bcounter-?offer\b"),
         rests_on=(MOVE_COUNTER,), answer=(
             "Think it through before you use an outside offer to get promoted here.",
             "Ask why it would take you resigning to get the promotion, whether the real problems "
             "would change, and where you would want to be a year from now.")),
    Rule(id="moving-when-to-leave", area="follow-through", stance="depends", priority=35,
         says=(r"\bpassed over\b", r"\btime to (?:leave|quit|move on|look elsewhere)\b",
               r"\bshould i (?:quit|leave)\b"),
         rests_on=(MOVE_FIRST, MOVE_SIGNS), answer=(
             "Make sure you have tried the internal route properly first: a written case, a "
             "proper meeting, a plan with dates, and a look at other teams.",
             "If several warning signs hold together over a year or more, such as being passed "
             "over despite delivering the plan, that is a strong signal to look outside. [2]")),
    Rule(id="moving-apply-elsewhere", area="follow-through", stance="yes", priority=30,
         says=(r"\bapply\b.{0,40}\b(?:other companies|elsewhere|outside)\b",
               r"\b(?:other companies|elsewhere)\b.{0,40}\bapply\b"),
         rests_on=(MOVE_EXTERNAL, MOVE_STORY), answer=(
             "Yes: apply at the title you want rather than the one you hold now.",
             "Describe the work you already do, with results from your log, so the title is "
             "the only thing that is missing. [2]")),
)
