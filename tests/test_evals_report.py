"""The HTML report opens in a real browser and renders: a headless Chromium screenshot of the
recorded suite's report, kept in artifacts/screenshots/eval-report.png."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from coach.evals import runner
from coach.evals.examples import recordings
from coach.evals.recording import RECORDED_DIR, save_recordings
from coach.services.context import Context
from tests.paths import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SHOT = REPO_ROOT / "artifacts" / "screenshots" / "eval-report.png"


@pytest.fixture
def report(coach_home, tmp_path) -> Path:
    """The report of the committed suite (or, before anything is recorded, of the examples)."""
    ctx = Context.open(coach_home)
    folder = RECORDED_DIR
    if not any(RECORDED_DIR.glob("*.jsonl")):
        folder = tmp_path / "recorded"
        save_recordings(recordings(), folder)
    record = runner.replay(ctx.settings, runner.RunOptions(recorded_dir=folder, progress=False))
    return runner.runs_dir(ctx.settings) / record.id / "report.html"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)")
def test_report_renders_in_headless_chromium(report, tmp_path):
    out = tmp_path / "eval-report.png"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--run-all-compositor-stages-before-draw",
           "--disable-background-networking", "--disable-component-update", "--no-first-run",
           "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={tmp_path / 'profile'}",
           f"--screenshot={out}", "--window-size=1280,1600", "--virtual-time-budget=2000",
           report.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.is_file() and out.stat().st_size > 20_000, done.stderr[-2000:]
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(out, SHOT)
