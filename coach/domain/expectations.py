"""What the next level expects, per transition, and which impact-log entries show it.

The defaults restate the level-by-level guidance in the knowledge base. Users replace or
extend them with their own company's framework; the store keeps those under
`expectations:<transition>`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry, Kind
from coach.domain.limits import BUDGET
from coach.domain.profile import Transition
from coach.domain.text import clean_line, count
from coach.domain.validation import plain

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# A framework criterion's id: '<level id>.<area id>.<n>' (coach.domain.framework.model).
_CRITERION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\.[a-z0-9][a-z0-9-]{0,59}\.[a-z0-9-]{1,20}$")


class Expectation(BaseModel):
    """One thing the target level expects, and how to recognise evidence of it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., description="Short slug, e.g. 'mentoring'.")
    title: str = Field(..., min_length=1, max_length=BUDGET["expectation_title"])
    description: str = Field("", max_length=BUDGET["expectation_description"])
    kinds: list[Kind] = Field(default_factory=list, description="Entry kinds that evidence it.")
    keywords: list[str] = Field(default_factory=list, description="Words that evidence it.")
    action: str = Field("", max_length=BUDGET["expectation_action"],
                        description="A first step to close the gap.")
    linked: dict[int, str] = Field(
        default_factory=dict, description="For a framework criterion: the entries mapped to it "
                                          "(entry id -> why), whatever their kind or words.")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        value = value.strip().lower()
        if not (_SLUG.match(value) or _CRITERION_ID.match(value)):
            raise ValueError("id must be a short slug: lowercase letters, digits and dashes")
        return value

    @field_validator("title", "description", "action", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        return clean_line(value) if isinstance(value, str) else value

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(k.strip().lower() for k in value if k.strip()))

    def evidenced_by(self, entry: Entry) -> bool:
        """True when the entry's kind or wording shows this expectation."""
        return self.match(entry) is not None

    def match(self, entry: Entry) -> str | None:
        """Why the entry shows this expectation ("kind mentoring", "the word 'mentor'")."""
        if entry.id in self.linked:
            return self.linked[entry.id]
        if entry.kind in self.kinds:
            return f"kind {entry.kind.value}"
        hay = f"{entry.title} {entry.description} {entry.metric}".lower()
        # Prefix match on word starts so 'mentor' finds 'mentored' and 'mentoring'.
        for word in self.keywords:
            if re.search(rf"\b{re.escape(word)}", hay):
                return f"the word '{word}'"
        return None


def _e(id_: str, title: str, description: str, kinds: Iterable[Kind], keywords: Iterable[str],
       action: str) -> Expectation:
    return Expectation(id=id_, title=title, description=description, kinds=list(kinds),
                       keywords=list(keywords), action=action)


K = Kind

