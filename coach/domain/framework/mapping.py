"""Which criteria of a framework an impact-log entry shows, and how sure the coach is.

People log wins in their own concrete words ("asked the PM what retry meant", "pages down
from 12 to 2"); a ladder states behaviours in general ones ("asks questions when something is
unclear"). So an (entry, criterion) pair is scored on four signals, each a different view of
the same question, and mixed into one confidence between 0 and 1:

- `whole`: the cosine of the entry's sentence vector and the criterion's, examples included;
- `plain`: the same against the criterion's own sentence alone (examples can pull a criterion
  toward their one story);
- `words`: for each content word of the criterion, the closest word of the entry by meaning
  ('interviewed' ~ 'hire', 'pages' ~ 'on-call'), averaged: a soft word match;
- `shared`: which words they share exactly (after light stemming), weighted by how rare each
  is among the criteria.

The vectors are computed outside the domain and handed in as cosines (`Closeness`). Each
signal weighs about one over its spread over real pairs, so none drowns the others.

Some criteria sit close to almost any entry (a broad sentence, or one whose words are common in
logs) and would win entries that a narrower criterion describes better. So when a whole log is
ranked, each criterion's mix is standardised across the log's entries (`standardise`): an entry
wins a criterion by standing out among the log, not by the criterion being generically near.
With few entries the log's figures are unreliable, so they are shrunk toward the figures of the
whole log (all criteria together); a single text is ranked on its raw mix. Above
`AUTO_MIN_CONFIDENCE`, an entry's best criteria are linked automatically; the user then
confirms or rejects links, and a decision always wins: a confirmed link stays whatever the
score, a rejected one never comes back.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.framework.model import Criterion
from coach.domain.text import search_stem

# How much each signal weighs (about one over its spread across entry-criterion pairs of the
# fixture ladder, so each moves the mix as much as the others): whole, plain, words, shared.
W_WHOLE, W_PLAIN, W_WORDS, W_SHARED = 0.18, 0.19, 0.26, 0.37
# The raw mix is spread over 0..1 between these two values (an unrelated pair mixes to about
# 0.20, a clear match to 0.40 and more).
RAW_FLOOR, RAW_CEILING = 0.20, 0.60
# How many entries' worth of weight the whole log's figures carry against one criterion's own
# when standardising (a log of 6 entries counts half its own, half the whole log's).
LOG_PRIOR = 5
AUTO_MIN_CONFIDENCE = 0.30  # below this an entry is not linked without the user (on the
# 118 labelled entries, each level's ranked as a log, 61% reach it and 85% of those are right)
AUTO_PER_ENTRY = 2  # an entry may show two criteria; more is usually noise
AUTO_MARGIN = 0.10  # a second link must score close to the entry's best

_WORD = re.compile(r"[a-z0-9]+")
_SOFT_WORD = re.compile(r"[a-z][a-z0-9'-]*")
STOPWORDS = frozenset("""
a about above across after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing done down during each
few for from further had has have having he her here hers him his how i if in into is it its
itself just me more most my no nor not of off on once only or other our ours out over own
same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will
with would you your yours per via one two three new others own every many much
""".split())


class LinkStatus(StrEnum):
    AUTO = "auto"  # the coach's own match, above the confidence floor
    CONFIRMED = "confirmed"  # the user said the entry shows the criterion
    REJECTED = "rejected"  # the user said it does not: the coach never links it again


class Link(BaseModel):
    """An entry shown as evidence of a criterion."""

    model_config = ConfigDict(extra="forbid")

    entry: int
    criterion: str
    confidence: float = Field(..., ge=0.0, le=1.0,
                              description="1.0 for a confirmed link; the match's otherwise.")
    status: LinkStatus


class LinkKey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entry: int
    criterion: str


class LinkDecisions(BaseModel):
    """The user's confirmed and rejected links for one framework (what the store keeps)."""

    model_config = ConfigDict(extra="forbid")

    confirmed: list[LinkKey] = Field(default_factory=list)
    rejected: list[LinkKey] = Field(default_factory=list)

    def status(self, entry: int, criterion: str) -> LinkStatus | None:
        key = LinkKey(entry=entry, criterion=criterion)
        if key in self.confirmed:
            return LinkStatus.CONFIRMED
        if key in self.rejected:
            return LinkStatus.REJECTED
        return None

    def confirm(self, entry: int, criterion: str) -> LinkDecisions:
        """A copy where the link is confirmed (an earlier rejection is forgotten)."""
        key = LinkKey(entry=entry, criterion=criterion)
        return LinkDecisions(confirmed=[*(k for k in self.confirmed if k != key), key],
                             rejected=[k for k in self.rejected if k != key])

    def reject(self, entry: int, criterion: str) -> LinkDecisions:
        """A copy where the link is rejected (an earlier confirmation is forgotten)."""
        key = LinkKey(entry=entry, criterion=criterion)
        return LinkDecisions(confirmed=[k for k in self.confirmed if k != key],
                             rejected=[*(k for k in self.rejected if k != key), key])

    def without_entries(self, keep: Iterable[int]) -> LinkDecisions:
        """A copy holding only decisions about the entries in `keep` (deleted ones drop out)."""
        alive = set(keep)
        return LinkDecisions(confirmed=[k for k in self.confirmed if k.entry in alive],
                             rejected=[k for k in self.rejected if k.entry in alive])


