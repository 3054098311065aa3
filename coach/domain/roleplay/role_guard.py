"""The role guard: every mock-manager reply is checked before the user sees it.

Small local models drift out of role in known ways: they answer as the report, slip into
coaching, talk about being an AI, read their instructions aloud, parrot the user's line,
contradict the answer they were told to give, invent figures, or ramble. The guard cleans
what can be cleaned (speaker labels, a made-up next turn, extra sentences) and rejects the
rest with the reasons, so the service can regenerate once and then fall back to a safe line.
The turn that gives the decision must also say it: each answer type names the parts it must
convey (`Persona.conveys`), and a reply that leaves one out is rejected like one that breaks role.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from coach.domain.injection import outward_problems
from coach.domain.markup import markup_in
from coach.domain.roleplay.personas import ResponseType
from coach.domain.roleplay.role_breaks import RoleBreak
from coach.domain.text import figures_not_in, numbers_in, sentences, shared_span, trim_sentences, words

MAX_REPLY_CHARS = 600  # about 120 tokens: a manager in a meeting, not a memo
RAMBLE_FACTOR = 2  # more than this many times the sentence cap is rambling, not just long
ECHO_SPAN = 8  # words in a row copied from the user's line
BRIEF_SPAN = 7  # words in a row copied from the hidden brief
BRIEF_ITEM_WORDS = 4  # a whole brief item this long, said verbatim
CLAIM_REACH = 6  # words after "I <verb>" in which a word of the entry's title gives a claim away
REPEAT_RATIO = 0.9  # this similar to a line the manager already said is saying it again
GAP_REACH = 5  # words after "gap(s)" in which an entry's title would make the entry the gap
# "I hired them myself": after the entry's own verb, these say whose work it was just as clearly.
_CLAIM_MARKERS = frozenset({"myself", "alone", "them", "it", "those", "single-handedly"})
# Present tense of the past verbs log titles start with: "I own the components" is the same claim.
_PRESENT = {"led": "lead", "ran": "run", "built": "build", "wrote": "write", "drove": "drive",
            "made": "make", "took": "take", "grew": "grow", "won": "win", "owned": "own"}
# Verbs that claim any piece of work ("I led the planning" about the user's "Ran quarterly planning"),
# and words that may stand between "I" and the verb ("I did lead", "I also ran").
_DOING = frozenset({"led", "lead", "ran", "run", "drove", "drive", "owned", "own", "built", "build",
                    "managed", "manage", "delivered", "shipped", "handled"})
_BETWEEN = frozenset({"did", "also", "actually", "personally", "really", "myself", "basically"})
# Asking without a question mark: "Walk me through the work you'd point to."
_PROMPTS = re.compile(r"\b(tell me|walk me through|talk me through|help me understand|explain|describe|"
                      r"say more|go on|i'?d like to hear|i want to hear)\b", re.IGNORECASE)
# A reply that opens by describing the user ("They want this step because ...") narrates the meeting.
_NARRATOR = re.compile(r"^(they|he|she) (want|wants|believe|believes|feel|feels|think|thinks|hope|hopes|"
                       r"would like)\b", re.IGNORECASE)


_EMPLOYEE = [
    r"^as (an|the|your) (employee|report|direct report|team member|engineer)\b",
    r"\bi(?:'d| would) (really )?like to be promoted\b",
    r"\bi (want|hope|deserve) to be promoted\b",
    r"\bpromote me\b",
    r"\bmy promotion\b",
    r"\bi(?:'m| am) (interested in|asking for|applying for) (the |a |this |that )?"
    r"(promotion|role|position)\b",
    r"\bi(?:'ve| have) been working (toward|towards) (this|the|a|that) (promotion|role)\b",
    r"\bthank(s| you) for (meeting|making time|taking the time)( to meet)? with me\b",
    r"\bi (believe|think) i(?:'m| am) ready\b",
    # The manager talking about their own readiness or growth as if they were the report.
    r"\bi(?:'m| am) (not )?(yet )?ready for\b",
    r"\bmy (current|target|next) (role|title|level|position)\b",
    r"\b(improve|develop|grow|build|strengthen) my (own )?(skills?|abilit(y|ies)|strengths?|"
    r"experience|leadership|forecasting)\b",
    r"\bmy (strengths|skills|readiness|gaps|growth areas|development areas)\b",
    r"\bi (don'?t|do not) see (me|myself)\b|\b(see|think of) me as ready\b",
    r"\bi(?:'m| am) looking for (a|an|the) [\w -]{0,30}\b(role|position|job)\b",
    r"\ballow me to (focus|grow|develop|contribute|step)\b",
    r"\bbeyond my own tasks\b",
    # The report's work told in the passive with the manager as the doer.
    r"\b(was|were) (\w+ )?(rewritten|written|done|built|led|launched|run|shipped|delivered|"
    r"designed|created|owned|hired|trained|mentored|onboarded|drafted|presented) by me\b",
]
_COACHING = [
    r"\byou (should|could|might want to|can|may want to) (say|ask|respond|mention|try|tell)\b",
    r"\btry (saying|asking)\b",
    r"\btips?\s*:",
    r"\bas your coach\b",
    r"\bcoach(ing)?\b",
    r"\bhere(?:'s| is| are) (how|some|a few) (to|tips|ways|phrases)\b",
    r"\byour manager (will|might|may|says|said|is likely)\b",
    r"\bwhen (your|the) manager\b",
    r"\bgood (way|approach) to (respond|answer|ask|phrase)\b",
    r"\brole-?\s?play\b",
    r"\bnext time,? (say|ask|try)\b",
]
_META = [
    r"\bas an ai\b",
    r"\bi can(?:'|no)?t (help|assist) (you )?with (that|this)\b",  # an assistant's refusal
    r"\blanguage model\b",
    r"\bsystem (prompt|message)\b",
    r"\bi(?:'m| am) (an? )?(ai|assistant|chatbot|bot)\b",
    r"\bin this (scenario|simulation|exercise)\b",
    r"\bsimulat(ed|ion)\b",
    r"\bpersona\b",
    r"\bmy (instructions|brief|prompt)\b",
    r"\b(private|stage) note\b",
    r"\bresponse type\b",
    r"\bdifficulty (level|setting)\b",
    r"<\|im_",
    r"\[(note|stage|manager|instruction)",
]

_LABEL = r"\**\s*({names})\s*\**\s*:\s*\**"


def _compile(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


_EMPLOYEE_RE = _compile(_EMPLOYEE)
_COACHING_RE = _compile(_COACHING)
_META_RE = _compile(_META)
# Lists, numbering and markdown: a manager talking does not use them.
_FORMAT = re.compile(r"\*\*|__|`|(^|\n)\s*#|(^|\n|:)\s*(\d+[.)]|[-*•])\s+\S")
_BOLD_LABEL = re.compile(r"^\s*\*\*[^*\n]{1,60}?(:\*\*|\*\*\s*:)")  # "**Dana:**" is cleaned, not rejected

# -- what contradicts each type --------------------------------------------------------------
_SAYS_YES = (r"you'?re promoted|you are promoted|congratulations|i'?ve approved|it'?s approved|"
             r"let'?s make it happen|consider it done|you('ve)? got the (promotion|role|job)")
_HARD_NO = r"don'?t see you (in|as)|do not see you (in|as)"
# "you're ready", but not "I don't think you're ready" / "not that you're not ready".
_YOU_ARE_READY = r"(?<!think )(?<!not )(?<!if )you'?re (now )?ready\b"

CONTRADICTIONS: dict[ResponseType, str] = {
    ResponseType.YES: (r"not ready|(don'?t|do not) think you'?re ready|no (budget|headcount)|" + _HARD_NO
                       + r"|\bnot yet\b|can'?t promote"),
    ResponseType.NOT_YET: _SAYS_YES + "|" + _HARD_NO,
    ResponseType.NO_BUDGET: _SAYS_YES + "|" + _HARD_NO,
    ResponseType.NOT_READY: _SAYS_YES + "|" + _HARD_NO + "|" + _YOU_ARE_READY,
    # "I would need to see a specialist track": the alternatives framed as conditions are a not-yet.
    ResponseType.NO_FIT: _SAYS_YES + "|" + _YOU_ARE_READY + r"|\bnot yet\b|next cycle|"
                         r"\b(i'?d|i would|you'?d|you would) need to (see|show)\b",
}


def contradiction(response_type: ResponseType, text: str) -> str | None:
    """The phrase in `text` that contradicts the manager's answer, if any."""
    found = re.search(CONTRADICTIONS[response_type], text, re.IGNORECASE)
    return found.group(0) if found else None


