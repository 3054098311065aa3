"""The embedded model's server process: `python -m coach.llm.local_server --model PATH --port N`.

It runs apart from the app so a slow load or a crash in native code never takes the app
down, and so several `coach` processes can share one loaded model. xllamacpp serves an
OpenAI-compatible API (`/v1/chat/completions`, `/health`, `/metrics`) from its own threads;
this process only keeps it alive and exits after a stretch without requests, so a CLI call
never leaves a 2 GB orphan behind for good.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import urllib.request

POLL_S = 5.0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coach.llm.local_server")
    parser.add_argument("--model", required=True, help="path to the GGUF file")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--poll", type=int, default=50,
                        help="0-100: how hard idle worker threads spin (0 sleeps; kinder to "
                             "a busy CPU)")
    parser.add_argument("--idle-timeout", type=float, default=900.0,
                        help="exit after this many seconds without a request (0 = never)")
    parser.add_argument("--alias", default="local")
    return parser.parse_args(argv)


def _activity(port: int) -> tuple[float, float] | None:
    """(requests in flight, tokens processed so far) from the server's /metrics."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            text = resp.read().decode("utf-8", "replace")
    except Exception:
        return None
    busy = total = 0.0
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, _, value = line.rpartition(" ")
        try:
            number = float(value)
        except ValueError:
            continue
        if name.startswith(("llamacpp:requests_processing", "llamacpp:requests_deferred")):
            busy += number
        elif name.startswith(("llamacpp:prompt_tokens_total", "llamacpp:tokens_predicted_total",
                              "llamacpp:n_decode_total")):
            total += number
    return busy, total


def wait_until_idle(port: int, idle_timeout_s: float, stop: threading.Event,
                    poll_s: float = POLL_S) -> str:
    """Block until `stop` is set ("stopped") or no request was seen for a while ("idle").

    Activity = requests in flight, or token counters that moved since the last look.
    """
    last_seen = None
    last_change = time.monotonic()
    while not stop.wait(poll_s):
        if idle_timeout_s <= 0:
            continue
        activity = _activity(port)
        now = time.monotonic()
        if activity is not None and (activity != last_seen or activity[0] > 0):
            last_seen = activity
            last_change = now
        elif now - last_change >= idle_timeout_s:
            return "idle"
    return "stopped"


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}  # a set of names, not a string
    params.n_ctx = args.ctx
    params.n_parallel = args.parallel
    params.port = args.port
    params.hostnames = ["127.0.0.1"]
    params.offline = True
    params.cache_ram_mib = 256  # the default (8 GiB) is far more than a 2 GB laptop budget
    params.endpoint_metrics = True  # the idle timer below reads /metrics
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.cpuparams.poll = args.poll
    params.cpuparams_batch.poll = args.poll
    # No repacked weight buffers: on AVX2 the plain Q4_K kernels read a prompt 15-25% faster
    # (36 vs 31 tokens/s for a 50-token turn, 44 vs 35 for 300 tokens; generation the same),
    # and reading the new turn is most of the wait for a reply's first word.
    params.no_extra_bufts = True
    server = xllamacpp.Server(params)  # loads the model and starts serving on its own threads

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    print(json.dumps({"event": "ready", "pid": os.getpid(), "port": args.port}), file=sys.stderr,
          flush=True)

    reason = wait_until_idle(args.port, args.idle_timeout, stop)
    print(json.dumps({"event": "exit", "reason": reason}), file=sys.stderr, flush=True)
    del server
    # The native server threads do not always wind down cleanly; the process is done anyway.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
