"""Output quality on the configured model, live: the shared scenarios through the real
proposal, email, talk-track and chat services, checked as the user finally sees them.

    .venv/bin/python -m bench.bench_quality                      # everything, model `local`
    .venv/bin/python -m bench.bench_quality --only proposal      # one kind (repeatable)
    .venv/bin/python -m bench.bench_quality --scenario backend-tech-lead --model MODEL

The proposal and the four emails run in CI on recorded replies
(tests/test_proposal_scenarios.py, tests/test_emails_scenarios.py); this is the live
counterpart, with the same scenarios and the same checks (tests/scenarios/checks.py), and
the talk track and the chat on the same profiles and logs.

For each output it records whether the model's text was accepted at the first try, after
the services' one re-ask, or replaced by what the service builds itself (the deterministic
draft; for the chat, the guides' own words), each required element, the figures shown that
no input states (must be 0), and the wall time. Prints one table per kind, a summary with
one row per kind, and an overall line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.tables import text_table
from coach.config import default_home, set_offline_env
from coach.domain.chat import guide_answer
from coach.domain.emails import EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.evals.generate import RecordingKB
from coach.services import chat, emails, proposal, script
from coach.services.context import Context
from tests.scenarios import Scenario, load_scenarios, seed
from tests.scenarios.checks import (
    CHAT_QUESTIONS,
    Verdict,
    chat_verdict,
    email_inputs,
    email_verdict,
    proposal_verdict,
    script_verdict,
)

KINDS = ("proposal", "emails", "script", "chat")
FIRST, REASKED, FELL_BACK, ERROR = "first try", "after re-ask", "fell back", "error"


class _Counting:
    """The model client, counting calls: a model-written output after one call passed the
    guard as first written, after two it needed the re-ask."""

    def __init__(self, llm: Any):
        self._llm = llm
        self.calls = 0

    def complete(self, *args, **kwargs):
        self.calls += 1
        return self._llm.complete(*args, **kwargs)

    def stream(self, *args, **kwargs):
        self.calls += 1
        return self._llm.stream(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._llm, name)


@dataclass
class Outcome:
    """One output: whose text the user saw, how it checked out, how long it took."""

    kind: str
    scenario: str
    case: str
    model_text: str  # FIRST, REASKED, FELL_BACK or ERROR
    verdict: Verdict
    seconds: float


@dataclass
class _Case:
    """One scenario seeded into a data home of its own (entry ids 1..n, versions from 1)."""

    scenario: Scenario
    ctx: Context
    saved: list[Entry]
    question: str


def _produce(kind: str, case: _Case, email_kind: str) -> dict[str, Any]:
    """Run the service for one output, with the inputs the CLI would pass; its --json data."""
    s, ctx = case.scenario, case.ctx
    if kind == "proposal":
        result: Any = proposal.draft_proposal(ctx, today=s.today)
    elif kind == "emails":
        result = emails.draft_email(ctx, email_kind, today=s.today, **email_inputs(s, email_kind))
    elif kind == "script":
        result = script.talk_script(ctx, today=s.today)
    else:
        result = chat.chat_turn(ctx, case.question, today=s.today)
    return result.model_dump(mode="json")


def _model_text(kind: str, data: dict[str, Any], calls: int, kb: RecordingKB) -> str:
    """Whether the user sees the model's text as first written, after the re-ask, or the
    service's own. The drafting services say which (`source`); a chat turn does not, but its
    own answer is the guides' words, built from the passages it was given."""
    if kind == "chat":
        from_model = not data["answer"].startswith(guide_answer(kb.last))
    else:
        from_model = data["source"] == "model"
    if not from_model:
        return FELL_BACK
    return FIRST if calls <= 1 else REASKED


def _verdict(kind: str, case: _Case, email_kind: str, data: dict[str, Any],
             kb: RecordingKB) -> Verdict:
    s, saved = case.scenario, case.saved
    if kind == "proposal":
        return proposal_verdict(s, saved, data)
    if kind == "emails":
        return email_verdict(s, saved, email_kind, data)
    if kind == "script":
        return script_verdict(s, saved, data)
    return chat_verdict(s, saved, case.question, kb.last, data)


def run(kinds: list[str], cases: list[_Case], llm: _Counting, kb: RecordingKB) -> list[Outcome]:
    """Every output of every kind, kind by kind (the model's prompt cache likes that)."""
    outcomes = []
    for kind in kinds:
        for case in cases:
            for email_kind in EMAIL_KINDS if kind == "emails" else ("",):
                name = f"{case.scenario.id} {email_kind}".rstrip()
                before, started = llm.calls, time.perf_counter()
                try:
                    data = _produce(kind, case, email_kind)
                except CoachError as exc:  # the services answer model failures themselves
                    outcome = Outcome(kind, case.scenario.id, name, ERROR,
                                      Verdict({f"an answer ({exc.message})": False}, set()),
                                      time.perf_counter() - started)
                else:
                    seconds = time.perf_counter() - started
                    outcome = Outcome(kind, case.scenario.id, name,
                                      _model_text(kind, data, llm.calls - before, kb),
                                      _verdict(kind, case, email_kind, data, kb), seconds)
                outcomes.append(outcome)
                v = outcome.verdict
                print(f"  {kind} {name}: {outcome.model_text}, "
                      f"{sum(v.elements.values())}/{len(v.elements)} elements, "
                      f"{len(v.invented)} invented, {outcome.seconds:.1f} s", flush=True)
    return outcomes


