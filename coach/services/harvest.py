"""Harvesting: candidates drafted from where work happens, saved to the inbox, never the log.

Each source is read (size checked first), parsed into `Candidate`s, tied to a framework
criterion when one fits, and kept only when it is new work (`split_new`). A free-text note
goes to the model, which proposes entries; every figure it writes must be on the note's line
(`reply_problems`), else it is asked once more, then the note is drafted line by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, computed_field

from coach.domain.errors import CoachError
from coach.domain.framework.mapping import AUTO_MIN_CONFIDENCE
from coach.domain.guard import Violation, notice_for, violation_feedback
from coach.domain.harvest.candidate import Candidate, InboxItem, SourceKind
from coach.domain.harvest.inbox import Duplicate, split_new, traced
from coach.domain.harvest.note import (
    NoteLine,
    NoteReply,
    draft_candidates,
    note_lines,
    numbered,
    reply_candidates,
    reply_problems,
)
from coach.domain.injection import instruction_text, leak_problems, outward_problems
from coach.domain.limits import MAX_FILE_BYTES
from coach.domain.text import count
from coach.files import read_bounded
from coach.llm.base import StructuredFailure
from coach.services.context import Context
from coach.services.criteria import best_criteria
from coach.services.framework import active_framework

NOTE_PROMPT = "harvest_note"
_FILE_WHAT = {SourceKind.GITHUB: "a pull-request export", SourceKind.JIRA: "a Jira export",
              SourceKind.CALENDAR: "a calendar file", SourceKind.TEXT: "a note"}


class HarvestResult(BaseModel):
    """What a harvest did: the items added to the inbox, the duplicates left out, and how
    the candidates were drafted ('parser', 'model' or 'draft' with a notice saying why)."""

    source: SourceKind
    added: list[InboxItem]
    duplicates: list[Duplicate]
    drafted_by: str = "parser"
    notice: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "duplicates": len(self.duplicates)}

    def summary(self) -> str:
        text = (f"Added {count(len(self.added), 'candidate')} to the inbox" if self.added
                else "Nothing new to add")
        if self.duplicates:
            text += (f"; {count(len(self.duplicates), 'candidate was', 'candidates were')} "
                     "already in the log or the inbox")
        return text + "."


# -- reading ------------------------------------------------------------------------------
def decode_text(data: bytes, name: str) -> str:
    """Bytes of a text file as text: UTF-8 (with or without a BOM) or UTF-16 with its BOM;
    anything else, or a file with NUL bytes, is refused as not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CoachError(f"{name} is not UTF-8 text (a bad byte on line {line})",
                             code="not-text", field="file",
                             hint="Save it as UTF-8 text and try again.") from None
    raise CoachError(f"{name} is not a text file (it looks binary)", code="binary",
                     field="file", hint="Pick the exported text file (JSON, CSV, .ics or .txt).")


def read_text(path: str | Path, source: SourceKind) -> str:
    """A harvest file's text, its size checked before it is read."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise CoachError(f"{path} is a folder, not a file", code="not-found", field="file",
                         hint="Pick the exported file itself.")
    data = read_bounded(path, MAX_FILE_BYTES["harvest"], _FILE_WHAT[source])
    return decode_text(data, path.name)


# -- criteria -----------------------------------------------------------------------------
def with_criteria(ctx: Context, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Each candidate with the framework criterion it fits best, when a framework is in use
    and the match is as strong as the one the log's own links need; a criterion of the
    user's target level marks the candidate as next-level work."""
    active = active_framework(ctx)
    if active is None:
        return list(candidates)
    levels = {c.id: c.level for c in active.framework.criteria}
    target = active.target.id if active.target else None
    out = []
    for c in candidates:
        if c.criterion is None:
            ranked = best_criteria(ctx, f"{c.title}\n{c.description}\n{c.metric}", k=3)
            if ranked and ranked[0][1] >= AUTO_MIN_CONFIDENCE:
                best = ranked[0][0]
                c = c.model_copy(update={"criterion": best, "next_level": c.next_level or (
                    target is not None and levels.get(best) == target)})
        out.append(c)
    return out


# -- saving -------------------------------------------------------------------------------
def _since(candidates: Sequence[Candidate], since: dt.date | None) -> list[Candidate]:
    return [c for c in candidates if since is None or c.date >= since]


def to_inbox(ctx: Context, source: SourceKind, candidates: Sequence[Candidate], *,
             drafted_by: str = "parser", notice: str | None = None) -> HarvestResult:
    """Save the new candidates as pending inbox items; report the rest as duplicates."""
    checked = [traced(c) for c in candidates]
    split = split_new(checked, entries=ctx.store.list_entries(), inbox=ctx.store.inbox.items())
    added = ctx.store.inbox.add(with_criteria(ctx, split.new)) if split.new else []
    return HarvestResult(source=source, added=added, duplicates=split.duplicates,
                         drafted_by=drafted_by, notice=notice)


def _nothing(what: str, field: str, hint: str) -> CoachError:
    return CoachError(f"found nothing to harvest: {what}", code="nothing-found", field=field,
                      hint=hint)


# -- the sources --------------------------------------------------------------------------
def _you(ctx: Context, source: SourceKind) -> list[str]:
    """Who "you" are in a source when the user names nobody: the calendar's address and
    name, Jira's display name, from the profile (GitHub logins and commit addresses differ
    from both, and git reads its own configured address)."""
    profile = ctx.store.get_profile()
    if profile is None:
        return []
    if source is SourceKind.CALENDAR:
        return [p for p in (profile.email, profile.name) if p]
    if source is SourceKind.JIRA:
        return [profile.name] if profile.name else []
    return []


