"""What a live meeting hands back for one user line: the manager's reply and what happened to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from coach.domain.roleplay import replacement_note

TokenSink = Callable[[str], None]


class ReplyEvent(BaseModel):
    """Something the UI should know about a reply beyond its tokens."""

    kind: Literal["rejected", "regenerated", "fallback", "model-error", "stalled", "cancelled"]
    reason: str = ""
    text: str = Field("", description="The text the user should now see, if it changed.")


EventSink = Callable[[ReplyEvent], None]


class ManagerReply(BaseModel):
    """The manager's validated reply to one user line."""

    text: str
    move: str
    fallback: bool = False
    streamed: str = Field("", description="What was streamed before validation.")
    replaced: bool = Field(False, description="`text` is not what streamed: show `text` instead.")
    replaced_why: str = Field("", description="Why the streamed reply was swapped for another "
                                              "(regenerated or prepared); '' for a tidied one.")
    stalled: bool = Field(False, description="The model stopped sending words part-way.")
    events: list[ReplyEvent] = Field(default_factory=list)
    ended: bool = False
    cancelled: bool = False
    notice: str = ""

    @computed_field  # type: ignore[prop-decorator]  # mypy#1362; in --json output too
    @property
    def note(self) -> str:
        """The short note a face shows under the reply when it replaced the streamed one."""
        return replacement_note(self.replaced_why)
