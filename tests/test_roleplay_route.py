"""The route of one role-play turn, from the page's Say handler to the model and back.

The turn is replayed from a recorded meeting (the embedded model's answers to the
`not-yet` strong script). Two measures:

- the way in: the files on the call stack when the model is called, followed back across
  the two thread hand-offs (the page's worker, the manager's voice) to the page handler. A
  reader following the turn from the page to the model opens these, and they stay at most
  ten (docs/architecture.md lists them);
- every function call, profiled: role-play's own share of all it runs stays nine files,
  each one idea: the tab, the live session, what a reply hands back, the manager's voice
  (stream, stall watch, regenerate), the meeting plan, the facts it may cite from the log,
  its prepared lines (never one twice), the off-script check and the role guard.
"""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

import gradio as gr
import pytest

from coach.config import Settings
from coach.ui import streaming
from coach.ui.state import AppState
from tests.test_roleplay_sessions import TODAY, script_lines, seed_user

ROOT = Path(__file__).resolve().parents[1]
CASSETTES = ROOT / "tests" / "cassettes" / "test_roleplay_recorded"
ROLEPLAY_ROUTE = {"ui/tabs/roleplay.py", "coach/services/roleplay/session.py",
                  "coach/services/roleplay/replies.py", "coach/services/roleplay/voice.py",
                  "coach/domain/roleplay/meeting.py", "coach/domain/roleplay/facts.py",
                  "coach/domain/roleplay/lines.py", "coach/domain/roleplay/off_script.py",
                  "coach/domain/roleplay/role_guard.py"}


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


@pytest.fixture
def default_cassette_name() -> str:
    return "test_recorded_session[not-yet-strong]"


def _project_file(filename: str) -> str | None:
    path = Path(filename)
    if not path.is_absolute() or ".venv" in path.parts or not path.is_file():
        return None
    try:
        relative = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None
    return None if relative.startswith("tests/") else relative


def _page_handlers(state: AppState) -> dict[str, object]:
    from coach.ui.tabs import roleplay as tab

    with gr.Blocks() as blocks:
        tab.build(state)
    return {f.fn.__name__: f.fn for f in blocks.fns.values()
            if f.fn is not None and f.fn.__module__ == tab.__name__}


def _begin(coach_home, recorded, monkeypatch):
    """The page's handlers on a seeded home, and a meeting begun: (handlers, id, chat, request)."""
    llm = recorded.llm(timeout=900.0)
    monkeypatch.setattr(llm, "warm", None, raising=False)  # warming runs beside the turn, not in it
    state = AppState(settings=Settings.load(coach_home), llm=llm, warm_index=False, today=TODAY, seed=7)
    request = gr.Request(username=None)
    seed_user(state.context(request))
    handlers = _page_handlers(state)
    session_id, _, shown, *_ = handlers["begin"]("not-yet", "realistic", "promotion", request)
    # A worker that already exists would not be profiled: each reply gets a new thread here.
    monkeypatch.setattr(streaming, "_submit", lambda job: threading.Thread(target=job, daemon=True).start())
    return handlers, session_id, shown, request


@pytest.mark.vcr
def test_the_way_from_the_page_to_the_model_is_at_most_ten_files(coach_home, recorded,
                                                                  monkeypatch):
    from coach.llm.gateway._litellm import litellm

    handlers, session_id, shown, request = _begin(coach_home, recorded, monkeypatch)
    stacks: list[list[str]] = []
    real_start, real_completion = threading.Thread.start, litellm.completion

    def chain() -> list[str]:
        """This thread's stack, then the stack of whoever started it, and so on back."""
        here = [f.filename for f in traceback.extract_stack()]
        return here + getattr(threading.current_thread(), "started_from", [])

    def start(thread: threading.Thread) -> None:
        thread.started_from = chain()  # type: ignore[attr-defined]
        real_start(thread)

    def completion(**kwargs):
        stacks.append(chain())
        return real_completion(**kwargs)

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(litellm, "completion", completion)
    list(handlers["reply"](script_lines("not-yet", "strong")[0], session_id, shown, request))
    assert stacks, "the turn never called the model"
    way = {name for filename in stacks[0] if (name := _project_file(filename))}
    assert "ui/tabs/roleplay.py" in way
    print(f"\n{len(way)} files from the page to the model:\n  " + "\n  ".join(sorted(way)))
    assert len(way) <= 10, sorted(way)


@pytest.mark.vcr
def test_one_turn_runs_through_nine_role_play_files(coach_home, recorded, monkeypatch):
    handlers, session_id, shown, request = _begin(coach_home, recorded, monkeypatch)

    seen: set[str] = set()

    def profile(frame, event, arg):
        if event == "call":
            seen.add(frame.f_code.co_filename)

    line = script_lines("not-yet", "strong")[0]
    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        outputs = list(handlers["reply"](line, session_id, shown, request))
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    ran = {name for filename in seen if (name := _project_file(filename))}
    chat = outputs[-1][0]
    assert chat[-1]["role"] == "assistant" and chat[-1]["content"].strip()
    print(f"\n{len(ran)} files on the route of one turn:\n  " + "\n  ".join(sorted(ran)))
    assert {f for f in ran if "roleplay" in f} == ROLEPLAY_ROUTE
