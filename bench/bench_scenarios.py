"""The two scenario role-plays on the embedded model, live: the offer conversation and the
interview elsewhere, each at three difficulties with a strong and a weak user script (twelve
sessions), timed turn by turn and scored.

    .venv/bin/python -m bench scenarios                           # all twelve sessions
    .venv/bin/python -m bench.bench_scenarios --scenario offer    # one scenario, six sessions
    .venv/bin/python -m bench.bench_scenarios --difficulty tough  # one difficulty
    .venv/bin/python -m bench.bench_scenarios --think 0           # lines back to back

Prints one row per session: the counterpart's model-written turns, time to the first token
and the full turn (generation, guard and any regeneration), what became of the model's
replies (shown as written, regenerated, or a prepared line), whether every shown line was in
role (checked again here, apart from the session: the counterpart speaking, no line twice,
no figure the user did not enter; tests/scenario_cases.py), and the score. Then the strong
script against the weak one per scenario and difficulty. The same sessions run in CI from
recordings (tests/test_scenario_recorded.py); this is the live counterpart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.tables import percentile, text_table
from coach.config import default_home, set_offline_env
from coach.services.context import Context
from coach.services.scenario import start_scenario
from tests.scenario_cases import (
    DIFFICULTIES,
    MARGIN,
    SCENARIOS,
    SEED,
    TODAY,
    entered_figures,
    out_of_role,
    script_lines,
    seed_person,
)


class _Counting:
    """The app's model client, counting the streamed replies (a prepared line streams nothing)."""

    def __init__(self, llm):
        self._llm = llm
        self.streams = 0

    def stream(self, *args, **kwargs):
        self.streams += 1
        return self._llm.stream(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._llm, name)


@dataclass
class Session:
    scenario: str
    difficulty: str
    variant: str
    ttft: list[float] = field(default_factory=list)
    turn: list[float] = field(default_factory=list)
    first_try: int = 0
    regenerated: int = 0
    fallback: int = 0
    model_turns: int = 0
    shown: int = 0
    in_role: int = 0
    problems: list[str] = field(default_factory=list)
    score: float = 0.0
    end_s: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.scenario}/{self.difficulty}/{self.variant}"


def _play(ctx: Context, llm: _Counting, scenario: str, difficulty: str, variant: str,
          think: float) -> Session:
    out = Session(scenario, difficulty, variant)
    lines = script_lines(scenario, difficulty, variant)
    session = start_scenario(ctx, scenario, difficulty=difficulty, seed=SEED, today=TODAY)
    warming = session.warm_in_background()  # the model reads the brief while the opening shows
    if warming is not None:
        warming.join()
    for index, line in enumerate(lines):
        if session.ended:
            break
        first: list[float] = []
        before = llm.streams
        started = time.perf_counter()
        reply = session.say(line, on_token=lambda _t, seen=first: seen or seen.append(time.perf_counter()))
        elapsed = time.perf_counter() - started
        if think and index < len(lines) - 1:
            session.warm_in_background()
            time.sleep(think)
        if llm.streams == before:  # a prepared line: no model involved
            continue
        out.model_turns += 1
        out.turn.append(elapsed)
        if first:
            out.ttft.append(first[0] - started)
        kinds = [e.kind for e in reply.events]
        if reply.fallback:
            out.fallback += 1
        elif "regenerated" in kinds:
            out.regenerated += 1
        else:
            out.first_try += 1
    started = time.perf_counter()
    result = session.end()
    out.end_s = time.perf_counter() - started
    allowed = entered_figures(ctx, lines)
    shown = [t.text for t in result.transcript if t.speaker != "you"]
    out.shown = len(shown)
    for i, text in enumerate(shown):
        problems = out_of_role(text, shown[:i], ctx, result.counterpart, allowed)
        out.in_role += not problems
        out.problems += [f"{text[:60]!r}: {p}" for p in problems]
    out.score = result.scorecard.score if result.scorecard else 0.0
    return out


