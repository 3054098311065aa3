"""The four emails around the promotion conversation, as templates with required elements.

Each kind has a deterministic draft (subject + body) built from the profile and the log,
and a list of required elements with a check each. A model may rewrite the body; the
guard keeps it only if every element is still there, no figure is invented and nothing
hostile slipped in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from coach.domain.email_kinds import EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.guard import (
    Facts,
    Violation,
    content_words,
    echo_problems,
    facts_from,
    hostile_phrases,
    invented_names,
    invented_numbers,
    manager_voice,
    too_long,
)
from coach.domain.profile import Profile
from coach.domain.proposal import strongest
from coach.domain.readiness import Readiness

MEETING_MINUTES = 30
BODY_MAX_WORDS = 220


class Element(BaseModel):
    """A required part of an email and whether the body has it."""

    id: str
    label: str
    present: bool


class EmailDraft(BaseModel):
    kind: str
    to: str = Field(..., description="Display name of the recipient (the manager if known).")
    to_address: str = Field("", description="The manager's e-mail address ('' if not given).")
    sender: str
    from_address: str = Field("", description="The user's e-mail address ('' if not given).")
    subject: str
    body: str
    revisit: dt.date | None = None
    # Text the body is allowed to repeat verbatim (the user's reason, summary, dates).
    user_text: list[str] = Field(default_factory=list)


Check = Callable[[str, EmailDraft, Profile], bool]


def _has(pattern: str) -> Check:
    rx = re.compile(pattern, re.IGNORECASE)
    return lambda body, _d, _p: bool(rx.search(body))


def _has_title(body: str, _d: EmailDraft, p: Profile) -> bool:
    return p.target_title.lower() in body.lower()


def _has_revisit(body: str, d: EmailDraft, _p: Profile) -> bool:
    if d.revisit is None:
        return False
    forms = {d.revisit.isoformat(), f"{d.revisit:%B} {d.revisit.day}",
             f"{d.revisit.day} {d.revisit:%B}"}
    return any(f.lower() in body.lower() for f in forms)


# Words every email of this kind uses anyway: finding them proves nothing was carried over.
_EMAIL_GENERIC = frozenset(content_words(
    "promotion promote role position title manager meeting conversation discuss discussed "
    "thank thanks appreciate offer opportunity career want like think feel right time today"))


def _carried_over(user_text: str, body: str, needed: int) -> bool | None:
    """Whether the body carries at least `needed` of the user's own content words (fewer if
    the text has fewer); None when the user's text has no content words at all."""
    words = content_words(user_text) - _EMAIL_GENERIC
    if not words:
        return None
    return len(words & content_words(body)) >= min(needed, len(words))


def _has_reason(body: str, d: EmailDraft, _p: Profile) -> bool:
    found = _carried_over(d.user_text[0] if d.user_text else "", body, needed=2)
    return True if found is None else found  # no reason given: nothing to carry


def _has_summary(body: str, d: EmailDraft, _p: Profile) -> bool:
    return bool(_carried_over(d.user_text[0] if d.user_text else "", body, needed=3))


_THANKS = r"\bthank|\bappreciate|\bgrateful"
REQUIRED: dict[str, list[tuple[str, str, Check]]] = {
    "meeting-request": [
        ("request", "asks the manager directly for the meeting",
         _has(r"\b(could|can) we\b|\bwould you\b|\bmay i\b|\bare you (free|available)\b|"
              r"\bwould it be possible\b|\bis there a time\b|"
              r"\bi('d| would) like to (schedule|set up|book|find)\b|"
              r"\bi wanted to (schedule|set up|book|ask for)\b")),
        ("duration", "asks for about 30 minutes", _has(r"\b30[- ]minutes?\b|half an hour")),
        ("purpose", "says it is about career growth or promotion",
         _has(r"career|promotion|growth")),
        ("target-title", "names the target title", _has_title),
        ("scheduling", "asks when suits the manager",
         _has(r"what time|when suits|time that works|works for you|suits you|availab|"
              r"convenient|find a time")),
    ],
    "follow-up": [
        ("thanks", "thanks the manager for the conversation", _has(_THANKS)),
        ("summary", "summarises what was said", _has_summary),
        ("next-steps", "lists the agreed next steps", _has(r"next steps?|i will|i'll|agreed")),
        ("timeline", "gives a timeline with dates",
         _has(r"\bby (\d{4}-\d{2}-\d{2}|[a-z]+ \d{1,2}\b|\d{1,2} [a-z]+)")),
        ("revisit", "names the date to check in again", _has_revisit),
    ],
    "decline": [
        ("thanks", "thanks them for the offer and their confidence", _has(_THANKS)),
        ("reason", "gives the reason, if the user gave one", _has_reason),
        ("alternative", "offers an alternative way to grow or contribute",
         _has(r"instead|alternative|future opportunit|other ways?|would (still )?like to")),
        ("door-open", "keeps the door open", _has(r"future|door|open to|again|revisit")),
    ],
    "thank-you": [
        ("thanks", "thanks the manager for the support", _has(_THANKS)),
        ("target-title", "names the new title", _has_title),
        ("details", "asks to confirm the details in writing",
         _has(r"in writing|confirm|start date|effective date")),
        ("commitment", "says what comes next in the role", _has(r"first|plan|goal|priorit")),
    ],
}


def check_elements(body: str, draft: EmailDraft, profile: Profile) -> list[Element]:
    return [Element(id=eid, label=label, present=check(body, draft, profile))
            for eid, label, check in REQUIRED[draft.kind]]


def first_name(name: str) -> str:
    """How an email greets someone: the first word of their name."""
    return name.split()[0] if name.strip() else ""


def _greeting(profile: Profile) -> str:
    return f"Hi {first_name(profile.manager_name)}," if profile.manager_name else "Hi,"


