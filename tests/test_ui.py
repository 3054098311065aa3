"""The web app without a browser: per-user contexts, error handling, charts, the sample."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import gradio as gr
import pytest

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.readiness import assess_readiness
from coach.domain.timing import assess_timing
from coach.services import sample
from coach.testing import FakeCoachModel
from coach.ui.app import build_app
from coach.ui.charts import Bar, hbar_chart, vbar_chart
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import readiness as readiness_tab


def request(name: str | None) -> gr.Request:
    return gr.Request(username=name)


def test_build_app_has_every_tab_and_named_api(coach_home):
    demo = build_app(base_home=coach_home, llm=FakeCoachModel(), warm_index=False)
    config = demo.get_config_file()
    labels = {c["props"].get("label") for c in config["components"] if c["type"] == "tabitem"}
    assert {"Start", "Goal", "Impact log", "Readiness & timing", "Prepare", "Proposal",
            "Role-play", "Emails", "Settings", "Advanced"} <= labels
    names = {d.get("api_name") for d in config["dependencies"]
             if d.get("api_visibility", "public") == "public"}
    assert {"set_profile", "add_entry", "list_entries", "readiness", "timing", "proposal",
            "email", "chat", "roleplay_start", "roleplay_turn", "roleplay_end"} <= names


def test_single_user_uses_the_base_home(coach_home):
    state = AppState(settings=Settings.load(coach_home), llm=FakeCoachModel(), warm_index=False)
    ctx = state.context(request(None))
    assert ctx.settings.home == coach_home
    assert state.context(request(None)) is ctx  # cached


def test_each_user_gets_their_own_home(coach_home, tmp_path):
    state = AppState(settings=Settings.load(coach_home), llm=FakeCoachModel(), users_file=tmp_path / "u.json",
                     warm_index=False)
    alice, bob = state.context(request("alice")), state.context(request("Bob"))
    assert alice.settings.home == coach_home / "users" / "alice"
    assert bob.settings.home == coach_home / "users" / "bob"
    alice.store.add_entry(sample.sample_entries()[0])
    assert bob.store.list_entries() == []
    with pytest.raises(CoachError, match="not logged in"):
        state.context(request(None))


def test_live_sessions_are_per_user(coach_home, tmp_path):
    state = AppState(settings=Settings.load(coach_home), users_file=tmp_path / "u.json", warm_index=False)
    state.keep_live(request("alice"), 7, "alice's meeting")
    assert state.live(request("alice"), 7) == "alice's meeting"
    with pytest.raises(CoachError, match="no role-play in progress"):
        state.live(request("bob"), 7)


def test_coach_error_becomes_a_readable_gr_error(coach_home):
    state = AppState(settings=Settings.load(coach_home), warm_index=False)

    @guarded("save your goal", state)
    def handler(request: gr.Request):
        raise CoachError("months in role is empty", hint="Enter a whole number.")

    with pytest.raises(gr.Error) as err:
        handler(request(None))
    assert str(err.value.message) == "Months in role is empty. Enter a whole number."
    assert err.value.title == "Could not save your goal"


def test_a_bug_shows_a_short_message_and_logs_the_traceback(coach_home):
    state = AppState(settings=Settings.load(coach_home), warm_index=False)

    @guarded("draft the email", state)
    def handler(request: gr.Request):
        raise KeyError("secret internals")

    with pytest.raises(gr.Error) as err:
        handler(request(None))
    assert "secret internals" not in err.value.message
    assert "Nothing you typed was lost" in err.value.message
    log = (coach_home / "logs" / "ui-errors.log").read_text()
    assert "KeyError" in log and "secret internals" in log and "Traceback" in log


def test_generator_handlers_are_guarded_too(coach_home):
    state = AppState(settings=Settings.load(coach_home), warm_index=False)

    @guarded("answer", state)
    def handler(request: gr.Request):
        yield "partial"
        raise CoachError("the model is not reachable")

    gen = handler(request(None))
    assert next(gen) == "partial"
    with pytest.raises(gr.Error, match="The model is not reachable"):
        next(gen)


def test_stream_call_yields_growing_text_then_the_result():
    def service(*, text, on_token, cancel):
        for word in text.split():
            on_token(word + " ")
        return SimpleNamespace(answer=text)

    parts = list(stream_call(service, text="one two three"))
    assert parts[-1].done and parts[-1].result.answer == "one two three"
    assert parts[-1].text.strip() == "one two three"
    assert parts[0].text.startswith("one") and not parts[0].done
    assert all("one two three ".startswith(p.text) for p in parts)


def test_stream_call_shows_the_first_piece_at_once_then_at_most_twenty_updates_a_second():
    import time

    from coach.ui.streaming import UPDATE_EVERY_S

    def service(*, on_token, cancel):
        for n in range(40):
            on_token(f"w{n} ")
            time.sleep(0.005)

    started = time.monotonic()
    parts = list(stream_call(service))
    elapsed = time.monotonic() - started
    updates = [p for p in parts if not p.done]
    assert updates[0].text == "w0 "
    assert len(updates) <= elapsed / UPDATE_EVERY_S + 2  # one per token would be 40
    assert parts[-1].text.split() == [f"w{n}" for n in range(40)]


def test_stream_call_re_raises_errors():
    def service(*, on_token, cancel):
        on_token("half")
        raise CoachError("gone")

    with pytest.raises(CoachError, match="gone"):
        list(stream_call(service))


def test_charts_are_plain_svg():
    html = hbar_chart([Bar("Mentoring <others>", 2, note="2 entries"), Bar("Gap", 0)])
    assert "<svg" in html and "Mentoring &lt;others&gt;" in html and "<script" not in html
    assert "Finish" in vbar_chart([], empty="Finish a role-play")


def test_readiness_views_from_the_sample():
    today = dt.date(2026, 3, 1)
    profile = sample.sample_profile(today)
    saved = [Entry(id=i, **e.model_dump()) for i, e in enumerate(sample.sample_entries(today), 1)]
    r = assess_readiness(profile, saved, today=today)
    t = assess_timing(profile, saved, today=today)
    assert "Stakeholder management" in readiness_tab.coverage_chart(r)
    assert "gap: no evidence yet" in readiness_tab.coverage_chart(r)
    assert "Good time to ask" in readiness_tab.timing_badge(t)
    assert "Plan" in readiness_tab.readiness_markdown(r)


def test_sample_loads_only_into_an_empty_home(ctx):
    result = sample.load_sample(ctx)
    assert 6 <= len(result.entries) <= 8 and result.profile.target_title
    assert any(not e.quantified for e in result.entries)  # something for readiness to flag
    with pytest.raises(CoachError, match="already has"):
        sample.load_sample(ctx)


def test_each_face_words_the_fix_for_an_error_code():
    from coach.cli.hints import cli_message
    from coach.services.context import Context
    from coach.services.inputs import require_profile
    from coach.ui.errors import page_message

    with pytest.raises(CoachError) as caught:
        require_profile(Context.open())
    error = caught.value
    assert error.code == "no-profile" and "coach" not in error.message.replace("the coach", "")
    assert "Goal tab" in page_message(error) and "coach profile" not in page_message(error)
    assert "coach profile set" in cli_message(error) and "Goal tab" not in cli_message(error)


def test_the_core_names_no_command_line_flag_in_its_errors():
    """Every hint the domain and the services give holds on every face: no `coach ...` command
    and no --flag (the CLI words those from the error code, see coach/cli/hints.py)."""
    import ast
    import re

    from tests.paths import REPO_ROOT

    commands = ("init|profile|log|readiness|timing|proposal|script|chat|roleplay|email|search|"
                "knowledge|models|eval|ui|users|backup|restore|demo|expectations")
    cli_words = re.compile(rf"`coach |--[a-z]|\bcoach (?:{commands})\b")
    found = []
    for folder in ("domain", "services", "knowledge", "store", "export"):
        for path in (REPO_ROOT / "coach" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "CoachError":
                    text = " ".join(c.value for c in ast.walk(node)
                                    if isinstance(c, ast.Constant) and isinstance(c.value, str))
                    if cli_words.search(text):
                        found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}: {text[:80]}")
    assert not found, "\n".join(found)


def test_closing_the_stream_cancels_the_model_call():
    import threading

    stopped = threading.Event()

    def service(*, on_token, cancel):
        while not cancel.wait(0.01):
            on_token("more ")
        stopped.set()

    stream = stream_call(service)
    assert next(stream).text.startswith("more")
    stream.close()  # what Gradio does when the user presses Stop or leaves the page
    assert stopped.wait(2)


def test_stream_calls_reuse_idle_workers_and_run_side_by_side():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    per_thread = threading.local()  # as the database connections are

    def quick(*, on_token, cancel):
        on_token("x")
        per_thread.calls = getattr(per_thread, "calls", 0) + 1
        return per_thread.calls

    calls = [list(stream_call(quick))[-1].result for _ in range(20)]
    assert max(calls) >= 10  # one at a time: a finished worker takes the next reply

    both = threading.Barrier(2, timeout=5)

    def waits_for_the_other(*, on_token, cancel):
        both.wait()  # only returns if the two replies run at once
        on_token("y")
        return "done"

    with ThreadPoolExecutor(2) as pool:  # two handlers, as two sessions' replies
        replies = list(pool.map(lambda _: list(stream_call(waits_for_the_other)), range(2)))
    assert [[p.text for p in parts] for parts in replies] == [["y", "y"], ["y", "y"]]
    assert [parts[-1].result for parts in replies] == ["done", "done"]


def test_gradio_is_spared_a_matplotlib_lookup_per_event():
    import sys

    import coach.ui.app  # noqa: F401  (sets the marker at import)

    if sys.modules.get("matplotlib") is not None:
        pytest.skip("matplotlib is installed here: Gradio may use it")
    assert "matplotlib" in sys.modules  # a None entry: `import matplotlib` fails at once
    with pytest.raises(ImportError, match="halted"):
        import matplotlib  # noqa: F401


def test_every_page_event_goes_through_the_queue(tmp_path):
    """Seen: the email kind switch ran unqueued (`queue=False`); the security gate serves a
    private event only through the queue, so the follow-up box never appeared (404)."""
    from coach.ui.app import build_app

    demo = build_app(base_home=tmp_path, llm=FakeCoachModel(), warm_index=False)
    unqueued = [getattr(d.fn, "__qualname__", "js") for d in demo.fns.values()
                if d.fn is not None and not d.queue]
    assert unqueued == []
