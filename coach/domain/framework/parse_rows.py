"""Frameworks as rows (CSV, or a YAML/JSON list) and as a nested YAML/JSON mapping.

Rows: one criterion per row, with the columns `level`, `area` (optional: the general area
when empty or missing), `criterion` and `example` (optional). Rows that repeat a criterion
add their example to it. Levels come in the order they first appear; when every level is a
number, they are ordered by it and named "Level N".

Nested (YAML or JSON)::

    name: Engineering ladder
    levels:
      - name: Senior
        note: Usually five years of experience.      # optional
        criteria: ["...", ...]                       # optional: the general area
        areas:
          - name: Delivery
            criteria:
              - Ships large changes safely           # a text, or
              - text: Leads incident reviews         # a text with examples
                examples: ["Ran the March outage review"]

A mapping with `topics` is the front-matter shape (`parse_topics`); one with `rows` holds rows;
one with `levels`, `areas` and `criteria` lists is a framework as it is stored and shown
(`coach framework show --json`), read back as it is.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pydantic import ValidationError

from coach.domain.errors import CoachError
from coach.domain.framework.builder import FrameworkBuilder
from coach.domain.framework.model import Framework
from coach.domain.framework.parse_topics import from_topics, is_topics

COLUMNS = ("level", "area", "criterion", "example")
_ALIASES = {"criteria": "criterion", "text": "criterion", "expectation": "criterion",
            "examples": "example", "topic": "area", "category": "area", "competency": "area"}
ROWS_HINT = "The columns are level, area, criterion and (optionally) example; one criterion a row."
NESTED_HINT = ("Give a list of {level, area, criterion} rows, or a mapping with a 'levels' list "
               "whose items have a name and criteria (see the import help).")


def _column(name: Any) -> str:
    key = str(name).strip().lower().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(key, key)


def rows_from_csv(text: str) -> list[dict[str, str]]:
    """The CSV's rows as mappings of the known columns; `CoachError` for a malformed file."""
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        header = [_column(h) for h in next(reader)]
    except StopIteration:
        raise CoachError("the CSV file is empty", code="no-levels", field="file",
                         hint=ROWS_HINT) from None
    except csv.Error:
        header = []
    missing = [c for c in ("level", "criterion") if c not in header]
    if missing:
        raise CoachError(f"the CSV header lacks {' and '.join(missing)}", code="bad-framework",
                         field="file", hint=ROWS_HINT)
    rows: list[dict[str, str]] = []
    try:
        for values in reader:
            if any(v.strip() for v in values):
                rows.append({h: v for h, v in zip(header, values, strict=False) if h in COLUMNS})
    except csv.Error:
        raise CoachError(f"the CSV is malformed near line {reader.line_num}", code="bad-framework",
                         field="file", hint="Open it in a spreadsheet and save it again as CSV.") from None
    return rows


def from_rows(rows: list[Any], *, name: str, source: str = "") -> Framework:
    """The framework the rows describe (see the module's docstring)."""
    cleaned: list[tuple[str, str, str, list[str]]] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(f"row {n} is not a mapping of columns")
            continue
        row = {_column(k): v for k, v in row.items()}
        level = " ".join(str(row.get("level") or "").split())
        text = " ".join(str(row.get("criterion") or "").split())
        if not level or not text:
            problems.append(f"row {n} has no {'level' if not level else 'criterion'}")
            continue
        example = row.get("example")
        examples = ([str(e) for e in example if e] if isinstance(example, list)
                    else [str(example)] if example else [])
        cleaned.append((level, str(row.get("area") or "").strip(), text, examples))
    if problems:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise CoachError(f"the rows are incomplete: {shown}", code="bad-framework", field="file",
                         hint=ROWS_HINT)
    builder = FrameworkBuilder(name, source)
    numbered = bool(cleaned) and all(level.isdigit() for level, *_ in cleaned)
    if numbered:
        for number in sorted({int(level) for level, *_ in cleaned}):
            builder.add_level(f"Level {number}")
    for level, area, text, examples in cleaned:
        index = builder.level_index(f"Level {int(level)}" if numbered else level)
        builder.add(index, area or None, text, examples)
    return builder.build()


