"""Checks any output kind can use: faithful figures, no hostility, no echoed prompt, length,
named target phrases, greeting and sign-off."""

from __future__ import annotations

import re

from coach.domain import guard
from coach.domain.guard import Facts
from coach.evals.schema import Output, Sample, Score
from coach.evals.scorers import ScoreFn, scorer
from coach.evals.scorers.text import DATE_RE, body_lines, excerpt, search, word_count


def facts_for(sample: Sample, output: Output | None = None, allow: tuple = ()) -> Facts:
    """What an output may state: the user's profile, log and task text, the date, cited passages."""
    task, profile = sample.input.task, sample.input.profile
    extra = [task.notes, task.reason, task.offer, task.question, *task.user_turns,
             *user_text_of(sample)]
    if output is not None:
        extra += [c.text for c in output.citations]
    facts = guard.facts_from(profile, sample.input.saved_entries(), *extra)
    today = sample.input.today
    facts.allow_numbers(today.year, today.year + 1, today.day, today.month, *allow)
    if profile.review_month:
        facts.allow_numbers(profile.review_month)
    return facts


def user_text_of(sample: Sample) -> list[str]:
    """What the user typed about their offer and the people who decide (issue 21 inputs)."""
    task, profile = sample.input.task, sample.input.profile
    texts = [str(profile.times_passed_over)] if profile.times_passed_over else []
    if task.offer_terms is not None:
        texts += [v for v in task.offer_terms.model_dump(exclude={"in_writing"}).values() if v]
    for person in task.stakeholders:
        texts += [person.name, person.role, person.cares_about]
        texts += [f"{i.date.isoformat()} {i.note}" for i in person.interactions]
    return texts


def _first_line(violations: list[guard.Violation]) -> str:
    return "; ".join(v.detail for v in violations[:3])


# "1. Open with appreciation", "## 2. Evidence" and chat markers "[2]": numbering, not claims.
_LIST_NUMBER = re.compile(r"^\s*(?:#+\s*)?\d{1,2}[.)]\s+|\[\d{1,2}\]", re.MULTILINE)
# Lines the app's own skeleton writes around citations: warning flags and "X: see [#n]".
_SKELETON_LINE = re.compile(r"^\s*>.*$|^.*:\s+see(\s+\[#\d+\])+\s*$", re.MULTILINE)


@scorer("no_invented_numbers")
def no_invented_numbers(allow: list[int | str] | None = None, field: str = "text") -> ScoreFn:
    """Every figure in the output is one the user gave (or a stock figure the guidance uses)."""

    def score(sample: Sample, output: Output) -> Score:
        text = output.manager_text() if field == "manager" else output.text
        facts = facts_for(sample, output, tuple(allow or ()))
        bad = guard.invented_numbers(_LIST_NUMBER.sub("", DATE_RE.sub(" ", text)), facts)
        if not bad:
            return Score.yes("every figure comes from the user's inputs")
        figure = bad[0].detail.split()[2]
        match = re.search(rf"(?<![\w.])[$€£]?{re.escape(figure)}", text)
        return Score.no(_first_line(bad), excerpt(text, match, 60),
                        invented=[v.detail for v in bad])

    return score


@scorer("citations_valid")
def citations_valid() -> ScoreFn:
    """Log citations like [#3] point at real entries that say what the sentence says."""

    def score(sample: Sample, output: Output) -> Score:
        if not guard.CITE_RE.search(output.text):
            return Score.na("the output cites no log entries")
        prose = _SKELETON_LINE.sub("", output.text)
        problems = guard.citation_problems(prose, facts_for(sample, output))
        if not problems:
            return Score.yes("every [#id] exists and matches its sentence")
        ref = re.search(r"\[#\d+\]", problems[0].detail)
        anchor = search(re.escape(ref.group(0)) if ref else r"\[#\d+\]", output.text)
        return Score.no(_first_line(problems), excerpt(output.text, anchor, 70))

    return score


# Beyond the guard's list: words that run down the role, the team or the company.
_DISPARAGING = re.compile(
    r"\b(beneath me|not worth (it|my)|waste|toxic|dead[- ]end|bad manager|no way|"
    r"obviously|frankly|you should have|you never|you always|i deserve|owed)\b",
    re.IGNORECASE,
)


