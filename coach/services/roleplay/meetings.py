"""Scoring a real meeting: the user pastes the transcript or their notes, the scorecard reads it
as it reads a practice meeting, and it is saved beside the practice sessions (kind "meeting").

The text is `you: ...` / `manager: ...` lines (a line without a speaker continues the one
before), or JSON: a list of {"speaker", "text"} objects, or {"turns": [...]} holding one.
The manager's answer is taken from `response` or read from the manager's own words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.roleplay import Turn, infer_response_type, parse_response_type
from coach.domain.text import clean_block, clean_line
from coach.services.context import Context
from coach.services.inputs import load_inputs
from coach.services.roleplay.history import MEETING_KIND, RolePlayResult, get_session
from coach.services.roleplay.scoring import score_transcript

MAX_MEETING_CHARS = 40_000
MAX_MEETING_TURNS = 200
_YOU = {"you", "me", "i", "user", "employee", "myself"}
_MANAGER = {"manager", "boss", "lead", "assistant", "them", "mgr"}
_SPEAKER = re.compile(r"^\s*(?:\*\*)?([A-Za-z][\w .'-]{0,40}?)(?:\*\*)?\s*[:>-]\s+(.*)$")


def _speaker(name: str, manager_name: str = "") -> str | None:
    key = name.strip().lower()
    if key in _YOU:
        return "you"
    if key in _MANAGER or (manager_name and key in {manager_name.lower(), manager_name.split()[0].lower()}):
        return "manager"
    return None


def _from_json(data: object, manager_name: str) -> list[Turn]:
    if isinstance(data, dict) and isinstance(data.get("turns"), list):
        data = data["turns"]
    if not isinstance(data, list):
        raise CoachError("the JSON is not a list of turns",
                         hint='Use [{"speaker": "you", "text": "..."}, '
                              '{"speaker": "manager", "text": "..."}].')
    turns = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise CoachError(f"turn {number} of the JSON has no text",
                             hint='Each turn is {"speaker": "you" or "manager", "text": "..."}.')
        speaker = _speaker(str(item.get("speaker", "")), manager_name)
        if speaker is None:
            raise CoachError(f"turn {number}: unknown speaker '{item.get('speaker', '')}'",
                             hint="Use 'you' for yourself and 'manager' for your manager.")
        if text := clean_line(item["text"]):
            turns.append(Turn(speaker=speaker, text=text))
    return turns


def _from_lines(text: str, manager_name: str) -> list[Turn]:
    turns: list[Turn] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _SPEAKER.match(line)
        speaker = _speaker(match.group(1), manager_name) if match else None
        if speaker is not None and match is not None:
            if said := clean_line(match.group(2)):
                turns.append(Turn(speaker=speaker, text=said))
        elif turns:  # a wrapped line continues the turn before it
            turns[-1] = turns[-1].model_copy(update={"text": f"{turns[-1].text} {clean_line(line)}"})
        else:
            raise CoachError(f"line {number} does not say who is speaking: '{line[:60]}'",
                             hint="Start each turn with 'you:' or 'manager:'.")
    return turns


def parse_meeting(text: str, manager_name: str = "") -> list[Turn]:
    """A pasted meeting as turns; every way it can be unusable is a clear CoachError."""
    text = clean_block(text or "")
    if not text:
        raise CoachError("the meeting is empty", hint="Paste the transcript or your notes: 'you: ...' / "
                         "'manager: ...' lines.")
    if len(text) > MAX_MEETING_CHARS:
        raise CoachError(f"the meeting is {len(text)} characters long; the limit is {MAX_MEETING_CHARS}",
                         hint="Paste the part of the meeting about the promotion.")
    if text[:1] in "[{":
        try:
            turns = _from_json(json.loads(text), manager_name)
        except json.JSONDecodeError as exc:
            raise CoachError(f"the meeting looks like JSON but does not parse: {exc.msg} (line {exc.lineno})",
                             hint="Fix the JSON, or paste 'you: ...' / 'manager: ...' lines.") from None
    else:
        turns = _from_lines(text, manager_name)
    if len(turns) > MAX_MEETING_TURNS:
        raise CoachError(f"the meeting has {len(turns)} turns; the limit is {MAX_MEETING_TURNS}",
                         hint="Paste the part of the meeting about the promotion.")
    if not any(t.speaker == "you" for t in turns):
        raise CoachError("the meeting has none of your lines", hint="Start your turns with 'you:'.")
    if not any(t.speaker == "manager" for t in turns):
        raise CoachError("the meeting has none of your manager's lines",
                         hint="Start your manager's turns with 'manager:'.")
    return turns


def read_meeting_file(path: str | Path) -> str:
    file = Path(path).expanduser()
    if not file.is_file():
        raise CoachError(f"meeting file {file} does not exist",
                         hint="Pass a text or JSON file with 'you:' / 'manager:' lines.")
    try:
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CoachError(f"meeting file {file} is not UTF-8 text (byte {exc.start})",
                         hint="Save it as UTF-8 and try again.") from None


def score_meeting(ctx: Context, text: str, response: str | None = None, *,
                  today: dt.date | None = None) -> RolePlayResult:
    """Score a real meeting and save it beside the practice sessions.

    Args:
        ctx: the user's context (profile and log are read from its store).
        text: the pasted transcript or notes.
        response: the manager's answer (a `ResponseType` value); read from the manager's
            lines when None.
        today: the date the suggested phrasings are written for.
    """
    profile, entries = load_inputs(ctx)
    turns = parse_meeting(text, profile.manager_name)
    inferred = not response
    if response:
        response_type = parse_response_type(response)
    else:
        found = infer_response_type(turns)
        if found is None:
            raise CoachError("could not tell which answer your manager gave", code="unknown-answer",
                             field="response", hint="Say which answer your manager gave.")
        response_type = found
    card = score_transcript(ctx, turns, profile, entries, response_type, "real", today)
    convo = ctx.store.new_conversation(MEETING_KIND, title=f"Meeting: {profile.target_title}", meta={
        "response_type": response_type.value, "revealed": True, "status": "done", "inferred": inferred,
        "score": card.score, "source": "pasted"})
    ctx.store.add_messages(convo.id, [("user" if t.speaker == "you" else "assistant", t.text,
                                       {"speaker": t.speaker}) for t in turns])
    ctx.store.save_scorecard(convo.id, card.score, card.model_dump(mode="json"))
    result = get_session(ctx, convo.id)
    if inferred:
        result.notices.append(f"The manager's answer was read from their words: {result.label.lower()}. "
                              "If that is wrong, score it again and say the answer.")
    return result
