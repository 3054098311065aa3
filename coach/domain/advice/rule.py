"""What a rule of the guidance looks like: when it answers, what it says, what it rests on.

A `Rule` answers one kind of question with a fixed stance, in sentences of our own, each
tied to a guide section (`GuideRef`). Markers in a sentence ("[2]") point into the rule's
own `rests_on` list (1-based); a sentence without one rests on the first. The chat maps
them to the numbers of the passages it shows.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.domain.profile import Signal

Stance = Literal["yes", "no", "wait", "depends", "how"]
Area = Literal["timing", "manager-response", "follow-through", "meeting", "declining",
               "next-level", "foundations"]
Origin = Literal["rule", "profile", "model", "guide"]

_MARK = re.compile(r"\s*\[(\d)\]")
# A trigger right after a negation ("we're not laying anyone off", "no layoffs") says the
# opposite of the rule: the rule stays silent rather than answer it.
_NEGATED = re.compile(r"(?:\b(?:not|no|never|without|nor)|n't)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)


class GuideRef(BaseModel):
    """A guide section a rule rests on: the file and its heading."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(..., description="File under knowledge/, e.g. 'timing.md'.")
    section: str = Field(..., description="The heading, e.g. 'Bad moments to ask'.")

    def label(self) -> str:
        return f"{self.source} § {self.section}"


def ref(source: str, section: str) -> GuideRef:
    return GuideRef(source=source, section=section)


class Rule(BaseModel):
    """One question the guidance answers with a fixed stance.

    Attributes:
        says: patterns (case-insensitive regexes); the rule fires when one matches...
        needs: ...and, when given, one of these matches too (e.g. a question about *when*);
        unless: ...and none of these does (the rule fails open: no answer, not a wrong one).
        stance: its answer to "should I do what I propose, now?" ('how' when it asks how).
        answer: sentences in our own words; "[k]" cites `rests_on[k-1]`, none cites the first.
        signal: the timing signal the question reports, run through the timing check.
        priority: the higher wins when several rules fire.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    area: Area
    says: tuple[str, ...] = Field(..., min_length=1)
    needs: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    stance: Stance
    answer: tuple[str, ...] = Field(..., min_length=1)
    rests_on: tuple[GuideRef, ...] = Field(..., min_length=1)
    signal: Signal | None = None
    priority: int = 0

    @cached_property
    def _patterns(self) -> tuple[tuple[re.Pattern[str], ...], ...]:
        return tuple(tuple(re.compile(p, re.IGNORECASE) for p in group)
                     for group in (self.says, self.needs, self.unless))

    def trigger(self, question: str) -> str | None:
        """The words that fire the rule on `question`, or None when it does not clearly apply."""
        says, needs, unless = self._patterns
        hit = next((m for p in says for m in p.finditer(question)
                    if not _NEGATED.search(question[:m.start()])), None)
        if hit is None or (needs and not any(p.search(question) for p in needs)):
            return None
        if any(p.search(question) for p in unless):
            return None
        return hit.group(0)

    def lines(self) -> list[tuple[str, GuideRef]]:
        """Each answer sentence without its marker, with the section it rests on."""
        out = []
        for sentence in self.answer:
            found = _MARK.search(sentence)
            index = int(found.group(1)) - 1 if found else 0
            out.append((_MARK.sub("", sentence).strip(), self.rests_on[index]))
        return out


class AdviceLine(BaseModel):
    """A sentence the chat shows before the model says anything."""

    text: str
    origin: Origin = "rule"
    rests_on: GuideRef | None = Field(None, description="The section it stands on; None for "
                                      "a sentence from the user's own data.")


class Advice(BaseModel):
    """A rule applied to one question and, where it fits, to the user's own profile."""

    rule: str
    stance: Stance
    trigger: str = Field(..., description="The words of the question that fired the rule.")
    lines: list[AdviceLine]
    rests_on: list[GuideRef]

    def text(self) -> str:
        return " ".join(line.text for line in self.lines)
