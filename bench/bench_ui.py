"""Web app timings: cold start of `coach ui` to the first page, and time to the first streamed
token in Prepare (chat) and Role-play.

    .venv/bin/python -m bench.bench_ui                 # fake model (fast, no weights)
    .venv/bin/python -m bench.bench_ui --model local   # the embedded model
    .venv/bin/python -m bench.bench_ui --runs 5

The token timings go through the app's own API endpoints (`/chat`, `/roleplay_turn`), which
run the same handlers' streaming path as the tabs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.processes import stop
from bench.tables import text_table
from coach.llm.local import free_port

ROOT = Path(__file__).resolve().parent.parent
COACH = ROOT / ".venv" / "bin" / "coach"
START_DEADLINE_S = 180.0


@dataclass
class Row:
    what: str
    seconds: list[float]
    note: str = ""

    def cells(self) -> list[str]:
        s = self.seconds
        if not s:
            return [self.what, "-", "-", "-", self.note]
        return [self.what, f"{statistics.median(s):.2f}", f"{min(s):.2f}", f"{max(s):.2f}",
                self.note]


def cold_start(home: Path) -> float:
    """Seconds from spawning `coach ui` to HTTP 200 on /."""
    port = free_port()
    env = {**os.environ, "COACH_HOME": str(home)}
    env.pop("COACH_USERS_FILE", None)
    cmd = [str(COACH) if COACH.exists() else sys.executable, *([] if COACH.exists() else
           ["-m", "coach.cli.main"]), "ui", "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < START_DEADLINE_S:
            if proc.poll() is not None:
                raise RuntimeError(f"`coach ui` exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise RuntimeError("`coach ui` did not answer in time")
    finally:
        stop(proc, 10)


def _first_token(job) -> float:
    """Seconds until the job's first streamed update with text; waits for the end."""
    started = time.perf_counter()
    first = None
    while not job.done():
        if first is None and any(o.get("text") or o.get("answer") for o in job.outputs()):
            first = time.perf_counter() - started
        time.sleep(0.005)
    job.result()
    return first if first is not None else time.perf_counter() - started


def token_timings(model: str | None, runs: int) -> list[Row]:
    from gradio_client import Client

    from coach.services import sample
    from coach.services.context import Context
    from coach.testing import FakeCoachModel
    from coach.ui.app import start

    home = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    llm = None if model else FakeCoachModel()
    ctx = Context.open(home, model=model, llm=llm)
    sample.load_sample(ctx)
    ctx.kb.index()  # the guidance index is built once per home; not what this measures
    server = start(base_home=home, port=free_port(), model=model, llm=llm, warm_index=False)
    chat, roleplay = [], []
    try:
        client = Client(server.url, verbose=False)
        for i in range(runs):
            chat.append(_first_token(client.submit(
                message=f"When is a good time to ask for a promotion? ({i})", api_name="/chat")))
            session = client.predict(response="not-yet", difficulty="realistic",
                                     api_name="/roleplay_start")
            roleplay.append(_first_token(client.submit(
                session_id=session["session_id"],
                line="I led the checkout move and cut p95 latency from 900 ms to 350 ms.",
                api_name="/roleplay_turn")))
    finally:
        server.close()
    name = model or "fake (scripted, in-process)"
    return [Row("Prepare: first streamed token", chat, name),
            Row("Role-play: first streamed token", roleplay, name)]


def table(rows: list[Row]) -> str:
    return text_table([["measure", "median s", "min s", "max s", "note"], *(r.cells() for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a model string (default: the scripted fake model)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from coach.config import default_home, set_offline_env

    set_offline_env()
    # Scratch homes below: share the machine's one copy of the model weights (1.1 GB).
    os.environ.setdefault("COACH_MODELS_DIR", str(default_home() / "cache" / "models"))
    starts = [cold_start(Path(tempfile.mkdtemp(prefix="bench-ui-cold-")))
              for _ in range(args.runs)]
    rows = [Row("`coach ui` cold start -> HTTP 200 on /", starts, "fresh data home each run"),
            *token_timings(args.model, args.runs)]
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
