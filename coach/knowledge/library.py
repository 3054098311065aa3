"""The user's own documents in the knowledge base: list, add (copied into the data home), remove.

A document is a file in the home's documents folder; the index follows the folder. Adding
checks the file fully before anything is written, and a failed add leaves no trace.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from coach.domain.errors import CoachError
from coach.knowledge import manifest as mf
from coach.knowledge.documents import (
    DocumentInfo,
    DocumentText,
    check_file,
    load_file,
    set_trusted,
    sha256_bytes,
    slugify,
)
from coach.knowledge.index import Indexer


class Library:
    """The documents an `Indexer` covers: shipped guidance (read-only) and the user's own."""

    def __init__(self, indexer: Indexer):
        self.indexer = indexer
        self.folder = indexer.settings.documents_dir

    def list_documents(self) -> list[DocumentInfo]:
        """Shipped guidance (in journey order) then the user's documents, as indexed now."""
        self.indexer.update()
        state, _ = self.indexer.state()
        entries = sorted((e for e in state.files.values() if e.kind != "framework"),
                         key=lambda e: (e.kind != "guidance", e.step, e.source))
        return [_info(e) for e in entries]

    def read_document(self, doc_id: str) -> DocumentText:
        """The text of one document (a guide or the user's own), by id or file name."""
        found = next((d for d in self.list_documents() if doc_id in (d.id, d.source)), None)
        if found is None:
            raise CoachError(f"No document with id '{doc_id}'.", code="not-found",
                             field="document")
        folder = self.indexer.guidance_dir if found.kind == "guidance" else self.folder
        try:
            loaded = load_file(folder / found.source, found.kind)
        except OSError as exc:
            raise CoachError(f"{found.source} could not be read ({exc.strerror or exc}).",
                             code="not-found", field="document") from None
        return DocumentText(id=found.id, title=found.title, source=found.source, kind=found.kind,
                            fmt=loaded.fmt, text=loaded.text)

    def add_document(self, path: Path, *, trusted: bool = False) -> DocumentInfo:
        """Copy a .md, .txt or .pdf file into the data home and index it.

        Args:
            trusted: the user vouches for the text: the chat may quote it as guidance, like
                the shipped guides. Off by default: a document is only material.
        """
        path = Path(path).expanduser()
        data = check_file(path)
        load_file(path, "user", data)  # every content check, before anything is written
        digest = sha256_bytes(data)
        for doc in self.list_documents():
            if doc.kind == "user" and doc.content_hash == digest:
                raise CoachError(f"{path.name} is already in the knowledge base as '{doc.id}'.",
                                 code="exists", field="document")
        self.folder.mkdir(parents=True, exist_ok=True)
        # The stored name is generated from a whitelist of characters: the given name is
        # never used as a path, so '../' or absolute names cannot escape the folder.
        name = f"{slugify(path.stem)}-{digest[:8]}{path.suffix.lower()}"
        dest = self.folder / name
        if dest.resolve().parent != self.folder.resolve():  # pragma: no cover - defence in depth
            raise CoachError(f"Refusing to store {path.name} outside {self.folder}.")
        set_trusted(self.folder, name, trusted)  # before indexing: its chunks carry the flag
        _write_atomic(dest, data)
        try:
            self.indexer.update()
        except BaseException:
            dest.unlink(missing_ok=True)
            set_trusted(self.folder, name, False)
            with contextlib.suppress(Exception):
                self.indexer.update()  # drop any chunks of the half-added file
            raise
        state, _ = self.indexer.state()
        entry = state.files.get(mf.file_key("user", name))
        if entry is None:  # pragma: no cover - load_file passed above, so it indexes
            dest.unlink(missing_ok=True)
            raise CoachError(f"{path.name} could not be indexed.")
        return _info(entry)

    def remove_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document the user added (shipped guidance cannot be removed)."""
        with self.indexer.locked():
            self.indexer.update_locked()
            state, _ = self.indexer.state()
            matches = [(k, e) for k, e in state.files.items()
                       if doc_id in (e.doc_id, e.source)]
            if not matches:
                raise CoachError(f"No document with id '{doc_id}'.", code="not-found",
                                 field="document")
            user = [(k, e) for k, e in matches if e.kind == "user"]
            if not user:
                raise CoachError(
                    f"'{doc_id}' is shipped guidance and cannot be removed.",
                    code="shipped-guide", field="document",
                    hint="Only documents you added can be removed.")
            key, entry = user[0]
            (self.folder / entry.source).unlink(missing_ok=True)
            set_trusted(self.folder, entry.source, False)
            if entry.chunk_ids:
                self.indexer.collection.delete(ids=entry.chunk_ids)
            del state.files[key]
            self.indexer.save(state)
            return _info(entry)


def _info(entry: mf.FileEntry) -> DocumentInfo:
    return DocumentInfo(id=entry.doc_id, title=entry.title, source=entry.source, kind=entry.kind,
                        topic=entry.topic, chunks=len(entry.chunk_ids),
                        content_hash=entry.content_hash, size_bytes=entry.size_bytes,
                        trusted=entry.trusted or entry.kind == "guidance")


def _write_atomic(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".incoming-", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
