# ruff: noqa: E501  (example documents keep their real line lengths)
"""Hand-written outputs, one good example per output kind and seeded bad ones.

The tests use them to prove every check both passes a good output and catches the fault it
is meant for; they also make a tiny recorded suite for trying the framework without a model.
Each example belongs to a case in `evals/datasets/`.
"""

from __future__ import annotations

import datetime as dt
import json

from coach.domain.roleplay import ResponseType
from coach.evals.examples21 import ISSUE21_CASES, issue21_outputs
from coach.evals.schema import Cited, Output, OutputKind, PromptInfo, Recording, TranscriptLine

GOOD_CASES: dict[OutputKind, str] = {
    OutputKind.PROPOSAL: "proposal-maya",
    OutputKind.MEETING_REQUEST: "meeting-request-maya",
    OutputKind.FOLLOW_UP: "follow-up-maya",
    OutputKind.DECLINE: "decline-maya-relocation",
    OutputKind.THANK_YOU: "thank-you-maya",
    OutputKind.SCRIPT: "script-maya",
    OutputKind.CHAT: "chat-book-meeting",
    OutputKind.ROLEPLAY: "roleplay-not-yet-tomas",
    **ISSUE21_CASES,
}

PROPOSAL = """# Maya Chen: Senior Data Analyst to Analytics Lead

_Prepared 2025-06-02._

## 1. Current role and accomplishments

In 16 months as Senior Data Analyst I have fixed how the business measures revenue.

- **Found the double-counting bug in the bookings metric**: corrected bookings by $1.2M before the board deck went out [#4]
- **Rebuilt the weekly revenue dashboard on the new warehouse**: report prep time down from 6 hours to 45 minutes a week [#1]

## 2. Evidence of next-level work

I already take on parts of the Analytics Lead role.

- **Mentored a new analyst through her first quarter**: she owned the marketing report alone after 8 weeks (shows mentoring others) [#3]
- **Ran the churn model project with two junior analysts**: flagged 310 at-risk accounts; 22% of them renewed after outreach (shows some project coordination) [#2]

## 3. What I will do at the next level

As Analytics Lead I will grow the team's skills and own the analysis roadmap.

- First 30 days: agree the priorities and how success is measured with Robert Hale.
- By day 60: take ownership of one hard technical problem and write up the design.
- By day 90: report the results so far.

## 4. The ask

Based on this record:

- I am asking to be promoted to **Analytics Lead**, at the September 2025 review cycle.
"""

MEETING_REQUEST = """Subject: 30 minutes on my career growth

Hi Robert,

Could we set aside 30 minutes in the next week or two to talk about my career growth? I have been working towards the Analytics Lead role and would like to share what I have done so far.

Let me know what time suits you.

Best regards,
Maya Chen"""

FOLLOW_UP = """Subject: Follow-up: my path to Analytics Lead

Hi Robert,

Thank you for making time to talk about my path to Analytics Lead. To recap what we discussed: you agreed the churn project shows lead-level work, you want me to run the pricing analysis next quarter with the two junior analysts, and you will put my name forward at the September calibration.

Next steps we agreed:
- I will draft the pricing analysis plan by 2025-07-14.

I will check in with you again on 2025-09-01 to review progress.

Best regards,
Maya Chen"""

DECLINE = """Subject: The Analytics Lead role: thank you

Hi Robert,

Thank you for offering me the Analytics Lead role and for the confidence it shows. After careful thought I have decided not to accept it right now, because the role is based in the London office and I cannot relocate my family this year.

I would still like to keep growing here: instead, I would be glad to take on more analysis work and talk about other ways I can contribute. I hope we can revisit this in the future, and I am grateful for your support.

Best regards,
Maya Chen"""

THANK_YOU = """Subject: Thank you: Analytics Lead

Hi Robert,

Thank you for supporting my move to Analytics Lead. I appreciate the trust you have shown in me.

Could you confirm the details in writing: the title, the start date, the salary and the new responsibilities?

For my first months in the role, my plan is to set the team's priorities with you.

I am looking forward to it.

Best regards,
Maya Chen"""

SCRIPT_LINES = [
    ("appreciation", "Open with appreciation",
     "Thank you for making time for this, Robert. I appreciate the stretch work you have given me."),
    ("goal", "State the goal",
     "I would like to move into the Analytics Lead role, and talk about what it would take."),
    ("case", "Make the case",
     "Here is what makes me ready: the churn project flagged 310 at-risk accounts and 22% of them "
     "renewed [#2], and I corrected bookings by $1.2M [#4]."),
    ("feedback", "Ask for their view", "How do you see it? Which gaps would I need to close?"),
    ("timeline", "Agree a timeline",
     "I am aiming for the September 2025 review cycle. What would a realistic timeline look like?"),
    ("close", "Thank and follow up",
     "Thank you for your time. I will send a short summary of what we agreed by email tomorrow."),
]


def script_output(lines: list[tuple[str, str, str]] = SCRIPT_LINES) -> Output:
    text = "Talk track: the Analytics Lead conversation\n\n" + "\n\n".join(
        f"{i}. {label}\n   {body}" for i, (_, label, body) in enumerate(lines, start=1))
    return Output(text=text, data={"source": "model", "lines": [
        {"step": step, "label": label, "text": body} for step, label, body in lines]})


MEETING_PASSAGE = (
    "Book a separate meeting of about half an hour, used for nothing else. Be upfront about the "
    "topic so your manager is not caught off guard: naming the purpose lets them think about it "
    "and check the process first.")
CONVERSATION_PASSAGE = (
    "Start by thanking your manager for something specific. Say in one or two sentences what you "
    "want and by roughly when, and name the title.")
