# ruff: noqa: E501  (example documents keep their real line lengths)
"""Calibrating the eval judge: hand-labelled outputs for every judged check, each check with a
good output it must pass and a seeded bad output it must fail.

A judged check that says yes to everything cannot fail, so it proves nothing. The judge's
replies to these outputs are recorded (`evals/labelled/eval-judge-replies.jsonl`) so the
calibration replays offline; `coach eval run --replay` reports, per judged check, how often
the judge agrees with the labels (and Cohen's kappa) and whether it failed its seeded bad
output. A rubric keeps `judge: true` only on checks whose judge did.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pydantic import BaseModel, Field

from coach.evals import DATA_DIR
from coach.evals.examples import (
    CHAT_ANSWER,
    DECLINE,
    FOLLOW_UP,
    GOOD_CASES,
    MEETING_REQUEST,
    PROPOSAL,
    ROLEPLAY_TURNS,
    SCRIPT_LINES,
    THANK_YOU,
    good_outputs,
    roleplay_output,
    script_output,
    seeded_bad,
)
from coach.evals.results import Agreement, Calibration, CheckCalibration
from coach.evals.schema import JudgeRaw, Output, OutputKind, Value

REPLIES = DATA_DIR / "labelled" / "eval-judge-replies.jsonl"


class CalibrationItem(BaseModel):
    """One output with the verdict a careful reader gives on some of its judged checks."""

    id: str
    case_id: str
    kind: OutputKind
    output: Output
    labels: dict[str, Value] = Field(description="check id -> yes or no")


def _email(text: str, **data: object) -> Output:
    return Output(text=text, data={"source": "model", "body": text.split("\n\n", 1)[1], **data})


def _swap(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"calibration edit does not apply: {old[:40]!r}")
    return text.replace(old, new)


def _bad_outputs() -> dict[str, tuple[OutputKind, str, Output]]:
    """check id -> (kind, name, an output that fails exactly that check)."""
    good = good_outputs()
    chat = good[OutputKind.CHAT]
    seeded = {check: (name, output) for name, (_, output, check) in seeded_bad().items()}
    lines = dict((step, (step, label, body)) for step, label, body in SCRIPT_LINES)

    def script_without(step: str, body: str):
        return script_output([lines[s] if s != step else (s, lines[s][1], body) for s in lines])

    return {
        "citation-supports": (OutputKind.CHAT, "chat-unsupported-advice", chat.model_copy(update={"text": _swap(
            CHAT_ANSWER, "In the meeting, name the title you want and roughly when [2].",
            "In the meeting, bring a printed list of your colleagues' salaries to show you are underpaid [2].")})),
        "on-topic": (OutputKind.CHAT, "chat-off-topic", chat.model_copy(update={"text":
            "Keep a weekly log of your wins with a number for each one [1]. Review it every Friday [2]."})),
        "gratitude": (OutputKind.DECLINE, "decline-no-thanks", _email(_swap(_swap(
            DECLINE, "Thank you for offering me the Analytics Lead role and for the confidence it shows. ", ""),
            ", and I am grateful for your support", ""))),
        "alternative": (OutputKind.DECLINE, "decline-no-alternative", _email(_swap(
            DECLINE, "I would still like to keep growing here: instead, I would be glad to take on more analysis work and talk about other ways I can contribute. I hope we can revisit this in the future, and I am grateful for your support.",
            "That is my final decision."))),
        "no-burned-bridges": (OutputKind.DECLINE, seeded["no-burned-bridges"][0], seeded["no-burned-bridges"][1]),
        "summary": (OutputKind.FOLLOW_UP, "follow-up-no-summary", _email(_swap(
            FOLLOW_UP, "To recap what we discussed: you agreed the churn project shows lead-level work, you want me to run the pricing analysis next quarter with the two junior analysts, and you will put my name forward at the September calibration.",
            "It was good to catch up."), revisit="2025-09-01")),
        "next-steps": (OutputKind.FOLLOW_UP, "follow-up-no-next-steps", _email(_swap(
            FOLLOW_UP, "Next steps we agreed:\n- I will draft the pricing analysis plan by 2025-07-14.\n\n", ""),
            revisit="2025-09-01")),
        "revisit-date": (OutputKind.FOLLOW_UP, "follow-up-no-date", _email(_swap(
            FOLLOW_UP, "I will check in with you again on 2025-09-01 to review progress.",
            "Let's talk again some time."), revisit="2025-09-01")),
        "dedicated-slot": (OutputKind.MEETING_REQUEST, "meeting-request-quick-word", _email(_swap(
            MEETING_REQUEST, "Could we set aside 30 minutes in the next week or two to talk about my career growth?",
            "Could I grab you for a quick word at the end of Thursday's stand-up about my career growth?"))),
        "clear-purpose": (OutputKind.MEETING_REQUEST, "meeting-request-no-purpose", _email(_swap(_swap(
            MEETING_REQUEST, "to talk about my career growth?", "?"),
            " I have been working towards the Analytics Lead role and would like to share what I have done so far.",
            " There is something I would like to discuss."))),
        "next-level-tied": (OutputKind.PROPOSAL, "proposal-evidence-untied", Output(text=_swap(_swap(_swap(
            PROPOSAL, " (shows mentoring others)", ""), " (shows some project coordination)", ""),
            "I already take on parts of the Analytics Lead role.", "Here is more of my work."),
            data={"source": "model"})),
        "ninety-day-plan": (OutputKind.PROPOSAL, "proposal-no-plan", Output(text=_swap(
            PROPOSAL, "- First 30 days: agree the priorities and how success is measured with Robert Hale.\n- By day 60: take ownership of one hard technical problem and write up the design.\n- By day 90: report the results so far.",
            "I will do my best in the new role."), data={"source": "model"})),
        "no-invented-numbers": (OutputKind.PROPOSAL, seeded["no-invented-numbers"][0],
                                seeded["no-invented-numbers"][1]),
        "role-kept": (OutputKind.ROLEPLAY, seeded["role-kept"][0], seeded["role-kept"][1]),
        "type-matched": (OutputKind.ROLEPLAY, "manager-says-yes-in-a-not-yet", roleplay_output([
            *ROLEPLAY_TURNS[:6],
            ("manager", "Yes. You're ready for Support Manager and I'll make it happen this cycle."),
            *ROLEPLAY_TURNS[7:]])),
        "specifics-given": (OutputKind.ROLEPLAY, "manager-stays-vague", roleplay_output([
            *ROLEPLAY_TURNS[:10],
            ("manager", "Just keep doing what you're doing. You'll know it when you see it."),
            *ROLEPLAY_TURNS[11:]])),
        "case": (OutputKind.SCRIPT, "script-no-results", script_without(
            "case", "Here is what makes me ready: I have worked really hard and I think I deserve it.")),
        "feedback": (OutputKind.SCRIPT, "script-no-question", script_without(
            "feedback", "I am confident I am ready for this.")),
        "thanks": (OutputKind.THANK_YOU, "thank-you-no-thanks", _email(_swap(
            THANK_YOU, "Thank you for supporting my move to Analytics Lead. I appreciate the trust you have shown in me.",
            "I am writing about my move to Analytics Lead."))),
        "no-made-up-help": (OutputKind.HELPER_THANKS, "thanks-made-up-help", _made_up_help()),
        "details-in-writing": (OutputKind.THANK_YOU, "thank-you-no-writing", _email(_swap(
            THANK_YOU, "Could you confirm the details in writing: the title, the start date, the salary and the new responsibilities?\n\n",
            ""))),
    }


def _made_up_help() -> Output:
    """The helper notes with help nobody logged: Priya 'coached me through the planning cycle'."""
    good = good_outputs()[OutputKind.HELPER_THANKS]
    data = json.loads(json.dumps(good.data))
    body = data["emails"][1]["body"]
    made_up = _swap(body, "Thank you for your help along the way.",
                    "Thank you for coaching me through the whole planning cycle and for the long talks "
                    "about my career every Friday.")
    data["emails"][1]["body"] = made_up
    return good.model_copy(update={"data": data, "text": good.text.replace(body, made_up)})


def _all_bad() -> dict[OutputKind, Output]:
    """One output per kind that fails every judged check of its rubric at once."""
    turns = [*ROLEPLAY_TURNS[:6],
             ("manager", "As your employee, I'd really like to be promoted. Yes, you're ready, I'll make it happen."),
             *ROLEPLAY_TURNS[7:10],
             ("manager", "Just keep doing what you're doing. You'll know it when you see it."),
             *ROLEPLAY_TURNS[11:]]
    return {
        OutputKind.CHAT: good_outputs()[OutputKind.CHAT].model_copy(update={"text":
            "Keep a weekly log of your wins with a number for each one [1]. Bring a printed list of your "
            "colleagues' salaries to every one-to-one [2]."}),
        OutputKind.HELPER_THANKS: _made_up_help(),
        OutputKind.DECLINE: _email("Subject: The Analytics Lead role\n\nHi Robert,\n\nI am not taking the "
                                   "Analytics Lead role. Frankly the offer is a joke, and if this is how promotions "
                                   "work here I will leave. That is my final decision.\n\nMaya Chen"),
        OutputKind.FOLLOW_UP: _email("Subject: Follow-up\n\nHi Robert,\n\nIt was good to catch up. Let's talk "
                                     "again some time.\n\nBest regards,\nMaya Chen", revisit="2025-09-01"),
        OutputKind.MEETING_REQUEST: _email("Subject: Quick one\n\nHi Robert,\n\nCould I grab you for a quick "
                                           "word at the end of Thursday's stand-up? There is something I would "
                                           "like to discuss.\n\nMaya"),
        OutputKind.PROPOSAL: Output(text=_swap(_swap(_swap(_swap(_swap(
            PROPOSAL, " (shows mentoring others)", ""), " (shows some project coordination)", ""),
            "I already take on parts of the Analytics Lead role.", "Here is more of my work."),
            "- First 30 days: agree the priorities and how success is measured with Robert Hale.\n- By day 60: take ownership of one hard technical problem and write up the design.\n- By day 90: report the results so far.",
            "I will do my best in the new role."),
            "report prep time down from 6 hours to 45 minutes a week", "report prep time down 73%"),
            data={"source": "model"}),
        OutputKind.ROLEPLAY: roleplay_output(turns),
        OutputKind.SCRIPT: script_output([
            (s, label, "I have worked really hard and I think I deserve it." if s == "case"
             else "I am confident I am ready for this." if s == "feedback" else body)
            for s, label, body in SCRIPT_LINES]),
        OutputKind.THANK_YOU: _email("Subject: Analytics Lead\n\nHi Robert,\n\nI am writing about my move to "
                                     "Analytics Lead. For my first months in the role, my plan is to set the "
                                     "team's priorities with you.\n\nBest regards,\nMaya Chen"),
    }


def calibration_items() -> list[CalibrationItem]:
    """Per kind: an output that fails every judged check at once (each check labelled no) and
    the good example (each yes); then one output per judged check that fails only that one."""
    bad = _bad_outputs()
    # The checks calibrated per kind: every check a rubric asked the judge when this was written,
    # kept here so a check the calibration dropped stays measured.
    checks: dict[OutputKind, list[str]] = {}
    for check_id, (kind, _, _) in bad.items():
        checks.setdefault(kind, []).append(check_id)
    items = []
    for kind, output in _all_bad().items():
        items.append(CalibrationItem(id=f"bad-all-{kind.value}", case_id=GOOD_CASES[kind], kind=kind,
                                     output=output, labels={c: Value.NO for c in checks[kind]}))
    items += [CalibrationItem(id=f"good-{kind.value}", case_id=GOOD_CASES[kind], kind=kind, output=output,
                              labels={c: Value.YES for c in checks[kind]})
              for kind, output in good_outputs().items() if kind in checks]  # kinds with judged checks
    for check_id, (kind, name, output) in bad.items():
        items.append(CalibrationItem(id=f"bad-{name}", case_id=GOOD_CASES[kind], kind=kind, output=output,
                                     labels={check_id: Value.NO}))
    return items


# -- recorded replies ------------------------------------------------------------------------
def load_replies(path: Path = REPLIES) -> dict[str, JudgeRaw]:
    """item id -> the judge's whole reply (one JSON sheet for every judged check of the rubric)."""
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return {row["item"]: JudgeRaw.model_validate(row["reply"]) for row in rows}


