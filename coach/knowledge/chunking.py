"""Cutting documents into passages: Markdown by headers, then long sections by size."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from coach.knowledge.documents import Loaded

if TYPE_CHECKING:
    from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

CHUNK_SIZE = 800
CHUNK_OVERLAP = 100
_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3"), ("####", "h4")]
SECTION_SEP = " > "


@dataclass(frozen=True)
class Chunk:
    """One passage: the clean text shown to users and the text that gets embedded."""

    text: str
    section: str
    embed_text: str
    index: int


@lru_cache(maxsize=1)
def _splitters() -> tuple[MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter]:
    # Imported on the first document to cut (it loads langchain-core, about 0.4 s): a search
    # over an index that is up to date cuts nothing.
    from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

    headers = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
    recursive = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    return headers, recursive


_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```|- \[)")


def unwrap_markdown(text: str) -> str:
    """Join hard-wrapped lines so each paragraph, list item or quote is one line.

    The header splitter drops blank lines, so without this a chunk would keep the source
    file's line wrapping and lose its paragraph breaks.
    """
    out: list[str] = []
    in_fence = False
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            out.append(line)
            continue
        prev = out[-1] if out else ""
        joinable = (not in_fence and line.strip() and prev.strip()
                    and not prev.lstrip().startswith(("#", "```", "|")))
        if joinable and prev.lstrip().startswith(">") and line.lstrip().startswith(">"):
            out[-1] = f"{prev} {line.lstrip()[1:].strip()}"
        elif joinable and not _BLOCK_START.match(line):
            out[-1] = f"{prev} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def section_path(metadata: dict, title: str) -> str:
    """'Timing the ask' + {'h1': 'Timing the ask', 'h2': 'Bad moments'} -> 'Bad moments'.

    An H1 that repeats the document title is dropped, since the title is cited separately.
    """
    parts = [str(metadata[key]).strip() for _, key in _HEADERS if metadata.get(key)]
    if len(parts) > 1 and parts[0].casefold() == title.casefold():
        parts = parts[1:]
    return SECTION_SEP.join(parts)


def _embed_text(title: str, section: str, text: str) -> str:
    # The title and section carry the topic words a user's question is likely to use.
    head = title if not section or section.casefold() == title.casefold() else (
        f"{title}: {section}")
    return f"{head}\n{text}"


def chunk_document(doc: Loaded) -> list[Chunk]:
    """Split a loaded document into chunks, in reading order."""
    headers, recursive = _splitters()
    pieces: list[tuple[str, str]] = []  # (section, text)
    if doc.fmt == "md":
        for part in headers.split_text(unwrap_markdown(doc.text)):
            section = section_path(part.metadata, doc.title)
            # The header splitter marks paragraph breaks with a trailing double space.
            content = part.page_content.replace("  \n", "\n\n")
            for text in recursive.split_text(content):
                pieces.append((section, text))
    elif doc.fmt == "pdf" and doc.pages:
        for number, page in enumerate(doc.pages, start=1):
            for text in recursive.split_text(page):
                pieces.append((f"Page {number}", text))
    else:
        pieces = [("", text) for text in recursive.split_text(doc.text)]

    chunks: list[Chunk] = []
    for section, text in pieces:
        text = text.strip()
        if not text:
            continue
        chunks.append(Chunk(text, section, _embed_text(doc.title, section, text), len(chunks)))
    return chunks
