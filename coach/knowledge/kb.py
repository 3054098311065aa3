"""`KnowledgeBase`: what services use (`ctx.kb`), one data home's index, documents and search.

It only composes the three parts, each in a module of its own: `index.Indexer` (incremental
indexing, manifest, locking, consistency), `library.Library` (the user's documents) and
`search.Searcher` (hybrid vector + BM25 ranking).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from coach.config import Settings
from coach.domain.passage import Passage
from coach.knowledge.documents import DocumentInfo, DocumentText
from coach.knowledge.index import Indexer
from coach.knowledge.library import Library
from coach.knowledge.records import Record, drop_records, put_records, record_sources
from coach.knowledge.reports import ConsistencyReport, IndexReport
from coach.knowledge.search import Searcher


class KnowledgeBase:
    """Index, list, add, remove and search the guidance and the user's documents.

    Args:
        settings: the data home (documents, index) and the embedding model's settings.
        guidance_dir: the shipped guidance to index (None: the packaged guides).
    """

    def __init__(self, settings: Settings, *, guidance_dir: Path | None = None):
        self.indexer = Indexer(settings, guidance_dir=guidance_dir)
        self.library = Library(self.indexer)
        self.searcher = Searcher(self.indexer)

    @property
    def settings(self) -> Settings:
        return self.indexer.settings

    @property
    def collection(self):
        """The Chroma collection holding every chunk."""
        return self.indexer.collection

    def index(self, progress: bool = False) -> IndexReport:
        """Bring the index in line with the files; only new or changed files are embedded."""
        return self.indexer.update(progress)

    def consistency(self) -> ConsistencyReport:
        """Compare the chunks in the collection with the files on disk (read-only)."""
        return self.indexer.consistency()

    def list_documents(self) -> list[DocumentInfo]:
        """Shipped guidance (in journey order) then the user's documents, as indexed now."""
        return self.library.list_documents()

    def read_document(self, doc_id: str) -> DocumentText:
        """The whole text of one document, as the guides reader shows it."""
        return self.library.read_document(doc_id)

    def add_document(self, path: Path, *, trusted: bool = False) -> DocumentInfo:
        """Copy a .md, .txt or .pdf file into the data home and index it (see
        `Library.add_document` for `trusted`)."""
        return self.library.add_document(path, trusted=trusted)

    def remove_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document the user added (shipped guidance cannot be removed)."""
        return self.library.remove_document(doc_id)

    def search(self, query: str, k: int = 5, *,
               where: Mapping[str, object] | None = None) -> list[Passage]:
        """The `k` passages most relevant to `query`, only those whose metadata matches
        `where` when given (see `Searcher.search`)."""
        return self.searcher.search(query, k, where=where)

    def put_records(self, source: str, title: str, records: Sequence[Record], *,
                    doc_id: str) -> int:
        """Index passages that come from data, not a file (see `records.put_records`)."""
        return put_records(self.indexer, source, title, records, doc_id=doc_id)

    def drop_records(self, source: str) -> int:
        """Remove a set of such passages (see `records.drop_records`)."""
        return drop_records(self.indexer, source)

    def record_sources(self) -> list[str]:
        """The names of the sets of such passages in the index."""
        return record_sources(self.indexer)

    def sections(self, wanted: list[tuple[str, str]]) -> list[Passage]:
        """The first passage of each (file, heading) asked for, in that order (see
        `Searcher.sections`)."""
        return self.searcher.sections(wanted)