CHAT_ANSWER = (
    "Ask for a separate meeting of about half an hour that is used for nothing else [1]. "
    "Be upfront about the topic so your manager can think about it and check the process first [1]. "
    "In the meeting, name the title you want and roughly when [2].")

ROLEPLAY_TURNS = [
    ("manager", "Thanks for putting this on the calendar, Tomas. What did you want to cover today?"),
    ("user", "Thanks for the time today, Grace. I appreciate the support on the hiring work."),
    ("manager", "Of course. What's on your mind?"),
    ("user", "I'd like to discuss moving into the Support Manager role."),
    ("manager", "Okay, tell me why now. What would you point to?"),
    ("user", "I hired three agents who all hit the response-time target within 5 weeks, and "
             "satisfaction went from 86% to 92%."),
    ("manager", "You're doing strong work, but not yet. There are a few things I'd want to see first."),
    ("user", "How do you see it? What would I need to show?"),
    ("manager", "Where do you think the gap is?"),
    ("user", "Can you give me specific examples of what you'd want to see?"),
    ("manager", "Concretely, I'd want to see you handling performance problems on the team and "
                "leading a cross-team decision."),
    ("user", "If I show those over the next six months, can we revisit this? I'll send you a recap."),
    ("manager", "Let's put a date on it and revisit at the next review cycle. Send me a recap."),
]


def roleplay_output(turns: list[tuple[str, str]] = ROLEPLAY_TURNS) -> Output:
    transcript = [TranscriptLine(role=role, content=text) for role, text in turns]
    text = "\n".join(f"{'You' if t.role == 'user' else 'Manager'}: {t.content}" for t in transcript)
    return Output(text=text, transcript=transcript, data={"source": "model",
                                                                   "response_type": ResponseType.NOT_YET.value})


def good_outputs() -> dict[OutputKind, Output]:
    """One output per kind that passes every deterministic check of its rubric."""
    from coach.evals.dataset import load_samples

    def email(text: str, **data: object) -> Output:
        body = text.split("\n\n", 1)[1]
        return Output(text=text, data={"source": "model", "body": body, **data})

    return {
        OutputKind.PROPOSAL: Output(text=PROPOSAL, data={"source": "model"}),
        OutputKind.MEETING_REQUEST: email(MEETING_REQUEST),
        OutputKind.FOLLOW_UP: email(FOLLOW_UP, revisit="2025-09-01"),
        OutputKind.DECLINE: email(DECLINE),
        OutputKind.THANK_YOU: email(THANK_YOU),
        OutputKind.SCRIPT: script_output(),
        OutputKind.CHAT: Output(text=CHAT_ANSWER, data={"source": "model", "cited": [1, 2]}, citations=[
            Cited(source="requesting-the-meeting.md", section="Ask for dedicated time",
                  text=MEETING_PASSAGE, label="[1]"),
            Cited(source="the-conversation.md", section="State your goal plainly",
                  text=CONVERSATION_PASSAGE, label="[2]")]),
        OutputKind.ROLEPLAY: roleplay_output(),
        **issue21_outputs({s.id: s for s in load_samples()}),
    }


# -- the seeded faults the issue names --------------------------------------------------------
def seeded_bad() -> dict[str, tuple[str, Output, str]]:
    """name -> (case id, bad output, the rubric check id meant to catch it)."""
    good = good_outputs()
    invented = PROPOSAL.replace("report prep time down from 6 hours to 45 minutes a week",
                                "report prep time down 73%")
    burned = DECLINE.replace(
        "I hope we can revisit this in the future, and I am grateful for your support.",
        "Frankly the offer is a joke, and if this is how promotions work here I will leave.")
    broken_role = ROLEPLAY_TURNS[:6] + [
        ("manager", "As your employee, I'd really like to be promoted to Support Manager. Promote me."),
        *ROLEPLAY_TURNS[7:]]
    no_citation = good[OutputKind.CHAT].model_copy(update={"text": CHAT_ANSWER.replace(" [1]", "")
                                                           .replace(" [2]", "")})
    return {
        "proposal-invented-figure": ("proposal-maya", Output(text=invented), "no-invented-numbers"),
        "decline-burns-bridges": ("decline-maya-relocation",
                                  Output(text=burned, data={"body": burned.split("\n\n", 1)[1]}),
                                  "no-burned-bridges"),
        "manager-breaks-role": ("roleplay-not-yet-tomas", roleplay_output(broken_role), "role-kept"),
        "answer-without-citation": ("chat-book-meeting", no_citation, "citation-present"),
    }


def recordings(judge_yes: bool = True) -> list[Recording]:
    """The good examples as recordings (for trying replay without a model), with judge replies."""
    from coach.evals.rubric import load_rubrics
    from coach.evals.schema import JudgeRaw

    rubrics = load_rubrics()
    stamp = dt.datetime(2025, 6, 2, 12, 0, tzinfo=dt.UTC)
    info = PromptInfo(name="eval_judge", version="1")
    out = []
    for kind, output in good_outputs().items():
        verdict = "yes" if judge_yes else "no"
        sheet = json.dumps({c.id: {"verdict": verdict, "reason": "hand-written"}
                            for c in rubrics[kind].judged})
        reply = JudgeRaw(raw=sheet, model="hand-written", prompt=info, recorded_at=stamp)
        judge = {c.id: reply for c in rubrics[kind].judged}
        out.append(Recording(case_id=GOOD_CASES[kind], kind=kind, output=output, model="hand-written",
                             prompts=[PromptInfo(name=kind.value, version="1")], recorded_at=stamp,
                             judge=judge))
    return out
