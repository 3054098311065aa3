"""Checks for the four emails: meeting request, follow-up, decline and thank-you.

The required elements of each email (duration, purpose, summary, next steps, revisit date,
thanks, reason, alternative...) are the app's own checks from `coach.domain.emails`, run
here on the output as shown. The eval adds what the app does not check: a warm close.
"""

from __future__ import annotations

import datetime as dt
import re

from coach.domain.emails import REQUIRED, EmailDraft, check_elements
from coach.domain.guard import content_words, stem, words_of
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import body_lines, excerpt, sentences


def email_body(output: Output) -> str:
    """The body as sent: the service's `body`, else the text without its 'Subject:' line."""
    body = output.data.get("body")
    if isinstance(body, str) and body.strip():
        return body
    return "\n".join(line for line in output.text.splitlines()
                     if not line.lower().startswith(("subject:", "to:"))).strip()


def _draft_for(sample: Sample, output: Output) -> EmailDraft:
    """The minimum of an EmailDraft the element checks read: kind, revisit and user text."""
    task, profile = sample.input.task, sample.input.profile
    revisit = output.data.get("revisit")
    user_text = [t for t in (task.reason if sample.kind.value == "decline" else task.notes,) if t.strip()]
    return EmailDraft(kind=sample.kind.value, to=profile.manager_name or "Manager",
                      sender=profile.name or "me", subject="", body="",
                      revisit=dt.date.fromisoformat(revisit) if isinstance(revisit, str) else revisit,
                      user_text=user_text)


@scorer("email_element")
def email_element(element: str) -> ScoreFn:
    """One required element of this kind of email (the app's own definition of it)."""

    def score(sample: Sample, output: Output) -> Score:
        kind = sample.kind.value
        known = {eid: label for eid, label, _ in REQUIRED.get(kind, [])}
        if element not in known:
            return Score.unscored(f"'{element}' is not an element of a {kind} email "
                                  f"(known: {', '.join(known)})")
        if element == "reason" and not sample.input.task.reason.strip():
            return Score.na("the user gave no reason, so none is expected")
        if element == "summary" and not sample.input.task.notes.strip():
            return Score.na("the case gives no meeting summary")
        draft = _draft_for(sample, output)
        if element == "revisit" and draft.revisit is None:
            return Score.unscored("the recording has no revisit date to look for")
        body = email_body(output)
        found = next(e for e in check_elements(body, draft, sample.input.profile) if e.id == element)
        return Score.verdict(found.present, known[element], f"the email never {known[element]}",
                             excerpt(body))

    return score


_GENERIC = "role position offer promotion job opportunity"


@scorer("decline_reason")
def decline_reason(min_shared: int = 2) -> ScoreFn:
    """States the user's own reason, when they gave one (n/a otherwise).

    Stricter than matching any shared word: words every decline email uses ('role', the
    titles) do not count, so a generic email does not pass for one that gives the reason.
    """

    def score(sample: Sample, output: Output) -> Score:
        reason = sample.input.task.reason
        if not reason.strip():
            return Score.na("the user gave no reason, so none is expected")
        profile = sample.input.profile
        wanted = content_words(reason) - content_words(
            f"{profile.target_title} {profile.current_title} {_GENERIC}")
        need = min(min_shared, len(wanted))
        body = email_body(output)
        for sentence in sentences(body):
            shared = wanted & content_words(sentence)
            if shared and len(shared) >= need:
                return Score.yes(f"gives the reason ({', '.join(sorted(shared))})", sentence)
        return Score.no(f"does not give the user's reason ('{reason}')", excerpt(body))

    return score


# Words any follow-up uses whatever was said; they do not show a recap.
_FOLLOW_UP_WORDS = "next steps agreed meeting discussed talked thank time recap progress"


@scorer("followup_summary")
def followup_summary(min_shared: int = 4) -> ScoreFn:
    """Recaps the meeting in its own terms: shares several distinctive words with the notes.

    Names and titles do not count, so a greeting and the subject line alone do not pass.
    """

    def score(sample: Sample, output: Output) -> Score:
        notes = sample.input.task.notes
        if not notes.strip():
            return Score.na("the case gives no meeting notes")
        profile = sample.input.profile
        wanted = content_words(notes) - content_words(
            f"{profile.name} {profile.manager_name} {profile.target_title} {profile.current_title} "
            f"{_FOLLOW_UP_WORDS}")
        shared = wanted & content_words(email_body(output))
        need = min(min_shared, len(wanted))
        words = sorted({w for w in words_of(notes) if stem(w) in shared})
        return Score.verdict(len(shared) >= need, f"recaps the meeting ({', '.join(words[:6])})",
                             f"no recap of the meeting: {len(shared)} of the notes' key words "
                             f"(need {need})", excerpt(email_body(output)))

    return score


_POSITIVE = re.compile(r"\b(thank|grateful|appreciat\w*|look(ing)? forward|excited|glad|happy|keen|"
                       r"enjoy|committed|proud|value|support|continue|hope)\w*", re.IGNORECASE)


@scorer("positive_close")
def positive_close(last: int = 2) -> ScoreFn:
    """The last sentences before the sign-off are warm."""

    def score(sample: Sample, output: Output) -> Score:
        body = [ln for ln in body_lines(email_body(output)) if len(ln.split()) > 3]  # not 'Best,'
        closing = " ".join(sentences(" ".join(body))[-last:])
        if not closing:
            return Score.no("the email has no body", excerpt(output.text))
        match = _POSITIVE.search(closing)
        return Score.verdict(match is not None, "closes on a positive note",
                             "the close is not positive", closing)

    return score