class Scored(BaseModel):
    """One criterion's confidence for a text."""

    criterion: str
    confidence: float


# -- the signals ------------------------------------------------------------------------
def terms(text: str) -> frozenset[str]:
    """The text's content words, lightly stemmed ('Mentored' -> 'mentor', 'asks' -> 'ask')."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return frozenset(search_stem(w) for w in _WORD.findall(text)
                     if len(w) > 2 and w not in STOPWORDS and not w.isdigit())


def content_words(text: str) -> list[str]:
    """The text's distinct content words as written (lower-cased), for the soft word match:
    each is embedded on its own."""
    found = (w.strip("'-") for w in _SOFT_WORD.findall(text.lower().replace("\u2019", "'")))
    return list(dict.fromkeys(w for w in found if len(w) > 2 and w not in STOPWORDS))


def criterion_text(criterion: Criterion) -> str:
    """A criterion with its examples, as one text (the area's name is left out: measured, it
    pulled entries toward the wrong criterion of the right area)."""
    return " ".join([criterion.text, *criterion.examples])


class Closeness(NamedTuple):
    """What the sentence vectors say about one (text, criterion) pair (computed outside)."""

    whole: float  # cosine of the text and the criterion with its examples
    plain: float  # cosine of the text and the criterion's own sentence
    words: Sequence[float]  # per word of `CriteriaMatcher.words[i]`: its best cosine with
    # any word of the text (empty when either side has no content word)


class CriteriaMatcher:
    """Scores texts against a fixed list of criteria.

    Args:
        criteria: the criteria a text may show, in a stable order.
    """

    def __init__(self, criteria: Sequence[Criterion]) -> None:
        self.criteria = list(criteria)
        self.texts = [criterion_text(c) for c in self.criteria]  # embedded for `whole`
        self.plain_texts = [c.text for c in self.criteria]  # embedded for `plain`
        self.words = [content_words(t) for t in self.texts]  # each embedded for `words`
        self.terms = [terms(t) for t in self.texts]
        n = len(self.criteria)
        df: dict[str, int] = {}
        for found in self.terms:
            for word in found:
                df[word] = df.get(word, 0) + 1
        # Smoothed inverse document frequency: a word in every criterion still counts a little.
        self.idf = {w: math.log(1 + n / d) for w, d in df.items()}
        self._norms = [math.sqrt(sum(self.idf[w] ** 2 for w in t)) for t in self.terms]

    def overlap(self, text_terms: frozenset[str], index: int) -> float:
        """The cosine of the idf-weighted word sets of a text and criterion `index`."""
        shared = text_terms & self.terms[index]
        if not shared or not self._norms[index]:
            return 0.0
        # Words the criteria never use weigh like the rarest word, so long texts pay for length.
        top = max(self.idf.values(), default=1.0)
        text_norm = math.sqrt(sum(self.idf.get(w, top) ** 2 for w in text_terms))
        return sum(self.idf[w] ** 2 for w in shared) / (text_norm * self._norms[index])

    def raws(self, text: str, closeness: Sequence[Closeness]) -> list[float]:
        """Every criterion's raw mix for `text` (`closeness[i]`: the vectors on criterion i)."""
        if len(closeness) != len(self.criteria):
            raise ValueError("one closeness per criterion is needed")
        found = terms(text)
        return [mix(near, self.overlap(found, i)) for i, near in enumerate(closeness)]

    def scores(self, text: str, closeness: Sequence[Closeness]) -> list[Scored]:
        """Every criterion's confidence for one text on its own, best first (ties by id).

        `closeness[i]` is what the vectors say about the text and criterion i.
        """
        return self.ordered(self.raws(text, closeness))

    def rank_log(self, texts: Sequence[str],
                 closeness: Sequence[Sequence[Closeness]]) -> list[list[Scored]]:
        """Every text's criteria, best first, with each criterion's mix standardised across
        the texts (the log ranked together; see `standardise`)."""
        if len(closeness) != len(texts):
            raise ValueError("one row of closeness per text is needed")
        raws = standardise([self.raws(t, near) for t, near in zip(texts, closeness, strict=True)])
        return [self.ordered(row) for row in raws]

    def ordered(self, raws: Sequence[float]) -> list[Scored]:
        """The criteria by raw mix, best first (ties by id), with their confidences."""
        # Ordered on the raw mix: two criteria both past the ceiling still keep their order.
        order = sorted(range(len(raws)), key=lambda i: (-raws[i], self.criteria[i].id))
        return [Scored(criterion=self.criteria[i].id, confidence=spread(raws[i])) for i in order]


