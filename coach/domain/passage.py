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
    facets: dict[str, str | int] = Field(
        default_factory=dict, description="What a framework criterion is filed under: framework, "
        "criterion, level, level_name, level_order, area, area_name. Empty for guides and documents.")

    def citation(self) -> str:
        return f"{self.source} § {self.section}" if self.section else self.source