def _summary(label: str, outs: list[Outcome]) -> list[str]:
    """One summary row: counts by model text, element pass rate, invented figures, time."""
    passed = sum(sum(o.verdict.elements.values()) for o in outs)
    total = sum(len(o.verdict.elements) for o in outs)
    scenarios = len({o.scenario for o in outs})
    return [label, str(scenarios), str(len(outs)),
            *(str(sum(o.model_text == m for o in outs)) for m in (FIRST, REASKED, FELL_BACK,
                                                                  ERROR)),
            f"{passed / total:.1%}" if total else "-",
            f"{sum(not o.verdict.missing for o in outs)}/{len(outs)}",
            str(sum(len(o.verdict.invented) for o in outs)),
            f"{statistics.median(o.seconds for o in outs):.1f}" if outs else "-"]


def report(kinds: list[str], outcomes: list[Outcome]) -> str:
    """A table per kind (one row per output, then what failed), the summary, overall."""
    parts = []
    for kind in kinds:
        outs = [o for o in outcomes if o.kind == kind]
        rows = [["case", "model text", "elements", "invented", "seconds"]]
        rows += [[o.case, o.model_text,
                  f"{sum(o.verdict.elements.values())}/{len(o.verdict.elements)}",
                  str(len(o.verdict.invented)), f"{o.seconds:.1f}"] for o in outs]
        parts.append(f"### {kind}\n{text_table(rows)}")
        problems = [f"  {o.case}: missing {', '.join(o.verdict.missing) or '-'}; invented "
                    f"{', '.join(sorted(o.verdict.invented)) or '-'}"
                    for o in outs if o.verdict.missing or o.verdict.invented]
        if problems:
            parts.append("\n".join(problems))
    header = ["kind", "scenarios", "outputs", FIRST, REASKED, FELL_BACK, ERROR,
              "element pass rate", "all elements", "invented shown", "median s"]
    rows = [header, *(_summary(k, [o for o in outcomes if o.kind == k]) for k in kinds),
            _summary("overall", outcomes)]
    parts.append(f"### summary (what the user finally sees)\n{text_table(rows)}")
    return "\n\n".join(parts)


def _cases(scenarios: list[tuple[int, Scenario]], work: Path, llm: _Counting,
           kb: RecordingKB) -> list[_Case]:
    cases = []
    for index, scenario in scenarios:
        ctx = Context.open(work / scenario.id, llm=llm)
        ctx.__dict__["kb"] = kb  # one index for every home, built once
        cases.append(_Case(scenario, ctx, seed(ctx, scenario),
                           CHAT_QUESTIONS[index % len(CHAT_QUESTIONS)]))
    return cases


def _guidance(work: Path) -> Any:
    """The guidance index in a home of its own, built before the clock starts (else the
    first chat's time would be the index's)."""
    from coach.knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(Context.open(work / "guidance").settings)
    kb.index()
    return kb


def main(argv: list[str] | None = None, *, llm: Any = None, kb: Any = None) -> int:
    """Run the bench and print its tables; always exits 0.

    Args:
        argv: command-line arguments (see --help).
        llm, kb: stand-ins for the model and the guidance index (the quick test passes a
            scripted model); None means the configured model and the real index.
    """
    parser = argparse.ArgumentParser(prog="bench.bench_quality", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="a LiteLLM model string (default: COACH_MODEL or local)")
    parser.add_argument("--only", action="append", choices=KINDS, help="only this kind")
    parser.add_argument("--scenario", action="append", metavar="ID",
                        help="only this scenario (tests/scenarios/ID.yaml)")
    args = parser.parse_args(argv)
    set_offline_env()
    kinds = [k for k in KINDS if k in (args.only or KINDS)]
    every = list(enumerate(load_scenarios()))  # the index picks each chat question
    scenarios = [(i, s) for i, s in every if not args.scenario or s.id in args.scenario]
    unknown = set(args.scenario or ()) - {s.id for _, s in every}
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    # Temporary homes share the machine's joined weights and its running embedded server.
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
    with tempfile.TemporaryDirectory(prefix="coach-bench-quality-") as tmp:
        work = Path(tmp)
        model = _Counting(llm or Context.open(work / "model", model=args.model).llm)
        # Keeps the passages of each search: a chat answer may repeat their figures.
        seen = RecordingKB(kb if kb is not None or "chat" not in kinds else _guidance(work))
        print(f"quality bench on model {model.model}: {len(scenarios)} scenarios, "
              f"{', '.join(kinds)}; {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.2f} at start", flush=True)
        started = time.perf_counter()
        outcomes = run(kinds, _cases(scenarios, work, model, seen), model, seen)
        elapsed = time.perf_counter() - started
    print()
    print(report(kinds, outcomes))
    print(f"\n{len(outcomes)} outputs, {model.calls} model calls, {elapsed:.0f} s in all; "
          f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
