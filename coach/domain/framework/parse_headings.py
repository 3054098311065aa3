"""Markdown with one heading per level: the shape most published career ladders take.

The level headings are the shallowest heading depth used at least twice, provided they read
like levels (a title word such as Senior or Staff, a level word, a number or a Roman
numeral). Under a level, each paragraph and each bullet is one criterion; a deeper heading
names the area of what follows it (without one, criteria go to the general area); a nested
bullet is an example of the bullet above it. A paragraph that is wholly italic or bold (an
aside, the "Experience: ..." line) is the level's note, never a criterion. A heading above
the levels names the framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.domain.framework.builder import FrameworkBuilder
from coach.domain.framework.model import Framework

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])[ \t]+(.*)$")
_LEVEL_WORDS = re.compile(
    r"\b(?:level|grade|band|tier|rank|step|stage|[lepmg]\d{1,2}|ic\d{0,2}|[ivx]{1,4}|\d{1,2}"
    r"|junior|jr|mid|middle|intermediate|senior|sr|staff|principal|distinguished|fellow|lead"
    r"|manager|director|head|vp|chief|associate|assistant|intern|apprentice|trainee|graduate"
    r"|entry|engineer|developer|designer|analyst|scientist|architect|contributor|specialist"
    r"|consultant|partner|expert|master|novice|beginner|advanced)\b", re.IGNORECASE)
# Headings of the parts around a ladder (never a level, even at the levels' depth).
_SECTION = re.compile(
    r"^(?:overview|introduction|intro|about\b.*|how to (?:use|read)\b.*|summary|purpose|scope"
    r"|glossary|faq|notes?|contents|table of contents|background|changelog|change log"
    r"|references|licen[cs]e|credits|contributing|further reading|see also)\W*$", re.IGNORECASE)
# A paragraph that is emphasis from end to end: _x_, *x*, __x__, **x**, ___x___.
_WHOLE_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1[.]?$", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")


def plain_inline(text: str) -> str:
    """Inline Markdown as the words a reader sees: no emphasis marks, links as their text."""
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(r"\2", text)
    return " ".join(text.split())


def _is_aside(text: str) -> bool:
    """Emphasis from end to end (and none inside): a note about the level, not a criterion."""
    match = _WHOLE_EMPHASIS.match(text.strip())
    return match is not None and match.group(1)[0] not in match.group(2)


def looks_like_level(title: str) -> bool:
    return bool(_LEVEL_WORDS.search(title))


def is_section(title: str) -> bool:
    """A heading such as 'Overview' or 'About this ladder': a part of the document, not a level."""
    return bool(_SECTION.match(plain_inline(title)))


@dataclass
class _Block:
    kind: str  # "heading", "para", "bullet", "sub"
    text: str
    depth: int = 0
    lines: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[_Block]:
    """Headings, paragraphs and bullets (a bullet indented under another is a "sub")."""
    blocks: list[_Block] = []
    current: _Block | None = None
    in_fence = False
    for raw in text.splitlines():
        if _FENCE.match(raw):
            in_fence = not in_fence
            current = None
            continue
        if in_fence:
            continue
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        if heading := _HEADING.match(line.strip()) if line.lstrip().startswith("#") else None:
            blocks.append(_Block("heading", heading.group(2).strip(), len(heading.group(1))))
            current = None
            continue
        if bullet := _BULLET.match(line):
            indent = len(bullet.group(1).expandtabs(4))
            kind = "sub" if indent >= 2 and blocks and blocks[-1].kind in ("bullet", "sub") else "bullet"
            current = _Block(kind, bullet.group(2).strip())
            blocks.append(current)
            continue
        if current is not None:  # a continued paragraph or bullet
            current.text = f"{current.text} {line.strip()}"
            continue
        if line.lstrip().startswith("|") or set(line.strip()) <= set("-=|: "):
            continue  # a table row or a rule: not prose
        current = _Block("para", line.strip())
        blocks.append(current)
    return blocks


def level_depth(blocks: list[_Block]) -> int | None:
    """The heading depth that holds the levels, or None when the text has no level structure."""
    depths = sorted({b.depth for b in blocks if b.kind == "heading"})
    for depth in depths:
        titles = [b.text for b in blocks
                  if b.kind == "heading" and b.depth == depth and not is_section(b.text)]
        if len(titles) < 2:
            continue
        if sum(looks_like_level(t) for t in titles) * 2 >= len(titles):
            return depth
        return None  # the first repeated depth reads like sections, not levels
    return None


def from_headings(text: str, *, name: str | None, fallback: str, source: str = "") -> Framework | None:
    """The framework in heading-per-level Markdown, or None if the text has no such structure.

    Args:
        text: the Markdown body (front matter already removed).
        name: the framework's name if the user gave one; else a heading above the levels,
            else `fallback`.
        fallback: the name to use when neither is there (from the file name).
        source: the file name, kept on the framework.
    """
    blocks = _blocks(text)
    depth = level_depth(blocks)
    if depth is None:
        return None
    title = next((plain_inline(b.text) for b in blocks
                  if b.kind == "heading" and b.depth < depth), None)
    builder = FrameworkBuilder(name or title or fallback, source)
    level: int | None = None
    area: str | None = None
    last_bullet: tuple[int, str | None, str] | None = None
    for block in blocks:
        if block.kind == "heading":
            if block.depth == depth and is_section(block.text):
                level = None  # an 'Overview' among the levels: not one of them
            elif block.depth == depth:
                level, area = builder.add_level(plain_inline(block.text)), None
            elif block.depth < depth:
                level = None  # a new part of the document above the levels
            elif level is not None:
                area = plain_inline(block.text)
            last_bullet = None
            continue
        if level is None:
            continue
        if _is_aside(block.text):
            builder.note(level, plain_inline(block.text))
            continue
        words = plain_inline(block.text)
        if block.kind == "sub" and last_bullet is not None:
            builder.add(last_bullet[0], last_bullet[1], last_bullet[2], [words])
            continue
        builder.add(level, area, words)
        last_bullet = (level, area, words) if block.kind == "bullet" else None
    return builder.build()
