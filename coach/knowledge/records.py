"""Passages that come from data rather than a file: a career framework's criteria.

A record set is kept in the same collection and manifest as the files, under one key
(`framework:<source>`), so the search sees it like any document. The file scan leaves such
entries alone (they have no file); only `put_records` and `drop_records` change them. Each
record keeps its own metadata (level, area, ...) next to the usual fields, which a search
can filter on (`Searcher.search(where=...)`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.knowledge import manifest as mf
from coach.knowledge.documents import sha256_bytes

if TYPE_CHECKING:
    from coach.knowledge.index import Indexer

KIND = "framework"
# Chroma metadata values are scalars: every extra field is a string, a number or a bool.
Scalar = str | int | float | bool


@dataclass(frozen=True)
class Record:
    """One passage: its text, the heading it is cited under, and what a search filters on."""

    key: str  # unique within the set; part of the chunk id
    text: str
    section: str
    embed_text: str  # what is embedded: the heading words carry the level and area names
    meta: Mapping[str, Scalar] = field(default_factory=dict)


def put_records(indexer: Indexer, source: str, title: str, records: Sequence[Record], *,
                doc_id: str, topic: str = KIND, trusted: bool = True) -> int:
    """Index `records` as the set named `source`, replacing an earlier version; returns the count.

    Unchanged sets are not embedded again: the set's hash is its records' content.
    """
    content = json.dumps([[r.key, r.text, r.section, r.embed_text, sorted(r.meta.items())]
                          for r in records], sort_keys=True).encode()
    content_hash = sha256_bytes(content)
    key = mf.file_key(KIND, source)
    with indexer.locked():
        # The files first: a search finds an index with a manifest ready, and must not find
        # one that holds only these records.
        indexer.update_locked()
        state, _ = indexer.state()
        old = state.files.get(key)
        if old is not None and old.content_hash == content_hash:
            return len(old.chunk_ids)
        col = indexer.collection
        ids = [f"{key}:{content_hash[:12]}:{r.key}" for r in records]
        common: dict[str, Scalar] = {
            "source": source, "title": title, "topic": topic, "doc_id": doc_id,
            "content_hash": content_hash, "kind": KIND, "step": -1, "size_bytes": len(content),
            "chunk_count": len(records), "trusted": trusted,
        }
        if records:
            vectors = indexer.embedding_function([r.embed_text for r in records])
            col.upsert(ids=ids, embeddings=vectors, documents=[r.text for r in records],
                       metadatas=[{**r.meta, **common, "section": r.section, "chunk": i}
                                  for i, r in enumerate(records)])
        if old is not None:
            stale = sorted(set(old.chunk_ids) - set(ids))
            if stale:
                col.delete(ids=stale)
        if records:
            state.files[key] = mf.FileEntry(
                kind=KIND, source=source, doc_id=doc_id, title=title, topic=topic,
                content_hash=content_hash, size_bytes=len(content), trusted=trusted,
                chunk_ids=ids)
        else:
            state.files.pop(key, None)
        indexer.save(state)
    return len(records)


def drop_records(indexer: Indexer, source: str) -> int:
    """Remove the set named `source`; returns how many passages went (0 if it was not there)."""
    key = mf.file_key(KIND, source)
    with indexer.locked():
        state, _ = indexer.state()
        old = state.files.pop(key, None)
        if old is None:
            return 0
        if old.chunk_ids:
            indexer.collection.delete(ids=old.chunk_ids)
        indexer.save(state)
        return len(old.chunk_ids)


def record_sources(indexer: Indexer) -> list[str]:
    """The names of the record sets in the index."""
    state, _ = indexer.state()
    return sorted(e.source for e in state.files.values() if e.kind == KIND)
