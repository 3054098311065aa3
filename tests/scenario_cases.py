"""The two scenario role-plays' shared cases: who the user is, the offer they saved, the scripts,
and the check that a shown counterpart line is in role.

The check is made here, after the meeting and apart from the session's own guard, so a guard
that let a bad line through cannot also pass it here. Used by tests/test_scenario_recorded.py
(recorded, in CI) and bench/bench_scenarios.py (live).
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.assets import scripts_dir
from coach.domain.offer import OfferChanges
from coach.domain.roleplay import ResponseType, RoleBreak, RoleGuard
from coach.domain.text import figures_not_in, numbers_in, words
from coach.services.offer import get_offer, set_offer
from coach.services.roleplay import load_script
from tests.test_roleplay_sessions import TODAY, seed_user

SCENARIOS = ("offer", "interview")
DIFFICULTIES = ("easy", "realistic", "tough")
VARIANTS = ("strong", "weak")
SEED = 7  # the recorded sessions' seed: the same counterpart, opening and plan every run
MARGIN = 0.3  # how far a strong script must score above the weak one
# The offer as the user noted it before the conversation: every figure a counterpart may say.
OFFER = OfferChanges(title="Engineering Manager", salary="$150k",
                     scope="the payments team of six engineers and its roadmap",
                     benefits="a 10% bonus and an equity refresh", start="2025-10-01")
# What "in role" means for a shown line: the counterpart speaking, to the user, as speech.
OUT_OF_ROLE = frozenset({RoleBreak.EMPLOYEE_VOICE, RoleBreak.COACHING, RoleBreak.META, RoleBreak.EMPTY,
                         RoleBreak.FORMAT, RoleBreak.THIRD_PERSON})

__all__ = ["DIFFICULTIES", "MARGIN", "OFFER", "SCENARIOS", "SEED", "TODAY", "VARIANTS", "entered_figures",
           "out_of_role", "script_lines", "seed_person"]


def seed_person(ctx) -> None:
    """The role-play tests' person (profile and log) with an offer saved, figures and all."""
    seed_user(ctx)
    set_offer(ctx, OFFER, today=TODAY)


def script_lines(scenario: str, difficulty: str, variant: str) -> list[str]:
    return load_script(scripts_dir() / f"{scenario}-{difficulty}-{variant}.txt")


def entered_figures(ctx, said: Sequence[str] = ()) -> set[str]:
    """Every figure the user entered: profile, log, saved offer, and their own lines."""
    texts = [ctx.store.get_profile().model_dump_json()]
    texts += [e.model_dump_json() for e in ctx.store.list_entries()]
    offer = get_offer(ctx)
    texts += [offer.model_dump_json()] if offer else []
    return set().union(*(numbers_in(t) for t in [*texts, *said]))


def out_of_role(text: str, before: Sequence[str], ctx, counterpart: str, allowed: set[str]) -> list[str]:
    """Why a shown counterpart line is not in role ([] when it is): it speaks as the user (or
    names the manager it is), coaches, talks about the prompt, reads like a document, narrates,
    says a line again, uses a stand-in for the user's name, or states a figure the user never
    entered. `counterpart`: who the user talks to ('manager', 'HR partner', 'interviewer')."""
    profile = ctx.store.get_profile()
    name = profile.manager_name if counterpart == "manager" else ""  # only the manager is named
    guard = RoleGuard(response_type=ResponseType.YES, manager_name=name, user_name=profile.name,
                      max_sentences=50, max_chars=10_000)
    verdict = guard.check(text)
    broken = [str(b) for b in verdict.breaks if b in OUT_OF_ROLE]
    problems = [f"{', '.join(broken)} ({'; '.join(verdict.reasons)})"] if broken else []
    if not text.strip():
        problems.append("empty")
    if words(text) in [words(b) for b in before]:
        problems.append("said before")
    if not profile.name and ", there" in text.lower():
        problems.append("a stand-in for the user's name")
    if invented := figures_not_in(text, allowed):
        problems.append(f"figures the user never entered: {', '.join(invented)}")
    return problems
