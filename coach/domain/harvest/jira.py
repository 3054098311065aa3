"""Resolved tickets, from Jira's "Export CSV (all fields)" as it really comes.

The export starts with a byte-order mark, ends lines with CRLF, quotes descriptions that run
over many lines, repeats a header once per value (`Labels`, `Labels`, `Labels`; the same for
components, sprints, watchers) and writes dates like `12/Mar/24 9:41 AM`. A ticket becomes a
candidate when it is assigned to the user, has a Resolved date, and was not closed as
won't do, duplicate or the like (those are not work done).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, SourceKind
from coach.domain.harvest.common import check_text, cut
from coach.domain.harvest.figures import find_metric
from coach.domain.harvest.signals import suggest_kind, suggests_next_level

REQUIRED = ("Issue key", "Summary", "Assignee", "Resolved")
EXPORT_HINT = "Export the issues from Jira with Export > CSV (all fields)."
NOT_DONE = frozenset({"unresolved", "won't do", "won't fix", "wont fix", "duplicate",
                      "cannot reproduce", "can't reproduce", "incomplete", "declined",
                      "obsolete", "not a bug", "rejected", "abandoned"})
MAX_DESCRIPTION = 4_000
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}
# 12/Mar/24 9:41 AM (the default), 12/Mar/2024 21:41, with or without the time.
_JIRA_DATE = re.compile(r"^(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})"
                        r"(?::\d{2})?\s*([AaPp][Mm])?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_STORY_POINTS = ("Custom field (Story Points)", "Story Points", "Custom field (Story point "
                 "estimate)", "Story point estimate")


def parse_jira_date(value: str) -> dt.date:
    """The day of a Jira date ('12/Mar/24 9:41 AM', '2024-03-12 09:41'); ValueError if none."""
    value = value.strip()
    if found := _JIRA_DATE.match(value):
        day, month, year = found.group(1), found.group(2).lower(), found.group(3)
        if month not in _MONTHS:
            raise ValueError(f"unknown month {found.group(2)!r}")
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        return dt.date(full_year, _MONTHS[month], int(day))
    if found := _ISO_DATE.match(value):
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    raise ValueError(f"not a date: {value[:40]!r}")


class _Rows:
    """The header, with every column a repeated name has, and the rows with their lines."""

    def __init__(self, text: str):
        first = text.split("\n", 1)[0]
        # Jira writes commas; a spreadsheet set to another locale saves semicolons
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            self.header = [h.strip() for h in next(reader, [])]
            self.rows: list[tuple[int, list[str]]] = []
            start = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    self.rows.append((start, row))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise CoachError(f"the file is not a readable CSV export (line {reader.line_num}: "
                             f"{exc})", code="wrong-shape", field="file",
                             hint=EXPORT_HINT) from None
        self.columns: dict[str, list[int]] = {}
        for index, name in enumerate(self.header):
            self.columns.setdefault(name.casefold(), []).append(index)

    def has(self, name: str) -> bool:
        return name.casefold() in self.columns

    def values(self, row: list[str], name: str) -> list[str]:
        cells = (row[i] for i in self.columns.get(name.casefold(), []) if i < len(row))
        return [c.strip() for c in cells if c.strip()]

    def value(self, row: list[str], name: str) -> str:
        found = self.values(row, name)
        return found[0] if found else ""


def _story_points(rows: _Rows, row: list[str]) -> int | None:
    for name in _STORY_POINTS:
        value = rows.value(row, name)
        if not value:
            continue
        try:
            return int(float(value))
        except ValueError:
            return None
    return None


def _candidate(rows: _Rows, row: list[str], resolved: dt.date, base_url: str) -> Candidate:
    key = rows.value(row, "Issue key")
    summary = " ".join(rows.value(row, "Summary").split())[:200] or key
    description = rows.value(row, "Description").replace("\r\n", "\n").replace("\r", "\n")
    labels = rows.values(row, "Labels")
    components = rows.values(row, "Component/s")
    issue_type = rows.value(row, "Issue Type")
    resolution = rows.value(row, "Resolution")
    facts = [f"{key} {summary}", f"type: {issue_type}" if issue_type else "",
             f"resolution: {resolution}" if resolution else "",
             f"labels: {', '.join(labels)}" if labels else "",
             f"components: {', '.join(components)}" if components else "", description]
    evidence = "\n".join(f for f in facts if f)
    metric = find_metric(summary, description)
    default = Kind.LEADERSHIP if issue_type.casefold() == "epic" else Kind.RESULT
    counts = {}
    if (points := _story_points(rows, row)) is not None:
        counts["story_points"] = points
    link = f"{base_url.rstrip('/')}/browse/{key}" if base_url else key
    return Candidate(source=SourceKind.JIRA, link=link[:500], key=f"jira:{key}", date=resolved,
                     title=summary, description=cut(description, MAX_DESCRIPTION), metric=metric,
                     kind=suggest_kind(summary, issue_type, *labels, description, default=default),
                     next_level=suggests_next_level(summary, *labels, *components),
                     evidence=evidence, counts=counts, nudge="" if metric else ADD_THE_RESULT)


def parse_jira(text: str, *, assignee: str, since: dt.date | None = None,
               base_url: str = "") -> list[Candidate]:
    """The user's resolved tickets as candidates, newest first.

    Args:
        text: the CSV as exported (a byte-order mark and CRLF line ends are fine).
        assignee: the user's name as Jira shows it (or the Assignee Id), case aside.
        since: only tickets resolved on or after this day.
        base_url: the Jira site (https://example.atlassian.net), for links; '' keeps the key.

    Raises:
        CoachError: not a CSV export, a required column missing, no ticket assigned to the
            user, or a Resolved date that cannot be read.
    """
    rows = _Rows(check_text(text, "a Jira export"))
    missing = [name for name in REQUIRED if not rows.has(name)]
    if missing:
        raise CoachError(f"the Jira export has no {', '.join(missing)} column", code="missing-columns",
                         field="file", hint=EXPORT_HINT)
    if not rows.rows:
        raise CoachError("the Jira export holds no tickets", code="empty", field="file",
                         hint=EXPORT_HINT)
    who = " ".join(assignee.split()).casefold()
    if not who:
        raise CoachError("whose tickets to read is not set", code="no-author", field="assignee",
                         hint="Give your name as Jira shows it.")
    found: list[Candidate] = []
    yours = 0
    for line, row in rows.rows:
        names = {" ".join(n.split()).casefold() for n in
                 rows.values(row, "Assignee") + rows.values(row, "Assignee Id")}
        if who not in names:
            continue
        yours += 1
        resolved_text = rows.value(row, "Resolved")
        if not resolved_text or rows.value(row, "Resolution").casefold() in NOT_DONE:
            continue
        try:
            resolved = parse_jira_date(resolved_text)
        except ValueError as exc:
            raise CoachError(f"line {line}: the Resolved date cannot be read ({exc})",
                             code="bad-date", field="file", hint=EXPORT_HINT) from None
        if since is None or resolved >= since:
            found.append(_candidate(rows, row, min(resolved, dt.date.today()), base_url))
    if not yours:
        seen = sorted({n for _, r in rows.rows for n in rows.values(r, "Assignee")})[:5]
        raise CoachError(f"none of the {len(rows.rows)} tickets is assigned to {assignee.strip()} "
                         f"(assignees found: {', '.join(seen) or 'none'})", code="not-yours",
                         field="assignee", hint="Give your name as Jira shows it.")
    return sorted(found, key=lambda c: (c.date, c.key), reverse=True)
