"""`coach demo`: the whole journey on the sample profile, written into one folder.

Readiness and timing, the proposal (Markdown and DOCX), the four emails (.eml, plus the
.ics reminder), a role-play of each response type with its scorecard, then an index page
linking them. The face that runs the demo may add items of its own (the CLI adds the eval
report) before the index is written. It runs on the configured model (the embedded one by
default), so it is also the quickest end-to-end check that everything works offline.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from coach.assets import scripts_dir
from coach.domain.email_kinds import EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.roleplay import ResponseType
from coach.services import emails, proposal, readiness, roleplay, sample, timing
from coach.services.context import Context


class DemoItem(BaseModel):
    step: str
    title: str
    files: list[str] = Field(default_factory=list)
    summary: str = ""
    notice: str | None = None


class DemoReport(BaseModel):
    folder: str
    index: str
    model: str
    items: list[DemoItem]


def _script(response: str) -> list[str]:
    return roleplay.load_script(scripts_dir() / f"{response}-strong.txt")


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return path.name


def run_journey(ctx: Context, out: Path, *, today: dt.date | None = None,
                progress: Callable[[str], None] | None = None) -> DemoReport:
    """Run the journey into `out` (created; must be empty or new); `write_index` finishes it."""
    say = progress or (lambda _msg: None)
    out = out.expanduser()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CoachError(f"{out} is not an empty folder", code="not-empty", field="out")
    out.mkdir(parents=True, exist_ok=True)
    today = today or dt.date.today()
    items: list[DemoItem] = []

    say("Loading the sample profile and impact log")
    loaded = sample.load_sample(ctx, today=today, force=True)
    profile = loaded.profile
    items.append(DemoItem(step="1", title="Sample profile and impact log",
                          summary=f"{profile.current_title} -> {profile.target_title}, "
                                  f"{len(loaded.entries)} log entries"))

    say("Readiness and timing")
    ready = readiness.readiness(ctx, today=today)
    when = timing.timing(ctx, today=today)
    files = [_write(out / "readiness.json", ready.model_dump_json(indent=2)),
             _write(out / "timing.json", when.model_dump_json(indent=2))]
    items.append(DemoItem(step="2", title="Readiness and timing", files=files,
                          summary=f"{len(ready.covered)} expectations covered, {len(ready.gaps)} "
                                  f"gaps; timing verdict: {when.verdict}"))

    say("Drafting the proposal")
    case = proposal.draft_proposal(ctx, today=today)
    proposal.export(case.markdown, out / "proposal.md", "md")
    proposal.export(case.markdown, out / "proposal.docx", "docx")
    items.append(DemoItem(step="3", title="Promotion proposal", files=["proposal.md", "proposal.docx"],
                          summary=f"version {case.version}, {len(case.flags)} weak spot(s) flagged",
                          notice=case.notice))

    say("Rehearsing the five manager responses")
    sessions = []
    for response in ResponseType:
        say(f"  role-play: {response}")
        result = roleplay.run_script(ctx, _script(response), response,
                                     "realistic", seed=1, today=today)
        sessions.append(result)
        name = f"roleplay-{response}.json"
        _write(out / name, result.model_dump_json(indent=2))
        score = result.scorecard.score if result.scorecard else None
        items.append(DemoItem(step="4", title=f"Role-play: {result.label or response}",
                              files=[name],
                              summary=f"{len(result.transcript)} turns; scorecard "
                                      f"{'n/a' if score is None else f'{score:.0%}'}"))

    say("Drafting the four emails")
    email_dir = out / "emails"
    not_yet = next(s for s in sessions if s.requested == ResponseType.NOT_YET)
    for kind in EMAIL_KINDS:
        say(f"  email: {kind}")
        email = emails.draft_email(
            ctx, kind, out_dir=email_dir, today=today,
            reason="I want to finish the platform migration first" if kind == "decline" else None,
            meeting_id=not_yet.session_id if kind == "follow-up" else None)
        copied = [f"emails/{Path(f).name}" for f in email.files]
        items.append(DemoItem(step="5", title=f"Email: {kind}", files=copied,
                              summary=email.subject, notice=email.notice))

    return DemoReport(folder=str(out), index=str(out / "index.html"), model=ctx.llm.model,
                      items=items)


def write_index(report: DemoReport, today: dt.date | None = None) -> DemoReport:
    """Write the index page and demo.json for every item of `report` (the last step)."""
    out = Path(report.folder)
    Path(report.index).write_text(_index_html(report.items, report.model,
                                              today or dt.date.today()), encoding="utf-8")
    _write(out / "demo.json", json.dumps([i.model_dump() for i in report.items], indent=2))
    return report


def _index_html(items: list[DemoItem], model: str, today: dt.date) -> str:
    rows = []
    for item in items:
        links = " ".join(f'<a href="{html.escape(f)}">{html.escape(Path(f).name)}</a>'
                         for f in item.files)
        notice = (f'<div class="notice">{html.escape(item.notice)}</div>' if item.notice else "")
        rows.append(f"<tr><td>{html.escape(item.step)}</td><td><b>{html.escape(item.title)}</b>"
                    f"<div>{html.escape(item.summary)}</div>{notice}</td><td>{links}</td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Promotion Coach demo</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1f2937; }}
table {{ border-collapse: collapse; width: 100%; }}
td {{ border-bottom: 1px solid #e5e7eb; padding: .6rem .5rem; vertical-align: top; }}
td:first-child {{ color: #6b7280; width: 2rem; }} a {{ margin-right: .6rem; }}
.notice {{ color: #92400e; background: #fef3c7; padding: .2rem .4rem; margin-top: .3rem; }}
</style></head><body>
<h1>Promotion Coach: the whole journey</h1>
<p>Sample profile, run on <code>{html.escape(model)}</code> on {today.isoformat()}.</p>
<table>{''.join(rows)}</table>
</body></html>
"""
