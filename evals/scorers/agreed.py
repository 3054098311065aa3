"""Checks for the development plan agreed with the manager after a no (issue 21; rules only).

The guidance (after-a-no.md): find out exactly why, agree concrete gaps with the manager, put a
date on each, and set a date to revisit. The never-mislead rule: every gap is a span of what
the manager said in the case's meeting or what the user typed, never made up; a criterion is
named only when it shares words with the gap; the output says what it read each gap from.
Each check reads the case (the meeting as pasted, the typed gaps, the dates), never the
output's own account of them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from coach.domain import guard
from coach.domain.framework.mapping import terms
from coach.domain.text import clean_line
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.common import facts_for
from coach.evals.scorers.text import DATE_RE

_MANAGER_LINE = re.compile(r"^\s*(?:manager|boss|mgr)\s*:\s*(?P<said>.+)$", re.IGNORECASE)
# What may follow a curated keyword in the same word: 'coordinat' -> 'coordinating',
# 'mentor' -> 'mentored'; never another word ('lead' -> 'leadership' is not 'lead').
_ENDINGS = frozenset({"", "s", "es", "e", "ed", "d", "ing", "er", "ers", "or", "ors", "ion", "ions",
                      "ation", "ations", "ive", "ity", "ility", "ise", "ize", "ised", "ized", "ising",
                      "izing", "isation", "ization", "sation", "zation", "al", "y", "ies"})


def _norm(text: str) -> str:
    return clean_line(text).lower().replace("\u2019", "'").strip(" .;:!,")


def _manager_lines(sample: Sample) -> list[str]:
    """The manager's lines of the case's meeting, a wrapped line joined to the one before."""
    name = sample.input.profile.manager_name
    manager = name.split()[0].lower() if name else ""
    lines: list[str] = []
    speaking = False
    for raw in sample.input.task.meeting.splitlines():
        match = _MANAGER_LINE.match(raw)
        who = raw.split(":", 1)[0].strip().lower() if ":" in raw else ""
        if match or (manager and who == manager):
            lines.append(_norm(match.group("said") if match else raw.split(":", 1)[1]))
            speaking = True
        elif who and len(who.split()) <= 3:
            speaking = False
        elif speaking and raw.strip():
            lines[-1] = f"{lines[-1]} {_norm(raw)}"
    return lines


def _items(output: Output) -> list[dict[str, Any]]:
    return [i for i in output.data.get("items") or [] if isinstance(i, dict)]


def _gap(item: dict[str, Any]) -> str:
    return str(item.get("gap") or item.get("text") or "")


def _block(text: str, item: dict[str, Any]) -> str | None:
    """The lines the output shows for one plan item (None when the item is not shown)."""
    head = f"{item.get('id')}: {item.get('text')}"
    start = text.find(head)
    if start < 0:
        return None
    rest = text[start + len(head):]
    end = re.search(r"\n\s*\[[ x]\]|\n\S", rest)
    return head + (rest[:end.start()] if end else rest)


# -- every gap is what the manager said or the user typed -------------------------------------
@scorer("plan_gaps_said")
def gaps_said() -> ScoreFn:
    """Every gap (read or planned) is a span of one of the manager's lines in the meeting, shown
    with that line verbatim, or a gap the user typed; nothing else."""

    def score(sample: Sample, output: Output) -> Score:
        said_lines = _manager_lines(sample)
        typed = {_norm(g) for g in sample.input.task.gaps}
        read = [g for g in output.data.get("read") or [] if isinstance(g, dict)]
        gaps = [(_gap(i), str(i.get("said") or "")) for i in _items(output)]
        gaps += [(str(g.get("text", "")), str(g.get("said") or "")) for g in read]
        for gap, said in gaps:
            if said:
                if _norm(said) not in said_lines:
                    return Score.no("the line a gap is shown with is not one the manager said", said[:160])
                if _norm(gap) not in _norm(said):
                    return Score.no(f"'{gap}' is not in the manager's line it is read from", gap)
            elif _norm(gap) not in typed:
                return Score.no(f"'{gap}' is neither the manager's words nor a gap the user typed", gap)
        if not gaps:
            return Score.yes("no gap claimed")
        return Score.yes(f"{len(gaps)} gaps, each the manager's words or the user's")

    return score


# -- the gaps a careful reader finds, and nothing else ----------------------------------------
def _expected(sample: Sample) -> dict[str, str] | None:
    return sample.target.gaps


def _matches(gap: str, key: str) -> bool:
    return any(_norm(gap).startswith(alt.strip().lower()) for alt in key.split("|"))


@scorer("plan_gaps_concrete")
def gaps_concrete() -> ScoreFn:
    """The plan holds one item for each concrete gap the manager named (worked out by hand), each
    starting where the gap starts (no lead-in), and nothing else; with none named it holds no
    item and says none was found."""

    def score(sample: Sample, output: Output) -> Score:
        expected = _expected(sample)
        if expected is None:
            return Score.na("the case names no gaps to expect")
        items = _items(output)
        if not expected:
            if items:
                return Score.no(f"the manager named nothing concrete, yet the plan holds {len(items)} "
                                "item(s)", _gap(items[0]))
            if not re.search(r"\bnone found\b|\bno gaps\b", output.text, re.IGNORECASE):
                return Score.no("the output does not say that no gap was found", output.text[:160])
            return Score.yes("nothing concrete was named: no item, and the output says so")
        for key in expected:
            hits = [i for i in items if _matches(_gap(i), key)]
            if len(hits) != 1:
                return Score.no(f"the gap beginning '{key}' is in {len(hits)} items (one expected)", key)
        for item in items:
            if not any(_matches(_gap(item), key) for key in expected):
                return Score.no(f"'{_gap(item)}' is not a gap the manager named (or it keeps the "
                                "manager's lead-in)", _gap(item))
        return Score.yes(f"the {len(expected)} gaps named, one item each")

    return score


@scorer("plan_criterion_expected")
def criterion_expected() -> ScoreFn:
    """Each gap is matched to the criterion it clearly names, and one that names none clearly
    keeps the manager's words alone (worked out by hand)."""

    def score(sample: Sample, output: Output) -> Score:
        expected = _expected(sample)
        if not expected:
            return Score.na("the case names no gaps to match")
        checked = 0
        for item in _items(output):
            for key, criterion in expected.items():
                if _matches(_gap(item), key):
                    checked += 1
                    if str(item.get("criterion") or "") != criterion:
                        got = item.get("criterion_name") or "no criterion"
                        want = criterion or "none"
                        return Score.no(f"'{_gap(item)}' is matched to {got}; the gap names {want}",
                                        _gap(item))
        if not checked:
            return Score.na("no expected gap is in the plan")
        return Score.yes(f"{checked} gaps matched as the case expects")

    return score


