"""Impact-log files: JSON, CSV and Markdown, read row by row with line numbers, and written back.

Export then import gives the same entries: the formats carry every field but the id
(ids belong to one data home).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.limits import MAX_FILE_BYTES, MAX_JSON_DEPTH, MAX_MARKDOWN_DEPTH
from coach.domain.markup import escape_field, markdown_depth, unescape_field
from coach.domain.text import count
from coach.domain.validation import plain

FIELDS = ["date", "title", "description", "metric", "kind", "next_level", "source"]
# What each column holds, for the import help and the template (the order of FIELDS).
COLUMNS = {
    "date": "when it happened, YYYY-MM-DD (required, not in the future)",
    "title": "what you did, in a few words (required)",
    "description": "details and why it mattered",
    "metric": "the measured result, e.g. cut p95 latency 40%",
    "kind": "one of " + ", ".join(k.value for k in Kind) + " (default result)",
    "next_level": "yes if it shows work at the target level, else no",
    "source": "a link or where the proof lives",
}
MAX_IMPORT_BYTES = MAX_FILE_BYTES["log"]
MAX_IMPORT_ROWS = 10_000
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


class LogFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    MD = "md"


class RowError(BaseModel):
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class ParsedLog(BaseModel):
    """What a file holds: good rows in order (with their lines), and each bad row's reason."""

    rows: list[EntryDraft]
    errors: list[RowError]
    lines: list[int] = Field(default_factory=list, description="The line each row starts on.")


def entry_key(entry: EntryDraft) -> tuple[str, str, str]:
    """What makes two entries the same win: date, title and metric (case aside)."""
    return entry.date.isoformat(), entry.title.casefold(), entry.metric.casefold()


def format_from_name(name: str) -> LogFormat:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    aliases = {"json": LogFormat.JSON, "csv": LogFormat.CSV, "md": LogFormat.MD,
               "markdown": LogFormat.MD}
    if suffix not in aliases:
        raise CoachError(f"cannot tell the format of '{name}' from its extension",
                         hint="Use a .json, .csv or .md file.")
    return aliases[suffix]


def decode(data: bytes, name: str) -> str:
    """Bytes to text, or a clear error for binary, oversized or non-UTF-8 files."""
    if len(data) > MAX_IMPORT_BYTES:
        raise CoachError(f"{name} is {len(data) // 1024 // 1024} MB; the limit is "
                         f"{MAX_IMPORT_BYTES // 1024 // 1024} MB", hint="Split the file.")
    if b"\x00" in data:
        raise CoachError(f"{name} looks binary (it contains NUL bytes)",
                         hint="Import a UTF-8 text file: .json, .csv or .md.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CoachError(f"{name} is not UTF-8 text (bad byte at line {line})",
                         hint="Save the file as UTF-8 and import it again.") from exc


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"next_level must be yes or no, not '{value}'")


def _draft(raw: dict[str, Any]) -> EntryDraft:
    unknown = sorted(set(raw) - set(FIELDS) - {"id"})
    if unknown:
        raise ValueError(f"unknown column {', '.join(unknown)}; the columns are "
                         f"{', '.join(FIELDS)}")
    data = {k: v for k, v in raw.items() if k in FIELDS and v is not None}
    if "next_level" in data:
        data["next_level"] = _bool(data["next_level"])
    if isinstance(data.get("date"), str):
        data["date"] = data["date"].strip()
    return EntryDraft.model_validate(data)


def _collect(items: list[tuple[int, Any]]) -> ParsedLog:
    if len(items) > MAX_IMPORT_ROWS:
        raise CoachError(f"the file has {len(items)} rows; the limit is {MAX_IMPORT_ROWS}",
                         hint="Split the file.")
    rows, errors, lines = [], [], []
    for line, raw in items:
        if isinstance(raw, str):  # the reader already knows what is wrong with this row
            errors.append(RowError(line=line, reason=raw))
            continue
        if not isinstance(raw, dict):
            errors.append(RowError(line=line, reason="expected an object with entry fields"))
            continue
        try:
            rows.append(_draft(raw))
            lines.append(line)
        except ValidationError as exc:
            errors.append(RowError(line=line, reason=plain(exc)))
        except ValueError as exc:
            errors.append(RowError(line=line, reason=str(exc)))
    return ParsedLog(rows=rows, errors=errors, lines=lines)


