"""What the chat retrieves: the rule's guide first (routing), then the search's best, on the
shipped guidance. The paraphrases are held out: worded away from the guides' vocabulary."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from coach.config import Settings
from coach.knowledge.kb import KnowledgeBase
from coach.services.chat import retrieve

HERE = Path(__file__).parent
QUESTIONS = yaml.safe_load((HERE / "retrieval_questions.yaml").read_text("utf-8"))
PARAPHRASES = yaml.safe_load((HERE / "retrieval_paraphrases.yaml").read_text("utf-8"))


@pytest.fixture(scope="module")
def guides(tmp_path_factory):
    kb = KnowledgeBase(Settings.load(tmp_path_factory.mktemp("chat-retrieval-home")))
    kb.index()
    return SimpleNamespace(kb=kb)


def _misses(guides, items) -> list[str]:
    misses = []
    for item in items:
        top = retrieve(guides, item["q"], k=3)[:3]
        if item["topic"] not in {p.topic for p in top}:
            misses.append(f"{item['q']!r}: wanted {item['topic']}, got "
                          + ", ".join(p.citation() for p in top))
    return misses


def test_routing_keeps_hit_at_3_of_the_retrieval_questions(guides, capsys):
    misses = _misses(guides, QUESTIONS)
    hit = 1 - len(misses) / len(QUESTIONS)
    with capsys.disabled():
        print(f"\nchat retrieval hit@3 = {hit:.3f} over {len(QUESTIONS)} questions")
        for line in misses:
            print("  " + line)
    assert hit >= 0.94


def test_every_held_out_paraphrase_reaches_its_guide(guides):
    assert _misses(guides, PARAPHRASES) == []


def test_the_rules_sections_come_first(guides):
    found = retrieve(guides, "My boss says the money is locked until the next fiscal year.", k=3)
    assert [(p.source, p.section) for p in found[:2]] == [
        ("response-no-budget.md", "Take it at face value first"),
        ("response-no-budget.md", "Questions worth asking")]
    assert all(p.trusted for p in found)