@dataclass(frozen=True)
class GuardVerdict:
    """The cleaned reply, and why it was rejected if it was."""

    text: str
    breaks: tuple[RoleBreak, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.breaks


@dataclass
class RoleGuard:
    """Checks one manager reply against the role, the answer type and what the manager knows."""

    response_type: ResponseType
    manager_name: str = ""
    user_name: str = ""
    hidden: Sequence[str] = ()
    known_figures: set[str] = field(default_factory=set)
    max_sentences: int = 3
    max_chars: int = MAX_REPLY_CHARS
    conveys: Mapping[str, str] = field(default_factory=dict)  # what the decision turn must say (regexes)
    user_claims: Sequence[str] = ()  # the user's entries in their own voice: "I led the migration"
    entry_titles: Sequence[str] = ()  # the user's log entries: never "gaps in" one of them

    other = "report"  # who the manager is talking to, as a reply labelled with them is told

    def _names(self, *extra: str) -> str:
        names = [re.escape(n) for n in (*extra,) if n]
        return "|".join(names)

    def clean(self, reply: str) -> tuple[str, bool]:
        """Strip a manager label and cut any made-up next turn; returns (text, spoke_as_report)."""
        text = (reply or "").strip().strip('"“”').strip()
        report_label = re.compile(
            r"^" + _LABEL.format(names=self._names("employee", "report", "user", "you", "me",
                                                   self.user_name.split(" ")[0] if self.user_name else "")),
            re.IGNORECASE)
        if report_label.match(text):
            return report_label.sub("", text, count=1).strip(), True
        manager_label = re.compile(
            r"^" + _LABEL.format(names=self._names("manager", "boss", self.manager_name,
                                                   self.manager_name.split(" ")[0])),
            re.IGNORECASE)
        text = manager_label.sub("", text, count=1).strip()
        # A weak model often writes the next turn of the dialogue too: keep only its own turn.
        next_turn = re.compile(
            r"(\n\s*|(?<=[.!?])\s+)" + _LABEL.format(names=self._names(
                "employee", "report", "user", "you", "manager", "me",
                self.user_name.split(" ")[0] if self.user_name else "",
                self.manager_name.split(" ")[0] if self.manager_name else "")),
            re.IGNORECASE)
        cut = next_turn.search(text)
        if cut:
            text = text[:cut.start()]
        return " ".join(text.split()), False

    def check(self, reply: str, *, user_line: str = "", heard: str = "",
              answer: bool = False, said: Sequence[str] = (), ask: bool = False) -> GuardVerdict:
        """Clean and check a reply.

        Args:
            reply: the model's raw reply.
            user_line: the line it answers (copying it is an echo).
            heard: everything the user said so far (figures from it are not invented).
            answer: this turn gives the decision, so it must convey the response type.
            said: the manager's lines so far (saying one again word for word is a repeat).
            ask: this turn's move is a question (probe, pushback), so the reply must ask one.
        """
        text, as_report = self.clean(reply)
        form = self._form(reply, text, as_report, heard)
        if form is None:
            return GuardVerdict("", (RoleBreak.EMPTY,), ("reply is empty",))
        found = form
        trimmed = trim_sentences(text, self.max_sentences)
        found += self._patterns(trimmed)
        found += self._copies(trimmed, user_line)
        bad = contradiction(self.response_type, trimmed)
        if bad:
            found.append((RoleBreak.CONTRADICTS_TYPE, f"'{bad}' contradicts a {self.response_type} answer"))
        elif answer and (missing := [n for n, rx in self.conveys.items()
                                     if not re.search(rx, trimmed, re.IGNORECASE)]):
            found.append((RoleBreak.MISSES_ANSWER,
                          f"the {self.response_type} answer does not say: {', '.join(missing)}"))
        if ask and "?" not in trimmed and not _PROMPTS.search(trimmed):
            found.append((RoleBreak.NO_QUESTION, "the move asks a question; the reply asks none"))
        if repeated := self._repeated(trimmed, said):
            found.append((RoleBreak.REPEAT, f"says again: '{repeated[:60]}'"))
        if gap := self._gap_in_entry(trimmed):
            found.append((RoleBreak.GAP_IN_ENTRY, f"treats a log entry as a gap: '{gap}'"))
        invented = self._invented(trimmed, heard)
        if invented:
            listed = ", ".join(sorted(invented))
            found.append((RoleBreak.INVENTED_FIGURE, f"figures not in the log: {listed}"))
        kinds = tuple(dict.fromkeys(v for v, _ in found))
        return GuardVerdict(trimmed, kinds, tuple(r for _, r in found))

    def _form(self, reply: str, text: str, as_report: bool,
              heard: str) -> list[tuple[RoleBreak, str]] | None:
        """What any reply is checked for before its words are read: document format, links,
        talking to the outside, a label of the other speaker, length. None: nothing is left."""
        found: list[tuple[RoleBreak, str]] = []
        fmt = _FORMAT.search(_BOLD_LABEL.sub("", reply or "", count=1))
        if fmt:
            found.append((RoleBreak.FORMAT, f"reads like a document, not speech: '{fmt.group(0).strip()}'"))
        elif link := markup_in(reply or ""):  # an injected instruction's way to call out
            found.append((RoleBreak.FORMAT, f"adds a link, image or HTML: '{link[:60]}'"))
        found += [(RoleBreak.META, v.detail) for v in outward_problems(reply or "", heard)
                  if v.code != "markup"]
        if as_report:
            found.append((RoleBreak.EMPLOYEE_VOICE, f"reply is labelled as the {self.other} speaking"))
        if not text or not re.search(r"[a-z]", text, re.IGNORECASE):
            return None
        if len(text) > self.max_chars or len(sentences(text)) > self.max_sentences * RAMBLE_FACTOR + 1:
            found.append((RoleBreak.TOO_LONG,
                          f"reply runs {len(text)} characters / {len(sentences(text))} sentences"))
        return found

    def _patterns(self, text: str) -> list[tuple[RoleBreak, str]]:
        found = []
        for kind, regexes in ((RoleBreak.EMPLOYEE_VOICE, _EMPLOYEE_RE), (RoleBreak.COACHING, _COACHING_RE),
                              (RoleBreak.META, _META_RE)):
            for regex in regexes:
                hit = regex.search(text)
                if hit:
                    found.append((kind, f"'{hit.group(0)}' ({kind})"))
                    break
        claim = self._claim(text)
        if claim:
            found.append((RoleBreak.EMPLOYEE_VOICE, f"claims the user's work as its own: '{claim}'"))
        if about := self._about_user(text):
            found.append((RoleBreak.THIRD_PERSON, f"talks about the user, not to them: '{about}'"))
        first = self.manager_name.split(" ")[0] if self.manager_name else ""
        # The manager never says their own first name: "Absolutely, Dana." is the report talking.
        same_name = first.lower() == (self.user_name.split(" ")[0].lower() if self.user_name else "")
        if first and not same_name and re.search(rf"\b{re.escape(first)}\b", text, re.IGNORECASE):
            found.append((RoleBreak.EMPLOYEE_VOICE, f"addresses {first}, the manager, by name"))
        return found

    def _claim(self, text: str) -> str | None:
        """'I led the migration myself' from the manager: the user's log told as the manager's own."""
        said = words(text)
        for claim in self.user_claims:
            claim_words = words(claim)
            if len(claim_words) < 3 or claim_words[0] != "i":
                continue
            verb = claim_words[1]
            if verb == "worked":  # "I worked on X": too common a phrase to tell anything
                continue
            verbs = {verb, _PRESENT.get(verb, verb[:-2] if verb.endswith("ed") else verb)}
            topic = {w for w in claim_words[2:] if len(w) > 3}
            for i, word in enumerate(said[:-1]):
                at = i + 1
                while at < len(said) - 1 and said[at] in _BETWEEN:
                    at += 1
                if word != "i" or said[at] not in verbs | _DOING:
                    continue
                reach = set(said[at + 1:at + 1 + CLAIM_REACH])
                if topic & reach or (said[at] == verb and _CLAIM_MARKERS & set(said[at + 1:at + 3])):
                    return " ".join(said[i:at + 1 + CLAIM_REACH])
        return None

    def _copies(self, text: str, user_line: str) -> list[tuple[RoleBreak, str]]:
        found = []
        said = f" {' '.join(words(text))} "
        for hidden in self.hidden:
            # A short brief item said whole ("a clear request for the title") is as telling as a
            # long run copied from a longer one.
            item = " ".join(words(hidden))
            span = shared_span(text, hidden, BRIEF_SPAN) or (
                item if len(item.split()) >= BRIEF_ITEM_WORDS and f" {item} " in said else None)
            if span:
                found.append((RoleBreak.REVEALS_BRIEF, f"repeats the brief: '{span}'"))
                break
        if user_line:
            mine, theirs = " ".join(words(text)), " ".join(words(user_line))
            span = shared_span(text, user_line, ECHO_SPAN)
            matcher = difflib.SequenceMatcher(None, mine, theirs)
            # quick_ratio() is an upper bound of ratio() and far cheaper: most replies stop there.
            similar = matcher.quick_ratio() > 0.8 and matcher.ratio() > 0.8
            # Agreeing to a request may repeat a few of its words ("I'll confirm the start date and
            # the requirements by email"); it is an echo when the copy is most of the reply.
            parroted = span is not None and len(span.split()) * 2 > len(mine.split())
            if parroted or similar or (theirs and mine.startswith(theirs)):
                found.append((RoleBreak.ECHO, f"repeats the user's line: '{span or user_line[:60]}'"))
        return found

    def _about_user(self, text: str) -> str | None:
        """'It was Sam's work', 'the right fit for Sam': the manager talking to Sam about Sam."""
        narrator = _NARRATOR.match(text)
        if narrator:
            return narrator.group(0)
        first = self.user_name.split(" ")[0] if self.user_name else ""
        if not first:
            return None
        name = re.escape(first)
        hit = re.search(rf"\b{name}'s\b|\b{name} (is|was|has|had|did|does|led|built|ran|would|will|should|"
                        rf"can|could|seems|thinks|wants|needs)\b|\b(for|about|of|from|than|like|regarding) "
                        rf"{name}\b(?!\s*,)", text, re.IGNORECASE)
        return hit.group(0) if hit else None

    @staticmethod
    def _repeated(text: str, said: Sequence[str]) -> str | None:
        """A line the manager already said, said again (the whole reply, or nearly)."""
        mine = " ".join(words(text))
        for line in said:
            theirs = " ".join(words(line))
            if not mine or not theirs:
                continue
            if mine == theirs or difflib.SequenceMatcher(None, mine, theirs).ratio() >= REPEAT_RATIO:
                return line
        return None

    def _gap_in_entry(self, text: str) -> str | None:
        """'the gaps in the churn dashboard': a log entry is work done, never a gap."""
        said = words(text)
        for title in self.entry_titles:
            topic = {w for w in words(title) if len(w) > 3} - {w for w in _DOING}
            topic -= {w for w in topic if w.endswith("ed")}  # the entry's verb: "Mentored two ..."
            if len(topic) < 1:
                continue
            for i, word in enumerate(said):
                if word in ("gap", "gaps"):
                    reach = set(said[i + 1:i + 1 + GAP_REACH])
                    if len(topic & reach) >= min(2, len(topic)):
                        return " ".join(said[i:i + 1 + GAP_REACH])
        return None

    def _invented(self, text: str, heard: str) -> set[str]:
        """Figures not in the log or the user's words. Small counts (months, weeks) are fine;
        a percentage or an amount never is unless it was said or logged."""
        return set(figures_not_in(text, self.known_figures | numbers_in(heard)))
