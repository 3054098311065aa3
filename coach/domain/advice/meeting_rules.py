"""The meeting (asking for it, its steps, what to avoid), declining, the next level's work and
the foundations: rules whose answer is the same whoever asks."""

from __future__ import annotations

from coach.domain.advice.rule import Rule, ref

DEDICATED = ref("requesting-the-meeting.md", "Ask for dedicated time")
SAY_WHAT = ref("requesting-the-meeting.md", "Say what the meeting is for")
SLOT = ref("requesting-the-meeting.md", "Choosing the slot")
BUSY = ref("requesting-the-meeting.md", "If your manager is remote or very busy")
OPEN = ref("the-conversation.md", "Open with appreciation")
SCRIPT = ref("the-conversation.md", "What to say: a sample script")
TERMS = ref("the-conversation.md", "Discuss pay and terms if an offer comes")
RECAP = ref("the-conversation.md", "After the meeting: follow up in writing")
AVOID = ref("the-conversation.md", "Things to avoid")
MISTAKES = ref("promotion-proposal.md", "Common mistakes")
DECLINE_WHY = ref("declining-a-promotion.md", "Good reasons to say no")
DECLINE_THANKS = ref("declining-a-promotion.md", "Say thank you first")
DECLINE_REASON = ref("declining-a-promotion.md", "Give a reason, honestly and briefly")
DECLINE_ALT = ref("declining-a-promotion.md", "Offer an alternative")
DECLINE_KEEP = ref("declining-a-promotion.md", "Keep the relationship strong")
WHY_START = ref("next-level-work.md", "Why start before you are promoted")
NO_AUTHORITY = ref("next-level-work.md", "Lead without formal authority")
CORE_JOB = ref("next-level-work.md", "Don't drop your current job")
FIND = ref("next-level-requirements.md", "Where to find the expectations")
GAP_LIST = ref("next-level-requirements.md", "Turning requirements into a gap list")
TO_LEAD = ref("next-level-requirements.md", "From individual contributor to team lead")
TO_MANAGER = ref("next-level-requirements.md", "From lead to manager")
TO_DIRECTOR = ref("next-level-requirements.md", "From manager to director or senior manager")
NOT_OWED = ref("why-promotions-happen.md", "What a promotion is not")
NOTICE = ref("why-promotions-happen.md", "Myth: my manager will notice and put me forward")
ENTITLED = ref("why-promotions-happen.md", "Myth: asking makes me look entitled")
FIT_CALM = ref("response-not-in-role.md", "Respond calmly in the moment")
AFTER_ANY = ref("manager-responses.md", "After any response")

_DECLINE_WORDS = (r"\bturn(?:ing)? (?:it |this |that |the \w+ |them )?down\b", r"\bdecline\b",
                  r"\bsay no\b",
                  r"\bdon'?t want (?:the|that|this)\b.{0,25}\b(?:role|position|job|promotion)\b",
                  r"\bstay (?:hands-on|technical|an ic|a specialist|an individual contributor)\b")

