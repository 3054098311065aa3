"""The people who decide: who they are, how well they know the user's work, and what to do next.

Pure rules over the user's own list. Each person gets one next action, picked by the first
rule that fits (`RULES`); the list as a whole may show gaps (nobody who decides knows the
work, no sponsor, nobody heard from in months). Every action and gap rests on a section of
the guidance (`GuideRef`), which the faces show next to it. People are ordered by influence,
then by how long it has been since the user last spoke to them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coach.domain.errors import CoachError
from coach.domain.limits import BUDGET
from coach.domain.profile import email_or_blank
from coach.domain.text import clean_line


class GuideRef(BaseModel):
    """The guide section an action or gap rests on: the file under knowledge/ and its heading.
    (The same shape as the chat rules' `GuideRef`; that package imports readiness, which
    imports this module, so it cannot be imported here.)"""

    model_config = ConfigDict(frozen=True)

    source: str
    section: str

    def label(self) -> str:
        return f"{self.source} § {self.section}"


def ref(source: str, section: str) -> GuideRef:
    return GuideRef(source=source, section=section)


GUIDE = "visibility-and-stakeholders.md"
WHO_DECIDES = ref(GUIDE, "Know who decides")
MAP = ref(GUIDE, "Map your stakeholders")
SPONSOR = ref(GUIDE, "Find a sponsor")
FEEDBACK = ref(GUIDE, "Ask for feedback regularly")
VISIBLE = ref(GUIDE, "Stay visible without bragging")

FEEDBACK_DAYS = 60  # "every couple of months": past this, a relationship is going stale
SPONSOR_DAYS = 30  # a sponsor is kept by hearing about results while they are fresh
STORE_KEY = "stakeholders"


class Influence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Relationship(StrEnum):
    STRONG = "strong"
    NEUTRAL = "neutral"
    WEAK = "weak"
    NONE = "none"


INFLUENCE_RANK = {Influence.HIGH: 0, Influence.MEDIUM: 1, Influence.LOW: 2}


class Interaction(BaseModel):
    """One conversation or piece of work together, on a day."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    note: str = Field(..., min_length=1, max_length=BUDGET["interaction"])

    @field_validator("note", mode="before")
    @classmethod
    def _line(cls, value: object) -> object:
        return clean_line(value) if isinstance(value, str) else value


