"""Merged pull requests, from the JSON `gh pr list --state merged --json ...` prints.

The file is a list of objects with `number`, `title`, `body`, `mergedAt`, `url`,
`additions`, `deletions`, `labels` (objects with a `name`) and `author` (an object with a
`login`). Only the user's own merged pull requests become candidates; a file of another
shape (`gh issue list`, `gh pr view`, any other JSON) is refused, naming what is missing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from coach.domain.errors import CoachError
from coach.domain.harvest.candidate import ADD_THE_RESULT, Candidate, SourceKind
from coach.domain.harvest.common import check_text, cut
from coach.domain.harvest.figures import find_metric
from coach.domain.harvest.signals import suggest_kind, suggests_next_level

REQUIRED = ("number", "title", "url", "mergedAt", "author")
EXPORT_HINT = ("Export with: gh pr list --state merged --json "
               "number,title,body,mergedAt,url,additions,deletions,labels,author")
MAX_DESCRIPTION = 4_000


def _wrong_shape(why: str) -> CoachError:
    return CoachError(f"this is not a list of merged pull requests from GitHub: {why}",
                      code="wrong-shape", field="file", hint=EXPORT_HINT)


def _load(text: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(check_text(text, "a pull-request list"))
    except json.JSONDecodeError as exc:
        raise _wrong_shape(f"it is not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise _wrong_shape("it is nested too deep") from None
    if not isinstance(data, list):
        raise _wrong_shape(f"it holds one {type(data).__name__}, not a list")
    if not data:
        raise CoachError("the file lists no pull requests", code="empty", field="file",
                         hint=EXPORT_HINT)
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise _wrong_shape(f"item {position} is not an object")
        missing = [k for k in REQUIRED if k not in item]
        if missing:
            raise _wrong_shape(f"item {position} has no {', '.join(missing)}")
    return data


def _login(item: dict[str, Any]) -> str:
    author = item.get("author")
    return str(author.get("login") or "") if isinstance(author, dict) else ""


def _merged(item: dict[str, Any], position: int) -> dt.date | None:
    value = item.get("mergedAt")
    if not value:
        return None  # open or closed without merging
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        raise _wrong_shape(f"item {position} has a mergedAt that is not a date: "
                           f"{str(value)[:40]!r}") from None


def _labels(item: dict[str, Any]) -> list[str]:
    labels = item.get("labels") or []
    if not isinstance(labels, list):
        return []
    return [str(label.get("name", "")) for label in labels if isinstance(label, dict)]


def _count(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def candidate_from_pr(item: dict[str, Any], merged: dt.date) -> Candidate:
    title = " ".join(str(item["title"]).split())[:200] or f"Pull request {item['number']}"
    body = str(item.get("body") or "").replace("\r\n", "\n").strip()
    labels = [name for name in _labels(item) if name]
    url = str(item["url"])
    label_line = f"labels: {', '.join(labels)}" if labels else ""
    evidence = "\n".join(p for p in (f"#{item['number']} {title}", url, label_line, body) if p)
    metric = find_metric(title, body)
    counts = {k: v for k in ("additions", "deletions") if (v := _count(item, k)) is not None}
    return Candidate(source=SourceKind.GITHUB, link=url[:500], key=f"github:{url}", date=merged,
                     title=title, description=cut(body, MAX_DESCRIPTION), metric=metric,
                     kind=suggest_kind(title, *labels, body),
                     next_level=suggests_next_level(title, *labels, body),
                     evidence=evidence, counts=counts, nudge="" if metric else ADD_THE_RESULT)


def parse_github(text: str, *, login: str, since: dt.date | None = None) -> list[Candidate]:
    """The user's merged pull requests as candidates, newest first.

    Args:
        text: the JSON the export printed.
        login: the user's GitHub login (case aside).
        since: only pull requests merged on or after this day.

    Raises:
        CoachError: not JSON, another shape, no pull request, or none by `login`.
    """
    items = _load(text)
    who = login.strip().lstrip("@").casefold()
    if not who:
        raise CoachError("whose pull requests to read is not set", code="no-author",
                         field="login", hint="Give your GitHub login.")
    mine: list[Candidate] = []
    yours = 0
    for position, item in enumerate(items, start=1):
        if _login(item).casefold() != who:
            continue
        yours += 1
        merged = _merged(item, position)
        if merged is None or (since is not None and merged < since):
            continue
        # mergedAt is UTC: ahead of the local day for a few hours, never later than today
        mine.append(candidate_from_pr(item, min(merged, dt.date.today())))
    if not yours:
        logins = sorted({_login(i) for i in items if _login(i)})[:5]
        raise CoachError(f"none of the {len(items)} pull requests is by {login.strip()} "
                         f"(authors found: {', '.join(logins) or 'none'})", code="not-yours",
                         field="login", hint="Give your GitHub login.")
    return sorted(mine, key=lambda c: (c.date, c.key), reverse=True)