DEFAULT_EXPECTATIONS: dict[Transition, list[Expectation]] = {
    Transition.IC_TO_LEAD: [
        _e("mentoring", "Mentoring others",
           "Helps less experienced colleagues grow through reviews, pairing and onboarding.",
           [K.MENTORING], ["mentor", "coach", "onboarded", "pair", "taught", "teach", "trained",
                           "new joiner"],
           "Offer to onboard the next new joiner and pair with a junior colleague every week."),
        _e("technical-depth", "Technical depth",
           "The person others ask for the hard specialist calls, and right about them.",
           [], ["architect", "designed", "design doc", "root cause", "performance", "latency", "migrat",
                "reliab", "expert", "rewrote", "optimi", "security"],
           "Take ownership of one hard technical problem on the team and write up the design."),
        _e("project-coordination", "Some project coordination",
           "Breaks work down, sequences it, tracks progress and flags risks for a small group.",
           [K.LEADERSHIP, K.RESPONSIBILITY],
           ["led", "lead", "coordinat", "plan", "roadmap", "sprint", "deliver", "launch"],
           "Ask to coordinate the next small multi-person project from kickoff to delivery."),
    ],
    # Staying an individual contributor: the step is scope and leverage, not people to manage.
    Transition.SENIOR_TO_STAFF: [
        _e("cross-team-direction", "Technical direction across teams",
           "Sets the technical course for work that spans several teams, usually in writing "
           "that others then build on.",
           [K.STRATEGY], ["rfc", "design doc", "proposal", "architecture", "cross-team",
                          "across teams", "org-wide", "standard", "technical direction",
                          "technical vision"],
           "Write a design proposal for a problem that touches two or more teams and get it "
           "agreed by their leads."),
        _e("multiplying-others", "Making other engineers better",
           "Raises the level of the people around through mentoring, reviews, talks and "
           "tools or guides others reuse.",
           [K.MENTORING], ["mentor", "coach", "taught", "teach", "workshop", "guide", "onboard",
                           "pair", "talk", "brown bag", "reviewed"],
           "Run a short workshop on something only I know well and turn it into a guide."),
        _e("business-impact", "Impact the business can measure",
           "Chooses problems by what they are worth to the company and shows the result in "
           "figures: revenue, cost, customers, reliability.",
           [], ["revenue", "cost", "saved", "savings", "customer", "conversion", "adoption",
                "churn", "okr", "incident", "outage", "reliab", "uptime"],
           "Pick one company goal this quarter and measure what my work changes in it."),
        _e("unowned-problems", "Fixing what nobody owns",
           "Spots the recurring problems between teams, including the unglamorous ones, and "
           "solves them for good.",
           [K.RESPONSIBILITY], ["took over", "owned", "recurring", "toil", "tech debt",
                                "deprecat", "unblock", "clean up", "cleaned up", "on-call"],
           "Name one recurring cross-team problem, propose a fix and see it through."),
    ],
    Transition.LEAD_TO_MANAGER: [
        _e("managing-people", "Managing people",
           "Hiring, reviews, development conversations and handling underperformance.",
           [K.MENTORING], ["hire", "hiring", "interview", "one-on-one", "1:1", "performance review",
                           "direct report", "career", "promot"],
           "Ask to run hiring interviews and hold regular development check-ins with two people."),
        _e("strategy-over-hands-on", "Strategy over hands-on work",
           "Decides what the team works on and why, and does less of the work directly.",
           [K.STRATEGY], ["strategy", "roadmap", "priorit", "vision", "okr", "planning"],
           "Draft next quarter's team roadmap with the reasoning behind each priority."),
        _e("stakeholder-management", "Stakeholder management",
           "Negotiates priorities, expectations and deadlines with other teams and customers.",
           [K.EXECUTIVE_COMMUNICATION],
           ["stakeholder", "negotiat", "cross-team", "aligned", "partner team", "other teams",
            "present"],
           "Own the status updates to one partner team and negotiate the next shared deadline."),
    ],
    Transition.MANAGER_TO_DIRECTOR: [
        _e("managing-managers", "Managing managers",
           "Coaches first-line managers and builds a leadership bench.",
           [K.MENTORING], ["manager", "leadership bench", "succession", "coach", "team lead"],
           "Coach one team lead towards a management role with a written growth plan."),
        _e("department-strategy", "Strategy for a department",
           "Sets direction over a year or more and ties it to company goals.",
           [K.STRATEGY], ["strategy", "annual plan", "multi-year", "vision", "okr", "roadmap"],
           "Write a one-year direction for my area and review it with my manager's peers."),
        _e("budget-ownership", "Owning a budget",
           "Plans headcount and spend, makes trade-offs and defends the numbers.",
           [], ["budget", "headcount", "spend", "cost", "forecast", "saved", "savings"],
           "Ask to own the headcount and spend plan for my area in the next budget round."),
        _e("cross-functional-leadership", "Leading across functions",
           "Gets product, sales, finance or operations to move together on shared outcomes.",
           [K.EXECUTIVE_COMMUNICATION],
           ["cross-functional", "sales", "finance", "product team", "product manag", "with product",
            "operations", "marketing", "executive", "leadership team"],
           "Lead one initiative that needs another function to deliver, and report on it together."),
    ],
    Transition.OTHER: [
        _e("bigger-results", "Results at a larger scope",
           "Delivers measurable outcomes that matter beyond one's own tasks.",
           [K.RESULT], ["revenue", "saved", "increased", "reduced", "grew", "improved"],
           "Pick one outcome my manager cares about this quarter and measure my effect on it."),
        _e("leading-others", "Leading and developing others",
           "Guides colleagues, formally or not, and helps them improve.",
           [K.LEADERSHIP, K.MENTORING], ["led", "mentor", "coach", "trained", "onboarded"],
           "Volunteer to lead a small piece of work with two or three colleagues."),
        _e("ownership", "Ownership beyond the role",
           "Takes on responsibilities beyond the job description and sees them through.",
           [K.RESPONSIBILITY], ["owned", "took over", "responsib", "initiative", "volunteer"],
           "Take over one recurring responsibility nobody owns today and run it for a quarter."),
        _e("visibility", "Communicating with leadership",
           "Makes outcomes known to the people who decide, clearly and briefly.",
           [K.EXECUTIVE_COMMUNICATION],
           ["present", "demo", "all-hands", "leadership", "monthly summary", "showcase"],
           "Send my manager a short monthly summary of results and present one at a team demo."),
    ],
}


