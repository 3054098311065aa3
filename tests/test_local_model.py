"""The embedded model: joining and verifying weights, sharing one server between processes,
and (marked live, run by default) one short real generation."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

import pytest

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.llm import local, weights
from tests.paths import REPO_ROOT


# -- weights -----------------------------------------------------------------------------------
@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three small part files standing in for the 22 real ones, with matching pins."""
    parts = []
    for i in range(3):
        path = tmp_path / "parts" / f"part{i:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes([i]) * (1000 + i))
        parts.append(path)
    joined = b"".join(p.read_bytes() for p in parts)
    monkeypatch.setattr(weights, "MODEL_SIZE", len(joined))
    monkeypatch.setattr(weights, "MODEL_SHA256", hashlib.sha256(joined).hexdigest())
    monkeypatch.setattr(weights, "part_paths", lambda: parts)
    monkeypatch.setenv("COACH_MODELS_DIR", str(tmp_path / "models"))
    return parts


def test_join_verifies_and_marks(fake_parts, monkeypatch):
    settings = Settings.load()
    assert weights.weights_status(settings).present is False
    path = weights.ensure_weights(settings)
    assert path.read_bytes() == b"".join(p.read_bytes() for p in fake_parts)
    status = weights.weights_status(settings)
    assert status.present and status.verified
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".part")] == []

    # Later starts trust the marker: no re-hash, no re-join.
    monkeypatch.setattr(weights, "_sha256", lambda p: pytest.fail("re-hashed"))
    monkeypatch.setattr(weights, "_join", lambda *a: pytest.fail("re-joined"))
    assert weights.ensure_weights(settings) == path


def test_corrupt_parts_are_refused(fake_parts):
    fake_parts[1].write_bytes(b"\x07" * 1001)  # same size, wrong bytes
    settings = Settings.load()
    with pytest.raises(CoachError) as err:
        weights.ensure_weights(settings)
    assert "corrupt" in str(err.value) and "make setup" in str(err.value)
    folder = weights.models_dir(settings)
    assert sorted(p.name for p in folder.iterdir()) == [".weights.lock"]  # nothing half-written


def test_a_changed_file_is_hashed_again(fake_parts):
    settings = Settings.load()
    path = weights.ensure_weights(settings)
    os.utime(path, ns=(1, 1))  # touched since the check: the marker no longer vouches for it
    assert weights.weights_status(settings).verified is False
    assert weights.ensure_weights(settings) == path
    assert weights.weights_status(settings).verified is True


def test_missing_part_package_names_the_set_up_command(monkeypatch):
    monkeypatch.setattr(weights, "PART_PACKAGE", "coach_no_such_model_part{}")
    with pytest.raises(CoachError) as err:
        weights.part_paths()
    assert "coach-no-such-model-part1" in str(err.value)
    assert "make setup" in str(err.value) and "make run" in str(err.value)


def test_the_real_parts_are_installed():
    paths = weights.part_paths()
    assert len(paths) == weights.N_PARTS
    assert sum(p.stat().st_size for p in paths) == weights.MODEL_SIZE


# -- the server manager, with a stand-in server process ------------------------------------------
@pytest.fixture
def fake_server(tmp_path, monkeypatch):
    """LocalServer starting `tests.faultserver` instead of loading 1.9 GB of model."""
    monkeypatch.setenv("COACH_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(local, "SERVER_MODULE", "tests.faultserver")
    monkeypatch.setattr(local, "ensure_weights", lambda settings: tmp_path / "fake.gguf")
    monkeypatch.chdir(REPO_ROOT)  # so `python -m tests.faultserver` finds the package
    servers = []

    def make() -> local.LocalServer:
        server = local.LocalServer(Settings.load())
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def test_start_once_then_reuse_across_processes(fake_server):
    first = fake_server()
    info = first.ensure(deadline_s=20)
    assert local.health(info.port)
    assert first.started_here
    assert first.read_state() == info

    # A second manager stands for a second `coach` process: it finds the live server.
    second = fake_server()
    assert second.ensure() == info
    assert not second.started_here
    status = second.status()
    assert status.healthy and status.server == info

    assert second.stop() is True
    deadline = time.monotonic() + 5
    while local._is_our_server(info.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not local.health(info.port, timeout=0.5)
    assert first.read_state() is None
    assert second.stop() is False


def test_stale_state_file_starts_a_new_server(fake_server):
    server = fake_server()
    server.folder.mkdir(parents=True, exist_ok=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    server.state_file.write_text(json.dumps(
        {"pid": dead.pid, "port": 9, "sha256": local.MODEL_SHA256, "started_at": 0}))
    info = server.ensure(deadline_s=20)
    assert info.pid != dead.pid and local.health(info.port)


def test_a_server_that_dies_is_restarted_on_next_use(fake_server):
    server = fake_server()
    info = server.ensure(deadline_s=20)
    os.kill(info.pid, 15)
    server._proc.wait(timeout=5)
    again = server.ensure(deadline_s=20)
    assert again.pid != info.pid and local.health(again.port)


def test_a_server_that_cannot_start_is_a_clear_error(fake_server, monkeypatch):
    monkeypatch.setattr(local, "SERVER_MODULE", "coach_no_such_server_module")
    with pytest.raises(CoachError) as err:
        fake_server().ensure(deadline_s=20)
    assert "could not start" in str(err.value) and "local-model.log" in str(err.value)


def test_models_list_does_not_load_the_model(fake_server, capsys):
    from coach.cli.main import main

    assert main(["models", "--json"]) in (0, 1)
    out = capsys.readouterr().out
    assert '"name": "local"' in out and "server not running" in out


def test_models_stop_without_a_server(fake_server, capsys):
    from coach.cli.main import main

    assert main(["models", "stop"]) == 0
    assert "was not running" in capsys.readouterr().out


# -- the real thing ------------------------------------------------------------------------------
@pytest.mark.live
def test_live_local_generation(local_model, ctx):
    """One short real answer from the embedded model, through the factory and the gateway."""
    from coach.llm.factory import build_llm
    from coach.llm.local import local_server

    llm = build_llm(ctx.settings, call_log=ctx.log_call)
    assert llm.model == "local"
    result = llm.complete([{"role": "user", "content": "Reply with one word: hello."}],
                          max_tokens=6, temperature=0.0)
    assert result.text.strip() and result.completion_tokens >= 1
    assert local_server(ctx.settings).running() == local_model  # reused, not started again
    call = ctx.store.calls()[0]
    assert call.model == "local" and call.outcome == "ok" and call.cost_usd == 0.0


# -- the server's idle timer -------------------------------------------------------------------
def test_idle_server_exits_and_busy_one_stays():
    import threading

    from coach.llm.local_server import wait_until_idle
    from tests.faultserver import FaultServer

    with FaultServer() as srv:
        stop = threading.Event()
        start = time.monotonic()
        assert wait_until_idle(srv.port, 0.3, stop, poll_s=0.05) == "idle"
        assert 0.3 <= time.monotonic() - start < 2

        def keep_busy():
            for i in range(12):
                srv.metrics["tokens_predicted_total"] = i  # tokens keep flowing
                time.sleep(0.05)
            stop.set()

        worker = threading.Thread(target=keep_busy)
        worker.start()
        assert wait_until_idle(srv.port, 0.3, stop, poll_s=0.05) == "stopped"
        worker.join()
        assert wait_until_idle(srv.port, 0, stop) == "stopped"  # 0 = never idle out
