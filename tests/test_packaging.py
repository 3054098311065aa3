"""The installed wheel works on its own: built from this checkout, installed into a new virtual
environment and run from a folder outside the checkout.

The test stays offline: the wheel is built without build isolation (the venv's setuptools),
and the new environment sees the dev environment's third-party packages through a `.pth`
line instead of downloading them, while `coach` itself comes only from the installed wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

from coach.llm.local import free_port
from tests.paths import REPO_ROOT

UV = Path(sys.executable).with_name("uv")
PROFILE = ["profile", "set", "--current-title", "Senior Engineer", "--target-title",
           "Staff Engineer", "--transition", "ic-to-lead", "--months-in-role", "14"]
ENTRY = ["log", "add", "Led the payments migration", "--metric", "cut p95 latency 40%",
         "--kind", "leadership", "--date", "2026-03-01", "--next-level"]


def _package_dirs() -> set[str]:
    """Every importable package of the checkout, by the name it installs under."""
    mapping = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = set()
    for name, folder in {"coach": "coach", **mapping["package-dir"]}.items():
        root = REPO_ROOT / folder
        for init in root.rglob("__init__.py"):
            rel = init.parent.relative_to(root).parts
            if "__pycache__" not in rel:
                found.add(".".join((name, *rel)))
    return found


def test_the_package_list_names_every_package():
    listed = set(tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
                 ["tool"]["setuptools"]["packages"])
    assert listed == _package_dirs()


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new venv with the wheel of this checkout installed; returns its bin folder."""
    if not UV.exists():
        pytest.skip("uv is not installed in this environment (make setup installs it)")
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([str(UV), "build", "--wheel", "--no-build-isolation", "--python", sys.executable,
                    "--out-dir", str(dist), str(REPO_ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("promotion_coach-*.whl"))
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"coach", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}

    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    (purelib / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(UV), "pip", "install", "--offline", "--no-deps", "--python",
                    str(venv / "bin" / "python"), str(wheel)], check=True, capture_output=True)
    return venv / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["COACH_HOME"] = str(cwd / "home")
    proc = subprocess.run([str(bin_dir / "coach"), *args], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc.stdout


def test_the_installed_wheel_runs_the_journey_outside_the_checkout(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c", "import coach; print(coach.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert str(installed.parent) in where and str(REPO_ROOT) not in where

    _run(installed, tmp_path, "init")
    assert '"source": "timing.md"' in _run(installed, tmp_path, "search", "hiring freeze", "--json")
    shipped = subprocess.run(
        [str(installed / "python"), "-c", "from coach.prompts import all_prompts; "
         "from coach.assets import scripts_dir; "
         "print(len(all_prompts()), len(list(scripts_dir().glob('*.txt'))))"],
        cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert int(shipped[0]) >= 8 and int(shipped[1]) == 22, shipped  # 10 promotion + 12 scenario scripts
    _run(installed, tmp_path, *PROFILE)
    _run(installed, tmp_path, *ENTRY)
    _run(installed, tmp_path, "proposal", "--no-model", "--out", "case.md")
    assert "payments migration" in (tmp_path / "case.md").read_text(encoding="utf-8")
    report = _run(installed, tmp_path, "eval", "run", "--replay", "--quiet")
    assert "proposal" in report and "report:" in report


def test_the_installed_wheel_serves_the_web_app(installed, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["COACH_HOME"] = str(tmp_path / "home")
    proc = subprocess.Popen([str(installed / "coach"), "ui", "--port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    assert resp.status == 200
                    assert "Promotion Coach" in resp.read().decode()
                    break
            except OSError:
                assert proc.poll() is None, proc.stderr.read()[-2000:]
                assert time.monotonic() < deadline, "the installed app did not serve in 90 s"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(15)
