"""The scenario scorecards, decided by rules on the user's own lines (no judge).

Each check is a yes/no question about what the user said, with the quote it rests on; a "no"
always says what was missing and why it matters, tied to the guidance; `improved` is a stronger
line built from the user's own data (the saved offer, the kit's answer, the log).

- offer: thanks, time-to-decide, pay, scope, benefits, start-date, in-writing
  (the follow-through guidance: read the package, pin it down, get it in writing; thank them).
- interview: framing, evidence, why-move (telling your story in interviews).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.domain.evidence import Entry
from coach.domain.kit import build_kit
from coach.domain.offer import Offer
from coach.domain.profile import Profile
from coach.domain.responses import Difficulty
from coach.domain.roleplay.facts import LogFact
from coach.domain.roleplay.meeting import Turn, cited_entries, evidence_figures, mentions_target
from coach.domain.roleplay.scorecard import CheckResult, Scorecard, Verdict
from coach.domain.scenario.offer_plan import VOLUNTEERS, spoken_date
from coach.domain.scenario.topics import (
    ACCEPTS,
    CURRENT_ROLE,
    FORWARD,
    LEVEL_CLAIM,
    OFFER_TOPICS,
    THANKS,
    bad_mouthing,
)
from coach.domain.text import numbers_in, sentences

DIFFICULTIES = frozenset(d.value for d in Difficulty)
OFFER_STEPS: dict[str, str] = {
    "thanks": "Thanked them for the offer",
    "time-to-decide": "Asked for time to decide",
    "pay": "Pinned down the pay",
    "scope": "Pinned down the scope",
    "benefits": "Asked about the rest of the package",
    "start-date": "Pinned down the start date",
    "in-writing": "Asked for it in writing",
}
INTERVIEW_STEPS: dict[str, str] = {
    "framing": "Framed the current role at the next level",
    "evidence": "Backed it with a result from the log",
    "why-move": "Gave a forward-looking reason to move",
}
SCENARIO_STEPS = {"offer": OFFER_STEPS, "interview": INTERVIEW_STEPS}
# Which saved offer field each topic is, and what is lost without it (the follow-through guide).
_WHY = {
    "pay": "the guidance says to check the package before you accept: the salary or band, compared "
           "with market pay for the new level, not your current pay plus a step",
    "scope": "the responsibilities that change belong in the written confirmation; agreeing to a title "
             "without them leaves what you own open to memory",
    "benefits": "the guidance says to weigh the whole package (bonus, equity, benefits, flexibility), "
                "not the base pay alone",
    "start-date": "the date the change takes effect belongs in the written confirmation; without it an "
                  "approval can stall with nothing to point to",
    "in-writing": "a written record protects you both if memories differ, approvals stall or your "
                  "manager moves on before the change goes through",
}


def _card(checks: list[CheckResult], difficulty: str) -> Scorecard:
    # Scorecard's response type is the promotion meeting's; a scenario has no manager's answer, so it
    # carries `yes` (an offer is a yes) and the faces show the scenario instead.
    return Scorecard(difficulty=difficulty, checks=checks)


def _check(check_id: str, steps: dict[str, str], verdict: Verdict, quote: str, reason: str,
           improved: str = "") -> CheckResult:
    return CheckResult(id=check_id, step=steps[check_id], verdict=verdict, quote=quote, reason=reason,
                       improved=improved)


def _first(lines: Sequence[str], pattern: re.Pattern[str]) -> str:
    """The first sentence of the user's lines that matches, else the first whole line that does."""
    for line in lines:
        for sentence in sentences(line) or [line]:
            if pattern.search(sentence):
                return sentence
    return next((line for line in lines if pattern.search(line)), "")


# -- the offer ---------------------------------------------------------------------------------
def _offer_improved(topic: str, offer: Offer | None) -> str:
    role = f"the {offer.title} role" if offer else "the new role"
    if topic == "pay":
        if offer and offer.salary:
            return (f"Can you confirm the base salary is {offer.salary.text}, and whether bonus or equity "
                    "change with it? I'd like to compare it with market pay for the level.")
        return "What is the new salary or pay band, and do bonus or equity change with it?"
    if topic == "scope":
        if offer and offer.scope:
            return (f"Can you confirm the scope: I'd own {offer.scope.rstrip('.')}? Does anything else "
                    "change in what I'm responsible for?")
        return f"Which responsibilities change with {role}, and what will I own from day one?"
    if topic == "benefits":
        if offer and offer.benefits:
            return (f"On the rest of the package: is it {offer.benefits.rstrip('.')}, and does anything "
                    "else change, such as equity, benefits or flexibility?")
        return "Does anything else change with it: bonus, equity, benefits or flexibility?"
    if topic == "start-date":
        if offer and offer.start:
            return (f"Can you confirm it takes effect on {spoken_date(offer.start)}, and who else still has "
                    "to approve it before then?")
        return "From what date does the change take effect, and who else has to approve it before then?"
    parts = [f"the {offer.title} title" if offer else "the new title"]
    if offer and offer.salary:
        parts.append(f"the {offer.salary.text} salary")
    if offer and offer.start:
        parts.append(f"the {spoken_date(offer.start)} start date")
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return f"Could you confirm {listed} in a short email, so we both have it in writing?"


