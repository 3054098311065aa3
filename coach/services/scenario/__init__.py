"""Role-play scenarios beside the promotion meeting: a promotion offer presented, an interview
at another company. The domain (`coach.domain.scenario`) decides each move and holds the facts;
the model words the counterpart's reply; the scenario guard checks it.

- `start`: open one (`start_scenario`), or play a whole script (`play_scenario`); `load_brief`.
- `session`: the live conversation (`ScenarioSession.say` per line, then `end`).
- `voice`: the counterpart's reply, checked, asked again once, else the prepared line.
"""

from coach.domain.scenario import ALL_SCENARIOS, PROMOTION, SCENARIO_LABELS, SCENARIOS
from coach.services.scenario.session import ScenarioSession
from coach.services.scenario.start import load_brief, play_scenario, start_scenario

__all__ = ["ALL_SCENARIOS", "PROMOTION", "SCENARIOS", "SCENARIO_LABELS", "ScenarioSession", "load_brief",
           "play_scenario", "start_scenario"]
