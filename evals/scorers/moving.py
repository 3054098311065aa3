"""Checks for stay or go (`coach options`) and the external move kit (`coach kit`).

Options: the verdict the guidance gives for the case, explained by reasons leaning its way,
each reason true of the profile (its signals, the times passed over, the answer quoted) and
none telling a user who got a yes to build before asking again. Kit: the user's results word
for word, a claim to work at the next level only when the log shows it, the titles to
search for, and a note saying what is missing when something is.
"""

from __future__ import annotations

from typing import Any

from coach.domain.options import ANSWER_WORDS
from coach.domain.profile import Signal
from coach.domain.responses import ResponseType
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import excerpt, word_count

_SIGNAL_RULES = {"no-path": Signal.NO_PATH, "politics": Signal.POLITICS,
                 "company-stagnant": Signal.COMPANY_STAGNANT, "maxed-out": Signal.MAXED_OUT}
_STUCK = {ResponseType.NOT_YET, ResponseType.NOT_READY, ResponseType.NO_BUDGET}
_ANSWER_RULES = {"answer-yes": ResponseType.YES, "answer-not-yet": ResponseType.NOT_YET,
                 "answer-not-ready": ResponseType.NOT_READY, "answer-no-budget": ResponseType.NO_BUDGET}
_SUMMARY = {"look-outside": "look outside", "ask-again-now": "ask again now",
            "build-and-ask-again": "build and ask again"}


def _reasons(output: Output) -> list[dict[str, Any]]:
    found = output.data.get("reasons")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _passes(sample: Sample) -> int:
    profile = sample.input.profile
    return max(profile.times_passed_over, 1 if Signal.PASSED_OVER in profile.signals else 0)


def _sign_weight(sample: Sample) -> int:
    profile, passes = sample.input.profile, _passes(sample)
    weight = 2 if passes >= 3 else 1 if passes >= 2 else 0
    weight += sum(1 for s in _SIGNAL_RULES.values() if s in profile.signals)
    weight += 1 if profile.last_answer == ResponseType.NO_FIT else 0
    weight += 1 if profile.last_answer in _STUCK and passes >= 2 else 0
    return weight


def _premise(rule: str, sample: Sample) -> bool | None:
    """Whether the rule's premise is true of the profile; None when it rests on the app's own
    readiness or timing check rather than on what the user entered."""
    profile, passes = sample.input.profile, _passes(sample)
    tried = profile.last_answer is not None or passes > 0
    if rule == "passed-over-repeatedly":
        return passes >= 2
    if rule in _SIGNAL_RULES:
        return _SIGNAL_RULES[rule] in profile.signals
    if rule == "hard-no":
        return profile.last_answer == ResponseType.NO_FIT
    if rule == "same-answer-again":
        return profile.last_answer in _STUCK and passes >= 2
    if rule == "try-internal-first":
        return not tried
    if rule == "one-sign":
        return tried and _sign_weight(sample) == 1
    if rule in _ANSWER_RULES:
        return profile.last_answer == _ANSWER_RULES[rule]
    return None


@scorer("options_expected_verdict")
def expected_verdict() -> ScoreFn:
    """The verdict is the one the guidance gives for this situation (worked out by hand)."""

    def score(sample: Sample, output: Output) -> Score:
        wanted = sample.target.verdict
        if not wanted:
            return Score.na("the case names no expected verdict")
        got = output.data.get("verdict")
        return Score.verdict(got == wanted, f"verdict: {got}", f"says '{got}', the guidance says '{wanted}'",
                             str(output.data.get("summary", "")))

    return score


@scorer("options_verdict_explained")
def verdict_explained() -> ScoreFn:
    """At least one reason leans the verdict's way (to look outside: signs weighing two or
    more), and the summary is the verdict's own."""

    def score(sample: Sample, output: Output) -> Score:
        verdict = str(output.data.get("verdict", ""))
        reasons = _reasons(output)
        summary = str(output.data.get("summary", ""))
        if _SUMMARY.get(verdict, "?") not in summary.lower():
            return Score.no(f"the summary does not say '{_SUMMARY.get(verdict, verdict)}'", summary)
        leaning = [r for r in reasons if r.get("leans") == verdict]
        if verdict == "look-outside" and len(leaning) < 2 and _sign_weight(sample) < 2:
            return Score.no("says look outside on fewer than two signs", excerpt(output.text))
        if not leaning:
            return Score.no(f"no reason leans towards '{verdict}'", excerpt(output.text))
        return Score.yes(f"{len(leaning)} reasons lean towards '{verdict}'")

    return score


@scorer("options_reasons_true")
def reasons_true() -> ScoreFn:
    """Each reason's premise is true of the profile: the signals it names, the times passed
    over it counts and the answer it quotes are the ones the user entered."""

    def score(sample: Sample, output: Output) -> Score:
        profile, checked = sample.input.profile, 0
        for r in _reasons(output):
            rule, text = str(r.get("rule")), str(r.get("text", ""))
            if _premise(rule, sample) is False:
                return Score.no(f"'{rule}' does not hold for the profile as entered", text)
            if "passed over" in text and f"{_passes(sample)} time" not in text:
                return Score.no(f"'{rule}' miscounts the times passed over "
                                f"(entered: {_passes(sample)})", text)
            if "\u201c" in text:
                said = text.split("\u201c", 1)[1].split("\u201d", 1)[0]
                if profile.last_answer is None or said != ANSWER_WORDS[profile.last_answer]:
                    return Score.no(f"'{rule}' quotes an answer the user did not enter ('{said}')", text)
            checked += 1
        return Score.yes(f"{checked} reasons, each true of the profile") if checked else Score.no(
            "gives no reasons", excerpt(output.text))

    return score


