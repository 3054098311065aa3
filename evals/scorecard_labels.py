"""The role-play scorecard against hand labels (`evals/labelled/scorecards-*.yaml`).

Each labelled transcript is scored the way the app scores a finished meeting (the person's
whole log as facts), and every check's verdict is compared with a careful coach's label.
The set has two parts: `tuned` (the rules were adjusted while looking at it) and `held-out`
(written first, never tuned on). Offline: a check the rules leave to the judge is answered
from the recorded judge replies beside the labels, and is unscored where none is recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from coach.domain.errors import CoachError
from coach.domain.evidence import Entry
from coach.domain.profile import Profile
from coach.domain.roleplay import STEPS, JudgeQuestion, JudgeVerdict, ResponseType, Scorecard, Turn
from coach.domain.validation import explain
from coach.evals import DATA_DIR
from coach.evals.dataset import DATASETS_DIR, load_people
from coach.llm.base import LLM

LABELLED_DIR = DATA_DIR / "labelled"
JUDGE_REPLIES = LABELLED_DIR / "judge-replies.jsonl"
TODAY = dt.date(2025, 6, 2)  # the eval datasets' date: only the suggested phrasings use it
MIN_OVERALL, MIN_CHECK = 0.95, 0.85


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["yes", "no", "n/a"]
    why: str = Field(..., min_length=3)


class LabelledMeeting(BaseModel):
    """One transcript with a coach's verdict per check, and the person it is about."""

    id: str
    part: str
    person: str
    response_type: ResponseType
    quality: str = ""
    hard_case: str = ""
    turns: list[Turn]
    labels: dict[str, Label]
    profile: Profile
    entries: list[Entry]


def _turns(raw: list[dict[str, str]]) -> list[Turn]:
    turns = []
    for line in raw:
        speaker = "you" if "you" in line else "manager"
        text = " ".join(str(line[speaker]).split())
        turns.append(Turn(speaker=speaker, text=text, move=line.get("move", "")))
    return turns


def load_labelled(directory: Path = LABELLED_DIR, datasets_dir: Path = DATASETS_DIR) -> list[LabelledMeeting]:
    """Every labelled transcript of every part, with its person's profile and log resolved."""
    people = load_people(datasets_dir)
    out: list[LabelledMeeting] = []
    for path in sorted(directory.glob("scorecards-*.yaml")):
        try:
            data = yaml.safe_load(path.read_text("utf-8"))
            for raw in data["transcripts"]:
                person = people[raw["person"]]
                logged = raw["entries"] if "entries" in raw else person.get("entries", [])
                entries = [Entry(id=i, **e) for i, e in enumerate(logged, start=1)]
                unknown = set(raw["labels"]) - set(STEPS)
                if unknown:
                    raise CoachError(f"{path.name}: {raw['id']} labels unknown checks: "
                                     f"{', '.join(sorted(unknown))}")
                out.append(LabelledMeeting(
                    id=raw["id"], part=data["part"], person=raw["person"], response_type=raw["response_type"],
                    quality=raw.get("quality", ""), hard_case=raw.get("hard_case", ""),
                    turns=_turns(raw["turns"]), labels=raw["labels"],
                    profile=Profile(**person["profile"]), entries=entries))
        except ValidationError as exc:
            raise CoachError(f"labelled scorecards {path.name}: {explain(exc)}") from None
        except (KeyError, TypeError, yaml.YAMLError) as exc:
            raise CoachError(f"labelled scorecards {path.name} is not readable: {exc!r}") from None
    if not out:
        raise CoachError(f"no labelled scorecards in {directory}")
    return out


