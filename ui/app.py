"""Build and serve the web app: one tab per step of the journey, one data home per user."""

from __future__ import annotations

import os
import signal
import sys
import threading
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
    advanced,
    emails,
    framework,
    goal,
    home,
    impact_log,
    offer,
    prepare,
    proposal,
    readiness,
    roleplay,
    settings,
    stakeholders,
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
# The page's own layout rules (the charts' and badges' rules are in ui.charts.CSS).
PAGE_CSS = """
.coach-msg-text{color:#b42318;font-size:14px;line-height:1.4;white-space:pre-line;
  padding:2px 2px 6px}
.coach-note{border-left:4px solid #b7791f;background:#fdf6e7;color:#3d2e0f;padding:8px 12px;
  margin:8px 0;border-radius:4px}
.coach-parts{border-collapse:collapse;width:100%;max-width:560px;margin:4px 0 12px}
.coach-parts th,.coach-parts td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left}
.coach-parts .coach-total td{font-weight:700}
.coach-rule{font-style:italic}
.coach-exp h4{margin:12px 0 2px}
.coach-exp p{margin:2px 0}
.coach-exp ul,.coach-reasons{padding-left:0;list-style:none;margin:4px 0}
.coach-exp li,.coach-reasons li{margin:4px 0}
.coach-icon{display:inline-block!important;vertical-align:-0.125em;margin:0!important}
.coach-fact{margin-right:12px;white-space:nowrap;font-size:13px}
.coach-why,.coach-lacks{color:#6b7280}
/* Table headers break between words, never between letters. */
table th, table th *{word-break:normal!important;overflow-wrap:normal!important;hyphens:none}
.coach-narrow{display:none}
.coach-cards{list-style:none;padding:0;margin:0}
.coach-cards li{padding:8px 0;border-bottom:1px solid #e5e7eb}
.coach-cards span{color:#374151}
@media (max-width:640px){
  /* A table too wide for a phone gives way to a list that wraps. */
  .coach-wide{display:none!important}
  .coach-narrow{display:block}
  #coach-header{flex-direction:column;gap:0}
  /* Side-by-side columns (an editor and its preview) stack on a phone. */
  /* (Gradio puts its container's class in front of every rule here: name no ancestor.) */
  .row,.form{flex-direction:column!important;flex-wrap:nowrap!important}
  .row>*,.form>*{min-width:100%!important;flex:1 1 auto!important}
  /* The scorecard keeps readable columns and scrolls inside its own box (header and body
     are two tables: the same widths for both keep them aligned). */
  #rp-scorecard table{width:620px!important;min-width:620px!important}
  #rp-scorecard th:nth-child(1),#rp-scorecard td:nth-child(1){width:120px!important;
    min-width:120px!important;max-width:120px!important}
  #rp-scorecard th:nth-child(2),#rp-scorecard td:nth-child(2){width:90px!important;
    min-width:90px!important;max-width:90px!important}
  #rp-scorecard th:nth-child(n+3),#rp-scorecard td:nth-child(n+3){width:205px!important;
    min-width:205px!important;max-width:205px!important}
  /* A wide table scrolls inside its own box; the page itself never scrolls sideways. */
  .prose table{display:block;overflow-x:auto;max-width:100%}
}
"""
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
    return _blocks(_app_state(config, llm, users_file, warm_index, today, seed, freeze_gc))


def _app_state(config: Settings, llm: LLM | None, users_file: Path | str | None,
               warm_index: bool, today: dt.date | None, seed: int | None,
               freeze_gc: bool) -> AppState:
    return AppState(settings=config, llm=llm, users_file=Path(users_file) if users_file else None,
                    warm_index=warm_index, today=today, seed=seed, freeze_gc=freeze_gc)


def _blocks(state: AppState) -> gr.Blocks:
    """The Blocks app over `state`."""
    # Downloads and uploads sit in Gradio's cache: clear anything older than six hours.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 6 * 3600)) as demo:
        with gr.Row(elem_id="coach-header"):
            gr.Markdown(f"# {TITLE}\nBuild the case, pick the moment, rehearse the ask.")
            who = gr.Markdown(elem_id="coach-user")
        # Every tab stays reachable on a phone: the bar wraps instead of hiding tabs under "...".
        with gr.Tabs(selected="start", overflow_behavior="wrap", elem_id="coach-tabs") as tabs:
            panels = [
                home.build(state),
                goal.build(state),
                impact_log.build(state),
                readiness.build(state),
                framework.build(state),
                stakeholders.build(state),
                prepare.build(state),
                proposal.build(state),
                roleplay.build(state),
                emails.build(state),
                offer.build(state),
                settings.build(state),
                advanced.build(state),
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
    """A running app: its Blocks, its address and its state."""

    demo: gr.Blocks
    url: str
    state: AppState

    def close(self) -> None:
        self.demo.close()
        self.state.wait_background()
        self.state.stop_local_models()


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
    state = _app_state(config, llm, users_file, warm_index, today, seed, freeze_gc)
    demo = _blocks(state)
    _no_event_analytics()
    # Several people chatting at once: each streaming reply holds a worker for its whole length.
    WakingQueue.adopt(demo.queue(default_concurrency_limit=config.ui_concurrency)._queue)
    hardened = harden(demo, config=config, users_file=Path(users_file) if users_file else None,
                      max_upload=MAX_UPLOAD)  # sessions, ownership, body limits: docs/security.md
    # run_history off: Gradio would keep every call's inputs and outputs (career evidence,
    # drafts) in the browser's storage, and schedules a record task after every event.
    try:
        demo.launch(server_name=host, server_port=port,
                    # Gradio awaits a coroutine `auth` (routes.py), but types only a plain one.
                    auth=hardened.auth,  # type: ignore[arg-type]
                    app_kwargs=hardened.app_kwargs,
                    auth_message="Promotion Coach: log in with the account you were given.",
                    max_threads=config.ui_threads, prevent_thread_lock=True, show_error=False,
                    quiet=True, ssr_mode=False, footer_links=["api"], css=CSS + PAGE_CSS, inbrowser=False,
                    max_file_size=MAX_UPLOAD, enable_monitoring=False, run_history=False)
    except OSError as exc:
        demo.close()
        raise CoachError(f"cannot serve on {host}:{port} ({exc.strerror or exc})",
                         hint="The port is probably taken: pass --port with another number, "
                              "or stop the other server.") from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return Server(demo=demo, url=f"http://{shown}:{demo.server_port}/", state=state)


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
    stop_on_signals()
    try:
        server.demo.block_thread()
    finally:
        server.close()  # also stops the embedded model's server if this app started it
    return server.url


def stop_on_signals() -> None:
    """Make SIGTERM and SIGHUP (a service manager stopping the app, `make run` stopped, the
    terminal closed) end the serving loop the way Ctrl+C does, so the clean-up runs; by
    default they end the process on the spot and the model server it started lives on."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers (and only it serves `coach ui`)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
