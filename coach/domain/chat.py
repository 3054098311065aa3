"""Rules of the preparation chat: grounding blocks, citation markers, what an answer may
never say, the answer shown when the model's does not pass, and turning a described win
into an impact-log entry. Pure text in, text or models out."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from coach.domain.evidence import Entry, EntryDraft, Kind
from coach.domain.guard import Violation
from coach.domain.injection import leak_problems, outward_problems
from coach.domain.markup import strip_markup
from coach.domain.passage import Passage
from coach.domain.profile import Profile
from coach.domain.text import clean_line, figures_not_in, has_number, numbers_in, sentences

LOG_COMMAND = "/log"
LOG_SUMMARY_LIMIT = 8
PASSAGE_CHARS = 700  # per passage: enough for a section, small enough for a 4k context
FALLBACK_PASSAGES = 3
GUIDE_ANSWER_LEAD = "Here is what the guides say:"
FALLBACK_QUOTE_CHARS = 280

_MARKER = re.compile(r"\[(\d{1,2})\]")
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


class Citation(BaseModel):
    """A numbered source as shown under an answer."""

    n: int
    source: str
    section: str = ""
    score: float = 0.0

    def label(self) -> str:
        return f"[{self.n}] {self.source}" + (f" § {self.section}" if self.section else "")


class CitedAnswer(BaseModel):
    """An answer with unknown markers removed, and which passages it cites."""

    text: str
    cited: list[int] = Field(default_factory=list)
    removed: list[int] = Field(default_factory=list, description="Markers with no passage.")


def citations_for(passages: list[Passage]) -> list[Citation]:
    # A user document's name or heading may carry a link: the label shows its words only.
    return [Citation(n=i, source=strip_markup(p.source), section=strip_markup(p.section),
                     score=round(p.score, 3))
            for i, p in enumerate(passages, start=1)]


def check_citations(answer: str, n_passages: int) -> CitedAnswer:
    """Keep markers that map to a passage; drop any that point nowhere."""
    cited: list[int] = []
    removed: list[int] = []

    def keep(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if 1 <= n <= n_passages:
            if n not in cited:
                cited.append(n)
            return m.group(0)
        removed.append(n)
        return ""

    text = _MARKER.sub(keep, answer)
    if removed:
        text = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text))
    return CitedAnswer(text=text.strip(), cited=sorted(cited), removed=removed)


class MarkerFilter:
    """Drops citation markers with no passage from a token stream, as it streams.

    Text is held back only while it could still become a marker (`[`, `[1`), so a user
    never sees a citation number that does not exist, even mid-answer.
    """

    _PARTIAL = re.compile(r"\[\d{0,2}$")

    def __init__(self, n_passages: int):
        self.n = n_passages
        self.buf = ""

    def feed(self, piece: str) -> str:
        self.buf += piece
        out: list[str] = []
        while self.buf:
            start = self.buf.find("[")
            if start == -1:
                out.append(self.buf)
                self.buf = ""
                break
            out.append(self.buf[:start])
            self.buf = self.buf[start:]
            if m := _MARKER.match(self.buf):
                if 1 <= int(m.group(1)) <= self.n:
                    out.append(m.group(0))
                self.buf = self.buf[m.end():]
            elif self._PARTIAL.match(self.buf):
                break  # wait for the next piece to decide
            else:
                out.append("[")
                self.buf = self.buf[1:]
        return "".join(out)

    def flush(self) -> str:
        rest, self.buf = self.buf, ""
        return rest


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


def _quote(text: str) -> str:
    """The opening of a passage as plain prose: no markup, list marks or bold."""
    plain = " ".join(_LIST_MARK.sub(" ", strip_markup(text)).replace("**", "").split())
    quote = ""
    for sentence in sentences(plain):
        if quote and len(quote) + len(sentence) > FALLBACK_QUOTE_CHARS:
            break
        quote = f"{quote} {sentence}".strip()
    return quote[:FALLBACK_QUOTE_CHARS]


def guide_answer(passages: list[Passage]) -> str:
    """The answer shown when the model's does not pass: the guides' own words, cited.

    Only trusted text is quoted (the shipped guides, or a document the user added as
    trusted): a line planted in any other document must never read as the coach's advice.
    """
    quotes = [f"- {_quote(p.text)} [{i}]" for i, p in enumerate(passages, start=1)
              if p.trusted and _quote(p.text)][:FALLBACK_PASSAGES]
    if not quotes:
        return ("I cannot give a checked answer to that. Ask it another way, or look it up in "
                "the guides with `coach search`.")
    return f"{GUIDE_ANSWER_LEAD}\n" + "\n".join(quotes)


def sources_block(citations: list[Citation]) -> str:
    return "Sources:\n" + "\n".join(f"  {c.label()}" for c in citations)


def passages_block(passages: list[Passage]) -> str:
    """The retrieved passages, numbered the way the answer must cite them."""
    if not passages:
        return "(no passages found)"
    out = []
    for i, p in enumerate(passages, start=1):
        text = " ".join(p.text.split())[:PASSAGE_CHARS]
        out.append(f"[{i}] {p.citation()}\n{text}")
    return "\n\n".join(out)


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


def build_messages(system: str, history: list[tuple[str, str]],
                   question: str) -> list[dict[str, str]]:
    """Stable prefix first so a local server can reuse its prompt cache across turns.

    `system` (role, rules, profile, log summary) does not change within a conversation;
    the history only grows at its end; the turn's passages and question, which change
    every time, come last in `question`.
    """
    messages = [{"role": "system", "content": system}]
    messages += [{"role": role, "content": content} for role, content in history]
    messages.append({"role": "user", "content": question})
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
