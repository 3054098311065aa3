"""The knowledge base: shipped content, incremental indexing, user documents, search."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from coach.assets import guides_dir
from coach.config import Settings
from coach.domain.errors import CoachError
from coach.domain.passage import Passage
from coach.knowledge.documents import MAX_BYTES, parse_guidance_meta, split_front_matter
from coach.knowledge.kb import KnowledgeBase
from tests.paths import REPO_ROOT

SOURCES_DIR = REPO_ROOT.parent / "shared" / "sources"
QUESTIONS = Path(__file__).parent / "retrieval_questions.yaml"
KNOWLEDGE_DIR = guides_dir()
GUIDANCE_FILES = sorted(KNOWLEDGE_DIR.glob("*.md"))

TINY_GUIDANCE = {
    "alpha.md": """---
id: alpha
title: Alpha guide
topic: alpha
step: 1
---

# Alpha guide

An introduction to the alpha guide.

## Planning the harvest

Pick apples when they come away from the branch with a gentle twist.

## Storing the crop

Keep apples cool and dark, and away from potatoes.
""",
    "beta.md": """---
id: beta
title: Beta guide
topic: beta
step: 2
---

# Beta guide

## Tuning a bicycle

Check the tyre pressure every week and oil the chain after rain.
""",
}


# --- helpers -------------------------------------------------------------------------------


def make_pdf(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF showing `lines` in Helvetica."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
    for line in lines:
        ops.append(f"({esc(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def encrypted_pdf(user_password: str = "open-sesame") -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf(["secret notes about the quarterly plan"]))))
    # RC4 needs no optional crypto library, so the test runs on the default install.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def snapshot(kb: KnowledgeBase) -> tuple:
    """Everything a failed add must leave untouched."""
    listed = [(d.id, d.chunks, d.content_hash) for d in kb.list_documents()]
    docs = sorted(p.name for p in kb.settings.documents_dir.glob("*")) \
        if kb.settings.documents_dir.exists() else []
    ids = sorted(kb.collection.get(include=[])["ids"])
    return docs, ids, listed


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def shipped_kb(tmp_path_factory) -> KnowledgeBase:
    """The shipped guidance, indexed once per test session."""
    kb = KnowledgeBase(Settings.load(tmp_path_factory.mktemp("shipped-home")))
    kb.index()
    return kb


@pytest.fixture
def tiny_guidance(tmp_path) -> Path:
    folder = tmp_path / "guidance"
    folder.mkdir()
    for name, text in TINY_GUIDANCE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def kb(tmp_path, tiny_guidance) -> KnowledgeBase:
    """A knowledge base with two tiny guidance files: cheap to build per test."""
    return KnowledgeBase(Settings.load(tmp_path / "home"), guidance_dir=tiny_guidance)


@pytest.fixture
def files(tmp_path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


# --- shipped content -----------------------------------------------------------------------


def test_shipped_guidance_exists():
    assert len(GUIDANCE_FILES) >= 14


@pytest.mark.parametrize("path", GUIDANCE_FILES, ids=lambda p: p.name)
def test_front_matter_is_valid(path: Path):
    text = path.read_text(encoding="utf-8")
    meta = parse_guidance_meta(path, text)
    assert meta.id == path.stem, "the id should match the file name"
    assert isinstance(meta.step, int) and meta.step >= 1
    _, body = split_front_matter(text)
    sections = re.findall(r"^## \S.*$", body, re.MULTILINE)
    assert len(sections) >= 4, "chunking is by ## headers: give the file real sections"
    words = len(body.split())
    assert 300 <= words <= 900, f"{path.name} has {words} words; aim for 300-900"


def test_guidance_ids_unique_and_topics_covered():
    metas = [parse_guidance_meta(p, p.read_text(encoding="utf-8")) for p in GUIDANCE_FILES]
    ids = [m.id for m in metas]
    assert len(ids) == len(set(ids))
    topics = {m.topic for m in metas}
    required = {"foundations", "requirements", "next-level-work", "tracking", "proposal",
                "timing", "meeting-request", "conversation", "manager-responses", "after-no",
                "changing-companies", "after-yes", "declining", "checklist"}
    assert required <= topics, f"missing topics: {sorted(required - topics)}"


def test_level_differences_are_covered():
    text = (KNOWLEDGE_DIR / "next-level-requirements.md").read_text(encoding="utf-8").lower()
    for phrase in ("mentoring", "project", "managing people", "stakeholder", "managing managers",
                   "budget", "across functions"):
        assert phrase in text


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text)


def test_no_sentences_copied_from_sources():
    sources = sorted(SOURCES_DIR.glob("*.txt")) if SOURCES_DIR.is_dir() else []
    if not sources:
        pytest.skip(f"no source articles at {SOURCES_DIR}")
    n = 8
    grams: dict[tuple[str, ...], str] = {}
    for path in sources:
        words = _words(path.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(words) - n + 1):
            grams.setdefault(tuple(words[i : i + n]), path.name)
    copied = []
    for path in GUIDANCE_FILES:
        words = _words(path.read_text(encoding="utf-8"))
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            if gram in grams:
                copied.append(f"{path.name}: '{' '.join(gram)}' (from {grams[gram]})")
    assert not copied, "runs of 8+ words copied from the sources:\n" + "\n".join(copied)


# --- indexing ------------------------------------------------------------------------------


def test_index_is_incremental(kb: KnowledgeBase):
    first = kb.index()
    assert first.files_indexed == 2 and first.chunks_embedded > 0
    assert first.chunks_total == first.chunks_embedded
    started = time.perf_counter()
    second = kb.index()
    assert time.perf_counter() - started < 1.0
    assert second.chunks_embedded == 0 and second.files_indexed == 0
    assert second.files_unchanged == 2
    assert second.chunks_total == first.chunks_total
    assert kb.consistency().ok


def test_reindex_of_shipped_kb_embeds_nothing(shipped_kb: KnowledgeBase):
    started = time.perf_counter()
    report = shipped_kb.index()
    elapsed = time.perf_counter() - started
    assert report.chunks_embedded == 0
    assert report.files_unchanged == len(GUIDANCE_FILES)
    assert elapsed < 1.0, f"re-index of an unchanged KB took {elapsed:.2f}s"


def test_editing_one_user_doc_reembeds_only_it(kb: KnowledgeBase, files: Path):
    (files / "one.md").write_text("# One\n\nNotes about the garden shed roof.\n", "utf-8")
    (files / "two.txt").write_text("Notes about the kitchen tap that drips.\n", "utf-8")
    one = kb.add_document(files / "one.md")
    two = kb.add_document(files / "two.txt")
    before = set(kb.collection.get(include=[])["ids"])

    stored = kb.settings.documents_dir / one.source
    stored.write_text("# One\n\nNotes about the garden shed roof and the gutter.\n", "utf-8")
    report = kb.index()
    assert report.files_indexed == 1
    assert report.chunks_embedded == 1
    after = set(kb.collection.get(include=[])["ids"])
    kept = {i for i in before if two.source in i}
    assert kept and kept <= after, "the unchanged document's chunks must stay as they were"
    hits = kb.search("gutter", k=1)
    assert hits[0].source == one.source and "gutter" in hits[0].text
    assert kb.consistency().ok


def test_removed_files_lose_their_chunks(kb: KnowledgeBase, files: Path):
    (files / "gone.txt").write_text("A note about the lighthouse keeper.\n", "utf-8")
    info = kb.add_document(files / "gone.txt")
    (kb.settings.documents_dir / info.source).unlink()
    report = kb.index()
    assert report.files_removed == 1 and report.chunks_deleted == info.chunks
    assert all(d.source != info.source for d in kb.list_documents())
    assert kb.consistency().ok


def test_missing_manifest_is_rebuilt_without_embedding(kb: KnowledgeBase):
    kb.index()
    (kb.settings.index_dir / "manifest.json").unlink()
    report = kb.index()
    assert report.rebuilt_manifest and report.chunks_embedded == 0
    assert kb.consistency().ok


def test_reindex_repairs_a_damaged_index(kb: KnowledgeBase):
    kb.index()
    victim = kb.collection.get(include=[])["ids"][0]
    kb.collection.delete(ids=[victim])
    check = kb.consistency()
    assert not check.ok
    report = kb.index()
    assert report.rebuilt_manifest and report.files_indexed == 1
    assert kb.consistency().ok


def test_progress_flag_is_accepted(kb: KnowledgeBase):
    # Under pytest stderr is not a tty, so no bar is drawn; the call must still work.
    assert kb.index(progress=True).files_indexed == 2


# --- user documents ------------------------------------------------------------------------


def test_add_list_search_remove_md_txt_pdf(kb: KnowledgeBase, files: Path):
    (files / "My Review Notes.md").write_text(
        "---\ntitle: Review notes\n---\n# Ignored heading\n\n## Feedback\n\n"
        "The zeppelin launch went well and the board noticed.\n", "utf-8")
    (files / "goals.txt").write_text("This quarter I want to own the kangaroo roadmap.\n",
                                     "utf-8")
    (files / "praise.pdf").write_bytes(make_pdf(["Thanks for fixing the walrus outage fast."]))

    added = [kb.add_document(files / name) for name in ("My Review Notes.md", "goals.txt",
                                                        "praise.pdf")]
    assert [d.kind for d in added] == ["user"] * 3
    assert all(d.chunks >= 1 for d in added)
    assert added[0].title == "Review notes"
    assert added[1].title == "Goals"

    listed = kb.list_documents()
    assert {d.kind for d in listed} == {"guidance", "user"}
    assert [d.id for d in listed if d.kind == "guidance"] == ["alpha", "beta"]
    assert {d.id for d in listed if d.kind == "user"} == {d.id for d in added}

    for word, doc in (("zeppelin", added[0]), ("kangaroo", added[1]), ("walrus", added[2])):
        top = kb.search(f"{word}", k=3)
        assert top[0].doc_id == doc.id, word
        assert word in top[0].text.lower()

    for doc in added:
        removed = kb.remove_document(doc.id)
        assert removed.id == doc.id
        assert not (kb.settings.documents_dir / doc.source).exists()
    assert [d.kind for d in kb.list_documents()] == ["guidance", "guidance"]
    assert all(p.doc_id in ("alpha", "beta") for p in kb.search("walrus zeppelin", k=20))
    assert kb.consistency().ok


@pytest.mark.parametrize("name", ["..evil name;rm -rf.md", "über notes (final).txt", "---.md"])
def test_stored_name_is_generated_and_safe(kb: KnowledgeBase, files: Path, name: str):
    (files / name).write_text("Some perfectly ordinary notes.\n", "utf-8")
    (files / "sub").mkdir()
    info = kb.add_document(files / "sub" / ".." / name)  # a path with '..' in it
    stored = kb.settings.documents_dir / info.source
    assert stored.is_file()
    assert stored.resolve().parent == kb.settings.documents_dir.resolve()
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{8}\.(md|txt)", info.source), info.source


def test_utf8_with_bom_is_accepted(kb: KnowledgeBase, files: Path):
    (files / "bom.txt").write_bytes("\ufeffNotes with a byte order mark.\n".encode())
    info = kb.add_document(files / "bom.txt")
    assert kb.search("byte order mark", k=1)[0].doc_id == info.id


def _bad_inputs(files: Path) -> dict[str, tuple[Path, str]]:
    cases: dict[str, tuple[Path, str]] = {}

    def put(name: str, data: bytes) -> Path:
        path = files / name
        path.write_bytes(data)
        return path

    cases["missing"] = (files / "nope.md", "no file")
    (files / "folder.md").mkdir()
    cases["directory"] = (files / "folder.md", "not a file")
    cases["unsupported"] = (put("cv.docx", b"PK\x03\x04 not really"), "unsupported")
    cases["no-extension"] = (put("README", b"hello"), "unsupported")
    cases["empty"] = (put("empty.md", b""), "empty")
    cases["blank"] = (put("blank.txt", b"  \n\n\t\n"), "no text")
    cases["front-matter-only"] = (put("fm.md", b"---\ntitle: x\n---\n\n"), "no text")
    cases["latin-1"] = (put("latin.txt", "Caf\u00e9 cr\u00e8me notes".encode("latin-1")),
                        "not utf-8")
    cases["utf-16"] = (put("wide.txt", "Some notes".encode("utf-16")), "not utf-8")
    cases["binary"] = (put("bin.txt", b"abc\x00\x00def"), "binary")
    cases["corrupt-pdf"] = (put("broken.pdf", b"%PDF-1.4\nthis is not a pdf at all"), "pdf")
    cases["fake-pdf"] = (put("fake.pdf", b"just some text pretending"), "pdf")
    cases["encrypted-pdf"] = (put("locked.pdf", encrypted_pdf()), "password")
    cases["textless-pdf"] = (put("scan.pdf", blank_pdf()), "no extractable text")
    cases["too-big"] = (put("huge.txt", b"a" * (MAX_BYTES + 1)), "5 mb")
    return cases


def test_bad_inputs_raise_clear_errors_and_change_nothing(kb: KnowledgeBase, files: Path):
    (files / "ok.txt").write_text("An existing note about sailing.\n", "utf-8")
    kb.add_document(files / "ok.txt")
    before = snapshot(kb)
    for case, (path, expected) in _bad_inputs(files).items():
        with pytest.raises(CoachError) as caught:
            kb.add_document(path)
        error = caught.value
        assert expected in error.message.lower(), f"{case}: {error.message}"
        assert error.hint, f"{case}: the error should say how to fix it"
        assert path.name in str(error) or case in ("missing", "directory"), case
        assert snapshot(kb) == before, f"{case} changed the knowledge base"


def test_pdf_with_only_an_owner_password_is_readable(kb: KnowledgeBase, files: Path):
    (files / "owner-only.pdf").write_bytes(encrypted_pdf(user_password=""))
    assert kb.add_document(files / "owner-only.pdf").kind == "user"
    assert "quarterly plan" in kb.search("quarterly plan", k=1)[0].text


def test_adding_the_same_content_twice_is_refused(kb: KnowledgeBase, files: Path):
    (files / "a.txt").write_text("Identical words.\n", "utf-8")
    (files / "b.txt").write_text("Identical words.\n", "utf-8")
    first = kb.add_document(files / "a.txt")
    before = snapshot(kb)
    with pytest.raises(CoachError, match="already in the knowledge base") as caught:
        kb.add_document(files / "b.txt")
    assert first.id in caught.value.message
    assert snapshot(kb) == before


def test_remove_refuses_guidance_and_unknown_ids(kb: KnowledgeBase):
    before = snapshot(kb)
    with pytest.raises(CoachError, match="shipped guidance") as caught:
        kb.remove_document("alpha")
    assert (caught.value.code, caught.value.field) == ("shipped-guide", "document")
    with pytest.raises(CoachError, match="No document with id 'nope'") as caught:
        kb.remove_document("nope")
    assert (caught.value.code, caught.value.field) == ("not-found", "document")
    assert snapshot(kb) == before


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_blank_query_is_an_error(kb: KnowledgeBase, query: str):
    with pytest.raises(CoachError, match="empty"):
        kb.search(query)


def test_search_builds_the_index_on_first_use(kb: KnowledgeBase):
    assert kb.collection.count() == 0
    hits = kb.search("when should I pick apples?", k=1)
    assert hits and hits[0].doc_id == "alpha"
    assert kb.collection.count() > 0


def _search_during_an_index(kb: KnowledgeBase, query: str, k: int) -> tuple[list, bool]:
    """Search while another writer holds the index lock for a second (as a background or
    other-process index does); returns the hits and whether the search waited for it."""
    locked, released = threading.Event(), threading.Event()

    def index_in_progress():
        with kb.indexer.locked():
            locked.set()
            time.sleep(1.0)  # far longer than a search takes
            released.set()

    writer = threading.Thread(target=index_in_progress)
    writer.start()
    locked.wait(5)
    hits = kb.search(query, k=k)
    waited = released.is_set()
    writer.join()
    return hits, waited


def test_a_search_that_meets_an_index_in_progress_waits_for_it(shipped_kb: KnowledgeBase):
    """The UI indexes in the background on a user's first visit; a search racing it must wait
    for the index to finish instead of failing with 'the index changed while searching'."""
    shipped_kb.search("timing")
    # The cached copy knows none of the chunks Chroma will name: the index moved on without it.
    shipped_kb.searcher._cache = dataclasses.replace(shipped_kb.searcher.corpus(), position={})
    hits, waited = _search_during_an_index(shipped_kb, "timing", k=3)
    assert waited, "the search did not wait for the index to finish"
    assert len(hits) == 3


def test_a_search_before_the_first_index_is_complete_waits_for_it(kb: KnowledgeBase):
    """Another process building the index has written chunks but not yet the manifest: a
    search must not read the half-built collection (a Chroma server fails such reads)."""
    kb.index()
    (kb.settings.index_dir / "manifest.json").unlink()  # as mid-build: chunks, no manifest
    hits, waited = _search_during_an_index(kb, "when should I pick apples?", k=1)
    assert waited, "the search read the index while it was being built"
    assert hits and hits[0].doc_id == "alpha"
    assert (kb.settings.index_dir / "manifest.json").exists()


def test_k_is_clamped(shipped_kb: KnowledgeBase):
    assert len(shipped_kb.search("timing", k=0)) == 1
    assert len(shipped_kb.search("timing", k=-3)) == 1
    assert len(shipped_kb.search("timing", k=500)) == 20


def test_search_returns_cited_passages(shipped_kb: KnowledgeBase):
    hits = shipped_kb.search("my company just announced layoffs, should I still ask?", k=5)
    assert len(hits) == 5
    for hit in hits:
        assert isinstance(hit, Passage)
        assert hit.source.endswith(".md") and hit.title and hit.doc_id and hit.topic
        assert 0.0 <= hit.score <= 1.0
        assert hit.text.strip() and not hit.text.startswith("---")
    best = hits[0]
    assert best.source == "timing.md"
    assert best.section and " § " in best.citation()
    assert not best.text.startswith(best.title), "the embedded title prefix must not leak"


def test_list_documents_covers_the_shipped_guidance(shipped_kb: KnowledgeBase):
    listed = shipped_kb.list_documents()
    assert [d.source for d in listed] == [d.source for d in listed if d.kind == "guidance"]
    assert {d.source for d in listed} == {p.name for p in GUIDANCE_FILES}
    assert all(d.chunks > 0 and d.title for d in listed)
    steps = [parse_guidance_meta(KNOWLEDGE_DIR / d.source,
                                 (KNOWLEDGE_DIR / d.source).read_text("utf-8")).step
             for d in listed]
    assert steps == sorted(steps), "guidance is listed in journey order"


def test_retrieval_hit_at_3(shipped_kb: KnowledgeBase, capsys):
    questions = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(questions) >= 24
    topics = {parse_guidance_meta(p, p.read_text("utf-8")).topic for p in GUIDANCE_FILES}
    misses = []
    for item in questions:
        assert item["topic"] in topics, item
        top = shipped_kb.search(item["q"], k=3)
        if item["topic"] not in {p.topic for p in top}:
            misses.append(f"  {item['q']!r}: wanted {item['topic']}, got "
                          + ", ".join(p.citation() for p in top))
    hit_rate = 1 - len(misses) / len(questions)
    with capsys.disabled():
        print(f"\nretrieval hit@3 = {hit_rate:.3f} over {len(questions)} questions")
        for line in misses:
            print(line)
    assert hit_rate >= 0.9


def test_indexing_never_writes_to_the_knowledge_dir(shipped_kb: KnowledgeBase):
    # Indexing must never write into the shipped knowledge folder.
    before = {p.name: p.stat().st_mtime_ns for p in KNOWLEDGE_DIR.iterdir()}
    shipped_kb.index()
    after = {p.name: p.stat().st_mtime_ns for p in KNOWLEDGE_DIR.iterdir()}
    assert before == after


def test_a_damaged_index_is_rebuilt_from_the_files(kb: KnowledgeBase, tiny_guidance: Path):
    # In a fresh process, as a user would meet it: this process keeps the old file open.
    import subprocess
    import sys

    kb.index()
    db = kb.settings.index_dir / "chroma.sqlite3"
    db.write_bytes(b"this is not a database" * 64)
    code = (
        "import pathlib, sys\n"
        "from coach.config import Settings\n"
        "from coach.knowledge.kb import KnowledgeBase\n"
        "kb = KnowledgeBase(Settings.load(pathlib.Path(sys.argv[1])),"
        " guidance_dir=pathlib.Path(sys.argv[2]))\n"
        "print(kb.search('when do I pick apples', k=1)[0].doc_id)\n"
        "print(kb.consistency().ok)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(kb.settings.home),
                           str(tiny_guidance)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["alpha", "True"]
    assert "damaged" in done.stderr
    assert list(kb.settings.home.glob("index.damaged-*"))


def test_unreadable_files_dropped_into_the_folder_are_skipped(kb: KnowledgeBase):
    docs = kb.settings.documents_dir
    docs.mkdir(parents=True)
    (docs / "latin.txt").write_bytes("Caf\u00e9".encode("latin-1"))
    (docs / "huge.txt").write_bytes(b"a " * (MAX_BYTES // 2 + 1))
    (docs / "fine.txt").write_text("A readable note about the orchard.\n", "utf-8")
    report = kb.index()
    assert sorted(s.source for s in report.skipped) == ["huge.txt", "latin.txt"]
    assert all(s.reason for s in report.skipped)
    assert [d.source for d in kb.list_documents() if d.kind == "user"] == ["fine.txt"]
    check = kb.consistency()
    assert check.ok and sorted(check.unreadable) == ["huge.txt", "latin.txt"]


def test_exact_vector_ranking_matches_chromas_query(shipped_kb: KnowledgeBase):
    """Up to EXACT_MAX chunks the vector ranking is computed over the in-memory copy; it must
    name the same chunks as Chroma's own query, at the same distances."""
    from coach.knowledge.embedder import embed

    corpus = shipped_kb.searcher.corpus()
    for query in ("my company just announced layoffs, should I still ask?",
                  "how do I write the first 90 days of my proposal", "no budget this year"):
        vector = embed([query])
        ids, distances = corpus.nearest(vector[0], 40)
        got = shipped_kb.collection.query(query_embeddings=vector, n_results=40,
                                          include=["distances"])
        assert set(ids) == set(got["ids"][0])
        chroma = dict(zip(got["ids"][0], got["distances"][0], strict=True))
        assert all(abs(d - chroma[cid]) < 1e-5 for cid, d in zip(ids, distances, strict=True))
        assert distances == sorted(distances)


def test_a_collection_past_the_exact_limit_is_ranked_by_chroma(shipped_kb: KnowledgeBase,
                                                               monkeypatch):
    from coach.knowledge import search

    asked = []
    real = type(shipped_kb.collection).query

    def query(self, *args, **kwargs):
        asked.append(kwargs.get("n_results"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(shipped_kb.collection), "query", query)
    shipped_kb.search("timing", k=3)
    assert asked == []  # 150 chunks: exact
    monkeypatch.setattr(search, "EXACT_MAX", 10)
    hits = shipped_kb.search("timing", k=3)
    assert asked == [40] and len(hits) == 3
