"""What the people who decide add to the timing check: one reason, or none.

Kept apart from `stakeholders.py` so that readiness (which timing imports) can use the
people's plan steps without an import cycle.
"""

from __future__ import annotations

import datetime as dt

from coach.domain.stakeholders import WHO_DECIDES, Influence, Person, Relationship, ordered
from coach.domain.timing import Reason


def timing_reason(people: list[Person], today: dt.date) -> Reason | None:
    """A reason about the deciders: 'good' when one of them knows the work well, 'wait' when
    every decider on the list barely knows it. Nothing when no decider is listed (or nobody
    at all): the list is then too thin to say anything about the moment."""
    deciders = ordered([p for p in people if p.influence is Influence.HIGH], today)
    if not deciders:
        return None
    where = f"({WHO_DECIDES.label()})"
    close = [p for p in deciders if p.relationship is Relationship.STRONG]
    if close:
        return Reason(rule="decider-knows-you", signal_or_fact=f"{close[0].name} knows your work",
                      effect="good", text=f"{close[0].name}, who has a big say in the decision, "
                      f"knows your work well: your manager will not argue for a stranger {where}.")
    if all(p.relationship in (Relationship.WEAK, Relationship.NONE) for p in deciders):
        names = ", ".join(p.name for p in deciders)
        return Reason(rule="deciders-do-not-know-you",
                      signal_or_fact=f"deciders who barely know your work: {names}",
                      effect="wait", text=f"The people who decide ({names}) barely know your "
                      "work: get a result in front of them first, or your manager argues for "
                      f"someone they have never heard of {where}.")
    return None  # deciders who know of the work, none well: the plan says what to do
