"""Good outputs for the kinds issue 21 added, built by the domain's own rules from a dataset
case (pure: no store, no model), for the tests that prove every check passes a good output
and fails the bad one made for it. For the model-written emails the good output is the app's
deterministic draft, the wording a model's rewrite is held to.
"""

from __future__ import annotations

from coach.domain.kit import build_kit
from coach.domain.offer import apply_changes, check_offer, check_text
from coach.domain.offer_email import build_confirmation
from coach.domain.options import Situation, decide, options_text
from coach.domain.responses import ResponseType
from coach.domain.roleplay.facts import pick_facts
from coach.domain.roleplay.meeting import Turn
from coach.domain.scenario.scorecard import score_interview, score_offer
from coach.domain.stakeholders import Person, plan
from coach.domain.thanks_email import build_thanks, helpers
from coach.evals.schema import Output, OutputKind, Sample, TranscriptLine

ISSUE21_CASES: dict[OutputKind, str] = {
    OutputKind.STAKEHOLDERS: "stakeholders-maya-mixed",
    OutputKind.OFFER_CHECK: "offer-check-ines-late-paperwork",
    OutputKind.OPTIONS: "options-sam-yes",
    OutputKind.KIT: "kit-leo-metric-missing",
    OutputKind.OFFER_CONFIRMATION: "offer-confirmation-sam-partial",
    OutputKind.HELPER_THANKS: "helper-thanks-maya-default",
    OutputKind.OFFER_ROLEPLAY: "offer-roleplay-maya-thorough",
    OutputKind.INTERVIEW_ROLEPLAY: "interview-roleplay-nadia-strong",
    OutputKind.AGREED_PLAN: "agreed-plan-tomas-asked",
}

# The counterpart's lines of a good session (the user's are the case's script, in turn).
OFFER_LINES = [
    "Hi Maya, thanks for making time. We'd like to offer you the Analytics Lead role.",
    "I'm glad. You've earned it with the churn work.",
    "The base salary would be $125k; the bonus target stays where it is.",
    "You'd lead the three analysts and own the analysis roadmap. HR will walk you through benefits.",
    "It would take effect on 1 July 2025.",
    "Of course. I'll put it all in an email today. Take a day and come back to me.",
]
INTERVIEW_LINES = [
    "Thanks for coming in, Nadia. To start, tell me about your current role.",
    "What's one result that shows that?",
    "That's a big number. What else would you point to?",
    "And why are you looking to move now?",
    "Thanks, Nadia, that's all from me. We'll be in touch about next steps.",
]
INTERVIEW_MOVES = ["opening", "evidence", "evidence", "why-move", "close"]


def session(lines: list[str], user: list[str], moves: list[str] | None = None) -> list[Turn]:
    """Counterpart and user lines in turn, the counterpart first and last (with its moves)."""
    moves = moves or ["opening", *[""] * (len(lines) - 1)]
    turns = [Turn(speaker="manager", text=lines[0], move=moves[0])]
    for said, reply, move in zip(user, lines[1:], moves[1:], strict=True):
        turns += [Turn(speaker="you", text=said), Turn(speaker="manager", text=reply, move=move)]
    return turns


def scenario_output(turns: list[Turn], card: object, scenario: str) -> Output:
    transcript = [TranscriptLine(role="user" if t.speaker == "you" else "manager", content=t.text)
                  for t in turns]
    text = "\n".join(f"{'You' if t.role == 'user' else 'Them'}: {t.content}" for t in transcript)
    return Output(text=text, transcript=transcript, data={
        "source": "model", "scenario": scenario, "scorecard": card.model_dump(mode="json")})  # type: ignore[attr-defined]


def _people_text(data: dict) -> str:
    lines = [f"- {a['name']}: {a['action']}\n  Why: {a['why']}" for a in data["actions"]]
    return "\n".join(lines + [f"- {g['text']}" for g in data["gaps"]])


