"""The knowledge base: shipped guidance plus the user's own documents, in one Chroma collection.

Indexing is incremental. Each file is hashed; a file whose hash matches the manifest is
not read, chunked or embedded again, and chunks of files that disappeared are deleted.
Chunk ids carry the content hash, so the collection itself records which version of a
file each chunk came from and the manifest can always be rebuilt from it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coach.assets import guides_dir
from coach.config import Settings, set_offline_env

set_offline_env()

from coach.domain.errors import CoachError  # noqa: E402
from coach.domain.passage import Passage  # noqa: E402
from coach.knowledge import manifest as mf  # noqa: E402
from coach.knowledge.chunking import chunk_document  # noqa: E402
from coach.knowledge.client import open_client  # noqa: E402
from coach.knowledge.documents import (  # noqa: E402
    MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    DocumentInfo,
    Kind,
    check_file,
    load_file,
    sha256_bytes,
    slugify,
)
from coach.knowledge.embedder import MODEL_NAME, MiniLMEmbeddingFunction  # noqa: E402
from coach.knowledge.reports import ConsistencyReport, IndexReport, SkippedFile  # noqa: E402
from coach.knowledge.search import EXACT_MAX, Corpus, rank  # noqa: E402

__all__ = ["ConsistencyReport", "DocumentInfo", "IndexReport", "KnowledgeBase", "SkippedFile"]

COLLECTION = "coach-knowledge"
MAX_K = 20
CANDIDATES = 40  # per ranking, before fusion
UPSERT_BATCH = 128
_QUERY_CHARS = 2000  # the tokenizer keeps 256 tokens anyway


@dataclass(frozen=True)
class _FileRef:
    key: str
    path: Path
    kind: Kind
    data: bytes
    content_hash: str


class KnowledgeBase:
    """Index, list, add, remove and search the guidance and the user's documents."""

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
        self._collection = None
        self._corpus_cache: Corpus | None = None
        self._manifest_path = settings.index_dir / mf.MANIFEST_NAME

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
                self._manifest_path.unlink(missing_ok=True)
                return self.collection
            self._collection = col
        return self._collection

    def _state(self) -> tuple[mf.Manifest, bool]:
        """The manifest, rebuilt from the collection if it is missing or out of step."""
        col = self.collection
        manifest = mf.load(self._manifest_path)
        if (manifest is not None and manifest.model == MODEL_NAME
                and manifest.collection_id == str(col.id)
                and manifest.chunk_count() == col.count()):
            return manifest, False
        got = col.get(include=["metadatas"])
        files = mf.from_metadata(got["ids"], got["metadatas"] or [])
        return mf.Manifest(model=MODEL_NAME, collection_id=str(col.id), files=files), True

    def _save(self, manifest: mf.Manifest) -> None:
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        mf.save(self._manifest_path, manifest)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
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
            try:
                data = path.read_bytes()
            except OSError:
                continue  # vanished or unreadable: treated as absent
            key = mf.file_key(kind, path.name)
            refs[key] = _FileRef(key, path, kind, data, sha256_bytes(data))
        return refs

    # --- indexing -----------------------------------------------------------------------

    def index(self, progress: bool = False) -> IndexReport:
        """Bring the index in line with the files; only new or changed files are embedded."""
        with self._locked():
            return self._index(progress)

    def _index(self, progress: bool) -> IndexReport:
        started = time.perf_counter()
        report = IndexReport()
        files = self._scan()
        state, report.rebuilt_manifest = self._state()
        col = self.collection
        report.files_total = len(files)

        for key in [k for k in state.files if k not in files]:
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
                self._save(state)
        report.seconds = time.perf_counter() - started
        return report

    def _index_file(self, ref: _FileRef, state: mf.Manifest, report: IndexReport) -> None:
        col = self.collection
        old = state.files.get(ref.key)
        try:
            if ref.kind == "user" and len(ref.data) > MAX_BYTES:  # a file dropped in by hand
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
        meta_common = {
            "source": doc.source, "title": doc.title, "topic": doc.topic, "doc_id": doc.doc_id,
            "content_hash": ref.content_hash, "kind": doc.kind, "step": doc.step,
            "size_bytes": len(ref.data), "chunk_count": len(chunks),
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
            size_bytes=len(ref.data), chunk_ids=ids,
        )
        report.files_indexed += 1

    # --- documents ----------------------------------------------------------------------

    def list_documents(self) -> list[DocumentInfo]:
        """Shipped guidance (in journey order) then the user's documents, as indexed now."""
        self.index()
        state, _ = self._state()
        return _infos(state)

    def add_document(self, path: Path) -> DocumentInfo:
        """Copy a .md, .txt or .pdf file into the data home and index it."""
        path = Path(path).expanduser()
        data = check_file(path)
        load_file(path, "user", data)  # every content check, before anything is written
        digest = sha256_bytes(data)
        for doc in self.list_documents():
            if doc.kind == "user" and doc.content_hash == digest:
                raise CoachError(f"{path.name} is already in the knowledge base as '{doc.id}'.",
                                 hint="Run `coach knowledge list` to see your documents.")
        docs_dir = self.settings.documents_dir
        docs_dir.mkdir(parents=True, exist_ok=True)
        # The stored name is generated from a whitelist of characters: the given name is
        # never used as a path, so '../' or absolute names cannot escape the folder.
        name = f"{slugify(path.stem)}-{digest[:8]}{path.suffix.lower()}"
        dest = docs_dir / name
        if dest.resolve().parent != docs_dir.resolve():  # pragma: no cover - defence in depth
            raise CoachError(f"Refusing to store {path.name} outside {docs_dir}.")
        _write_atomic(dest, data)
        try:
            self.index()
        except BaseException:
            dest.unlink(missing_ok=True)
            with contextlib.suppress(Exception):
                self.index()  # drop any chunks of the half-added file
            raise
        state, _ = self._state()
        entry = state.files.get(mf.file_key("user", name))
        if entry is None:  # pragma: no cover - load_file passed above, so it indexes
            dest.unlink(missing_ok=True)
            raise CoachError(f"{path.name} could not be indexed.")
        return _info(entry)

    def remove_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document the user added (shipped guidance cannot be removed)."""
        with self._locked():
            self._index(progress=False)
            state, _ = self._state()
            matches = [(k, e) for k, e in state.files.items()
                       if doc_id in (e.doc_id, e.source)]
            if not matches:
                raise CoachError(f"No document with id '{doc_id}'.",
                                 hint="Run `coach knowledge list` to see the ids of all documents.")
            user = [(k, e) for k, e in matches if e.kind == "user"]
            if not user:
                raise CoachError(
                    f"'{doc_id}' is shipped guidance and cannot be removed.",
                    hint="Only documents you added can be removed; `coach knowledge list` shows "
                         "which ones are yours (kind 'user').")
            key, entry = user[0]
            (self.settings.documents_dir / entry.source).unlink(missing_ok=True)
            if entry.chunk_ids:
                self.collection.delete(ids=entry.chunk_ids)
            del state.files[key]
            self._save(state)
            return _info(entry)

    # --- search -------------------------------------------------------------------------

    def search(self, query: str, k: int = 5) -> list[Passage]:
        """The `k` passages most relevant to `query` (k is clamped to 1..20).

        Ranking fuses the vector search with a BM25 keyword search (reciprocal rank
        fusion); `Passage.score` is the passage's cosine similarity to the query
        (1 - cosine distance), so a keyword-matched passage may rank above a higher score.
        Builds the index first if it was never completed (or waits for the process building it).
        """
        if not isinstance(query, str) or not query.strip():
            raise CoachError("The search query is empty.",
                             hint="Type a few words, for example 'timing' or 'no budget'.")
        k = max(1, min(MAX_K, int(k)))
        query = " ".join(query.split())[:_QUERY_CHARS]
        if not self._manifest_path.exists():
            # Never indexed, or another process is building the index right now: a Chroma
            # server fails reads of a collection whose first writes are still landing
            # ("Nothing found on disk"). Index under the lock, which waits for that build.
            self.index()
        corpus = self._corpus()
        if not len(corpus):
            self.index()
            corpus = self._corpus()
            if not len(corpus):
                return []
        vector = self.embedding_function.vectors([query])
        n = min(len(corpus), max(CANDIDATES, 4 * k))
        for _attempt in range(2):
            ids, distances = self._dense(corpus, vector, n)
            found = rank(corpus, query, vector[0], ids, distances, k, n)
            if found is not None:
                return found
            with self._locked():  # the index changed under us: let a running index finish
                corpus = self._corpus(reload=True)
        raise CoachError("The search index changed while searching.",
                         hint="Run the search again.")

    def _dense(self, corpus: Corpus, vector, n: int) -> tuple[list[str], list[float]]:
        """The vector ranking: exact over the in-memory copy up to `EXACT_MAX` chunks,
        Chroma's HNSW index beyond."""
        if len(corpus) <= EXACT_MAX:
            return corpus.nearest(vector[0], n)
        got = self.collection.query(query_embeddings=vector, n_results=n, include=["distances"])
        return got["ids"][0], got["distances"][0]

    def _corpus(self, reload: bool = False) -> Corpus:
        """The in-memory copy of all chunks, reloaded when the manifest changes.

        Every write to the collection (index, add, remove; in any process) ends by
        replacing the manifest, so its identity is the freshness key: one `stat`, where
        asking Chroma for its count cost 1.5-2 ms a query. A write that crashed before its
        manifest was saved was never acknowledged: the exact ranking does not see it until
        the next write or restart; Chroma's ranking (large collections) may name a chunk
        the copy does not have, and `search` then reloads the copy.
        """
        try:
            stat = self._manifest_path.stat()
            key: tuple = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (None, None, None)
        if reload or self._corpus_cache is None or self._corpus_cache.key != key:
            got = self.collection.get(include=["documents", "metadatas", "embeddings"])
            self._corpus_cache = Corpus.build(key, got)
        return self._corpus_cache

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
                    if len(ref.data) > MAX_BYTES:
                        raise CoachError("over the size limit")
                    load_file(ref.path, ref.kind, ref.data)
                    report.missing.append(ref.path.name)
                except CoachError:
                    report.unreadable.append(ref.path.name)  # skipped by design
            elif indexed[key].content_hash != ref.content_hash:
                report.stale.append(ref.path.name)
        report.orphaned = sorted(e.source for k, e in indexed.items() if k not in files)
        manifest = mf.load(self._manifest_path)
        report.manifest_in_sync = manifest is not None and manifest.collection_id == str(col.id) \
            and {k: sorted(e.chunk_ids) for k, e in manifest.files.items()} \
            == {k: sorted(e.chunk_ids) for k, e in indexed.items()}
        return report


def _info(entry: mf.FileEntry) -> DocumentInfo:
    return DocumentInfo(id=entry.doc_id, title=entry.title, source=entry.source, kind=entry.kind,
                        topic=entry.topic, chunks=len(entry.chunk_ids),
                        content_hash=entry.content_hash, size_bytes=entry.size_bytes)


def _infos(state: mf.Manifest) -> list[DocumentInfo]:
    entries = sorted(state.files.values(),
                     key=lambda e: (e.kind != "guidance", e.step, e.source))
    return [_info(e) for e in entries]


def _write_atomic(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _NoBar:
    def set_postfix_str(self, *_args, **_kwargs) -> None: ...
    def update(self, *_args) -> None: ...
    def close(self) -> None: ...


def _progress_bar(total: int, *, enabled: bool):
    if not (enabled and total and sys.stderr.isatty()):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="Indexing", unit="file", file=sys.stderr, leave=False)
