"""The development plan agreed with the manager after a no: the gaps they named, what to show
for each, by when, and the date to come back to the question.

Pure and deterministic. The gaps are read from the manager's own lines: a statement that names
what they need to see ("I'd want to see you lead a cross-team project"), or the first statement
answering the user's "what would you need to see?". Nothing is made up: a gap is always a span
of what the manager said (or what the user typed). A gap is matched to a criterion of the
target level (or a built-in expectation) only when the words match clearly; otherwise the plan
keeps the manager's words. Due dates are spread before the revisit date, two weeks ahead of it
when there is room, so the evidence is logged by the time the question comes back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from coach.domain.errors import CoachError
from coach.domain.framework.mapping import STOPWORDS, terms
from coach.domain.limits import BUDGET
from coach.domain.plan import Agreement, DevelopmentPlan, PlanItem
from coach.domain.roleplay.answer import decision_in
from coach.domain.roleplay.meeting import Turn
from coach.domain.text import clean_line, search_stem, sentences

MAX_GAPS = 8  # a plan of more than a handful of gaps is a wish list, not a plan
MAX_GAP_CHARS = BUDGET["gap"]
MARGIN_DAYS = 14  # done two weeks before the revisit: the evidence must be in the log
MIN_ITEM_DAYS = 7  # the margin is kept only if each item still gets a week
MAX_REVISIT_DAYS = 731  # two years: further out is a typo, or not a plan
ID_PREFIX = "agreed-"

_LEADS = [re.compile(p, re.IGNORECASE) for p in (
    r"\bwhat\s+i(?:'d|\s+would)?\s+(?:want|need|like)\s+to\s+see\s+is\s+"
    r"(?:(?:for\s+)?you\s+(?:to\s+)?)?(?P<what>.+)",
    r"\b(?:i|we)(?:'d|\s+would|'ll|\s+will)?\s+(?:really\s+)?(?:want|like|need|expect|love|hope)"
    r"\s+to\s+see\s+(?:a\s+lot\s+)?(?:more\s+)?(?:(?:of\s+|from\s+)?you\s+)?"
    r"(?:(?:on|of|around|in)\s+)?(?P<what>.+)",
    r"\bshow\s+me\s+(?:that\s+you\s+can\s+)?(?P<what>.+)",
    r"\byou(?:'d|'ll|\s+would|\s+will)?\s+(?:need|have)\s+to\s+(?P<what>.+)",
    r"\b(?:work|focus)\s+on\s+(?P<what>.+)",
    r"\bget\s+better\s+at\s+(?P<what>.+)",
    r"\bgaps?\s+(?:i\s+see\s+)?(?:is|are|would\s+be)\s*:?\s*(?P<what>.+)",
    r"\bwhat(?:'s|\s+is)\s+missing\s+is\s+(?P<what>.+)",
    r"^(?:specifically|concretely)\s*[:,]\s*(?P<what>.+)",
    r"\b(?:demonstrate|prove)\s+(?:that\s+you\s+can\s+)?(?P<what>.+)",
)]
# Where the gap ends and the talk of time or consequences begins.
_TAIL = re.compile(
    r"\s+(?:over|in|within|during)\s+the\s+(?:next|coming)\b.*$|\s+by\s+the\s+(?:next|end)\b.*$"
    r"|,?\s+(?:and\s+)?then\b.*$|,?\s+and\s+(?:we|i)(?:'ll|'d|\s+will|\s+can|\s+could)?\s.*$"
    r"|,?\s+before\s+(?:we|i)\b.*$|,?\s+so\s+that\b.*$|,?\s+if\s+you\b.*$|\s+first$"
    r"|\s+(?:this|next)\s+(?:quarter|half|year|cycle)$|\s+(?:as\s+well|too|also)$", re.IGNORECASE)
# A "what" that points back at something else, or says nothing yet, is no gap.
_VAGUE = re.compile(
    r"^(?:first|more|a\s+bit\s+more|a\s+little\s+more|those|these|that|this|it|them|some"
    r"|something|a\s+few\s+things|things|progress|what\s+you\s+think|how\s+it\s+goes)\b"
    r"(?:\s+(?:first|from\s+you|over|and|then|before)\b.*)?$", re.IGNORECASE)
# The user asking for the gaps: the manager's next statement answers it.
_ASKS = re.compile(
    r"\b(?:what|which)\b[^?]*\b(?:need|want|like|see|missing|gaps?|work\s+on|improve|show|"
    r"look\s+like|change)\b[^?]*\?|\bspecific(?:ally|s)?\b[^?]*\?|\bexamples?\b[^?]*\?",
    re.IGNORECASE)
_ACK = re.compile(r"^(?:sure|yes|yeah|ok|okay|good|great|thanks|fair|right|well|hmm|honestly|"
                  r"good question|i hear you)\b[\s,.!]*$", re.IGNORECASE)
# An answer that names nothing: the manager has no concrete gap to give.
_NOTHING = re.compile(
    r"^(?:not\s+really|no\b|nothing|none|not\s+that\s+i\s+can|i\s+(?:can'?t|cannot)\s+think"
    r"|just\s+keep|keep\s+(?:doing|going|it\s+up)|you'?re\s+(?:on\s+the\s+right\s+track|doing"
    r"\s+(?:great|fine|well|good))|carry\s+on)\b", re.IGNORECASE)
_INTERJECTION = re.compile(r"^(?:(?:honestly|frankly|well|so|look|sure|okay|ok|hmm|to\s+be\s+honest)"
                           r"\s*,?\s*)+", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?:that|this|it|those|these)\b", re.IGNORECASE)


class Gap(BaseModel):
    """One gap the manager named (or the user typed), in those words."""

    text: str = Field(..., description="The gap in the manager's words.")
    said: str = Field("", description="The manager's line it was read from ('' if typed).")
    typed: bool = False


class Target(BaseModel):
    """A criterion of the target level (or a built-in expectation) a gap may be matched to."""

    id: str
    name: str = Field(..., description="How the criterion is named to the user.")
    demonstrate: str = Field(..., description="What showing it looks like, in its own words.")
    words: str = Field("", description="More of its wording to match on (description, "
                                       "examples).")
    keywords: list[str] = Field(default_factory=list, description="Curated words (built-in "
                                                                  "expectations): one is clear.")


class Progress(BaseModel):
    """How the agreed plan stands on `today`."""

    with_name: str
    agreed_on: dt.date
    revisit: dt.date
    days_to_revisit: int = Field(..., description="Negative once the date has passed.")
    done: int
    total: int
    next_item: PlanItem | None = Field(None, description="The open agreed item due soonest.")
    overdue: int = 0
    next_overdue: bool = False

    def line(self) -> str:
        when = (f"in {self.days_to_revisit} days" if self.days_to_revisit > 1 else
                "tomorrow" if self.days_to_revisit == 1 else "today" if self.days_to_revisit == 0
                else f"{-self.days_to_revisit} days ago")
        return (f"Agreed plan with {self.with_name}: {self.done} of {self.total} done; "
                f"revisit {self.revisit.isoformat()} ({when})")


# -- reading the gaps -------------------------------------------------------------------------
def _trim(what: str) -> str:
    what = clean_line(what).strip(" .;:!,\u2014-")
    for _ in range(3):
        cut = _TAIL.sub("", what).strip(" .;:!,\u2014-")
        if cut == what:
            break
        what = cut
    return what


def _split(what: str) -> list[str]:
    """A list the manager ran together ("a, b and c", or two clauses of three words or more
    joined by "and") as its items; anything else whole."""
    if "," not in what and ";" not in what:
        halves = re.split(r"\s+and\s+", what)
        if len(halves) == 2 and all(len(h.split()) >= 3 for h in halves):
            return halves
        return [what]
    parts = [p.strip() for p in re.split(r"\s*[;,]\s*", what) if p.strip()]
    last = re.split(r"\s+and\s+", re.sub(r"^and\s+", "", parts[-1]), maxsplit=1)
    parts = [*parts[:-1], *last]
    parts = [re.sub(r"^(?:and|or)\s+", "", p) for p in parts]
    return [p for p in parts if len(p.split()) >= 2] or [what]


def _lead_off(part: str) -> str:
    """An item of a list without a lead of its own ("... and you need to mentor X": "mentor X")."""
    for lead in _LEADS:
        match = lead.search(part)
        if match is not None and match.start() == 0:
            what = _trim(match.group("what"))
            if what and not _VAGUE.match(what):
                return what
    return part


def _gaps_in(sentence: str) -> list[str]:
    if sentence.rstrip().endswith("?"):
        return []
    for lead in _LEADS:
        match = lead.search(sentence)
        if match is None:
            continue
        what = _trim(match.group("what"))
        if what and not _VAGUE.match(what) and not _PRONOUN_START.match(what):
            first, *rest = _split(what)
            return [first, *(_lead_off(p) for p in rest)]
    return []


def _answer(text: str) -> list[str]:
    """The first plain statement of a reply to "what would you need to see?"."""
    for sentence in sentences(text) or [text]:
        plain = sentence.strip()
        if plain.endswith("?") or _ACK.match(plain) or len(plain.split()) < 3:
            continue
        if _NOTHING.match(_INTERJECTION.sub("", plain)):
            return []
        if decision_in(plain) is not None or _PRONOUN_START.match(plain):
            continue
        what = _trim(plain)
        return _split(what) if what and not _VAGUE.match(what) else []
    return []


def read_gaps(turns: Sequence[Turn]) -> list[Gap]:
    """The gaps the manager named, each with the line it came from, in the order said."""
    found: list[Gap] = []
    asked = False
    for turn in turns:
        if turn.speaker != "manager":
            asked = bool(_ASKS.search(turn.text))
            continue
        if turn.move == "opening":
            continue
        texts = [g for s in sentences(turn.text) or [turn.text] for g in _gaps_in(s)]
        if not texts and asked:
            texts = _answer(turn.text)
        found += [Gap(text=t[:1].upper() + t[1:], said=turn.text) for t in texts]
        asked = False
    return dedupe(found)[:MAX_GAPS]


def dedupe(gaps: Sequence[Gap]) -> list[Gap]:
    seen: set[str] = set()
    out = []
    for gap in gaps:
        key = " ".join(gap.text.lower().split()).strip(" .")
        if key not in seen:
            seen.add(key)
            out.append(gap)
    return out


def typed_gap(text: str) -> Gap:
    """A gap the user typed, checked: not empty, not too long."""
    clean = clean_line(text or "").strip()
    if not clean:
        raise CoachError("a gap is empty", code="empty", field="gap",
                         hint="Write each gap in a few words, as your manager put it.")
    if len(clean) > MAX_GAP_CHARS:
        raise CoachError(f"a gap is too long ({len(clean)} characters; the limit is "
                         f"{MAX_GAP_CHARS})", code="too-long", field="gap",
                         hint="Write the gap in a sentence; the details go in your log.")
    return Gap(text=clean, typed=True)


# -- matching a gap to a criterion ------------------------------------------------------------
def _form_of(word: str, keyword: str) -> bool:
    """`word` is `keyword` or one of its word forms ("mentoring" of "mentor"; not "leadership"
    of "lead", which is another word)."""
    return re.fullmatch(rf"{re.escape(keyword)}(?:s|es|d|ed|ing|er|ers)?", word) is not None


def _hits(gap: str, target: Target) -> tuple[int, bool]:
    """How many of the gap's words the target shares, and whether a curated keyword is one."""
    lower = gap.lower().replace("'", "").replace("\u2019", "")
    own = terms(f"{target.name} {target.demonstrate} {target.words}")
    words = [w for w in re.findall(r"[a-z][a-z0-9-]+", lower)
             if len(w) > 2 and w not in STOPWORDS]
    hits: set[str] = set()
    by_keyword = False
    for word in words:
        stem = search_stem(word)
        if any(_form_of(word, k) for k in target.keywords if " " not in k):
            hits.add(stem)
            by_keyword = True
        elif stem in own:
            hits.add(stem)
    for phrase in (k for k in target.keywords if " " in k):
        if re.search(rf"\b{re.escape(phrase)}", lower):
            hits.add(phrase)
            by_keyword = True
    return len(hits), by_keyword


