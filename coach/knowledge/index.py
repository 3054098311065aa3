"""The index of one data home: shipped guidance and the user's documents in one Chroma collection.

Indexing is incremental. Each file is hashed; a file whose hash matches the manifest is
not read, chunked or embedded again, and chunks of files that disappeared are deleted.
Chunk ids carry the content hash, so the collection itself records which version of a
file each chunk came from and the manifest can always be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coach.assets import guides_dir
from coach.config import Settings
from coach.domain.errors import CoachError
from coach.knowledge import manifest as mf
from coach.knowledge.chunking import chunk_document
from coach.knowledge.client import open_client
from coach.knowledge.documents import (
    MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    Kind,
    load_file,
    sha256_bytes,
    trusted_names,
)
from coach.knowledge.embedder import MODEL_NAME, MiniLMEmbeddingFunction
from coach.knowledge.reports import ConsistencyReport, IndexReport, SkippedFile

COLLECTION = "coach-knowledge"
UPSERT_BATCH = 128


@dataclass(frozen=True)
class _FileRef:
    key: str
    path: Path
    kind: Kind
    data: bytes
    content_hash: str
    size: int  # on disk: a user file over the limit is never read, so `data` is empty


class Indexer:
    """Keeps one data home's Chroma collection and manifest in step with its files.

    Every write to the collection happens under `locked()` and ends by saving the manifest,
    whose identity (`manifest_path`'s stat) therefore tells readers when the index changed.
    """

    def __init__(self, settings: Settings, *, guidance_dir: Path | None = None):
        self.settings = settings
        self.guidance_dir = Path(guidance_dir) if guidance_dir else guides_dir()
        self.embedding_function = MiniLMEmbeddingFunction(
            threads=settings.embed_threads, spin=settings.embed_spin,
            cache_dir=settings.embed_cache_dir)
        self.client = open_client(settings)
        # A Chroma server may be shared by several data homes: give each its own collection.
        self.collection_name = COLLECTION if not settings.chroma_url else (
            f"{COLLECTION}-{sha256_bytes(str(settings.home.resolve()).encode())[:12]}")
        self.manifest_path = settings.index_dir / mf.MANIFEST_NAME
        self._collection = None

    # --- collection and state ---------------------------------------------------------

    @property
    def collection(self):
        if self._collection is None:
            col = self.client.get_or_create_collection(
                name=self.collection_name,
                embedding_function=self.embedding_function,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": MODEL_NAME},
            )
            if (col.metadata or {}).get("embedder") != MODEL_NAME:
                # Vectors from another model are not comparable: start over.
                self.client.delete_collection(self.collection_name)
                self.manifest_path.unlink(missing_ok=True)
                return self.collection
            self._collection = col
        return self._collection

    def state(self) -> tuple[mf.Manifest, bool]:
        """The manifest, rebuilt from the collection if it is missing or out of step; and
        whether it had to be rebuilt."""
        col = self.collection
        manifest = mf.load(self.manifest_path)
        if (manifest is not None and manifest.model == MODEL_NAME
                and manifest.collection_id == str(col.id)
                and manifest.chunk_count() == col.count()):
            return manifest, False
        got = col.get(include=["metadatas"])
        files = mf.from_metadata(got["ids"], got["metadatas"] or [])
        return mf.Manifest(model=MODEL_NAME, collection_id=str(col.id), files=files), True

    def save(self, manifest: mf.Manifest) -> None:
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        mf.save(self.manifest_path, manifest)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One writer at a time across processes (CLI and UI may share a home)."""
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        with open(self.settings.index_dir / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _scan(self) -> dict[str, _FileRef]:
        refs: dict[str, _FileRef] = {}
        found: list[tuple[Kind, Path]] = []
        if self.guidance_dir.is_dir():
            found += [("guidance", p) for p in sorted(self.guidance_dir.glob("*.md"))]
        docs = self.settings.documents_dir
        if docs.is_dir():
            found += [("user", p) for p in sorted(docs.iterdir())
                      if p.suffix.lower() in SUPPORTED_EXTENSIONS and not p.name.startswith(".")
                      and p.is_file()]
        for kind, path in found:
            key = mf.file_key(kind, path.name)
            try:
                stat = path.stat()
                if kind == "user" and stat.st_size > MAX_BYTES:  # dropped in by hand: not read
                    refs[key] = _FileRef(key, path, kind, b"", f"over-limit:{stat.st_size}:"
                                         f"{stat.st_mtime_ns}", stat.st_size)
                    continue
                data = path.read_bytes()
            except OSError:
                continue  # vanished or unreadable: treated as absent
            refs[key] = _FileRef(key, path, kind, data, sha256_bytes(data), len(data))
        return refs

    # --- indexing -----------------------------------------------------------------------

    def update(self, progress: bool = False) -> IndexReport:
        """Bring the index in line with the files; only new or changed files are embedded."""
        with self.locked():
            return self.update_locked(progress)

    def update_locked(self, progress: bool = False) -> IndexReport:
        """`update` for a caller that already holds `locked()`."""
        started = time.perf_counter()
        report = IndexReport()
        files = self._scan()
        state, report.rebuilt_manifest = self.state()
        col = self.collection
        report.files_total = len(files)

        # Records (a framework's criteria) have no file: only their own writer removes them.
        for key in [k for k, e in state.files.items() if k not in files and e.kind != "framework"]:
            ids = state.files.pop(key).chunk_ids
            if ids:
                col.delete(ids=ids)
            report.files_removed += 1
            report.chunks_deleted += len(ids)

        todo = [ref for key, ref in files.items()
                if key not in state.files or state.files[key].content_hash != ref.content_hash]
        report.files_unchanged = len(files) - len(todo)
        bar = _progress_bar(len(todo), enabled=progress)
        try:
            for ref in todo:
                bar.set_postfix_str(ref.path.name, refresh=False)
                self._index_file(ref, state, report)
                bar.update(1)
        finally:
            bar.close()
            report.chunks_total = state.chunk_count()
            # An unchanged index keeps its manifest untouched: its mtime keys the search cache.
            if todo or report.files_removed or report.rebuilt_manifest:
                self.save(state)
        report.seconds = time.perf_counter() - started
        return report

    def _index_file(self, ref: _FileRef, state: mf.Manifest, report: IndexReport) -> None:
        col = self.collection
        old = state.files.get(ref.key)
        try:
            if ref.kind == "user" and ref.size > MAX_BYTES:  # a file dropped in by hand
                raise CoachError(f"{ref.path.name} is over the 5 MB limit.")
            doc = load_file(ref.path, ref.kind, ref.data)
            chunks = chunk_document(doc)
        except CoachError as exc:
            report.skipped.append(SkippedFile(ref.path.name, exc.message))
            if old is not None:  # the file changed into something unreadable
                col.delete(ids=old.chunk_ids)
                report.chunks_deleted += len(old.chunk_ids)
                del state.files[ref.key]
            return

        ids = [f"{ref.key}:{ref.content_hash[:12]}:{c.index}" for c in chunks]
        trusted = doc.kind == "guidance" or doc.source in trusted_names(self.settings.documents_dir)
        meta_common = {
            "source": doc.source, "title": doc.title, "topic": doc.topic, "doc_id": doc.doc_id,
            "content_hash": ref.content_hash, "kind": doc.kind, "step": doc.step,
            "size_bytes": len(ref.data), "chunk_count": len(chunks), "trusted": trusted,
        }
        for start in range(0, len(chunks), UPSERT_BATCH):
            batch = chunks[start : start + UPSERT_BATCH]
            vectors = self.embedding_function([c.embed_text for c in batch])
            col.upsert(
                ids=ids[start : start + UPSERT_BATCH],
                embeddings=vectors,
                documents=[c.text for c in batch],
                metadatas=[{**meta_common, "section": c.section, "chunk": c.index}
                           for c in batch],
            )
            report.chunks_embedded += len(batch)
        if old is not None:
            stale = sorted(set(old.chunk_ids) - set(ids))
            if stale:
                col.delete(ids=stale)
                report.chunks_deleted += len(stale)
        state.files[ref.key] = mf.FileEntry(
            kind=doc.kind, source=doc.source, doc_id=doc.doc_id, title=doc.title,
            topic=doc.topic, step=doc.step, content_hash=ref.content_hash,
            size_bytes=len(ref.data), trusted=trusted, chunk_ids=ids,
        )
        report.files_indexed += 1

    # --- checks -------------------------------------------------------------------------

    def consistency(self) -> ConsistencyReport:
        """Compare the chunks in the collection with the files on disk (read-only)."""
        files = self._scan()
        col = self.collection
        got = col.get(include=["metadatas"])
        indexed = mf.from_metadata(got["ids"], got["metadatas"] or [])
        report = ConsistencyReport(chunks_in_index=len(got["ids"]))
        for key, ref in files.items():
            if key not in indexed:
                try:
                    if ref.size > MAX_BYTES:
                        raise CoachError("over the size limit")
                    load_file(ref.path, ref.kind, ref.data)
                    report.missing.append(ref.path.name)
                except CoachError:
                    report.unreadable.append(ref.path.name)  # skipped by design
            elif indexed[key].content_hash != ref.content_hash:
                report.stale.append(ref.path.name)
        report.orphaned = sorted(e.source for k, e in indexed.items()
                                 if k not in files and e.kind != "framework")
        manifest = mf.load(self.manifest_path)
        report.manifest_in_sync = manifest is not None and manifest.collection_id == str(col.id) \
            and {k: sorted(e.chunk_ids) for k, e in manifest.files.items()} \
            == {k: sorted(e.chunk_ids) for k, e in indexed.items()}
        return report


class _NoBar:
    def set_postfix_str(self, *_args, **_kwargs) -> None: ...
    def update(self, *_args) -> None: ...
    def close(self) -> None: ...


def _progress_bar(total: int, *, enabled: bool):
    if not (enabled and total and sys.stderr.isatty()):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="Indexing", unit="file", file=sys.stderr, leave=False)
