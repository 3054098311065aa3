"""The preparation chat on the embedded model: bench/chat_questions.yaml, answered and checked.

    .venv/bin/python -m bench.bench_chat                      # all 60 questions, live
    .venv/bin/python -m bench.bench_chat --limit 12           # a short live run
    .venv/bin/python -m bench.bench_chat --record FILE.jsonl  # live, and keep the model's text
    .venv/bin/python -m bench.bench_chat --replay FILE.jsonl  # offline: the recorded text again

Each question is asked in a fresh chat of one scratch home (a sample profile and log, the
shipped guidance), after the chat was warmed as the faces do when it opens. Per answer, as
the user sees it:

- contradicts: a sentence takes the other side of the question's expected stance (`ask` in
  the question file): a yes where the guidance says no or not now, a no where it says yes,
  or advice that restates what the question proposes when the guidance advises against it;
- right guide: the expected guide (or an `also`) is among the cited passages;
- complete: every sentence ends like a sentence, and <= 150 words (markers not counted);
- voice: no "the passage", "the employee" or "based on the information provided";
- times: the first visible words (the rule's answer or the first cited sentence), the
  model's first token, the whole answer.

`--replay` runs each recorded model text through the same chat turn (a scripted model that
says it again) and prints the same table without the times: tests/test_chat_recorded.py
asserts the same figures offline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench.tables import percentile, text_table
from coach.config import set_offline_env
from coach.domain.evidence import EntryDraft, Kind
from coach.domain.grounding import ECHO, negated, overlap, polarity, without_markers
from coach.domain.profile import Profile, Transition

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = REPO_ROOT / "bench" / "chat_questions.yaml"
RECORDED = REPO_ROOT / "tests" / "recorded" / "chat_answers.jsonl"
TODAY = dt.date(2025, 4, 14)
MAX_WORDS = 150
_VOICE = re.compile(r"\bpassages?\b|\bthe employee\b|\binformation provided\b", re.IGNORECASE)
_ENDED = re.compile(r"[.!?][\"')\]\u201d\u2019]*$")

PROFILE = Profile(name="Priya Shah", manager_name="Dana Reyes",
                  current_title="Senior Software Engineer", target_title="Tech Lead",
                  transition=Transition.IC_TO_LEAD, months_in_role=14, review_month=9)
ENTRIES = [
    EntryDraft(date=dt.date(2025, 3, 3), title="Led the payments migration",
               metric="cut p95 latency 40%", kind=Kind.LEADERSHIP, next_level=True),
    EntryDraft(date=dt.date(2025, 2, 10), title="Mentored two new hires",
               metric="both shipped within 3 weeks", kind=Kind.MENTORING, next_level=True),
    EntryDraft(date=dt.date(2025, 1, 20), title="Launched one-click reorder",
               metric="12% of returning customers used it", kind=Kind.RESULT),
    EntryDraft(date=dt.date(2024, 11, 5), title="Wrote the on-call runbook", kind=Kind.RESULT),
]


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text("utf-8"))


def contradiction(item: dict[str, Any], sentences: list[str]) -> str | None:
    """The first shown sentence that takes the other side of the expected stance, or None."""
    ask = (item.get("stance") or {}).get("ask")
    question = item["question"]
    for sentence in sentences:
        said = polarity(sentence, question)
        if ask in ("no", "wait") and (said == "yes" or (
                said is None and not negated(sentence) and overlap(question, sentence) >= ECHO)):
            return sentence
        if ask == "yes" and said == "no":
            return sentence
    return None


def score(item: dict[str, Any], turn: dict[str, Any]) -> dict[str, Any]:
    """How one answer (a ChatTurn as --json prints it) measures against its question."""
    texts = [s["text"] for s in turn["sentences"]]
    wanted = {item["guide"], *item.get("also", [])}
    words = sum(len(without_markers(t).split()) for t in texts)
    return {
        "contradicts": contradiction(item, texts),
        "right_guide": any(c["source"] in wanted for c in turn["citations"]),
        "complete": bool(texts) and all(_ENDED.search(without_markers(t)) for t in texts),
        "short": words <= MAX_WORDS,
        "words": words,
        "voice": not any(_VOICE.search(t) for t in texts),
        "rule": turn.get("rule"),
        "model_kept": sum(1 for s in turn["sentences"] if s["origin"] == "model"),
        "model_removed": len(turn.get("removed", [])),
    }


def seed_home(home: Path):
    """A scratch home with the bench profile and log; returns its context (real model)."""
    from coach.services.context import Context

    ctx = Context.open(home)
    ctx.store.save_profile(PROFILE)
    for draft in ENTRIES:
        ctx.store.add_entry(draft)
    ctx.kb.index()
    return ctx


class _Timed:
    """The app's model, noting when each streamed answer's first piece came and its text."""

    def __init__(self, llm):
        self._llm = llm
        self.first: float | None = None
        self.raw = ""

    def stream(self, *args, **kwargs):
        return self._watch(self._llm.stream(*args, **kwargs))

    def _watch(self, inner):
        self.first, self.raw = None, ""
        try:
            while True:
                try:
                    piece = next(inner)
                except StopIteration as stop:
                    return stop.value
                if self.first is None:
                    self.first = time.perf_counter()
                self.raw += piece
                yield piece
        finally:
            inner.close()

    def __getattr__(self, name):
        return getattr(self._llm, name)


def run_live(items: list[dict[str, Any]], home: Path,
             record: Path | None = None) -> list[dict[str, Any]]:
    """Ask each question live; with `record`, each answer is appended to it as it comes (a
    stopped run keeps what it did)."""
    from coach.services.chat import chat_turn, warm_chat

    ctx = seed_home(home)
    timed = _Timed(ctx.llm)
    ctx.llm_override = timed
    warm_chat(ctx)
    out = []
    for item in items:
        shown: list[float] = []
        started = time.perf_counter()
        turn = chat_turn(ctx, item["question"], today=TODAY,
                         on_token=lambda _t, s=shown: s or s.append(time.perf_counter()))
        done = time.perf_counter()
        warm_chat(ctx)  # as the faces do while the user reads: the next question starts warm
        data = turn.model_dump(mode="json")
        out.append({"id": item["id"], "question": item["question"], "raw": timed.raw,
                    "turn": data, "first_shown_s": round(shown[0] - started, 2) if shown else None,
                    "first_token_s": round(timed.first - started, 2) if timed.first else None,
                    "total_s": round(done - started, 2)})
        if record is not None:
            with record.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(out[-1]) + "\n")
        print(f"{item['id']}: {done - started:.1f}s  {data['answer'][:100]}", file=sys.stderr)
    return out


def replay(records: list[dict[str, Any]], home: Path) -> list[dict[str, Any]]:
    """Each recorded model text through today's chat turn, offline."""
    from coach.services.chat import chat_turn
    from coach.testing import ScriptedLLM

    ctx = seed_home(home)
    ctx.llm_override = ScriptedLLM()
    out = []
    for record in records:
        ctx.llm_override.enqueue(record["raw"])
        turn = chat_turn(ctx, record["question"], today=TODAY)
        out.append({**record, "turn": turn.model_dump(mode="json")})
    return out


