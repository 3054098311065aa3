"""What every command shares: --home/--json/--model options, the context, and output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coach.domain.limits import BUDGET
from coach.services.context import Context
from coach.services.jsonable import to_jsonable

Handler = Callable[[argparse.Namespace, Context], "Result"]


@dataclass
class Result:
    """What a command produced: `data` for --json, `text` for people."""

    data: Any
    text: str = ""
    exit_code: int = 0


def text(field: str) -> Callable[[str], str]:
    """An argparse `type` for free text: over the field's budget (`BUDGET`) it is a usage
    error, which argparse words with the flag's own name, before the command does anything."""
    limit = BUDGET[field]

    def parse(value: str) -> str:
        if len(value) > limit:
            raise argparse.ArgumentTypeError(
                f"is too long ({len(value):,} characters; the limit is {limit:,})")
        return value

    parse.__name__ = field.replace("_", " ")  # how argparse names the value it refuses
    return parse


def common_options(*, model: bool = False) -> argparse.ArgumentParser:
    """A parent parser so every sub-command accepts --home and --json (and --model if it generates)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--home", default=argparse.SUPPRESS, metavar="DIR",
                        help="data home (default: $COACH_HOME or ~/.local/share/coach)")
    parent.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON")
    if model:
        parent.add_argument("--model", default=argparse.SUPPRESS,
                            help="any LiteLLM model string (default: $COACH_MODEL or 'local')")
    return parent


def add_command(sub: argparse._SubParsersAction, name: str, handler: Handler, *,
                help: str, model: bool = False, **kwargs: Any) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help,
                            parents=[common_options(model=model)], **kwargs)
    parser.set_defaults(handler=handler)
    return parser


def emit(result: Result, as_json: bool) -> None:
    if as_json:
        json.dump(to_jsonable(result.data), sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif result.text:
        sys.stdout.write(result.text.rstrip("\n") + "\n")


def iso_date(value: str) -> dt.date:
    """An argparse `type` for a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date; use YYYY-MM-DD") from None


def today_option(parser: argparse.ArgumentParser) -> None:
    """--today DATE: count dates from DATE instead of today (reproducible drafts and tests)."""
    parser.add_argument("--today", type=iso_date, metavar="DATE", default=None,
                        help="count dates from DATE instead of today (for reproducible drafts)")


def record_id(what: str) -> Callable[[str], int]:
    """An argparse type for a saved record's id ('#12' or '12'), named as `what` in errors."""

    def parse(value: str) -> int:
        try:
            number = int(value.lstrip("#"))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not {what} (a whole number)") from None
        if not 1 <= number < 2**63:
            raise argparse.ArgumentTypeError(f"{value} is not {what}; ids start at 1")
        return number

    return parse


ENTRY_ID = record_id("an entry id")


def yes_no(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"yes", "y", "true", "1"}:
        return True
    if lowered in {"no", "n", "false", "0"}:
        return False
    raise argparse.ArgumentTypeError(f"'{value}' is not yes or no")
