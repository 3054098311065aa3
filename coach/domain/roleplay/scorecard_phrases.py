"""The stronger line each scorecard check suggests, built from the user's own log and target.

Each check draws on the entries that fit it, not always the top one: next-level work for
"convincing", a leadership or mentoring entry when the manager says not ready, quantified
results for the evidence. Checks take different entries where the log has enough of them, so
the suggestions add up to a fuller case. With a career framework, the lines quote the target
level's own criteria: the one an entry shows, and the one no entry shows yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from coach.domain.evidence import Kind
from coach.domain.roleplay.facts import LevelCriterion, LogFact
from coach.domain.roleplay.personas import ResponseType

_PEOPLE_KINDS = {Kind.LEADERSHIP, Kind.MENTORING}
_SCOPE_KINDS = {Kind.LEADERSHIP, Kind.STRATEGY, Kind.RESPONSIBILITY, Kind.EXECUTIVE_COMMUNICATION}

Rank = Callable[[LogFact], tuple[bool | dt.date, ...]]


def _quantified(f: LogFact) -> tuple[bool, bool, dt.date]:
    return (bool(f.metric), f.next_level, f.date)


def _next_level(f: LogFact) -> tuple[bool, bool, dt.date]:
    return (f.next_level, bool(f.metric), f.date)


def _people(f: LogFact) -> tuple[bool, bool, bool, dt.date]:
    return (f.kind in _PEOPLE_KINDS, f.next_level, bool(f.metric), f.date)


def _scope(f: LogFact) -> tuple[bool, bool, bool, dt.date]:
    return (f.next_level and f.kind in _SCOPE_KINDS, f.next_level, bool(f.metric), f.date)


def _recent(f: LogFact) -> tuple[dt.date]:
    return (f.date,)


# Which entries suit each check; "handling" depends on the answer.
_RANKS: dict[str, Rank] = {
    "appreciation": _recent, "evidence": _quantified, "convincing": _next_level,
}
_HANDLING_RANKS: dict[ResponseType, Rank] = {
    ResponseType.YES: _quantified, ResponseType.NOT_YET: _next_level, ResponseType.NO_BUDGET: _scope,
    ResponseType.NOT_READY: _people, ResponseType.NO_FIT: _next_level,
}


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def months_ahead(today: dt.date, months: int) -> str:
    month = (today.month - 1 + months) % 12 + 1
    return dt.date(2000, month, 1).strftime("%B")


def quoted(criterion: LevelCriterion) -> str:
    """A criterion in the framework's own words, quoted: “Mentors two engineers”."""
    return f"\u201c{criterion.text.strip().rstrip('.')}\u201d"


def _clause(fact: LogFact | None) -> str:
    """'I led the migration (cut errors 38%)', or a placeholder when the log is empty."""
    if fact is None:
        return "I delivered [your strongest result, with its number]"
    metric = f" ({fact.metric})" if fact.metric else ""
    return f"{fact.first_person}{metric}"


