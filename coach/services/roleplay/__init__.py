"""Role-play use cases: rehearse the promotion meeting with a mock manager, then score it.

- `start`: open a meeting (`start_roleplay`): the answer, the persona, what the manager knows.
- `session`: the live meeting (`RolePlaySession.say` per line, then `end`).
- `scripts`: a meeting played from a script file (`load_script`, `run_script`).
- `scoring`: the scorecard, rule checks then the judge (`score_transcript`).
- `meetings`: a real meeting pasted in, scored and saved beside the practice ones (`score_meeting`).
- `history`: saved meetings, practice and real (`real`): the list, one shown, two compared,
  one deleted, progress per step, the summary for the follow-up email.
"""

from coach.prompts import load_persona
from coach.services.roleplay.history import (
    KIND,
    MEETING_KIND,
    CheckProgress,
    CheckSideBySide,
    Comparison,
    Progress,
    ProgressPoint,
    RolePlayResult,
    SessionInfo,
    SessionScore,
    compare_sessions,
    delete_session,
    get_session,
    list_meetings,
    roleplay_progress,
    session_summary,
)
from coach.services.roleplay.meetings import parse_meeting, read_meeting_file, score_meeting
from coach.services.roleplay.replies import ManagerReply, ReplyEvent, TokenSink
from coach.services.roleplay.scoring import score_transcript
from coach.services.roleplay.scripts import MAX_SCRIPT_LINES, load_script, parse_script, run_script
from coach.services.roleplay.session import MAX_LINE_CHARS, RolePlaySession
from coach.services.roleplay.start import start_roleplay

__all__ = [
    "KIND", "MAX_LINE_CHARS", "MAX_SCRIPT_LINES", "MEETING_KIND",
    "CheckProgress", "CheckSideBySide", "Comparison", "ManagerReply", "Progress", "ProgressPoint",
    "ReplyEvent", "RolePlayResult", "RolePlaySession", "SessionInfo", "SessionScore", "TokenSink",
    "compare_sessions", "delete_session", "get_session", "list_meetings", "load_persona", "load_script",
    "parse_meeting", "parse_script", "read_meeting_file", "roleplay_progress", "run_script",
    "score_meeting", "score_transcript", "session_summary", "start_roleplay",
]