def _criteria(value: Any, where: str) -> list[tuple[str, list[str]]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CoachError(f"{where}: 'criteria' must be a list", code="bad-framework",
                         field="file", hint=NESTED_HINT)
    out: list[tuple[str, list[str]]] = []
    for item in value:
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            out.append((str(item), []))
        elif isinstance(item, dict) and isinstance(item.get("text") or item.get("criterion"), str):
            examples = item.get("examples") or []
            examples = [examples] if isinstance(examples, str) else examples
            if not isinstance(examples, list):
                raise CoachError(f"{where}: 'examples' must be a list", code="bad-framework",
                                 field="file", hint=NESTED_HINT)
            out.append((str(item.get("text") or item.get("criterion")), [str(e) for e in examples]))
        else:
            raise CoachError(f"{where}: each criterion is a text or a mapping with 'text'",
                             code="bad-framework", field="file", hint=NESTED_HINT)
    return out


def from_nested(data: dict[str, Any], *, name: str | None, fallback: str,
                source: str = "") -> Framework:
    """The framework of a mapping with a `levels` list (see the module's docstring)."""
    levels = data.get("levels")
    if not isinstance(levels, list):
        raise CoachError("'levels' must be a list of levels", code="bad-framework", field="file",
                         hint=NESTED_HINT)
    title = data.get("name") or data.get("title")
    builder = FrameworkBuilder(name or (str(title) if title else fallback), source)
    for n, level in enumerate(levels, start=1):
        if isinstance(level, str):
            builder.add_level(level)
            continue
        if not isinstance(level, dict) or not str(level.get("name") or "").strip():
            raise CoachError(f"level {n} has no name", code="bad-framework", field="file",
                             hint=NESTED_HINT)
        index = builder.add_level(str(level["name"]), str(level.get("note") or ""))
        for text, examples in _criteria(level.get("criteria"), f"level {n}"):
            builder.add(index, None, text, examples)
        areas = level.get("areas") or []
        if not isinstance(areas, list):
            raise CoachError(f"level {n}: 'areas' must be a list", code="bad-framework",
                             field="file", hint=NESTED_HINT)
        for area in areas:
            if not isinstance(area, dict) or not str(area.get("name") or "").strip():
                raise CoachError(f"level {n}: every area needs a name", code="bad-framework",
                                 field="file", hint=NESTED_HINT)
            for text, examples in _criteria(area.get("criteria"), f"level {n}, area {area['name']}"):
                builder.add(index, str(area["name"]), text, examples)
    return builder.build()


_EXPORT_KEYS = ("id", "name", "source", "levels", "areas", "criteria")


def _is_export(data: Any) -> bool:
    return (isinstance(data, dict) and all(isinstance(data.get(k), list)
                                           for k in ("levels", "areas", "criteria"))
            and all(isinstance(c, dict) and "level" in c for c in data["criteria"]))


def from_data(data: Any, *, name: str | None, fallback: str, source: str = "") -> Framework:
    """A framework from parsed YAML or JSON: rows, the nested shape or the topics shape."""
    if isinstance(data, list):
        return from_rows(data, name=name or fallback, source=source)
    if is_topics(data):
        return from_topics(data, name=name, fallback=fallback, source=source)
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        title = data.get("name") or data.get("title")
        return from_rows(data["rows"], name=name or (str(title) if title else fallback), source=source)
    if _is_export(data):  # a framework as `coach framework show --json` prints it
        try:
            framework = Framework.model_validate({k: v for k, v in data.items() if k in _EXPORT_KEYS})
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0]["loc"])
            raise CoachError(f"the framework's {where} is not valid: {exc.errors()[0]['msg']}",
                             code="bad-framework", field="file", hint=NESTED_HINT) from None
        return framework.model_copy(update={"name": name or framework.name, "source": source})
    if isinstance(data, dict) and "levels" in data:
        return from_nested(data, name=name, fallback=fallback, source=source)
    raise CoachError("the file holds neither framework rows nor a 'levels' or 'topics' mapping",
                     code="bad-framework", field="file", hint=NESTED_HINT)
