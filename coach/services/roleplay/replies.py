"""What a live meeting hands back for one user line: the manager's reply and what happened to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

TokenSink = Callable[[str], None]


class ReplyEvent(BaseModel):
    """Something the UI should know about a reply beyond its tokens."""

    kind: Literal["rejected", "regenerated", "fallback", "model-error", "cancelled"]
    reason: str = ""
    text: str = Field("", description="The text the user should now see, if it changed.")


EventSink = Callable[[ReplyEvent], None]


class ManagerReply(BaseModel):
    """The manager's validated reply to one user line."""

    text: str
    move: str
    fallback: bool = False
    streamed: str = Field("", description="What was streamed before validation.")
    replaced: bool = Field(False, description="The streamed text was rejected: show `text` instead.")
    events: list[ReplyEvent] = Field(default_factory=list)
    ended: bool = False
    cancelled: bool = False
    notice: str = ""
