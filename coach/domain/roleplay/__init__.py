"""Role-play in the domain: the mock promotion meeting, pure (stdlib and pydantic only).

- `personas`: the five answers (`ResponseType`), how hard the manager plays (`Difficulty`),
  the brief a persona file holds (`Persona`) and the `auto` answer.
- `facts`: what the manager knows from the user's log (`LogFact`).
- `patterns`: what each step of the conversation sounds like, shared by plan and scorecard.
- `meeting`: the turn plan (`Meeting` -> `Directive`) and reading a user's line.
- `role_guard`: every manager reply checked before the user sees it (`RoleGuard`).
- `answer`: where the manager gave the answer, and which one (also for a pasted real meeting).
- `scorecard`, `scorecard_rules`, `scorecard_patterns`, `scorecard_phrases`: the checklist the
  meeting is scored by, the words it reads, and the stronger lines it suggests.
"""

from coach.domain.roleplay.answer import answer_index, decision_in, infer_response_type
from coach.domain.roleplay.facts import LogFact, pick_facts, specifics_for
from coach.domain.roleplay.meeting import (
    Directive,
    Meeting,
    MeetingState,
    Move,
    Speaker,
    Turn,
    UserLine,
    cited_entries,
    read_user_line,
)
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
from coach.domain.roleplay.role_guard import BRIEF_SPAN, GuardVerdict, RoleBreak, RoleGuard, contradiction
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
    "AUTO", "BRIEF_SPAN", "PATTERNS", "RESPONSE_CHOICES", "STEPS",
    "CheckResult", "Difficulty", "DifficultyParams", "Directive", "GuardVerdict", "JudgeQuestion",
    "JudgeVerdict", "LogFact", "Meeting", "MeetingState", "Move", "Persona", "ResponseType", "RoleBreak",
    "RoleGuard", "ScoreInput", "Scorecard", "Speaker", "Turn", "UserLine", "Verdict",
    "answer_index", "apply_judge", "build_scorecard", "choose_response_type", "cited_entries",
    "contradiction",
    "decision_in", "handling_lines", "infer_response_type",
    "parse_difficulty", "parse_response_type", "pick_facts", "read_user_line", "rule_checks",
    "specifics_for",
]
