"""The eval vocabulary: a Sample goes in, an Output comes back, Scores judge it.

Borrowed from inspect_ai: a Sample has an id, an input, a target and metadata; a Score
has a value, the answer it looked at, an explanation and metadata. Our values are the
four a yes/no rubric check can end in: yes, no, not applicable, or unscored (a judge
reply that could not be read, or an output that was never recorded).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.evidence import Entry, EntryDraft
from coach.domain.offer import OfferChanges
from coach.domain.profile import Profile
from coach.domain.roleplay import ResponseType
from coach.domain.stakeholders import Interaction, PersonDraft
from coach.evals.kinds import EMAIL_KINDS as EMAIL_KINDS
from coach.evals.kinds import OutputKind as OutputKind


class Value(StrEnum):
    YES = "yes"
    NO = "no"
    NA = "n/a"
    UNSCORED = "unscored"


class Score(BaseModel):
    """One check's verdict on one output."""

    value: Value
    answer: str = Field("", description="The text the verdict is about (the offending part on a no).")
    explanation: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def yes(cls, explanation: str = "", answer: str = "", **meta: Any) -> Score:
        return cls(value=Value.YES, answer=answer, explanation=explanation, metadata=meta)

    @classmethod
    def no(cls, explanation: str, answer: str = "", **meta: Any) -> Score:
        return cls(value=Value.NO, answer=answer, explanation=explanation, metadata=meta)

    @classmethod
    def na(cls, explanation: str) -> Score:
        return cls(value=Value.NA, explanation=explanation)

    @classmethod
    def unscored(cls, explanation: str, answer: str = "") -> Score:
        return cls(value=Value.UNSCORED, explanation=explanation, answer=answer)

    @classmethod
    def verdict(cls, ok: bool, yes_why: str, no_why: str, answer: str = "") -> Score:
        return cls.yes(yes_why) if ok else cls.no(no_why, answer)


class Stakeholder(PersonDraft):
    """Someone on the user's list of people who decide, with what was logged with them."""

    interactions: list[Interaction] = Field(default_factory=list)


class Task(BaseModel):
    """What the case asks the app to produce; only the fields its kind uses are set."""

    model_config = ConfigDict(extra="forbid")

    kind: OutputKind
    # emails
    recipient: str = Field("", description="Who the email goes to, if not the manager.")
    offer: str = Field("", description="decline: the role that was offered.")
    reason: str = Field("", description="decline: the user's reason, if they gave one.")
    notes: str = Field("", description="follow-up / thank-you: what happened in the meeting.")
    # chat
    question: str = ""
    # role-play
    response_type: ResponseType | None = None
    difficulty: str = "realistic"
    user_turns: list[str] = Field(default_factory=list)
    # issue 21: the list of people who decide, the offer on the table
    stakeholders: list[Stakeholder] = Field(
        default_factory=list, description="stakeholders / helper-thanks: saved in list order, ids 1..n.")
    offer_terms: OfferChanges | None = Field(
        None, description="offer-check / offer emails and role-play: the offer as the user typed it.")
    read_on: dt.date | None = Field(
        None, description="offer-check: the day the checklist is read (default: the case's today).")
    thank: list[int] = Field(default_factory=list, description="helper-thanks: the stakeholder ids "
                             "to thank (none: the service's default).")
    # issue 21: the plan agreed after a no
    meeting: str = Field("", description="agreed-plan: the real meeting as pasted ('you:' / "
                         "'manager:' lines), scored before the plan is agreed from it.")
    gaps: list[str] = Field(default_factory=list, description="agreed-plan: gaps the user typed.")
    revisit: dt.date | None = Field(None, description="agreed-plan: the date agreed to revisit.")


class Target(BaseModel):
    """What a good output must contain for this case, beyond the rubric's general checks."""

    model_config = ConfigDict(extra="forbid")

    must_mention: list[str] = Field(default_factory=list, description="Phrases a good output names.")
    sources: list[str] = Field(default_factory=list, description="chat: documents a good answer cites.")
    specifics_expected: bool | None = Field(
        None, description="roleplay: whether the manager should give concrete specifics.")
    verdict: str | None = Field(None, description="options: the verdict the guidance gives here.")
    gaps: dict[str, str] | None = Field(
        None, description="agreed-plan: how each gap a careful reader finds begins -> the "
                          "criterion id it clearly names ('' for none), worked out by hand.")


class CaseInput(BaseModel):
    """The user's world for one case: profile, impact log and the task."""

    model_config = ConfigDict(extra="forbid")

    profile: Profile
    entries: list[EntryDraft] = Field(default_factory=list)
    task: Task
    today: dt.date = Field(..., description="The date the output is written on.")

    def saved_entries(self) -> list[Entry]:
        """The entries as a fresh store numbers them: ids 1..n in log order."""
        return [Entry(id=i, **e.model_dump()) for i, e in enumerate(self.entries, start=1)]


class Sample(BaseModel):
    """One eval case."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")
    input: CaseInput
    target: Target = Field(default_factory=Target)
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def kind(self) -> OutputKind:
        return self.input.task.kind


class Cited(BaseModel):
    """A passage a chat answer cites."""

    source: str
    section: str = ""
    text: str
    label: str = Field("", description="How the answer refers to it, e.g. '[1]' or 'timing.md'.")


class TranscriptLine(BaseModel):
    """One line of a recorded role-play transcript, as the judge reads it."""

    role: Literal["user", "manager"]
    content: str


class Output(BaseModel):
    """What the app produced for a case, as the user would see it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field("", description="The output as shown: markdown, email, answer or transcript.")
    data: dict[str, Any] = Field(default_factory=dict, description="The service's structured result.")
    citations: list[Cited] = Field(default_factory=list)
    transcript: list[TranscriptLine] = Field(default_factory=list)
    notice: str = Field("", description="Set when the service fell back to its deterministic draft.")

    def manager_text(self) -> str:
        return "\n".join(t.content for t in self.transcript if t.role == "manager")


class PromptInfo(BaseModel):
    name: str
    version: str


class JudgeRaw(BaseModel):
    """The judge's reply for one check of one case, kept whole so replay can re-parse it."""

    raw: str
    model: str
    prompt: PromptInfo
    recorded_at: dt.datetime
    error: str = Field("", description="Why the gateway could not parse it, if it could not.")


class Recording(BaseModel):
    """One recorded response: a line of `evals/recorded/<kind>.jsonl`."""

    model_config = ConfigDict(extra="forbid")

    case_id: str
    kind: OutputKind
    output: Output
    model: str
    prompts: list[PromptInfo] = Field(default_factory=list, description="Every prompt the case used.")
    recorded_at: dt.datetime
    latency_s: float = 0.0
    judge: dict[str, JudgeRaw] = Field(default_factory=dict, description="check id -> judge reply.")

    @property
    def prompt(self) -> PromptInfo | None:
        return self.prompts[0] if self.prompts else None
