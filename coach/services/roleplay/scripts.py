"""Scripted meetings: the user's lines from a text file, played through a live session and scored.

A script is one line per thing the user would say; blank lines and #comments are skipped, and
`/end` stops the meeting there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.limits import MAX_FILE_BYTES
from coach.domain.roleplay import AUTO
from coach.domain.text import clean_line
from coach.files import read_bounded
from coach.services.context import Context
from coach.services.roleplay.history import RolePlayResult
from coach.services.roleplay.replies import TokenSink
from coach.services.roleplay.session import MAX_LINE_CHARS
from coach.services.roleplay.start import start_roleplay

MAX_SCRIPT_LINES = 200


def parse_script(text: str, name: str = "script") -> list[str]:
    """User lines from a script's text: one per line; blank lines and #comments are skipped."""
    raw = text.replace("\r\n", "\n").split("\n")
    if len(raw) > MAX_SCRIPT_LINES:
        raise CoachError(f"{name} has {len(raw)} lines; the limit is {MAX_SCRIPT_LINES}",
                         hint="A meeting is a handful of lines: split or shorten the script.")
    lines = [clean_line(r) for r in raw]
    lines = [r for r in lines if r and not r.startswith("#")]
    if not lines:
        raise CoachError(f"{name} has no lines to say",
                         hint="Write one thing you would say per line; # starts a comment.")
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise CoachError(f"line {number} of {name} is {len(line)} characters long",
                             hint=f"Keep each line under {MAX_LINE_CHARS} characters.")
    return lines


def load_script(path: str | Path) -> list[str]:
    """Read a role-play script file; every way it can be unusable is a clear CoachError."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise CoachError(f"script file {file} does not exist",
                         hint="Pass a text file with one line per thing you would say.")
    data = read_bounded(file, MAX_FILE_BYTES["script"], "a role-play script")
    if b"\x00" in data:
        raise CoachError(f"script file {file} looks binary",
                         hint="Use a plain text file, one line per thing you would say.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoachError(f"script file {file} is not UTF-8 text (byte {exc.start})",
                         hint="Save it as UTF-8 and try again.") from None
    return parse_script(text, f"script file {file.name}")


def run_script(ctx: Context, lines: Sequence[str], response: str = AUTO, difficulty: str = "realistic", *,
               seed: int | None = None, today: dt.date | None = None,
               on_token: TokenSink | None = None) -> RolePlayResult:
    """Play a whole meeting from scripted user lines, then score it.

    Lines after the manager has ended the meeting are not said; `unused_lines` counts them.
    """
    session = start_roleplay(ctx, response, difficulty, seed=seed, today=today)
    unused = 0
    for line in lines:
        if line.strip().lower() == "/end":
            break
        if session.ended:
            unused += 1
            continue
        session.say(line, on_token=on_token)
    result = session.end()
    result.unused_lines = unused
    if unused:
        result.notices.append(f"The manager ended the meeting after {session.meeting.state.user_turns} "
                              f"of your lines; {unused} line(s) of the script were not said.")
    return result
