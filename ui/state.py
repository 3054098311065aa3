"""Which data home a request works on: one local user, or one home per logged-in user.

Every handler resolves its `Context` from the request, never from a module global, so in
service mode one user's request can never reach another user's data.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach.config import Settings
from coach.domain.errors import CoachError
from coach.services import users
from coach.services.context import Context
from coach.services.models import stop_started_model
from coach.services.roleplay import RolePlaySession
from coach.services.scenario import ScenarioSession

log = logging.getLogger("coach.ui")
LiveSession = RolePlaySession | ScenarioSession  # the promotion meeting, or the offer or interview

if TYPE_CHECKING:
    import gradio as gr

    from coach.llm.base import LLM


@dataclass
class AppState:
    """What the app was started with, plus a per-user cache of contexts.

    Attributes:
        settings: what the app was started with; each user's context gets a copy with their
            own data home (`settings.home` is the single user's home, or the parent of
            `users/<name>` homes).
        llm: an injected model (tests, demos); every context uses it when set.
        users_file: the accounts file; None means one local user and no login.
        warm_index: build the user's guidance index in the background when their context
            is first opened, so the first chat answer does not wait for it.
        today: the date readiness, timing, drafts and role-plays count from (None: the real
            date). Pinned, with `seed`, wherever the model must see the same prompts on every
            run: recorded replays match on them.
        seed: every role-play's seed (None: a new random one per meeting).
        freeze_gc: after the first index warm-up, keep the garbage collector's full passes
            off everything alive then (`ui.gcfreeze`): for a long-running server.
    """

    settings: Settings
    llm: LLM | None = None
    users_file: Path | None = None
    warm_index: bool = True
    today: dt.date | None = None
    seed: int | None = None
    freeze_gc: bool = False
    _contexts: dict[str, Context] = field(default_factory=dict, repr=False)
    # Live role-play sessions, keyed by (username, session id): a session id from one user's
    # page can never open another user's meeting.
    _live: OrderedDict[tuple[str, int], LiveSession] = field(default_factory=OrderedDict, repr=False)
    _background: list[threading.Thread] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def multi_user(self) -> bool:
        return self.users_file is not None

    def username(self, request: gr.Request | None) -> str:
        """The logged-in user's name ('' in single-user mode)."""
        if not self.multi_user:
            return ""
        name = getattr(request, "username", None) if request is not None else None
        if not name:
            raise CoachError("you are not logged in", hint="Reload the page and log in again.")
        return users.normalise_username(name)

    def home_for(self, username: str) -> Path:
        base = self.settings.home
        return users.user_home(base, username) if username else base

    def context(self, request: gr.Request | None) -> Context:
        """The context of the user behind this request (cached per username)."""
        name = self.username(request)
        with self._lock:
            ctx = self._contexts.get(name)
            if ctx is None:
                ctx = Context.from_settings(replace(self.settings, home=self.home_for(name)),
                                            llm=self.llm)
                self._contexts[name] = ctx
                if self.warm_index:
                    worker = threading.Thread(target=_warm_index, args=(ctx, self.freeze_gc),
                                              name="coach-index", daemon=True)
                    worker.start()
                    self._background.append(worker)
            return ctx

    def wait_background(self, timeout: float = 120.0) -> None:
        """Let background indexing finish (an index half-written at exit must be rebuilt)."""
        for worker in list(self._background):
            worker.join(timeout)

    def stop_local_models(self) -> None:
        """Shut down an embedded model server this app started (others' servers stay up)."""
        with self._lock:
            contexts = list(self._contexts.values())
        for ctx in contexts:
            stop_started_model(ctx)

    def keep_live(self, request: gr.Request | None, session_id: int,
                  session: LiveSession) -> None:
        """Remember a live role-play for this user (the oldest are dropped past a limit)."""
        with self._lock:
            self._live[(self.username(request), session_id)] = session
            while len(self._live) > MAX_LIVE_SESSIONS:
                self._live.popitem(last=False)

    def live(self, request: gr.Request | None, session_id: int | None) -> LiveSession:
        """This user's live role-play, or a clear error when there is none."""
        key = (self.username(request), int(session_id or 0))
        with self._lock:
            session = self._live.get(key)
        if session is None:
            raise CoachError("there is no role-play in progress",
                             hint="Press Start to begin a new meeting.")
        return session

    def drop_live(self, request: gr.Request | None, session_id: int | None) -> None:
        with self._lock:
            self._live.pop((self.username(request), int(session_id or 0)), None)


MAX_LIVE_SESSIONS = 200


def _warm_index(ctx: Context, freeze_gc: bool) -> None:
    try:
        ctx.kb.index()
    except Exception:  # an optimisation only: the first search indexes (and reports) anyway
        log.debug("background indexing failed", exc_info=True)
    if freeze_gc:
        from coach.ui.gcfreeze import freeze_once

        freeze_once()
