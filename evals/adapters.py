"""Live generation for the outputs issue 21 added: the stakeholder plan, the offer checklist,
the options verdict, the move kit and the plan agreed after a no (rules only, no model), the
offer-confirmation and helper thank-you emails, and the offer and interview role-plays.

Each adapter calls the same service function as the CLI on the case's scratch home, after
`setup` has saved what the case's user typed (the people who decide, the offer).
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.domain.errors import CoachError
from coach.evals.schema import Output, Sample, TranscriptLine

if TYPE_CHECKING:
    from coach.services.context import Context


def setup(ctx: Context, sample: Sample) -> None:
    """Save the case's list of people who decide (ids 1..n in list order) and its offer."""
    task, today = sample.input.task, sample.input.today
    if task.stakeholders:
        from coach.services import stakeholders as people

        for person in task.stakeholders:
            fields = person.model_dump(exclude={"interactions"}, mode="json")
            saved = people.add_person(ctx, **fields)
            for interaction in person.interactions:
                people.log_interaction(ctx, saved.id, interaction.note, date=interaction.date, today=today)
    if task.offer_terms is not None:
        from coach.services.offer import set_offer

        set_offer(ctx, task.offer_terms, today=today)


def _refs(refs: list[Any]) -> str:
    return "; ".join(f"{r.source} § {r.section}" for r in refs)


# -- rules only ------------------------------------------------------------------------------
def stakeholders(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.services.stakeholders import people_plan

    plan = people_plan(ctx, today=sample.input.today)
    lines = [f"The people who decide (as of {plan.today.isoformat()}):"]
    lines += [f"- {a.name}: {a.action}\n  Why: {a.why} ({_refs([a.cites])})" for a in plan.actions]
    lines += ["", "Gaps:" if plan.gaps else "Gaps: none"]
    lines += [f"- {g.text} ({_refs([g.cites])})" for g in plan.gaps]
    return Output(text="\n".join(lines), data={"source": "rules", **plan.model_dump(mode="json")})


def offer_check(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.domain.offer import check_text
    from coach.services.offer import offer_check as check

    result = check(ctx, today=sample.input.task.read_on or sample.input.today)
    return Output(text=check_text(result), data={"source": "rules", **result.model_dump(mode="json")})


def options(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.domain.options import options_text
    from coach.services.options import options as decide

    result = decide(ctx, today=sample.input.today)
    return Output(text=options_text(result), data={"source": "rules", **result.model_dump(mode="json")})


def kit(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.services.options import kit as build

    result = build(ctx)
    return Output(text=result.text(), data={"source": "rules", **result.model_dump(mode="json")})


class _NoJudge:
    """The scorecard judge of a rules-only case: declines every question, so a scored meeting
    keeps its rule checks and leaves the judged ones open (the plan reads the transcript only)."""

    model = "none (rules)"

    def _decline(self, *args: Any, **kwargs: Any) -> Any:
        from coach.llm.base import LLMError

        raise LLMError("no judge in a rules-only eval")

    complete = stream = structured = warm = _decline


def agreed_plan(ctx: Context, sample: Sample, gen: Any) -> Output:
    """The case's meeting scored as a real one (`coach roleplay score`), its gaps read (`coach plan
    gaps ID`) and the plan agreed from them and the typed gaps (`coach plan agree`)."""
    import datetime as dt

    from coach.evals.plan_output import plan_output, refused_output
    from coach.services import agreed_plan as service
    from coach.services.roleplay.meetings import score_meeting

    task, today = sample.input.task, sample.input.today
    ctx.judge_override = _NoJudge()
    meeting, read = None, []
    if task.meeting:
        response = task.response_type.value if task.response_type else None
        meeting = score_meeting(ctx, task.meeting, response, today=today).session_id
        read = service.meeting_gaps(ctx, meeting).gaps
    targets = service.targets(ctx)
    try:
        result = service.agree_plan(ctx, revisit=task.revisit, meeting_id=meeting, gaps=task.gaps,
                                    today=today, now=dt.datetime.combine(today, dt.time(9), dt.UTC))
    except CoachError as exc:
        return refused_output(meeting, read, exc, targets)
    ics = Path(result.file).read_text(encoding="utf-8") if result.file else ""
    shown = Path(result.file).relative_to(ctx.settings.home).as_posix() if result.file else ""
    return plan_output(result, targets, ics, shown)


# -- model-written (services of the wave-4 helpers "emails" and "scenario-core") -------------
def _email_data(result: Any) -> dict[str, Any]:
    return {"source": getattr(result, "source", "model"), "violations": getattr(result, "violations", []),
            "subject": result.subject, "body": result.body, "to": getattr(result, "to", ""),
            "checks": getattr(result, "checks", {}), "person": getattr(result, "person", None)}


def offer_confirmation(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.services.offer_emails import draft_offer_confirmation

    result = draft_offer_confirmation(ctx, today=sample.input.today, out_dir=ctx.settings.exports_dir)
    return Output(text=f"Subject: {result.subject}\n\n{result.body}", notice=result.notice or "",
                  data=_email_data(result))


def helper_thanks(ctx: Context, sample: Sample, gen: Any) -> Output:
    from coach.services.offer_emails import draft_helper_thanks

    ids = sample.input.task.thank or None
    results = draft_helper_thanks(ctx, ids, today=sample.input.today, out_dir=ctx.settings.exports_dir)
    drafts = [_email_data(r) for r in results]
    text = "\n\n----\n\n".join(f"To: {d['to']}\nSubject: {d['subject']}\n\n{d['body']}" for d in drafts)
    notices = " ".join(n for r in results if (n := getattr(r, "notice", "")))
    fell_back = [d["source"] for d in drafts if d["source"] != "model"]
    return Output(text=text, notice=notices, data={
        "source": ("draft" if len(fell_back) == len(drafts) else "partial") if fell_back else "model",
        "emails": drafts})


def scenario(name: str):
    """The adapter for one role-play scenario ('offer' or 'interview')."""

    def play(ctx: Context, sample: Sample, gen: Any) -> Output:
        from coach.services.scenario import play_scenario

        task = sample.input.task
        if not task.user_turns:
            raise CoachError(f"case {sample.id}: a role-play needs user_turns")
        result = play_scenario(ctx, name, task.user_turns, difficulty=task.difficulty,
                               seed=zlib.crc32(sample.id.encode()) % 1_000_000, today=sample.input.today)
        turns = [TranscriptLine(role="user" if t.speaker == "you" else "manager", content=t.text)
                 for t in result.transcript]
        text = "\n".join(f"{'You' if t.role == 'user' else 'Them'}: {t.content}" for t in turns)
        fallbacks = sum(1 for t in result.transcript if t.speaker != "you" and getattr(t, "fallback", False))
        return Output(text=text, transcript=turns, notice=" ".join(getattr(result, "notices", [])), data={
            "source": "partial" if fallbacks else "model", "fallback_turns": fallbacks, "scenario": name,
            "violations": sorted({v for t in result.transcript for v in getattr(t, "violations", [])}),
            "scorecard": result.scorecard.model_dump(mode="json") if result.scorecard else None})

    return play
