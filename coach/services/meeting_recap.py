"""The meeting a follow-up email recaps: the list of recorded meetings, and a recap of one.

A follow-up goes to the real manager, so it is drafted from what the user says happened
in the real meeting, or from a meeting they pick: a real one they recorded, or a practice
role-play. Whichever it is, the recap reads as the user's own account of a conversation
with the manager: it never says it was practice, nor how hard the mock manager played.
Built from the saved transcript only (no model): it adds nothing that was not said.
"""

from __future__ import annotations

from pydantic import BaseModel

from coach.domain.errors import CoachError
from coach.domain.roleplay import ResponseType
from coach.domain.text import sentences
from coach.services.context import Context
from coach.services.roleplay import KIND as PRACTICE
from coach.services.roleplay.history import NEXT_STEP, mentioned_times

REAL = "meeting"  # a real meeting the user recorded and scored (`coach roleplay score`)
KINDS = (REAL, PRACTICE)

# What the manager said, as the user would put it to them (practice answers, once revealed).
ANSWERS = {
    ResponseType.YES: "You said you support the move.",
    ResponseType.NOT_YET: "You said it is not the right time yet, and named what I should "
                          "work on first.",
    ResponseType.NO_BUDGET: "You said there is no budget for the role right now.",
    ResponseType.NOT_READY: "You said you would like to see more from me before the move.",
    ResponseType.NO_FIT: "You said the role is not the right fit for now.",
}


class Meeting(BaseModel):
    """A recorded meeting the follow-up can start from."""

    id: int
    date: str
    real: bool

    def label(self) -> str:
        return f"{'Real meeting' if self.real else 'Practice role-play'} #{self.id} on {self.date}"


def recorded_meetings(ctx: Context) -> list[Meeting]:
    """Real meetings and practice role-plays, newest first."""
    found = [Meeting(id=c.id, date=c.created_at[:10], real=kind == REAL)
             for kind in KINDS for c in ctx.store.conversations(kind)]
    return sorted(found, key=lambda m: m.id, reverse=True)


def meeting_recap(ctx: Context, meeting_id: int, target_title: str) -> str:
    """What was said in one recorded meeting, in the user's words to the manager."""
    try:
        convo = ctx.store.get_conversation(meeting_id)
    except CoachError as exc:
        raise CoachError(exc.message, code="not-found", field="meeting") from None
    if convo.kind not in KINDS:
        raise CoachError(f"conversation {meeting_id} is not a meeting", code="not-found",
                         field="meeting")
    messages = [("you" if m.role == "user" else "manager", m.content)
                for m in ctx.store.messages(meeting_id) if m.meta.get("move") != "opening"]
    said = [(who, s) for who, text in messages for s in sentences(text)]
    lines = [f"We talked about my move to {target_title}."]
    if convo.meta.get("revealed") and convo.meta.get("response_type"):
        lines.append(ANSWERS[ResponseType(convo.meta["response_type"])])
    lines += _answers_to_my_questions(messages)
    steps = [s for _, s in said if NEXT_STEP.search(s) and not s.endswith("?")]
    if steps:
        lines.append("Next steps that came up: " + " ".join(f"\u201c{s}\u201d" for s in steps))
    if times := mentioned_times(s for _, s in said):
        lines.append(f"Timing we mentioned: {', '.join(times)}.")
    return " ".join(lines)


def _answers_to_my_questions(messages: list[tuple[str, str]]) -> list[str]:
    """Each question the user asked, with what the manager said back (their statements, not
    their own questions): in a follow-up, what the manager asked for is what matters most."""
    out = []
    for i, (who, text) in enumerate(messages):
        asked = [q for q in sentences(text) if q.endswith("?")]
        if who != "you" or not asked:
            continue
        reply = messages[i + 1][1] if i + 1 < len(messages) and messages[i + 1][0] == "manager" \
            else ""
        answer = [a for a in sentences(reply) if not a.endswith("?")]
        if answer:
            out.append(f"When I asked \u201c{asked[-1]}\u201d, you said: "
                       f"\u201c{' '.join(answer)}\u201d")
        else:
            out.append(f"I asked: \u201c{asked[-1]}\u201d")
    return out
