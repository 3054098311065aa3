"""The written promotion case: four sections built from the profile and the impact log.

The domain writes a complete, honest draft on its own: every accomplishment is an entry
with its metric, weak spots are flagged inline. The document is for the manager, so it
names entries by their titles and never by the log's internal numbers: each bullet keeps
the ids it rests on in `cites`, for a view that links claims to their entries. The ask is
stated once, by the domain. A model may only replace the short introductions of the first
three sections; `validate_proposal` decides whether that prose is safe to show.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.evidence import Entry
from coach.domain.guard import (
    Facts,
    Violation,
    check_prose,
    facts_from,
    future_done_problems,
    internal_ids,
    manager_voice,
    second_person,
    too_long,
)
from coach.domain.markup import defuse_markdown
from coach.domain.profile import Profile
from coach.domain.readiness import Readiness
from coach.domain.timing import Timing, add_months

SECTION_TITLES = (
    "Current role and accomplishments",
    "Evidence of next-level work",
    "What I will do at the next level",
    "The ask",
)
SKELETON_NUMBERS = (1, 2, 3, 4, 30, 60, 90, 12, 18)  # section numbers, day marks, tenure norm
INTRO_MAX_WORDS = 60
MODEL_INTROS = 3  # sections 1-3; the ask (section 4) is the domain's one sentence
FALLBACK_TIMELINE_MONTHS = 3
CRITERION_CHARS = 140  # a framework criterion named in the case: longer ones are cut at a word

FlagKind = Literal["no-metric", "no-evidence", "no-next-level", "no-timeline", "empty-log"]
_HEADING = re.compile(r"^##\s+(\d)\.\s+(.+?)\s*$", re.MULTILINE)
_TIMELINE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|q[1-4]|review cycle|\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


class Flag(BaseModel):
    """A weak spot in the case, shown inline where it applies."""

    kind: FlagKind
    text: str
    section: int = Field(..., ge=1, le=4)
    entry_id: int | None = None

    def markdown(self) -> str:
        return f"> ⚠ {self.text}"


class Bullet(BaseModel):
    text: str
    cites: list[int] = Field(default_factory=list)
    flag: Flag | None = None


class Section(BaseModel):
    number: int
    title: str
    intro: str
    bullets: list[Bullet] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list, description="Flags not tied to a bullet.")

    def body(self) -> str:
        parts = [self.intro] if self.intro else []
        lines = []
        for bullet in self.bullets:
            lines.append(f"- {bullet.text}")
            if bullet.flag:
                lines.append(f"  {bullet.flag.markdown()}")
        if lines:
            parts.append("\n".join(lines))
        parts += [f.markdown() for f in self.flags]
        return "\n\n".join(parts)

    def markdown(self) -> str:
        return f"## {self.number}. {self.title}\n\n{self.body()}"


class Ask(BaseModel):
    target_title: str
    timeline: str
    date: dt.date


class ProposalDraft(BaseModel):
    """The whole case; `markdown()` is what the user reads and exports."""

    heading: str
    sections: list[Section]
    ask: Ask
    flags: list[Flag]
    prepared: dt.date

    def markdown(self) -> str:
        parts = [f"# {self.heading}", f"_Prepared {self.prepared.isoformat()}._"]
        parts += [s.markdown() for s in self.sections]
        # Titles and metrics are the user's text: a link or tag in them must show as typed.
        return defuse_markdown("\n\n".join(parts) + "\n")

    def with_intros(self, intros: list[str]) -> ProposalDraft:
        """A copy with the introductions of sections 1-3 replaced (same bullets, same ask)."""
        written = [s.model_copy(update={"intro": text.strip() or s.intro})
                   for s, text in zip(self.sections[:MODEL_INTROS], intros, strict=True)]
        return self.model_copy(update={"sections": written + self.sections[MODEL_INTROS:]})

    def claims(self) -> list[Claim]:
        """Each bullet that rests on log entries, with their ids: what a view links up."""
        return [Claim(section=s.number, text=b.text, entries=b.cites)
                for s in self.sections for b in s.bullets if b.cites]


class Claim(BaseModel):
    """A statement of the case and the impact-log entries behind it (kept out of the text)."""

    section: int
    text: str
    entries: list[int]


# -- building ---------------------------------------------------------------------------
def named(entry: Entry) -> str:
    """How a document for the manager refers to an entry: its title, quoted."""
    return f"\u201c{entry.title}\u201d"


def _entry_bullet(entry: Entry, section: int, shows: list[str] | None = None,
                  meets: list[str] | None = None) -> Bullet:
    text = f"**{entry.title}**"
    if entry.metric:
        text += f": {entry.metric}"
    if meets:  # a framework's criteria, in its own words: what a promotion panel reads
        text += f" (meets {'; '.join(meets)})"
    elif shows:
        text += f" (shows {', '.join(s.lower() for s in shows)})"
    flag = None
    if not entry.quantified:
        flag = Flag(kind="no-metric", section=section, entry_id=entry.id,
                    text=f"No metric: add the measured result for {named(entry)}")
    return Bullet(text=text, cites=[entry.id], flag=flag)


def _strength(entry: Entry) -> tuple[bool, bool, dt.date, int]:
    return (entry.quantified, entry.next_level, entry.date, entry.id)


def strongest(entries: list[Entry], n: int = 3) -> list[Entry]:
    """The n strongest entries: quantified first, next-level next, most recent next."""
    return sorted(entries, key=_strength, reverse=True)[:n]


def ask_timeline(profile: Profile, timing: Timing, today: dt.date) -> tuple[str, dt.date, bool]:
    """When to ask for the change to take effect, its date, and whether it is an estimate."""
    # The change can only take effect once every reason to wait has a date and has passed.
    dates = [r.when for r in timing.revisit if r.blocking and r.when]
    if timing.review_date:
        floor = max(dates) if dates else today
        cycle = timing.review_date
        while cycle < floor.replace(day=1):
            cycle = cycle.replace(year=cycle.year + 1)
        return f"at the {cycle:%B %Y} review cycle", cycle, False
    when = max(dates) if dates else add_months(today, FALLBACK_TIMELINE_MONTHS)
    return f"by {when:%B %Y}", when, True


def criterion_label(text: str, area: str = "") -> str:
    """A framework criterion as the case names it: quoted in the framework's own words, with
    its area ('\u201cMentors two engineers\u201d (Leadership)'). Long ones are cut at a word."""
    said = " ".join(text.split()).rstrip(".")
    if len(said) > CRITERION_CHARS:
        said = said[:CRITERION_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return f"\u201c{said}\u201d" + (f" ({area})" if area else "")


def build_proposal(profile: Profile, entries: list[Entry], readiness: Readiness,
                   timing: Timing, today: dt.date | None = None,
                   criteria: Mapping[str, str] | None = None) -> ProposalDraft:
    """The complete deterministic case from the user's own facts.

    Args:
        profile: titles, tenure, manager.
        entries: the impact log; every entry appears once with its metric and citation.
        readiness: coverage and gaps (for section 2 and 3).
        timing: verdict and revisit dates (for the ask's timeline).
        today: the preparation date.
        criteria: with a career framework in use, expectation id -> how the case names that
            criterion (`criterion_label`): each entry of section 2 says which ones it meets.
    """
    today = today or dt.date.today()
    labels = criteria or {}
    by_id = {e.id: e for e in entries}
    shows: dict[int, list[str]] = {}
    meets: dict[int, list[str]] = {}
    for cov in readiness.covered:
        for entry_id in cov.entries:
            if cov.expectation.id in labels:
                meets.setdefault(entry_id, []).append(labels[cov.expectation.id])
            else:
                shows.setdefault(entry_id, []).append(cov.expectation.title)
    flags: list[Flag] = []

    # 1. Accomplishments: the entries that are not next-level work, strongest first.
    current = strongest([e for e in entries if not e.next_level], n=len(entries))
    s1 = Section(number=1, title=SECTION_TITLES[0], intro=(
        f"I have been {profile.current_title} for {profile.months_in_role} months. These are "
        "my main results so far."),
        bullets=[_entry_bullet(e, 1) for e in current])
    if not entries:
        s1.flags.append(Flag(kind="empty-log", section=1, text=(
            "Your impact log is empty: add your results with `coach log add` before you share "
            "this.")))

    # 2. Next-level evidence: entries marked next-level, tagged with what they show.
    nxt = strongest([e for e in entries if e.next_level], n=len(entries))
    s2 = Section(number=2, title=SECTION_TITLES[1], intro=(
        f"I already do parts of the {profile.target_title} role."),
        bullets=[_entry_bullet(e, 2, shows.get(e.id), meets.get(e.id)) for e in nxt])
    listed = {e.id for e in nxt}
    for cov in readiness.covered:
        rest = [i for i in cov.entries if i not in listed and i in by_id]
        if rest and not set(cov.entries) & listed:
            refs = "; ".join(named(by_id[i]) for i in rest)
            what = labels.get(cov.expectation.id, cov.expectation.title)
            s2.bullets.append(Bullet(text=f"{what}: shown by {refs}", cites=rest))
    if entries and not nxt:
        s2.flags.append(Flag(kind="no-next-level", section=2, text=(
            "No entry is marked as next-level work: mark the ones done at the target level.")))
    for gap in readiness.gaps:
        what = labels.get(gap.id, gap.title.lower())
        s2.flags.append(Flag(kind="no-evidence", section=2, text=(
            f"No entry shows {what} yet: log an example before claiming it.")))

    # 3. The plan for the role: the expectations become responsibilities and 90-day goals.
    expectations = [c.expectation for c in readiness.covered] + list(readiness.gaps)
    manager = profile.manager_name or "my manager"
    goals = [f"First 30 days: agree the priorities and how success is measured with {manager}."]
    steps = [p.action for p in readiness.plan] or [
        f"Hand over my current work and set up regular check-ins as {profile.target_title}.",
        "Share a first progress summary with the results so far."]
    goals.append(f"By day 60: {steps[0]}")
    goals.append(f"By day 90: {steps[1] if len(steps) > 1 else 'Report the results so far.'}")
    bullets3 = [Bullet(text=labels.get(e.id) or f"{e.title}: {e.description}")
                for e in expectations]
    bullets3 += [Bullet(text=g) for g in goals]
    best = strongest([e for e in entries if e.quantified], n=1)
    if best:
        e = best[0]
        bullets3.append(Bullet(text=(
            f"How I will add value: build on results I have already delivered, such as "
            f"{named(e)} ({e.metric}), and multiply them through the people I support."),
            cites=[e.id]))
    s3 = Section(number=3, title=SECTION_TITLES[2], intro=(
        f"As {profile.target_title} I will take on these responsibilities and start with "
        "clear goals."), bullets=bullets3)

    # 4. The ask, stated once: the exact title and a timeline.
    timeline, when, estimate = ask_timeline(profile, timing, today)
    s4 = Section(number=4, title=SECTION_TITLES[3], intro=(
        f"Based on this record, I am asking to be promoted to **{profile.target_title}**, "
        f"{timeline}."))
    if estimate:
        s4.flags.append(Flag(kind="no-timeline", section=4, text=(
            "No review month in your profile, so this timeline is an estimate: confirm when "
            "promotions are decided and set it with `coach profile set --review-month`.")))

    sections = [s1, s2, s3, s4]
    for s in sections:
        flags += [b.flag for b in s.bullets if b.flag] + s.flags
    who = profile.name or "Promotion case"
    return ProposalDraft(
        heading=f"{who}: {profile.current_title} to {profile.target_title}",
        sections=sections,
        ask=Ask(target_title=profile.target_title, timeline=timeline, date=when),
        flags=flags,
        prepared=today,
    )


# -- validating -------------------------------------------------------------------------
def proposal_facts(profile: Profile, entries: list[Entry], draft: ProposalDraft) -> Facts:
    """What the model may state: the user's facts plus what the skeleton itself says."""
    facts = facts_from(profile, entries)
    facts.allow_text(draft.markdown(), draft.ask.timeline)
    return facts.allow_numbers(*SKELETON_NUMBERS)


def check_structure(markdown: str, target_title: str) -> list[Violation]:
    """Four numbered sections in order, the exact target title and a timeline in the ask."""
    problems: list[Violation] = []
    heads = _HEADING.findall(markdown)
    titles = [t for _, t in heads]
    missing = [t for t in SECTION_TITLES if t not in titles]
    if missing or len(heads) != 4:
        problems.append(Violation(code="structure", detail=(
            f"expected the four sections {', '.join(SECTION_TITLES)}; missing: "
            f"{', '.join(missing) or 'none'}, found {len(heads)}"),
            phrase="lost one of the four sections"))
    ask = markdown.split(f"## 4. {SECTION_TITLES[3]}", 1)
    ask_text = ask[1] if len(ask) == 2 else ""
    if target_title not in ask_text:
        problems.append(Violation(code="wrong-title", detail=(
            f"the ask does not name the exact title '{target_title}'"),
            phrase="changed the target title"))
    if not _TIMELINE.search(ask_text):
        problems.append(Violation(code="no-timeline", detail="the ask has no timeline",
                                  phrase="dropped the timeline"))
    return problems


_PROMOTED_TO = re.compile(r"promot\w*\s+(?:me\s+)?to\s+(?:the\s+)?(?:role\s+of\s+)?(?:an?\s+)?"
                          r"((?:[A-Z][\w&/-]*\s?)+)")


def title_problems(text: str, target_title: str) -> list[Violation]:
    """A sentence that asks for a different title than the profile's target."""
    out = []
    for m in _PROMOTED_TO.finditer(text):
        named = m.group(1).strip()
        if named and named != target_title and not target_title.startswith(named):
            out.append(Violation(code="wrong-title", detail=(
                f"asks for '{named}' but the target title is '{target_title}'"),
                phrase=f"asked for the wrong title ({named})"))
    return out


_ASKS = re.compile(r"\b(?:i am|i'm|i would like to be|i want to be)\s+(?:\w+\s+){0,2}"
                   r"(?:ask\w*|request\w*|promot\w*)\b|\bmy (?:request|ask)\b", re.IGNORECASE)


def ask_problems(text: str) -> list[Violation]:
    """An introduction that makes the request itself: section 4 states the ask once."""
    m = _ASKS.search(text)
    if not m:
        return []
    return [Violation(code="repeated-ask", detail=(
        f"'{m.group(0)}' makes the request; only section 4 states the ask"),
        phrase="stated the ask twice")]


def validate_proposal(intros: list[str], draft: ProposalDraft, profile: Profile,
                      entries: list[Entry]) -> list[Violation]:
    """All checks on model-written introductions, and on the document they produce."""
    if len(intros) != MODEL_INTROS or not all(i.strip() for i in intros):
        return [Violation(code="structure", detail=(
            f"expected {MODEL_INTROS} non-empty introductions, got "
            f"{sum(1 for i in intros if i.strip())}"), phrase="lost one of the four sections")]
    facts = proposal_facts(profile, entries, draft)
    problems: list[Violation] = []
    for number, text in enumerate(intros, start=1):
        problems += too_long(text, INTRO_MAX_WORDS, f"introduction {number}")
    joined = "\n".join(intros)
    problems += check_prose(joined, facts)
    problems += second_person(joined) + manager_voice(joined)
    problems += title_problems(joined, profile.target_title) + ask_problems(joined)
    problems += future_done_problems(joined, entries) + internal_ids(joined)
    problems += check_structure(draft.with_intros(intros).markdown(), profile.target_title)
    return problems
