"""Build and serve the web app: one tab per step of the journey, one data home per user."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from coach.config import Settings, set_offline_env
from coach.domain.errors import CoachError
from coach.ui import api
from coach.ui.charts import CSS
from coach.ui.queue import WakingQueue
from coach.ui.security import harden
from coach.ui.state import AppState
from coach.ui.tabs import (
    PRIVATE,
    emails,
    evals_tab,
    goal,
    home,
    impact_log,
    prepare,
    proposal,
    readiness,
    roleplay,
    settings,
)

if TYPE_CHECKING:
    import datetime as dt

    from coach.llm.base import LLM


def _no_matplotlib_lookups() -> None:
    """Gradio imports matplotlib around every event to pin its backend. When it is not
    installed (it is not a dependency), each try scans every folder on sys.path: about 1 ms
    per attempt, two per event. A None entry in sys.modules makes the import fail at once."""
    import importlib.util

    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]


_no_matplotlib_lookups()

TITLE = "Promotion Coach"
MAX_UPLOAD = "20mb"  # imports stop at 10 MB and documents at their own limit; this is the door


def build_app(*, base_home: Path | str | None = None, model: str | None = None,
              llm: LLM | None = None, users_file: Path | str | None = None,
              warm_index: bool = True, today: dt.date | None = None,
              seed: int | None = None, freeze_gc: bool = False,
              config: Settings | None = None) -> gr.Blocks:
    """The Blocks app.

    Args:
        base_home: the data home (single user) or the parent of per-user homes.
        model: a model string for every context (default: `$COACH_MODEL` / embedded).
        config: the settings every user's context starts from (default: read from the
            environment with `base_home` and `model`); each user gets their own home.
        llm: a model object to use instead (tests and demos inject a fake here).
        users_file: the accounts file; when set, each logged-in user gets their own home.
        warm_index: build each user's guidance index in the background on their first visit.
        today, seed: pin the app's date and role-play seed (see `AppState`).
        freeze_gc: freeze the objects alive after the first index warm-up (see `AppState`).
    """
    config = config or Settings.load(base_home, model)
    state = AppState(settings=config, llm=llm, users_file=Path(users_file) if users_file else None,
                     warm_index=warm_index, today=today, seed=seed, freeze_gc=freeze_gc)
    # Downloads and uploads sit in Gradio's cache: clear anything older than six hours.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 6 * 3600)) as demo:
        with gr.Row(elem_id="coach-header"):
            gr.Markdown(f"# {TITLE}\nBuild the case, pick the moment, rehearse the ask.")
            who = gr.Markdown(elem_id="coach-user")
        with gr.Tabs(selected="start") as tabs:
            panels = [
                home.build(state),
                goal.build(state),
                impact_log.build(state),
                readiness.build(state),
                prepare.build(state),
                proposal.build(state),
                roleplay.build(state),
                emails.build(state),
                evals_tab.build(state),
                settings.build(state),
            ]
        _wire(demo, state, tabs, panels, who)
        api.register(state)
    demo.coach_state = state  # for tests and the bench
    return demo


def _wire(demo: gr.Blocks, state: AppState, tabs: gr.Tabs, panels: list, who: gr.Markdown) -> None:
    """Fresh data on page load and each time a tab opens; the Start buttons switch tabs."""

    def whoami(request: gr.Request):
        name = state.username(request) if state.multi_user else ""
        return f"Signed in as **{name}** &middot; [Log out](/logout)" if name else ""

    demo.load(whoami, None, who, **PRIVATE)
    for panel in panels:
        if panel.refresh is None:
            continue
        if panel.on_load:
            demo.load(panel.refresh, panel.inputs, panel.outputs, **PRIVATE)
        panel.tab.select(panel.refresh, panel.inputs, panel.outputs, **PRIVATE)
    start = panels[0]
    event = start.extra["sample_event"]
    for panel in panels[1:]:
        if panel.refresh is not None and panel.on_load:
            event = event.then(panel.refresh, panel.inputs, panel.outputs, **PRIVATE)
    for key, tab_id in (("go_goal", "goal"), ("go_log", "log"), ("go_readiness", "readiness")):
        start.extra[key].click(lambda t=tab_id: gr.Tabs(selected=t), None, tabs, **PRIVATE)


@dataclass
class Server:
    """A running app: its Blocks and its address."""

    demo: gr.Blocks
    url: str

    def close(self) -> None:
        self.demo.close()
        self.demo.coach_state.wait_background()
        self.demo.coach_state.stop_local_models()


def start(*, base_home: Path | str | None = None, host: str = "127.0.0.1", port: int = 7860,
          model: str | None = None, llm: LLM | None = None,
          users_file: Path | str | None = None, warm_index: bool = True,
          today: dt.date | None = None, seed: int | None = None,
          freeze_gc: bool = False) -> Server:
    """Build the app and start serving it in the background.

    With `users_file`, the app asks for a login and keeps each user's data apart. With
    `freeze_gc` (a server process of its own, as `coach ui` is), the objects alive after
    the first index warm-up are kept out of full garbage collections (`ui.gcfreeze`).
    """
    set_offline_env()  # gradio reads some switches when it serves, not only at import
    config = Settings.load(base_home, model)  # (`settings` is the Settings tab here)
    base = config.home
    if users_file:
        # One shared copy of the embedded model's 1 GB weights, not one per user home; and
        # no spinning embedder threads: with several people at once they would take the cores
        # the other requests need (20 sessions on 2 cores: server CPU per turn 49 -> 30 ms).
        config = replace(config, models_dir=config.models_dir or base / "cache" / "models",
                         embed_spin=False)
        if not Path(users_file).exists():
            raise CoachError(f"the users file {users_file} does not exist",
                             hint="Add a user first: `coach users add NAME`.")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host} without a login: anyone who can reach this address "
              "can read and change your data. Set COACH_USERS_FILE to require a login.",
              file=sys.stderr)
    demo = build_app(llm=llm, users_file=users_file, warm_index=warm_index, today=today,
                     seed=seed, freeze_gc=freeze_gc, config=config)
    _no_event_analytics()
    # Several people chatting at once: each streaming reply holds a worker for its whole length.
    WakingQueue.adopt(demo.queue(default_concurrency_limit=config.ui_concurrency)._queue)
    hardened = harden(demo, config=config, users_file=Path(users_file) if users_file else None,
                      max_upload=MAX_UPLOAD)  # sessions, ownership, body limits: docs/security.md
    # run_history off: Gradio would keep every call's inputs and outputs (career evidence,
    # drafts) in the browser's storage, and schedules a record task after every event.
    try:
        demo.launch(server_name=host, server_port=port,
                    auth=hardened.auth, app_kwargs=hardened.app_kwargs,
                    auth_message="Promotion Coach: log in with the account you were given.",
                    max_threads=config.ui_threads, prevent_thread_lock=True, show_error=False,
                    quiet=True, ssr_mode=False, footer_links=["api"], css=CSS, inbrowser=False,
                    max_file_size=MAX_UPLOAD, enable_monitoring=False, run_history=False)
    except OSError as exc:
        demo.close()
        raise CoachError(f"cannot serve on {host}:{port} ({exc.strerror or exc})",
                         hint="The port is probably taken: pass --port with another number, "
                              "or stop the other server.") from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return Server(demo=demo, url=f"http://{shown}:{demo.server_port}/")


def _no_event_analytics() -> None:
    """Gradio's /monitoring page is off (`enable_monitoring=False`), but its queue would still
    keep the last 10,000 events, copy them into a list after every event and summarise them
    with pandas for that page (12-26 ms after each event by default, 27 ms every 1000 as we
    had it). Keep one record and never summarise it. Read when the queue is made."""
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", str(2**62))


def serve(*, base_home: Path | str | None = None, host: str = "127.0.0.1", port: int = 7860,
          model: str | None = None, users_file: Path | str | None = None) -> str:
    """What `coach ui` runs: start, print the address, serve until Ctrl+C."""
    server = start(base_home=base_home, host=host, port=port, model=model, users_file=users_file,
                   freeze_gc=True)
    mode = "login required" if users_file else "single user, no login"
    print(f"Promotion Coach is running at {server.url}  ({mode}; Ctrl+C to stop)", flush=True)
    try:
        server.demo.block_thread()
    finally:
        server.close()
    return server.url
