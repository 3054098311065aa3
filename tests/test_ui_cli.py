"""`coach ui`: prints its address and serves the page; refuses a missing users file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from coach.cli.main import main
from coach.llm.local import free_port

COACH = Path(sys.executable).with_name("coach")


def test_coach_ui_prints_the_address_and_serves(coach_home):
    port = free_port()
    env = {**os.environ, "COACH_HOME": str(coach_home)}
    proc = subprocess.Popen([str(COACH), "ui", "--port", str(port)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = proc.stdout.readline()  # printed once the server is up
        assert f"http://127.0.0.1:{port}/" in line, (line, proc.stderr.read() if proc.poll() else "")
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    page = resp.read().decode()
                    assert resp.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "Promotion Coach" in page
    finally:
        proc.terminate()
        proc.wait(15)


def test_missing_users_file_is_a_clear_error(tmp_path, capsys):
    code = main(["ui", "--users-file", str(tmp_path / "nope.json"), "--port", str(free_port())])
    assert code == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "coach users add" in err


def test_port_in_use_is_a_clear_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code = main(["ui", "--port", str(busy.getsockname()[1])])
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot serve on 127.0.0.1" in err and "--port" in err and "Traceback" not in err
