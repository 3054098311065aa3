"""A retrieved piece of guidance, as cited to the user."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    text: str
    source: str = Field(..., description="File name of the document, e.g. 'timing.md'.")
    title: str = ""
    section: str = ""
    topic: str = ""
    doc_id: str = ""
    score: float = Field(..., description="Similarity in [0, 1]; higher is closer.")
    # Shipped guidance, not a user's document: only it may be quoted as the guides' words.
    # Kept out of dumps: what `coach search` prints is the passage, not how far to trust it.
    trusted: bool = Field(False, exclude=True)

    def citation(self) -> str:
        return f"{self.source} § {self.section}" if self.section else self.source
