"""The rules-only outputs of issue 21 (stakeholder plan, offer checklist, options verdict, move
kit, the plan agreed after a no) in the evals: their recordings are what the services produce
today, with no model, and their edge cases (nobody listed, nothing logged, no offer figures,
signs to look outside, an empty log, a manager who names nothing concrete) are in the dataset
and scored."""

from __future__ import annotations

import json

import pytest

from coach.evals.dataset import load_samples
from coach.evals.generate import RULES_MODEL, Generator
from coach.evals.recording import RECORDED_DIR, load_recordings
from coach.evals.rubric import load_rubrics
from coach.evals.runner import score_case
from coach.evals.schema import OutputKind, Value

RULE_SAMPLES = [s for s in load_samples() if s.kind.is_deterministic]


@pytest.fixture(scope="module")
def recorded():
    return load_recordings(RECORDED_DIR)


@pytest.fixture
def generator(no_model):
    gen = Generator(no_model)
    yield gen
    gen.close()


@pytest.mark.parametrize("sample", RULE_SAMPLES, ids=[s.id for s in RULE_SAMPLES])
def test_recording_is_what_the_service_gives_today(sample, recorded, generator):
    """A rule changed since the recording fails here: re-record with
    `coach eval run --live --no-judge --kind <kind> --save-recording` (no model is called)."""
    fresh = generator.generate(sample)
    saved = recorded[sample.id]
    assert saved.model == fresh.model == RULES_MODEL and not fresh.prompts
    assert saved.output.text == fresh.output.text
    assert saved.output.data == fresh.output.data


def test_every_rules_kind_has_five_cases_and_the_edge_cases():
    ids = {s.id for s in RULE_SAMPLES}
    for kind in OutputKind:
        if kind.is_deterministic:
            assert sum(1 for s in RULE_SAMPLES if s.kind == kind) >= 5, kind
    edge = {"stakeholders-nadia-nobody", "stakeholders-leo-never-spoke", "offer-check-tomas-title-only",
            "offer-check-ines-late-paperwork", "options-leo-look-outside", "kit-ines-empty-log"}
    assert edge <= ids


def test_edge_cases_score_as_expected(recorded):
    rubrics = load_rubrics()
    by_id = {s.id: s for s in RULE_SAMPLES}

    def scores(case_id: str) -> dict[str, Value]:
        sample = by_id[case_id]
        result = score_case(sample, recorded[case_id], rubrics[sample.kind])
        return {r.check: r.score.value for r in result.results}

    # nobody listed: no actions to order or check, the one gap is named
    nobody = scores("stakeholders-nadia-nobody")
    assert nobody["gaps-true"] == Value.YES and nobody["one-action-each"] == Value.NA
    # a title and nothing else: every item open, and no figure in the checklist
    bare = recorded["offer-check-tomas-title-only"].output
    assert bare.data["open"] == ["salary", "scope", "benefits", "start", "in-writing"]
    assert scores("offer-check-tomas-title-only")["no-invented-numbers"] == Value.YES
    # several signs and the internal route tried: look outside
    assert recorded["options-leo-look-outside"].output.data["verdict"] == "look-outside"
    assert scores("options-leo-look-outside")["expected-verdict"] == Value.YES
    # an empty log: the kit claims nothing and says so
    assert scores("kit-ines-empty-log")["says-what-is-missing"] == Value.YES


def test_agreed_plan_cases_read_what_was_said(recorded):
    """The plan agreed after a no: gaps given in answer to "what would you need to see?" are read
    and matched; typed gaps claim no line of the manager's; a gap that names an expectation gets
    it and one that names none clearly keeps the manager's words."""
    rubrics = load_rubrics()
    by_id = {s.id: s for s in RULE_SAMPLES}

    def scores(case_id: str) -> dict[str, Value]:
        result = score_case(by_id[case_id], recorded[case_id], rubrics[OutputKind.AGREED_PLAN])
        return {r.check: r.score.value for r in result.results}

    asked = recorded["agreed-plan-tomas-asked"].output.data
    assert [i["criterion"] for i in asked["items"]] == ["managing-people", "managing-people"]
    assert set(scores("agreed-plan-tomas-asked").values()) == {Value.YES}
    typed = recorded["agreed-plan-ines-typed"].output.data
    assert not typed["read"] and all(not i["said"] for i in typed["items"])
    assert set(scores("agreed-plan-ines-typed").values()) == {Value.YES}
    budget = recorded["agreed-plan-nadia-budget"].output.data["items"]
    assert [i["criterion"] for i in budget] == ["budget-ownership", ""]
    assert all(not i["criterion"] for i in recorded["agreed-plan-sam-unclear"].output.data["items"])
    assert set(scores("agreed-plan-sam-unclear").values()) == {Value.YES}


# What the first replays found wrong in the agreed plan (coach/domain/agreed_plan.py), fixed
# since: each case must keep passing its check.
AGREED_PLAN_FINDINGS = [
    ("agreed-plan-leo-nothing-concrete", "gaps-concrete"),  # "Not really" etc. become items
    ("agreed-plan-nadia-budget", "gaps-concrete"),  # "Is you owning the budget ..."
    ("agreed-plan-maya-three-phrasings", "criterion-shares-words"),  # "lead" in "leadership"
]


@pytest.mark.parametrize(("case_id", "check_id"), AGREED_PLAN_FINDINGS)
def test_agreed_plan_findings_stay_fixed(case_id, check_id, recorded):
    sample = next(s for s in RULE_SAMPLES if s.id == case_id)
    result = score_case(sample, recorded[case_id], load_rubrics()[OutputKind.AGREED_PLAN])
    assert {r.check: r.score.value for r in result.results}[check_id] == Value.YES


@pytest.mark.parametrize("kind", sorted(k for k in OutputKind if k.is_deterministic), ids=str)
def test_one_misleading_rule_output_fails_the_gate(kind, recorded, no_model, tmp_path):
    """The gate holds the rules-only kinds to their thresholds: a single case that states a
    figure the user never entered is enough to fail it."""
    from coach.evals import runner
    from coach.evals.gate import check_gate, load_thresholds
    from coach.evals.recording import save_recordings

    case = next(s for s in RULE_SAMPLES if s.kind == kind)
    bad = recorded[case.id].model_copy(deep=True)
    bad.output.text += "\nMost people in your position get a 37% raise."
    save_recordings([*recorded.values()], tmp_path)
    save_recordings([bad], tmp_path)
    record = runner.replay(no_model.settings, runner.RunOptions(recorded_dir=tmp_path, progress=False,
                                                                kinds={kind}))
    thresholds = load_thresholds().model_copy(update={"min_cases": 0})
    thresholds.rubrics = {kind.value: thresholds.rubrics[kind.value]}
    gate = check_gate(record, thresholds)
    assert not gate.passed and kind.value in gate.text()


def test_cli_gate_with_kind_holds_only_those_rubrics(no_model, capsys, monkeypatch):
    from coach.cli.main import main
    from coach.services.context import Context

    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: no_model))
    code = main(["--json", "eval", "run", "--replay", "--gate", "--kind", "kit", "--kind", "stakeholders",
                 "--quiet"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["gate"]["passed"], data["gate"]
    assert set(data["rubrics"]) == {"kit", "stakeholders"}
