"""Role-play in the domain: the mock promotion meeting, pure (stdlib and pydantic only).

- `personas`: the five answers (`ResponseType`), how hard the manager plays (`Difficulty`),
  the brief a persona file holds (`Persona`) and the `auto` answer.
- `facts`: what the manager knows from the user's log (`LogFact`).
- `patterns`: what each step of the conversation sounds like, shared by plan and scorecard.
- `meeting`: the turn plan (`Meeting` -> `Directive`) and reading a user's line.
- `lines`: the prepared lines as said: names filled or left out, never one twice (`LineBook`).
- `off_script`: lines a manager would not play along with (`off_script`), and the reactions.
- `role_guard`: every manager reply checked before the user sees it (`RoleGuard`).
- `role_breaks`: the ways a reply breaks role, and how each is told to the user and the model.
- `answer`: where the manager gave the answer, and which one (also for a pasted real meeting).
- `scorecard`, `scorecard_rules`, `scorecard_patterns`, `scorecard_phrases`: the checklist the
  meeting is scored by, the words it reads, and the stronger lines it suggests.
"""

from coach.domain.roleplay.answer import answer_index, decision_in, infer_response_type
from coach.domain.roleplay.facts import (
    LevelCriterion,
    LogFact,
    asked_criteria,
    criterion_probe,
    pick_facts,
    specifics_for,
)
from coach.domain.roleplay.lines import LineBook, drop_name
from coach.domain.roleplay.meeting import (
    ASKING,
    OFF_SCRIPT,
    OFF_SCRIPT_HISTORY,
    Directive,
    Meeting,
    MeetingState,
    Move,
    Speaker,
    Turn,
    UserLine,
    cited_entries,
    read_user_line,
    replacement_note,
)
from coach.domain.roleplay.off_script import OffScript, off_script
from coach.domain.roleplay.patterns import PATTERNS
from coach.domain.roleplay.personas import (
    AUTO,
    RESPONSE_CHOICES,
    Difficulty,
    DifficultyParams,
    Persona,
    ResponseType,
    choose_response_type,
    parse_difficulty,
    parse_response_type,
)
from coach.domain.roleplay.role_breaks import PLAIN_REASONS, RoleBreak, corrections
from coach.domain.roleplay.role_guard import BRIEF_SPAN, GuardVerdict, RoleGuard, contradiction
from coach.domain.roleplay.scorecard import (
    STEPS,
    CheckResult,
    JudgeQuestion,
    JudgeVerdict,
    Scorecard,
    ScoreInput,
    Verdict,
    apply_judge,
    build_scorecard,
)
from coach.domain.roleplay.scorecard_rules import handling_lines, rule_checks

__all__ = [
    "ASKING", "AUTO", "BRIEF_SPAN", "OFF_SCRIPT", "OFF_SCRIPT_HISTORY", "PATTERNS", "PLAIN_REASONS",
    "RESPONSE_CHOICES", "STEPS",
    "CheckResult", "Difficulty", "DifficultyParams", "Directive", "GuardVerdict", "JudgeQuestion",
    "JudgeVerdict", "LevelCriterion", "LineBook", "LogFact", "Meeting", "MeetingState", "Move",
    "OffScript", "Persona",
    "ResponseType", "RoleBreak", "RoleGuard", "ScoreInput", "Scorecard", "Speaker", "Turn", "UserLine",
    "Verdict", "answer_index", "apply_judge", "asked_criteria", "build_scorecard",
    "choose_response_type", "criterion_probe",
    "cited_entries", "contradiction", "corrections", "decision_in", "drop_name", "handling_lines",
    "infer_response_type", "off_script", "parse_difficulty", "parse_response_type", "pick_facts",
    "read_user_line", "replacement_note", "rule_checks", "specifics_for",
]