def _signoff(profile: Profile) -> str:
    return f"Best regards,\n{profile.name}" if profile.name else "Best regards,"


def build_email(kind: str, profile: Profile, entries: list[Entry], readiness: Readiness,
                *, today: dt.date, reason: str = "", summary: str = "",
                revisit: dt.date | None = None) -> EmailDraft:
    """The deterministic email of `kind`, with every required element present."""
    if kind not in REQUIRED:
        raise CoachError(f"unknown email kind '{kind}'",
                         hint=f"Use one of: {', '.join(EMAIL_KINDS)}.")
    title = profile.target_title
    to = profile.manager_name or "Manager"
    base = {"kind": kind, "to": to, "sender": profile.name or "me",
            "to_address": profile.manager_email, "from_address": profile.email}
    if kind == "meeting-request":
        best = strongest([e for e in entries if e.quantified], n=1)
        proof = (f" One recent example: {best[0].title} ({best[0].metric})." if best else "")
        body = (f"{_greeting(profile)}\n\nCould we set aside {MEETING_MINUTES} minutes in the "
                f"next week or two to talk about my career growth? I have been working towards "
                f"the {title} role and would like to share what I have done so far and hear "
                f"what you would need to see.{proof}\n\nLet me know what time suits you, and "
                f"I am happy to move it if something urgent comes up.\n\n{_signoff(profile)}")
        return EmailDraft(**base, subject=f"{MEETING_MINUTES} minutes on my career growth",
                          body=body)
    if kind == "follow-up":
        if not summary.strip():
            raise CoachError("a follow-up needs a summary of what was said in the meeting",
                             code="no-summary", field="summary")
        if revisit is None:
            raise CoachError("a follow-up needs a date to check in again", code="no-date",
                             field="revisit")
        steps = [f"- I will {s.action[0].lower()}{s.action[1:].rstrip('.')} "
                 f"by {s.by.isoformat()}." for s in readiness.plan[:3]]
        if not steps:
            steps = [f"- I will keep my impact log current and share a progress summary by "
                     f"{revisit.isoformat()}."]
        body = (f"{_greeting(profile)}\n\nThank you for making time to talk about my path to "
                f"{title}. To recap what we discussed: {summary.strip()}\n\nMy next steps:\n"
                + "\n".join(steps) + f"\n\nI will check in with you again on "
                f"{revisit.isoformat()} to review progress.\n\n{_signoff(profile)}")
        return EmailDraft(**base, subject=f"Follow-up: my path to {title}", body=body,
                          revisit=revisit, user_text=[summary.strip()])
    if kind == "decline":
        text = reason.strip().rstrip(".")
        because = f" {text[0].upper()}{text[1:]}." if text else ""
        body = (f"{_greeting(profile)}\n\nThank you for offering me the {title} role and for "
                f"the confidence it shows. After careful thought I have decided not to accept "
                f"it right now.{because}\n\nI would still like to keep growing here: instead, "
                f"I would be glad to take on more of the work I do best and talk about other "
                f"ways I can contribute. I hope we can revisit this in the future, and I am "
                f"grateful for your support.\n\n{_signoff(profile)}")
        return EmailDraft(**base, subject=f"The {title} role: thank you", body=body,
                          user_text=[reason.strip()] if reason.strip() else [])
    goals = [f"- {s.action}" for s in readiness.plan[:2]] or [
        "- agree the first priorities and how success will be measured"]
    body = (f"{_greeting(profile)}\n\nThank you for supporting my move to {title}. I "
            f"appreciate the trust you have shown in me.\n\nCould you confirm the details in "
            f"writing: the title, the start date, the salary and the new responsibilities?\n\n"
            f"For my first months in the role, my plan is to:\n" + "\n".join(goals) +
            f"\n\nI am looking forward to it.\n\n{_signoff(profile)}")
    return EmailDraft(**base, subject=f"Thank you: {title}", body=body)


def email_facts(profile: Profile, entries: list[Entry], draft: EmailDraft) -> Facts:
    facts = facts_from(profile, entries, *draft.user_text)
    facts.allow_text(draft.subject, draft.body)
    return facts.allow_numbers(MEETING_MINUTES)


# An assistant's reply ("Sure, I can...") in place of the user's own email.
_ASSISTANT = re.compile(r"^\s*(sure|certainly|of course|absolutely|here is|here's)\b[,!.:]?",
                        re.IGNORECASE | re.MULTILINE)


def validate_email(body: str, draft: EmailDraft, profile: Profile,
                   entries: list[Entry]) -> list[Violation]:
    """Checks on a (model-written) body: elements, figures, names, tone and voice."""
    facts = email_facts(profile, entries, draft)
    limit = max(BODY_MAX_WORDS, len(draft.body.split()) + 40)
    # The user's own words (e.g. a blunt reason) are theirs to keep; the model must not add any.
    hostile = [v for v in hostile_phrases(body) if v not in hostile_phrases(draft.body)]
    voice = manager_voice(body)
    opening = "\n".join([ln for ln in body.splitlines() if ln.strip()][:2])  # greeting + 1st line
    if m := _ASSISTANT.search(opening):
        voice.append(Violation(code="wrong-voice", detail=(
            f"'{m.group(0).strip()}' answers a request instead of writing the email"),
            phrase="answered instead of writing the email"))
    problems = [*echo_problems(body), *invented_numbers(body, facts),
                *invented_names(body, facts), *hostile, *voice,
                *too_long(body, limit, "the email")]
    for element in check_elements(body, draft, profile):
        if not element.present:
            problems.append(Violation(code="missing-element", detail=(
                f"the email no longer {element.label}"),
                phrase=f"left out a required part ({element.id})"))
    return problems
