"""The hostile-input table: broken or malicious input for every face of the app.

Each case names the face (cli, api, ui), what is sent, and a piece of the message the
user must see. The runner checks: a non-zero exit or an error result, that message, no
traceback, and the database byte-for-byte unchanged.

- cli: `argv` for `coach`.
- api: an endpoint of ui/api.py called with `gradio_client` (`inputs` are its keyword
  arguments), or, for what that client cannot send (bytes that are not UTF-8, broken
  characters), the raw JSON `body` posted to Gradio's HTTP API for that endpoint.
- ui: a tab's event sent the way the page sends it (`endpoint` is `tab.handler`, `inputs`
  the values of its input components; an `Upload` is a file from `files`, uploaded first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.store.migrations import TABLES

MB = 1024 * 1024
SESSION = "{session}"  # the id of a live role-play the runner starts before the case


@dataclass(frozen=True)
class Upload:
    """A file input: the case's file `name`, uploaded the way the page's file box does."""

    name: str


@dataclass(frozen=True)
class Case:
    id: str
    face: str
    argv: tuple[str, ...] = ()
    files: tuple[tuple[str, bytes], ...] = ()  # written into the case folder first
    expect: str = ""
    endpoint: str = ""  # api: "/add_entry"; ui: "impact_log.do_import"
    inputs: tuple[Any, ...] = ()  # api: (name, value) pairs; ui: values in the event's order
    body: bytes = b""  # api: a raw request body instead of `inputs`


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
    _cli("huge-description", ["log", "add", "x", "--description", "a" * (5 * MB)],
         "argument --description: is too long (5,242,880 characters; the limit is 20,000)"),
    _cli("huge-title", ["log", "add", "t" * 10_000], "argument text: is too long"),
    _cli("huge-metric", ["log", "add", "x", "--metric", "9" * 5000],
         "argument --metric: is too long"),
    _cli("decline-huge-reason", ["email", "decline", "--reason", "r" * 1_000_000],
         "argument --reason: is too long (1,000,000 characters; the limit is 1,000)"),
    _cli("followup-huge-summary", ["email", "follow-up", "--summary", "s" * 10_000],
         "argument --summary: is too long"),
    _cli("followup-huge-summary-file", ["email", "follow-up", "--summary-file", "{dir}/s.txt"],
         "the limit is 64 KB", [("s.txt", b"s" * (65 * 1024))]),
    _cli("chat-huge-message", ["chat", "--message", "m" * 10_000],
         "argument --message: is too long"),
    _cli("search-huge-query", ["search", "q" * 5000], "argument query: is too long"),
    _cli("log-edit-nothing", ["log", "edit", "1"], "nothing to change in entry #1"),
    _cli("proposal-exe", ["proposal", "--no-model", "--out", "{dir}/case.exe"],
         "the name must end in .md or .docx"),
    _cli("import-deep-json", ["log", "import", "{dir}/deep.json"],
         "nests lists or objects more than 8 levels deep",
         [("deep.json", b"[" * 100_000 + b"]" * 100_000)]),
    _cli("knowledge-deep-front-matter", ["knowledge", "add", "{dir}/deep.md"],
         "nests more than 8 levels deep",
         [("deep.md", b"---\ntitle: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\n# Hi\ntext\n")]),
    _cli("knowledge-deep-quotes", ["knowledge", "add", "{dir}/quotes.md"],
         "nests quotes or lists 5000 levels deep", [("quotes.md", b"# Notes\n" + b">" * 5000 + b" hi\n")]),
    _cli("impossible-date", ["log", "add", "x", "--date", "2026-02-30"], "not a date"),
    _cli("word-date", ["log", "add", "x", "--date", "yesterday"], "not a date"),
    _cli("ancient-date", ["log", "add", "x", "--date", "0001-01-01"], "before 1970"),
    _cli("far-future-date", ["log", "add", "x", "--date", "9999-12-31"], "in the future"),
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
         "target title is empty"),
    _cli("profile-huge-title", ["profile", "set", "--current-title", "x" * 5000, "--target-title",
                                "y", "--transition", "other", "--months-in-role", "3"],
         "argument --current-title: is too long"),
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


def _api(id_, endpoint, expect, **params):
    return Case(id=id_, face="api", endpoint=endpoint, expect=expect,
                inputs=tuple(params.items()))


def _raw(id_, endpoint, body: bytes, expect):
    return Case(id=id_, face="api", endpoint=endpoint, expect=expect, body=body)


def _ui(id_, event, inputs, expect, files=()):
    return Case(id=id_, face="ui", endpoint=event, inputs=tuple(inputs), expect=expect,
                files=tuple(files))


GOAL = {"current_title": "Engineer", "target_title": "Senior Engineer", "transition": "other",
        "months_in_role": 14}
# date, title, metric, kind, next level, details, proof; then the export format
ENTRY_FORM = ("", "Shipped it", "", "result", False, "", "", "csv")
# name, e-mail, manager, manager's e-mail, current, target, transition, months, review, signs
# name, e-mail, manager, manager e-mail, current, target, transition, months, review month,
# good signals, bad signals, moving-on signals, times passed over, last answer
GOAL_FORM = ("", "", "", "", "Engineer", "Senior Engineer", "other", 14, 0, [], [], [], 0, "")
SCRIPT = "<script>alert(1)</script>"

API_CASES = [
    _api("api-entry-empty-title", "/add_entry", "title is empty", title=""),
    _api("api-entry-control-chars", "/add_entry", "title is empty", title="\x00\x01\x1b"),
    _api("api-entry-huge-title", "/add_entry", "title is too long", title="t" * 10_000),
    _api("api-entry-huge-description", "/add_entry", "description is too long", title="x",
         description="a" * (5 * MB)),
    _api("api-entry-word-date", "/add_entry", "not a date", title="x", date="yesterday"),
    _api("api-entry-impossible-date", "/add_entry", "not a date", title="x", date="2026-02-30"),
    _api("api-entry-ancient-date", "/add_entry", "before 1970", title="x", date="0001-01-01"),
    _api("api-entry-far-future-date", "/add_entry", "in the future", title="x", date="9999-12-31"),
    _api("api-entry-unknown-kind", "/add_entry", "'heroics' is not one of the choices", title="x",
         kind="heroics"),
    # The page renders messages as HTML: what the user sent comes back escaped, as typed.
    _api("api-entry-script-kind", "/add_entry", "&lt;script&gt;alert(1)&lt;/script&gt;",
         title="x", kind=SCRIPT),
    _api("api-entry-number-title", "/add_entry", "title: input should be a valid string",
         title=12345),
    _api("api-entry-object-date", "/add_entry", "date: input should be a valid string",
         title="x", date={"year": 2026}),
    _api("api-entry-word-flag", "/add_entry", "next_level: input should be a valid boolean",
         title="x", next_level="maybe"),
    _raw("api-entry-broken-unicode", "add_entry",
         b'{"data": ["bad \\ud800 half", "", "", "result", false, "", ""]}',
         "title holds a broken character"),
    _raw("api-body-not-utf8", "add_entry", b'{"data": ["caf\xe9", "", "", "result"]}',
         "error parsing the body"),
    _raw("api-body-truncated", "add_entry", b'{"data": ["x", ', "decode error"),
    _api("api-edit-missing", "/edit_entry", "no impact-log entry", entry_id=4242,
         changes={"metric": "1"}),
    _api("api-edit-zero", "/edit_entry", "entry_id: input should be greater than or equal to 1",
         entry_id=0, changes={"metric": "1"}),
    _api("api-edit-overflow", "/edit_entry", "entry_id: input should be less than or equal",
         entry_id=int("9" * 30), changes={"metric": "1"}),
    _api("api-edit-word-id", "/edit_entry", "entry_id: input should be a valid integer",
         entry_id="one", changes={"metric": "1"}),
    _api("api-edit-unknown-field", "/edit_entry", "salary", entry_id=1, changes={"salary": 1}),
    _api("api-edit-not-a-dict", "/edit_entry", "changes: input should be a valid dictionary",
         entry_id=1, changes="metric=1"),
    _api("api-edit-word-date", "/edit_entry", "not a date", entry_id=1,
         changes={"date": "someday"}),
    _api("api-edit-empty-title", "/edit_entry", "title is empty", entry_id=1,
         changes={"title": " "}),
    _api("api-delete-missing", "/delete_entry", "no impact-log entry", entry_id=77),
    _api("api-delete-list-id", "/delete_entry", "entry_id: input should be a valid integer",
         entry_id=[1]),
    _api("api-profile-absurd-months", "/set_profile", "months in role is out of range (at most 600)",
         **{**GOAL, "months_in_role": 10**9}),
    _api("api-profile-negative-months", "/set_profile", "months in role is out of range (at least 0)",
         **{**GOAL, "months_in_role": -1}),
    _api("api-profile-fractional-months", "/set_profile", "fractional part",
         **{**GOAL, "months_in_role": 1.5}),
    _api("api-profile-unknown-transition", "/set_profile", "'ic-to-ceo' is not one of the choices",
         **{**GOAL, "transition": "ic-to-ceo"}),
    _api("api-profile-unknown-signal", "/set_profile", "'vibes' is not one of the choices",
         **GOAL, signals=["vibes"]),
    _api("api-profile-signals-not-list", "/set_profile", "signals: input should be a valid list",
         **GOAL, signals="recent-win"),
    _api("api-profile-review-month-13", "/set_profile", "review month is out of range",
         **GOAL, review_month=13),
    _api("api-profile-empty-target", "/set_profile", "target title is empty",
         **{**GOAL, "target_title": "  "}),
    _api("api-profile-huge-title", "/set_profile", "current_title is too long",
         **{**GOAL, "current_title": "x" * 5000}),
    _api("api-chat-empty", "/chat", "the message is empty", message=""),
    _api("api-chat-control-chars", "/chat", "the message is empty", message="\x00\x07\x1b"),
    _api("api-chat-number", "/chat", "message: input should be a valid string", message=5),
    _api("api-chat-unknown-conversation", "/chat", "no conversation with id 999",
         message="hi", conversation_id=999),
    _api("api-chat-overflow-conversation", "/chat", "conversation_id: input should be less",
         message="hi", conversation_id=int("9" * 30)),
    _api("api-chat-roleplay-conversation", "/chat", "is not a chat", message="hi",
         conversation_id=SESSION),
    _raw("api-chat-broken-unicode", "chat", b'{"data": ["hello \\udcff", null]}',
         "message holds a broken character"),
    _api("api-roleplay-unknown-session", "/roleplay_turn", "no role-play in progress",
         session_id=999, line="Hello"),
    _api("api-roleplay-empty-line", "/roleplay_turn", "say something first",
         session_id=SESSION, line=""),
    _api("api-roleplay-control-line", "/roleplay_turn", "say something first",
         session_id=SESSION, line="\x00\x01"),
    _api("api-roleplay-huge-line", "/roleplay_turn", "line is too long (3,000 characters",
         session_id=SESSION, line="x" * 3000),
    _api("api-email-huge-reason", "/email", "reason is too long (5,000 characters; the limit is "
         "1,000)", kind="decline", reason="r" * 5000),
    _api("api-email-huge-summary", "/email", "summary is too long", kind="follow-up",
         summary="s" * 7000),
    _api("api-chat-huge-message", "/chat", "message is too long", message="m" * 5000),
    _api("api-edit-huge-metric", "/edit_entry", "metric is too long", entry_id=1,
         changes={"metric": "9" * 400}),
    _api("api-profile-months-true", "/set_profile", "months_in_role: true is not a valid value",
         current_title="Engineer", target_title="Lead", transition="other",
         months_in_role=True),
    _api("api-roleplay-word-session", "/roleplay_turn", "session_id: input should be a valid",
         session_id="latest", line="Hello"),
    _api("api-roleplay-unknown-response", "/roleplay_start", "unknown manager response",
         response="promote-me"),
    _api("api-roleplay-unknown-difficulty", "/roleplay_start", "unknown difficulty",
         difficulty="impossible"),
    _api("api-roleplay-end-unknown", "/roleplay_end", "no role-play in progress",
         session_id=424242),
    _api("api-email-unknown-kind", "/email", "unknown email kind", kind="raise-demand"),
    _api("api-email-html-kind", "/email", "&lt;img src=x onerror=alert(1)&gt;",
         kind="<img src=x onerror=alert(1)>"),
]

UI_CASES = [
    _ui("ui-import-binary", "impact_log.do_import", (Upload("log.csv"), False, "csv"), "looks binary",
        [("log.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")]),
    _ui("ui-import-latin1", "impact_log.do_import", (Upload("log.csv"), False, "csv"), "not UTF-8",
        [("log.csv", "date,title\n2026-01-01,caf\xe9\n".encode("latin-1"))]),
    _ui("ui-import-utf16", "impact_log.do_import", (Upload("log.csv"), False, "csv"), "looks binary",
        [("log.csv", "date,title\n".encode("utf-16"))]),
    _ui("ui-import-json-truncated", "impact_log.do_import", (Upload("log.json"), False, "csv"),
        "malformed", [("log.json", b'[{"date": "2026-01-01", "title": "a"')]),
    _ui("ui-import-traversal-name", "impact_log.do_import",
        (Upload("../../../etc/passwd.csv"), False, "csv"), "header lacks",
        [("../../../etc/passwd.csv", b"root:x:0:0:root:/root:/bin/bash\n")]),
    _ui("ui-import-xlsx", "impact_log.do_import", (Upload("log.xlsx"), False, "csv"),
        "invalid file type", [("log.xlsx", b"PK\x03\x04")]),
    _ui("ui-import-oversized", "impact_log.do_import", (Upload("big.csv"), False, "csv"),
        "limit is 10 MB", [("big.csv", b"date,title\n" + b"2026-01-01,x\n" * (11 * MB // 13))]),
    _ui("ui-import-no-file", "impact_log.do_import", (None, False, "csv"), "Choose a file first"),
    _ui("ui-import-bad-rows", "impact_log.do_import", (Upload("log.csv"), False, "csv"),
        "nothing was imported",
        [("log.csv", f"date,title,kind\n2026-01-01,{SCRIPT},heroics\n99999999,a,result\n"
          .encode())]),
    _ui("ui-knowledge-exe", "settings.add_doc", (Upload("tool.exe"), False), "invalid file type",
        [("tool.exe", b"MZ\x90\x00")]),
    _ui("ui-knowledge-empty", "settings.add_doc", (Upload("empty.md"), False), "empty",
        [("empty.md", b"")]),
    _ui("ui-knowledge-broken-pdf", "settings.add_doc", (Upload("doc.pdf"), False), "PDF",
        [("doc.pdf", PDF_BROKEN)]),
    _ui("ui-knowledge-binary-txt", "settings.add_doc", (Upload("notes.txt"), False), "NUL bytes",
        [("notes.txt", b"\x00\x01\x02\x03" * 100)]),
    _ui("ui-knowledge-huge", "settings.add_doc", (Upload("big.txt"), False), "the limit is 5 MB",
        [("big.txt", b"word " * (6 * MB // 5))]),
    _ui("ui-knowledge-no-file", "settings.add_doc", (None, False), "Choose a file first"),
    _ui("ui-entry-far-future-date", "impact_log.add", ("9999-12-31", *ENTRY_FORM[1:]),
        "in the future"),
    _ui("ui-entry-word-date", "impact_log.add", ("next week", *ENTRY_FORM[1:]),
        "write the date as YYYY-MM-DD"),
    _ui("ui-entry-unknown-kind", "impact_log.add", (*ENTRY_FORM[:3], "heroics", *ENTRY_FORM[4:]),
        "not in the list of choices"),
    _ui("ui-entry-control-chars", "impact_log.add", ("", "\x00\x01", *ENTRY_FORM[2:]),
        "What you did is empty"),
    _ui("ui-entry-huge-title", "impact_log.add", ("", "t" * 10_000, *ENTRY_FORM[2:]),
        "What you did is too long (10,000 characters; the limit is 200)"),
    _ui("ui-email-huge-reason", "emails.make", ("decline", "r" * 5000, "", 0, ""),
        "Why you decline is too long"),
    _ui("ui-goal-huge-name", "goal.save_goal", ("n" * 500, *GOAL_FORM[1:]),
        "Your name is too long"),
    _ui("ui-entry-save-unselected", "impact_log.save", (0, *ENTRY_FORM), "Pick an entry first"),
    _ui("ui-entry-delete-unknown", "impact_log.delete", (int("9" * 30), "csv"),
        "not in the list of choices"),
    _ui("ui-export-unknown-format", "impact_log.prepare", ("pdf",), "not in the list of choices"),
    _ui("ui-goal-absurd-months", "goal.save_goal", (*GOAL_FORM[:7], 10**9, *GOAL_FORM[8:]),
        "0 to 600"),
    _ui("ui-goal-empty-months", "goal.save_goal", (*GOAL_FORM[:7], None, *GOAL_FORM[8:]),
        "Months in your current role is empty"),
    _ui("ui-goal-unknown-transition", "goal.save_goal", (*GOAL_FORM[:6], "ic-to-ceo",
                                                          *GOAL_FORM[7:]),
        "not in the list of choices"),
    _ui("ui-goal-review-month-13", "goal.save_goal", (*GOAL_FORM[:8], 13, *GOAL_FORM[9:]),
        "not in the list of choices"),
    _ui("ui-goal-unknown-signal", "goal.save_goal", (*GOAL_FORM[:9], [SCRIPT], *GOAL_FORM[10:]),
        "not in the list of choices"),
    _ui("ui-chat-empty", "prepare.respond", ("", [], None), "the message is empty"),
    _ui("ui-chat-control-chars", "prepare.respond", ("\x00\x07", [], None), "the message is empty"),
    _ui("ui-roleplay-no-meeting", "roleplay.reply", ("Hello", None, []), "no role-play in progress"),
    _ui("ui-roleplay-unknown-response", "roleplay.begin", ("promote-me", "realistic", "promotion"),
        "not in the list of choices"),
    _ui("ui-roleplay-unknown-scenario", "roleplay.begin", ("auto", "realistic", "lunch"),
        "not in the list of choices"),
]
