"""Run the suite: replay recorded responses (no model at all), generate live through the
app's own services, or re-score a stored run. Every run is stored in the data home with
its outputs, model and prompt versions, scores and reports."""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ValidationError
from tqdm import tqdm

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.evals import judge as judging
from coach.evals.dataset import DATASETS_DIR, load_samples
from coach.evals.recording import RECORDED_DIR, load_recordings, save_recordings
from coach.evals.results import CaseResult, CheckResult, RunRecord, summarise
from coach.evals.rubric import RUBRICS_DIR, Rubric, load_rubrics
from coach.evals.schema import OutputKind, Recording, Sample
from coach.evals.scorers import build, safe

if TYPE_CHECKING:
    from coach.services.context import Context


@dataclass
class RunOptions:
    """What to run and where the data lives (defaults: the repository's evals/ folder)."""

    kinds: set[OutputKind] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    judge: bool = True
    save_recording: bool = False
    resume: bool = False  # live: reuse complete recordings; fill in only what is missing
    progress: bool = True
    datasets_dir: Path = DATASETS_DIR
    recorded_dir: Path = RECORDED_DIR
    rubrics_dir: Path = RUBRICS_DIR


def score_case(sample: Sample, recording: Recording | None, rubric: Rubric) -> CaseResult:
    """Deterministic checks first, then the judge's recorded replies re-parsed. No model call."""
    if recording is None:
        return CaseResult(sample=sample, error="no recorded response for this case")
    results: list[CheckResult] = []
    for check in rubric.checks:
        if check.check:
            score = safe(build(check.check, check.params), sample, recording.output)
            results.append(CheckResult(check=check.id, source="deterministic", score=score))
    for check in rubric.judged:
        results.append(CheckResult(check=check.id, source="judge",
                                   score=judging.parse_verdict(recording.judge.get(check.id), check.id)))
    return CaseResult(sample=sample, recording=recording, results=results)


def _bar(items: list, desc: str, progress: bool) -> tqdm:
    return tqdm(items, desc=desc, unit="case", file=sys.stderr, disable=not progress,
                dynamic_ncols=True, leave=True)


def _record(mode: Literal["replay", "live", "rescore"], results: list[CaseResult],
            rubrics: dict[OutputKind, Rubric], started: float, *, judge_enabled: bool = True,
            source_run: str | None = None, run_id: str | None = None) -> RunRecord:
    recordings = [r.recording for r in results if r.recording is not None]
    prompts: dict[str, set[str]] = {}
    judge_models: set[str] = set()
    for rec in recordings:
        for info in rec.prompts:
            prompts.setdefault(info.name, set()).add(info.version)
        for reply in rec.judge.values():
            prompts.setdefault(reply.prompt.name, set()).add(reply.prompt.version)
            judge_models.add(reply.model)
    return RunRecord(
        id=run_id or "", mode=mode, created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        duration_s=time.perf_counter() - started, source_run=source_run,
        models=sorted({r.model for r in recordings}), judge_models=sorted(judge_models),
        prompts={name: ",".join(sorted(v)) for name, v in sorted(prompts.items())},
        rubric_versions={r.name: r.version for r in rubrics.values()}, judge_enabled=judge_enabled,
        results=results, summary=summarise(results, rubrics),
    )


def replay(settings: Settings, options: RunOptions | None = None) -> RunRecord:
    """Score the committed recordings. Touches no model: not the generator, not the judge."""
    options = options or RunOptions()
    started = time.perf_counter()
    rubrics = load_rubrics(options.rubrics_dir)
    samples = _with_rubric(load_samples(options.datasets_dir, kinds=options.kinds or None,
                                        ids=options.ids or None), rubrics)
    if not options.recorded_dir.is_dir():
        raise CoachError(f"no recordings folder at {options.recorded_dir}",
                         hint="Record one with `coach eval run --live --save-recording`.")
    recordings = load_recordings(options.recorded_dir)
    results = [score_case(s, recordings.get(s.id), rubrics[s.kind])
               for s in _bar(samples, "replay", options.progress)]
    record = _record("replay", results, rubrics, started)
    save_run(settings, record)
    return record


def live(ctx: Context, options: RunOptions | None = None) -> RunRecord:
    """Generate every case with the configured model through the app's services, ask the judge,
    score, and optionally save the responses as the new recordings."""
    from coach.evals.generate import Generator  # imports the services (and the model stack)

    options = options or RunOptions()
    started = time.perf_counter()
    rubrics = load_rubrics(options.rubrics_dir)
    samples = _with_rubric(load_samples(options.datasets_dir, kinds=options.kinds or None,
                                        ids=options.ids or None), rubrics)
    generator = Generator(ctx)
    results: list[CaseResult] = []
    order = [s.id for s in samples]
    bar = _bar(_round_robin(samples), "live", options.progress)
    existing = load_recordings(options.recorded_dir) if options.resume else {}
    try:
        for sample in bar:
            bar.set_postfix_str(sample.id)
            rubric = rubrics[sample.kind]
            recording = existing.get(sample.id)
            if recording is None:
                try:
                    recording = generator.generate(sample)
                except Exception as exc:  # one broken case must not sink a long run
                    error = f"generation failed: {type(exc).__name__}: {exc}"
                    bar.write(f"{sample.id}: {error}", file=sys.stderr)
                    results.append(CaseResult(sample=sample, error=error))
                    continue
            elif options.judge and not _needs_judge(recording, rubric):
                results.append(score_case(sample, recording, rubric))
                continue
            if options.judge:
                recording.judge.update(judging.ask(generator.judge, sample, recording.output, rubric))
            results.append(score_case(sample, recording, rubrics[sample.kind]))
            if options.save_recording:  # save as we go: a long run stopped at 90% keeps 90%
                save_recordings([recording], options.recorded_dir, order=order)
    finally:
        generator.close()
    results.sort(key=lambda r: order.index(r.case_id))
    record = _record("live", results, rubrics, started, judge_enabled=options.judge)
    save_run(ctx.settings, record)
    return record


