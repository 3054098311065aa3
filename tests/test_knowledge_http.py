"""The knowledge base against a Chroma server (`COACH_CHROMA_URL`), on 127.0.0.1 only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bench.chroma_server import ChromaUnavailable, chroma_server
from coach.config import Settings
from coach.domain.errors import CoachError
from coach.knowledge.kb import KnowledgeBase

GUIDE = """---
id: harbour
title: Harbour guide
topic: harbour
step: 1
---

# Harbour guide

## Mooring a boat

Use two lines and leave slack for the tide.

## Reading the weather

Falling pressure and a backing wind mean a front is on its way.
"""


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    try:
        with chroma_server(tmp_path_factory.mktemp("chroma-server")) as server:
            yield server.url
    except ChromaUnavailable as exc:
        pytest.skip(str(exc))


def test_http_client_indexes_searches_and_manages_documents(chroma_url, tmp_path: Path):
    guidance = tmp_path / "guidance"
    guidance.mkdir()
    (guidance / "harbour.md").write_text(GUIDE, encoding="utf-8")
    settings = dataclasses.replace(Settings.load(tmp_path / "home"), chroma_url=chroma_url)
    kb = KnowledgeBase(settings, guidance_dir=guidance)

    first = kb.index()
    assert first.files_indexed == 1 and first.chunks_embedded > 0
    assert kb.index().chunks_embedded == 0

    hits = kb.search("what does a falling barometer tell me?", k=2)
    assert hits[0].doc_id == "harbour" and hits[0].section == "Reading the weather"

    note = tmp_path / "note.txt"
    note.write_text("The dinghy oars are kept in the blue shed.\n", encoding="utf-8")
    info = kb.add_document(note)
    assert kb.search("where are the oars?", k=1)[0].doc_id == info.id
    kb.remove_document(info.id)
    assert [d.id for d in kb.list_documents()] == ["harbour"]
    assert kb.consistency().ok


@pytest.mark.parametrize("url", ["ftp://example", "http://127.0.0.1:1"])
def test_bad_chroma_url_is_a_clear_error(tmp_path: Path, url: str):
    with pytest.raises(CoachError, match="COACH_CHROMA_URL|Could not reach") as caught:
        KnowledgeBase(dataclasses.replace(Settings.load(tmp_path), chroma_url=url))
    assert caught.value.hint
