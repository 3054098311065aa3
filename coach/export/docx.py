"""Word export of the Markdown the domain writes: headings, bullets, warnings, bold.

The Markdown arrives defused (a `<` or `[` the user typed is escaped so it cannot render as
HTML or a link); Word shows text, not Markdown, so the escapes are undone here.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.shared import Pt, RGBColor

from coach.domain.markup import restore_markdown
from coach.export import save

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_WARN = RGBColor(0x9C, 0x57, 0x00)


def _runs(paragraph, text: str, *, italic: bool = False, color: RGBColor | None = None) -> None:
    # Split on **bold** spans; everything else is a plain run.
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            _add(paragraph, text[pos:m.start()], italic=italic, color=color)
        _add(paragraph, m.group(1), bold=True, italic=italic, color=color)
        pos = m.end()
    if pos < len(text):
        _add(paragraph, text[pos:], italic=italic, color=color)


def _add(paragraph, text: str, *, bold: bool = False, italic: bool = False,
         color: RGBColor | None = None) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if color is not None:
        run.font.color.rgb = color


def markdown_to_docx(markdown: str, path: str | Path) -> Path:
    """Write the subset of Markdown our drafts use as a .docx file."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    for raw in markdown.splitlines():
        line = restore_markdown(raw.strip())
        if not line:
            continue
        if line.startswith("# "):
            doc.add_heading(line[2:], level=1)
        elif line.startswith("## "):
            doc.add_heading(line[3:], level=2)
        elif line.startswith("- "):
            _runs(doc.add_paragraph(style="List Bullet"), line[2:])
        elif line.startswith("> "):
            _runs(doc.add_paragraph(), line[2:], italic=True, color=_WARN)
        elif line.startswith("_") and line.endswith("_"):
            _runs(doc.add_paragraph(), line.strip("_"), italic=True)
        else:
            _runs(doc.add_paragraph(), line)
    return save(path, lambda target: doc.save(str(target)))
