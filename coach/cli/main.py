"""Entry point of the `coach` command. Each area registers its sub-commands from its own module.

The area modules load only what registering needs; a command imports its heavier services
(and the model, index or web libraries behind them) when it runs, so each command pays for
what it uses.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from typing import NoReturn

from coach.cli import (
    backup_cmds,
    chat_cmds,
    coaching_cmds,
    demo_cmds,
    eval_cmds,
    framework_cmds,
    habit_cmds,
    knowledge_cmds,
    log_cmds,
    models_cmds,
    offer_cmds,
    roleplay_cmds,
    setup_cmds,
    stakeholder_cmds,
    ui_cmds,
)
from coach.cli.common import emit
from coach.cli.hints import cli_message
from coach.config import set_offline_env
from coach.domain.errors import CoachError
from coach.llm.scrub import scrub
from coach.services.context import Context

# Each area's `register(sub)`, in the order of `coach --help`.
REGISTER = (
    setup_cmds.register,
    log_cmds.register,
    framework_cmds.register,
    habit_cmds.register,
    knowledge_cmds.register,
    backup_cmds.register,
    models_cmds.register,
    coaching_cmds.register,
    stakeholder_cmds.register,
    chat_cmds.register,
    roleplay_cmds.register,
    offer_cmds.register,
    ui_cmds.register,
    eval_cmds.register,
    demo_cmds.register,
)


class CoachParser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (exit 2), not a screen of usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = CoachParser(
        prog="coach",
        description="Promotion Coach: build the case, pick the moment, rehearse the ask.",
    )
    parser.add_argument("--home", metavar="DIR", help="data home (default: $COACH_HOME or "
                        "~/.local/share/coach)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in REGISTER:
        register(sub)
    return parser


def _log_crash(home: str | None) -> str:
    """Keep the traceback (keys scrubbed) for the developer in the data home, not on screen."""
    try:
        ctx_home = Context.open(home).settings.home
        path = ctx_home / "logs" / "crash.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(scrub(traceback.format_exc()) + "\n")
        return str(path)
    except Exception:  # the crash log is best effort
        return "(could not write crash log)"


def main(argv: list[str] | None = None) -> int:
    set_offline_env()  # before any command imports litellm, gradio or chromadb
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors and --help: keep main() callable from code
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    home = getattr(args, "home", None)
    try:
        ctx = Context.open(home, getattr(args, "model", None))
        result = args.handler(args, ctx)
        emit(result, bool(getattr(args, "json", False)))
        return result.exit_code
    except CoachError as exc:
        print(f"coach: error: {scrub(cli_message(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("coach: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, keep the details in the crash log
        where = _log_crash(home)
        print(f"coach: error: unexpected {type(exc).__name__}: {scrub(exc)} (details in {where})",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