def save_replies(replies: dict[str, JudgeRaw], path: Path = REPLIES) -> None:
    rows = [json.dumps({"item": k, "reply": v.model_dump(mode="json")}, ensure_ascii=False, sort_keys=True)
            for k, v in sorted(replies.items())]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def record(judge, items: list[CalibrationItem] | None = None, path: Path = REPLIES,
           now: dt.datetime | None = None) -> dict[str, JudgeRaw]:
    """Ask `judge` every item's judged checks (one call per item) and save the replies as they come.

    Items are asked in order: the all-bad outputs first, then the good ones, then one bad output
    per check; a run stopped early keeps what it recorded, and calibration reads what is there.
    """
    from coach.evals import judge as judging
    from coach.evals.dataset import load_samples
    from coach.evals.rubric import load_rubrics

    items = items or calibration_items()
    rubrics = load_rubrics()
    samples = {s.id: s for s in load_samples(ids={i.case_id for i in items})}
    replies = load_replies(path)
    for item in items:
        if item.id in replies and replies[item.id].raw.strip():
            continue
        answer = judging.ask(judge, samples[item.case_id], item.output, rubrics[item.kind], now=now)
        replies[item.id] = next(iter(answer.values()))
        save_replies(replies, path)
    return replies


# -- the measurement ---------------------------------------------------------------------------
def calibrate(path: Path = REPLIES) -> Calibration | None:
    """Per check, the recorded judge verdicts against the labels; None with nothing recorded.

    Every check that has a judge reply here is reported, including checks a rubric no longer
    sends to the judge (that is why it no longer does).
    """
    from coach.evals.judge import parse_verdict
    from coach.evals.rubric import load_rubrics

    replies = load_replies(path)
    if not replies:
        return None
    rubrics = load_rubrics()
    out: dict[tuple[str, str], CheckCalibration] = {}
    for item in calibration_items():
        reply = replies.get(item.id)
        if reply is None:
            continue  # not recorded yet: it neither agrees nor disagrees
        for check_id, label in item.labels.items():
            key = (rubrics[item.kind].name, check_id)
            row = out.setdefault(key, CheckCalibration(
                rubric=key[0], check=check_id, agreement=Agreement(check=check_id), caught_bad=False,
                judged=any(c.id == check_id for c in rubrics[item.kind].judged)))
            verdict = parse_verdict(reply, check_id).value
            if verdict not in (Value.YES, Value.NO):
                row.missing += 1
                continue
            # Agreement.add takes (reference, judge): the label plays the deterministic side.
            row.agreement.add(item.id, label, verdict)
            if label == Value.NO and verdict == Value.NO:
                row.caught_bad = True
    checks = sorted(out.values(), key=lambda c: (c.rubric, c.check))
    overall = Agreement(check="all")
    for c in checks:
        overall = overall.merged(c.agreement)
    return Calibration(checks=checks, overall=overall, replies=path.name)
