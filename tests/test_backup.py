"""Backup and restore of a data home, by round trip, including while writes go on."""

from __future__ import annotations

import datetime as dt
import json
import tarfile
import threading

import pytest

from coach.cli.main import main
from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft
from coach.services import backup
from coach.services.context import Context


def fill(ctx: Context) -> None:
    from coach.services.profile import set_profile

    set_profile(ctx, {"current_title": "Engineer", "target_title": "Senior Engineer",
                      "transition": "ic-to-lead", "months_in_role": 20})
    ctx.store.add_entries([EntryDraft(date=dt.date(2026, 1, i), title=f"Win {i}",
                                      metric=f"{i * 10}% faster") for i in range(1, 6)])
    ctx.store.delete_entry(2)  # ids with a gap must survive the round trip
    ctx.store.save_artifact("proposal", "proposal", "# Case", {"v": 1})
    conv = ctx.store.new_conversation("chat", "prep")
    ctx.store.add_messages(conv.id, [("user", "hi", None), ("assistant", "hello", {"c": [1]})])
    ctx.store.save_scorecard(conv.id, 0.75, {"checks": []})
    ctx.settings.documents_dir.mkdir(parents=True, exist_ok=True)
    (ctx.settings.documents_dir / "framework.md").write_text("# Levels\n", encoding="utf-8")


def dump(ctx: Context) -> dict:
    from coach.store.migrations import TABLES

    return {t: ctx.store.db.query(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def test_round_trip(tmp_path):
    src = Context.open(tmp_path / "a")
    fill(src)
    archive = tmp_path / "backup.tar.gz"
    report = backup.backup(src, archive)
    assert report.rows["entries"] == 4 and report.documents == 1
    dst = Context.open(tmp_path / "b")
    backup.restore(dst, archive)
    assert dump(dst) == dump(src)
    assert (dst.settings.documents_dir / "framework.md").read_text() == "# Levels\n"
    # New ids continue after the restored ones.
    assert dst.store.add_entry(EntryDraft(date=dt.date(2026, 2, 1), title="Next")).id == 6


def test_restore_refuses_a_home_with_data(tmp_path):
    src = Context.open(tmp_path / "a")
    fill(src)
    archive = tmp_path / "backup.tar.gz"
    backup.backup(src, archive)
    with pytest.raises(CoachError, match="is not empty"):
        backup.restore(src, archive)


@pytest.mark.parametrize("content", [b"", b"not a tarball", b"\x1f\x8b\x08garbage"])
def test_restore_rejects_broken_archives(tmp_path, content):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(content)
    with pytest.raises(CoachError, match="not a Promotion Coach backup"):
        backup.restore(Context.open(tmp_path / "b"), bad)


def test_restore_rejects_path_traversal(tmp_path):
    bad = tmp_path / "evil.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for name, data in (("manifest.json", b'{"format": 1}'), ("tables.json", b"{}"),
                           ("documents/../../escape.txt", b"x")):
            import io

            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(CoachError, match="unsafe path"):
        backup.restore(Context.open(tmp_path / "b"), bad)
    assert not (tmp_path / "escape.txt").exists()


def test_backup_while_writing_is_consistent(tmp_path):
    """A backup taken during a stream of writes holds a prefix of them, never half a batch."""
    src = Context.open(tmp_path / "a")
    stop = threading.Event()

    def writer():
        ctx = Context.open(tmp_path / "a")
        i = 0
        while not stop.is_set() and i < 400:
            i += 1
            ctx.store.add_entries([EntryDraft(date=dt.date(2026, 1, 1), title=f"batch {i} a"),
                                   EntryDraft(date=dt.date(2026, 1, 1), title=f"batch {i} b")])

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        archives = []
        for n in range(3):
            archive = tmp_path / f"b{n}.tar.gz"
            backup.backup(src, archive)
            archives.append(archive)
    finally:
        stop.set()
        thread.join()
    for archive in archives:
        with tarfile.open(archive) as tar:
            tables = json.load(tar.extractfile("tables.json"))
        titles = [r["title"] for r in tables["entries"]]
        assert len(titles) % 2 == 0  # batches are whole


def test_cli_backup_restore(capsys, tmp_path):
    assert main(["--home", str(tmp_path / "a"), "log", "add", "Win", "--date", "2026-01-01"]) == 0
    archive = tmp_path / "x.tar.gz"
    assert main(["--home", str(tmp_path / "a"), "backup", str(archive)]) == 0
    assert main(["--home", str(tmp_path / "new"), "restore", str(archive)]) == 0
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "new"), "log", "list", "--json"]) == 0
    assert [e["title"] for e in json.loads(capsys.readouterr().out)] == ["Win"]


def test_erase_deletes_the_users_data_and_a_backup_restores_it(tmp_path, capsys):
    ctx = Context.open(tmp_path / "a")
    fill(ctx)
    ctx.settings.exports_dir.mkdir(parents=True, exist_ok=True)
    (ctx.settings.exports_dir / "impact-log.csv").write_text("date,title\n")
    before = dump(ctx)
    archive = tmp_path / "backup.tar.gz"
    backup.backup(ctx, archive)
    assert main(["--home", str(ctx.settings.home), "erase"]) == 1  # not without --yes
    assert "cannot be undone" in capsys.readouterr().err
    assert main(["--home", str(ctx.settings.home), "erase", "--yes", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"]["entries"] == 4 and report["files"] == 1 and report["documents"] == 1
    assert all(rows == [] for rows in dump(ctx).values())
    assert not any(ctx.settings.exports_dir.iterdir())
    backup.restore(ctx, archive)  # an erased home is empty: the backup goes back in
    assert dump(ctx) == before
