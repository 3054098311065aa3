"""The knowledge base against a Chroma server (`COACH_CHROMA_URL`), on 127.0.0.1 only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.knowledge.index import KnowledgeBase
from coach.llm.local import free_port

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


def _chroma_binary() -> str | None:
    local = Path(sys.executable).parent / "chroma"
    return str(local) if local.exists() else shutil.which("chroma")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    binary = _chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` server command is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_TELEMETRY": "False"}
    server = subprocess.Popen(
        [binary, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.skip("the Chroma server did not start")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_http_client_indexes_searches_and_manages_documents(chroma_url, tmp_path: Path):
    guidance = tmp_path / "guidance"
    guidance.mkdir()
    (guidance / "harbour.md").write_text(GUIDE, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", chroma_url=chroma_url),
                       guidance_dir=guidance)

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
        KnowledgeBase(Settings(home=tmp_path, chroma_url=url))
    assert caught.value.hint