def issue21_outputs(samples: dict[str, Sample]) -> dict[OutputKind, Output]:
    """One good output per kind issue 21 added, for the case named in `ISSUE21_CASES`."""
    out: dict[OutputKind, Output] = {}
    people = samples[ISSUE21_CASES[OutputKind.STAKEHOLDERS]]
    persons = [Person(id=i, **p.model_dump()) for i, p in enumerate(people.input.task.stakeholders, start=1)]
    data = plan(persons, people.input.today).model_dump(mode="json")
    out[OutputKind.STAKEHOLDERS] = Output(text=_people_text(data), data={"source": "rules", **data})

    checked = samples[ISSUE21_CASES[OutputKind.OFFER_CHECK]]
    saved = apply_changes(None, checked.input.task.offer_terms, checked.input.today)  # type: ignore[arg-type]
    check = check_offer(saved, checked.input.task.read_on or checked.input.today)
    out[OutputKind.OFFER_CHECK] = Output(text=check_text(check),
                                         data={"source": "rules", **check.model_dump(mode="json")})

    # A yes, with a log that shows every expectation: the reasons are the yes alone.
    options = decide(Situation(last_answer=ResponseType.YES, answer_from="from your profile", gaps=0,
                               expectations=3, timing="good"))
    out[OutputKind.OPTIONS] = Output(text=options_text(options),
                                     data={"source": "rules", **options.model_dump(mode="json")})

    kit_case = samples[ISSUE21_CASES[OutputKind.KIT]]
    kit = build_kit(kit_case.input.profile, kit_case.input.saved_entries())
    out[OutputKind.KIT] = Output(text=kit.text(), data={"source": "rules", **kit.model_dump(mode="json")})

    confirm = samples[ISSUE21_CASES[OutputKind.OFFER_CONFIRMATION]]
    offer = apply_changes(None, confirm.input.task.offer_terms, confirm.input.today)  # type: ignore[arg-type]
    draft = build_confirmation(confirm.input.profile, offer)
    out[OutputKind.OFFER_CONFIRMATION] = Output(
        text=f"Subject: {draft.subject}\n\n{draft.body}",
        data={"source": "draft", "subject": draft.subject, "body": draft.body, "to": draft.to})

    thanks = samples[ISSUE21_CASES[OutputKind.HELPER_THANKS]]
    offer = apply_changes(None, thanks.input.task.offer_terms, thanks.input.today)  # type: ignore[arg-type]
    listed = [Person(id=i, **p.model_dump()) for i, p in enumerate(thanks.input.task.stakeholders, start=1)]
    notes = []
    for person in helpers(listed):
        note = build_thanks(thanks.input.profile, person, title=offer.title, start=offer.start,
                            today=thanks.input.today)
        notes.append({"source": "draft", "subject": note.subject, "body": note.body, "to": note.to,
                      "person": person.id})
    out[OutputKind.HELPER_THANKS] = Output(
        text="\n\n----\n\n".join(f"To: {n['to']}\nSubject: {n['subject']}\n\n{n['body']}" for n in notes),
        data={"source": "draft", "emails": notes})

    offer_case = samples[ISSUE21_CASES[OutputKind.OFFER_ROLEPLAY]]
    offer = apply_changes(None, offer_case.input.task.offer_terms, offer_case.input.today)  # type: ignore[arg-type]
    # A good output is a well-kept session whose scorecard says why on a no: leave out the
    # question on the rest of the package, so the benefits check is a no with its reason.
    user = [line.replace(", and what does the rest of the package look like?", "?")
            .replace(", and whether the bonus changes?", "?")
            for line in offer_case.input.task.user_turns]
    turns = session(OFFER_LINES, user)
    out[OutputKind.OFFER_ROLEPLAY] = scenario_output(turns, score_offer(turns, offer, "realistic"), "offer")

    interview = samples[ISSUE21_CASES[OutputKind.INTERVIEW_ROLEPLAY]]
    entries = interview.input.saved_entries()
    # The script without its reason to move, so the scorecard has a "no" to explain.
    turns = session(INTERVIEW_LINES, [*interview.input.task.user_turns[:3], "That's about it from me."],
                    INTERVIEW_MOVES)
    card = score_interview(turns, interview.input.profile, entries, pick_facts(entries, 3), "realistic")
    out[OutputKind.INTERVIEW_ROLEPLAY] = scenario_output(turns, card, "interview")
    out[OutputKind.AGREED_PLAN] = agreed_plan_output(samples[ISSUE21_CASES[OutputKind.AGREED_PLAN]])
    return out


def agreed_plan_output(case: Sample) -> Output:
    """The plan agreed from the case's meeting by the domain's rules, rendered as the adapter
    renders the service's (meeting #1 of a fresh home, the built-in expectations)."""
    import datetime as dt

    from coach.domain import agreed_plan as rules
    from coach.domain.expectations import default_expectations
    from coach.domain.plan import Agreement, DevelopmentPlan
    from coach.evals.plan_output import plan_output
    from coach.services.agreed_plan import AgreedPlan, revisit_calendar
    from coach.services.roleplay.meetings import parse_meeting

    task, profile, today = case.input.task, case.input.profile, case.input.today
    assert task.revisit is not None, case.id
    read = rules.read_gaps(parse_meeting(task.meeting, profile.manager_name))
    targets = [rules.Target(id=e.id, name=e.title, demonstrate=e.description or e.title, words=e.title,
                            keywords=[] if e.linked else e.keywords)
               for e in default_expectations(profile.transition)]
    items = rules.agreed_items(read, targets, today=today, revisit=task.revisit,
                               with_name=profile.manager_name)
    agreement = Agreement(agreed_on=today, with_name=profile.manager_name, revisit=task.revisit, meeting=1)
    saved = rules.agree(DevelopmentPlan(created=today), items, agreement)
    result = AgreedPlan(today=today, agreement=agreement, items=items, read=read, file="exports/revisit.ics",
                        progress=rules.progress(saved, today))
    ics = revisit_calendar(agreement, items, now=dt.datetime.combine(today, dt.time(9), dt.UTC))
    return plan_output(result, targets, ics, "exports/revisit.ics")