def summary(items: list[dict[str, Any]], runs: list[dict[str, Any]]) -> list[list[str]]:
    by_id = {i["id"]: i for i in items}
    scores = [score(by_id[r["id"]], r["turn"]) for r in runs]
    n = len(scores)

    def share(key: str) -> str:
        return f"{sum(bool(s[key]) for s in scores) / n:.0%}"

    def times(key: str) -> str:
        values = [r[key] for r in runs if r.get(key) is not None]
        return f"{percentile(values, 50):.1f} / {percentile(values, 90):.1f}" if values else "-"

    return [["answers", "by a rule", "contradicting", "right guide cited", "complete sentences",
             "<= 150 words", "voice ok", "model sentences kept / withheld",
             "first visible s p50/p90", "first model token s p50/p90", "whole answer s p50/p90"],
            [str(n), str(sum(bool(s["rule"]) for s in scores)),
             str(sum(bool(s["contradicts"]) for s in scores)), share("right_guide"),
             share("complete"), share("short"), share("voice"),
             f"{sum(s['model_kept'] for s in scores)} / {sum(s['model_removed'] for s in scores)}",
             times("first_shown_s"), times("first_token_s"), times("total_s")]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_chat")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--ids", help="comma-separated question ids")
    parser.add_argument("--record", type=Path, help="write each answer and the model's text here")
    parser.add_argument("--replay", type=Path, help="score recorded answers offline")
    args = parser.parse_args(argv)
    set_offline_env()
    items = load_questions()
    if args.ids:
        wanted = set(args.ids.split(","))
        items = [i for i in items if i["id"] in wanted]
    items = items[:args.limit] if args.limit else items
    with tempfile.TemporaryDirectory(prefix="coach-bench-chat-") as tmp:
        if args.replay:
            records = [json.loads(line) for line in args.replay.read_text("utf-8").splitlines()]
            keep = {i["id"] for i in items}
            runs = replay([r for r in records if r["id"] in keep], Path(tmp) / "home")
            for r in runs:
                r.update(first_shown_s=None, first_token_s=None, total_s=None)
        else:
            if args.record:
                args.record.parent.mkdir(parents=True, exist_ok=True)
                args.record.write_text("", "utf-8")
            runs = run_live(items, Path(tmp) / "home", args.record)
    print(text_table(summary(items, runs)))
    bad = [(r["id"], c) for r in runs
           if (c := score(next(i for i in items if i["id"] == r["id"]), r["turn"])["contradicts"])]
    for rid, sentence in bad:
        print(f"contradicts: {rid}: {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
