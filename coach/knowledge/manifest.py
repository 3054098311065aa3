"""What the index holds, per file: content hash and chunk ids. Kept as JSON next to the index.

The manifest is a cache of the collection's own metadata, so that re-indexing an unchanged
knowledge base needs no query against Chroma. When it is missing, unreadable or out of step
with the collection, the index rebuilds it from the chunk metadata (see `from_metadata`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from coach.knowledge.documents import Kind

MANIFEST_NAME = "manifest.json"
VERSION = 1


class FileEntry(BaseModel):
    """One indexed file."""

    kind: Kind
    source: str
    doc_id: str
    title: str
    topic: str = ""
    step: int = -1
    content_hash: str = ""  # '' means unknown: re-index the file
    size_bytes: int = 0
    trusted: bool = False
    chunk_ids: list[str] = Field(default_factory=list)


class Manifest(BaseModel):
    version: int = VERSION
    model: str = ""
    collection_id: str = ""
    files: dict[str, FileEntry] = Field(default_factory=dict)

    def chunk_count(self) -> int:
        return sum(len(entry.chunk_ids) for entry in self.files.values())


def file_key(kind: str, source: str) -> str:
    return f"{kind}:{source}"


def load(path: Path) -> Manifest | None:
    """The manifest at `path`, or None when it is missing or unreadable."""
    try:
        manifest = Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError):
        return None
    return manifest if manifest.version == VERSION else None


def save(path: Path, manifest: Manifest) -> None:
    """Write atomically: a crash leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(manifest.model_dump(), handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def from_metadata(ids: Iterable[str], metadatas: Iterable[Mapping | None]) -> dict[str, FileEntry]:
    """Rebuild per-file entries from the chunks stored in the collection.

    A file whose chunks carry more than one content hash (an update cut short), or whose
    chunk count does not match what its chunks record, gets an empty hash, so the next
    index run replaces all of its chunks.
    """
    entries: dict[str, FileEntry] = {}
    hashes: dict[str, set[str]] = {}
    expected: dict[str, set[int]] = {}  # the chunk_count each chunk says its file has
    for chunk_id, meta in zip(ids, metadatas, strict=True):
        meta = meta or {}
        kind, source = meta.get("kind"), meta.get("source")
        if kind not in ("guidance", "user", "framework") or not source:
            key = file_key("unknown", chunk_id)  # foreign chunk: will be deleted
            kind, source = "user", chunk_id
        else:
            key = file_key(str(kind), str(source))
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = FileEntry(
                kind=kind, source=str(source), doc_id=str(meta.get("doc_id", "")),
                title=str(meta.get("title", "")), topic=str(meta.get("topic", "")),
                step=int(meta.get("step", -1)), size_bytes=int(meta.get("size_bytes", 0)),
                trusted=bool(meta.get("trusted", False)),
            )
        entry.chunk_ids.append(chunk_id)
        hashes.setdefault(key, set()).add(str(meta.get("content_hash", "")))
        expected.setdefault(key, set()).add(int(meta.get("chunk_count", -1)))
    for key, entry in entries.items():
        found, counts = hashes[key], expected[key]
        complete = counts == {len(entry.chunk_ids)}  # no chunk lost, none left over
        entry.content_hash = next(iter(found)) if len(found) == 1 and complete else ""
    return entries
