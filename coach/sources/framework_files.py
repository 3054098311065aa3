"""Reading a career-framework file: its size first, then its bytes into text or data.

Nothing here decides what the framework is: the parsers in `coach.domain.framework` do,
from the text or the parsed data this module hands them. YAML goes through the same guard
as knowledge files' front matter (no aliases, limited nesting), JSON through the log
import's depth check, PDF through the knowledge reader, and Word files through python-docx
after their unpacked size is checked.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from coach.domain.errors import CoachError
from coach.domain.limits import MAX_FILE_BYTES, MAX_JSON_DEPTH, MAX_YAML_DEPTH
from coach.domain.log_formats import nesting_depth
from coach.files import read_bounded
from coach.knowledge.documents import (
    _plain_yaml,  # the guard split_front_matter uses, for whole YAML files
    decode_text,
    extract_pdf,
    split_front_matter,
    title_from_stem,
)

Kind = Literal["markdown", "csv", "yaml", "json", "pdf", "docx", "text"]
KINDS: dict[str, Kind] = {".md": "markdown", ".markdown": "markdown", ".csv": "csv",
                          ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".pdf": "pdf",
                          ".docx": "docx", ".txt": "text"}
MAX_BYTES = MAX_FILE_BYTES["framework"]
MAX_UNPACKED = 10 * MAX_BYTES  # what a Word file may unpack to
_FRONT_BLOCK = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_DEEP_HINT = ("Write every value out in full (no '&anchor' / '*alias') and keep the nesting to "
              "the documented shapes.")


@dataclass
class FrameworkFile:
    """A framework file read and decoded, not yet interpreted.

    Attributes:
        name: the file's name.
        title: a name from the file name ('postman-ospo' -> 'Postman ospo').
        kind: how it was read.
        text: the text (Markdown body, CSV, plain or extracted text).
        meta: the Markdown front matter (empty for the other kinds).
        data: parsed YAML or JSON.
    """

    name: str
    title: str
    kind: Kind
    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    data: Any = None


def _too_deep(name: str, what: str) -> CoachError:
    return CoachError(f"{name}: the {what} nests more than {MAX_YAML_DEPTH} levels deep or uses "
                      "YAML aliases", code="too-deep", field="file", hint=_DEEP_HINT)


def load_yaml(name: str, text: str) -> Any:
    """Parsed YAML, refused (before it is built) when it uses aliases or nests too deeply."""
    try:
        if not _plain_yaml(text):
            raise _too_deep(name, "YAML")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CoachError(f"{name} is not valid YAML{where}", code="bad-framework", field="file",
                         hint="Check the indentation and quoting.") from None


def load_json(name: str, text: str) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CoachError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                         f"{exc.colno}", code="bad-framework", field="file") from None
    except RecursionError:
        raise _too_deep(name, "JSON") from None
    if nesting_depth(data) > MAX_JSON_DEPTH:
        raise CoachError(f"{name}: the JSON nests more than {MAX_JSON_DEPTH} levels deep",
                         code="too-deep", field="file", hint=_DEEP_HINT)
    return data


def docx_text(name: str, data: bytes) -> str:
    """A Word file's text as light Markdown: its headings as '#' lines, list items as bullets,
    table rows as lines, so a ladder written in Word reads like one written in Markdown."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise CoachError(f"{name} could not be read as a Word (.docx) file", code="bad-file",
                         field="file", hint="Open it in Word and save it again as .docx, or "
                         "save it as PDF or text.") from None
    if unpacked > MAX_UNPACKED:
        raise CoachError(f"{name} unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB",
                         code="too-big", field="file", hint="Keep only the framework's pages.")
    import docx  # python-docx loads lxml: only for Word files

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on a bad file
        raise CoachError(f"{name} could not be read as a Word (.docx) file "
                         f"({type(exc).__name__})", code="bad-file", field="file",
                         hint="Open it in Word and save it again, or save it as PDF or text.") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style == "Title":
            lines.append(f"# {text}")
        elif style.startswith("Heading ") and style[8:].isdigit():
            lines.append("#" * min(6, int(style[8:]) + 1) + f" {text}")
        elif style.startswith("List"):
            lines.append(f"- {text}")
        else:
            lines.append(text)
        lines.append("")
    for table in document.tables:
        for row in table.rows:
            cells = [" ".join(c.text.split()) for c in row.cells]
            lines += [" | ".join(c for c in cells if c), ""]
    return "\n".join(lines).strip()


def read_framework_file(path: str | Path) -> FrameworkFile:
    """Read `path` (size checked before a byte is read) into a `FrameworkFile`.

    Raises:
        CoachError: an unsupported type, a file over the limit, empty, not UTF-8, a YAML
            bomb or JSON too deep, an unreadable PDF or Word file.
    """
    path = Path(path).expanduser()
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        shown = path.suffix or "no extension"
        raise CoachError(f"{path.name} has a file type a framework cannot be read from ({shown})",
                         code="bad-type", field="file",
                         hint="Use .md, .csv, .yaml, .json, .pdf, .docx or .txt.")
    data = read_bounded(path, MAX_BYTES, "a career framework")
    if not data.strip():
        raise CoachError(f"{path.name} is empty", code="no-levels", field="file",
                         hint="A framework needs at least one level with criteria.")
    read = FrameworkFile(path.name, title_from_stem(path.stem), kind)
    if kind == "pdf":
        read.text = "\n\n".join(p for p in extract_pdf(path.name, data) if p)
    elif kind == "docx":
        read.text = docx_text(path.name, data)
    else:
        text = decode_text(path.name, data)
        if kind == "markdown":
            try:
                read.meta, read.text = split_front_matter(text)
            except CoachError:
                raise _too_deep(path.name, "front matter") from None
            if not read.meta and (block := _FRONT_BLOCK.match(text)):
                load_yaml(path.name, block.group(1))  # says where front matter fails to parse
        elif kind == "yaml":
            read.data = load_yaml(path.name, text)
        elif kind == "json":
            read.data = load_json(path.name, text)
        else:
            read.text = text
    return read
