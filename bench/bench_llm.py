"""Benchmark the embedded model: `.venv/bin/python -m bench.bench_llm [--tokens N] [--runs N]`.

Starts its own server (so load time and peak memory are its own), then measures:
load time, time to first token for a cold first turn, a first turn after `warm()` and a
follow-up turn (the prompt cache at work), generation speed through the gateway vs a raw
HTTP call for the same prompt (the gateway's overhead), and the server's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.processes import stop
from coach.config import Settings, set_offline_env

PERSONA = (
    "You play Dana, an engineering manager, in a rehearsal of a promotion conversation. "
    "Your report is asking to be promoted from senior engineer to staff engineer. Stay in "
    "role as the manager: ask for evidence, mention the calibration committee, and be "
    "friendly but non-committal. Keep every reply to two short sentences. Never write the "
    "report's lines. The report has led the payments migration, mentored two engineers, and "
    "cut incident volume by a third over two quarters; the team's budget for promotions is "
    "limited this cycle and the review cycle closes in six weeks."
)
TURN_1 = "Hi Dana, thanks for making time. I'd like to talk about my promotion to staff."
TURN_2 = "I led the payments migration and cut incidents by a third. What else do you need?"
SPEED_PROMPT = [{"role": "system", "content": "You are a helpful writing assistant."},
                {"role": "user", "content": "Write a short paragraph on why regular one-to-one "
                                            "meetings help engineers grow."}]


@dataclass
class Row:
    metric: str
    value: str
    note: str = ""


def _vm(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _raw_completion(base: str, messages: list[dict], max_tokens: int) -> tuple[float, int]:
    """Wall time and completion tokens for one plain HTTP call (no LiteLLM)."""
    body = json.dumps({"model": "local", "messages": messages, "max_tokens": max_tokens,
                       "temperature": 0.0}).encode()
    req = urllib.request.Request(f"{base}/chat/completions", data=body,
                                 headers={"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as resp:
        data = json.loads(resp.read())
    return time.perf_counter() - start, int(data["usage"]["completion_tokens"])


def _ttft(llm, messages: list[dict], max_tokens: int = 8) -> tuple[float, str]:
    start = time.perf_counter()
    first = None
    text = []
    for piece in llm.stream(messages, max_tokens=max_tokens, temperature=0.0):
        if first is None:
            first = time.perf_counter() - start
        text.append(piece)
    return first or float("nan"), "".join(text)


def _start_server(model_path: Path, log: Path,
                  threads: int) -> tuple[subprocess.Popen, int, float]:
    from coach.llm import local

    port = local.free_port()
    cmd = [sys.executable, "-m", local.SERVER_MODULE, "--model", str(model_path),
           "--port", str(port), "--ctx", str(local.CTX), "--threads", str(threads),
           "--idle-timeout", "0"]
    start = time.perf_counter()
    with log.open("ab") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=fh, stdin=subprocess.DEVNULL)
    while not local.health(port, timeout=1.0):
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log}")
        if time.perf_counter() - start > local.START_DEADLINE_S:
            proc.kill()
            raise SystemExit("server did not become healthy in time")
        time.sleep(0.05)
    return proc, port, time.perf_counter() - start


def run(tokens: int, runs: int) -> list[Row]:
    from coach.llm.gateway import LiteLLMGateway
    from coach.llm.weights import ensure_weights

    settings = Settings.load()
    model_path = ensure_weights(settings)
    log = Path(tempfile.gettempdir()) / "coach-bench-llm.log"
    proc, port, load_s = _start_server(model_path, log, settings.local_threads)
    base = f"http://127.0.0.1:{port}/v1"
    rows = [Row("load (spawn to healthy)", f"{load_s:.2f} s", "new server process")]
    try:
        llm = LiteLLMGateway("local", api_base=base, timeout=600)
        # LiteLLM imports provider code on its first call: pay that before timing anything.
        llm.warm([{"role": "user", "content": "hi"}])  # one token, no empty-answer check
        system = {"role": "system", "content": PERSONA}
        turn1 = [system, {"role": "user", "content": TURN_1}]
        cold, reply = _ttft(llm, turn1, max_tokens=24)
        rows.append(Row("TTFT first turn, cold", f"{cold:.2f} s", "persona + turn 1 uncached"))
        followup = [*turn1, {"role": "assistant", "content": reply},
                    {"role": "user", "content": TURN_2}]
        warm_follow, _ = _ttft(llm, followup)
        rows.append(Row("TTFT follow-up turn", f"{warm_follow:.2f} s",
                        f"prefix cached; {cold / warm_follow:.1f}x faster than cold"))
        # A different persona, warmed first (what a role-play does when it opens).
        other = {"role": "system", "content": PERSONA.replace("Dana", "Priya")}
        start = time.perf_counter()
        llm.warm([other])
        warm_s = time.perf_counter() - start
        after_warm, _ = _ttft(llm, [other, {"role": "user", "content": TURN_1}])
        rows.append(Row("TTFT first turn after warm()", f"{after_warm:.2f} s",
                        f"warm() itself took {warm_s:.2f} s, off the user's clock"))

        # Per-call cost of the gateway itself: one token on a fully cached prompt.
        tiny = [{"role": "user", "content": "hi"}]
        raw_walls, gw_walls = [], []
        for _ in range(5):
            raw_walls.append(_raw_completion(base, tiny, 1)[0])
            start = time.perf_counter()
            llm.warm(tiny)  # the same one-token request, through LiteLLM
            gw_walls.append(time.perf_counter() - start)
        overhead_ms = (min(gw_walls) - min(raw_walls)) * 1000
        rows.append(Row("gateway overhead per call", f"{overhead_ms:.0f} ms",
                        f"1-token call, cached prompt: best {min(gw_walls) * 1000:.0f} ms via "
                        f"gateway vs {min(raw_walls) * 1000:.0f} ms raw"))

        gateway_rates, raw_rates = [], []
        _raw_completion(base, SPEED_PROMPT, tokens)  # same cache state for both below
        for _ in range(runs):
            wall, n = _raw_completion(base, SPEED_PROMPT, tokens)
            raw_rates.append(n / wall)
            start = time.perf_counter()
            result = llm.complete(SPEED_PROMPT, max_tokens=tokens, temperature=0.0)
            gateway_rates.append(result.completion_tokens / (time.perf_counter() - start))
        # Best of N: other processes only ever slow a run down, so the fastest run is the
        # closest to what each client itself costs.
        raw, gw = max(raw_rates), max(gateway_rates)
        rows.append(Row("generation, raw HTTP", f"{raw:.1f} tok/s",
                        f"best of {runs} (median {statistics.median(raw_rates):.1f}), "
                        f"{tokens} tokens, end to end"))
        rows.append(Row("generation, via gateway", f"{gw:.1f} tok/s",
                        f"best of {runs} (median {statistics.median(gateway_rates):.1f}), "
                        "same prompt"))
        ratio = gw / raw
        rows.append(Row("gateway / raw", f"{ratio:.3f}",
                        "target >= 0.95: " + ("met" if ratio >= 0.95 else "NOT met")))
        peak = _vm(proc.pid, "VmHWM")
        rows.append(Row("peak memory (server VmHWM)",
                        f"{peak / 2**30:.2f} GiB" if peak else "n/a", "n_ctx 4096"))
    finally:
        stop(proc, 15)
    return rows


def render(rows: list[Row]) -> str:
    width = max(len(r.metric) for r in rows)
    vwidth = max(len(r.value) for r in rows)
    lines = [f"| {'metric':<{width}} | {'value':<{vwidth}} | note", f"|{'-' * (width + 2)}|"
             f"{'-' * (vwidth + 2)}|------"]
    lines += [f"| {r.metric:<{width}} | {r.value:<{vwidth}} | {r.note}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.bench_llm", description=__doc__)
    parser.add_argument("--tokens", type=int, default=48, help="tokens per speed run")
    parser.add_argument("--runs", type=int, default=3, help="speed runs per client")
    args = parser.parse_args(argv)
    set_offline_env()
    load = os.getloadavg()[0]
    print(f"embedded model bench: {os.cpu_count()} cores, load average {load:.2f} at start")
    rows = run(args.tokens, args.runs)
    print(render(rows))
    print(f"load average {os.getloadavg()[0]:.2f} at end (others' work slows generation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