def _stated_first(turns: Sequence[Turn], topic: str, volunteered: Sequence[str]) -> bool:
    """The counterpart stated the fact (in the opening, or by the plan's move) before the user
    raised it: nothing was left to ask. Read from the moves the plan recorded, not the words."""
    pattern = OFFER_TOPICS[topic]
    for turn in turns:
        if turn.speaker == "you" and not turn.move and pattern.search(turn.text):
            return False
        if turn.speaker == "manager" and (turn.move in (topic, f"nofact-{topic}")
                                          or (turn.move == "opening" and topic in volunteered)):
            return True
    return False


def score_offer(turns: Sequence[Turn], offer: Offer | None, difficulty: str) -> Scorecard:
    """The offer conversation's checks, every one decided from the user's own lines."""
    lines = [t.text for t in turns if t.speaker == "you" and not t.move]
    steps = OFFER_STEPS
    title = f"the {offer.title}" if offer else "this"
    volunteered = VOLUNTEERS.get(Difficulty(difficulty), ()) if difficulty in DIFFICULTIES else ()
    checks: list[CheckResult] = []
    if quote := _first(lines, THANKS):
        checks.append(_check("thanks", steps, Verdict.YES, quote, "thanked them for the offer"))
    else:
        checks.append(_check("thanks", steps, Verdict.NO, lines[0] if lines else "",
                             "you never thanked them: whatever you decide, thank them for the offer and "
                             "their confidence in you first; the rest of the talk goes better for it",
                             f"Thank you, I really appreciate {title} offer and your confidence in me."))
    time_quote = _first(lines, OFFER_TOPICS["time-to-decide"])
    accepted = _first(lines, ACCEPTS)
    if time_quote:
        checks.append(_check("time-to-decide", steps, Verdict.YES, time_quote,
                             "asked for time to read the package"))
    else:
        why = ("you accepted on the spot without asking for time" if accepted
               else "you never asked for time to decide")
        checks.append(_check("time-to-decide", steps, Verdict.NO, accepted,
                             f"{why}: the guidance says to take time to read the numbers before you accept; "
                             "asking for a day or two is normal and costs nothing",
                             "Thank you. Could I take a couple of days to read the details and come back to "
                             "you by the end of the week?"))
    for topic in ("pay", "scope", "benefits", "start-date", "in-writing"):
        pattern = OFFER_TOPICS[topic]
        if quote := _first(lines, pattern):
            what = steps[topic].split(" ", 2)[-1]
            checks.append(_check(topic, steps, Verdict.YES, quote, f"raised {what}"))
        elif topic not in ("in-writing", "pay") and _stated_first(turns, topic, volunteered):
            checks.append(_check(topic, steps, Verdict.NA, "", "they stated it before you had to ask"))
        else:
            checks.append(_check(topic, steps, Verdict.NO, "",
                                 f"you did not raise {steps[topic].split(' ', 2)[-1]}: {_WHY[topic]}",
                                 _offer_improved(topic, offer)))
    return _card(checks, difficulty)


# -- the interview -----------------------------------------------------------------------------
def _answers(turns: Sequence[Turn], start: str, stop: Sequence[str]) -> list[str]:
    """The user's lines after the interviewer's `start` move and before any of `stop`."""
    out, on = [], False
    for turn in turns:
        if turn.speaker == "manager" and turn.move:
            on = turn.move == start or (on and turn.move not in stop)
        elif turn.speaker == "you" and on and not turn.move:
            out.append(turn.text)
    return out


def _deed(fact: LogFact) -> str:
    title = fact.title.strip().rstrip(".")
    first = title.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        title = title[:1].lower() + title[1:]
    return f"{title} ({fact.metric})" if fact.metric else title


