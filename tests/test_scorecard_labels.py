"""The scorecard against the hand-labelled transcripts, offline (package data + recorded judge)."""

from __future__ import annotations

import json

from coach.cli.main import main
from coach.evals import scorecard_labels as labels


def test_every_part_meets_the_bar():
    report = labels.run()
    assert [p.part for p in report.parts] == ["tuned", "held-out-1", "held-out-2"]
    for part in report.parts:
        assert part.passed, (part.part, part.below, part.overall)
    held_out = [m for m in labels.load_labelled() if m.part != "tuned"]
    assert len(held_out) >= 12 and sum(len(m.labels) for m in held_out) >= 60
    assert {m.response_type for m in held_out} == set(labels.ResponseType)


def test_every_no_on_the_labelled_set_says_why():
    from coach.services.roleplay.scoring import score_input, score_with

    replies = labels.load_replies()
    for m in labels.load_labelled():
        inp = score_input(m.turns, m.profile, m.entries, m.response_type, "realistic", labels.TODAY)
        card = score_with(inp, labels.replayed_judge(replies, m.profile.target_title))
        for check in card.checks:
            if check.verdict.value == "no":
                assert len(check.reason) > 15, (m.id, check.id)


def test_the_command_reports_per_check_agreement(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "eval", "scorecards", "--json", "--gate"]) == 0
    data = json.loads(capsys.readouterr().out)
    tuned = data["parts"][0]
    assert tuned["part"] == "tuned" and {c["check"] for c in tuned["checks"]} >= {"convincing", "handling"}
    assert tuned["overall"]["percent"] >= 0.95


def test_save_needs_live(tmp_path, capsys):
    assert main(["--home", str(tmp_path), "eval", "scorecards", "--save"]) != 0
    assert "--live" in capsys.readouterr().err
