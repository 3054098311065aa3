"""Every deterministic rubric check passes a good output and fails a bad one made for it, and
the seeded faults the issue names are each caught by the check meant for them."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import pytest

from coach.evals.dataset import load_samples
from coach.evals.examples import (
    CHAT_ANSWER,
    GOOD_CASES,
    ROLEPLAY_TURNS,
    SCRIPT_LINES,
    good_outputs,
    roleplay_output,
    script_output,
    seeded_bad,
)
from coach.evals.rubric import load_rubrics
from coach.evals.schema import Cited, Output, OutputKind, Value
from coach.evals.scorers import REGISTRY, build

K = OutputKind
LONG = " ".join(["We also discussed the roadmap and the details of every project in turn."] * 20)


def replace(old: str, new: str) -> Callable[[Output], Output]:
    """A mutation that edits the text (and an email's body) the same way."""

    def mutate(out: Output) -> Output:
        assert old in out.text, f"fixture drift: {old!r} not in the example"
        data = dict(out.data)
        if isinstance(data.get("body"), str):
            data["body"] = data["body"].replace(old, new)
        return out.model_copy(update={"text": out.text.replace(old, new), "data": data})

    return mutate


def script_line(step: str, text: str) -> Callable[[Output], Output]:
    def mutate(out: Output) -> Output:
        return script_output([(s, label, text if s == step else body) for s, label, body in SCRIPT_LINES])

    return mutate


def manager_line(index: int, text: str) -> Callable[[Output], Output]:
    def mutate(out: Output) -> Output:
        turns = list(ROLEPLAY_TURNS)
        assert turns[index][0] == "manager"
        turns[index] = ("manager", text)
        return roleplay_output(turns)

    return mutate


def chat(text: str = CHAT_ANSWER, sources: tuple[str, str] | None = None) -> Callable[[Output], Output]:
    def mutate(out: Output) -> Output:
        cites = out.citations
        if sources:
            cites = [c.model_copy(update={"source": s}) for c, s in zip(cites, sources, strict=True)]
        return out.model_copy(update={"text": text, "citations": cites})

    return mutate


def seeded(name: str) -> Callable[[Output], Output]:
    return lambda out: seeded_bad()[name][1]


def data(change: Callable[[dict], object], text: str = "") -> Callable[[Output], Output]:
    """A mutation of a rules-only output's structured result (and, optionally, extra text)."""

    def mutate(out: Output) -> Output:
        edited = copy.deepcopy(out.data)
        change(edited)
        return out.model_copy(update={"data": edited, "text": out.text + text})

    return mutate


def _set(path: str, value: object) -> Callable[[dict], None]:
    """'actions.0.rule' -> set that field."""

    def change(d: dict) -> None:
        *keys, last = path.split(".")
        for key in keys:
            d = d[int(key)] if key.isdigit() else d[key]
        d[int(last) if last.isdigit() else last] = value

    return change


def _pop(key: str, index: int) -> Callable[[dict], None]:
    return lambda d: d[key].pop(index)


def _item(item_id: str, **fields: object) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        next(i for i in d["items"] if i["id"] == item_id).update(fields)

    return change


def _drop_item(item_id: str) -> Callable[[dict], None]:
    return lambda d: d.__setitem__("items", [i for i in d["items"] if i["id"] != item_id])


def note(index: int, old: str, new: str) -> Callable[[Output], Output]:
    """A mutation of one helper thank-you note (its body in the data and in the text)."""

    def mutate(out: Output) -> Output:
        edited = copy.deepcopy(out.data)
        body = edited["emails"][index]["body"]
        assert old in body, f"fixture drift: {old!r} not in note {index}"
        edited["emails"][index]["body"] = body.replace(old, new, 1)
        text = out.text.replace(body, edited["emails"][index]["body"])
        return out.model_copy(update={"data": edited, "text": text})

    return mutate


def counterpart(index: int, text: str) -> Callable[[Output], Output]:
    """A mutation that swaps one counterpart line of a scenario transcript."""

    def mutate(out: Output) -> Output:
        lines = list(out.transcript)
        assert lines[index].role == "manager"
        lines[index] = lines[index].model_copy(update={"content": text})
        shown = "\n".join(f"{'You' if t.role == 'user' else 'Them'}: {t.content}" for t in lines)
        return out.model_copy(update={"transcript": lines, "text": shown})

    return mutate


def _card(change: Callable[[list[dict]], object]) -> Callable[[Output], Output]:
    return data(lambda d: change(d["scorecard"]["checks"]))


def _check(check_id: str, **fields: object) -> Callable[[list[dict]], None]:
    return lambda checks: next(c for c in checks if c["id"] == check_id).update(fields)


GREETING = replace("Hi Robert,", "Robert,")
SIGNED = replace("Best regards,\nMaya Chen", "Best regards,")
INVENTED = replace("Hi Robert,\n\n", "Hi Robert,\n\nLast quarter I grew revenue 48%. ")
HOSTILE = replace("Hi Robert,\n\n", "Hi Robert,\n\nThis process is unacceptable. ")

# (kind, check id) -> a mutation of the good example that this check must reject.
BAD: dict[tuple[OutputKind, str], Callable[[Output], Output]] = {
    (K.PROPOSAL, "four-sections"): replace("## 3. What I will do at the next level", "**Next**"),
    (K.PROPOSAL, "accomplishments-quantified"): replace(
        ": corrected bookings by $1.2M before the board deck went out [#4]", " [#4]"),
    (K.PROPOSAL, "next-level-tied"): replace("(shows some project coordination) [#2]\n",
                                             "(shows some project coordination) [#2]\n"
                                             "- Organised the team lunch every Friday\n"),
    (K.PROPOSAL, "ninety-day-plan"): replace(
        "- By day 60: take ownership of one hard technical problem and write up the design.\n"
        "- By day 90: report the results so far.", "- Keep going."),
    (K.PROPOSAL, "exact-title"): replace("**Analytics Lead**, at", "**Data Lead**, at"),
    (K.PROPOSAL, "timeline"): replace(", at the September 2025 review cycle.", "."),
    (K.PROPOSAL, "no-invented-numbers"): seeded("proposal-invented-figure"),
    (K.PROPOSAL, "valid-citations"): replace("before the board deck went out [#4]",
                                             "before the board deck went out [#9]"),
    (K.PROPOSAL, "business-case"): replace("Based on this record:", "I deserve it by now."),
    (K.PROPOSAL, "no-echo"): replace("Based on this record:", "Reply with JSON. Based on this record:"),

    (K.MEETING_REQUEST, "dedicated-slot"): replace("set aside 30 minutes", "set aside a moment"),
    (K.MEETING_REQUEST, "clear-purpose"): replace("about my career growth?", "about something?"),
    (K.MEETING_REQUEST, "target-title"): replace("the Analytics Lead role", "the next step"),
    (K.MEETING_REQUEST, "asks-for-time"): replace("Let me know what time suits you.", "See you then."),
    (K.MEETING_REQUEST, "greeting"): GREETING,
    (K.MEETING_REQUEST, "signed"): SIGNED,
    (K.MEETING_REQUEST, "short"): replace("Let me know", LONG + " Let me know"),
    (K.MEETING_REQUEST, "no-invented-numbers"): INVENTED,
    (K.MEETING_REQUEST, "professional-tone"): HOSTILE,

    (K.FOLLOW_UP, "thanks"): replace("Thank you for making time to talk", "We met to talk"),
    (K.FOLLOW_UP, "summary"): replace(
        "To recap what we discussed: you agreed the churn project shows lead-level work, you want me "
        "to run the pricing analysis next quarter with the two junior analysts, and you will put my "
        "name forward at the September calibration.", "It went well."),
    (K.FOLLOW_UP, "key-points"): replace("at the September calibration", "soon"),
    (K.FOLLOW_UP, "next-steps"): lambda out: Output(
        text="Hi Robert,\n\nThank you for the chat about the pricing analysis, the junior analysts "
             "and the September calibration. It was useful.\n\nBest regards,\nMaya Chen",
        data={"revisit": "2025-09-01"}),
    (K.FOLLOW_UP, "timeline"): replace("plan by 2025-07-14.", "plan soon."),
    (K.FOLLOW_UP, "revisit-date"): replace("again on 2025-09-01 to", "again later to"),
    (K.FOLLOW_UP, "greeting"): GREETING,
    (K.FOLLOW_UP, "signed"): SIGNED,
    (K.FOLLOW_UP, "no-invented-numbers"): INVENTED,
    (K.FOLLOW_UP, "professional-tone"): HOSTILE,

    (K.DECLINE, "gratitude"): lambda out: replace(
        "Thank you for offering me", "You offered me")(replace(
            "and I am grateful for your support", "and that is all")(out)),
    (K.DECLINE, "reason"): replace(
        ", because the role is based in the London office and I cannot relocate my family this year",
        ""),
    (K.DECLINE, "alternative"): replace(
        "I would still like to keep growing here: instead, I would be glad to take on more analysis "
        "work and talk about other ways I can contribute. ", ""),
    (K.DECLINE, "door-open"): replace("I hope we can revisit this in the future, and I",
                                      "I"),
    (K.DECLINE, "positive-close"): replace(
        "I hope we can revisit this in the future, and I am grateful for your support.",
        "That is my decision. It is final."),
    (K.DECLINE, "no-burned-bridges"): seeded("decline-burns-bridges"),
    (K.DECLINE, "names-role"): replace("Analytics Lead ", ""),
    (K.DECLINE, "no-invented-numbers"): INVENTED,

    (K.THANK_YOU, "thanks"): lambda out: replace(
        "Thank you for supporting my move", "You supported my move")(replace(
            "I appreciate the trust", "I noted the trust")(out)),
    (K.THANK_YOU, "target-title"): replace("my move to Analytics Lead", "my move"),
    (K.THANK_YOU, "details-in-writing"): replace(
        "Could you confirm the details in writing: the title, the start date, the salary and the new "
        "responsibilities?", "Let's talk money sometime."),
    (K.THANK_YOU, "commitment"): replace(
        "For my first months in the role, my plan is to set the team's priorities with you.",
        "I will do my best."),
    (K.THANK_YOU, "greeting"): GREETING,
    (K.THANK_YOU, "signed"): SIGNED,
    (K.THANK_YOU, "short"): replace("I am looking forward", LONG + " I am looking forward"),
    (K.THANK_YOU, "no-invented-numbers"): INVENTED,

    (K.SCRIPT, "appreciation"): script_line("appreciation", "Hello Robert, let's start."),
    (K.SCRIPT, "goal"): script_line("goal", "I would like to move up."),
    (K.SCRIPT, "case"): script_line("case", "I have done good work on several projects."),
    (K.SCRIPT, "feedback"): script_line("feedback", "Let me know your view."),
    (K.SCRIPT, "timeline"): script_line("timeline", "I am keen to move on this."),
    (K.SCRIPT, "close"): script_line("close", "Bye for now."),
    (K.SCRIPT, "in-order"): lambda out: script_output([SCRIPT_LINES[1], SCRIPT_LINES[0], *SCRIPT_LINES[2:]]),
    (K.SCRIPT, "no-invented-numbers"): script_line("case", "I led the churn project and cut costs 64%."),
    (K.SCRIPT, "no-echo"): script_line("appreciation", "You are a helpful coach. Thank you, Robert."),

    (K.CHAT, "citation-present"): seeded("answer-without-citation"),
    (K.CHAT, "markers-resolve"): chat(CHAT_ANSWER + " See also [7]."),
    (K.CHAT, "citation-supports"): chat("Bring a cake to the meeting so everyone is happy [1]. Wear "
                                        "a blue shirt and arrive early to impress the room [2]."),
    (K.CHAT, "expected-source"): chat(sources=("timing.md", "checklist.md")),
    (K.CHAT, "on-topic"): chat("Bring a cake [1]."),
    (K.CHAT, "no-invented-numbers"): chat(CHAT_ANSWER + " Most managers agree 80% of the time [1]."),
    (K.CHAT, "no-echo"): chat("Return JSON. " + CHAT_ANSWER),

    (K.ROLEPLAY, "role-kept"): seeded("manager-breaks-role"),
    (K.ROLEPLAY, "type-matched"): manager_line(6, "Congratulations, you're promoted! Well done."),
    (K.ROLEPLAY, "specifics-given"): lambda out: roleplay_output(
        [*ROLEPLAY_TURNS[:10], ("manager", "Let's not get into that now."),
         ("user", ROLEPLAY_TURNS[11][1]), ("manager", "Fine. Send me a recap.")]),
    (K.ROLEPLAY, "brief-hidden"): manager_line(
        10, "Not yet. I respect a calm reaction and a request for concrete examples, so ask away."),
    (K.ROLEPLAY, "turn-length"): manager_line(10, LONG),
    (K.ROLEPLAY, "no-invented-numbers"): manager_line(10, "Your team grew 37% this year, but not yet."),
    (K.ROLEPLAY, "professional-tone"): manager_line(10, "Not yet. Honestly, that request is ridiculous."),

    # issue 21, rules only: each mutation plants one fault of the kind the check exists for
    (K.STAKEHOLDERS, "one-action-each"): data(_pop("actions", 1)),
    (K.STAKEHOLDERS, "ordered"): data(lambda d: d["actions"].reverse()),
    (K.STAKEHOLDERS, "reason-true"): data(_set("actions.1.rule", "get-known")),
    (K.STAKEHOLDERS, "days-true"): data(lambda d: d["actions"][1].update(
        why=d["actions"][1]["why"].replace("13 days", "3 days"))),
    (K.STAKEHOLDERS, "gaps-true"): data(_set("gaps", [])),
    (K.STAKEHOLDERS, "cites-guide"): data(_set("actions.0.cites.section", "Network at parties")),
    (K.STAKEHOLDERS, "no-invented-numbers"): data(lambda d: None, "\nDana backs 40% of promotions."),

    (K.OFFER_CHECK, "covers-package"): data(_drop_item("benefits")),
    (K.OFFER_CHECK, "status-true"): data(_item("scope", status="settled", ask="")),
    (K.OFFER_CHECK, "known-verbatim"): data(_item("salary", known="£60,000")),
    (K.OFFER_CHECK, "open-items-ask"): data(_item("benefits", ask="")),
    (K.OFFER_CHECK, "summary-true"): data(_set("summary", "The offer is pinned down. Keep it.")),
    (K.OFFER_CHECK, "paperwork-chased"): data(_drop_item("paperwork")),
    (K.OFFER_CHECK, "cites-guide"): data(_item("scope", rests_on=[])),
    (K.OFFER_CHECK, "no-invented-numbers"): data(lambda d: None, "\nMost people get a 15% raise."),

    (K.OPTIONS, "expected-verdict"): data(_set("verdict", "build-and-ask-again")),
    (K.OPTIONS, "verdict-explained"): data(_set("summary", "Look outside: the signs add up.")),
    (K.OPTIONS, "reasons-true"): data(lambda d: d["reasons"].append(
        {"rule": "politics", "leans": "look-outside", "text": "Politics decide who moves up.",
         "rests_on": d["reasons"][0]["rests_on"]})),
    (K.OPTIONS, "coherent-after-yes"): data(lambda d: d["reasons"].append(
        {"rule": "gaps-remain", "leans": "build-and-ask-again", "rests_on": d["reasons"][0]["rests_on"],
         "text": "Your log does not show 1 of the 3 expectations yet: close it before you ask again."})),
    (K.OPTIONS, "cites-guide"): data(_set("reasons.0.rests_on.0.section", "Ask for a raise every month")),
    (K.OPTIONS, "no-invented-numbers"): data(lambda d: None, "\nMost managers say yes 85% of the time."),

    (K.KIT, "results-verbatim"): data(_set("entries", [1])),
    (K.KIT, "level-claim-backed"): data(_set("entries", [2, 3])),
    (K.KIT, "titles"): data(_set("search_titles", ["Marketing Specialist", "Marketing Lead"])),
    (K.KIT, "says-what-is-missing"): data(_set("notes", [])),
    (K.KIT, "summary-short"): data(_set("summary", LONG)),
    (K.KIT, "cites-guide"): data(_set("rests_on", [])),
    (K.KIT, "no-invented-numbers"): data(lambda d: None, "\nI grew sign-ups 300% in a year."),

    # issue 21, model-written after a yes: the good example is the app's own draft
    (K.OFFER_CONFIRMATION, "thanks"): replace("Thank you for agreeing to my move to", "I am moving to"),
    (K.OFFER_CONFIRMATION, "terms-as-saved"): replace("- Salary: EUR 68,000\n", ""),
    (K.OFFER_CONFIRMATION, "still-to-confirm"): replace(
        "Still to confirm: the level, the scope and the benefits. Could you let me know once they are "
        "settled?\n\n", ""),
    (K.OFFER_CONFIRMATION, "in-writing"): replace(
        "Could you reply to confirm these details in writing, and let me know", "Let me know"),
    (K.OFFER_CONFIRMATION, "only-entered-figures"): replace("date: 2025-08-01", "date: 2025-08-15"),
    (K.OFFER_CONFIRMATION, "no-invented-names"): replace("Thank you for agreeing",
                                                         "Thank you and Marcus Webb for agreeing"),
    (K.OFFER_CONFIRMATION, "own-voice"): replace("Hi Olivia,\n\n", "Hi Olivia,\n\nCongratulations! "),
    (K.OFFER_CONFIRMATION, "greeting"): replace("Hi Olivia,", "Olivia,"),
    (K.OFFER_CONFIRMATION, "signed"): replace("Best regards,\nSam Patel", "Best regards,"),
    (K.OFFER_CONFIRMATION, "short"): replace("Best regards,", LONG + "\n\nBest regards,"),
    (K.OFFER_CONFIRMATION, "professional-tone"): replace("Hi Olivia,\n\n", "Hi Olivia,\n\nThis process is "
                                                         "unacceptable. "),
    (K.OFFER_CONFIRMATION, "plain-text"): replace("- Salary: EUR 68,000", "- **Salary:** EUR 68,000"),
    (K.OFFER_CONFIRMATION, "no-echo"): replace("Hi Olivia,\n\n", "Hi Olivia,\n\nReply with JSON. "),

    (K.HELPER_THANKS, "one-each"): data(lambda d: d["emails"].pop(1)),
    (K.HELPER_THANKS, "greeting"): note(0, "Hi Robert,", "Hi there,"),
    (K.HELPER_THANKS, "thanks"): note(0, "Thank you for your help", "You helped me"),
    (K.HELPER_THANKS, "what-they-did"): note(0, "- Put my name forward at the calibration meeting",
                                             "- Everything"),
    (K.HELPER_THANKS, "spoke-up"): lambda out: note(
        0, ", and for speaking up for me when I was not in the room", "")(
        note(0, "- Put my name forward at the calibration meeting", "- The calibration meeting")(out)),
    (K.HELPER_THANKS, "the-news"): note(0, "my promotion to Analytics Lead has been agreed",
                                        "my news is out"),
    (K.HELPER_THANKS, "early-results"): note(0, "I want to deliver early results, and",
                                             "I will do my best, and"),
    (K.HELPER_THANKS, "no-salary"): note(1, "Best regards,", "The new salary is $125k.\n\nBest regards,"),
    (K.HELPER_THANKS, "only-entered-figures"): note(0, "the calibration meeting",
                                                    "the calibration meeting of 14 directors"),
    (K.HELPER_THANKS, "no-invented-names"): note(1, "with me before", "with me and Jonathan Price before"),
    (K.HELPER_THANKS, "own-voice"): note(1, "Hi Priya,\n\n", "Hi Priya,\n\nCongratulations! "),
    (K.HELPER_THANKS, "signed"): note(0, "Best regards,\nMaya Chen", "Best regards,"),
    (K.HELPER_THANKS, "short"): note(1, "Best regards,", LONG + "\n\nBest regards,"),
    (K.HELPER_THANKS, "professional-tone"): note(0, "Hi Robert,\n\n",
                                                 "Hi Robert,\n\nThis process is unacceptable. "),
    (K.HELPER_THANKS, "no-made-up-help"): note(1, "Thank you for your help along the way.",
                                               "Thank you for coaching me through the planning cycle."),
    (K.HELPER_THANKS, "plain-text"): note(1, "Hi Priya,\n\n", "Hi Priya,\n\n## Good news\n\n"),
    (K.HELPER_THANKS, "no-echo"): note(0, "Hi Robert,\n\n", "Hi Robert,\n\nReply with JSON. "),

    # issue 21, model-written role-plays: the offer presented, an interview elsewhere
    (K.OFFER_ROLEPLAY, "in-role"): counterpart(2, "Thank you for the offer, I accept."),
    (K.OFFER_ROLEPLAY, "no-invented-numbers"): counterpart(4, "The base salary would be $140k."),
    (K.OFFER_ROLEPLAY, "turn-length"): counterpart(4, LONG),
    (K.OFFER_ROLEPLAY, "professional-tone"): counterpart(4, "Honestly, that request is ridiculous."),
    (K.OFFER_ROLEPLAY, "no-echo"): counterpart(2, "You are a helpful assistant. Fine."),
    (K.OFFER_ROLEPLAY, "scorecard-complete"): _card(lambda checks: checks.pop()),
    (K.OFFER_ROLEPLAY, "no-says-why"): _card(_check("benefits", reason="")),
    (K.OFFER_ROLEPLAY, "quotes-user"): _card(_check("pay", quote="What is my exact salary going to be?")),
    (K.OFFER_ROLEPLAY, "improved-figures"): _card(_check("scope", improved="Could I also get a 40% bonus?")),
    (K.OFFER_ROLEPLAY, "well-formed"): _card(_check("scope", improved="What do I own in the the role?")),
    (K.INTERVIEW_ROLEPLAY, "well-formed"): counterpart(2, "What else would would you point to?"),
    (K.INTERVIEW_ROLEPLAY, "in-role"): counterpart(2, "In my current role I lead three platform teams."),
    (K.INTERVIEW_ROLEPLAY, "no-invented-numbers"): counterpart(4, "We pay 35% above the market. Why move?"),
    (K.INTERVIEW_ROLEPLAY, "turn-length"): counterpart(2, LONG),
    (K.INTERVIEW_ROLEPLAY, "professional-tone"): counterpart(4, "Honestly, that answer is ridiculous."),
    (K.INTERVIEW_ROLEPLAY, "no-echo"): counterpart(2, "Return JSON. What else?"),
    (K.INTERVIEW_ROLEPLAY, "scorecard-complete"): _card(lambda cs: cs.append(dict(cs[0], id="extra"))),
    (K.INTERVIEW_ROLEPLAY, "no-says-why"): _card(_check("why-move", improved="")),
    (K.INTERVIEW_ROLEPLAY, "quotes-user"): _card(_check("framing", quote="I run the whole company.")),
    (K.INTERVIEW_ROLEPLAY, "improved-figures"): _card(_check("why-move", improved="I doubled revenue 3x.")),

    # issue 21, rules only: the plan agreed after a no (the good example: Tomas's meeting)
    (K.AGREED_PLAN, "gaps-said"): data(_item("agreed-1", gap="Run the whole support org",
                                             text="Run the whole support org")),
    (K.AGREED_PLAN, "gaps-concrete"): data(_drop_item("agreed-2")),
    (K.AGREED_PLAN, "criterion-expected"): data(lambda d: d["items"][1].update(
        criterion="", criterion_name="", demonstrate=d["items"][1]["gap"])),
    (K.AGREED_PLAN, "criterion-shares-words"): data(lambda d: d["items"][0].update(
        criterion="strategy-over-hands-on", criterion_name="Strategy over hands-on work",
        demonstrate=next(t for t in d["targets"] if t["id"] == "strategy-over-hands-on")["demonstrate"])),
    (K.AGREED_PLAN, "due-by-revisit"): data(_item("agreed-2", due="2026-02-01")),
    (K.AGREED_PLAN, "revisit-in-calendar"): data(lambda d: d["calendar"].pop(0)),
    (K.AGREED_PLAN, "says-source"): lambda out: out.model_copy(update={
        "text": re.sub(r"\n\s+Grace Liu said: .*", "", out.text)}),
    (K.AGREED_PLAN, "with-manager"): data(_set("agreement.with_name", "Dana Smith")),
    (K.AGREED_PLAN, "no-invented-numbers"): data(lambda d: None, "\nManagers promote 37% of such leads."),
}

SAMPLES = {s.id: s for s in load_samples()}
RUBRICS = load_rubrics()
GOOD = good_outputs()
DETERMINISTIC = [(kind, check.id) for kind, rubric in RUBRICS.items() for check in rubric.checks
                 if check.check]
IDS = [f"{kind.value}.{check_id}" for kind, check_id in DETERMINISTIC]


def _score(kind: OutputKind, check_id: str, output: Output):
    check = RUBRICS[kind].check(check_id)
    return build(check.check, check.params)(SAMPLES[GOOD_CASES[kind]], output)


def test_every_deterministic_check_has_a_failing_example():
    assert sorted(BAD, key=str) == sorted(DETERMINISTIC, key=str)


def test_every_registered_scorer_is_used_by_a_rubric():
    used = {c.check for r in RUBRICS.values() for c in r.checks if c.check}
    assert set(REGISTRY) == used


@pytest.mark.parametrize(("kind", "check_id"), DETERMINISTIC, ids=IDS)
def test_check_passes_the_good_example(kind, check_id):
    score = _score(kind, check_id, GOOD[kind])
    assert score.value == Value.YES, score.explanation


@pytest.mark.parametrize(("kind", "check_id"), DETERMINISTIC, ids=IDS)
def test_check_fails_its_bad_example(kind, check_id):
    bad = BAD[(kind, check_id)](GOOD[kind])
    score = _score(kind, check_id, bad)
    assert score.value == Value.NO, f"{score.value}: {score.explanation}"
    assert score.explanation


@pytest.mark.parametrize("name", list(seeded_bad()))
def test_seeded_fault_is_caught_by_its_check(name):
    case_id, output, check_id = seeded_bad()[name]
    sample = SAMPLES[case_id]
    check = RUBRICS[sample.kind].check(check_id)
    score = build(check.check, check.params)(sample, output)
    assert score.value == Value.NO
    assert score.answer, "a failure must quote the offending text"


def test_seeded_invented_figure_names_the_figure():
    case_id, output, _ = seeded_bad()["proposal-invented-figure"]
    score = _score(K.PROPOSAL, "no-invented-numbers", output)
    assert "73" in score.explanation and "73%" in score.answer


def test_decline_reason_is_not_applicable_without_a_reason():
    sample = SAMPLES["decline-ines-no-reason"]
    assert build("decline_reason")(sample, GOOD[K.DECLINE]).value == Value.NA


def test_specifics_not_applicable_when_never_asked():
    turns = [t for t in ROLEPLAY_TURNS if "specific" not in t[1].lower()]
    score = build("roleplay_specifics")(SAMPLES["roleplay-not-yet-tomas"], roleplay_output(turns))
    assert score.value == Value.NA


def test_a_check_that_raises_is_unscored_not_failed():
    from coach.evals.scorers import safe

    def broken(sample, output):
        raise RuntimeError("bug in a check")

    score = safe(broken, SAMPLES["proposal-maya"], GOOD[K.PROPOSAL])
    assert score.value == Value.UNSCORED and "bug in a check" in score.explanation


def test_citation_support_uses_the_cited_passage_only():
    good = GOOD[K.CHAT]
    # The claim matches passage 2's text but cites passage 1: not supported by what it cites.
    off = good.model_copy(update={
        "text": "Start by thanking your manager for something specific and name the title [1].",
        "citations": [good.citations[0], Cited(source="x.md", text=good.citations[1].text, label="[2]")]})
    assert build("chat_citation_supports")(SAMPLES["chat-book-meeting"], off).value == Value.NO


def test_echo_check_matches_whole_words_only():
    text = "Name the title and the timeline you are asking for."
    output = GOOD[K.CHAT].model_copy(update={"text": text})
    assert build("no_echo")(SAMPLES["chat-book-meeting"], output).value == Value.YES


@pytest.mark.parametrize("line", ["I'm not ready for Support Manager yet.",
                                  "The onboarding guide was written by me, not Tomas."])
def test_role_kept_catches_the_slips_the_guard_misses(line):
    output = manager_line(10, line)(GOOD[K.ROLEPLAY])
    assert _score(K.ROLEPLAY, "role-kept", output).value == Value.NO


def test_an_answer_without_markers_is_checked_against_the_passages_shown():
    unmarked = GOOD[K.CHAT].model_copy(update={"text": CHAT_ANSWER.replace(" [1]", "").replace(" [2]", "")})
    sample = SAMPLES["chat-book-meeting"]
    assert build("chat_citation_present")(sample, unmarked).value == Value.NO
    assert build("chat_citation_supports")(sample, unmarked).value == Value.YES


def test_a_plan_refused_for_want_of_gaps_says_none_was_found():
    """The manager named nothing concrete: no item, and the output says so (not a made-up gap)."""
    from coach.domain.errors import CoachError
    from coach.evals.plan_output import refused_output

    sample = SAMPLES["agreed-plan-leo-nothing-concrete"]
    refused = CoachError("there are no gaps to put in the plan", code="no-gaps", field="gaps")
    output = refused_output(1, [], refused, [])
    check = RUBRICS[K.AGREED_PLAN].check("gaps-concrete")
    assert build(check.check, check.params)(sample, output).value == Value.YES
    assert "none found" in output.text and not output.data["items"]
    for check_id in ("due-by-revisit", "revisit-in-calendar", "with-manager"):
        check = RUBRICS[K.AGREED_PLAN].check(check_id)
        assert build(check.check, check.params)(sample, output).value == Value.NA, check_id


@pytest.mark.parametrize(("gap", "shared"), [
    ("Mentor the two junior analysts", True), ("Mentoring two juniors", True),
    ("Coordinating the release", True), ("Present results to the leadership team", False)])
def test_a_criterion_shares_a_keyword_only_in_its_own_form(gap, shared):
    from coach.evals.scorers.agreed import shares_words

    coordination = {"name": "Some project coordination", "demonstrate": "Tracks progress for a small group.",
                    "keywords": ["lead", "coordinat"]}
    mentoring = {"name": "Mentoring others", "demonstrate": "Helps colleagues grow.", "keywords": ["mentor"]}
    assert (shares_words(gap, coordination) or shares_words(gap, mentoring)) is shared
