"""`coach demo` writes the whole journey into one folder with an index page."""

from __future__ import annotations

import json

from coach.cli.demo_cmds import write_demo
from coach.cli.main import main
from coach.domain.roleplay import ResponseType
from coach.services.context import Context
from coach.testing import FakeCoachModel


def test_demo_writes_every_artifact(tmp_path, coach_home):
    ctx = Context.open(coach_home, llm=FakeCoachModel())
    out = tmp_path / "demo"
    report = write_demo(ctx, out)
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for expected in ("index.html", "readiness.json", "timing.json", "proposal.md", "proposal.docx",
                     "eval-report/report.html"):
        assert expected in names
    for response in ResponseType:
        saved = json.loads((out / f"roleplay-{response}.json").read_text())
        assert saved["response_type"] == response
        assert saved["scorecard"]["checks"]
    assert sum(n.endswith(".eml") for n in names) == 4
    assert any(n.endswith(".ics") for n in names)
    index = (out / "index.html").read_text()
    for item in report.items:
        for f in item.files:
            assert f in index and (out / f).exists()


def test_demo_refuses_a_folder_with_files(tmp_path, capsys):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["demo", "--out", str(out)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert (out / "keep.txt").read_text() == "mine"
