"""Small text rules shared by every model: what a clean field is, what counts as a number,
and the words and sentences a reply is checked by."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Control characters other than tab/newline would corrupt exports and terminals; the
# bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) make text show
# in another order than it reads ("Trojan Source"), so a title could pass for another.
# The plain direction marks (U+200E, U+200F) stay: right-to-left scripts need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
# Half of a character: what a wrongly decoded byte (a CLI argument, a crafted request)
# becomes in Python. The database cannot store it, so it shows as the replacement mark.
BROKEN_CHAR = re.compile(r"[\ud800-\udfff]")

# A figure as people write it: 40%, $1.2M, 3x, 12,000, 2.5, p95 is not a figure but 95 is.
NUMBER_RE = re.compile(r"(?<![\w.])[$€£]?\d+(?:[.,]\d+)*(?:\s?[%xX]|[kKmMbB]\b)?")


def count(n: int, one: str, many: str | None = None) -> str:
    """'1 entry', '2 entries': the number and the noun in the form it needs."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def clean_line(value: str) -> str:
    """Normalise one-line text: NFC, no control characters, single spaces, trimmed."""
    value = unicodedata.normalize("NFC", BROKEN_CHAR.sub("\ufffd", value))
    value = _CONTROL.sub("", value)
    return " ".join(value.split())


def clean_block(value: str) -> str:
    """Normalise multi-line text: NFC, no control characters, trimmed, Unix newlines."""
    value = unicodedata.normalize("NFC", BROKEN_CHAR.sub("\ufffd", value))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def numbers_in(text: str) -> set[str]:
    """The figures a text states, normalised so '40 %' and '40%' compare equal."""
    found = set()
    for match in NUMBER_RE.finditer(text):
        token = match.group(0).replace(" ", "").lower().rstrip("x")
        token = token.lstrip("$€£").rstrip("%kmb")
        token = token.replace(",", "")
        if token:
            found.add(token.rstrip(".") if "." in token else token)
    return found


# Plain counts a reply may give without a source: weeks, months, steps, common periods.
PLAIN_COUNTS = frozenset({str(n) for n in range(0, 13)} | {"18", "24", "30", "60", "90", "100"})
_MEASURE = re.compile(r"[%$€£xXkKmMbB]")  # a percentage, an amount or a multiple
_YEAR = re.compile(r"(19|20)\d\d")


def figures_not_in(text: str, allowed: set[str]) -> list[str]:
    """The figures `text` states, as written and once each, that `allowed` does not hold.

    Years and small plain counts ("3 months") pass; a percentage, an amount or a multiple
    never does unless it is allowed.
    """
    found: list[str] = []
    for match in NUMBER_RE.finditer(text):
        raw = match.group(0).strip()
        for figure in numbers_in(raw):
            if figure in allowed or _YEAR.fullmatch(figure):
                continue
            if _MEASURE.search(raw) or figure not in PLAIN_COUNTS:
                found.append(raw)
    return list(dict.fromkeys(found))


def has_number(text: str) -> bool:
    return bool(NUMBER_RE.search(text or ""))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


@lru_cache(maxsize=1024)
def _spans(text: str, n: int) -> frozenset[tuple[str, ...]]:
    """Every run of `n` words in `text`. Cached: a meeting checks each reply against the same
    brief, and a chat answer against the same prompt."""
    tokens = words(text)
    return frozenset(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shared_span(a: str, b: str, n: int) -> str | None:
    """The first run of `n` words that `a` copies from `b`, if any."""
    a_words, b_spans = words(a), _spans(b, n)
    for span in (tuple(a_words[i:i + n]) for i in range(len(a_words) - n + 1)):
        if span in b_spans:
            return " ".join(span)
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def trim_sentences(text: str, limit: int) -> str:
    """At most `limit` sentences; an unfinished last sentence is dropped if a full one precedes it."""
    parts = sentences(text)
    if len(parts) > 1 and not re.search(r"[.!?][\"')\]]*$", parts[-1]):
        parts = parts[:-1]
    return " ".join(parts[:limit])


_SEARCH_SUFFIXES = ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s")


def search_stem(word: str) -> str:
    """The light stem search and criterion matching share: 'mentored' -> 'mentor',
    'studies' -> 'study'; words of three letters or fewer after the cut stay whole."""
    for suffix in _SEARCH_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix in ("ies", "ied") else stem
    return word
