"""Role-play use cases: rehearse the promotion meeting with a mock manager, then score it.

- `start`: open a meeting (`start_roleplay`): the answer, the persona, what the manager knows.
- `session`: the live meeting (`RolePlaySession.say` per line, then `end`).
- `scripts`: a meeting played from a script file (`load_script`, `run_script`).
- `scoring`: the scorecard, rule checks then the judge (`score_transcript`).
- `history`: saved meetings, the list, progress per step, the summary for the follow-up email.
"""

from coach.prompts import load_persona
from coach.services.roleplay.history import (
    KIND,
    CheckProgress,
    Progress,
    ProgressPoint,
    RolePlayResult,
    SessionInfo,
    SessionScore,
    get_session,
    list_sessions,
    roleplay_progress,
    session_summary,
)
from coach.services.roleplay.replies import ManagerReply, ReplyEvent, TokenSink
from coach.services.roleplay.scoring import score_transcript
from coach.services.roleplay.scripts import MAX_SCRIPT_LINES, load_script, parse_script, run_script
from coach.services.roleplay.session import MAX_LINE_CHARS, RolePlaySession
from coach.services.roleplay.start import start_roleplay

__all__ = [
    "KIND", "MAX_LINE_CHARS", "MAX_SCRIPT_LINES",
    "CheckProgress", "ManagerReply", "Progress", "ProgressPoint", "ReplyEvent", "RolePlayResult",
    "RolePlaySession", "SessionInfo", "SessionScore", "TokenSink",
    "get_session", "list_sessions", "load_persona", "load_script", "parse_script", "roleplay_progress",
    "run_script", "score_transcript", "session_summary", "start_roleplay",
]