def standardise(raws: Sequence[Sequence[float]], prior: float = LOG_PRIOR) -> list[list[float]]:
    """A log's raw mixes (one row per entry, one column per criterion) with each criterion's
    column standardised across the log and put back on the log's overall scale.

    A criterion's mean and variance across the entries are shrunk toward the whole log's (all
    criteria together) in the ratio (entries - 1) : `prior`, so a log of one entry keeps its
    raw mixes and a long log relies on each criterion's own figures.
    """
    rows = [list(r) for r in raws]
    n = len(rows)
    values = [v for r in rows for v in r]
    if n < 2 or not values:
        return rows
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / len(values)
    if var <= 0.0:
        return rows
    own = (n - 1) / (n - 1 + prior)
    out = [[0.0] * len(r) for r in rows]
    for i in range(len(rows[0])):
        column = [r[i] for r in rows]
        c_mean = sum(column) / n
        c_var = sum((v - c_mean) ** 2 for v in column) / n
        centre = own * c_mean + (1 - own) * mean
        scale = math.sqrt(var / (own * c_var + (1 - own) * var))
        for j, v in enumerate(column):
            out[j][i] = mean + (v - centre) * scale
    return out


def mix(near: Closeness, overlap: float) -> float:
    """The four signals as one raw figure (about 0.2 for an unrelated pair)."""
    soft = sum(near.words) / len(near.words) if near.words else 0.0
    return W_WHOLE * near.whole + W_PLAIN * near.plain + W_WORDS * soft + W_SHARED * overlap


def spread(raw: float) -> float:
    """A raw mix as a confidence between 0 and 1 (rounded to 3 places)."""
    return round(min(max((raw - RAW_FLOOR) / (RAW_CEILING - RAW_FLOOR), 0.0), 1.0), 3)


def confidence(near: Closeness, overlap: float) -> float:
    """The four signals as one confidence between 0 and 1."""
    return spread(mix(near, overlap))


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """The cosine of two vectors (0.0 when either is all zeros)."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


# -- links --------------------------------------------------------------------------------
def auto_links(entry: int, ranked: Sequence[Scored]) -> list[Link]:
    """The entry's automatic links: its best criteria above the floor, close to the best."""
    if not ranked or ranked[0].confidence < AUTO_MIN_CONFIDENCE:
        return []
    best = ranked[0].confidence
    return [Link(entry=entry, criterion=s.criterion, confidence=s.confidence,
                 status=LinkStatus.AUTO)
            for s in ranked[:AUTO_PER_ENTRY]
            if s.confidence >= AUTO_MIN_CONFIDENCE and s.confidence >= best - AUTO_MARGIN]


def resolve_links(ranked: Mapping[int, Sequence[Scored]], decisions: LinkDecisions,
                  criteria: Iterable[str]) -> list[Link]:
    """Every link that counts: automatic ones the user did not reject, plus confirmed ones.

    Args:
        ranked: entry id -> its scored criteria, best first.
        decisions: the user's confirmed and rejected links.
        criteria: the criterion ids in play (a confirmed link to another level's criterion,
            or to one a re-import dropped, does not count here).
    """
    known = set(criteria)
    links: dict[tuple[int, str], Link] = {}
    for entry, scored in ranked.items():
        for link in auto_links(entry, scored):
            if decisions.status(entry, link.criterion) is not LinkStatus.REJECTED:
                links[(entry, link.criterion)] = link
    for key in decisions.confirmed:
        if key.entry in ranked and key.criterion in known:
            links[(key.entry, key.criterion)] = Link(entry=key.entry, criterion=key.criterion,
                                                     confidence=1.0,
                                                     status=LinkStatus.CONFIRMED)
    return sorted(links.values(), key=lambda k: (k.criterion, -k.confidence, k.entry))