# -- JSON ---------------------------------------------------------------------------------
def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a flat list is 1). Counted
    without recursion, so any value Python could parse can be measured."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                break  # deep enough to refuse: no need to walk the rest
            stack.extend((child, depth + 1)
                         for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _too_deep() -> CoachError:
    return CoachError(f"the JSON nests lists or objects more than {MAX_JSON_DEPTH} levels deep",
                      code="too-deep", hint="An impact log is a list of flat entry objects; "
                      "export a log to see the expected shape.")


def parse_json(text: str) -> ParsedLog:
    """A JSON array of entry objects (or {"entries": [...]}); each item keeps its line number."""
    decoder = json.JSONDecoder()
    stripped = text.strip()
    if not stripped:
        raise CoachError("the JSON file is empty", hint="Export a log to see the expected shape.")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CoachError(f"the JSON is malformed at line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}") from exc
    except RecursionError:  # deeper than Python's own parser goes: far past our limit
        raise _too_deep() from None
    if nesting_depth(whole) > MAX_JSON_DEPTH:
        raise _too_deep()
    if isinstance(whole, dict) and isinstance(whole.get("entries"), list):
        start = text.index("[", text.index('"entries"'))
    elif isinstance(whole, list):
        start = text.index("[")
    else:
        raise CoachError("the JSON must be a list of entries or an object with an 'entries' list")
    items: list[tuple[int, Any]] = []
    idx = start + 1
    while True:
        while idx < len(text) and text[idx] in " \t\r\n,":
            idx += 1
        if idx >= len(text) or text[idx] == "]":
            break
        obj, end = decoder.raw_decode(text, idx)
        items.append((text.count("\n", 0, idx) + 1, obj))
        idx = end
    return _collect(items)


def render_json(entries: list[EntryDraft]) -> str:
    rows = [_export_row(e) for e in entries]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


# -- CSV ----------------------------------------------------------------------------------
def parse_csv(text: str) -> ParsedLog:
    # newline=None reads a bare CR (old Mac and some spreadsheet exports) as a line break;
    # the csv module would stop at it otherwise.
    reader = csv.reader(io.StringIO(text, newline=None))
    try:
        header = next(reader)
    except StopIteration:
        raise CoachError("the CSV file is empty", hint=f"The first row names the columns: "
                         f"{','.join(FIELDS)}.") from None
    header = [h.strip().lower().replace("-", "_").replace(" ", "_") for h in header]
    missing = [f for f in ("date", "title") if f not in header]
    if missing:
        raise CoachError(f"the CSV header lacks {', '.join(missing)}",
                         hint=f"The first row names the columns: {','.join(FIELDS)}.")
    items: list[tuple[int, Any]] = []
    line = reader.line_num + 1
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                line = reader.line_num + 1
                continue
            if len(values) != len(header):
                items.append((line, f"has {len(values)} columns, the header has {len(header)}"))
            else:
                items.append((line, {k: _restore(v) for k, v in zip(header, values, strict=True)}))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CoachError(f"the CSV is malformed near line {reader.line_num}: {_csv_reason(exc)}",
                         hint="Open it in a spreadsheet and save it again as CSV.") from None
    return _collect(items)


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's complaint in the user's words (it speaks of Python's own options)."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell holds more than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in text or "EOF" in text:
        return "a quoted cell is never closed"
    if "NUL" in text or "null byte" in text.lower():
        return "a cell holds a NUL character"
    return "a cell is quoted in a way that cannot be read"


# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: object) -> object:
    """Prefix a quote so a spreadsheet shows the text instead of running it."""
    if isinstance(value, str) and (value.startswith(_FORMULA_START) or value.startswith("'")):
        return "'" + value
    return value


def _restore(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def render_csv(entries: list[EntryDraft]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({k: _defuse(v) for k, v in _export_row(entry).items()})
    return out.getvalue()


# -- Markdown -----------------------------------------------------------------------------
_MD_TITLE = "# Impact log"
_SEP = " — "


def render_markdown(entries: list[EntryDraft]) -> str:
    """Readable and re-importable: one `##` section per entry, fields as a list, then prose.

    Every field is escaped (`escape_field`): rendered, a `<script>` or `![x](url)` typed into
    an entry shows as text instead of running or fetching, and it reads back exactly.
    """
    parts = [_MD_TITLE, ""]
    for e in entries:
        parts.append(f"## {e.date.isoformat()}{_SEP}{escape_field(e.title)}")
        parts.append(f"- kind: {e.kind}")
        parts.append(f"- metric: {escape_field(e.metric)}")
        parts.append(f"- next-level: {'yes' if e.next_level else 'no'}")
        parts.append(f"- source: {escape_field(e.source)}")
        parts.append("")
        if e.description:
            for line in escape_field(e.description).split("\n"):
                # A description line that looks like a heading would start a new entry.
                parts.append("\\" + line if line.startswith("#") else line)
            parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


def parse_markdown(text: str) -> ParsedLog:
    if (depth := markdown_depth(text)) > MAX_MARKDOWN_DEPTH:
        raise CoachError(f"the Markdown nests quotes or lists {depth} levels deep; the limit "
                         f"is {MAX_MARKDOWN_DEPTH}", code="too-deep",
                         hint="Export a log to see the expected shape.")
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            blocks.append((number, [line]))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip() and line.strip() != _MD_TITLE:
            return _collect([(number, "text before the first '## DATE — TITLE' heading")])
    items: list[tuple[int, Any]] = []
    for number, block in blocks:
        heading = block[0][3:]
        date, sep, title = heading.partition(_SEP)
        if not sep:
            date, sep, title = heading.partition(" - ")
        if not sep:
            items.append((number, f"heading must be '## YYYY-MM-DD{_SEP}Title', got '{heading}'"))
            continue
        raw: dict[str, Any] = {"date": date.strip(), "title": unescape_field(title)}
        body = block[1:]
        i = 0
        while i < len(body) and body[i].startswith("- ") and ":" in body[i]:
            key, _, value = body[i][2:].partition(":")
            raw[key.strip().replace("-", "_")] = unescape_field(value.strip())
            i += 1
        desc = [unescape_field(ln[1:] if ln.startswith("\\#") else ln) for ln in body[i:]]
        raw["description"] = "\n".join(desc).strip("\n")
        items.append((number, raw))
    return _collect(items)


def _export_row(entry: EntryDraft) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat(),
        "title": entry.title,
        "description": entry.description,
        "metric": entry.metric,
        "kind": str(entry.kind),
        "next_level": entry.next_level,
        "source": entry.source,
    }


def template_csv() -> str:
    """A CSV with the header and one example row, to fill in a spreadsheet and import."""
    example = EntryDraft(date=dt.date(2025, 3, 14), title="Led the payments migration",
                         metric="cut p95 latency 40%", kind=Kind.LEADERSHIP, next_level=True,
                         description="Planned it with two teams and moved 30 services.",
                         source="https://wiki.example.com/payments-migration")
    return render_csv([example])


def bad_rows_message(errors: list[RowError], shown: int = 50) -> str:
    """'2 bad rows; nothing was imported:' and the rows, one a line."""
    listing = "\n".join(f"  {e}" for e in errors[:shown])
    more = f"\n  ... and {len(errors) - shown} more" if len(errors) > shown else ""
    return f"{count(len(errors), 'bad row')}; nothing was imported:\n{listing}{more}"


PARSERS = {LogFormat.JSON: parse_json, LogFormat.CSV: parse_csv, LogFormat.MD: parse_markdown}
RENDERERS = {LogFormat.JSON: render_json, LogFormat.CSV: render_csv,
             LogFormat.MD: render_markdown}
