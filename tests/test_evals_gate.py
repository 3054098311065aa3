"""The CI gate: replay the committed recordings (no model at all) and hold every rubric to its
threshold in evals/thresholds.yaml. Fails on a regression; runs in the normal test command."""

from __future__ import annotations

import time

from coach.evals import runner
from coach.evals.dataset import load_samples
from coach.evals.gate import check_gate, load_thresholds
from coach.evals.generate import RULES_MODEL
from coach.evals.recording import RECORDED_DIR, load_recordings
from coach.evals.rubric import load_rubrics
from coach.evals.schema import OutputKind

BUDGET_S = 60.0


def test_every_case_has_a_complete_recording():
    samples = load_samples()
    recorded = load_recordings(RECORDED_DIR)
    rubrics = load_rubrics()
    missing = [s.id for s in samples if s.id not in recorded]
    assert not missing, f"no recording for {missing}: run `coach eval run --live --resume --save-recording`"
    for sample in samples:
        rec = recorded[sample.id]
        # An output made without the model (rules only, or a role-play that ended on prepared
        # lines) uses no prompt and names the rules instead of a model.
        assert rec.model and (rec.prompts or rec.model == RULES_MODEL) and rec.recorded_at, sample.id
        assert all(p.name and p.version for p in rec.prompts)
        judged = {c.id for c in rubrics[sample.kind].judged}
        assert judged <= set(rec.judge), f"{sample.id}: judge replies missing for {judged - set(rec.judge)}"
        assert all(rec.judge[c].raw.strip() for c in judged), f"{sample.id}: a judge call failed"


def test_recorded_suite_meets_the_thresholds_offline_and_fast(no_model):
    started = time.perf_counter()
    record = runner.replay(no_model.settings, runner.RunOptions(progress=False))
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_S, f"replay took {elapsed:.1f} s"
    assert record.summary.cases >= 40
    assert {r.kind for r in record.summary.rubrics} == set(OutputKind)
    gate = check_gate(record, load_thresholds())
    assert gate.passed, gate.text()
    assert record.summary.agreement is not None and record.summary.agreement.n > 0