@scorer("options_coherent_after_yes")
def coherent_after_yes() -> ScoreFn:
    """After a yes, no reason tells the user to build first and ask again later: the next step
    is the offer in writing (after-a-yes.md)."""

    def score(sample: Sample, output: Output) -> Score:
        if sample.input.profile.last_answer != ResponseType.YES:
            return Score.na("the last answer was not a yes")
        against = [r for r in _reasons(output) if r.get("leans") == "build-and-ask-again"]
        if against:
            return Score.no(f"after a yes, '{against[0].get('rule')}' says to build and ask again",
                            str(against[0].get("text", "")))
        return Score.yes("every reason fits a yes")

    return score


# -- the move kit ----------------------------------------------------------------------------
def _used(sample: Sample, output: Output) -> list:
    entries = {e.id: e for e in sample.input.saved_entries()}
    ids = output.data.get("entries") or []
    return [entries.get(int(i)) for i in ids]


@scorer("kit_results_verbatim")
def results_verbatim() -> ScoreFn:
    """The answer uses real log entries and quotes each one's measured result word for word."""

    def score(sample: Sample, output: Output) -> Score:
        answer = str(output.data.get("current_role", ""))
        used = _used(sample, output)
        if None in used:
            return Score.no("the answer uses an entry that is not in the log", answer)
        if not used:
            return Score.na("the log has nothing for the answer to use")
        for entry in used:
            if entry.metric and entry.metric not in answer:
                return Score.no(f"[#{entry.id}]'s result is not quoted as logged ('{entry.metric}')", answer)
        return Score.yes(f"{len(used)} entries, results quoted as logged")

    return score


@scorer("kit_level_claim_backed")
def level_claim_backed() -> ScoreFn:
    """It claims work at the target level only on entries the user marked next-level."""

    def score(sample: Sample, output: Output) -> Score:
        target = sample.input.profile.target_title
        said = f"{output.data.get('current_role', '')} {output.data.get('summary', '')}"
        claims = f"at the {target} level".lower() in said.lower() or "next-level" in said.lower()
        if not claims:
            return Score.yes("claims no next-level work")
        used = [e for e in _used(sample, output) if e is not None]
        unbacked = [e for e in used if not e.next_level]
        if not used or unbacked:
            which = f" (e.g. [#{unbacked[0].id}] is not marked next-level)" if unbacked else ""
            return Score.no(f"claims work at the {target} level without next-level entries{which}",
                            said[:200])
        return Score.yes(f"the claim rests on {len(used)} next-level entries")

    return score


@scorer("kit_titles")
def titles() -> ScoreFn:
    """The answer names the current and the target title; the search list starts with the
    target title and never holds the title the user has now."""

    def score(sample: Sample, output: Output) -> Score:
        profile = sample.input.profile
        answer = str(output.data.get("current_role", ""))
        found = [str(t) for t in output.data.get("search_titles") or []]
        for title in (profile.current_title, profile.target_title):
            if title not in answer:
                return Score.no(f"the answer never names '{title}'", answer)
        if not found or found[0] != profile.target_title:
            return Score.no("the titles to search for do not start with the target title", ", ".join(found))
        if profile.current_title.lower() in (t.lower() for t in found):
            return Score.no("suggests searching for the title the user already has", ", ".join(found))
        return Score.yes("titles right", ", ".join(found))

    return score


@scorer("kit_says_what_is_missing")
def says_what_is_missing() -> ScoreFn:
    """A note says what is missing when it is (an empty log, no next-level entry, a result
    not measured), and no note claims something is missing when it is not."""

    def score(sample: Sample, output: Output) -> Score:
        notes = " ".join(str(n) for n in output.data.get("notes") or []).lower()
        entries = sample.input.entries
        used = [e for e in _used(sample, output) if e is not None]
        due = {"log is empty": not entries, "marked next-level": not any(e.next_level for e in entries),
               "measured result": any(not e.metric for e in used)}
        for words, missing in due.items():
            if missing and words not in notes:
                return Score.no(f"does not say what is missing (expected a note about '{words}')",
                                notes or "(no notes)")
            if not missing and words in notes:
                return Score.no(f"a note about '{words}' that is not true of the log", notes)
        return Score.yes("notes match the log" if any(due.values()) else "nothing missing, no notes")

    return score


@scorer("kit_summary_short")
def summary_short(limit: int = 45) -> ScoreFn:
    """The profile summary is short enough for a profile page."""

    def score(sample: Sample, output: Output) -> Score:
        summary = str(output.data.get("summary", ""))
        count = word_count(summary)
        if not count:
            return Score.no("no profile summary", excerpt(output.text))
        return Score.verdict(count <= limit, f"{count} words", f"{count} words (limit {limit})", summary)

    return score
