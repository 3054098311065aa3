"""Facts first: the rules of the guidance that answer a chat question without the model.

Each `Rule` fires on words the domain knows (`vocabulary`), takes a fixed stance and says so
in our own words, tied to the guide section it rests on; `advise` applies the rule that fires
to the user's own profile and log, and `route` tells retrieval which guide to put first.
"""

from coach.domain.advice.advise import RULES, advise, matching_rules, pick_rule, route
from coach.domain.advice.rule import Advice, AdviceLine, GuideRef, Origin, Rule, Stance

__all__ = ["RULES", "Advice", "AdviceLine", "GuideRef", "Origin", "Rule", "Stance", "advise",
           "matching_rules", "pick_rule", "route"]
