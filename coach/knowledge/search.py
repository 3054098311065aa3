"""Search over the indexed chunks: a vector ranking fused with BM25 (reciprocal rank fusion).

`Searcher` answers queries for one index. `Corpus` is an in-memory copy of every chunk's
text, metadata and vector, loaded from Chroma once and refreshed when the index changes. Up
to `EXACT_MAX` chunks the vector ranking is exact, computed over that copy: the shipped
guidance is 150 chunks, where it takes about 25 us against 2.8 ms for Chroma's query (most
of it Python holding the GIL, more over HTTP), and it is never approximate. Larger
collections use Chroma's index, which then only has to return ids and distances (asking it
for documents and metadata too costs several milliseconds per query). Keyword-only hits get
a true cosine score either way.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.knowledge.lexical import BM25, rrf

if TYPE_CHECKING:
    from coach.knowledge.index import Indexer

# Beyond this many chunks an exact scan (n x 384 multiply-adds) would cost about as much
# as Chroma's HNSW query, and Chroma's approximate ranking takes over.
EXACT_MAX = 20_000
MAX_K = 20
CANDIDATES = 40  # per ranking, before fusion
_QUERY_CHARS = 2000  # the tokenizer keeps 256 tokens anyway
# The metadata a framework criterion carries besides the usual fields (see records.py).
FACETS = ("framework", "criterion", "level", "level_name", "level_order", "area", "area_name")


@dataclass(frozen=True)
class Corpus:
    key: tuple  # what the copy was made from; a different key means reload
    ids: list[str]
    texts: list[str]
    metas: list[dict]
    vectors: np.ndarray  # (n, dim), L2-normalised
    bm25: BM25
    position: dict[str, int]

    @classmethod
    def build(cls, key: tuple, got: dict) -> Corpus:
        ids = list(got["ids"])
        texts = [t or "" for t in got["documents"]]
        metas = [dict(m or {}) for m in got["metadatas"]]
        raw = got.get("embeddings")
        vectors = np.asarray(raw if raw is not None and len(raw) else np.zeros((0, 384)),
                             dtype=np.float32)
        bm25 = BM25.build(search_text(t, m) for t, m in zip(texts, metas, strict=True))
        return cls(key, ids, texts, metas, vectors, bm25, {cid: i for i, cid in enumerate(ids)})

    def __len__(self) -> int:
        return len(self.ids)

    def nearest(self, vector: np.ndarray, n: int,
                among: Sequence[int] | None = None) -> tuple[list[str], list[float]]:
        """The `n` chunks closest to `vector` (L2-normalised) by cosine distance, exactly:
        ids and distances, closest first, as Chroma's query returns them. `among`: only
        these positions."""
        pool = np.arange(len(self.ids)) if among is None else np.asarray(among, dtype=int)
        n = min(n, len(pool))
        if n <= 0:
            return [], []
        distances = 1.0 - self.vectors[pool] @ vector
        top = np.argpartition(distances, n - 1)[:n]
        top = top[np.argsort(distances[top], kind="stable")]
        return [self.ids[pool[i]] for i in top], [float(distances[i]) for i in top]

    def matching(self, where: Mapping[str, object]) -> list[int]:
        """Positions of the chunks whose metadata holds every key of `where` at its value."""
        return [i for i, meta in enumerate(self.metas)
                if all(meta.get(key) == value for key, value in where.items())]


def search_text(text: str, meta: dict) -> str:
    """What BM25 sees: the title and section carry words the chunk text may not repeat."""
    return f"{meta.get('title', '')}\n{meta.get('section', '')}\n{text}"


def rank(corpus: Corpus, query: str, vector: np.ndarray, dense_ids: Sequence[str],
         dense_distances: Sequence[float], k: int, candidates: int,
         among: Collection[int] | None = None) -> list[Passage] | None:
    """Fuse the dense ranking with BM25 and build the top `k` passages (`among`: only
    keyword hits at these positions).

    Returns None when Chroma returned an id the corpus does not know (the index changed
    under us): the caller reloads the corpus and tries again.
    """
    if any(cid not in corpus.position for cid in dense_ids):
        return None
    similarity = {cid: 1.0 - float(d) for cid, d in zip(dense_ids, dense_distances, strict=True)}
    if among is None:
        keyword_ids = [corpus.ids[i] for i in corpus.bm25.top(query, candidates)]
    else:
        keyword_ids = [corpus.ids[i] for i in corpus.bm25.top(query, len(corpus))
                       if i in among][:candidates]
    passages = []
    for cid in rrf([list(dense_ids), keyword_ids])[:k]:
        i = corpus.position[cid]
        score = similarity.get(cid)
        if score is None:  # a keyword-only hit: compute its cosine from the stored vector
            score = float(corpus.vectors[i] @ vector) if len(corpus.vectors) else 0.0
        passages.append(to_passage(corpus.texts[i], corpus.metas[i], score))
    return passages


def to_passage(text: str, meta: dict, similarity: float) -> Passage:
    return Passage(
        text=text, source=str(meta.get("source", "")), title=str(meta.get("title", "")),
        section=str(meta.get("section", "")), topic=str(meta.get("topic", "")),
        doc_id=str(meta.get("doc_id", "")), score=max(0.0, min(1.0, similarity)),
        trusted=meta.get("kind") == "guidance" or bool(meta.get("trusted", False)),
        facets={key: meta[key] for key in FACETS if key in meta},
    )


class Searcher:
    """The `k` passages most relevant to a query, from one `Indexer`'s chunks."""

    def __init__(self, indexer: Indexer):
        self.indexer = indexer
        self._cache: Corpus | None = None

    def search(self, query: str, k: int = 5, *,
               where: Mapping[str, object] | None = None) -> list[Passage]:
        """The `k` passages most relevant to `query` (k is clamped to 1..20); with `where`,
        only passages whose metadata holds each of its values (exact, over the in-memory copy).

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
        indexer = self.indexer
        if not indexer.manifest_path.exists():
            # Never indexed, or another process is building the index right now: a Chroma
            # server fails reads of a collection whose first writes are still landing
            # ("Nothing found on disk"). Index under the lock, which waits for that build.
            indexer.update()
        corpus = self.corpus()
        if not len(corpus):
            indexer.update()
            corpus = self.corpus()
            if not len(corpus):
                return []
        vector = indexer.embedding_function.vectors([query])
        n = min(len(corpus), max(CANDIDATES, 4 * k))
        for _attempt in range(2):
            among = corpus.matching(where) if where else None
            if among is not None and not among:
                return []
            ids, distances = (self._dense(corpus, vector, n) if among is None
                              else corpus.nearest(vector[0], n, among))
            found = rank(corpus, query, vector[0], ids, distances, k, n,
                         None if among is None else set(among))
            if found is not None:
                return found
            with indexer.locked():  # the index changed under us: let a running index finish
                corpus = self.corpus(reload=True)
        raise CoachError("The search index changed while searching.",
                         hint="Run the search again.")

    def sections(self, wanted: Sequence[tuple[str, str]]) -> list[Passage]:
        """The first passage of each (file, heading) in `wanted`, in that order; one that
        is not indexed is left out. Its score is 1: it was asked for by name."""
        if not self.indexer.manifest_path.exists():
            self.indexer.update()
        corpus = self.corpus()
        first: dict[tuple[str, str], int] = {}
        for i, meta in enumerate(corpus.metas):
            key = (str(meta.get("source", "")), str(meta.get("section", "")))
            if key in first and int(meta.get("chunk", 0)) >= int(corpus.metas[first[key]].get("chunk", 0)):
                continue
            first[key] = i
        return [to_passage(corpus.texts[at], corpus.metas[at], 1.0)
                for key in dict.fromkeys(wanted) if (at := first.get(key)) is not None]

    def _dense(self, corpus: Corpus, vector: np.ndarray, n: int) -> tuple[list[str], list[float]]:
        """The vector ranking: exact over the in-memory copy up to `EXACT_MAX` chunks,
        Chroma's HNSW index beyond."""
        if len(corpus) <= EXACT_MAX:
            return corpus.nearest(vector[0], n)
        got = self.indexer.collection.query(query_embeddings=vector, n_results=n,
                                            include=["distances"])
        return got["ids"][0], got["distances"][0]

    def corpus(self, reload: bool = False) -> Corpus:
        """The in-memory copy of all chunks, reloaded when the manifest changes.

        Every write to the collection (index, add, remove; in any process) ends by
        replacing the manifest, so its identity is the freshness key: one `stat`, where
        asking Chroma for its count cost 1.5-2 ms a query. A write that crashed before its
        manifest was saved was never acknowledged: the exact ranking does not see it until
        the next write or restart; Chroma's ranking (large collections) may name a chunk
        the copy does not have, and `search` then reloads the copy.
        """
        try:
            stat = self.indexer.manifest_path.stat()
            key: tuple = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (None, None, None)
        if reload or self._cache is None or self._cache.key != key:
            got = self.indexer.collection.get(include=["documents", "metadatas", "embeddings"])
            self._cache = Corpus.build(key, got)
        return self._cache