def match_gap(gap: str, targets: Sequence[Target]) -> Target | None:
    """The criterion the gap clearly names, or None.

    Clear: two shared words or more, more than any other criterion; or one curated keyword
    of a built-in expectation and no other criterion sharing a word.
    """
    scored = sorted(((*_hits(gap, t), i) for i, t in enumerate(targets)),
                    key=lambda s: (-s[0], s[2]))
    if not scored or scored[0][0] == 0:
        return None
    best, by_keyword, index = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0
    if (best >= 2 and best > second) or (best == 1 and by_keyword and second == 0):
        return targets[index]
    return None


# -- dates ------------------------------------------------------------------------------------
def parse_revisit(value: str | dt.date | None, today: dt.date) -> dt.date:
    """The revisit date: required, a real date, from today on, within two years."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CoachError("the revisit date is missing", code="empty", field="revisit",
                         hint="Agree a date with your manager to come back to the question, "
                              "often around six months out or the next review cycle.")
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise CoachError(f"'{value.strip()[:40]}' is not a date (write it as YYYY-MM-DD)",
                             code="bad-date", field="revisit") from None
    else:
        day = value
    if day < today:
        raise CoachError(f"the revisit date {day.isoformat()} is in the past (today is "
                         f"{today.isoformat()})", code="past-date", field="revisit",
                         hint="Give the date you agreed to come back to the question.")
    if (day - today).days > MAX_REVISIT_DAYS:
        raise CoachError(f"the revisit date {day.isoformat()} is more than two years away",
                         code="too-far", field="revisit",
                         hint="Check the year: a revisit is usually within a year.")
    return day


def agreed_due_dates(count: int, today: dt.date, revisit: dt.date) -> list[dt.date]:
    """`count` dates spread evenly up to the revisit, two weeks ahead of it when each item
    still gets a week; the last one never after the revisit."""
    if count <= 0:
        return []
    span = (revisit - today).days
    end = span - MARGIN_DAYS if span - MARGIN_DAYS >= count * MIN_ITEM_DAYS else span
    return [today + dt.timedelta(days=(end * (i + 1)) // count) for i in range(count)]


# -- the plan ---------------------------------------------------------------------------------
def agreed_items(gaps: Sequence[Gap], targets: Sequence[Target], *, today: dt.date,
                 revisit: dt.date, with_name: str) -> list[PlanItem]:
    """One dated item per gap, in the manager's words, marked agreed; what to demonstrate is
    the criterion's statement when the gap matches one clearly."""
    if not gaps:
        raise CoachError("there are no gaps to put in the plan", code="no-gaps", field="gaps",
                         hint="Name at least one thing your manager said they need to see.")
    if len(gaps) > MAX_GAPS:
        raise CoachError(f"{len(gaps)} gaps is more than a plan holds (at most {MAX_GAPS})",
                         code="too-many", field="gaps",
                         hint="Keep the ones your manager stressed most.")
    dates = agreed_due_dates(len(gaps), today, revisit)
    items = []
    for n, (gap, due) in enumerate(zip(gaps, dates, strict=True), 1):
        target = match_gap(gap.text, targets)
        why = f"{with_name} named it" + (f" ({target.name})" if target else "")
        items.append(PlanItem(
            id=f"{ID_PREFIX}{n}", text=gap.text, why=why, due=due, agreed=True,
            demonstrate=target.demonstrate if target else gap.text, agreed_with=with_name,
            agreed_on=today, criterion=target.id if target else "",
            criterion_name=target.name if target else "", gap=gap.text, said=gap.said))
    return items


