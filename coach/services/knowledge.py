"""The guidance library: build the index, add and remove the user's documents, search."""

from __future__ import annotations

from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.services.context import Context


def init_home(ctx: Context, *, progress: bool = False):
    """Create the data home and build (or refresh) the index."""
    ctx.settings.ensure_home()
    ctx.store.count_entries()  # opening the store creates and migrates the database
    return ctx.kb.index(progress=progress)


def add_document(ctx: Context, path: Path):
    return ctx.kb.add_document(path)


def list_documents(ctx: Context):
    return ctx.kb.list_documents()


def remove_document(ctx: Context, doc_id: str):
    return ctx.kb.remove_document(doc_id)


def search(ctx: Context, query: str, k: int = 5) -> list[Passage]:
    if not query or not query.strip():
        raise CoachError("the search query is empty", code="empty", field="query",
                         hint="Ask a question, e.g. when is a good time to ask?")
    return ctx.kb.search(query, k=k)