def _p(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct):.2f}" if values else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_scenarios", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--difficulty", action="append", choices=DIFFICULTIES,
                        help="only this difficulty (repeatable)")
    parser.add_argument("--think", type=float, default=3.0,
                        help="seconds between a reply and the next line (0: back to back)")
    args = parser.parse_args(argv)
    set_offline_env()
    # The sessions run in a scratch home: share the machine's one copy of the model weights.
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
    scenarios = SCENARIOS if args.scenario == "all" else (args.scenario,)
    difficulties = tuple(args.difficulty or DIFFICULTIES)
    print(f"scenario role-play bench on the embedded model: {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    sessions: list[Session] = []
    with tempfile.TemporaryDirectory(prefix="coach-bench-sc-") as tmp:
        ctx = Context.open(Path(tmp), model="local")
        seed_person(ctx)
        llm = _Counting(ctx.llm)
        ctx.llm_override = llm
        ctx.judge_override = llm
        try:
            for scenario in scenarios:
                for difficulty in difficulties:
                    for variant in ("strong", "weak"):
                        s = _play(ctx, llm, scenario, difficulty, variant, args.think)
                        sessions.append(s)
                        print(f"  {s.name}: {s.model_turns} model turns, {s.in_role}/{s.shown} in role, "
                              f"score {s.score:.2f}", flush=True)
        except KeyboardInterrupt:  # a long run cut short still reports what it measured
            print("  interrupted: reporting the sessions that finished")
        if not sessions:
            return 1

    rows = [["session", "model turns", "TTFT p50 s", "TTFT max s", "turn p50 s", "turn max s",
             "1st try", "regenerated", "prepared line", "shown in role", "score", "scoring s"]]
    for s in sessions:
        rows.append([s.name, str(s.model_turns), _p(s.ttft, 50), _p(s.ttft, 100), _p(s.turn, 50),
                     _p(s.turn, 100), f"{s.first_try}/{s.model_turns}", str(s.regenerated),
                     str(s.fallback), f"{s.in_role}/{s.shown}", f"{s.score:.2f}", f"{s.end_s:.1f}"])
    print()
    print(text_table(rows))

    scores = {(s.scenario, s.difficulty, s.variant): s.score for s in sessions}
    pairs = [["scenario", "difficulty", "strong", "weak", "gap", f">= {MARGIN}"]]
    gaps = []
    for scenario in scenarios:
        for difficulty in difficulties:
            strong = scores.get((scenario, difficulty, "strong"))
            weak = scores.get((scenario, difficulty, "weak"))
            if strong is None or weak is None:
                continue
            gaps.append(strong - weak)
            pairs.append([scenario, difficulty, f"{strong:.2f}", f"{weak:.2f}", f"{strong - weak:+.2f}",
                          "yes" if strong - weak >= MARGIN else "NO"])
    print()
    print(text_table(pairs))

    ttft = [x for s in sessions for x in s.ttft]
    turn = [x for s in sessions for x in s.turn]
    turns = sum(s.model_turns for s in sessions) or 1
    shown, in_role = sum(s.shown for s in sessions), sum(s.in_role for s in sessions)
    summary = [["metric", "value"],
               ["counterpart TTFT p50 / p95", f"{_p(ttft, 50)} / {_p(ttft, 95)} s"],
               ["full turn p50 / p95", f"{_p(turn, 50)} / {_p(turn, 95)} s"],
               ["shown as written", f"{sum(s.first_try for s in sessions)}/{turns}"],
               ["regenerated", f"{sum(s.regenerated for s in sessions)}/{turns}"],
               ["prepared line (fallback)", f"{sum(s.fallback for s in sessions)}/{turns}"],
               ["shown lines in role", f"{in_role}/{shown}"],
               ["strong - weak", (f"mean {statistics.mean(gaps):.2f}, min {min(gaps):.2f}, "
                                  f"{sum(g >= MARGIN for g in gaps)}/{len(gaps)} pairs >= {MARGIN}")
                if gaps else "-"]]
    print()
    print(text_table(summary))
    for s in sessions:
        for problem in s.problems:
            print(f"  out of role in {s.name}: {problem}")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0 if in_role == shown and all(g >= MARGIN for g in gaps) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