class Phrases:
    """Better lines built from the user's own entries and target title."""

    def __init__(self, facts: Sequence[LogFact], target: str, today: dt.date,
                 criteria: Sequence[LevelCriterion] = ()):
        self.facts = list(facts)
        self.target = target
        self.criteria = list(criteria)
        self.revisit = months_ahead(today, 6)
        self.used: set[int] = set()

    def pick(self, rank: Rank, avoid_used: bool = True) -> LogFact | None:
        """The best entry for `rank`; one not suggested yet when the log has a fresh one as good."""
        if not self.facts:
            return None
        ordered = sorted(self.facts, key=rank, reverse=True)
        best = ordered[0]
        fresh = [f for f in ordered if f.entry_id not in self.used and rank(f)[:1] == rank(best)[:1]]
        chosen = fresh[0] if avoid_used and fresh else best
        self.used.add(chosen.entry_id)
        return chosen

    def shown_by(self, fact: LogFact | None) -> LevelCriterion | None:
        """The first criterion of the target level that `fact`'s entry shows."""
        if fact is None:
            return None
        return next((c for c in self.criteria if fact.entry_id in c.entries), None)

    def _next_level_shown(self, f: LogFact) -> tuple[bool, bool, bool, dt.date]:
        """Next-level work first, then work a criterion of the target level names."""
        return (f.next_level, self.shown_by(f) is not None, bool(f.metric), f.date)

    def gap(self) -> LevelCriterion | None:
        """The first criterion of the target level that no entry shows yet."""
        return next((c for c in self.criteria if not c.entries), None)

    def for_check(self, check_id: str, response_type: ResponseType) -> str:
        target, a = self.target, _article(self.target)
        if check_id == "appreciation":
            return (f"Thanks for making time today. I've really valued your support this year, "
                    f"including when {_clause(self.pick(_recent))}.")
        if check_id == "goal":
            return f"I'd like to talk about moving into the {target} role, ideally in the next cycle."
        if check_id == "evidence":
            first = self.pick(_quantified)
            second = self.pick(_quantified) if len(self.facts) > 1 else None
            both = f"{_clause(first)}, and {_clause(second)}" if second else _clause(first)
            return f"To give you the concrete picture: {both}."
        if check_id == "convincing":
            fact = self.pick(self._next_level_shown if self.criteria else _next_level)
            if shown := self.shown_by(fact):
                return (f"When {_clause(fact)}, that is what the {target} level asks for: "
                        f"{quoted(shown)}. I'd like to do it at a bigger scope.")
            return (f"When {_clause(fact)}, that was the kind of work {a} {target} owns, and I'd like "
                    f"to do it at a bigger scope.")
        if check_id == "feedback":
            if gap := self.gap():
                return (f"How do you see my readiness for {target}? The level asks for {quoted(gap)}: "
                        "what would you want to see from me there?")
            return f"How do you see my readiness for {target}? What gaps would I need to close?"
        if check_id == "timeline":
            return (f"What would a realistic timeline to {target} look like, and what should I show "
                    f"over the next six months?")
        if check_id == "close":
            return ("Thank you for the time. I'll send a short recap of what we agreed today and put a "
                    "check-in on our calendar.")
        return self._handling(response_type)

    def _handling(self, response_type: ResponseType) -> str:
        target, a = self.target, _article(self.target)
        first = _clause(self.pick(_HANDLING_RANKS[response_type]))
        gap = self.gap()
        if gap and response_type in (ResponseType.NOT_YET, ResponseType.NOT_READY):
            return (f"Could you tell me where I fall short of {quoted(gap)}, and what would show it? "
                    f"I'd build on what I did when {first}. If I show that over the next six months, "
                    f"can we revisit {target} in {self.revisit}?")
        return {
            ResponseType.YES: f"Thank you, that means a lot. Could you confirm the {target} move, the "
                              f"start date and what HR needs from me by email? I'll write the case up, "
                              f"starting with how {first}.",
            ResponseType.NOT_YET: f"Could you give me a specific example of each gap? I'd build on what I "
                                  f"did when {first}. If I show that over the next six months, can we "
                                  f"revisit {target} in {self.revisit}?",
            ResponseType.NO_BUDGET: f"I understand. Given that {first}, what would it take to create "
                                    f"{a} {target} role in the next budget round? And are there other "
                                    f"paths I should look at meanwhile?",
            ResponseType.NOT_READY: f"Can you help me understand which gaps you see, specifically? For "
                                    f"example, when {first}, what would {a} {target} have done "
                                    f"differently? I'd like to build a concrete plan.",
            ResponseType.NO_FIT: f"Thank you for being honest. I'd like to understand the path forward: "
                                 f"when {first}, what didn't fit {a} {target}, and where do you see "
                                 f"me going here?",
        }[response_type]
