"""The per-user context every service receives: settings, store, and lazily the KB and model."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from coach.config import Settings, set_offline_env
from coach.heap import scrub_freed_memory
from coach.store import Store, open_database
from coach.store.repo import CallRow

if TYPE_CHECKING:
    from coach.knowledge.kb import KnowledgeBase
    from coach.llm.base import LLM, CallRecord


@dataclass
class Context:
    """One user's world. Cheap to build; the knowledge base and model load on first use."""

    settings: Settings
    llm_override: LLM | None = None
    judge_override: LLM | None = None
    _built: LLM | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, home=None, model: str | None = None, llm: LLM | None = None) -> Context:
        """A context on `home` with the settings the environment gives."""
        return cls.from_settings(Settings.load(home, model), llm=llm)

    @classmethod
    def from_settings(cls, settings: Settings, llm: LLM | None = None) -> Context:
        """A context on settings already read (the web app opens one per user from its own)."""
        set_offline_env()
        scrub_freed_memory()  # before any secret is read: no stale copy can reach an index file
        settings.ensure_home()
        return cls(settings=settings, llm_override=llm)

    @cached_property
    def store(self) -> Store:
        return Store(open_database(self.settings.db_path, self.settings.database_url))

    @cached_property
    def kb(self) -> KnowledgeBase:
        from coach.knowledge.kb import KnowledgeBase

        return KnowledgeBase(self.settings)

    @property
    def llm(self) -> LLM:
        if self.llm_override is not None:
            return self.llm_override
        with self._lock:
            if self._built is None:
                from coach.llm.factory import build_llm

                self._built = build_llm(self.settings, call_log=self.log_call)
            return self._built

    @property
    def built_llm(self) -> bool:
        """Whether this context built its own model (which may have started the embedded one)."""
        return self._built is not None

    @property
    def judge(self) -> LLM:
        if self.judge_override is not None:
            return self.judge_override
        if self.llm_override is not None or self.settings.grader == self.settings.model:
            return self.llm
        from coach.llm.factory import build_llm

        return build_llm(self.settings, model=self.settings.grader, call_log=self.log_call)

    def log_call(self, record: CallRecord) -> None:
        """The models' call log (a `CallLog`): each call goes in this user's store."""
        self.store.log_call(CallRow(**asdict(record)))
