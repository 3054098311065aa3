"""The ten scripted role-plays against the embedded model, replayed from cassettes.

Record (about 10 sessions x 4-6 turns on CPU; minutes, not seconds):
    COACH_RECORD=1 .venv/bin/pytest tests/test_roleplay_recorded.py --record-mode=all

Without a cassette these tests skip instead of passing on prepared lines: a replay miss
would otherwise look like a model failure the fallback quietly papered over.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.domain.roleplay import Verdict, contradiction
from coach.domain.text import words
from coach.prompts import load_persona
from coach.services import roleplay
from coach.services.roleplay import voice
from tests.conftest import is_recording
from tests.test_roleplay_sessions import TODAY, TYPES, script_lines, seed_user

CASSETTES = Path(__file__).parent / "cassettes" / "test_roleplay_recorded"
SCORES: dict[tuple[str, str], float] = {}


def _play(request, ctx, recorded, response_type: str, variant: str):
    cassette = CASSETTES / f"{request.node.name}.yaml"
    if not is_recording(request.config) and not cassette.exists():
        pytest.skip(f"no recording yet: run COACH_RECORD=1 pytest {Path(__file__).name} --record-mode=all")
    if is_recording(request.config):  # a busy machine is slow, not stalled: record the model's words
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setattr(voice, "FIRST_WORD_S", 900.0)
        monkeypatch.setattr(voice, "STALL_S", 900.0)
    seed_user(ctx)
    llm = recorded.llm(ctx.log_call, timeout=900.0)  # CPU generation on a shared machine is slow
    ctx.llm_override = llm
    ctx.judge_override = llm
    return roleplay.run_script(ctx, script_lines(response_type, variant), response_type, "realistic",
                               seed=7, today=TODAY)


@pytest.mark.vcr
@pytest.mark.parametrize("variant", ["strong", "weak"])
@pytest.mark.parametrize("response_type", TYPES)
def test_recorded_session(request, ctx, recorded, response_type, variant):
    result = _play(request, ctx, recorded, response_type, variant)
    persona = load_persona(response_type)
    manager = [t for t in result.transcript if t.speaker == "manager"]
    # The model was reached: a replay miss or a dead server shows up as this notice.
    assert not any("could not be reached" in n for n in result.notices), result.notices
    # In role on every turn: each shown reply passed the guard or is a prepared line.
    for turn in manager:
        assert turn.text.strip()
        assert contradiction(persona.type, turn.text) is None, turn.text
        # A reply that is not what the model first wrote says so, with the reason.
        assert not turn.fallback or turn.note.startswith("the first reply was replaced: "), turn
    # No line twice, and the answer says its type's parts (the hard no, the yes, ...).
    said = [" ".join(words(t.text)) for t in manager]
    assert len(said) == len(set(said)), said
    answer = [t for t in manager if t.move == "answer"]
    assert answer and all(not persona.missing(t.text) for t in answer), [t.text for t in answer]
    assert result.scorecard is not None
    assert all(c.verdict in Verdict for c in result.scorecard.checks)
    SCORES[(response_type, variant)] = result.scorecard.score
    fallbacks = sum(t.fallback for t in manager)
    replaced = sum(bool(t.replaced_why) for t in manager)
    print(f"{response_type}/{variant}: score {result.scorecard.score:.2f}, "
          f"{replaced}/{len(manager)} replaced, {fallbacks} of them by prepared lines")


@pytest.mark.parametrize("response_type", TYPES)
def test_recorded_strong_beats_weak(response_type):
    """Runs after the sessions above (same module, file order)."""
    strong, weak = SCORES.get((response_type, "strong")), SCORES.get((response_type, "weak"))
    if strong is None or weak is None:
        pytest.skip("the recorded sessions for this type did not run")
    assert strong - weak >= 0.3, (strong, weak)
