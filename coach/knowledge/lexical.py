"""A small in-memory BM25 keyword index, fused with the vector search by reciprocal rank.

MiniLM is good at paraphrase but easily pulled off course by one strong word ("lead",
"manager"); exact words such as "layoffs", "budget" or "not yet" are what BM25 is good at.
Reciprocal rank fusion (RRF) combines the two rankings without tuning a weight: each list
contributes 1 / (RRF_K + rank), with the customary RRF_K = 60.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach.domain.text import search_stem

RRF_K = 60
K1 = 1.2
B = 0.75

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
me more most my myself no nor not of off on once only or other our ours out over own same
she should so some such than that the their theirs them then there these they this those
through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves im ive id ill youre youve dont doesnt didnt
isnt arent wasnt cant couldnt shouldnt wont wouldnt s t
""".split())
# "not" and "no" carry meaning here ("not yet", "no budget"): keep them as words.
_STOP = _STOP - {"not", "no"}


def tokens(text: str) -> list[str]:
    """Lower-cased, apostrophes dropped ("don't" -> "dont"), stop words out, light stemming."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return [search_stem(w) for w in _WORD.findall(text) if w not in _STOP]


@dataclass
class BM25:
    """Okapi BM25 over a fixed list of texts, identified by their position."""

    postings: dict[str, list[tuple[int, int]]]  # term -> [(doc index, term frequency)]
    lengths: list[int]
    average: float

    @classmethod
    def build(cls, texts: Iterable[str]) -> BM25:
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = []
        for index, text in enumerate(texts):
            words = tokens(text)
            lengths.append(len(words))
            for term, freq in Counter(words).items():
                postings.setdefault(term, []).append((index, freq))
        average = (sum(lengths) / len(lengths)) if lengths else 0.0
        return cls(postings, lengths, average or 1.0)

    def top(self, query: str, n: int) -> list[int]:
        """Indexes of the `n` best-scoring texts (only those sharing a word with the query)."""
        total = len(self.lengths)
        scores: dict[int, float] = {}
        for term in set(tokens(query)):
            hits = self.postings.get(term)
            if not hits:
                continue
            idf = math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for index, freq in hits:
                norm = K1 * (1 - B + B * self.lengths[index] / self.average)
                scores[index] = scores.get(index, 0.0) + idf * freq * (K1 + 1) / (freq + norm)
        return sorted(scores, key=lambda i: (-scores[i], i))[:n]


def rrf(rankings: Sequence[Sequence[str]]) -> list[str]:
    """Fuse ranked id lists by reciprocal rank; ties keep the first list's order."""
    fused: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (RRF_K + rank)
            first_seen.setdefault(item, len(first_seen))
    return sorted(fused, key=lambda item: (-fused[item], first_seen[item]))