def agree(plan: DevelopmentPlan, items: Sequence[PlanItem], agreement: Agreement) -> \
        DevelopmentPlan:
    """The plan with this agreement in force: an earlier agreement's items give way, and an
    open readiness item for a criterion an agreed item now carries is folded into it."""
    carried = {i.criterion for i in items if i.criterion}
    kept = [i for i in plan.items if not i.agreed and not (not i.done and i.id in carried)]
    return plan.model_copy(update={"items": [*kept, *items], "agreement": agreement})


def close_shown(plan: DevelopmentPlan, shown: set[str], today: dt.date) -> DevelopmentPlan:
    """Open agreed items whose criterion the log now shows (ids in `shown`) are done by the log."""
    items = [i.model_copy(update={"done": True, "done_on": today, "closed_by": "log"})
             if i.agreed and not i.done and i.criterion in shown else i for i in plan.items]
    return plan.model_copy(update={"items": items})


def progress(plan: DevelopmentPlan | None, today: dt.date) -> Progress | None:
    """n of m done, the next item due and the days to the revisit; None without an agreement."""
    if plan is None or plan.agreement is None:
        return None
    mine = [i for i in plan.items if i.agreed]
    open_items = sorted((i for i in mine if not i.done), key=lambda i: (i.due, i.id))
    a = plan.agreement
    return Progress(with_name=a.with_name, agreed_on=a.agreed_on, revisit=a.revisit,
                    days_to_revisit=(a.revisit - today).days,
                    done=sum(1 for i in mine if i.done), total=len(mine),
                    next_item=open_items[0] if open_items else None,
                    overdue=sum(1 for i in open_items if i.due < today),
                    next_overdue=bool(open_items) and open_items[0].due < today)
