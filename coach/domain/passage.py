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
    # From the shipped guidance or a document the user marked as trusted: only such text may be
    # quoted as the guides' words. Kept out of dumps: `coach search` prints the passage.
    trusted: bool = Field(False, exclude=True)

    def citation(self) -> str:
        return f"{self.source} § {self.section}" if self.section else self.source
