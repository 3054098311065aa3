"""The agreed plan (issue 21) as an eval output: what `coach plan gaps ID` and `coach plan agree`
show, with the structured result, the criteria a gap could be matched to and the events of the
calendar file, so the checks can hold each part to what the manager said and the user typed.

Shared by the adapter (the live service) and the good example (the domain's rules), so both
render the same way. Nothing here depends on the scratch home: paths are shown relative to it
and the calendar's stamps and ids are left out, so a recording replays exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coach.domain.agreed_plan import Gap, Target
from coach.domain.errors import CoachError
from coach.evals.schema import Output

NONE_FOUND = "none found in your manager's words"


def targets_data(targets: Sequence[Target]) -> list[dict[str, Any]]:
    return [t.model_dump(mode="json") for t in targets]


def calendar_events(ics: str) -> list[dict[str, Any]]:
    """The events of a calendar file: start day, summary, description and alarm triggers."""
    lines: list[str] = []
    for raw in ics.replace("\r\n", "\n").split("\n"):
        if raw.startswith(" ") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    events: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    in_alarm = False
    for line in lines:
        key, _, value = line.partition(":")
        if line in ("BEGIN:VALARM", "END:VALARM"):
            in_alarm = line == "BEGIN:VALARM"
        elif line == "BEGIN:VEVENT":
            current = {"start": "", "summary": "", "description": "", "alarms": []}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None:
            name = key.split(";")[0]
            if name == "DTSTART":
                current["start"] = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
            elif name == "SUMMARY" and not in_alarm:
                current["summary"] = _unescape(value)
            elif name == "DESCRIPTION" and not in_alarm:
                current["description"] = _unescape(value)
            elif name == "TRIGGER":
                current["alarms"].append(value)
    return events


def _unescape(value: str) -> str:
    return (value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",")
            .replace("\\;", ";").replace("\\\\", "\\"))


def _found_lines(meeting: int | None, read: Sequence[Gap]) -> list[str]:
    if meeting is None:
        return []
    lines = [f"Gaps your manager named in meeting #{meeting}:"]
    for n, gap in enumerate(read, 1):
        lines += [f"  {n}. {gap.text}", f"     from: \u201c{gap.said}\u201d"]
    return lines if read else [*lines, f"  {NONE_FOUND}."]


def plan_output(result: Any, targets: Sequence[Target], ics: str, file: str) -> Output:
    """An agreed plan (`coach.services.agreed_plan.AgreedPlan`) as the user sees it."""
    text = result.text()
    if result.file:
        text = text.replace(result.file, file)
    data = result.model_dump(mode="json")
    data.update(source="rules", agreed=True, file=file if result.file else None,
                targets=targets_data(targets), calendar=calendar_events(ics), refused=None)
    return Output(text=text, data=data)


def refused_output(meeting: int | None, read: Sequence[Gap], error: CoachError,
                   targets: Sequence[Target]) -> Output:
    """What the user sees when no plan can be agreed: the gaps found (none), and why not."""
    lines = _found_lines(meeting, read)
    lines.append(f"No plan agreed: {error.message}." + (f" {error.hint}" if error.hint else ""))
    return Output(text="\n".join(lines), data={
        "source": "rules", "agreed": False, "agreement": None, "items": [],
        "read": [g.model_dump(mode="json") for g in read], "file": None, "calendar": [],
        "targets": targets_data(targets),
        "refused": {"code": error.code, "field": error.field, "message": error.message}})
