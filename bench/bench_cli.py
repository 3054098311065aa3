"""CLI start-up benchmark: the everyday read-only commands, each as a whole process.

Run with `.venv/bin/python -m bench.bench_cli [--runs N]` (or `python -m bench cli`). Each
command runs N times in a fresh interpreter on a temporary data home holding the sample
profile and log. The table shows the median wall and CPU time, Python's own import time
(`-X importtime`, start-up included) and which heavy libraries the command loaded. These
commands call no model and search nothing: the target is 0.3 s each on idle cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.tables import text_table
from coach.config import set_offline_env

COMMANDS: tuple[tuple[str, ...], ...] = (("log", "list"), ("profile", "show"), ("timing",),
                                         ("readiness",))
# Libraries that cost tenths of a second to import; none of them is needed to read SQLite rows.
HEAVY = ("litellm", "openai", "langchain_core", "langsmith", "gradio", "chromadb",
         "onnxruntime", "docx")
TARGET_S = 0.3
RUNS = 7
TIMEOUT_S = 120
_MARK = "coach-bench-modules:"
# What the `coach` console script runs, plus a report of the heavy modules left loaded.
_LAUNCH = f"""
import json, sys
from coach.cli.main import main
code = main(sys.argv[1:])
loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))
print({_MARK!r} + json.dumps(loaded), file=sys.stderr)
sys.exit(code)
"""


@dataclass(frozen=True)
class Timing:
    """One command's figures: medians over the runs, and its import profile."""

    command: str
    wall_s: float
    cpu_s: float
    import_s: float
    heavy: list[str]


def _run(argv: tuple[str, ...], env: dict[str, str],
         flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, *flags, "-c", _LAUNCH, *argv], env=env, text=True,
                          capture_output=True, timeout=TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"`coach {' '.join(argv)}` exited {done.returncode}: "
                           f"{done.stderr.strip()[-400:]}")
    return done


def heavy_modules(argv: tuple[str, ...], env: dict[str, str]) -> list[str]:
    """The heavy libraries (`HEAVY`) that `coach <argv>` has imported by the time it exits."""
    for line in _run(argv, env).stderr.splitlines():
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK):])
    raise RuntimeError(f"`coach {' '.join(argv)}` did not report its modules")


def import_seconds(argv: tuple[str, ...], env: dict[str, str]) -> float:
    """Total import time of one run: the cumulative times of the top-level imports."""
    total_us = 0
    for line in _run(argv, env, ("-X", "importtime")).stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  ") and cumulative.strip().isdigit():  # a top-level import
            total_us += int(cumulative)
    return total_us / 1e6


def time_command(argv: tuple[str, ...], env: dict[str, str], runs: int) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        _run(argv, env)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(" ".join(argv), statistics.median(walls), statistics.median(cpus),
                  import_seconds(argv, env), heavy_modules(argv, env))


def seeded_env(home: Path) -> dict[str, str]:
    """An environment whose data home holds the sample profile and impact log."""
    from coach.services.context import Context
    from coach.services.sample import load_sample

    load_sample(Context.open(home))
    env = {**os.environ, "COACH_HOME": str(home)}
    for name in ("COACH_DATABASE_URL", "COACH_CHROMA_URL", "COACH_USERS_FILE"):
        env.pop(name, None)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_cli")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per command ({RUNS})")
    args = parser.parse_args(argv)
    set_offline_env()
    with tempfile.TemporaryDirectory(prefix="coach-bench-cli-") as tmp:
        env = seeded_env(Path(tmp) / "home")
        load = os.getloadavg()[0]
        timings = [time_command(cmd, env, max(1, args.runs)) for cmd in COMMANDS]
    rows = [["command", "wall (median)", "CPU (median)", "imports", "heavy modules",
             f"<= {TARGET_S} s"]]
    rows += [[f"coach {t.command}", f"{t.wall_s:.3f} s", f"{t.cpu_s:.3f} s",
              f"{t.import_s:.3f} s", ", ".join(t.heavy) or "none",
              "ok" if t.wall_s <= TARGET_S else "over"] for t in timings]
    print(text_table(rows))
    print(f"({args.runs} runs each; 1-minute load average {load:.2f} at the start, "
          f"{os.cpu_count()} cores)")
    # Timings depend on the machine's load; a heavy import is a regression on any machine.
    return 1 if any(t.heavy for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
