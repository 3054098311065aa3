"""Checks for chat answers: a citation is there, it resolves, and the passage it names
actually supports what the answer says (lexical overlap, sentence by sentence)."""

from __future__ import annotations

import re
from typing import Any

from coach.domain.guard import content_words
from coach.evals.schema import Cited, Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import excerpt, overlap, sentences

_MARKER = re.compile(r"\[(\d{1,2})\]")


def _label(index: int, cited: Cited) -> str:
    return cited.label or f"[{index}]"


def cited_in(text: str, output: Output) -> list[Cited]:
    """The passages `text` points at with [n] markers (a passage's label, else its position)."""
    markers = {f"[{n}]" for n in _MARKER.findall(text)}
    return [c for i, c in enumerate(output.citations, start=1) if _label(i, c) in markers]


def cited_by(sentence: str, output: Output) -> list[Cited]:
    """The passages a sentence leans on: its own markers, else everything the answer cites,
    else (an answer with no markers) every passage shown with it as its sources."""
    return cited_in(sentence, output) or cited_in(output.text, output) or list(output.citations)


def claims(answer: str) -> list[str]:
    """Sentences that assert something: not questions, not one-word fillers."""
    found = []
    for sentence in sentences(answer):
        bare = _MARKER.sub("", sentence).strip()
        if bare.endswith("?") or len(content_words(bare)) < 3:
            continue
        if re.match(r"^(sources?|references?|citations?)\s*:", bare, re.IGNORECASE):
            continue
        found.append(sentence)
    return found


@scorer("chat_citation_present")
def citation_present() -> ScoreFn:
    """The answer itself cites at least one passage with an [n] marker that resolves."""

    def score(sample: Sample, output: Output) -> Score:
        if not output.citations:
            return Score.no("no passage came with the answer", excerpt(output.text))
        cited = cited_in(output.text, output)
        if not cited:
            return Score.no("the answer cites no passage (no [n] marker)", excerpt(output.text))
        names = ", ".join(dict.fromkeys(c.source for c in cited))
        return Score.yes(f"cites {names}")

    return score


@scorer("chat_markers_resolve")
def markers_resolve() -> ScoreFn:
    """Every [n] marker in the answer points at a passage that was returned (n/a without markers)."""

    def score(sample: Sample, output: Output) -> Score:
        markers = sorted({f"[{n}]" for n in _MARKER.findall(output.text)})
        if not markers:
            return Score.na("the answer uses no [n] markers")
        labels = {_label(i, c) for i, c in enumerate(output.citations, start=1)}
        dangling = [m for m in markers if m not in labels]
        match = _MARKER.search(output.text)
        return Score.verdict(not dangling, "every marker resolves",
                             f"marker(s) {', '.join(dangling)} point at nothing",
                             excerpt(output.text, match, 60))

    return score


@scorer("chat_citation_supports")
def citation_supports(min_overlap: float = 0.25, min_share: float = 0.67) -> ScoreFn:
    """Most claim sentences share enough content words with a passage they cite.

    `min_overlap` is the share of a sentence's content words the passage must also use;
    `min_share` the share of claim sentences that must be supported. An answer without [n]
    markers is checked against the passages shown under it (whether it cites them at all is
    the 'citation-present' check).
    """

    def score(sample: Sample, output: Output) -> Score:
        if not output.citations:
            return Score.no("no passage came with the answer, so nothing supports it", excerpt(output.text))
        found = claims(output.text)
        if not found:
            return Score.no("the answer makes no claim a passage could support", excerpt(output.text))
        support = [(max(overlap(s, c.text) for c in cited_by(s, output)), s) for s in found]
        backed = [s for value, s in support if value >= min_overlap]
        share = len(backed) / len(found)
        weakest_value, weakest = min(support)
        meta: dict[str, Any] = {"supported": len(backed), "claims": len(found)}
        if share >= min_share:
            return Score.yes(f"{len(backed)} of {len(found)} sentences supported by the cited text",
                             **meta)
        return Score.no(f"only {len(backed)} of {len(found)} sentences are supported by the cited "
                        f"passages (weakest overlap {weakest_value:.0%})", weakest, **meta)

    return score


@scorer("chat_expected_source")
def expected_source() -> ScoreFn:
    """Cites one of the documents the case expects (n/a when the case names none)."""

    def score(sample: Sample, output: Output) -> Score:
        wanted = sample.target.sources
        if not wanted:
            return Score.na("the case expects no particular source")
        got = [c.source for c in cited_in(output.text, output)]
        hit = [s for s in got if any(s.startswith(w) or w.startswith(s) for w in wanted)]
        return Score.verdict(bool(hit), f"cites {hit[0] if hit else ''}",
                             f"cites {', '.join(got) or 'nothing'}, expected {' or '.join(wanted)}")

    return score


@scorer("chat_on_topic")
def on_topic(min_shared: int = 1) -> ScoreFn:
    """The answer picks up the question's own words (a cheap guard against off-topic replies)."""

    def score(sample: Sample, output: Output) -> Score:
        question = sample.input.task.question
        if not question:
            return Score.na("no question in the case")
        shared = content_words(question) & content_words(output.text)
        return Score.verdict(len(shared) >= min_shared, f"on topic ({', '.join(sorted(shared)[:4])})",
                             "shares no content word with the question", excerpt(output.text))

    return score
