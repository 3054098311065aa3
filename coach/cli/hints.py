"""How the command line tells a user to fix an error: by the error's code and field.

The core raises `CoachError(message, code=..., field=...)` and never names a command or a
flag; this table does, in the terminal's own words. An error whose code has no entry here
keeps the core's face-neutral hint.
"""

from __future__ import annotations

from coach.domain.errors import CoachError

# (code, field) first, then (code, None).
HINTS: dict[tuple[str, str | None], str] = {
    ("no-profile", None): "Run `coach profile set --current-title T --target-title T "
                          "--transition ic-to-lead --months-in-role N` first.",
    ("no-proposal", None): "Run `coach proposal` to draft one.",
    ("no-summary", "summary"): "Pass --summary TEXT or --summary-file FILE, or --meeting ID of a "
                               "recorded meeting (`coach roleplay list` shows them).",
    ("no-address", "manager_email"): "Set it with `coach profile set --manager-email ADDRESS`.",
    ("no-address", "email"): "Set it with `coach profile set --email ADDRESS`.",
    ("not-found", "meeting"): "Run `coach roleplay list` to see meeting ids.",
    ("not-found", "entry"): "Run `coach log list` to see the ids.",
    ("not-found", "stakeholder"): "Run `coach stakeholders list` to see the ids.",
    ("not-found", "expectation"): "Run `coach expectations list` to see the ids.",
    ("exists", "expectation"): "Pick another id, or use `coach expectations edit`.",
    ("not-found", "version"): "Run `coach proposal history` to see the versions.",
    ("not-found", "session"): "Run `coach roleplay list` to see meeting ids.",
    ("same-meeting", "session"): "Run `coach roleplay list` to see meeting ids.",
    ("unknown-answer", "response"): "Say it with --response yes | not-yet | no-budget | not-ready | no-fit.",
    ("not-found", "conversation"): "Leave out --conversation to start a new chat.",
    ("not-found", "document"): "Run `coach knowledge list` to see the ids of all documents.",
    ("exists", "document"): "Run `coach knowledge list` to see your documents.",
    ("shipped-guide", "document"): "Only documents you added can be removed; `coach knowledge "
                                   "list` shows which ones are yours (kind 'user').",
    ("bad-rows", "file"): "Fix the rows, or pass --skip-bad to import only the good ones.",
    ("not-found", "user"): "See `coach users list`.",
    ("exists", "user"): "Pass --replace to set a new password.",
    ("bad-users-file", "users_file"): "Fix or remove the file, then add users with "
                                      "`coach users add NAME`.",
    ("home-not-empty", "home"): "Restore into a new home: coach --home NEW_DIR restore FILE.",
    ("bad-home", "home"): "Pass --home with a writable folder.",
    ("cannot-write", "out"): "Pick a folder you can write to with --out.",
    ("not-empty", "out"): "Pass --out with a new folder.",
    ("empty", "query"): 'Ask a question, e.g. `coach search "when is a good time to ask"`.',
    ("sqlite-only", None): "Use `coach backup FILE`.",
    ("bad-format", "out"): "Give --out a name ending in .md or .docx (or leave --format out).",
    ("too-long", "summary"): "Shorten the text given with --summary or --summary-file.",
    ("no-framework", None): "Import one with `coach framework import FILE`, or pick one with "
                            "`coach framework use ID` (`coach framework list` shows them).",
    ("not-found", "framework"): "Run `coach framework list` to see the ids.",
    ("no-pending", None): "Import a PDF, Word or text file with `coach framework import FILE` "
                          "first.",
    ("bad-levels", "target_level"): "Give --target-level a level at or above --current-level.",
    ("bad-scenario", "scenario"): "Say it with --scenario promotion | offer | interview.",
    ("response-not-for-scenario", "response"): "Leave out --response, or use --scenario promotion.",
    ("not-promotion", "session"): "Pick a promotion meeting: `coach roleplay list` shows each one's kind.",
}


def cli_message(exc: CoachError) -> str:
    """The error as the terminal shows it: the core's message, then the command-line fix."""
    hint = HINTS.get((exc.code, exc.field)) or HINTS.get((exc.code, None)) or exc.hint
    if not hint:
        return exc.message
    # The core's messages are clauses without a full stop; the hint is a sentence of its own.
    stop = "" if exc.message.rstrip().endswith((".", "!", "?", ":")) else "."
    return f"{exc.message}{stop} {hint}"