class PersonDraft(BaseModel):
    """What the user says about one person with a say in the promotion."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=BUDGET["name"])
    role: str = Field("", max_length=BUDGET["role"], description="Their job, e.g. 'skip-level'.")
    influence: Influence = Field(..., description="How much their view weighs in the decision.")
    relationship: Relationship = Field(..., description="How well they know the user's work.")
    cares_about: str = Field("", max_length=BUDGET["cares_about"],
                             description="Their high-priority work or concerns.")
    sponsor: bool = Field(False, description="Speaks up for the user when they are not there.")
    email: str = Field("", max_length=BUDGET["email"])

    @field_validator("name", "role", "cares_about", mode="before")
    @classmethod
    def _line(cls, value: object) -> object:
        return clean_line(value) if isinstance(value, str) else value

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> object:
        return email_or_blank(value)


class Person(PersonDraft):
    """A saved person, with the interactions logged with them (oldest first)."""

    id: int
    interactions: list[Interaction] = Field(default_factory=list)

    @property
    def last_contact(self) -> dt.date | None:
        return max((i.date for i in self.interactions), default=None)

    def days_since(self, today: dt.date) -> int | None:
        """Days since the last interaction up to `today`; None when there is none (a plan
        dated in the past ignores what was logged after it)."""
        last = max((i.date for i in self.interactions if i.date <= today), default=None)
        return (today - last).days if last else None


class Roster(BaseModel):
    """The saved list: the people and the next id to hand out (ids are never reused)."""

    next_id: int = 1
    people: list[Person] = Field(default_factory=list)

    def find(self, person_id: int) -> Person:
        for person in self.people:
            if person.id == person_id:
                return person
        raise CoachError(f"no person with id {person_id}", code="not-found", field="stakeholder")


# -- changing the list (pure: each returns a new Roster) -------------------------------------
def add(roster: Roster, draft: PersonDraft) -> tuple[Roster, Person]:
    person = Person(id=roster.next_id, **draft.model_dump())
    return Roster(next_id=roster.next_id + 1, people=[*roster.people, person]), person


def replace(roster: Roster, person: Person) -> Roster:
    roster.find(person.id)
    return roster.model_copy(update={
        "people": [person if p.id == person.id else p for p in roster.people]})


def remove(roster: Roster, person_id: int) -> tuple[Roster, Person]:
    person = roster.find(person_id)
    return roster.model_copy(update={
        "people": [p for p in roster.people if p.id != person_id]}), person


def check_date(day: dt.date, today: dt.date) -> dt.date:
    """An interaction is logged once it happened: a future date is refused."""
    if day > today:
        raise CoachError(f"date {day.isoformat()} is in the future: log an interaction once it "
                         f"has happened (today, {today.isoformat()}, is fine)",
                         code="future-date", field="date", hint="Nothing was saved.")
    return day


def log(roster: Roster, person_id: int, interaction: Interaction,
        today: dt.date) -> tuple[Roster, Person]:
    check_date(interaction.date, today)
    person = roster.find(person_id)
    items = sorted([*person.interactions, interaction], key=lambda i: i.date)
    updated = person.model_copy(update={"interactions": items})
    return replace(roster, updated), updated


# -- the plan ----------------------------------------------------------------------------------
class Action(BaseModel):
    """The next thing to do about one person, why, and the guide section it rests on."""

    person: int
    name: str
    influence: Influence
    relationship: Relationship
    sponsor: bool
    days_since: int | None = Field(..., description="Days since the last logged interaction.")
    rule: str = Field(..., description="Stable id of the rule that picked the action.")
    action: str
    why: str
    cites: GuideRef


class Gap(BaseModel):
    """Something missing from the list as a whole."""

    rule: str
    text: str
    cites: GuideRef


class PeoplePlan(BaseModel):
    today: dt.date
    actions: list[Action]
    gaps: list[Gap]


def _since(days: int | None) -> str:
    if days is None:
        return "no interaction logged yet"
    if days == 0:
        return "last spoke today"
    return f"last spoke {days} day{'s' if days != 1 else ''} ago"


def _stale(days: int | None, limit: int) -> bool:
    return days is None or days >= limit


def next_action(p: Person, today: dt.date) -> tuple[str, str, str, GuideRef]:
    """(rule, action, why, guide section) for one person: the first rule that fits."""
    days = p.days_since(today)
    since = _since(days)
    if p.sponsor and _stale(days, SPONSOR_DAYS):
        return ("keep-sponsor-informed",
                f"Send {p.name} a short note: your latest result and what comes next.",
                f"{p.name} is your sponsor ({since}): a sponsor can only speak for you with "
                "fresh facts, and is kept by being kept informed.", SPONSOR)
    if p.influence is Influence.HIGH and p.relationship in (Relationship.WEAK, Relationship.NONE):
        start = f" Start from what they care about: {p.cares_about}." if p.cares_about else ""
        return ("get-known",
                f"Get your work in front of {p.name}: ask for a short one-to-one, or offer to "
                f"present a finished project in a forum they attend.{start}",
                f"{p.name} has a big say in the decision but barely knows your work ({since}); "
                "a case for someone a decider has never heard of is an uphill battle.",
                WHO_DECIDES)
    if p.relationship is not Relationship.STRONG:
        if p.cares_about:
            return ("collaborate",
                    f"Offer {p.name} real help with what they care about: {p.cares_about}.",
                    f"Trust comes from useful help on their high-priority work, not from random "
                    f"favours; {p.name}'s relationship with you is {p.relationship.value} "
                    f"({since}).", MAP)
        return ("learn-priorities",
                f"Ask {p.name} what matters most to them this quarter, and note it here.",
                f"You cannot help with {p.name}'s high-priority work until you know what it "
                f"is ({since}).", MAP)
    if _stale(days, FEEDBACK_DAYS):
        return ("ask-feedback",
                f"Ask {p.name} for specific feedback, e.g. one thing you could do differently "
                "in your latest piece of work.",
                f"{p.name} knows your work ({since}); asking for feedback every couple of "
                "months keeps them close to how you are growing.", FEEDBACK)
    return ("stay-visible",
            f"Keep {p.name} in the loop: share your next result when it lands.",
            f"{p.name} knows your work and you spoke recently ({since}); make sure the next "
            "outcome reaches them too.", VISIBLE)


def ordered(people: list[Person], today: dt.date) -> list[Person]:
    """Most influence first; within it, the longest since the last interaction (never first)."""
    def key(p: Person) -> tuple[int, int, str, int]:
        days = p.days_since(today)
        return (INFLUENCE_RANK[p.influence], -(days if days is not None else 10**6),
                p.name.lower(), p.id)
    return sorted(people, key=key)


def gaps(people: list[Person], today: dt.date) -> list[Gap]:
    """What the list as a whole lacks, most serious first."""
    if not people:
        return [Gap(rule="nobody-mapped", text="You have not listed anyone who has a say in your "
                    "promotion yet: start with your manager and their manager.", cites=MAP)]
    out = []
    deciders = [p for p in people if p.influence is Influence.HIGH]
    if not deciders:
        out.append(Gap(rule="no-decider", text="Nobody on your list decides: find out who "
                       "nominates, who approves and who is asked for an opinion.",
                       cites=WHO_DECIDES))
    elif not any(p.relationship is Relationship.STRONG for p in deciders):
        names = ", ".join(p.name for p in ordered(deciders, today))
        out.append(Gap(rule="no-decider-knows-you", text=f"Nobody who decides knows your work "
                       f"well ({names}): get your results in front of them early.",
                       cites=WHO_DECIDES))
    if not any(p.sponsor for p in people):
        candidates = [p for p in ordered(people, today) if p.relationship is Relationship.STRONG
                      and p.influence is not Influence.LOW]
        who = (f" {candidates[0].name} already knows your work: a good first candidate."
               if candidates else "")
        out.append(Gap(rule="no-sponsor", text="No sponsor: nobody senior is marked as someone "
                       f"who would speak up for you when you are not in the room.{who}",
                       cites=SPONSOR))
    recent = [d for p in people if (d := p.days_since(today)) is not None and d < FEEDBACK_DAYS]
    if not recent:
        out.append(Gap(rule="nobody-recent", text=f"You have logged no interaction with anyone "
                       f"on your list in the last {FEEDBACK_DAYS} days: ask one of them for "
                       "feedback this month.", cites=FEEDBACK))
    return out


def plan(people: list[Person], today: dt.date) -> PeoplePlan:
    """Per person the next action and why, in order; then the gaps of the list as a whole."""
    actions = []
    for p in ordered(people, today):
        rule, action, why, cites = next_action(p, today)
        actions.append(Action(person=p.id, name=p.name, influence=p.influence,
                              relationship=p.relationship, sponsor=p.sponsor,
                              days_since=p.days_since(today), rule=rule, action=action, why=why,
                              cites=cites))
    return PeoplePlan(today=today, actions=actions, gaps=gaps(people, today))


# -- what readiness and timing take from the list ---------------------------------------------
PEOPLE_STEP_WEEKS = 4  # one relationship step a month: trust is built over a few conversations


class PeopleStep(BaseModel):
    """A readiness plan step about the people who decide, dated, with its guide section."""

    rule: str
    action: str
    by: dt.date
    cites: GuideRef


def _step_action(rule: str, people: list[Person], today: dt.date) -> str:
    ranked = ordered(people, today)
    if rule == "no-decider":
        return ("Find out who nominates and who approves promotions where you are, and add "
                "them to your list of people who decide.")
    if rule == "no-decider-knows-you":
        name = next(p.name for p in ranked if p.influence is Influence.HIGH)
        return f"Get one result in front of {name}: a short one-to-one, or a demo in a forum " \
               "they attend."
    candidate = next((p.name for p in ranked if p.relationship is Relationship.STRONG
                      and p.influence is not Influence.LOW), None)
    if candidate:
        return (f"Find a sponsor: {candidate} already knows your work; keep them informed of "
                "each result and ask whether they would back your name.")
    return ("Find a sponsor: a senior person outside your reporting line who has seen your "
            "results first-hand and would back your name.")


STEP_RULES = ("no-decider", "no-decider-knows-you", "no-sponsor")


def readiness_steps(people: list[Person], today: dt.date) -> list[PeopleStep]:
    """Plan steps when nobody who decides knows the work well, or there is no sponsor.

    An empty list adds no step: the user has not mapped anyone, and the plan of the people
    page says so on its own."""
    if not people:
        return []
    steps: list[PeopleStep] = []
    for gap in gaps(people, today):
        if gap.rule in STEP_RULES:
            by = today + dt.timedelta(weeks=PEOPLE_STEP_WEEKS * (len(steps) + 1))
            steps.append(PeopleStep(rule=gap.rule, action=_step_action(gap.rule, people, today),
                                    by=by, cites=gap.cites))
    return steps
