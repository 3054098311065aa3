"""Retrieval on paraphrased questions, with and without query expansion.

    .venv/bin/python -m bench.bench_expansion

Searches the shipped guidance in-process (a scratch home, as bench_retrieval does) and
prints hit@1, hit@3 and hit@4 (the chat's TOP_K) of the expected topic for
tests/retrieval_questions.yaml and for the three parts of tests/retrieval_paraphrases.yaml
(the tuning half, the held-out half and the second batch written after the expansion was
frozen), and of the expected guide file for bench/chat_questions.yaml. Three ways to search:

- none: the query as typed;
- append: the words of every matching bench/query_expansion.yaml rule appended to it;
- fuse: a second search for the appended words alone, fused with the first by reciprocal rank;
- route: as append, then the best passage of the first matching rule's `guide` (among the top
  20) moved to the front: what a deterministic rule that knows its guide would cite;
- rules: what the chat does (coach.services.chat.retrieve): the sections of the domain rule
  that answers the question (coach.domain.advice) first, then the query as typed.

Then the time each way adds per query.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.tables import text_table
from coach.config import Settings, set_offline_env

REPO_ROOT = Path(__file__).resolve().parent.parent
RULES = REPO_ROOT / "bench" / "query_expansion.yaml"
CHAT = REPO_ROOT / "bench" / "chat_questions.yaml"
QUESTIONS = REPO_ROOT / "tests" / "retrieval_questions.yaml"
PARAPHRASES = REPO_ROOT / "tests" / "retrieval_paraphrases.yaml"
FIRST_BATCH = 25  # paraphrases before this index alternate tune / held out; the rest are held out
RRF_K = 60
POOL = 10  # passages each search contributes to the fusion
ROUTE_POOL = 20  # how deep "route" looks for a passage of the rule's guide
TIMING_RUNS = 3


@dataclass(frozen=True)
class Rule:
    id: str
    says: tuple[re.Pattern[str], ...]
    adds: str
    guide: str = ""


def load_rules(path: Path = RULES) -> list[Rule]:
    return [Rule(r["id"], tuple(re.compile(p, re.IGNORECASE) for p in r["says"]), r["adds"],
                 r.get("guide", "")) for r in yaml.safe_load(path.read_text("utf-8"))]


def added_words(query: str, rules: list[Rule]) -> str:
    """The words of every rule the query matches, in rule order; '' when none does."""
    return " ".join(r.adds for r in rules if any(p.search(query) for p in r.says))


def _sets() -> dict[str, list[tuple[str, str]]]:
    existing = [(i["q"], i["topic"]) for i in yaml.safe_load(QUESTIONS.read_text("utf-8"))]
    para = [(i["q"], i["topic"]) for i in yaml.safe_load(PARAPHRASES.read_text("utf-8"))]
    return {"retrieval_questions": existing, "paraphrases tune": para[:FIRST_BATCH:2],
            "paraphrases held out": para[1:FIRST_BATCH:2], "paraphrases batch 2": para[FIRST_BATCH:]}


def main(argv: list[str] | None = None) -> int:
    set_offline_env()
    from coach.knowledge.kb import KnowledgeBase

    rules = load_rules()
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        kb = KnowledgeBase(Settings(home=Path(tmp) / "home"))
        kb.index()

        def append(query: str, k: int) -> list:
            extra = added_words(query, rules)
            return kb.search(f"{query} {extra}" if extra else query, k=k)

        def fuse(query: str, k: int) -> list:
            extra = added_words(query, rules)
            first = kb.search(query, k=max(k, POOL))
            if not extra:
                return first[:k]
            scores: dict[tuple, float] = {}
            passages = {}
            for ranking in (first, kb.search(extra, k=POOL)):
                for rank, p in enumerate(ranking):
                    key = (p.source, p.section, p.text)
                    scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
                    passages.setdefault(key, p)
            return [passages[key] for key in sorted(scores, key=lambda key: -scores[key])][:k]

        def route(query: str, k: int) -> list:
            guide = next((r.guide for r in rules if r.guide and any(p.search(query) for p in r.says)), "")
            ranked = append(query, ROUTE_POOL)
            first = next((p for p in ranked if p.source == guide), None)
            return ([first] + [p for p in ranked if p is not first] if first else ranked)[:k]

        from types import SimpleNamespace

        from coach.services.chat import retrieve

        guides = SimpleNamespace(kb=kb)
        ways: dict[str, Callable[[str, int], list]] = {
            "none": lambda query, k: kb.search(query, k=k), "append": append, "fuse": fuse,
            "route": route, "rules": lambda query, k: retrieve(guides, query, k=k)[:k]}
        sets = _sets()
        chat = yaml.safe_load(CHAT.read_text("utf-8"))
        rows = [["set", "n", *(f"{w} @1/@3/@4" for w in ways)]]
        for name, items in sets.items():
            cells = []
            for way in ways.values():
                ranks = [[p.topic for p in way(q, 4)] for q, _ in items]
                cells.append(_hits([t for _, t in items], ranks, len(items)))
            rows.append([name, str(len(items)), *cells])
        cells = []
        for way in ways.values():
            ranks = [[p.source for p in way(c["question"], 4)] for c in chat]
            cells.append(_hits([c["guide"] for c in chat], ranks, len(chat)))
        rows.append(["chat_questions (guide file)", str(len(chat)), *cells])
        print(text_table(rows))

        queries = [q for items in sets.values() for q, _ in items] + [c["question"] for c in chat]
        fired = sum(bool(added_words(q, rules)) for q in queries)
        print(f"\nrules fired on {fired} of {len(queries)} queries")
        timing = [["way", "wall ms/query (median of runs)", "CPU ms/query"]]
        for name, way in ways.items():
            wall, cpu = [], []
            for _ in range(TIMING_RUNS):
                started, cpu_start = time.perf_counter(), time.process_time()
                for q in queries:
                    way(q, 4)
                wall.append((time.perf_counter() - started) * 1000 / len(queries))
                cpu.append((time.process_time() - cpu_start) * 1000 / len(queries))
            timing.append([name, f"{statistics.median(wall):.1f}", f"{statistics.median(cpu):.1f}"])
        print()
        print(text_table(timing))
    return 0


def _hits(wanted: list[str], ranks: list[list[str]], n: int) -> str:
    return "/".join(f"{sum(w in r[:k] for w, r in zip(wanted, ranks, strict=True)) / n:.3f}"
                    for k in (1, 3, 4))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
