"""Impact-log import and export: every bad row reported by line, exact round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.log_formats import PARSERS, RENDERERS, LogFormat, decode, format_from_name

ENTRIES = [
    EntryDraft(date=dt.date(2026, 1, 15), title="Led the payments migration",
               description="Planned the cut-over.\n# Not a heading\n\\backslash line\n\nSecond para.",
               metric="cut p95 latency 40%", kind=Kind.LEADERSHIP, next_level=True,
               source="https://example.invalid/doc"),
    EntryDraft(date=dt.date(2026, 2, 3), title='Wrote "the" RFC, with commas', metric="",
               kind=Kind.STRATEGY),
    EntryDraft(date=dt.date(2026, 3, 9), title="Ünïcode — dash", metric="3x faster",
               kind=Kind.RESULT, description="<script>alert(1)</script>"),
    EntryDraft(date=dt.date(2026, 4, 1), title='=HYPERLINK("http://evil.invalid","x")',
               metric="-20% churn", description="'quoted already", source="@SUM(A1)"),
]


def test_csv_export_defuses_spreadsheet_formulas():
    text = RENDERERS[LogFormat.CSV](ENTRIES)
    assert "'=HYPERLINK" in text and "'-20% churn" in text and "'@SUM" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


@pytest.mark.parametrize("fmt", list(LogFormat))
def test_round_trip_exact(fmt):
    text = RENDERERS[fmt](ENTRIES)
    parsed = PARSERS[fmt](text)
    assert parsed.errors == []
    assert parsed.rows == ENTRIES
    assert RENDERERS[fmt](parsed.rows) == text


@pytest.mark.parametrize(
    ("fmt", "text", "line", "reason"),
    [
        (LogFormat.CSV, "date,title\n2026-01-01,ok\n2026-13-01,bad month\n", 3, "not a date"),
        (LogFormat.CSV, "date,title,kind\n2026-01-01,ok,bogus\n", 2, "'bogus' is not one of the choices"),
        (LogFormat.CSV, "date,title\n2026-01-01,\n", 2, "title is empty"),
        (LogFormat.CSV, "date,title\n2026-01-01,a,extra\n", 2, "columns"),
        (LogFormat.CSV, "date,title,next_level\n2026-01-01,a,maybe\n", 2, "yes or no"),
        (LogFormat.CSV, "date,title\n1800-01-01,a\n", 2, "before 1970"),
        (LogFormat.JSON, '[\n {"date": "2026-01-01", "title": "a"},\n {"date": "nope", "title": "b"}\n]',
         3, "date"),
        (LogFormat.JSON, '[\n {"date": "2026-01-01", "title": "a", "colour": "red"}\n]', 2,
         "unknown column"),
        (LogFormat.JSON, '[\n 42\n]', 2, "expected an object"),
        (LogFormat.MD, "# Impact log\n\n## not a date — title\n- kind: result\n", 3, "date"),
        (LogFormat.MD, "## 2026-01-01 no separator\n", 1, "heading must be"),
    ],
)
def test_bad_rows_reported_by_line(fmt, text, line, reason):
    parsed = PARSERS[fmt](text)
    assert [e.line for e in parsed.errors] == [line]
    assert reason in parsed.errors[0].reason


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        (LogFormat.JSON, "", "empty"),
        (LogFormat.JSON, "{not json", "malformed at line 1"),
        (LogFormat.JSON, '{"a": 1}', "must be a list"),
        (LogFormat.CSV, "", "empty"),
        (LogFormat.CSV, "when,what\n", "header lacks date, title"),
    ],
)
def test_unusable_files_raise_clear_errors(fmt, text, message):
    with pytest.raises(CoachError, match=message):
        PARSERS[fmt](text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02binary", "looks binary"),
        ("date,title\n2026-01-01,caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"x" * (10 * 1024 * 1024 + 1), "limit is 10 MB"),
    ],
)
def test_decode_rejects_bad_bytes(data, message):
    with pytest.raises(CoachError, match=message):
        decode(data, "log.csv")


def test_decode_strips_bom():
    assert decode("\ufeffdate,title\n".encode(), "x.csv") == "date,title\n"


@pytest.mark.parametrize(("name", "fmt"), [("a.json", "json"), ("B.CSV", "csv"), ("c.md", "md"),
                                           ("d.markdown", "md")])
def test_format_from_name(name, fmt):
    assert format_from_name(name) == fmt


def test_format_from_unknown_name():
    with pytest.raises(CoachError, match="cannot tell the format"):
        format_from_name("log.xlsx")
