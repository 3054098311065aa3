"""Reading knowledge files: front matter, text extraction, and every check on user input.

Nothing here touches the index. Each problem a user can fix raises `CoachError` with a
message that names the file and says how to fix it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.domain.errors import CoachError
from coach.domain.limits import MAX_FILE_BYTES, MAX_MARKDOWN_DEPTH, MAX_YAML_DEPTH
from coach.domain.markup import markdown_depth
from coach.domain.text import clean_block
from coach.files import read_bounded, too_big

# "framework": criteria of an imported career framework, indexed as records (records.py),
# not read from a file.
Kind = Literal["guidance", "user", "framework"]

SUPPORTED_EXTENSIONS = (".md", ".txt", ".pdf")
MAX_BYTES = MAX_FILE_BYTES["document"]
TEXT_ENCODINGS = ("utf-8", "utf-8-sig")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SLUG_BAD = re.compile(r"[^a-z0-9]+")


class GuidanceMeta(BaseModel):
    """The front matter every shipped `knowledge/*.md` file must carry."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(..., min_length=3)
    topic: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]*$")
    step: int = Field(..., ge=0)


class DocumentInfo(BaseModel):
    """One document in the knowledge base, as listed to the user."""

    id: str
    title: str
    source: str = Field(..., description="File name, e.g. 'timing.md'.")
    kind: Kind
    topic: str = ""
    chunks: int = 0
    content_hash: str = ""
    size_bytes: int = 0
    trusted: bool = Field(False, description="Shipped guidance, or a document the user added "
                          "as trusted: its text may be quoted as guidance.")


class DocumentText(BaseModel):
    """A whole document as the reader shows it: markdown (guides) or plain text."""

    id: str
    title: str
    source: str
    kind: Kind
    fmt: Literal["md", "txt", "pdf"]
    text: str


@dataclass
class Loaded:
    """A file read and ready to chunk: clean text plus what we know about it."""

    doc_id: str
    title: str
    topic: str
    kind: Kind
    source: str
    text: str
    fmt: Literal["md", "txt", "pdf"]
    step: int = -1
    pages: list[str] = field(default_factory=list)  # PDF only: text per page


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _plain_yaml(text: str) -> bool:
    """True when YAML nests at most `MAX_YAML_DEPTH` levels and uses no aliases. Read as a
    stream of events, which needs no recursion: `[[[[...` 100,000 deep is refused, not a
    crash, and an alias bomb (a billion references) is never built."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return False
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return False
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return True


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return (front matter as a dict, body). No or unparsable front matter gives ({}, text).

    Raises:
        CoachError: the front matter nests deeper than `MAX_YAML_DEPTH` or uses aliases.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        if not _plain_yaml(match.group(1)):
            raise CoachError(f"the front matter (between the '---' lines) nests more than "
                             f"{MAX_YAML_DEPTH} levels deep or uses YAML aliases",
                             code="too-deep", hint="Keep it to plain 'key: value' lines.")
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    return data, text[match.end() :]


def parse_guidance_meta(path: Path, text: str) -> GuidanceMeta:
    """Validate a shipped file's front matter; raise CoachError naming what is wrong."""
    data, _ = split_front_matter(text)
    if not data:
        raise CoachError(f"{path.name} has no YAML front matter.",
                         hint="Start the file with '---', id/title/topic/step lines, '---'.")
    try:
        return GuidanceMeta.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) + f" ({e['msg']})"
                           for e in exc.errors())
        raise CoachError(f"{path.name} has invalid front matter: {fields}.",
                         hint="Fix the front matter fields id, title, topic and step.") from exc


def first_heading(text: str) -> str | None:
    match = _H1.search(text)
    return match.group(1).strip() if match else None


