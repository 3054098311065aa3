"""Back up a data home into one archive and restore it into an empty home.

The archive holds a logical dump of every table, read in one transaction (a consistent
snapshot even while the app writes), and the user's own documents. The search index is
not archived: it is rebuilt from the documents on restore.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from pydantic import BaseModel

from coach import __version__
from coach.domain.errors import CoachError
from coach.domain.limits import MAX_FILE_BYTES
from coach.services.context import Context
from coach.services.framework_index import drop_all_frameworks
from coach.store.migrations import MIGRATIONS, SERIAL_TABLES, TABLES
from coach.store.postgres import PostgresDatabase

FORMAT = 1


class BackupReport(BaseModel):
    path: str
    rows: dict[str, int]
    documents: int


class EraseReport(BaseModel):
    """What `erase` deleted: rows per table, the user's documents and exported files."""

    rows: dict[str, int]
    documents: int
    files: int


def _is_document(path: Path) -> bool:
    """A file of the documents folder the user would call a document: not the trust list
    (`.trusted.json`) or any other dot file the app keeps beside them."""
    return not path.name.startswith(".")


def _snapshot(ctx: Context) -> dict[str, list[dict]]:
    db = ctx.store.db
    if not isinstance(db, PostgresDatabase):  # SQLite
        conn = db.conn
        conn.execute("BEGIN")  # a read transaction: one consistent WAL snapshot
        try:
            return {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1")]
                    for t in TABLES}
        finally:
            conn.execute("COMMIT")
    with db.pg.transaction():
        db.pg.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return {t: db.query(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def backup(ctx: Context, target: Path) -> BackupReport:
    """Write one consistent archive of the home to `target` (a .tar.gz)."""
    target = target.expanduser()
    if target.is_dir():
        raise CoachError(f"{target} is a folder", hint="Give a file name, e.g. coach-backup.tar.gz.")
    tables = _snapshot(ctx)
    manifest = {
        "format": FORMAT,
        "coach_version": __version__,
        "schema_version": max(v for v, _, _ in MIGRATIONS),
        "rows": {t: len(rows) for t, rows in tables.items()},
    }
    docs_dir = ctx.settings.documents_dir
    documents = sorted(p for p in docs_dir.rglob("*") if p.is_file()) if docs_dir.exists() else []
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    with tarfile.open(tmp, "w:gz") as tar:
        for name, payload in (("manifest.json", manifest), ("tables.json", tables)):
            data = json.dumps(payload, ensure_ascii=False, default=str).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for doc in documents:
            tar.add(doc, arcname=f"documents/{doc.relative_to(docs_dir).as_posix()}")
    tmp.replace(target)  # the archive appears whole or not at all
    shown = sum(map(_is_document, documents))  # the trust list goes along, uncounted
    return BackupReport(path=str(target), rows=manifest["rows"], documents=shown)


def _home_is_empty(ctx: Context) -> bool:
    if ctx.store.count_entries() or ctx.store.get_profile() is not None:
        return False
    return not any(ctx.store.db.query(f"SELECT 1 FROM {t} LIMIT 1") for t in TABLES)


def restore(ctx: Context, source: Path) -> BackupReport:
    """Restore an archive into an empty home; refuses to overwrite anything."""
    source = source.expanduser()
    if not source.is_file():
        raise CoachError(f"no backup file at {source}")
    try:
        tar = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise CoachError(f"{source} is not a Promotion Coach backup ({exc})") from None
    with tar, tempfile.TemporaryDirectory() as tmpdir:
        try:
            names = set(tar.getnames())
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise CoachError(f"{source} is not a Promotion Coach backup ({exc})") from None
        if not {"manifest.json", "tables.json"} <= names:
            raise CoachError(f"{source} is not a Promotion Coach backup (no manifest)")
        if not _home_is_empty(ctx):
            raise CoachError(f"the data home {ctx.settings.home} is not empty",
                             code="home-not-empty", field="home",
                             hint="Restore into a new, empty data home.")
        unpacked = sum(m.size for m in tar.getmembers() if m.isfile())  # from the headers
        if unpacked > MAX_FILE_BYTES["backup"]:
            raise CoachError(f"{source} unpacks to {unpacked // 1024 // 1024:,} MB; the limit is "
                             f"{MAX_FILE_BYTES['backup'] // 1024 // 1024} MB", code="too-big",
                             field="file", hint="Nothing was restored.")
        for member in tar.getmembers():
            if not (member.isfile() and (member.name in ("manifest.json", "tables.json")
                                         or member.name.startswith("documents/"))):
                continue
            if ".." in Path(member.name).parts or member.name.startswith("/"):
                raise CoachError(f"{source} holds an unsafe path: {member.name}")
        tar.extractall(tmpdir, filter="data")
        manifest = json.loads(Path(tmpdir, "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise CoachError(f"backup format {manifest.get('format')} is not supported")
        if manifest.get("schema_version", 0) > max(v for v, _, _ in MIGRATIONS):
            raise CoachError("this backup comes from a newer Promotion Coach",
                             hint="Upgrade, then restore.")
        tables = json.loads(Path(tmpdir, "tables.json").read_text())
        db = ctx.store.db
        with db.tx() as cur:
            for table in TABLES:
                for row in tables.get(table, []):
                    cols = ", ".join(row)
                    marks = ", ".join("?" for _ in row)
                    cur.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                                tuple(row.values()))
        if isinstance(db, PostgresDatabase):
            db.reset_sequences(SERIAL_TABLES)
        docs_src = Path(tmpdir, "documents")
        count = 0
        if docs_src.is_dir():
            for doc in docs_src.rglob("*"):
                if doc.is_file():
                    dest = ctx.settings.documents_dir / doc.relative_to(docs_src)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(doc, dest)
                    count += _is_document(doc)
    return BackupReport(path=str(source), rows=manifest["rows"], documents=count)


def erase(ctx: Context) -> EraseReport:
    """Delete everything the user put in this home: every row, their own documents (and
    their passages in the index) and exported files. The built-in guides stay."""
    documents = 0
    for doc in ctx.kb.list_documents():
        if doc.kind == "user":
            ctx.kb.remove_document(doc.id)
            documents += 1
    drop_all_frameworks(ctx)  # their criteria's passages: the frameworks go with the rows
    docs_dir = ctx.settings.documents_dir
    for path in [p for p in docs_dir.rglob("*") if p.is_file()] if docs_dir.exists() else []:
        path.unlink()  # a file put there by hand, never indexed, or the trust list
        documents += _is_document(path)
    db = ctx.store.db
    rows: dict[str, int] = {}
    with db.tx() as cur:
        for table in reversed(TABLES):  # children before parents
            rows[table] = cur.execute(f"DELETE FROM {table}").rowcount
    files = 0
    for folder in (ctx.settings.exports_dir, ctx.settings.home / "logs"):
        for path in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
            if path.is_file() and not path.name.startswith("local-model"):
                path.unlink()
                files += 1
    return EraseReport(rows=rows, documents=documents, files=files)