def _needs_judge(recording: Recording, rubric: Rubric) -> bool:
    """True when a judged check has no reply, or a reply the judge never finished."""
    return any(not (reply := recording.judge.get(c.id)) or not reply.raw.strip() for c in rubric.judged)


def _round_robin(samples: list[Sample]) -> list[Sample]:
    """One case of each kind in turn, so a run stopped early has touched every kind."""
    by_kind: dict[OutputKind, list[Sample]] = {}
    for sample in samples:
        by_kind.setdefault(sample.kind, []).append(sample)
    queues = list(by_kind.values())
    out: list[Sample] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def rescore(settings: Settings, run_id: str, rubrics_dir: Path = RUBRICS_DIR) -> RunRecord:
    """Score a stored run's outputs again with today's rubrics and scorers. No model call."""
    source = load_run(settings, run_id)
    started = time.perf_counter()
    rubrics = load_rubrics(rubrics_dir)
    results = [score_case(r.sample, r.recording, rubrics[r.kind]) if r.kind in rubrics
               else r for r in source.results]
    for old, new in zip(source.results, results, strict=True):
        if old.recording is None and old.error:
            new.error = old.error
    record = _record("rescore", results, rubrics, started, judge_enabled=source.judge_enabled,
                     source_run=source.id)
    save_run(settings, record)
    return record


def _with_rubric(samples: list[Sample], rubrics: dict[OutputKind, Rubric]) -> list[Sample]:
    missing = sorted({s.kind.value for s in samples} - {k.value for k in rubrics})
    if missing:
        raise CoachError(f"no rubric for {', '.join(missing)}", hint="Add evals/rubrics/<kind>.yaml.")
    if not samples:
        raise CoachError("no cases match", hint="Check --kind and --case; `coach eval cases` lists them.")
    return samples


# -- storage -------------------------------------------------------------------------------
def runs_dir(settings: Settings) -> Path:
    return settings.home / "evals" / "runs"


def _new_id(settings: Settings, mode: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{stamp}-{mode}"
    candidate, n = base, 1
    while (runs_dir(settings) / candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def save_run(settings: Settings, record: RunRecord) -> Path:
    """Write run.json and the reports into `<home>/evals/runs/<id>/`; returns the folder."""
    from coach.evals.report import write_reports

    if not record.id:
        record.id = _new_id(settings, record.mode)
    folder = runs_dir(settings) / record.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "run.json").write_text(record.model_dump_json(indent=1), encoding="utf-8")
    write_reports(record, folder)
    return folder


def resolve_run(settings: Settings, run_id: str) -> Path:
    """A run folder from its id, a unique prefix, or 'latest'."""
    root = runs_dir(settings)
    folders = sorted(p for p in root.glob("*") if (p / "run.json").is_file()) if root.is_dir() else []
    if not folders:
        raise CoachError("no stored eval runs yet", hint="Run `coach eval run --replay` first.")
    if run_id == "latest":
        return max(folders, key=lambda p: (p / "run.json").stat().st_mtime)
    exact = [p for p in folders if p.name == run_id]
    matches = exact or [p for p in folders if p.name.startswith(run_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CoachError(f"no eval run '{run_id}'", hint="`coach eval list` shows the runs.")
    raise CoachError(f"'{run_id}' matches {len(matches)} runs", hint="Give more of the id.")


def load_run(settings: Settings, run_id: str) -> RunRecord:
    path = resolve_run(settings, run_id) / "run.json"
    try:
        return RunRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise CoachError(f"{path} is not a readable run: {exc.errors()[0]['msg']}") from None


class RunInfo(BaseModel):
    id: str
    mode: str
    created_at: dt.datetime
    cases: int
    models: list[str]
    rubrics: dict[str, float | None]
    folder: str


def list_runs(settings: Settings) -> list[RunInfo]:
    """Stored runs, newest first."""
    root = runs_dir(settings)
    infos = []
    for folder in sorted(root.glob("*"), reverse=True) if root.is_dir() else []:
        try:
            record = RunRecord.model_validate_json((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            continue
        infos.append(RunInfo(id=record.id, mode=record.mode, created_at=record.created_at,
                             cases=record.summary.cases, models=record.models,
                             rubrics=record.summary.pass_rates(), folder=str(folder)))
    return sorted(infos, key=lambda i: i.created_at, reverse=True)