def score_interview(turns: Sequence[Turn], profile: Profile, entries: Sequence[Entry],
                    facts: Sequence[LogFact], difficulty: str) -> Scorecard:
    """The interview's checks, decided from the user's own lines; better lines from the kit and log."""
    steps = INTERVIEW_STEPS
    lines = [t.text for t in turns if t.speaker == "you" and not t.move]
    kit = build_kit(profile, list(entries))
    checks: list[CheckResult] = []
    role = _answers(turns, "opening", ("evidence", "why-move", "questions", "close")) or lines[:1]
    said = " ".join(role)
    has_current = bool(CURRENT_ROLE.search(said)) or mentions_target(said, profile.current_title)
    has_level = bool(LEVEL_CLAIM.search(said)) or mentions_target(said, profile.target_title)
    has_deeds = bool(cited_entries(said, facts)) or bool(evidence_figures(said))
    missing = [what for what, ok in (("your current title", has_current),
                                     (f"the level you work at ({profile.target_title})", has_level),
                                     ("the work that shows it, from your log", has_deeds)) if not ok]
    framed = [s for line in reversed(role) for s in sentences(line) or [line]
              if LEVEL_CLAIM.search(s) or CURRENT_ROLE.search(s)]
    quote = framed[0] if framed else next((s for line in role for s in sentences(line)), "")
    if not missing:
        checks.append(_check("framing", steps, Verdict.YES, quote,
                             "said the title you have, the level you work at and the work that shows it"))
    else:
        checks.append(_check("framing", steps, Verdict.NO, quote,
                             f"your answer left out {' and '.join(missing)}: the guidance's framing is "
                             "'currently X, operating at the Y level by doing A, B, C', so the interviewer "
                             "hears that the title is what is missing, not the experience",
                             kit.current_role))
    checks.append(_evidence(lines, facts, steps))
    answers = _answers(turns, "why-move", ("questions", "respond", "close"))
    after = _answers(turns, "why-move", ())  # a reason given a turn late still counts
    checks.append(_why_move(answers, after, lines, profile, facts, steps))
    return _card(checks, difficulty)


def _evidence(lines: Sequence[str], facts: Sequence[LogFact], steps: dict[str, str]) -> CheckResult:
    best = next((f for f in facts if f.next_level and f.metric), next((f for f in facts if f.metric),
                                                                     facts[0] if facts else None))
    improved = f"For example, I {_deed(best)}." if best else ""
    half: tuple[str, LogFact] | None = None
    for line in lines:
        for fact in cited_entries(line, facts):
            wanted = numbers_in(fact.metric)
            quote = next((s for s in sentences(line) if cited_entries(s, [fact])), line)
            if not wanted or wanted & evidence_figures(line):
                return _check("evidence", steps, Verdict.YES, quote, f"named '{fact.title}'"
                              + (f" with its result ({fact.metric})" if fact.metric else ""))
            half = half or (quote, fact)
    if half:
        quote, fact = half
        return _check("evidence", steps, Verdict.NO, quote,
                      f"you named '{fact.title}' but not its result ({fact.metric}): back each claim with "
                      "the result from your log, or it sounds like a task, not an outcome",
                      f"I {_deed(fact)}.")
    figures = sorted({f for line in lines for f in evidence_figures(line)})
    if figures:
        quote = next((s for line in lines for s in sentences(line) if evidence_figures(s)), "")
        return _check("evidence", steps, Verdict.YES, quote,
                      f"gave a result with a figure ({', '.join(figures[:3])}); it is not in your log yet, "
                      "so log it to keep your story and your CV the same")
    return _check("evidence", steps, Verdict.NO, "",
                  "you named no result from your log: the guidance says to back each claim in the story "
                  "with a result, so the interviewer has something to check and remember"
                  + ("" if facts else "; your log is empty, so log a few results first"), improved)


def _why_move(answers: Sequence[str], after: Sequence[str], lines: Sequence[str], profile: Profile,
              facts: Sequence[LogFact], steps: dict[str, str]) -> CheckResult:
    """Read in the answer to "why move"; running down the employer counts wherever it is said, and
    a reason given before the question counts too. No answer and no reason: not applicable."""
    target = profile.target_title
    nxt = next((f for f in facts if f.next_level), facts[0] if facts else None)
    improved = (f"I'm looking for a role where the title matches the work I already do: {target}-level "
                f"work like when I {_deed(nxt)}." if nxt else
                f"I'm looking for a {target} role where the title matches the work I already do.")
    for line in lines:
        if bad := bad_mouthing(line):
            quote = next((s for s in sentences(line) if bad_mouthing(s)), line)
            return _check("why-move", steps, Verdict.NO, quote,
                          f"you ran down your current employer or manager ('{bad}'): an interviewer hears "
                          "how you would talk about them; say what you are moving toward, not away from",
                          improved)
    if quote := _first(answers, FORWARD) or _first(after or lines, FORWARD):
        return _check("why-move", steps, Verdict.YES, quote, "said what you are moving toward")
    if not answers:
        return _check("why-move", steps, Verdict.NA, "", "the interview ended before you answered why you "
                      "want to move")
    return _check("why-move", steps, Verdict.NO, answers[0],
                  "you did not say what you are moving toward: the guidance's answer is a role where the "
                  "title matches the work you already do, said without complaint", improved)