# -- a criterion is named only when it shares words with the gap ------------------------------
def _keyword_shared(gap: str, keyword: str) -> bool:
    lower = gap.lower()
    if " " in keyword:
        return re.search(rf"\b{re.escape(keyword)}\b", lower) is not None
    for word in re.findall(r"[a-z][a-z0-9-]+", lower):
        if word.startswith(keyword):
            rest = word[len(keyword):]
            if rest in _ENDINGS or (rest[:1] == keyword[-1:] and rest[1:] in _ENDINGS):
                return True
    return False


def shares_words(gap: str, target: dict[str, Any]) -> bool:
    """Whether the gap shares a word with the criterion's name, statement or wording, or holds
    one of its curated keywords in the keyword's own form."""
    own = terms(f"{target.get('name', '')} {target.get('demonstrate', '')} {target.get('words', '')}")
    if terms(gap) & own:
        return True
    return any(_keyword_shared(gap, str(k)) for k in target.get("keywords") or [])


@scorer("plan_criterion_shares_words")
def criterion_shares_words() -> ScoreFn:
    """An item names a criterion only when it is one of the target level's (or the built-in
    expectations) with its own name and statement, and it shares a word with the gap; an item
    with none is to demonstrate the gap itself."""

    def score(sample: Sample, output: Output) -> Score:
        targets = {str(t.get("id")): t for t in output.data.get("targets") or [] if isinstance(t, dict)}
        named = 0
        for item in _items(output):
            gap, criterion = _gap(item), str(item.get("criterion") or "")
            if not criterion:
                if item.get("demonstrate") and _norm(str(item["demonstrate"])) != _norm(gap):
                    return Score.no(f"'{gap}' names no criterion, yet asks to demonstrate something "
                                    "else", str(item["demonstrate"])[:160])
                continue
            target = targets.get(criterion)
            if target is None:
                return Score.no(f"'{gap}' names '{criterion}', which is not a criterion in force", criterion)
            if item.get("criterion_name") != target.get("name") or item.get("demonstrate") != target.get(
                    "demonstrate"):
                return Score.no(f"'{gap}' names {criterion} with words that are not the criterion's",
                                str(item.get("criterion_name") or "")[:160])
            if not shares_words(gap, target):
                return Score.no(f"'{gap}' shares no word with {target.get('name')}, yet is matched to it",
                                gap)
            named += 1
        return Score.yes(f"{named} criteria named, each sharing words with its gap")

    return score


