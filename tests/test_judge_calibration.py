"""Eval-judge calibration: every judged check has outputs it must pass and fail, and a rubric
asks the judge only the checks whose judge was seen to fail its seeded bad output."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coach.cli.main import main
from coach.evals import judge_calibration as cal
from coach.evals.rubric import load_rubrics
from coach.evals.schema import JudgeRaw, PromptInfo, Value

STAMP = dt.datetime(2025, 6, 2, tzinfo=dt.UTC)


def _reply(verdicts: dict[str, str]) -> JudgeRaw:
    raw = json.dumps({k: {"verdict": v, "reason": "r"} for k, v in verdicts.items()})
    info = PromptInfo(name="eval_judge", version="1")
    return JudgeRaw(raw=raw, model="fake", prompt=info, recorded_at=STAMP)


def test_every_check_that_was_ever_judged_has_a_good_and_a_seeded_bad_output():
    items = cal.calibration_items()
    labelled: dict[str, set[Value]] = {}
    for item in items:
        for check, label in item.labels.items():
            labelled.setdefault(check, set()).add(label)
    calibrated = {c for c, labels in labelled.items() if labels == {Value.YES, Value.NO}}
    judged = {c.id for r in load_rubrics().values() for c in r.judged}
    assert judged <= calibrated
    assert len({i.id for i in items}) == len(items)


@pytest.mark.parametrize(("says", "caught"), [("yes", False), ("no", True)])
def test_a_judge_that_says_yes_to_everything_cannot_fail(tmp_path, says, caught):
    path = tmp_path / "replies.jsonl"
    rubrics = load_rubrics()
    replies = {}
    for item in cal.calibration_items():
        checks = [c.id for c in rubrics[item.kind].judged] or list(item.labels)
        verdict = "yes" if item.id.startswith("good-") else says
        replies[item.id] = _reply({c: verdict for c in {*checks, *item.labels}})
    cal.save_replies(replies, path)
    result = cal.calibrate(path)
    assert result is not None and result.checks
    assert all(c.caught_bad is caught for c in result.checks)
    if caught:
        assert result.overall.kappa == pytest.approx(1.0)
    else:
        assert result.overall.kappa == pytest.approx(0.0)


def test_only_checks_whose_judge_failed_a_seeded_bad_output_stay_judged():
    result = cal.calibrate()
    if result is None:
        pytest.skip("no recorded calibration replies")
    for check in result.checks:
        if check.judged:
            assert check.caught_bad, f"{check.rubric}/{check.check} is judged but never failed anything"


def test_replay_reports_the_calibration_per_judged_check(tmp_path, capsys):
    if cal.calibrate() is None:
        pytest.skip("no recorded calibration replies")
    assert main(["--home", str(tmp_path), "eval", "run", "--replay", "--quiet", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    checks = data["judge_calibration"]["checks"]
    assert checks and all({"kappa", "caught_bad", "judged"} <= set(v) for v in checks.values())
    assert main(["--home", str(tmp_path), "eval", "run", "--replay", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "hand-labelled verdicts" in text and "seeded bad" in text