def harvest_git(ctx: Context, path: str | Path, *, authors: Sequence[str] = (),
                since: dt.date | None = None) -> HarvestResult:
    """Commits in the repository at `path` (by `authors`, else git's configured address),
    grouped into pieces of work."""
    from coach.sources import git

    candidates = git.harvest_git(path, authors=authors, since=since)
    if not candidates:
        when = f" since {since.isoformat()}" if since else ""
        raise _nothing(f"{path} has no commits of yours{when}", "since" if since else "path",
                       "Check the date.")
    return to_inbox(ctx, SourceKind.GIT, candidates)


def harvest_file(ctx: Context, source: SourceKind, path: str | Path, *,
                 people: Sequence[str] = (), since: dt.date | None = None,
                 use_model: bool = True, today: dt.date | None = None) -> HarvestResult:
    """A file exported from GitHub, Jira, a calendar, or a note.

    Args:
        people: whose work to keep: the GitHub login, the Jira assignee, the calendar's
            addresses or names (the profile's name and address when empty, where they fit).
        since: only work on or after this day.
        use_model: for a note, False drafts one candidate per line without the model.
    """
    if source is SourceKind.GIT:
        return harvest_git(ctx, path, authors=people, since=since)
    text = read_text(path, source)
    name = Path(path).name
    if source is SourceKind.TEXT:
        return harvest_note(ctx, text, name=name, since=since, use_model=use_model, today=today)
    who = [p for p in people if p.strip()] or _you(ctx, source)
    candidates = _since(_parse(source, text, who, since), since)
    if not candidates:
        when = f" since {since.isoformat()}" if since else ""
        raise _nothing(f"{name} holds no finished {_WHAT_ITEMS[source]} of yours{when}",
                       "since" if since else "file", "Check the file and the date.")
    return to_inbox(ctx, source, candidates)


_WHAT_ITEMS = {SourceKind.GITHUB: "pull requests", SourceKind.JIRA: "tickets",
               SourceKind.CALENDAR: "events"}


def _parse(source: SourceKind, text: str, people: Sequence[str],
           since: dt.date | None) -> list[Candidate]:
    first = people[0] if people else ""
    if source is SourceKind.GITHUB:
        from coach.domain.harvest.github import parse_github

        return parse_github(text, login=first, since=since)
    if source is SourceKind.JIRA:
        from coach.domain.harvest.jira import parse_jira

        return parse_jira(text, assignee=first, since=since)
    from coach.domain.harvest.calendar import parse_ics

    return parse_ics(text, people=list(people), since=since)


# -- a free-text note ---------------------------------------------------------------------
def harvest_note(ctx: Context, text: str, *, name: str = "note", since: dt.date | None = None,
                 use_model: bool = True, today: dt.date | None = None) -> HarvestResult:
    """A weekly note: the model proposes entries, checked figure by figure against the
    note's lines; else one entry per line, with a notice saying why."""
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES["harvest"]:
        raise CoachError(f"{name} is too long to harvest", code="too-big", field="note",
                         hint="Keep only this week's part of it.")
    today = today or dt.date.today()
    lines = [ln for ln in note_lines(text, today) if since is None or (ln.date or today) >= since]
    if not lines:
        raise CoachError("the note holds no lines of work" if not text.strip() or since is None
                         else f"the note holds no work since {since.isoformat()}",
                         code="nothing-found", field="note",
                         hint="Write one line per piece of work, e.g. '- Shipped the export, "
                              "cut support tickets 30%'.")
    if not use_model:
        return to_inbox(ctx, SourceKind.TEXT, draft_candidates(lines, name, today),
                        drafted_by="draft")
    proposed, notice = propose_from_note(ctx, lines, name, today)
    if proposed is None:
        return to_inbox(ctx, SourceKind.TEXT, draft_candidates(lines, name, today),
                        drafted_by="draft", notice=notice)
    return to_inbox(ctx, SourceKind.TEXT, proposed, drafted_by="model")


FALLBACK = "one candidate per line of your note"


def propose_from_note(ctx: Context, lines: list[NoteLine], name: str,
                      today: dt.date) -> tuple[list[Candidate] | None, str | None]:
    """The model's entries for the note, checked; (None, why) when they do not pass twice."""
    from coach.prompts import load_prompt  # the prompt files load the personas: only here

    prompt = load_prompt(NOTE_PROMPT)
    messages = prompt.render(note=numbered(lines))
    instructions = instruction_text(prompt.system)
    note = "\n".join(ln.text for ln in lines)
    problems: list[Violation] = []
    for _attempt in (1, 2):
        try:
            reply = ctx.llm.structured(messages, NoteReply, prompt=prompt.ref,
                                       max_tokens=prompt.defaults.max_tokens,
                                       temperature=prompt.defaults.temperature)
        except CoachError as exc:
            return None, (f"The model could not read the note ({exc.message}); showing "
                          f"{FALLBACK} instead.")
        if isinstance(reply, StructuredFailure):
            return None, notice_for([Violation(code="format", detail=reply.error,
                                               phrase="did not answer in the format asked for")],
                                    "entries", FALLBACK)
        written = "\n".join(f"{e.title}. {e.metric}" for e in reply.entries)
        problems = [*reply_problems(reply, lines), *leak_problems(written, instructions),
                    *outward_problems(written, allowed=note)]
        if not problems:
            return reply_candidates(reply, lines, name, today), None
        messages = [*messages, {"role": "assistant", "content": reply.model_dump_json()},
                    {"role": "user", "content": violation_feedback(problems)}]
    return None, notice_for(problems, "entries", FALLBACK)
