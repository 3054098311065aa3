"""`coach ui` stopped by a signal stops the embedded model server it started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.llm.local import free_port
from tests.paths import REPO_ROOT

# `coach ui` with the model server swapped for the test stand-in (as tests/test_local_model.py
# does in-process): the same command, the same clean-up, no 1 GB model to load.
LAUNCH = """
import sys
from pathlib import Path
from coach.llm import local
local.SERVER_MODULE = "tests.faultserver"
local.ensure_weights = lambda settings: Path(sys.argv[1]) / "fake.gguf"
from coach.cli.main import main
sys.exit(main(["--home", sys.argv[1], "ui", "--port", sys.argv[2]]))
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_coach_ui_stops_the_model_server_it_started(tmp_path, sig):
    from gradio_client import Client

    home, port = tmp_path / "home", free_port()
    env = {**os.environ, "COACH_MODELS_DIR": str(tmp_path / "models"), "COACH_MODEL": "local",
           "PYTHONPATH": str(REPO_ROOT)}
    app = subprocess.Popen([sys.executable, "-c", LAUNCH, str(home), str(port)], cwd=REPO_ROOT,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = app.stdout.readline()
        assert "is running at" in line, line + app.stdout.read()
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        client.predict(current_title="Engineer", target_title="Senior Engineer",
                       transition="ic-to-lead", months_in_role=14, api_name="/set_profile")
        client.predict(api_name="/proposal")  # asks the model: the app starts its server
        server = json.loads((tmp_path / "models" / "server.json").read_text())["pid"]
        assert _alive(server)
        app.send_signal(sig)
        assert app.wait(timeout=120) == 0, app.stdout.read()
        deadline = time.monotonic() + 15
        while _alive(server) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(server), "the model server outlived the app that started it"
    finally:
        if app.poll() is None:
            app.kill()
