"""Markdown links, images and HTML in text the coach did not write: find, strip or defuse them.

The coach's own documents use headings, lists, bold and italics, and never a link, an image
or HTML. Rendered, `![x](https://...)` fetches that address the moment it is shown (an
injected instruction can make a model put the user's data in it) and `<img onerror=...>`
runs code. So in model output such markup is a reason to reject the reply, in text quoted
from a document it is stripped, and in the user's own text placed into a document it is
escaped so it shows as the characters they typed.
"""

from __future__ import annotations

import re

# Elements that fetch, run or navigate when HTML is rendered.
_TAGS = ("img|image|script|iframe|frame|frameset|object|embed|svg|math|style|link|meta|base|"
         "form|input|button|textarea|select|video|audio|source|track|body|html|marquee|details")
_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"  # (url), allowing one level of parentheses inside
_TAG = (rf"(?<!\\)<\s*/?\s*(?:{_TAGS})\b[^<>]*>?"              # an HTML element, even unclosed
        r"|(?<!\\)<\s*/?\s*[a-z][\w-]*\s[^<>]*[\w-]\s*=[^<>]*>")  # any tag with an attribute
# Each construct counts only unescaped: `\<img>` or `!\[x](u)` renders as the characters.
MARKUP = re.compile(
    rf"(?:(?<!\\)!)?(?<!\\)\[[^\]\n]*\]{_TARGET}"     # [text](url) and ![alt](url)
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S"             # [label]: url (a reference definition)
    rf"|{_TAG}"
    r"|(?<!\\)<[a-z][a-z0-9+.-]*:[^<>\s]*>",        # <https://...>, an autolink
    re.IGNORECASE | re.MULTILINE)
_IMAGE_OR_LINK = re.compile(rf"!?\[([^\]\n]*)\]{_TARGET}")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
_TAG_RE = re.compile(_TAG, re.IGNORECASE)
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>\s]*)>", re.IGNORECASE)

# Defusing a document: every `<`, every `[` but our citation markers ([#3], [2]), and a
# `](` after a marker. Escaped, each renders as the character itself.
_DEFUSE = re.compile(r"(?<!\\)(<|\[(?!#?\d{1,6}\])|(?<=\])\()")
_RESTORE = re.compile(r"\\([<\[(])")
_FIELD_SPECIAL = re.compile(r"([\\<\[])")
_FIELD_ESCAPED = re.compile(r"\\([\\<\[])")


def markup_in(text: str) -> str | None:
    """The first link, image, HTML tag or reference definition in `text`, if any."""
    found = MARKUP.search(text or "")
    return found.group(0) if found else None


def strip_markup(text: str) -> str:
    """Text with its links and images reduced to their words and its HTML tags removed."""
    text = _IMAGE_OR_LINK.sub(lambda m: m.group(1), text)
    text = _REFERENCE.sub("", text)
    text = _AUTOLINK.sub(lambda m: m.group(1), text)
    return _TAG_RE.sub("", text)


def defuse_markdown(document: str) -> str:
    """A Markdown document whose user-written parts cannot render as a link, image or HTML.

    Our documents never use `<` or links, so every `<` and `[` is escaped except the
    citation markers; applying it twice changes nothing.
    """
    return _DEFUSE.sub(r"\\\1", document)


def restore_markdown(document: str) -> str:
    """Undo `defuse_markdown` for a format that is not rendered as Markdown (Word)."""
    return _RESTORE.sub(r"\1", document)


def escape_field(value: str) -> str:
    """Escape one user field for a Markdown file that must read back exactly.

    Unlike `defuse_markdown` it also escapes backslashes, so `unescape_field` can tell the
    escapes it added from the user's own.
    """
    return _FIELD_SPECIAL.sub(r"\\\1", value)


def unescape_field(value: str) -> str:
    return _FIELD_ESCAPED.sub(r"\1", value)


_NESTING = re.compile(r"^(?:[ \t]*>)+|^[ \t]+(?=(?:[-*+]|\d+[.)])[ \t])", re.MULTILINE)


def markdown_depth(text: str) -> int:
    """The deepest nesting of quotes (`> > >`) or indented list items (two spaces a level)
    on any line: what a renderer recurses into."""
    deepest = 0
    for match in _NESTING.finditer(text or ""):
        lead = match.group(0)
        depth = lead.count(">") if ">" in lead else len(lead.expandtabs(4)) // 2
        deepest = max(deepest, depth)
    return deepest
