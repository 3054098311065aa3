"""`coach models`: list, test and stop the models the coach uses."""

from __future__ import annotations

import argparse

from coach.cli.common import Result, add_command
from coach.services.context import Context

# The models service brings the prompt files and the model seam: each command imports it
# when it runs, so the other commands do not load them.


def register(sub: argparse._SubParsersAction) -> None:
    group = add_command(sub, "models", cmd_list, model=True,
                        help="show the configured model, judge and fallbacks, and whether "
                             "each is ready")
    group.add_argument("--check", action="store_true",
                       help="also send each model a tiny request (loads the local model)")
    msub = group.add_subparsers(dest="models_command", metavar="ACTION")
    add_command(msub, "test", cmd_test, model=True,
                help="send one short prompt and show latency, speed and the reply")
    add_command(msub, "stop", cmd_stop, help="stop the embedded local model's server")


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import models

    report = models.list_models(ctx, check=bool(getattr(args, "check", False)))
    lines = []
    for m in report.models:
        mark = "ok " if m.ready else "-- "
        base = f" at {m.api_base}" if m.api_base else ""
        timing = f" (answered in {m.latency_s:.1f} s)" if m.answered else ""
        lines.append(f"{mark}{m.role:<9} {m.name}{base}: {m.detail}{timing}")
    if not report.fallbacks:
        lines.append("   (no fallbacks: set COACH_FALLBACK_MODELS=model1,model2 to add some)")
    ready = all(m.ready for m in report.models)
    return Result(report, "\n".join(lines), exit_code=0 if ready else 1)


def cmd_test(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import models

    result = models.run_model_test(ctx)
    speed = f", {result.tokens_per_s} tokens/s overall" if result.tokens_per_s else ""
    text = (f"{result.model} ({result.prompt}): {result.latency_s:.2f} s, "
            f"{result.prompt_tokens} prompt + {result.completion_tokens} reply tokens{speed}\n"
            f"{result.reply}")
    if result.notes:
        text += "\n" + "\n".join(f"note: {n}" for n in result.notes)
    return Result(result, text)


def cmd_stop(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import models

    result = models.stop_local(ctx.settings)
    return Result(result, result.message)
