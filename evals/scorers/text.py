"""Text helpers the checks share: sentences, sections, time phrases, word overlap, excerpts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.domain.guard import content_words

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s+(?P<md>.+?)\s*#*\s*$|\*\*(?P<bold>[^*]{2,80})\*\*:?\s*$)")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+(?P<item>.+)$")

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
TIME_RE = re.compile(
    rf"\b(?:(?:{MONTHS})\b\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
    r"|q[1-4]\b|h[12]\b|\d{4}-\d{2}-\d{2}"
    r"|(?:next|this|coming|following)\s+(?:week|month|quarter|year|cycle|review|round|sprint|"
    r"one-to-one|1:1|planning|performance|promotion)"
    r"|(?:review|promotion|planning|budget|performance)\s+(?:cycle|round|period|season)"
    r"|(?:in|within|over|after|for)\s+(?:the\s+)?(?:next\s+)?(?:\d+|a|one|two|three|four|six|nine|twelve|"
    r"a\s+few|a\s+couple\s+of)\s+(?:days?|weeks?|months?|quarters?)"
    r"|\d+\s*(?:days?|weeks?|months?)"
    r"|(?:monday|tuesday|wednesday|thursday|friday)"
    r"|(?:end|start|beginning|middle)\s+of\s+(?:the\s+)?(?:week|month|quarter|year|q[1-4]|"
    rf"(?:{MONTHS}))"
    r"|the\s+\d{1,2}(?:st|nd|rd|th)\b|by\s+the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|(?:tomorrow|next time|time frame|timeframe|timeline|start date|effective date))",
    re.IGNORECASE,
)


# Calendar dates are not figures: '2025-07-15', 'July 15', '15 July', 'June 2025'.
DATE_RE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\b(?:\s+\d{{4}})?|\b(?:{MONTHS})\s+\d{{4}}\b",
    re.IGNORECASE,
)


@dataclass
class Section:
    """A headed part of a document: its heading, body text and bullet items."""

    heading: str
    body: str = ""
    bullets: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.heading}\n{self.body}"

    @property
    def items(self) -> list[str]:
        """Bullets if any, otherwise the body's sentences."""
        return self.bullets or sentences(self.body)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def sections(text: str) -> list[Section]:
    """Split a document on its headings (markdown '#' lines or lines that are all bold)."""
    found: list[Section] = []
    current: Section | None = None
    body: list[str] = []
    for line in (text or "").splitlines():
        match = _HEADING.match(line)
        if match and not _BULLET.match(line):
            if current is not None:
                current.body = "\n".join(body).strip()
            heading = (match.group("md") or match.group("bold") or "").strip()
            current = Section(heading=heading.strip("*: "))
            found.append(current)
            body = []
            continue
        if current is None:
            continue
        body.append(line)
        if bullet := _BULLET.match(line):
            current.bullets.append(bullet.group("item").strip())
    if current is not None:
        current.body = "\n".join(body).strip()
    return found


def search(pattern: str | re.Pattern[str], text: str) -> re.Match[str] | None:
    regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.IGNORECASE)
    return regex.search(text or "")


def excerpt(text: str, match: re.Match[str] | None = None, width: int = 90) -> str:
    """The sentence-sized part of `text` around `match` (or its start), on one line."""
    flat = " ".join((text or "").split())
    if match is None:
        return flat[:width * 2] + ("…" if len(flat) > width * 2 else "")
    found = " ".join(match.group(0).split())
    pos = flat.find(found)
    if pos < 0:
        return found
    start, end = max(0, pos - width), min(len(flat), pos + len(found) + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def overlap(claim: str, source: str) -> float:
    """Share of the claim's content words that the source also uses (0 when the claim has none)."""
    claim_words = content_words(claim)
    if not claim_words:
        return 0.0
    return len(claim_words & content_words(source)) / len(claim_words)


def word_count(text: str) -> int:
    return len((text or "").split())


def body_lines(email: str) -> list[str]:
    """An email's non-empty lines without its 'Subject:' and 'To:' header lines."""
    return [line.strip() for line in (email or "").splitlines()
            if line.strip() and not line.lower().startswith(("subject:", "to:"))]