# -- recorded judge replies -------------------------------------------------------------------
def request_key(question: JudgeQuestion, target_title: str) -> str:
    """What a recorded judge reply answers: the rendered judge prompt, hashed."""
    from coach.services.roleplay.scoring import judge_messages

    body = json.dumps(judge_messages(question, target_title), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def load_replies(path: Path = JUDGE_REPLIES) -> dict[str, dict]:
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return {row["key"]: row for row in rows}


def save_replies(rows: dict[str, dict], path: Path = JUDGE_REPLIES) -> None:
    lines = [json.dumps(rows[key], ensure_ascii=False, sort_keys=True) for key in sorted(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def replayed_judge(replies: dict[str, dict],
                   target_title: str) -> Callable[[JudgeQuestion], JudgeVerdict | str]:
    def ask(question: JudgeQuestion) -> JudgeVerdict | str:
        row = replies.get(request_key(question, target_title))
        if row is None:
            return "no judge reply is recorded for this question (record with --live --save)"
        return JudgeVerdict.model_validate(row["reply"]) if isinstance(row["reply"], dict) else row["reply"]
    return ask


# -- agreement ---------------------------------------------------------------------------------
class CheckAgreement(BaseModel):
    check: str
    n: int = 0
    agree: int = 0
    by_rule: int = 0
    by_judge: int = 0
    unscored: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def percent(self) -> float | None:
        return round(self.agree / self.n, 4) if self.n else None


class Disagreement(BaseModel):
    case: str
    part: str
    check: str
    label: str
    got: str
    method: str
    reason: str


class PartReport(BaseModel):
    part: str
    transcripts: int
    checks: list[CheckAgreement]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> CheckAgreement:
        total = CheckAgreement(check="all")
        for c in self.checks:
            total.n += c.n
            total.agree += c.agree
            total.by_rule += c.by_rule
            total.by_judge += c.by_judge
            total.unscored += c.unscored
        return total

    @computed_field  # type: ignore[prop-decorator]
    @property
    def below(self) -> list[str]:
        """Checks under the per-check bar."""
        return [c.check for c in self.checks if c.percent is not None and c.percent < MIN_CHECK]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        overall = self.overall.percent
        return overall is not None and overall >= MIN_OVERALL and not self.below


class LabelReport(BaseModel):
    parts: list[PartReport]
    disagreements: list[Disagreement]
    judge: str = Field(description="Where judge verdicts came from: recorded replies or a live model.")


def measure(score: Callable[[LabelledMeeting], Scorecard], meetings: list[LabelledMeeting],
            judge: str = "recorded replies") -> LabelReport:
    """Score every labelled meeting with `score` and count agreement per part and check."""
    parts: dict[str, dict[str, CheckAgreement]] = {}
    counts: dict[str, int] = {}
    misses: list[Disagreement] = []
    for meeting in meetings:
        card = score(meeting)
        tally = parts.setdefault(meeting.part, {cid: CheckAgreement(check=cid) for cid in STEPS})
        counts[meeting.part] = counts.get(meeting.part, 0) + 1
        for check_id, label in meeting.labels.items():
            got = card.check(check_id)
            row = tally[check_id]
            row.n += 1
            row.by_rule += got.method == "rule"
            row.by_judge += got.method == "judge"
            row.unscored += got.verdict.value == "unscored"
            if got.verdict.value == label.verdict:
                row.agree += 1
            else:
                misses.append(Disagreement(case=meeting.id, part=meeting.part, check=check_id,
                                           label=label.verdict,
                                           got=got.verdict.value, method=got.method,
                                           reason=got.reason or got.quote))
    order = sorted(parts, key=lambda p: (p != "tuned", p))
    return LabelReport(parts=[PartReport(part=p, transcripts=counts[p], checks=list(parts[p].values()))
                              for p in order], disagreements=misses, judge=judge)


def render(report: LabelReport) -> str:
    """The agreement table per part and check, then every disagreement."""
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0%}"

    lines = [f"Scorecard checks against hand labels (judge: {report.judge}; bar: {MIN_OVERALL:.0%} overall, "
             f"{MIN_CHECK:.0%} per check)", ""]
    header = f"  {'check':<13}" + "".join(f"{f'{p.part} ({p.transcripts})':>24}" for p in report.parts)
    lines.append(header)
    for i, check_id in enumerate(STEPS):
        cells = []
        for p in report.parts:
            c = p.checks[i]
            judged = f", {c.by_judge} judge" if c.by_judge else ""
            cells.append(f"{c.agree:>3}/{c.n:<3} {pct(c.percent):>4}{judged:>9}")
        lines.append(f"  {check_id:<13}" + "".join(f"{cell:>24}" for cell in cells))
    cells = [f"{p.overall.agree:>3}/{p.overall.n:<3} {pct(p.overall.percent):>4}{'':>9}"
             for p in report.parts]
    lines.append(f"  {'all':<13}" + "".join(f"{cell:>24}" for cell in cells))
    for p in report.parts:
        below = f" ({', '.join(p.below)})" if p.below else ""
        verdict = "meets the bar" if p.passed else f"BELOW THE BAR{below}"
        lines.append(f"  {p.part}: {verdict}")
    if report.disagreements:
        lines += ["", "Disagreements (label -> scorecard):"]
        for d in report.disagreements:
            lines.append(f"  [{d.part}] {d.case} {d.check}: {d.label} -> {d.got} ({d.method}): "
                         f"{d.reason[:110]}")
    return "\n".join(lines)


def run(judge: LLM | None = None, *, save: bool = False, directory: Path = LABELLED_DIR,
        replies_path: Path = JUDGE_REPLIES) -> LabelReport:
    """Score every labelled meeting; the judge's questions from recordings, or from `judge` live.

    With `save`, the live replies are written to `replies_path` for later offline runs.
    """
    from coach.services.roleplay.scoring import ask_judge, score_input, score_with

    meetings = load_labelled(directory)
    replies = load_replies(replies_path)

    def score(meeting: LabelledMeeting) -> Scorecard:
        target = meeting.profile.target_title
        inp = score_input(meeting.turns, meeting.profile, meeting.entries, meeting.response_type,
                          "realistic", TODAY)
        if judge is None:
            return score_with(inp, replayed_judge(replies, target))

        def live(question: JudgeQuestion) -> JudgeVerdict | str:
            reply = ask_judge(judge, question, target)
            replies[request_key(question, target)] = {
                "key": request_key(question, target), "case": meeting.id, "check": question.check_id,
                "model": getattr(judge, "model", "?"),
                "reply": reply.model_dump() if isinstance(reply, JudgeVerdict) else reply}
            return reply
        return score_with(inp, live)

    report = measure(score, meetings, judge=f"live ({getattr(judge, 'model', '?')})" if judge else
                     f"recorded replies ({replies_path.name})")
    if judge is not None and save:
        save_replies(replies, replies_path)
    return report
