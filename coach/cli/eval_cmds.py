"""`coach eval`: score every kind of output against the guidance, on recorded or live responses."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.cli.common import Result, add_command
from coach.domain.errors import CoachError
from coach.evals.kinds import OutputKind
from coach.services.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("eval", help="score the coach's outputs against the guidance (evals)")
    esub = group.add_subparsers(dest="eval_command", metavar="ACTION", required=True)

    p = add_command(esub, "run", cmd_run, model=True,
                    help="score the recorded responses (--replay, default) or generate them (--live)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--replay", dest="mode", action="store_const", const="replay",
                      help="score evals/recorded/ with no model call at all (default)")
    mode.add_argument("--live", dest="mode", action="store_const", const="live",
                      help="generate with the configured model through the app's services")
    p.set_defaults(mode="replay")
    _filters(p)
    p.add_argument("--no-judge", action="store_true", help="live: skip the judge model")
    p.add_argument("--resume", action="store_true",
                   help="live: reuse the recordings that are complete; generate only missing cases "
                        "and re-ask the judge only where its reply is missing or failed")
    p.add_argument("--save-recording", action="store_true",
                   help="live: write the responses (and judge replies) to evals/recorded/")
    p.add_argument("--gate", action="store_true",
                   help="exit 1 if a rubric is below its threshold in evals/thresholds.yaml")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--recorded", metavar="DIR", type=Path,
                   help="read (and with --save-recording, write) recordings here instead of evals/recorded/")

    p = add_command(esub, "score", cmd_score, help="re-score a stored run with today's rubrics (no model)")
    p.add_argument("run", help="run id, a unique prefix of it, or 'latest'")
    p.add_argument("--gate", action="store_true", help="exit 1 if a rubric is below its threshold")

    p = add_command(esub, "compare", cmd_compare, help="per-rubric pass rates of two runs side by side")
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--all", action="store_true", help="list every check, not only those that moved")

    add_command(esub, "list", cmd_list, help="stored runs, newest first")

    p = add_command(esub, "cases", cmd_cases, help="the cases in evals/datasets/")
    _filters(p)

    p = add_command(esub, "scorecards", cmd_scorecards, model=True,
                    help="the role-play scorecard against hand labels, per check (tuned and held-out)")
    p.add_argument("--live", action="store_true",
                   help="ask the judge model what the rules leave open, instead of the recorded replies")
    p.add_argument("--save", action="store_true",
                   help="with --live: record the judge's replies beside the labels for offline runs")
    p.add_argument("--gate", action="store_true",
                   help="exit 1 unless every part meets the bar (95%% overall, 85%% per check)")

    p = add_command(esub, "report", cmd_report, help="print a stored run's Markdown report and paths")
    p.add_argument("run", nargs="?", default="latest")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", action="append", choices=[k.value for k in OutputKind],
                   help="only this output kind (repeatable)")
    p.add_argument("--case", action="append", metavar="ID", help="only this case (repeatable)")


def _options(args: argparse.Namespace):
    from coach.evals.runner import RunOptions

    options = RunOptions(kinds={OutputKind(k) for k in (args.kind or [])}, ids=set(args.case or []),
                         judge=not getattr(args, "no_judge", False),
                         save_recording=getattr(args, "save_recording", False),
                         resume=getattr(args, "resume", False),
                         progress=not getattr(args, "quiet", False))
    if getattr(args, "recorded", None):
        options.recorded_dir = args.recorded.expanduser()
    return options


def _run_result(record, ctx: Context, gate: bool, partial: bool = False) -> Result:
    from coach.evals.gate import check_gate, listing, load_thresholds
    from coach.evals.runner import runs_dir

    folder = runs_dir(ctx.settings) / record.id
    data = {**record.headline(), "folder": str(folder),
            "report": {"html": str(folder / "report.html"), "markdown": str(folder / "report.md"),
                       "json": str(folder / "report.json")}}
    lines = [f"run {record.id} ({record.mode}): {record.summary.scored_cases}/{record.summary.cases} "
             f"cases scored in {record.duration_s:.1f} s"]
    if record.summary.missing:
        lines.append(f"  no output for: {listing(record.summary.missing)}")
    lines.append(f"  {'rubric':<19} {'pass':>6} {'det':>6} {'judge':>6} {'cases':>6} {'fell back':>10}")
    for r in record.summary.rubrics:
        lines.append(f"  {r.name:<19} {_pct(r.pass_rate):>6} {_pct(r.deterministic_pass_rate):>6} "
                     f"{_pct(r.judge_pass_rate):>6} {r.cases:>6} {r.fallbacks:>10}")
    if (agree := record.summary.agreement) and agree.n:
        lines.append(f"  judge agrees with the deterministic checks on {_pct(agree.percent)} of "
                     f"{agree.n} paired verdicts (kappa {_kappa(agree.kappa)})")
    if cal := record.summary.calibration:
        lines.append(f"  judge on {cal.overall.n} hand-labelled verdicts: agrees on "
                     f"{_pct(cal.overall.percent)} "
                     f"(kappa {_kappa(cal.overall.kappa)}); per judged check:")
        for c in cal.checks:
            state = "judged" if c.judged else "dropped: rules only"
            caught = "fails its seeded bad output" if c.caught_bad else "CANNOT FAIL (passed its seeded bad)"
            lines.append(f"    {c.rubric + '/' + c.check:<32} {_pct(c.agreement.percent):>5} "
                         f"kappa {_kappa(c.agreement.kappa):>5}  {caught}; {state}")
    lines.append(f"  report: {folder / 'report.html'}")
    exit_code = 0
    if gate:
        thresholds = load_thresholds()
        if partial:  # --kind: gate the rubrics of the kinds that ran
            thresholds = thresholds.only({r.name for r in record.summary.rubrics})
        result = check_gate(record, thresholds)
        data["gate"] = result.model_dump()
        lines.append(result.text())
        exit_code = 0 if result.passed else 1
    return Result(data=data, text="\n".join(lines), exit_code=exit_code)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _kappa(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def cmd_run(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals import runner

    options = _options(args)
    if args.mode == "replay":
        if args.save_recording or args.no_judge or args.resume:
            raise CoachError("--save-recording, --no-judge and --resume only apply to --live",
                             hint="Replay never calls a model, so there is nothing to record.")
        record = runner.replay(ctx.settings, options)
    else:
        if options.progress:
            print(f"generating with model '{ctx.settings.model}'"
                  + (f", judge '{ctx.settings.grader}'" if options.judge else ", no judge")
                  + "; this can take a while on the embedded model", file=sys.stderr)
        record = runner.live(ctx, options)
    return _run_result(record, ctx, args.gate, partial=bool(options.kinds))


def cmd_score(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals import runner

    record = runner.rescore(ctx.settings, args.run)
    return _run_result(record, ctx, args.gate)


def cmd_compare(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals.compare import compare
    from coach.evals.runner import load_run

    comparison = compare(load_run(ctx.settings, args.run_a), load_run(ctx.settings, args.run_b))
    return Result(data=comparison.as_json(), text=comparison.text(changed_only=not args.all))


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals.runner import list_runs

    runs = list_runs(ctx.settings)
    if not runs:
        return Result(data=[], text="no eval runs yet; try `coach eval run --replay`")
    lines = [f"{'run':<28} {'mode':<8} {'cases':>5}  {'mean':>5}  model"]
    for info in runs:
        rates = [v for v in info.rubrics.values() if v is not None]
        mean = sum(rates) / len(rates) if rates else None
        lines.append(f"{info.id:<28} {info.mode:<8} {info.cases:>5}  {_pct(mean):>5}  "
                     f"{', '.join(info.models) or '–'}")
    return Result(data=runs, text="\n".join(lines))


def cmd_cases(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals.dataset import load_samples

    options = _options(args)
    samples = load_samples(kinds=options.kinds or None, ids=options.ids or None)
    data = [{"id": s.id, "kind": s.kind.value, "person": s.metadata.get("person", ""),
             "target_title": s.input.profile.target_title} for s in samples]
    lines = [f"{s['id']:<42} {s['kind']:<19} {s['person']}" for s in data]
    lines.append(f"{len(samples)} cases")
    return Result(data=data, text="\n".join(lines))


def cmd_scorecards(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals import scorecard_labels as labels

    if args.save and not args.live:
        raise CoachError("--save only applies to --live", hint="Replay reads the recorded replies; "
                         "there is nothing new to save.")
    report = labels.run(ctx.judge if args.live else None, save=args.save)
    failed = args.gate and not all(p.passed for p in report.parts)
    return Result(data=report, text=labels.render(report), exit_code=1 if failed else 0)


def cmd_report(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.evals.runner import resolve_run

    folder = resolve_run(ctx.settings, args.run)
    paths = {"html": str(folder / "report.html"), "markdown": str(folder / "report.md"),
             "json": str(folder / "report.json")}
    text = (folder / "report.md").read_text(encoding="utf-8") + f"\nHTML: {paths['html']}"
    return Result(data=paths, text=text)
