"""Reading a result figure out of source text, and nothing the text does not say.

A pull request body that says "cut build time from 12 min to 7 min (40%)" holds a result;
"+120 -40 in 7 files" or "#123" or "PAY-42" do not: those are counts and identifiers. The
metric a candidate carries is always a clause copied from its source text (trimmed, never
reworded), so every figure in it can be found in the evidence.
"""

from __future__ import annotations

import re

from coach.domain.text import NUMBER_RE, clean_line

# What a bare number is measured in when it is a result, not an id or a count of lines.
_UNITS = (r"ms|msec|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|"
          r"months?|[kmgt]b|bytes?|users?|customers?|clients?|requests?|rps|qps|req/s|errors?|"
          r"incidents?|alerts?|pages?|tickets?|bugs?|teams?|engineers?|people|services?|"
          r"queries|calls|jobs|builds?|deploys?|deployments?|releases?|attendees?|downloads?|"
          r"signups?|sign-ups?|dollars|usd|eur|gbp|points?|pp|percent|per ?cent|times|fold|"
          r"cores?|nodes?|servers?|instances?|machines?|hosts?")
_UNIT_AFTER = re.compile(rf"\s?(?:{_UNITS})\b", re.IGNORECASE)
# Words that say a figure is an outcome: a cut, a gain, a before and after.
_RESULT_WORDS = re.compile(
    r"\b(cut|cuts|reduc\w*|lower\w*|drop\w*|improv\w*|faster|slower|fewer|less|more|saved?|"
    r"saving\w*|increas\w*|decreas\w*|grew|grow\w*|boost\w*|speed\w*|from|down|up|halv\w*|"
    r"doubl\w*|eliminat\w*|remov\w*|shrank|shrunk|p\d\d|latency|uptime|availability|"
    r"conversion|revenue|cost)\b", re.IGNORECASE)
# A number glued to these is an identifier or a version, never a result.
_ID_BEFORE = re.compile(r"(?:[#\-/:v]|\bpr\s?|\bissue\s?|\bticket\s?)$", re.IGNORECASE)
_STATUS_CODE = re.compile(r"^[1-5]\d\d$")
_STATUS_AFTER = re.compile(r"\s?(?:errors?|pages?|responses?|status|codes?)\b", re.IGNORECASE)
_URL = re.compile(r"\b\w+://\S+|\bwww\.\S+")
_CLAUSE_SPLIT = re.compile(r"(?<=[.!?;])\s+")
_BULLET = re.compile(r"^\s*(?:[-*+>•]|\d+[.)]|#+)\s+")
MAX_METRIC_CHARS = 160
MAX_SCAN = 10_000


def _is_result_figure(clause: str, match: re.Match[str]) -> bool:
    raw = match.group(0)
    # a few characters either side decide; slicing more would make a long clause quadratic
    before = clause[max(0, match.start() - 12):match.start()]
    after = clause[match.end():match.end() + 24]
    if _ID_BEFORE.search(before) or after[:1] in ("-", "/", ":", ".") and after[1:2].isdigit():
        return False  # PAY-42, #123, v1.2, 2024-03-12, 9:41
    if _STATUS_CODE.match(raw) and _STATUS_AFTER.match(after):
        return False  # "404 errors", "500 responses": a status code, not a count
    multiple = raw.strip()[-1:] in ("x", "X") and not after[:1].isalpha()
    if multiple or raw.strip().endswith("%") or raw[:1] in "$€£" or raw[-1:] in "kKmMbB":
        return True
    return bool(_UNIT_AFTER.match(after))


BEST_SCORE = 5


def _score(clause: str) -> int:
    """How strongly a clause reads as a result: a percentage or multiple, a result word."""
    score = 0
    for match in NUMBER_RE.finditer(clause):
        if not _is_result_figure(clause, match):
            continue
        raw = match.group(0).strip()
        strong = raw[-1:] in ("%", "x", "X") or raw[:1] in "$€£"
        score = max(score, 3 if strong else 2)
    if score and _RESULT_WORDS.search(clause):
        score += 2
    return score


def _trim(clause: str) -> str:
    """At most MAX_METRIC_CHARS around the clause's first result figure, cut at spaces so no
    figure is split."""
    clause = clean_line(_BULLET.sub("", clause)).strip(" ,;:-").rstrip(".!?")
    if len(clause) <= MAX_METRIC_CHARS:
        return clause
    figure = next((m for m in NUMBER_RE.finditer(clause) if _is_result_figure(clause, m)), None)
    start = 0
    if figure is not None and figure.end() > MAX_METRIC_CHARS - 20:
        start = clause.find(" ", max(0, figure.start() - MAX_METRIC_CHARS // 2)) + 1
    end = start + MAX_METRIC_CHARS
    if end < len(clause):
        cut_at = clause.rfind(" ", start, end)
        end = cut_at if cut_at > start else end
    return clause[start:end].strip(" ,;:-")


def _paragraph_items(text: str) -> list[str]:
    """Sentences run across wrapped lines (commit bodies wrap at 72 columns): lines are joined
    within a paragraph, and a bullet or a numbered line starts a new item. Code is skipped."""
    items: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text[:MAX_SCAN].replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            continue  # code and logs: their numbers are not outcomes
        if not line.strip() or _BULLET.match(line):
            if current:
                items.append(" ".join(current))
            current = [line.strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        items.append(" ".join(current))
    return items


def _clauses(text: str) -> list[str]:
    found: list[str] = []
    for item in _paragraph_items(text):
        found.extend(_CLAUSE_SPLIT.split(_URL.sub(" ", item)))
    return found


def result_clauses(text: str) -> list[str]:
    """The clauses of `text` that state a result figure, best first (ties in text order)."""
    scored = [(-score, order, clause) for order, clause in enumerate(_clauses(text))
              if (score := _score(clause))]
    return [_trim(clause) for _, _, clause in sorted(scored)]


def find_metric(*texts: str) -> str:
    """The best result clause in the texts (title first, then body), or '' when none holds one.

    A clause needs a figure that is a measure: a percentage, a multiple, an amount, or a
    number followed by a unit ("12 min", "300 users"). Identifiers (#123, PAY-42), versions
    and dates are not figures. Only the first MAX_SCAN characters of each text are read: a
    result is stated near the top, and a pasted log must not cost seconds.
    """
    best: tuple[int, str] | None = None
    for text in texts:
        for clause in _clauses(text or ""):
            if not NUMBER_RE.search(clause):
                continue
            score = _score(clause)
            if score and (best is None or score > best[0]):
                best = (score, clause)
                if score == BEST_SCORE:
                    return _trim(clause)  # nothing later can beat it
    return _trim(best[1]) if best else ""
