"""The guard: checks model prose against the user's own facts before anyone sees it.

A small model invents figures, cites entries that do not exist, names projects nobody
ran, slips into the wrong voice and echoes its prompt. Each check here returns
`Violation`s; a feature re-asks once with them, then falls back to its deterministic
draft and says why (`notice_for`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.domain.text import numbers_in

CITE_RE = re.compile(r"\[#(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z]+(?:[-'][A-Za-z]+)*\b")

# Words any prose may capitalise mid-sentence without it being an invented name.
COMMON_CAPITALISED = frozenset("""
i i'm i've i'd i'll ok okay q1 q2 q3 q4 hr ceo cto cfo coo vp okr okrs kpi kpis ai api ui ux
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""".split())

STOPWORDS = frozenset("""
about above after again also because been before being between both could does doing during
each from have having here into itself just more most other over same should some such than
that their them then there these they this those through under until very were what when where
which while will with would your yours mine ours team work worked working made make
""".split())

HOSTILE_PATTERNS = [
    r"\bunfair(ly)?\b", r"\bridiculous\b", r"\binsult(ing|ed)?\b", r"\bunacceptable\b",
    r"\bdisrespect\w*", r"\bbetray\w*", r"\bincompeten\w*", r"\bstupid\b", r"\bhate\b",
    r"\bwaste of (my )?time\b", r"\bi (will|would|am going to) (quit|leave|resign)\b",
    r"\bor i('ll| will) (quit|leave|resign)\b", r"\bultimatum\b", r"\blawyer\b",
    r"\bdemand(s|ed)?\b", r"\bnever again\b", r"\bdisappointed in you\b", r"\bshame\b",
    r"\bjoke\b", r"\bpathetic\b", r"\bterrible\b", r"\bfed up\b", r"\bangry\b",
]
_HOSTILE = [re.compile(p, re.IGNORECASE) for p in HOSTILE_PATTERNS]

# Labels from our own prompts: seeing them in a reply means the model echoed the prompt.
# Prompt text read back: section labels at a line start, instructions, the role line, chat
# tokens. Whole words only: "if you are available" in an email is not an echo of "You are a".
ECHO_MARKERS = re.compile(
    r"(?m)^\s*(?:FACTS|RULES)\s*:"
    r"|\b[Rr]eturn JSON\b|\b[Rr]eply (?:only )?(?:with|in) JSON\b"
    r"|\b[Yy]ou are an? (?:helpful |promotion |career |writing )?"
    r"(?:coach|assistant|AI|language model)\b"
    r"|<\|im_")


class Violation(BaseModel):
    """One rule the model's text broke; `phrase` is how a notice names it."""

    code: str
    detail: str
    phrase: str

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


@dataclass
class Facts:
    """What the model may use: figures, entry ids and words from the user's inputs."""

    numbers: set[str] = field(default_factory=set)
    entries: dict[int, Entry] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)

    def allow_text(self, *texts: str) -> Facts:
        """Add the figures and words of texts the domain itself wrote (skeleton, dates)."""
        for text in texts:
            self.numbers |= _with_plain_ints(numbers_in(strip_citations(text)))
            self.vocabulary |= words_of(text)
        return self

    def allow_numbers(self, *values: int | str) -> Facts:
        self.numbers |= {str(v) for v in values}
        return self


def strip_citations(text: str) -> str:
    return CITE_RE.sub(" ", text)


def words_of(text: str) -> set[str]:
    return {w.lower().strip("'-") for w in _WORD.findall(text)}


def content_words(text: str) -> set[str]:
    """Words that carry meaning: four letters or more, not a stopword, lightly stemmed."""
    return {stem(w) for w in words_of(text) if len(w) >= 4 and w not in STOPWORDS}


