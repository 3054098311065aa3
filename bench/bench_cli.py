"""CLI start-up benchmark: the everyday read-only commands, each as a whole process.

Run with `.venv/bin/python -m bench.bench_cli [--runs N]` (or `python -m bench cli`). Each
command runs N times in a fresh interpreter on a temporary data home holding the sample
profile and log. The table shows the median wall and CPU time, Python's own import time
(`-X importtime`, start-up included) and which heavy libraries the command loaded. These
commands call no model and search nothing: the target is 0.3 s each on idle cores.

A second table feeds commands oversized input (a sparse 1 GB import and document, a
100,000-character reason, JSON nested 100,000 deep) and shows each one's exit, message and
peak memory (the child's own maximum RSS): each must be refused, in under 100 MB.
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
         "onnxruntime", "docx",
         # ours: the meeting rules, the eval datasets' models and the demo journey (about 0.1 s
         # together) belong to the commands that use them
         "coach.domain.roleplay", "coach.evals.schema", "coach.services.demo")
TARGET_S = 0.3
RUNS = 7
TIMEOUT_S = 120
_MARK = "coach-bench-modules:"
_PEAK = "coach-bench-peak-kb:"
PEAK_TARGET_MB = 100
# Oversized input: (what, argv with {dir} for the folder holding the files, files to make).
GB = 1024 * 1024 * 1024
OVERSIZED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("log import, 1 GB file", ("log", "import", "{dir}/huge.json")),
    ("knowledge add, 1 GB file", ("knowledge", "add", "{dir}/huge.md")),
    ("email decline, 100,000-char reason", ("email", "decline", "--no-model", "--reason",
                                            "r" * 100_000)),
    ("log import, JSON 100,000 deep", ("log", "import", "{dir}/deep.json")),
)
_PEAK_LAUNCH = f"""
import re, sys
from pathlib import Path
from coach.cli.main import main
code = main(sys.argv[1:])
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print({_PEAK!r} + peak, file=sys.stderr)
sys.exit(code)
"""
# What the `coach` console script runs, plus a report of the heavy modules left loaded.
_LAUNCH = f"""
import json, sys
from coach.cli.main import main
code = main(sys.argv[1:])
loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)
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


@dataclass(frozen=True)
class Refusal:
    """One oversized input: how the command ended and the most memory it held."""

    what: str
    exit_code: int
    message: str
    peak_mb: float


def refuse(what: str, argv: tuple[str, ...], folder: Path, env: dict[str, str]) -> Refusal:
    """Run `coach <argv>` on oversized input; its exit, first error line and peak RSS."""
    argv = tuple(a.replace("{dir}", str(folder)) for a in argv)
    done = subprocess.run([sys.executable, "-c", _PEAK_LAUNCH, *argv], env=env, text=True,
                          capture_output=True, timeout=TIMEOUT_S, check=False)
    lines = done.stderr.splitlines()
    peak_kb = next(int(line[len(_PEAK):]) for line in lines if line.startswith(_PEAK))
    message = next((line for line in lines if "error" in line), "(no error)")
    return Refusal(what, done.returncode, message, peak_kb / 1024)


def oversized_files(folder: Path) -> None:
    """The files OVERSIZED reads: sparse (no disk used), so 1 GB to whoever reads them."""
    for name in ("huge.json", "huge.md"):
        with (folder / name).open("wb") as handle:
            handle.truncate(GB)
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


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
        folder = Path(tmp) / "oversized"
        folder.mkdir()
        oversized_files(folder)
        refusals = [refuse(what, command, folder, env) for what, command in OVERSIZED]
    rows = [["command", "wall (median)", "CPU (median)", "imports", "heavy modules",
             f"<= {TARGET_S} s"]]
    rows += [[f"coach {t.command}", f"{t.wall_s:.3f} s", f"{t.cpu_s:.3f} s",
              f"{t.import_s:.3f} s", ", ".join(t.heavy) or "none",
              "ok" if t.wall_s <= TARGET_S else "over"] for t in timings]
    print(text_table(rows))
    print(f"({args.runs} runs each; 1-minute load average {load:.2f} at the start, "
          f"{os.cpu_count()} cores)")
    print("\noversized input: refused, in bounded memory")
    print(text_table([["input", "exit", "peak RSS", f"<= {PEAK_TARGET_MB} MB", "message"],
                      *([r.what, str(r.exit_code), f"{r.peak_mb:.0f} MB",
                         "ok" if r.peak_mb <= PEAK_TARGET_MB and r.exit_code else "over",
                         r.message[:90]] for r in refusals)]))
    # Timings depend on the machine's load; a heavy import, or an oversized input accepted or
    # costing more than the target, is a regression on any machine.
    bad = [r for r in refusals if not r.exit_code or r.peak_mb > PEAK_TARGET_MB]
    return 1 if any(t.heavy for t in timings) or bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
