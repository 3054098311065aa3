"""Role-play scenarios beside the promotion meeting, pure (stdlib and pydantic only).

- `brief`: the scenarios (`SCENARIOS`: offer, interview), the brief a scenario file holds.
- `topics`: the words the plans and the scorecards read a line by.
- `common`: the directive a turn hands the service, the counters, the prepared lines as said.
- `offer_plan`: a manager or HR partner presents the promotion package (`OfferPlan`).
- `interview_plan`: an interviewer at another company (`InterviewPlan`).
- `guard`: every counterpart reply checked before the user sees it (`ScenarioGuard`).
- `scorecard`: the checks each scenario is scored by (`score_offer`, `score_interview`).

The domain decides each move and holds the facts; the model only words the reply.
"""

from coach.domain.scenario.brief import (
    ALL_SCENARIOS,
    PROMOTION,
    SCENARIO_LABELS,
    SCENARIOS,
    Counterpart,
    Scenario,
    ScenarioBrief,
    parse_scenario,
)
from coach.domain.scenario.common import CLOSE, OFF_SCRIPT, REDIRECT, ScenarioDirective, ScenarioState
from coach.domain.scenario.guard import ScenarioGuard, fixes, plain_reasons
from coach.domain.scenario.interview_plan import STAGES, InterviewPlan
from coach.domain.scenario.offer_plan import OfferPlan, offer_figures, salary_pattern
from coach.domain.scenario.scorecard import (
    INTERVIEW_STEPS,
    OFFER_STEPS,
    SCENARIO_STEPS,
    score_interview,
    score_offer,
)

ScenarioPlan = OfferPlan | InterviewPlan

__all__ = [
    "ALL_SCENARIOS", "CLOSE", "INTERVIEW_STEPS", "OFFER_STEPS", "OFF_SCRIPT", "PROMOTION", "REDIRECT",
    "SCENARIOS", "SCENARIO_LABELS", "SCENARIO_STEPS", "STAGES",
    "Counterpart", "InterviewPlan", "OfferPlan", "Scenario", "ScenarioBrief", "ScenarioDirective",
    "ScenarioGuard", "ScenarioPlan", "ScenarioState",
    "fixes", "offer_figures", "parse_scenario", "plain_reasons", "salary_pattern", "score_interview",
    "score_offer",
]
