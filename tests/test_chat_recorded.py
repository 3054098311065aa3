"""The chat bench, offline: the embedded model's recorded text for every question of
bench/chat_questions.yaml, run again through today's chat turn and the same checks as the
live bench (bench/bench_chat.py). Re-record with
`.venv/bin/python -m bench.bench_chat --record tests/recorded/chat_answers.jsonl`."""

from __future__ import annotations

import json

import pytest

from bench.bench_chat import RECORDED, load_questions, replay, score


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    records = [json.loads(line) for line in RECORDED.read_text("utf-8").splitlines()]
    items = {i["id"]: i for i in load_questions()}
    runs = replay(records, tmp_path_factory.mktemp("chat-recorded") / "home")
    return [(items[r["id"]], r, score(items[r["id"]], r["turn"])) for r in runs]


def test_every_question_was_recorded(replayed):
    assert sorted(item["id"] for item, _, _ in replayed) == sorted(
        i["id"] for i in load_questions())


def test_no_answer_contradicts_the_guidance(replayed):
    assert [(item["id"], s["contradicts"]) for item, _, s in replayed if s["contradicts"]] == []


def test_the_right_guide_is_cited(replayed):
    missed = [item["id"] for item, _, s in replayed if not s["right_guide"]]
    assert 1 - len(missed) / len(replayed) >= 0.95, missed


def test_whole_sentences_short_answers_and_the_users_own_voice(replayed):
    assert [item["id"] for item, _, s in replayed if not s["complete"]] == []
    assert [(item["id"], s["words"]) for item, _, s in replayed if not s["short"]] == []
    assert [item["id"] for item, _, s in replayed if not s["voice"]] == []


def test_what_the_model_wrote_still_reaches_the_user_when_it_is_grounded(replayed):
    """The checks are not a blanket filter: some recorded model sentences pass them."""
    assert sum(s["model_kept"] for _, _, s in replayed) > 0
    assert all(r["turn"]["answer"] for _, r, _ in replayed)
