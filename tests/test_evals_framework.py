"""The eval framework: datasets, rubrics, judge parsing, agreement, replay without a model,
live generation through the services, re-scoring, comparing, reports, the gate and the CLI."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from coach.domain.errors import CoachError
from coach.evals import judge as judging
from coach.evals import runner
from coach.evals.dataset import load_samples
from coach.evals.examples import GOOD_CASES, recordings
from coach.evals.gate import Thresholds, check_gate
from coach.evals.recording import load_recordings, save_recordings
from coach.evals.results import Agreement
from coach.evals.rubric import load_rubrics
from coach.evals.schema import JudgeRaw, OutputKind, PromptInfo, Value
from coach.llm.base import StructuredFailure
from coach.services.context import Context
from coach.testing import NoModelLLM, ScriptedLLM

GOOD_IDS = set(GOOD_CASES.values())
# An empty log is an edge case the move kit and the interview must handle; every other case has one.
EMPTY_LOG_CASES = {"kit-ines-empty-log", "interview-roleplay-ines-empty-log"}
# The kinds of the first eval suite (issue 12): five cases or more each.
FIRST_KINDS = {OutputKind.PROPOSAL, OutputKind.MEETING_REQUEST, OutputKind.FOLLOW_UP, OutputKind.DECLINE,
               OutputKind.THANK_YOU, OutputKind.SCRIPT, OutputKind.CHAT, OutputKind.ROLEPLAY}


@pytest.fixture
def recorded(tmp_path):
    """A recordings folder holding the hand-written good examples (one per kind)."""
    folder = tmp_path / "recorded"
    save_recordings(recordings(), folder)
    return folder


def _options(folder, **kw) -> runner.RunOptions:
    return runner.RunOptions(ids=GOOD_IDS, recorded_dir=folder, progress=False, **kw)


# -- data ------------------------------------------------------------------------------------
def test_dataset_has_40_cases_across_every_output_kind():
    samples = load_samples()
    kinds = Counter(s.kind for s in samples)
    assert len(samples) >= 40
    assert set(kinds) == set(OutputKind)
    # Model-written kinds added later keep their recordings small (the embedded model is slow).
    assert min(n for kind, n in kinds.items() if kind in FIRST_KINDS or kind.is_deterministic) >= 5
    assert min(kinds.values()) >= 2


def test_every_case_has_profile_log_task_and_roleplay_scripts():
    for sample in load_samples():
        assert sample.input.profile.target_title
        assert sample.input.entries or sample.id in EMPTY_LOG_CASES
        if sample.kind == OutputKind.ROLEPLAY:
            assert sample.input.task.response_type and len(sample.input.task.user_turns) >= 4
        if sample.kind == OutputKind.CHAT:
            assert sample.input.task.question and sample.target.sources


def test_one_rubric_per_output_kind_with_judge_checks():
    rubrics = load_rubrics()
    assert set(rubrics) == set(OutputKind)
    # The judge keeps only the checks it was seen to fail (tests/test_judge_calibration.py).
    assert any(r.judged for r in rubrics.values())


def test_a_case_naming_an_unknown_person_is_a_clear_error(tmp_path):
    (tmp_path / "people.yaml").write_text("ann:\n  profile: {}\n")
    (tmp_path / "cases.yaml").write_text("- id: x-case\n  person: bob\n  task: {kind: proposal}\n")
    with pytest.raises(CoachError, match="unknown person 'bob'"):
        load_samples(tmp_path)


def test_a_bad_recording_line_names_file_and_line(tmp_path):
    (tmp_path / "decline.jsonl").write_text('{"case_id": "a"}\n')
    with pytest.raises(CoachError, match=r"decline.jsonl line 1"):
        load_recordings(tmp_path)


def test_saving_recordings_merges_by_case_id(tmp_path):
    first = recordings()
    save_recordings(first, tmp_path)
    changed = first[0].model_copy(update={"model": "newer"})
    save_recordings([changed], tmp_path)
    loaded = load_recordings(tmp_path)
    assert len(loaded) == len(first)
    assert loaded[changed.case_id].model == "newer"


# -- the judge -------------------------------------------------------------------------------
def _raw(text: str, error: str = "") -> JudgeRaw:
    import datetime as dt

    return JudgeRaw(raw=text, model="m", prompt=PromptInfo(name="eval_judge", version="1"),
                    recorded_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), error=error)


@pytest.mark.parametrize(("raw", "value"), [
    ('{"gratitude": {"verdict": "yes", "reason": "thanks the manager"}}', Value.YES),
    ('{"gratitude": {"verdict": "No", "reason": "no thanks"}, "other": {"verdict": "yes"}}', Value.NO),
    ('{"gratitude": {"verdict": "not applicable", "reason": ""}}', Value.NA),
    ('{"verdict": "yes", "reason": "a bare single verdict"}', Value.YES),
    ('Sure! ```json\n{"gratitude": {"verdict": "yes", "reason": "ok"}}\n```', Value.YES),
    ('{"gratitude": {"verdict": "maybe", "reason": "unsure"}}', Value.UNSCORED),
    ('{"alternative": {"verdict": "yes"}}', Value.UNSCORED),
    ("I think the email is fine.", Value.UNSCORED),
    ("", Value.UNSCORED),
])
def test_judge_replies_parse_or_are_unscored(raw, value):
    score = judging.parse_verdict(_raw(raw, error="timeout" if not raw else ""), "gratitude")
    assert score.value == value
    if value == Value.UNSCORED:
        assert score.explanation  # the reason, never a silent 'no'


def test_missing_judge_reply_is_unscored():
    assert judging.parse_verdict(None, "gratitude").value == Value.UNSCORED


def test_asking_the_judge_keeps_the_raw_reply():
    samples = {s.id: s for s in load_samples()}
    sample = samples["decline-maya-relocation"]
    rubric = load_rubrics()[OutputKind.DECLINE]
    ids = [c.id for c in rubric.judged]
    output = recordings()[3].output
    sheet = json.dumps({i: {"verdict": "yes", "reason": "fine"} for i in ids})
    llm = ScriptedLLM([sheet])
    replies = judging.ask(llm, sample, output, rubric)
    assert set(replies) == set(ids) and len(llm.history) == 1  # one call for the whole rubric
    assert all(judging.parse_verdict(replies[i], i).value == Value.YES for i in ids)
    assert llm.history[0].prompt.name == "eval_judge"
    user = llm.history[0].messages[1]["content"]
    assert "Thank you for offering me" in user and all(f"- {i}:" in user for i in ids)

    garbled = judging.ask(ScriptedLLM(["no idea", "still no idea"]), sample, output, rubric)
    assert garbled[ids[0]].raw == "still no idea" and garbled[ids[0]].error
    assert judging.parse_verdict(garbled[ids[0]], ids[0]).value == Value.UNSCORED

    failing = judging.ask(ScriptedLLM([RuntimeError("server gone")]), sample, output, rubric)
    assert failing[ids[0]].raw == "" and "server gone" in failing[ids[0]].error


def test_structured_failure_type_is_what_the_gateway_returns():
    # ask() relies on the LLM protocol's typed failure carrying the raw reply.
    assert StructuredFailure(error="e", raw="r").raw == "r"


def test_agreement_and_kappa():
    a = Agreement(check="x")
    for det, jud in [("yes", "yes")] * 6 + [("no", "no")] * 2 + [("yes", "no")] + [("no", "yes")]:
        a.add("c", Value(det), Value(jud))
    assert a.n == 10 and a.percent == pytest.approx(0.8)
    # observed 0.8; chance = 0.7*0.7 + 0.3*0.3 = 0.58; kappa = 0.22 / 0.42
    assert a.kappa == pytest.approx(0.22 / 0.42)
    same = Agreement(check="y")
    same.add("c", Value.YES, Value.YES)
    assert same.kappa is None and same.percent == 1.0


# -- replay, rescore, compare ----------------------------------------------------------------
def test_replay_scores_recordings_without_any_model_call(no_model, recorded):
    record = runner.replay(no_model.settings, _options(recorded))
    assert record.summary.cases == len(GOOD_IDS) and not record.summary.missing
    rates = record.headline()["rubrics"]
    assert set(rates) == {k.value for k in OutputKind}
    assert all(rate == 1.0 for rate in rates.values()), rates
    folder = runner.runs_dir(no_model.settings) / record.id
    for name in ("run.json", "report.md", "report.html", "report.json"):
        assert (folder / name).is_file()
    stored = json.loads((folder / "run.json").read_text())
    assert stored["results"][0]["recording"]["prompts"]


def test_replay_counts_unparseable_judge_replies_as_unscored(no_model, tmp_path):
    recs = recordings()
    for rec in recs:
        for check_id in rec.judge:
            rec.judge[check_id] = rec.judge[check_id].model_copy(update={"raw": "looks fine to me"})
    save_recordings(recs, tmp_path)
    record = runner.replay(no_model.settings, _options(tmp_path))
    judged = [c for r in record.summary.rubrics for c in r.checks if c.source == "judge"]
    assert judged and all(c.unscored and not c.no for c in judged)
    assert record.summary.agreement.n == 0


def test_a_case_without_recording_is_reported_missing(no_model, tmp_path):
    save_recordings(recordings()[1:], tmp_path)
    record = runner.replay(no_model.settings, _options(tmp_path))
    assert record.summary.missing == [GOOD_CASES[OutputKind.PROPOSAL]]


def test_rescore_and_compare_make_no_model_call(no_model, recorded):
    first = runner.replay(no_model.settings, _options(recorded))
    again = runner.rescore(no_model.settings, first.id)
    assert again.mode == "rescore" and again.source_run == first.id
    assert again.summary.pass_rates() == first.summary.pass_rates()
    from coach.evals.compare import compare

    comparison = compare(first, again)
    assert all(d.delta == 0 for d in comparison.rubrics)
    assert "no check moved" in comparison.text()


def test_judge_disagreement_is_measured(no_model, tmp_path):
    save_recordings(recordings(judge_yes=False), tmp_path)
    record = runner.replay(no_model.settings, _options(tmp_path))
    agreement = record.summary.agreement
    assert agreement.n > 0 and agreement.percent == 0.0
    report = runner.runs_dir(no_model.settings) / record.id / "report.html"
    assert "Judge vs deterministic" in report.read_text()


# -- live, through the services --------------------------------------------------------------
def test_live_generates_through_the_services_then_replays_identically(coach_home, tmp_path):
    verdict = '{"verdict": "yes", "reason": "fine"}'  # read as the answer to every judged check
    ctx = Context.open(coach_home, llm=ScriptedLLM(default=verdict))
    ids = {"proposal-maya", "decline-maya-relocation", "script-maya", "roleplay-yes-maya"}
    options = runner.RunOptions(ids=ids, recorded_dir=tmp_path, save_recording=True, progress=False)
    live = runner.live(ctx, options)
    assert not live.summary.missing, [r.error for r in live.results]
    prompts = {p.name for r in live.results for p in r.recording.prompts}
    assert {"proposal", "email", "script", "manager"} <= prompts
    saved = load_recordings(tmp_path)
    assert set(saved) == ids
    rubrics = load_rubrics()
    assert all(bool(rec.judge) == bool(rubrics[rec.kind].judged) for rec in saved.values())
    assert saved["decline-maya-relocation"].output.data["body"]
    assert saved["roleplay-yes-maya"].output.transcript

    quiet = Context.open(coach_home, llm=NoModelLLM())
    quiet.judge_override = NoModelLLM()
    options = runner.RunOptions(ids=ids, recorded_dir=tmp_path, progress=False)
    replayed = runner.replay(quiet.settings, options)
    assert replayed.summary.pass_rates() == live.summary.pass_rates()


# -- gate, reports, CLI ----------------------------------------------------------------------
def test_gate_fails_below_threshold(no_model, recorded):
    record = runner.replay(no_model.settings, _options(recorded))
    ok = check_gate(record, Thresholds(min_cases=8, rubrics={"proposal": 0.9}))
    assert ok.passed
    bad = check_gate(record, Thresholds(min_cases=40, rubrics={"proposal": 1.01, "nope": 0.5}))
    assert not bad.passed
    text = " ".join(bad.failures)
    assert f"only {len(GOOD_IDS)} cases" in text and "proposal" in text and "nope" in text


def test_html_report_is_self_contained(no_model, recorded):
    record = runner.replay(no_model.settings, _options(recorded))
    html = (runner.runs_dir(no_model.settings) / record.id / "report.html").read_text()
    assert "<svg" in html and "<style>" in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html


def _cli(capsys, *argv):
    from coach.cli.main import main

    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_run_list_score_compare(no_model, recorded, capsys, monkeypatch):
    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: no_model))
    cases = [arg for i in sorted(GOOD_IDS) for arg in ("--case", i)]
    code, out, err = _cli(capsys, "eval", "run", "--replay", "--recorded", str(recorded), *cases, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["cases"] == len(GOOD_IDS) and data["rubrics"]["decline"] == 1.0
    assert data["report"]["html"].endswith("report.html")

    code, out, _ = _cli(capsys, "eval", "run", "--recorded", str(recorded), *cases, "--quiet")
    assert code == 0 and "judge agrees" in out

    code, out, _ = _cli(capsys, "eval", "list", "--json")
    runs = json.loads(out)
    assert len(runs) == 2

    code, out, _ = _cli(capsys, "eval", "score", data["run"], "--json")
    assert code == 0 and json.loads(out)["mode"] == "rescore"

    code, out, _ = _cli(capsys, "eval", "compare", runs[0]["id"], runs[1]["id"], "--json")
    assert code == 0 and json.loads(out)["rubrics"]["proposal"]["delta"] == 0

    code, out, _ = _cli(capsys, "eval", "report", data["run"])
    assert code == 0 and "# Eval report" in out


def test_cli_gate_exit_code_and_errors(no_model, recorded, capsys, monkeypatch):
    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: no_model))
    code, out, _ = _cli(capsys, "eval", "run", "--recorded", str(recorded), "--case", "proposal-maya",
                        "--gate", "--quiet")
    assert code == 1 and "gate: FAILED" in out
    code, _, err = _cli(capsys, "eval", "run", "--save-recording")
    assert code == 1 and "only apply to --live" in err
    code, _, err = _cli(capsys, "eval", "compare", "nope", "nada")
    assert code == 1 and "no eval run" in err
    code, _, err = _cli(capsys, "eval", "run", "--case", "no-such-case", "--quiet")
    assert code == 1 and "no-such-case" in err


def test_progress_bar_goes_to_stderr(no_model, recorded, capsys):
    runner.replay(no_model.settings, runner.RunOptions(ids=GOOD_IDS, recorded_dir=recorded, progress=True))
    captured = capsys.readouterr()
    assert "replay" in captured.err and f"{len(GOOD_IDS)}/{len(GOOD_IDS)}" in captured.err
    assert captured.out == ""


def test_resume_reuses_recordings_and_only_re_asks_a_failed_judge(coach_home, tmp_path):
    recs = recordings()
    decline = next(r for r in recs if r.kind == OutputKind.DECLINE)
    for check_id in decline.judge:
        decline.judge[check_id] = decline.judge[check_id].model_copy(update={"raw": "", "error": "timeout"})
    save_recordings(recs, tmp_path)
    rubric = load_rubrics()[OutputKind.DECLINE]
    sheet = json.dumps({c.id: {"verdict": "yes", "reason": "re-asked"} for c in rubric.judged})
    llm = ScriptedLLM([sheet])  # exactly one call allowed: the decline's judge
    ctx = Context.open(coach_home, llm=llm)
    record = runner.live(ctx, runner.RunOptions(ids=GOOD_IDS, recorded_dir=tmp_path, resume=True,
                                                save_recording=True, progress=False))
    assert [c.kind for c in llm.history] == ["structured"]
    assert not record.summary.missing
    saved = load_recordings(tmp_path)[decline.case_id]
    assert all("re-asked" in reply.raw for reply in saved.judge.values())