def stem(word: str) -> str:
    """A crude stem so 'promotion'/'promotions' and 'mentored'/'mentoring' meet."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _with_plain_ints(found: set[str]) -> set[str]:
    # '03' from an ISO date and '3' in prose are the same day.
    extra = {str(int(n)) for n in found if n.isdigit()}
    return found | extra


def entry_text(entry: Entry) -> str:
    return f"{entry.title}\n{entry.description}\n{entry.metric}\n{entry.date.isoformat()}"


def facts_from(profile: Profile, entries: Iterable[Entry], *extra: str) -> Facts:
    """The facts of a profile, its log and any extra user text (e.g. a pasted summary)."""
    entries = list(entries)
    facts = Facts(entries={e.id: e for e in entries})
    profile_text = " ".join([profile.name, profile.manager_name, profile.current_title,
                             profile.target_title, str(profile.months_in_role)])
    facts.allow_text(profile_text, *(entry_text(e) for e in entries), *extra)
    return facts


def invented_numbers(text: str, facts: Facts) -> list[Violation]:
    """Figures in `text` that appear nowhere in the facts."""
    found = numbers_in(strip_citations(text))
    bad = sorted(n for n in found if n not in facts.numbers and n.lstrip("0") not in facts.numbers)
    return [Violation(code="invented-number", detail=f"the figure {n} is not in your inputs",
                      phrase=f"invented a figure ({n})") for n in bad]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def citation_problems(text: str, facts: Facts) -> list[Violation]:
    """Unknown entry ids, and sentences whose words or figures do not match the cited entry."""
    problems: list[Violation] = []
    for sentence in _sentences(text):
        ids = [int(i) for i in CITE_RE.findall(sentence)]
        if not ids:
            continue
        unknown = [i for i in ids if i not in facts.entries]
        for i in unknown:
            problems.append(Violation(code="unknown-entry", detail=f"[#{i}] is not in your log",
                                      phrase=f"cited an entry that does not exist ([#{i}])"))
        known = [facts.entries[i] for i in ids if i in facts.entries]
        if not known:
            continue
        bare = strip_citations(sentence)
        cited_words = set().union(*(words_of(entry_text(e)) for e in known))
        content = {w for w in words_of(bare) if len(w) >= 4 and w not in STOPWORDS}
        if content and not content & cited_words:
            refs = ", ".join(e.cite() for e in known)
            problems.append(Violation(code="citation-mismatch",
                                      detail=f"'{bare.strip()[:80]}' does not describe {refs}",
                                      phrase=f"described {refs} as something it is not"))
        cited_numbers = _with_plain_ints(set().union(*(numbers_in(entry_text(e)) for e in known)))
        for n in sorted(numbers_in(bare) - cited_numbers):
            if n in facts.numbers:  # a figure from another fact, attributed to this entry
                problems.append(Violation(
                    code="citation-mismatch", detail=f"the figure {n} is not in the cited entry",
                    phrase=f"attached the figure {n} to the wrong entry"))
    return problems


def invented_names(text: str, facts: Facts) -> list[Violation]:
    """Capitalised names mid-sentence that the user never wrote (projects, tools, people)."""
    seen: list[str] = []
    for sentence in _sentences(strip_citations(text)):
        for clause in re.split(r"[:;\u2014]\s*|\s-\s", sentence):
            words = list(_CAPITALISED.finditer(clause))
            for match in words:
                if match.start() == len(clause) - len(clause.lstrip(" *\"'(-")):
                    continue  # first word of a sentence or clause
                word = match.group(0)
                low = word.lower()
                if low in facts.vocabulary or low in COMMON_CAPITALISED or word in seen:
                    continue
                seen.append(word)
    return [Violation(code="invented-name", detail=f"'{w}' does not appear in your inputs",
                      phrase=f"named something that is not in your log ({w})") for w in seen]


# A sentence about the future: what the user will do, plan or focus on.
_FUTURE = re.compile(r"\b(?:will|shall|going to|plan to|intend to|aim to|'ll)\b", re.IGNORECASE)
DONE_OVERLAP = 2  # content words a future sentence shares with a finished entry's title


def future_done_problems(text: str, entries: Iterable[Entry]) -> list[Violation]:
    """Sentences that put logged, finished work in the future tense ("I will build the
    dashboard" when the log says it was built): the case would undersell what is done."""
    titles = [(e, content_words(e.title)) for e in entries]
    problems: list[Violation] = []
    for sentence in _sentences(strip_citations(text)):
        if not _FUTURE.search(sentence):
            continue
        said = content_words(sentence)
        for entry, words in titles:
            if len(words & said) >= min(DONE_OVERLAP, len(words)) and words:
                problems.append(Violation(code="tense", detail=(
                    f"'{sentence[:80]}' speaks of finished work ('{entry.title}') as a plan: "
                    "write what is done in the past tense"),
                    phrase="put finished work in the future tense"))
                break
    return problems


def internal_ids(text: str) -> list[Violation]:
    """Impact-log numbers like [#3]: internal to the app, meaningless to the manager."""
    found = list(dict.fromkeys(CITE_RE.findall(text)))
    return [Violation(code="internal-id", detail=f"[#{n}] is an internal entry number; name the "
                      "work instead", phrase="wrote an internal entry number") for n in found]


def hostile_phrases(text: str) -> list[Violation]:
    """Phrases that would burn a bridge with the manager."""
    hits = []
    for pattern in _HOSTILE:
        if m := pattern.search(text):
            hits.append(m.group(0))
    return [Violation(code="hostile", detail=f"'{h}' reads as hostile or negative",
                      phrase=f"used negative language ('{h}')") for h in hits]


def echo_problems(text: str) -> list[Violation]:
    m = ECHO_MARKERS.search(text)
    if not m:
        return []
    return [Violation(code="echo", detail=f"the reply repeats the prompt ('{m.group(0).strip()}')",
                      phrase="repeated its instructions")]


# The model talking *to the employee* about their own work: the wrong role. Addressing
# the manager ("discuss this with you") is fine in a document the manager reads.
_COACH_VOICE = re.compile(
    r"\byou(?:'ve| have)\s+(?:\w+\s+)?(?:led|delivered|shown|achieved|done|been|grown|"
    r"demonstrated|mentored|built|worked|made)\b"
    r"|\byour\s+(?:results|work|achievements|accomplishments|impact|current|career|promotion|"
    r"case|log|experience|skills|progress|growth|team|manager|proposal)\b"
    r"|\byou(?:'re| are)\s+(?:ready|a|an|the|clearly|well)\b"
    r"|\byou\s+(?:should|need to|could|can|must)\b",
    re.IGNORECASE)


def second_person(text: str) -> list[Violation]:
    """A first-person document that talks to the employee means the model took the wrong role."""
    m = _COACH_VOICE.search(text)
    if not m:
        return []
    return [Violation(code="wrong-voice", detail=f"'{m.group(0)}' talks to the employee "
                      "instead of writing as the employee", phrase="wrote in the wrong voice")]


_MANAGER_VOICE = re.compile(r"\b(congratulations|your (promotion|request|case|proposal)|"
                            r"i am pleased to (offer|promote)|welcome to your new role)\b",
                            re.IGNORECASE)


def manager_voice(text: str) -> list[Violation]:
    """Phrases only the manager would say: the model answered as the wrong person."""
    m = _MANAGER_VOICE.search(text)
    if not m:
        return []
    return [Violation(code="wrong-voice", detail=(
        f"'{m.group(0)}' is the manager's voice, not the employee's"),
        phrase="wrote as the manager")]


def too_long(text: str, max_words: int, what: str = "text") -> list[Violation]:
    count = len(text.split())
    if count <= max_words:
        return []
    return [Violation(code="too-long", detail=f"{what} has {count} words (limit {max_words})",
                      phrase=f"rambled ({count} words)")]


def check_prose(text: str, facts: Facts) -> list[Violation]:
    """Every check that applies to any model prose shown as the user's own words."""
    return [*echo_problems(text), *invented_numbers(text, facts),
            *citation_problems(text, facts), *invented_names(text, facts)]


def notice_for(violations: list[Violation], what: str = "draft",
               fallback: str = "the draft built from your log") -> str:
    """The sentence shown when the deterministic draft replaces the model's."""
    phrases = list(dict.fromkeys(v.phrase for v in violations))[:2]
    return (f"The model's {what} {' and '.join(phrases) or 'did not pass the checks'}; "
            f"showing {fallback} instead.")


def violation_feedback(violations: list[Violation]) -> str:
    """The re-ask message: the specific rules broken, in short lines."""
    lines = [f"- {v.detail}" for v in violations[:6]]
    return "Your reply broke these rules:\n" + "\n".join(lines) + (
        "\nWrite it again. Use only the facts given. Same format as before.")