# -- by when, and a date to revisit -----------------------------------------------------------
def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@scorer("plan_due_by_revisit")
def due_by_revisit() -> ScoreFn:
    """The revisit date is the one agreed, and each item has a due date shown, after the day it
    was agreed and on or before the revisit date."""

    def score(sample: Sample, output: Output) -> Score:
        agreement = output.data.get("agreement")
        if not isinstance(agreement, dict):
            return Score.na("no plan was agreed")
        revisit, today = _day(agreement.get("revisit")), sample.input.today
        if revisit is None or revisit != sample.input.task.revisit:
            return Score.no(f"the revisit date {revisit} is not the one agreed "
                            f"({sample.input.task.revisit})", str(agreement.get("revisit")))
        items = _items(output)
        if not items:
            return Score.no("a plan was agreed with no dated item", output.text[:160])
        for item in items:
            due = _day(item.get("due"))
            if due is None or not today < due <= revisit:
                return Score.no(f"'{_gap(item)}' is due {item.get('due')}, not between {today} and the "
                                f"revisit on {revisit}", str(item.get("due")))
            block = _block(output.text, item)
            if block is None or f"due {due.isoformat()}" not in block:
                return Score.no(f"the output does not show when '{_gap(item)}' is due", _gap(item))
        return Score.yes(f"{len(items)} items, each due by the revisit on {revisit}")

    return score


@scorer("plan_revisit_in_calendar")
def revisit_in_calendar() -> ScoreFn:
    """The calendar file holds the revisit date with an alarm ahead of it and each item on its due
    date, and the output names the file."""

    def score(sample: Sample, output: Output) -> Score:
        agreement = output.data.get("agreement")
        if not isinstance(agreement, dict):
            return Score.na("no plan was agreed: nothing to put in a calendar")
        events = [e for e in output.data.get("calendar") or [] if isinstance(e, dict)]
        revisit = str(agreement.get("revisit"))
        on_day = [e for e in events if e.get("start") == revisit]
        if not on_day:
            return Score.no(f"the calendar file has no event on the revisit date {revisit}", revisit)
        if not any(str(t).startswith("-P") for e in on_day for t in e.get("alarms") or []):
            return Score.no("the revisit event has no alarm ahead of it", str(on_day[0].get("summary")))
        days = {e.get("start") for e in events}
        for item in _items(output):
            if item.get("due") not in days:
                return Score.no(f"'{_gap(item)}' is not in the calendar on {item.get('due')}", _gap(item))
        file = output.data.get("file")
        if not file or str(file) not in output.text:
            return Score.no("the output does not say where the calendar file is", output.text[-160:])
        return Score.yes(f"revisit on {revisit} in {file}, with an alarm")

    return score


# -- what each gap was read from --------------------------------------------------------------
@scorer("plan_says_source")
def says_source() -> ScoreFn:
    """Each item read from the meeting is shown with the manager's line it came from (every gap
    read is listed with it too); a typed gap claims no line."""

    def score(sample: Sample, output: Output) -> Score:
        for gap in output.data.get("read") or []:
            if f"{gap.get('text')}" not in output.text or f"\u201c{gap.get('said')}\u201d" not in output.text:
                return Score.no(f"the gap '{gap.get('text')}' is not shown with the line it was read from",
                                str(gap.get("text")))
        for item in _items(output):
            block = _block(output.text, item) or ""
            said = str(item.get("said") or "")
            if said and f"\u201c{said}\u201d" not in block:
                return Score.no(f"'{_gap(item)}' does not show the manager's line it was read from",
                                _gap(item))
            if not said and re.search(r"\bsaid:", block):
                return Score.no(f"the typed gap '{_gap(item)}' is shown with a line of the manager's",
                                block[:160])
        return Score.yes("every gap shows where it came from")

    return score


@scorer("plan_with_manager")
def with_manager() -> ScoreFn:
    """The plan is agreed with the manager named in the profile, and says so."""

    def score(sample: Sample, output: Output) -> Score:
        agreement = output.data.get("agreement")
        if not isinstance(agreement, dict):
            return Score.na("no plan was agreed")
        name = sample.input.profile.manager_name or "your manager"
        if agreement.get("with_name") != name or any(i.get("agreed_with") != name for i in _items(output)):
            return Score.no(f"the plan names {agreement.get('with_name')}, not {name}",
                            str(agreement.get("with_name")))
        if f"with {name}" not in output.text:
            return Score.no(f"the output does not say the plan was agreed with {name}", output.text[:160])
        return Score.yes(f"agreed with {name}")

    return score


@scorer("plan_no_invented_numbers")
def no_invented_numbers(allow: list[int] | None = None) -> ScoreFn:
    """Every figure is one the user gave: their profile and log, the meeting as pasted, the gaps
    they typed (dates, item numbers and small counts aside)."""

    def score(sample: Sample, output: Output) -> Score:
        task = sample.input.task
        facts = facts_for(sample, output, tuple(allow or ()))
        extra = guard.facts_from(sample.input.profile, [], task.meeting, *task.gaps)
        text = DATE_RE.sub(" ", output.text)
        bad = [v for v in guard.invented_numbers(text, facts) if v in guard.invented_numbers(text, extra)]
        if not bad:
            return Score.yes("every figure comes from the user's inputs")
        return Score.no("; ".join(v.detail for v in bad[:3]), bad[0].detail)

    return score
