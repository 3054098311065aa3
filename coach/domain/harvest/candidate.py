"""A candidate entry: drafted from a source, waiting in the inbox for the user to approve.

Candidates never go straight into the log. Each one says where it came from (`source`,
`link`) and the source text its figures were read from (`evidence`), so every number the
user sees can be traced back.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import EntryDraft, Kind

ADD_THE_RESULT = "add the result: what changed, with a number (time saved, users, errors, cost)"


class SourceKind(StrEnum):
    GIT = "git"
    GITHUB = "github"
    JIRA = "jira"
    CALENDAR = "calendar"
    TEXT = "text"


class Candidate(BaseModel):
    """One proposed entry, with its provenance."""

    model_config = ConfigDict(extra="forbid")

    source: SourceKind
    link: str = Field("", max_length=500, description="URL, ticket key, repo@sha range or file:line.")
    key: str = Field(..., description="Identifies the piece of work across harvests (dedupe).")
    date: dt.date
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    metric: str = Field("", description="Only a figure found in `evidence`; empty otherwise.")
    kind: Kind = Kind.RESULT
    next_level: bool = False
    criterion: str | None = Field(None, description="A framework criterion id, when one fits.")
    evidence: str = Field("", description="The source text the candidate was drafted from.")
    counts: dict[str, int] = Field(default_factory=dict,
                                   description="e.g. commits, additions, deletions, files.")
    nudge: str = Field("", description="ADD_THE_RESULT when no figure was found.")

    def to_entry(self) -> EntryDraft:
        return EntryDraft(date=self.date, title=self.title, description=self.description,
                          metric=self.metric, kind=self.kind, next_level=self.next_level,
                          source=self.link or self.source.value)


class InboxItem(Candidate):
    """A saved candidate."""

    id: int = Field(..., ge=1)
    status: str = Field("pending", description="pending | accepted | rejected")
    entry_id: int | None = None