def slugify(name: str, limit: int = 40) -> str:
    """A file-name-safe slug of [a-z0-9-]: never contains '/', '..' or a leading dot."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_BAD.sub("-", ascii_name.lower()).strip("-")[:limit].strip("-")
    return slug or "document"


def title_from_stem(stem: str) -> str:
    """'review-notes-1a2b3c4d' -> 'Review notes' (drops the generated hash suffix)."""
    words = re.sub(r"-[0-9a-f]{8}$", "", stem).replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else stem


# --- trust -------------------------------------------------------------------------------
TRUSTED_FILE = ".trusted.json"  # a dot file: the index never reads it as a document


def trusted_names(folder: Path) -> set[str]:
    """The stored names of the user's documents they added as trusted (none by default)."""
    try:
        names = json.loads((folder / TRUSTED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def set_trusted(folder: Path, name: str, trusted: bool) -> None:
    """Mark (or unmark) one stored document as trusted."""
    names = trusted_names(folder) - {name} | ({name} if trusted else set())
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{TRUSTED_FILE}.tmp"
    tmp.write_text(json.dumps(sorted(names)), encoding="utf-8")
    tmp.replace(folder / TRUSTED_FILE)


# --- reading -----------------------------------------------------------------------------


def check_path(path: Path) -> None:
    """The checks on a file a user wants to add that need none of its bytes: it exists, is a
    supported type, and is neither empty nor over the limit."""
    if not path.exists():
        raise CoachError(f"No file at {path}.", hint="Check the path and try again.")
    if not path.is_file():
        raise CoachError(f"{path} is not a file.", hint="Give the path of a .md, .txt or .pdf file.")
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise CoachError(
            f"{path.name} has an unsupported file type ({shown}).",
            hint="Supported types are .md, .txt and .pdf; convert the file to one of them.",
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise too_big(path, MAX_BYTES, "a document", size)
    if size == 0:
        raise CoachError(f"{path.name} is empty.", hint="Add some text to it and try again.")


def check_file(path: Path) -> bytes:
    """Read a file a user wants to add, after the checks that need no parsing."""
    check_path(path)
    return read_bounded(path, MAX_BYTES, "a document")


def decode_text(name: str, data: bytes) -> str:
    """Decode UTF-8 (with or without a BOM); explain the failure otherwise."""
    error: UnicodeDecodeError | None = None
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            error = error or exc
    else:
        assert error is not None
        bad = data[error.start : error.start + 1].hex()
        raise CoachError(
            f"{name} is not UTF-8 text: byte 0x{bad} at position {error.start} cannot be "
            "decoded (the file may be in another encoding such as Latin-1 or UTF-16, "
            "or not text at all).",
            hint="Re-save it as UTF-8 (most editors offer 'Save with encoding') and add it again.",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise CoachError(f"{name} contains NUL bytes, so it looks like a binary file, not text.",
                         hint="Add a plain-text, Markdown or PDF version of it instead.")
    return text


def extract_pdf(name: str, data: bytes) -> list[str]:
    """Text per page; CoachError for corrupt, encrypted or text-less PDFs."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened: int = reader.decrypt("")  # a PasswordType (an IntEnum)
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                opened = 0
            if not opened:
                raise CoachError(
                    f"{name} is an encrypted (password-protected) PDF, so its text cannot "
                    "be read.",
                    hint="Remove the password (e.g. print it to a new PDF) and add it again.",
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except CoachError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            OSError, RecursionError) as exc:
        raise CoachError(
            f"{name} could not be read as a PDF ({type(exc).__name__}: {exc}); it may be "
            "damaged or not really a PDF.",
            hint="Open it in a PDF viewer and re-export it, or add a .txt copy of its text.",
        ) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf can fail in unexpected ways on bad input
        raise CoachError(
            f"{name} could not be read as a PDF ({type(exc).__name__}).",
            hint="Open it in a PDF viewer and re-export it, or add a .txt copy of its text.",
        ) from exc
    pages = [clean_block(p) for p in pages]
    if not any(pages):
        raise CoachError(
            f"{name} has no extractable text (it may be a scanned image).",
            hint="Run it through OCR, or paste its text into a .txt file and add that.",
        )
    return pages


def pdf_title(data: bytes) -> str | None:
    from pypdf import PdfReader

    try:
        meta = PdfReader(io.BytesIO(data), strict=False).metadata
        title = (meta.title if meta else None) or ""
    except Exception:  # noqa: BLE001 - a title is optional
        return None
    return title.strip() or None


def load_file(path: Path, kind: Kind, data: bytes | None = None) -> Loaded:
    """Read one knowledge file (shipped or user) into clean text with its metadata."""
    if data is None:
        data = check_file(path) if kind == "user" else path.read_bytes()
    name = path.name
    ext = path.suffix.lower()
    if ext == ".pdf":
        pages = extract_pdf(name, data)
        title = pdf_title(data) or title_from_stem(path.stem)
        text = "\n\n".join(p for p in pages if p)
        return Loaded(path.stem, title, "user", kind, name, text, "pdf", pages=pages)

    raw = decode_text(name, data)
    if ext == ".txt":
        text = clean_block(raw)
        _require_text(name, text)
        return Loaded(path.stem, title_from_stem(path.stem), "user", kind, name, text, "txt")

    meta, body = split_front_matter(raw)
    body = clean_block(body)
    _require_text(name, body)
    if (depth := markdown_depth(body)) > MAX_MARKDOWN_DEPTH:
        raise CoachError(f"{name} nests quotes or lists {depth} levels deep; the limit is "
                         f"{MAX_MARKDOWN_DEPTH}.", code="too-deep",
                         hint="Flatten the deepest quotes or lists and add it again.")
    if kind == "guidance":
        try:
            gm = parse_guidance_meta(path, raw)
            return Loaded(gm.id, gm.title, gm.topic, kind, name, body, "md", step=gm.step)
        except CoachError:
            pass  # a broken shipped file still gets indexed; the test suite flags it
    title = str(meta.get("title") or "").strip() or first_heading(body) or title_from_stem(path.stem)
    topic = "guidance" if kind == "guidance" else "user"
    return Loaded(path.stem, title, topic, kind, name, body, "md")


def _require_text(name: str, text: str) -> None:
    if not text.strip():
        raise CoachError(f"{name} has no text in it (only blank lines or front matter).",
                         hint="Add some text to it and try again.")
