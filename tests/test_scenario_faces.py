"""The scenario role-plays' faces, offline: the shipped scripts (a strong and a weak one per
scenario and difficulty) score apart on the rule scorecard whatever the counterpart says, and the
documented API opens, plays and scores a scenario."""

from __future__ import annotations

import pytest

from coach.assets import scripts_dir
from coach.llm.local import free_port
from coach.services.scenario import play_scenario
from coach.testing import FakeCoachModel
from coach.ui.app import start
from tests.scenario_cases import (
    DIFFICULTIES,
    MARGIN,
    SCENARIOS,
    SEED,
    TODAY,
    VARIANTS,
    entered_figures,
    out_of_role,
    script_lines,
    seed_person,
)


def test_every_scenario_difficulty_and_variant_has_a_script():
    names = {p.name for p in scripts_dir().glob("*.txt")}
    wanted = {f"{s}-{d}-{v}.txt" for s in SCENARIOS for d in DIFFICULTIES for v in VARIANTS}
    assert wanted <= names, sorted(wanted - names)


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_strong_script_scores_clearly_above_the_weak_one(ctx, scenario, difficulty):
    """The fake model's replies break role, so every counterpart line is a prepared one: the
    scripts and the scorecard alone decide the gap (the recorded test adds the real model)."""
    ctx.llm_override = FakeCoachModel()
    seed_person(ctx)
    scores = {}
    for variant in VARIANTS:
        lines = script_lines(scenario, difficulty, variant)
        result = play_scenario(ctx, scenario, lines, difficulty=difficulty, seed=SEED, today=TODAY)
        shown = [t.text for t in result.transcript if t.speaker != "you"]
        allowed = entered_figures(ctx, lines)
        for i, text in enumerate(shown):
            assert not out_of_role(text, shown[:i], ctx, result.counterpart, allowed), text
        scores[variant] = result.scorecard.score
    assert scores["strong"] == 1.0, scores  # the strong scripts do every check
    assert scores["strong"] - scores["weak"] >= MARGIN, scores


def test_the_api_plays_a_scenario(coach_home):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from coach.services.context import Context

    seed_person(Context.open(coach_home))
    server = start(base_home=coach_home, port=free_port(), llm=FakeCoachModel(), warm_index=False)
    try:
        client = Client(server.url, verbose=False)
        started = client.predict(scenario="offer", difficulty="tough", api_name="/roleplay_start")
        assert started["scenario"] == "offer" and started["counterpart"] in {"manager", "HR partner"}
        assert "Engineering Manager" in started["opening"]
        final = client.submit(session_id=started["session_id"], line="Thank you, could we go over the pay?",
                              api_name="/roleplay_turn").result()
        assert final["done"] and final["text"]
        result = client.predict(session_id=started["session_id"], api_name="/roleplay_end")
        assert result["scenario"] == "offer"
        assert {c["id"] for c in result["scorecard"]["checks"]} >= {"thanks", "pay", "in-writing"}
        with pytest.raises(AppError, match="only for the promotion meeting"):
            client.predict(scenario="interview", response="yes", api_name="/roleplay_start")
        with pytest.raises(AppError, match="Unknown scenario"):
            client.predict(scenario="lunch", api_name="/roleplay_start")
    finally:
        server.close()
