"""What the user must see in each coaching output, checked on the shape `coach ... --json`
prints (a service result's `model_dump(mode="json")`).

One place for the rules, so the recorded scenario tests (tests/test_proposal_scenarios.py,
tests/test_emails_scenarios.py) and the live quality bench (bench/bench_quality.py) hold
the model to the same bar. A `Verdict` keeps the required elements apart from the figures
no input states: the bench reports them as separate columns, the tests want both clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coach.domain.chat import log_summary, profile_block
from coach.domain.emails import MEETING_MINUTES, REQUIRED
from coach.domain.evidence import Entry
from coach.domain.passage import Passage
from coach.domain.proposal import SECTION_TITLES, SKELETON_NUMBERS
from coach.domain.readiness import assess_readiness
from coach.domain.script import STEPS
from coach.domain.text import numbers_in
from tests.scenarios import Scenario
from tests.scenarios.helpers import input_numbers, numbers_outside

TIMELINE = re.compile(r"\b(at the \w+ \d{4} review cycle|by \w+ \d{4})\b")

# The chat has no question in the scenario files: each scenario gets one of these in turn,
# so the six runs cover timing, the meeting, the written case, a no and the next level.
CHAT_QUESTIONS = (
    "Is now a good time for me to ask for the promotion?",
    "How should I ask my manager for the promotion meeting?",
    "What should go into my written promotion proposal?",
    "What should I do if my manager says I am not ready yet?",
    "How do I show that I already work at the next level?",
    "What does the next level need that my log does not show yet?",
)


@dataclass
class Verdict:
    """Each required element (present or not) and the figures that no input states."""

    elements: dict[str, bool]
    invented: set[str]

    @property
    def missing(self) -> list[str]:
        return [name for name, present in self.elements.items() if not present]


def _given(scenario: Scenario, saved: list[Entry], *extra: str) -> set[str]:
    """The figures the user's inputs state: profile, log, the date, and `extra` text."""
    return input_numbers(scenario.profile.model_dump_json(),
                         *(e.model_dump_json() for e in saved), scenario.today.isoformat(),
                         *extra)


def proposal_verdict(scenario: Scenario, saved: list[Entry], data: dict[str, Any]) -> Verdict:
    """Four sections; the ask names the exact title and a timeline; every entry is named
    with its metric (and linked to its claim, not numbered in the text); no figure beyond
    the inputs and the skeleton's own."""
    p, timeline = scenario.profile, data["ask"]["timeline"]
    ask = next((s["body"] for s in data["sections"] if s["title"] == SECTION_TITLES[3]), "")
    elements = {
        "four-sections": [s["title"] for s in data["sections"]] == list(SECTION_TITLES),
        "ask-target-title": data["ask"]["target_title"] == p.target_title
        and p.target_title in ask,
        "ask-timeline": bool(TIMELINE.fullmatch(timeline)) and timeline in ask,
        "no-entry-numbers": not re.search(r"\[#\d+\]", data["markdown"]),
    }
    linked = {i for claim in data["claims"] for i in claim["entries"]}
    for e in saved:
        elements[f"names-{e.cite()}"] = f"**{e.title}**" in data["markdown"] and e.id in linked
        if e.metric:
            elements[f"metric-{e.cite()}"] = e.metric in data["markdown"]
    allowed = _given(scenario, saved, timeline, " ".join(str(n) for n in SKELETON_NUMBERS))
    return Verdict(elements, numbers_outside(data["markdown"], allowed))


def email_inputs(scenario: Scenario, kind: str) -> dict[str, str]:
    """What the user tells `coach email KIND` besides the date: a follow-up's summary, a
    decline's reason (if the scenario has one)."""
    if kind == "follow-up":
        return {"summary": scenario.followup_summary}
    if kind == "decline" and scenario.decline_reason:
        return {"reason": scenario.decline_reason}
    return {}


def email_verdict(scenario: Scenario, saved: list[Entry], kind: str,
                  data: dict[str, Any]) -> Verdict:
    """Every element REQUIRED names for the kind and every check the service ran (hostile
    language included), the manager greeted by first name, no figure beyond the inputs."""
    elements = {eid: False for eid, _, _ in REQUIRED[kind]} | data["checks"]
    elements["manager-first-name"] = scenario.profile.manager_name.split()[0] in data["body"]
    allowed = _given(scenario, saved, scenario.followup_summary, scenario.decline_reason,
                     str(MEETING_MINUTES), data["revisit"] or "", data["subject"])
    # Plan dates in a follow-up are the domain's own (counted from the date).
    plan = assess_readiness(scenario.profile, saved, today=scenario.today).plan
    allowed |= input_numbers(*(step.by.isoformat() for step in plan))
    return Verdict(elements, numbers_outside(data["body"], allowed))


def script_verdict(scenario: Scenario, saved: list[Entry], data: dict[str, Any]) -> Verdict:
    """The six beats in order: thanks, the goal with the exact title, the case keeping each
    cited result's figures, a question for feedback, the timeline's month and year, thanks
    and a written follow-up; no figure beyond the inputs."""
    lines = {ln["step"]: ln["text"] for ln in data["lines"]}
    case = next((ln for ln in data["lines"] if ln["step"] == "case"), {"text": "", "cites": []})
    by_id = {e.id: e for e in saved}
    when = re.search(r"[A-Z][a-z]+ \d{4}", data["timeline"])
    elements = {
        "six-steps": [ln["step"] for ln in data["lines"]] == [s for s, _ in STEPS]
        and all(ln["text"].strip() for ln in data["lines"]),
        "appreciation-thanks": bool(re.search(r"\bthank|\bappreciat|\bgrateful",
                                              lines.get("appreciation", ""), re.IGNORECASE)),
        "goal-target-title": scenario.profile.target_title.lower()
        in lines.get("goal", "").lower(),
        "feedback-question": "?" in lines.get("feedback", ""),
        "timeline-date": bool(when) and when.group(0) in lines.get("timeline", ""),
        "close-thanks-follow-up": bool(
            re.search(r"\bthank", lines.get("close", ""), re.IGNORECASE)
            and re.search(r"e-?mail|follow|summar|recap|in writing|send|write",
                          lines.get("close", ""), re.IGNORECASE)),
    }
    for entry_id in case["cites"]:
        elements[f"case-figures-[#{entry_id}]"] = (
            numbers_in(by_id[entry_id].metric) <= numbers_in(case["text"]))
    allowed = _given(scenario, saved, data["timeline"])
    return Verdict(elements, numbers_outside("\n".join(lines.values()), allowed))


_MARKER = re.compile(r"\[(\d{1,2})\]")
_LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+", re.MULTILINE)


def chat_verdict(scenario: Scenario, saved: list[Entry], question: str,
                 passages: list[Passage], data: dict[str, Any]) -> Verdict:
    """The answer cites a passage inline, every marker names a listed source, each source
    comes with its passage text; no figure beyond the user's inputs and the passages it was
    given (stricter than the chat's own guard, which lets small plain counts and years
    through)."""
    body = data["answer"]
    listed = {c["n"] for c in data["citations"]}
    markers = {int(n) for n in _MARKER.findall(body)}
    elements = {
        "cites-inline": bool(markers),
        "markers-resolve": markers <= listed,
        "lists-sources": bool(listed) and all(c["text"] for c in data["citations"]),
    }
    allowed = _given(scenario, saved, question, profile_block(scenario.profile),
                     log_summary(saved), *(p.text for p in passages))
    prose = _LIST_NUMBER.sub("", _MARKER.sub(" ", body))
    return Verdict(elements, numbers_outside(prose, allowed))
