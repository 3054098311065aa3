"""The hostile-input table: broken or malicious input for every face of the app.

Each case names the face (cli, api, ui), what is sent, and a piece of the message the
user must see. The runner checks: a non-zero exit or an error result, that message, no
traceback, and the database byte-for-byte unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coach.store.migrations import TABLES

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    id: str
    face: str
    argv: tuple[str, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()  # written into the case folder first
    expect: str = ""
    call: Callable | None = None  # for api/ui cases: fn(ctx, folder) that must raise/return error


def snapshot(home: Path) -> str:
    """All rows of all tables, as text: equal snapshots mean the database is unchanged."""
    from coach.store import Store, open_database

    store = Store(open_database(home / "coach.db"))
    try:
        return json.dumps({t: store.db.query(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES},
                          default=str, sort_keys=True)
    finally:
        store.db.close()


def _cli(id_, argv, expect, files=()):
    return Case(id=id_, face="cli", argv=tuple(argv), expect=expect, files=tuple(files))


PDF_BROKEN = b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF garbage"
CLI_CASES = [
    _cli("empty-title", ["log", "add", ""], "title is empty"),
    _cli("blank-title", ["log", "add", "  \t "], "title is empty"),
    _cli("control-chars-title", ["log", "add", "\x00\x01\x02"], "title is empty"),
    _cli("huge-description", ["log", "add", "x", "--description", "a" * (5 * MB)], "too long"),
    _cli("huge-title", ["log", "add", "t" * 10_000], "too long"),
    _cli("huge-metric", ["log", "add", "x", "--metric", "9" * 5000], "too long"),
    _cli("impossible-date", ["log", "add", "x", "--date", "2026-02-30"], "not a date"),
    _cli("word-date", ["log", "add", "x", "--date", "yesterday"], "not a date"),
    _cli("ancient-date", ["log", "add", "x", "--date", "0001-01-01"], "outside"),
    _cli("far-future-date", ["log", "add", "x", "--date", "9999-12-31"], "outside"),
    _cli("unknown-kind", ["log", "add", "x", "--kind", "heroics"], "invalid choice"),
    _cli("html-kind", ["log", "add", "x", "--kind", "<script>"], "invalid choice"),
    _cli("edit-zero", ["log", "edit", "0", "--metric", "1"], "ids start at 1"),
    _cli("edit-negative", ["log", "edit", "-5", "--metric", "1"], "error"),
    _cli("edit-overflow", ["log", "edit", "9" * 30, "--metric", "1"], "ids start at 1"),
    _cli("edit-missing", ["log", "edit", "4242", "--metric", "1"], "no impact-log entry"),
    _cli("rm-word", ["log", "rm", "abc"], "not an entry id"),
    _cli("rm-missing", ["log", "rm", "77"], "no impact-log entry"),
    _cli("import-missing", ["log", "import", "{dir}/nope.csv"], "no file at"),
    _cli("import-folder", ["log", "import", "{dir}"], "no file at"),
    _cli("import-binary", ["log", "import", "{dir}/log.csv"], "looks binary",
         [("log.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")]),
    _cli("import-latin1", ["log", "import", "{dir}/log.csv"], "not UTF-8",
         [("log.csv", "date,title\n2026-01-01,caf\xe9\n".encode("latin-1"))]),
    _cli("import-utf16", ["log", "import", "{dir}/log.csv"], "looks binary",
         [("log.csv", "date,title\n".encode("utf-16"))]),
    _cli("import-empty-json", ["log", "import", "{dir}/log.json"], "empty", [("log.json", b"  ")]),
    _cli("import-json-object", ["log", "import", "{dir}/log.json"], "must be a list",
         [("log.json", b'{"date": "2026-01-01"}')]),
    _cli("import-json-truncated", ["log", "import", "{dir}/log.json"], "malformed",
         [("log.json", b'[{"date": "2026-01-01", "title": "a"')]),
    _cli("import-json-too-many", ["log", "import", "{dir}/log.json"], "limit is 10000",
         [("log.json", json.dumps([{"date": "2026-01-01", "title": "t"}] * 10_001).encode())]),
    _cli("import-csv-header-only", ["log", "import", "{dir}/log.csv"], "holds no entries",
         [("log.csv", b"date,title\n")]),
    _cli("import-csv-no-header", ["log", "import", "{dir}/log.csv"], "header lacks",
         [("log.csv", b"2026-01-01,Did a thing\n")]),
    _cli("import-csv-bad-kind", ["log", "import", "{dir}/log.csv"], "line 2: kind",
         [("log.csv", b"date,title,kind\n2026-01-01,a,heroics\n")]),
    _cli("import-csv-absurd-number-date", ["log", "import", "{dir}/log.csv"], "line 2: date",
         [("log.csv", b"date,title\n99999999,a\n")]),
    _cli("import-md-garbage", ["log", "import", "{dir}/log.md"], "before the first",
         [("log.md", b"just some notes\nnothing structured\n")]),
    _cli("import-xlsx", ["log", "import", "{dir}/log.xlsx"], "cannot tell the format",
         [("log.xlsx", b"PK\x03\x04")]),
    _cli("import-traversal-name", ["log", "import", "{dir}/../../../etc/shadow.csv"], "no file at"),
    _cli("import-oversized", ["log", "import", "{dir}/big.csv"], "limit is 10 MB",
         [("big.csv", b"date,title\n" + b"2026-01-01,x\n" * (11 * MB // 13))]),
    _cli("export-missing-folder", ["log", "export", "--out", "{dir}/no/such/dir/log.md"],
         "cannot write"),
    _cli("export-to-folder", ["log", "export", "--out", "{dir}"], "cannot write"),
    _cli("export-bad-format", ["log", "export", "--format", "pdf"], "invalid choice"),
    _cli("months-absurd", ["profile", "set", "--months-in-role", "1000000000"], "not between"),
    _cli("months-negative", ["profile", "set", "--months-in-role", "-1"], "not between"),
    _cli("months-float", ["profile", "set", "--months-in-role", "1e3"], "not a whole number"),
    _cli("review-month-zero", ["profile", "set", "--review-month", "0"], "month number"),
    _cli("unknown-signal", ["profile", "set", "--signal", "vibes"], "invalid choice"),
    _cli("unknown-transition", ["profile", "set", "--transition", "ic-to-ceo"], "invalid choice"),
    _cli("profile-empty-target", ["profile", "set", "--target-title", "  "],
         "target_title is empty"),
    _cli("profile-huge-title", ["profile", "set", "--current-title", "x" * 5000, "--target-title",
                                "y", "--transition", "other", "--months-in-role", "3"], "too long"),
    _cli("profile-show-none", ["profile", "show"], "no profile yet"),
    _cli("unknown-command", ["promote-me-now"], "invalid choice"),
    _cli("home-is-a-file", ["--home", "{dir}/afile", "log", "list"], "is a file",
         [("afile", b"x")]),
    _cli("backup-to-folder", ["backup", "{dir}"], "is a folder"),
    _cli("restore-not-archive", ["restore", "{dir}/x.tar.gz"], "not a Promotion Coach backup",
         [("x.tar.gz", b"hello")]),
    _cli("restore-missing", ["restore", "{dir}/none.tar.gz"], "no backup file"),
    _cli("knowledge-missing", ["knowledge", "add", "{dir}/none.md"], "no file"),
    _cli("knowledge-exe", ["knowledge", "add", "{dir}/tool.exe"], ".exe",
         [("tool.exe", b"MZ\x90\x00")]),
    _cli("knowledge-binary-txt", ["knowledge", "add", "{dir}/notes.txt"], "",
         [("notes.txt", b"\x00\x01\x02\x03" * 100)]),
    _cli("knowledge-empty", ["knowledge", "add", "{dir}/empty.md"], "empty", [("empty.md", b"")]),
    _cli("knowledge-broken-pdf", ["knowledge", "add", "{dir}/doc.pdf"], "PDF",
         [("doc.pdf", PDF_BROKEN)]),
    _cli("knowledge-huge", ["knowledge", "add", "{dir}/big.txt"], "MB",
         [("big.txt", b"word " * (6 * MB // 5))]),
    _cli("knowledge-rm-unknown", ["knowledge", "rm", "no-such-doc"], "no-such-doc"),
    _cli("search-empty", ["search", ""], "empty"),
    _cli("search-blank", ["search", "   "], "empty"),
]
