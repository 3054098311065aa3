"""Helpers the coaching tests share: build entries tersely, run the CLI on a given context,
and scripted model replies that pass the guards."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from coach.domain.evidence import Entry, Kind
from coach.domain.profile import Profile, Signal, Transition

TODAY = dt.date(2025, 4, 14)


def profile(transition: str = "ic-to-lead", months: int = 14, signals: tuple[str, ...] = (),
            review_month: int | None = None, **extra: Any) -> Profile:
    data = {"name": "Priya Shah", "manager_name": "Dana Reyes", "email": "priya@example.com",
            "manager_email": "dana.reyes@example.com",
            "current_title": "Senior Software Engineer", "target_title": "Tech Lead",
            "transition": Transition(transition), "months_in_role": months,
            "review_month": review_month, "signals": [Signal(s) for s in signals]}
    data.update(extra)
    return Profile(**data)


def entry(id_: int, title: str, *, kind: str = "result", metric: str = "", next_level: bool = False,
          date: dt.date = dt.date(2025, 1, 10), description: str = "") -> Entry:
    return Entry(id=id_, date=date, title=title, description=description, metric=metric,
                 kind=Kind(kind), next_level=next_level)


def cli_json(monkeypatch, capsys, ctx, *argv: str) -> Any:
    """Run `coach <argv> --json` on `ctx` (with its scripted model) and parse the output."""
    from coach.cli.main import main
    from coach.services.context import Context

    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def cli_fail(monkeypatch, capsys, ctx, *argv: str) -> str:
    """Run a command expected to fail; returns stderr."""
    from coach.cli.main import main
    from coach.services.context import Context

    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code != 0
    return captured.err


def proposal_reply(p: Profile, done_work: str = "") -> str:
    """A well-behaved model reply for the proposal prompt (`done_work`: an entry to name)."""
    second = f"I already take on parts of the {p.target_title} role."
    if done_work:
        second = f"I already work at the next level: for example, I {done_work}."
    return json.dumps({
        "intro_1": f"My results as {p.current_title} are listed below, each with its outcome.",
        "intro_2": second,
        "intro_3": f"As {p.target_title} I will widen the scope of this work from the first "
                   "month.",
    })


def polish_email_reply(messages) -> str:
    """A well-behaved model reply for the email prompt: the draft, lightly reworded."""
    draft = re.search(r"<data [^>]*>\n(.*?)\n</data>", messages[1]["content"], re.DOTALL)
    return draft.group(1).strip().replace("Hi ", "Hello ", 1)


def cassette_path(request):
    """Where pytest-recording keeps this test's cassette."""
    from pathlib import Path

    from pytest_recording.plugin import get_default_cassette_name

    module = Path(str(request.node.fspath))
    name = get_default_cassette_name(request.cls, request.node.name)
    return module.parent / "cassettes" / module.stem / f"{name}.yaml"


def input_numbers(*texts: str) -> set[str]:
    """Every figure the inputs state, with '03' and '3' treated alike."""
    import re

    from coach.domain.text import numbers_in

    found: set[str] = set()
    for text in texts:
        found |= numbers_in(re.sub(r"\[#\d+\]", " ", text))
    return found | {str(int(n)) for n in found if n.isdigit()}


def numbers_outside(text: str, allowed: set[str]) -> set[str]:
    """Figures in `text` (citation markers aside) that the inputs never stated."""
    import re

    from coach.domain.text import numbers_in

    return {n for n in numbers_in(re.sub(r"\[#\d+\]", " ", text))
            if n not in allowed and n.lstrip("0") not in allowed}
