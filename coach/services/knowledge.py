"""The guidance library: build the index, add and remove the user's documents, search."""

from __future__ import annotations

from pathlib import Path

from coach.domain.errors import CoachError
from coach.domain.limits import check_length
from coach.domain.passage import Passage
from coach.knowledge.documents import check_path
from coach.services.context import Context
from coach.services.framework_index import search_with_framework


def init_home(ctx: Context, *, progress: bool = False):
    """Create the data home and build (or refresh) the index."""
    ctx.settings.ensure_home()
    ctx.store.count_entries()  # opening the store creates and migrates the database
    return ctx.kb.index(progress=progress)


def add_document(ctx: Context, path: Path, *, trusted: bool = False):
    """Add one of the user's documents; `trusted` lets the chat quote it as guidance."""
    check_path(Path(path).expanduser())  # before the index and its libraries are loaded
    return ctx.kb.add_document(path, trusted=trusted)


def list_documents(ctx: Context):
    return ctx.kb.list_documents()


def remove_document(ctx: Context, doc_id: str):
    return ctx.kb.remove_document(doc_id)


def search(ctx: Context, query: str, k: int = 5) -> list[Passage]:
    check_length("query", query)
    if not query or not query.strip():
        raise CoachError("the search query is empty", code="empty", field="query",
                         hint="Ask a question, e.g. when is a good time to ask?")
    # A query that names a level or an area of the framework in use gets its criteria first.
    return search_with_framework(ctx, query, k)


def read_document(ctx: Context, doc_id: str):
    """The whole text of one guide or document of the user's, to read in full."""
    return ctx.kb.read_document(doc_id)