MEETING_RULES: tuple[Rule, ...] = (
    Rule(id="meeting-dedicated", area="meeting", stance="no", priority=35,
         says=(r"\bstand-?ups?\b",
               r"\bend of (?:a|the|our|my) (?:\w+ )?(?:meeting|call|sync|catch-?up|1:1|"
               r"one-on-one|one-to-one)\b",
               r"\bin passing\b", r"\b(?:corridor|hallway|elevator|coffee machine)\b",
               r"\bcasual(?:ly)?\b", r"\bover (?:slack|chat|teams|email|e-mail|text)\b",
               r"\b(?:by|via|in an?) (?:slack|chat message|email|e-mail|dm)\b"),
         needs=(r"\b(?:bring (?:it |this )?up|raise|ask|mention|request|promotion|title)\b",),
         rests_on=(DEDICATED, SLOT, SAY_WHAT), answer=(
             "No: book a separate half-hour meeting just for this conversation.",
             "A chat message or email is fine for booking it, but have the conversation itself "
             "in person or on video. [2]",
             "Say what the meeting is about when you book it, so your manager can prepare. [3]")),
    Rule(id="meeting-say-the-topic", area="meeting", stance="yes", priority=30,
         says=(r"\bkeep it vague\b", r"\b(?:tell|say|mention)\b.{0,30}\b(?:it'?s|it is) about\b",
               r"\bwhat the meeting is (?:for|about)\b"),
         rests_on=(SAY_WHAT,), answer=(
             "Yes, name the topic when you book the time.",
             "Being caught off guard puts a manager on the defensive, while knowing the purpose "
             "lets them think it over and check the process first.")),
    Rule(id="meeting-postponed", area="meeting", stance="how", priority=30,
         says=(r"\b(?:pushed|moved)\b.{0,40}\bback\b", r"\bpostpon", r"\bresched",
               r"\bkeeps? (?:moving|cancell?ing|pushing)\b", r"\bcancell?ed (?:it|our|the)\b"),
         needs=(r"\b(?:meeting|chat|1:1|one-on-one|one-to-one|conversation|talk|slot)\b",),
         unless=(r"\bcheck-?ins?\b",), rests_on=(BUSY,), answer=(
             "Acknowledge the pressure your manager is under, then ask for a specific new date "
             "instead of leaving it open.",
             "Offer two or three concrete times and say you can move it if something urgent "
             "comes up.")),
    Rule(id="conversation-offer-on-the-spot", area="meeting", stance="depends", priority=45,
         says=(r"\boffers? (?:me )?(?:the|a) (?:promotion|role|job)\b.{0,40}"
               r"\b(?:there|spot|meeting|immediately)\b",
               r"\bsay yes (?:immediately|right away|on the spot|straight away)\b"),
         rests_on=(TERMS,), answer=(
             "Thank them warmly, and before you accept get the details straight: pay, title, "
             "responsibilities, the start date and what happens to your benefits.",
             "It is fine to ask for a little time to look at the details before you say yes.")),
    Rule(id="conversation-threaten-to-leave", area="meeting", stance="no", priority=45,
         says=(r"\b(?:hint|threaten|say|tell them|imply)\b.{0,30}\b(?:quit|leave|resign|walk)\b",
               r"\bultimatum\b"),
         rests_on=(AVOID, FIT_CALM),
         answer=(
             "No: only raise leaving if you are genuinely ready to go, because a threat can "
             "end the conversation and damage trust.",
             "Argue from your results and what the business gains instead.")),
    Rule(id="conversation-personal-finances", area="meeting", stance="no", priority=45,
         says=(r"\b(?:rent|mortgage|bills|cost of living|personal finances|childcare costs)\b",
               r"\bneed (?:the|more) money\b"),
         rests_on=(MISTAKES, AVOID), answer=(
             "No: keep personal needs such as rent out of the case.",
             "A promotion is argued from what the business gains, so lead with your results and "
             "the next-level work you already do. [2]")),
    Rule(id="conversation-compare-colleague", area="meeting", stance="no", priority=45,
         says=(r"\b(?:coworker|co-worker|colleague|peer|teammate|someone)\b.{0,50}\bpromoted\b",
               r"\bcompar\w*\b.{0,20}\b(?:myself|me)?\s*(?:to|with)\b.{0,20}\b(?:colleague|coworker|"
               r"co-worker|peer|teammate)"),
         unless=(r"\b(?:passed over|report to me|manage)\b",), rests_on=(MISTAKES, AVOID), answer=(
             "No: leave other people out of it and argue from your own evidence.",
             "Comparing yourself with a named colleague tends to put your manager on the "
             "defensive and takes the focus off your results. [2]")),
    Rule(id="conversation-how-to-start", area="meeting", stance="how", priority=30,
         says=(r"\bfirst thing (?:i should |to )?say\b", r"\bhow (?:do|should) i (?:start|open|begin)\b",
               r"\bwhat (?:do|should) i say (?:in|at|during) (?:the|my) (?:promotion )?"
               r"(?:meeting|talk|conversation)\b",
               r"\bwhat (?:should|do) i (?:actually )?say when i (?:sit down|meet|go in)\b"),
         rests_on=(OPEN, SCRIPT), answer=(
             "Open by thanking your manager for something specific, such as a stretch project "
             "or feedback that helped.",
             "Then name the exact role you want, walk through two or three results with "
             "numbers, ask how they see it and what gaps remain, and agree dates. [2]",
             "Close with thanks and send a short written recap within a day. [2]")),
    Rule(id="conversation-recap-email", area="meeting", stance="how", priority=30,
         says=(r"\b(?:email|e-mail|note|message)\b.{0,40}\bafter (?:the|our|my) (?:promotion )?"
               r"(?:meeting|conversation|talk)\b", r"\b(?:recap|follow-?up) (?:email|e-mail|note)\b",
               r"\bsend\b.{0,30}\bafter (?:the|our|my) (?:promotion )?(?:meeting|conversation|talk)\b"),
         rests_on=(RECAP, AFTER_ANY), answer=(
             "Send it the same day or the next: a few lines on what you discussed, the feedback, "
             "the next steps you agreed and when you will next review progress.",
             "It gives you both a shared record and makes it easy for your manager to pass your "
             "case on. [2]")),
    Rule(id="declining-how", area="declining", says=_DECLINE_WORDS, stance="how", priority=42,
         needs=(r"\bhow (?:do|should|can) i\b", r"\bwhat (?:exactly )?(?:do|should) i say\b",
                r"\bwithout (?:burning|hurting|damaging)\b"),
         rests_on=(DECLINE_THANKS, DECLINE_REASON, DECLINE_ALT, DECLINE_KEEP), answer=(
             "Start with thanks for the offer and for the trust it shows.",
             "Give a short, honest reason that is about how the role suits you, not about what is "
             "wrong with it. [2]",
             "Suggest what would suit you better, such as a senior specialist track or a later "
             "date, then decline in conversation and confirm it briefly in writing. [3]")),
    Rule(id="declining-is-it-ok", area="declining", says=_DECLINE_WORDS, stance="yes",
         priority=40, needs=(r"\b(?:offer|offered|role|position|job|promotion)\b",),
         rests_on=(DECLINE_WHY,), answer=(
             "Yes, turning it down is legitimate when the role does not fit your direction, the "
             "pay does not match the load, it needs a move you cannot make, or the timing is "
             "wrong for you.",
             "Before you decide, check whether the objection can be negotiated, for example the "
             "pay or the shape of the role.")),
    Rule(id="next-level-before-title", area="next-level", stance="yes", priority=30,
         says=(r"\bpresumptuous\b", r"\bact(?:ing)? like an? (?:manager|lead|director)\b",
               r"\b(?:parts? of|doing) my (?:boss'?s?|manager'?s?) job\b",
               r"\bbefore i(?:'ve| have)? (?:been promoted|get the (?:job|title))\b"),
         rests_on=(WHY_START, CORE_JOB), answer=(
             "Yes, start doing parts of the next job now: it is how most people get promoted.",
             "Do it openly and with your manager's agreement, and keep your current work in "
             "good shape while you stretch. [2]")),
    Rule(id="next-level-core-slipping", area="next-level", stance="how", priority=30,
         says=(r"\b(?:normal|regular|day|core|everyday|own) (?:work|job)\b.{0,30}\bslip",
               r"\bdropping (?:my|the) (?:day job|normal work|core work)\b"),
         rests_on=(CORE_JOB,), answer=(
             "Yes, it is a problem: extra work only counts while your core responsibilities stay "
             "in good shape, and a slip is what people remember.",
             "Settle with your manager which tasks you can pass on or scale back, and guard your "
             "time so you do not wear yourself out.")),
    Rule(id="next-level-lead-without-reports", area="next-level", stance="how", priority=30,
         says=(r"\bnobody reports to me\b", r"\bwithout (?:any )?(?:direct )?reports\b",
               r"\bwithout (?:the |a )?(?:title|authority)\b"),
         needs=(r"\blead",), rests_on=(NO_AUTHORITY,), answer=(
             "You lead through influence: explain the why behind a proposal, listen to "
             "objections, and run meetings that end with decisions and owners.",
             "Once people turn to you to get work unstuck, you are already doing much of a lead's "
             "job, and others can vouch for it.")),
    Rule(id="next-level-manager-vs-lead", area="next-level", stance="how", priority=30,
         says=(r"\bmanager\b.{0,40}\b(?:tech lead|team lead|lead)\b.{0,20}\bdoesn'?t\b",
               r"\bdifference between (?:a |an )?(?:tech |team )?lead and (?:a |an )?"
               r"(?:engineering )?manager\b",
               r"\bwhat does an? (?:engineering |people )?manager (?:actually )?do\b"),
         rests_on=(TO_MANAGER,), answer=(
             "A manager's output is the team's output: they hire, run reviews and development "
             "conversations, and handle underperformance.",
             "They spend less time doing the work and more deciding what the team works on and "
             "why, and they negotiate priorities and deadlines with other teams.")),
    Rule(id="next-level-team-lead", area="next-level", stance="how", priority=20,
         says=(r"\b(?:team|tech) lead\b",),
         needs=(r"\b(?:expect|need|requires?|involves?|what does|different|look for)\b",),
         unless=(r"\bmanager\b",), rests_on=(TO_LEAD,), answer=(
             "The first step up is mainly about raising your impact through other people: "
             "mentoring less experienced colleagues, being the person others rely on for the "
             "hard calls in your area, and coordinating a small group's work.",)),
    Rule(id="next-level-director", area="next-level", stance="how", priority=20,
         says=(r"\bdirector\b", r"\bhead of\b", r"\bsenior manager\b"),
         needs=(r"\b(?:expect|need|requires?|different|separates?|what does|look for)\b",),
         rests_on=(TO_DIRECTOR,), answer=(
             "At that level you lead through other managers: coaching them, growing a bench of "
             "leaders and setting standards people keep even when you are absent.",
             "You also set a department's direction over a year or more, own a budget, and get "
             "other functions to move together on shared outcomes.")),
    Rule(id="next-level-criteria", area="next-level", stance="how", priority=25,
         says=(r"\bgap between\b", r"\bno (?:career )?(?:ladder|framework|criteria)\b",
               r"\bwhat the (?:criteria|expectations) (?:are|for)\b",
               r"\bcriteria for\b", r"\bwhat the next level (?:needs|requires|expects)\b"),
         rests_on=(FIND, GAP_LIST), answer=(
             "Ask your manager what they would need to see, ask HR how the process runs, and "
             "look at what people at that level actually do.",
             "Then write the expectations as a short list, mark each as doing it, partly or not "
             "yet, and check your marks with your manager. [2]")),
    Rule(id="foundations-tenure", area="foundations", stance="no", priority=25,
         says=(r"\b(?:been here|worked here|been at (?:the|this) company) (?:for )?"
               r"(?:\d+|two|three|four|five|six|many)\s+years\b",
               r"\b(?:top|best) performer\b", r"\bdeserve\b", r"\bmy turn\b",
               r"\balways hit (?:my|all my) targets\b"),
         rests_on=(NOT_OWED,), answer=(
             "Not on its own: strong performance in your current role is the entry ticket, and "
             "years in the seat do not earn the next level by themselves.",
             "What gets people promoted is evidence that they already do part of the bigger "
             "job, so argue from that and from what the business gains.")),
    Rule(id="foundations-wait-to-be-noticed", area="foundations", stance="no", priority=30,
         says=(r"\bnotice (?:my|me|the)\b", r"\bput me forward\b",
               r"\bwithout (?:me )?(?:having to )?ask(?:ing)?\b", r"\bshouldn'?t have to ask\b"),
         rests_on=(NOTICE,), answer=(
             "Do not wait to be noticed: your manager juggles many priorities and may not even "
             "know you want to move up.",
             "Tell them your goal and give them the evidence to make your case for you.")),
    Rule(id="foundations-asking-entitled", area="foundations", stance="yes", priority=25,
         says=(r"\b(?:arrogant|entitled|pushy|greedy|rude|presumptuous) to (?:go and )?ask\b",
               r"\bask(?:ing)? for a promotion\b.{0,30}\b(?:arrogant|entitled|pushy)\b"),
         rests_on=(ENTITLED,), answer=(
             "Asking is expected of people who want to grow, and staying silent can read as a "
             "lack of interest.",
             "What matters is the tone: ask to discuss what it would take, backed by results, "
             "rather than demanding a title.")),
)
