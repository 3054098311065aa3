"""Sentence by sentence: what of a model's answer may be shown.

The model's answer is cut into whole sentences as it streams (`SentenceBuffer`); each is
cleaned of the small model's habits ("Based on the information provided in the passage",
"the employee") and then must pass `check_sentence`: it rests on a source the user can see
(a cited passage, the rule's answer or their own data), it does not take the opposite stance
to the rule or flip a negation of the sentence it rests on, it says something not already
said, and it breaks none of the chat's hard rules (a leak, a link, a decision, a figure
nobody gave). A sentence that fails is dropped, never shown; an unfinished one never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from coach.domain.guard import Violation, content_words
from coach.domain.text import sentences

Polarity = Literal["yes", "no"]
TIE = 0.34  # share of a sentence's content words its source must also use
TIE_MIN_WORDS = 2
REPEAT = 0.7  # this much of a sentence already shown: it adds nothing
FLIP_MATCH = 0.5  # a source sentence this close is the one a negation is compared with
ECHO = 0.6  # this much of the question restated as advice: it answers "yes" to it

_END = re.compile(r"([.!?][\"')\]\u201d\u2019]*)((?:[ \t]*\[\d{1,2}\])*)(?=[ \t]*\n|[ \t]+[^\s\[])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|approx|no|st)\.$", re.IGNORECASE)
_LIST_MARK = re.compile(r"(^|\n)[ \t]*(?:[-*+\u2022]|\d{1,2}[.)])[ \t]+")
_MARKER = re.compile(r"[ \t]*\[(\d{1,2})\]")
_FINISHED = re.compile(r"[.!?][\"')\]\u201d\u2019]*$")
_FILLER = re.compile(
    r"^(?:(?:based on|according to|as (?:stated|mentioned|described) in|from)\s+(?:the\s+)?"
    r"(?:information|passages?|guides?|notes?|context|text|coach'?s? answer)[^,:]*[,:]\s*"
    r"|(?:the\s+)?(?:passages?|guides?|notes?)(?:\s*\[\d+\])?\s+(?:says?|states?|suggests?|"
    r"explains?|emphasi[sz]es?|notes?|mentions?|recommends?|advises?)\s+(?:that\s+)?"
    r"|(?:in summary|overall|in conclusion|to summari[sz]e|therefore|so),\s*)", re.IGNORECASE)
_THIRD_PERSON = ((re.compile(r"\bthe (?:employee|user|person)'s\b", re.IGNORECASE), "your"),
                 (re.compile(r"\bthe (?:employee|user|person)\b", re.IGNORECASE), "you"))
_ABOUT_SOURCES = re.compile(r"\bpassages?\b|\bthe (?:employee|user)\b|\binformation provided\b|"
                            r"\b[\w-]+\.md\b|"
                            r"\bas an ai\b|\blanguage model\b|\bthe coach\b|\bthe notes?\b",
                            re.IGNORECASE)
_AS_THE_USER = re.compile(r"^(?:i|i'm|i've|i'll|my|we|we're|our)\b(?! would (?:suggest|recommend))"
                          r"(?!'d (?:suggest|recommend))", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|don'?t|doesn'?t|didn'?t|won'?t|can'?t|cannot|"
                       r"shouldn'?t|isn'?t|aren'?t|wasn'?t|avoid|without|hold off|rather than)\b|"
                       r"n't\b", re.IGNORECASE)
# A bare yes or no answers the question as asked; an action ("don't", "go ahead") does not
# depend on how it was asked.
_YES_ANSWER = re.compile(r"^(?:yes|yeah|yep|absolutely|definitely|of course|sure|certainly)\b",
                         re.IGNORECASE)
_NO_ANSWER = re.compile(r"^(?:no|nope)\b(?!\s+(?:budget|money|headcount|one)\b)", re.IGNORECASE)
_YES_ACTION = re.compile(r"^(?:go ahead|go for it)\b", re.IGNORECASE)
_NO_ACTION = re.compile(r"^(?:not (?:now|yet|a good)|don'?t|do not|never|avoid|hold off|wait)\b",
                        re.IGNORECASE)
_VERDICT = re.compile(
    r"\b(?:it(?:'s| is| would be| will be| might be| could be| seems)|this is|that is|now is|"
    r"now's|this would be|asking (?:now )?is|it isn't|it's not)\s+(not\s+)?(?:really\s+)?"
    r"(?:a\s+|the\s+|an\s+)?(?:\w+\s+)?(good|great|fine|ok|okay|right|smart|reasonable|"
    r"appropriate|perfect|ideal|wise|bad|poor|terrible|wrong|risky|unwise|pointless|"
    r"tone-deaf|premature)\b", re.IGNORECASE)
# "Is it a bad idea to ...?", "Should I wait?": a plain yes to these means do not go ahead.
_ASKED_BACKWARDS = re.compile(r"\b(?:bad idea|bad time|bad moment|pointless|too (?:early|soon)|"
                              r"a mistake|unwise|should i (?:wait|hold off|not)|hold off|"
                              r"better to wait)\b", re.IGNORECASE)
_GOOD_WORDS = frozenset("good great fine ok okay right smart reasonable appropriate perfect "
                        "ideal wise".split())
# Words every answer here shares: they tie a sentence to nothing.
_GENERIC = frozenset(content_words(
    "promotion promoted promote manager manager's role work your about want need make help "
    "good time think also like sure able important consider focus ensure ask asking "
    "discuss discussion situation current next level company team".replace("'", "")))


class SentenceBuffer:
    """Collects a streamed answer and hands out its complete sentences, in order.

    A sentence is complete once the next one has started (so markers after its full stop,
    "... fresh. [1]", stay with it) or its line ended. List marks at a line start are dropped;
    a line that never ends in a full stop (a heading, an item, a cut-off) is never returned.
    """

    def __init__(self) -> None:
        self.buf = ""

    def feed(self, piece: str) -> list[str]:
        self.buf = _LIST_MARK.sub(r"\1", self.buf + piece)
        out: list[str] = []
        start = 0
        while (found := _END.search(self.buf, start)) is not None:
            head = self.buf[start:found.start(1) + 1]
            if _ABBREVIATION.search(head):
                start = found.end()
                continue
            out += self._take(self.buf[:found.end()])
            self.buf = self.buf[found.end():].lstrip(" \t")
            start = 0
        while "\n" in self.buf:  # a line that ended without a full stop is no sentence
            line, self.buf = self.buf.split("\n", 1)
            out += self._take(line)
        return out

    def finish(self) -> tuple[list[str], str]:
        """The last sentences, and what is left unfinished (never to be shown)."""
        rest, self.buf = self.buf.strip(), ""
        text = _MARKER.sub("", rest).strip()
        if _FINISHED.search(text):
            return [rest], ""
        return [], rest

    @staticmethod
    def _take(text: str) -> list[str]:
        text = " ".join(text.split())
        if not text:
            return []
        bare = _MARKER.sub("", text).strip()
        return [text] if _FINISHED.search(bare) else []


def clean(sentence: str) -> str:
    """The sentence without list marks, bold, talk about its sources or third person."""
    text = sentence.replace("**", "").replace("__", "").strip()
    for _ in range(2):  # "Based on the passage, according to the guide, ..." happens
        text = _FILLER.sub("", text).strip()
    for pattern, repl in _THIRD_PERSON:
        text = pattern.sub(repl, text)
    return text[:1].upper() + text[1:]


def markers(sentence: str) -> list[int]:
    return [int(n) for n in _MARKER.findall(sentence)]


def without_markers(sentence: str) -> str:
    return " ".join(_MARKER.sub("", sentence).split()).replace(" .", ".")


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def polarity(sentence: str, question: str = "") -> Polarity | None:
    """Whether a sentence answers "should I go ahead?" with yes or no; None if it does not
    say (most advice does not).

    A verdict in its first clause ("it is not a bad idea") decides; else how it opens
    ("Yes, ...", "Don't ..."), where a "yes" to a question asked the other way round ("Is it
    a bad idea to ...?", "Should I wait?") means no.
    """
    text = without_markers(sentence).strip(" \"'")
    verdict = _VERDICT.search(re.split(r"[:;]| but ", text, maxsplit=1)[0])
    if verdict is not None:
        good = verdict.group(2).lower() in _GOOD_WORDS
        flipped = bool(verdict.group(1)) or verdict.group(0).lower().startswith(("it isn't",
                                                                                  "it's not"))
        return "yes" if good != flipped else "no"
    if _YES_ACTION.match(text):
        return "yes"
    if _NO_ACTION.match(text):
        return "no"
    answer: Polarity | None = "yes" if _YES_ANSWER.match(text) else \
        "no" if _NO_ANSWER.match(text) else None
    if answer is not None and _ASKED_BACKWARDS.search(question):
        return "no" if answer == "yes" else "yes"
    return answer


def overlap(sentence: str, source: str) -> float:
    """Share of the sentence's meaningful words the source also uses."""
    mine = content_words(without_markers(sentence)) - _GENERIC
    if not mine:
        return 0.0
    return len(mine & content_words(source)) / len(mine)


def _shared(sentence: str, source: str) -> int:
    return len((content_words(without_markers(sentence)) - _GENERIC) & content_words(source))


@dataclass(frozen=True)
class Source:
    """Something a sentence may rest on: a passage shown as [n], the rule's answer (shown
    with its passages' numbers), or the user's own profile and log (n is None)."""

    text: str
    n: int | None = None
    kind: Literal["passage", "rule", "profile"] = "passage"


class Checked(BaseModel):
    """One sentence of the model's answer, after the checks."""

    text: str
    keep: bool
    cites: list[int] = Field(default_factory=list)
    reason: str = ""


def _drop(text: str, reason: str) -> Checked:
    return Checked(text=text, keep=False, reason=reason)


def stance_problem(sentence: str, stance: str | None, question: str) -> str | None:
    """Why the sentence takes the other side of the rule's stance, or None."""
    if stance in (None, "how"):
        return None
    said = polarity(sentence, question)
    if stance in ("no", "wait") and said == "yes":
        return "says yes where the guidance says no or not now"
    if stance == "yes" and said == "no":
        return "says no where the guidance says yes"
    if stance == "depends" and _YES_ANSWER.match(without_markers(sentence)):
        return "gives a flat answer where the guidance says it depends"
    if stance in ("no", "wait") and said != "no" and not negated(sentence) \
            and overlap(question, sentence) >= ECHO:
        return "recommends what the question proposes, which the guidance advises against"
    return None


def _flipped(sentence: str, source: str) -> bool:
    """The sentence states its closest source sentence with the negation turned around."""
    units = [u for line in source.splitlines() for u in sentences(line)]  # list items apart
    best = max(units, key=lambda s: overlap(sentence, s), default="")
    if not best or overlap(sentence, best) < FLIP_MATCH:
        return False
    return negated(without_markers(sentence)) != negated(best)


def check_sentence(sentence: str, *, sources: list[Source], stance: str | None, question: str,
                   shown: list[str], problems: list[Violation]) -> Checked:
    """Whether a cleaned model sentence may be shown, and which passages it cites.

    Args:
        sentence: one complete sentence, already `clean`ed.
        sources: what the answer may rest on (passages by number, the rule, the user's data).
        stance: the rule's stance (None without a rule).
        question: the user's question, to catch an answer that just says yes to it.
        shown: the sentences the user already sees.
        problems: the chat's hard-rule violations found in this sentence.
    """
    text = without_markers(sentence)
    if problems:
        return _drop(text, "; ".join(v.detail for v in problems))
    if _ABOUT_SOURCES.search(text):
        return _drop(text, "talks about its sources instead of to you")
    if _AS_THE_USER.match(text):
        return _drop(text, "speaks as you rather than to you")
    if any(overlap(text, old) >= REPEAT for old in shown):
        return _drop(text, "repeats what is already shown")
    if why := stance_problem(text, stance, question):
        return _drop(text, why)
    scored = sorted(((overlap(text, s.text), s) for s in sources if _shared(text, s.text) >= TIE_MIN_WORDS),
                    key=lambda pair: -pair[0])
    tied = [s for score, s in scored if score >= TIE]
    if not tied:
        return _drop(text, "no passage, rule or fact of yours says this")
    if any(_flipped(text, s.text) for s in tied[:1] if s.kind != "profile"):
        return _drop(text, "turns a negation of its source around")
    asked = set(markers(sentence))
    # The passages it asked for that do support it; else the best one that does; none when
    # only the user's own data does.
    cites = [s.n for s in tied if s.n is not None and s.n in asked] or \
        [s.n for s in tied if s.n is not None][:1]
    return Checked(text=_place_markers(text, cites), keep=True, cites=list(dict.fromkeys(cites)))


def _place_markers(text: str, cites: list[int]) -> str:
    """Markers go before the final full stop: "... in writing [2]."."""
    if not cites:
        return text
    tail = "".join(f"[{n}]" for n in dict.fromkeys(cites))
    found = _FINISHED.search(text)
    if found:
        return f"{text[:found.start()].rstrip()} {tail}{text[found.start():]}"
    return f"{text} {tail}"
