"""Rules of the preparation chat: the data blocks the model reads, citations, what an answer
may never say, the guides' own words when the model's do not pass, and turning a described
win into an impact-log entry. Pure text in, text or models out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypedDict

from pydantic import BaseModel, Field

from coach.domain.advice import Origin
from coach.domain.evidence import Entry, EntryDraft, Kind
from coach.domain.guard import Violation, content_words
from coach.domain.injection import data_block, leak_problems, outward_problems
from coach.domain.markup import strip_markup
from coach.domain.passage import Passage
from coach.domain.profile import Profile
from coach.domain.text import clean_line, figures_not_in, has_number, numbers_in, sentences

LOG_COMMAND = "/log"
LOG_SUMMARY_LIMIT = 8
# Per passage the model reads: every token of it is read anew each turn (about 40 tokens/s
# on two cores), so two short passages, not four long ones.
PASSAGE_CHARS = 380
FALLBACK_PASSAGES = 2
FALLBACK_QUOTE_CHARS = 280
QUOTE_MIN_WORDS = 6

_ENDS = re.compile(r"[.!?][\"')\u201d\u2019]*$")
_CITES = re.compile(r"\[#?\d{1,6}\]")
# The coach decides nothing: "you're promoted" or "I've approved your promotion" is a claim
# only the manager can make ("once you're promoted, ..." is advice, not a claim).
_DECISION = re.compile(
    r"(?<!once )(?<!after )(?<!when )(?<!if )(?<!until )(?<!before )(?<!whether )"
    r"\byou(?:'re| are|'ve been| have been) (?:now |officially )?promoted\b"
    r"|\b(?:i|we)(?:'ve| have)? (?:approved|granted|signed off on) (?:your|the|this) promotion\b"
    r"|\byour promotion (?:is|has been) (?:approved|confirmed|granted)\b",
    re.IGNORECASE)
_LIST_MARK = re.compile(r"(^|\n)\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
_FIRST_PERSON = re.compile(r"\b(i|we|my team|our team)\b", re.IGNORECASE)
_IRREGULAR_PAST = ("led|built|ran|wrote|won|cut|grew|made|took|got|drove|brought|gave|taught|"
                   "began|sold|found|met|set|hit|beat|rewrote|overtook|kept|held|spoke")
_NOT_DONE = re.compile(r"\b(will|going to|plan to|want to|would|should|could|might|hope to)\b",
                       re.IGNORECASE)
_PAST = re.compile(rf"\b(\w{{3,}}ed|{_IRREGULAR_PAST})\b", re.IGNORECASE)
_KIND_WORDS: tuple[tuple[Kind, str], ...] = (
    (Kind.MENTORING, r"mentor|coach|onboard|taught|pair"),
    (Kind.EXECUTIVE_COMMUNICATION, r"present|executive|leadership team|board|stakeholder"),
    (Kind.STRATEGY, r"strategy|roadmap|vision|prioriti"),
    (Kind.LEADERSHIP, r"\bled\b|\blead\b|managed|\bran\b|coordinat"),
    (Kind.LEARNING, r"learn|certif|course"),
)

ChatRole = Literal["user", "assistant"]


class ChatMessage(TypedDict):
    """One message as the chat model reads it (the shape of `coach.llm.base.Message`)."""

    role: Literal["system", "user", "assistant"]
    content: str


class Citation(BaseModel):
    """A numbered source as shown under an answer, with the passage text a click opens."""

    n: int
    source: str
    section: str = ""
    title: str = ""
    score: float = 0.0
    text: str = Field("", description="The passage itself, as shown when the marker is opened.")

    def label(self) -> str:
        return f"[{self.n}] {self.source}" + (f" § {self.section}" if self.section else "")


class AnswerSentence(BaseModel):
    """One sentence of an answer as shown, with the passages it cites and where it came from."""

    text: str
    sources: list[int] = Field(default_factory=list, description="Numbers of its citations.")
    origin: Origin = Field(..., description="rule: the guidance's own rule; profile: the "
                           "user's data; model: the model, checked; guide: a guide quoted.")


def citations_for(passages: list[Passage]) -> list[Citation]:
    # A user document's name or heading may carry a link: the label shows its words only.
    return [Citation(n=i, source=strip_markup(p.source), section=strip_markup(p.section),
                     title=strip_markup(p.title), score=round(p.score, 3), text=p.text)
            for i, p in enumerate(passages, start=1)]


def decision_claims(answer: str) -> list[Violation]:
    """A promotion announced as decided: the coach cannot promote anyone."""
    found = _DECISION.search(answer)
    if not found:
        return []
    return [Violation(code="decision", detail=f"'{found.group(0)}' announces a decision only "
                      "the manager can make", phrase="announced a promotion nobody decided")]


def unsupported_figures(answer: str, known: str) -> list[Violation]:
    """Figures the answer states that no passage, profile, log entry or question gave.

    Small plain counts ("3 months", "5 sentences") and years are fine; a percentage, an
    amount or a multiple never is unless a source says it.
    """
    bad = figures_not_in(_CITES.sub(" ", answer), numbers_in(_CITES.sub(" ", known)))
    # The notice names no figure: it would show the user the very number it withholds.
    return [Violation(code="invented-number", detail=f"the figure {raw} is in no source",
                      phrase="stated figures no source gives") for raw in bad]


def answer_problems(answer: str, *, instructions: list[str], known: str) -> list[Violation]:
    """What no chat answer may do, whatever text in its prompt asked for it.

    Args:
        answer: the answer as it would be shown (unknown citation markers already removed).
        instructions: the fixed text of the chat prompt; repeating a run of it is a leak.
        known: every text the answer may take figures from (prompt, passages, question).
    """
    return [*leak_problems(answer, instructions), *outward_problems(answer),
            *decision_claims(answer), *unsupported_figures(answer, known)]


def plain(text: str) -> str:
    """A passage as plain prose: no markup, list marks or bold."""
    return " ".join(_LIST_MARK.sub(" ", strip_markup(text)).replace("**", "").split())


def key_sentence(passage: Passage, question: str) -> str:
    """The passage's sentence that best answers `question`, in the guide's own words.

    Orientation lines ("Read this if ...") and lead-ins ending in a colon are skipped; ties go
    to the earlier sentence. '' when the passage has no sentence worth quoting.
    """
    wanted = content_words(question)
    best, best_score = "", -1
    for sentence in sentences(plain(passage.text)):
        if (len(sentence.split()) < QUOTE_MIN_WORDS or sentence.endswith(":")
                or sentence.lower().startswith("read this") or not _ENDS.search(sentence)):
            continue
        score = len(content_words(sentence) & wanted)
        if score > best_score:
            best, best_score = sentence, score
    return best[:FALLBACK_QUOTE_CHARS]


def guide_quotes(passages: list[Passage], question: str,
                 limit: int = FALLBACK_PASSAGES) -> list[AnswerSentence]:
    """The guides' own words, one sentence per passage: only shipped guidance is quoted.

    A user's document is not: it may carry text written to look like advice (an injected
    line), and the user can read it under the answer anyway.
    """
    out = []
    for i, p in enumerate(passages, start=1):
        if not p.trusted or not (quote := key_sentence(p, question)):
            continue
        out.append(AnswerSentence(text=mark(quote, i), sources=[i], origin="guide"))
        if len(out) == limit:
            break
    return out


def mark(sentence: str, n: int) -> str:
    """The sentence with a citation marker before its final stop: '... in writing [2].'"""
    found = _ENDS.search(sentence)
    if found is None:
        return f"{sentence} [{n}]"
    return f"{sentence[:found.start()].rstrip()} [{n}]{sentence[found.start():]}"


def excerpt(text: str, limit: int = PASSAGE_CHARS) -> str:
    """The opening of a passage, cut at a sentence end, at most `limit` characters."""
    body = plain(text)
    out = ""
    for sentence in sentences(body):
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out[:limit]


def passages_block(passages: list[Passage], limit: int = PASSAGE_CHARS) -> str:
    """The passages as data blocks, numbered the way the answer must cite them."""
    return "\n".join(data_block(f"[{i}] {p.citation()}", excerpt(p.text, limit))
                     for i, p in enumerate(passages, start=1))


def profile_block(profile: Profile | None) -> str:
    if profile is None:
        return "No profile yet."
    signals = ", ".join(s.value for s in profile.signals) or "none given"
    review = f"month {profile.review_month}" if profile.review_month else "unknown"
    return (f"Current title: {profile.current_title}\nTarget title: {profile.target_title}\n"
            f"Transition: {profile.transition.value}\nMonths in role: {profile.months_in_role}\n"
            f"Review cycle: {review}\nSignals: {signals}")


def log_summary(entries: list[Entry], limit: int = LOG_SUMMARY_LIMIT) -> str:
    """A compact view of the log: counts, then the most recent entries in one line each."""
    if not entries:
        return "The impact log is empty."
    quantified = sum(1 for e in entries if e.quantified)
    nxt = sum(1 for e in entries if e.next_level)
    lines = [f"{len(entries)} entries, {quantified} with a metric, {nxt} marked next-level."]
    for e in sorted(entries, key=lambda e: (e.date, e.id), reverse=True)[:limit]:
        metric = f": {e.metric}" if e.metric else ""
        lines.append(f"- {e.cite()} {e.date.isoformat()} {e.kind.value}: {e.title}{metric}")
    return "\n".join(lines)


def context_block(profile: Profile | None, entries: list[Entry]) -> str:
    """The user's profile and log as data: the start of the first user message of every
    chat, which never changes within a conversation (the model's prompt cache keeps it)."""
    return (data_block("user profile", profile_block(profile)) + "\n"
            + data_block("impact log", log_summary(entries)))


def build_messages(system: str, context: str, history: list[tuple[ChatRole, str]],
                   turn: str) -> list[ChatMessage]:
    """Stable prefix first so a local server can reuse its prompt cache across turns.

    `system` (the rules) and `context` (the user's data, opening the first user message)
    do not change within a conversation; the history only grows at its end; the turn's
    passages and question, which change every time, come last.
    """
    messages: list[ChatMessage] = [{"role": "system", "content": system}]
    messages += [{"role": role, "content": content} for role, content in history]
    messages.append({"role": "user", "content": turn})
    first = messages[1]
    first["content"] = f"{context}\n\n{first['content']}"
    return messages


def is_log_command(message: str) -> bool:
    return message.strip().lower().startswith(LOG_COMMAND)


def looks_like_win(message: str) -> bool:
    """A first-person, past-tense account of an accomplishment with a figure in it."""
    text = message.strip()
    if is_log_command(text):
        return True
    if not text or text.endswith("?") or _NOT_DONE.search(text):
        return False
    return bool(_FIRST_PERSON.search(text) and _PAST.search(text) and has_number(text))


def _kind(text: str) -> Kind:
    for kind, pattern in _KIND_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return Kind.RESULT


def propose_entry(message: str, today: dt.date) -> EntryDraft | None:
    """Turn a described win into a draft entry; None when there is nothing to log."""
    text = clean_line(message)
    if is_log_command(text):
        text = text[len(LOG_COMMAND):].strip()
    text = re.sub(r"^(?:so |well |today |yesterday |this week )?(?:i|we)\s+", "", text,
                  flags=re.IGNORECASE).strip()
    if not text:
        return None
    clauses = [c.strip() for c in re.split(r",|;| and | which | so ", text) if c.strip()]
    metric = next((c for c in clauses if has_number(c)), "")
    title_src = next((c for c in clauses if c != metric), clauses[0] if clauses else text)
    title = title_src.rstrip(".!")[:120]
    title = title[0].upper() + title[1:]
    return EntryDraft(date=today, title=title, description=message.strip()[:2000],
                      metric=metric.rstrip(".!")[:300], kind=_kind(text), source="chat")