def default_expectations(transition: Transition) -> list[Expectation]:
    """A fresh copy of the built-in expectations for a transition."""
    return [e.model_copy(deep=True) for e in DEFAULT_EXPECTATIONS[Transition(transition)]]


def storage_key(transition: Transition) -> str:
    """The store key under which a user's own expectations for a transition are kept."""
    return f"expectations:{Transition(transition).value}"


def find(expectations: list[Expectation], exp_id: str) -> Expectation:
    for exp in expectations:
        if exp.id == exp_id:
            return exp
    known = ", ".join(e.id for e in expectations) or "none"
    raise CoachError(f"no expectation with id '{exp_id}' (known: {known})",
                     code="not-found", field="expectation")


def add(expectations: list[Expectation], new: Expectation) -> list[Expectation]:
    """A new list with `new` appended; ids must stay unique."""
    if any(e.id == new.id for e in expectations):
        raise CoachError(f"an expectation with id '{new.id}' already exists",
                         code="exists", field="expectation", hint="Pick another id.")
    return [*expectations, new]


def edit(expectations: list[Expectation], exp_id: str, **changes: object) -> list[Expectation]:
    """A new list with the named expectation changed; unknown fields are an error."""
    current = find(expectations, exp_id)
    data = current.model_dump()
    data.update({k: v for k, v in changes.items() if v is not None})
    updated = Expectation.model_validate(data)
    if updated.id != exp_id and any(e.id == updated.id for e in expectations):
        raise CoachError(f"an expectation with id '{updated.id}' already exists")
    return [updated if e.id == exp_id else e for e in expectations]


def remove(expectations: list[Expectation], exp_id: str) -> list[Expectation]:
    find(expectations, exp_id)
    return [e for e in expectations if e.id != exp_id]


# -- a company's own list, as a CSV -----------------------------------------------------------
CSV_COLUMNS = ["title", "description", "keywords", "action", "kinds"]
MAX_EXPECTATIONS = 50


def slug(title: str) -> str:
    """A short id from a title: 'Owning a budget' -> 'owning-a-budget'."""
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-")
    return text or "expectation"


def _cells(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[;|]", value or "") if v.strip()]


def parse_csv(text: str) -> list[Expectation]:
    """A company's expectations from a CSV (`title` required; see CSV_COLUMNS).

    An expectation with neither keywords nor kinds could never be shown by an entry, so its
    title's words stand in as keywords. Every bad row is reported by its line.
    """
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "title" not in header:
        raise CoachError("the expectations file has no title column", code="bad-file",
                         hint="The first row names the columns: " + ", ".join(CSV_COLUMNS) + ".")
    reader.fieldnames = header
    found: list[Expectation] = []
    errors: list[str] = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        line = reader.line_num
        title = (row.get("title") or "").strip()
        keywords = _cells(row.get("keywords") or "")
        try:
            kinds = [Kind(k.lower()) for k in _cells(row.get("kinds") or "")]
        except ValueError:
            errors.append(f"line {line}: kinds must be among {', '.join(k.value for k in Kind)}")
            continue
        if not keywords and not kinds:
            keywords = [w for w in re.findall(r"[a-z]{4,}", title.lower())]
        ids = {e.id for e in found}
        new_id, n = slug(title), 2
        while new_id in ids:
            new_id, n = f"{slug(title)[:56]}-{n}", n + 1
        try:
            found.append(Expectation(id=new_id, title=title, keywords=keywords, kinds=kinds,
                                     description=row.get("description") or "",
                                     action=row.get("action") or ""))
        except ValidationError as exc:
            errors.append(f"line {line}: {plain(exc)}")
    if errors:
        raise CoachError(f"{count(len(errors), 'bad row')}; nothing was changed:\n  "
                         + "\n  ".join(errors[:20]), code="bad-rows")
    if not found:
        raise CoachError("the expectations file holds no rows", code="bad-file")
    if len(found) > MAX_EXPECTATIONS:
        raise CoachError(f"the file holds {len(found)} expectations; the limit is "
                         f"{MAX_EXPECTATIONS}", code="bad-file",
                         hint="Keep the ones for the step you are aiming for.")
    return found


def template_csv() -> str:
    """The CSV an import reads, with two example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS[:4])
    writer.writerow(["Sets technical direction across teams",
                     "Writes the proposals other teams build on.", "rfc; design doc; architecture",
                     "Write a design proposal that two teams agree on."])
    writer.writerow(["Grows the people around them", "Mentors and runs workshops.",
                     "mentor; workshop; coached", "Mentor one colleague for a quarter."])
    return out.getvalue()