@scorer("no_hostile")
def no_hostile(field: str = "text") -> ScoreFn:
    """No phrase that burns a bridge: threats, blame, contempt for the role or the people."""

    def score(sample: Sample, output: Output) -> Score:
        text = output.manager_text() if field == "manager" else output.text
        hits = guard.hostile_phrases(text)
        if hits:
            phrase = hits[0].detail.split("'")[1]
            return Score.no(hits[0].detail, excerpt(text, search(re.escape(phrase), text), 60))
        if m := _DISPARAGING.search(text):
            return Score.no(f"'{m.group(0)}' reads as disparaging", excerpt(text, m, 60))
        return Score.yes("the tone stays professional")

    return score


@scorer("no_echo")
def no_echo(field: str = "text") -> ScoreFn:
    """The output does not repeat the prompt's own labels or instructions."""

    def score(sample: Sample, output: Output) -> Score:
        text = output.manager_text() if field == "manager" else output.text
        if m := guard.ECHO_MARKERS.search(text):
            return Score.no(f"the output repeats the prompt ('{m.group(0).strip()}')", excerpt(text, m, 60))
        return Score.yes("no prompt text repeated")

    return score


@scorer("max_words")
def max_words(limit: int) -> ScoreFn:
    """Short enough to read in one go."""

    def score(sample: Sample, output: Output) -> Score:
        count = word_count(output.text)
        return Score.verdict(count <= limit, f"{count} words (limit {limit})",
                             f"{count} words, over the limit of {limit}", excerpt(output.text))

    return score


@scorer("mentions_target")
def mentions_target() -> ScoreFn:
    """Names every phrase the case's target says a good output must mention."""

    def score(sample: Sample, output: Output) -> Score:
        wanted = sample.target.must_mention
        if not wanted:
            return Score.na("the case names nothing that must be mentioned")
        missing = [w for w in wanted if w.lower() not in output.text.lower()]
        return Score.verdict(not missing, f"mentions {', '.join(wanted)}",
                             f"does not mention {', '.join(missing)}", excerpt(output.text))

    return score


@scorer("names_title")
def names_title(field: str = "target_title") -> ScoreFn:
    """Names the exact title from the profile (the target title unless told otherwise)."""

    def score(sample: Sample, output: Output) -> Score:
        title = getattr(sample.input.profile, field)
        ok = title.lower() in output.text.lower()
        return Score.verdict(ok, f"names '{title}'", f"never names the exact title '{title}'",
                             excerpt(output.text))

    return score


_GREETING = re.compile(r"^(hi|hello|dear|hey|good (morning|afternoon))\b", re.IGNORECASE)


@scorer("greets_recipient")
def greets_recipient() -> ScoreFn:
    """Opens with a greeting, by name when the manager's name is known."""

    def score(sample: Sample, output: Output) -> Score:
        lines = body_lines(output.text)
        if not lines:
            return Score.no("the email is empty")
        first = lines[0]
        if not _GREETING.search(first):
            return Score.no("does not open with a greeting", first[:120])
        name = sample.input.task.recipient or sample.input.profile.manager_name
        first_name = name.split()[0] if name else ""
        if first_name and first_name.lower() not in first.lower():
            return Score.no(f"the greeting does not name {first_name}", first[:120])
        return Score.yes("greets the recipient", first[:120])

    return score


_SIGN_OFF = re.compile(r"^(best|thanks|thank you|kind regards|regards|cheers|warmly|many thanks|"
                       r"all the best|sincerely|best wishes)\b", re.IGNORECASE)


@scorer("signed_by_user")
def signed_by_user() -> ScoreFn:
    """Ends with a sign-off and the user's name (n/a when the profile has no name)."""

    def score(sample: Sample, output: Output) -> Score:
        name = sample.input.profile.name
        if not name:
            return Score.na("the profile has no name to sign with")
        tail = body_lines(output.text)[-3:]
        first_name = name.split()[0].lower()
        if any(first_name in line.lower() for line in tail):
            return Score.yes("signed with the user's name", " / ".join(tail))
        if any(_SIGN_OFF.search(line) for line in tail):
            return Score.no(f"signs off without {name.split()[0]}'s name", " / ".join(tail))
        return Score.no("no sign-off with the user's name", " / ".join(tail))

    return score
