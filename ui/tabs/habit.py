"""The weekly habit on the Start tab: the status, the calendar file that repeats the weekly log
(and the monthly review), the development plan with due dates, done ticks and its .ics, and
after a no, the plan agreed with the manager (the gaps they named, the revisit date's .ics).

`build(state)` places the parts inside the Start tab; `render(ctx, today)` fills them for the
tab's refresh (on page load and on opening).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.plan import PlanItem
from coach.domain.reminders import DEFAULT_DAY, DEFAULT_TIME, WEEKDAYS
from coach.domain.status import status_lines
from coach.services import agreed_plan, habit, plan
from coach.services.context import Context
from coach.ui import downloads
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE

DAYS = [(d.capitalize(), d) for d in WEEKDAYS]
STATE_WORDS = {"done": "&#10003; done", "overdue": "**overdue**", "due": "due this week",
               "later": "planned"}
NO_PLAN = ("*The plan starts once your goal is set (Goal tab): it turns each gap readiness finds "
           "into a dated step.*")


@dataclass
class HabitParts:
    """The components the Start tab's refresh fills (`outputs`, in `render`'s order)."""

    status: Any
    plan_table: Any
    pick: Any
    plan_ics: Any
    outputs: list[Any] = field(default_factory=list)


def status_markdown(result: habit.HabitStatus) -> str:
    s = result.status
    lines = [f"### This week\n\n{s.headline}\n"]
    lines += [f"- {escape(line.strip().lstrip('- '))}" if not line.startswith("  ")
              else f"    - {escape(line.strip().lstrip('- '))}" for line in status_lines(s)]
    if result.schedule:
        lines.append(f"- Weekly reminder: {result.schedule.day.capitalize()} "
                     f"{result.schedule.time}")
    else:
        lines.append("- Weekly reminder: not in your calendar yet (see below)")
    return "\n".join(lines)


def plan_markdown(view: plan.PlanView | None) -> str:
    if view is None:
        return NO_PLAN
    if not view.items:
        return "*No plan items: your log shows every expectation of the next level.*"
    rows = []
    for item in view.items:  # a list, not a table: it wraps on a phone
        state = STATE_WORDS[view.states[item.id]]
        if item.closed_by == "log":
            state = "&#10003; done (your log shows it)"
        why = f"why: {escape(item.why)}"
        if item.agreed:
            why = f"**agreed** with {escape(item.agreed_with)}" + (
                f" &middot; shows: {escape(item.criterion_name)}" if item.criterion else "")
        rows.append(f"- **{escape(item.text)}**  \n  due {item.due.isoformat()} &middot; "
                    f"{state} &middot; {why} &middot; id `{item.id}`")
    lead = (f"Dates lead up to the **{view.review:%B %Y}** review cycle (done two weeks ahead)."
            if view.review else "One step a fortnight (set a review month in Goal to aim the "
                                "dates at it).")
    if view.progress is not None:
        lead = (f"**{escape(view.progress.line())}.** The agreed items lead up to the revisit; "
                + lead[:1].lower() + lead[1:])
    return "\n".join([lead, "", *rows])


def open_choices(items: list[PlanItem]) -> list[tuple[str, str]]:
    return [(f"{i.text[:70]} (due {i.due.isoformat()})", i.id) for i in items if not i.done]


def _plan_outputs(ctx: Context, view: plan.PlanView | None, today: dt.date | None) -> tuple:
    if view is None:
        return (NO_PLAN, gr.update(choices=[], value=None),
                gr.update(value=None, interactive=False))
    choices = open_choices(view.items)
    ics = (downloads.offer(ctx, plan.plan_file(ctx, today)) if choices else None)
    return (plan_markdown(view), gr.update(choices=choices, value=choices[0][1] if choices else None),
            gr.update(value=ics, interactive=bool(ics)))


def render(ctx: Context, today: dt.date | None) -> tuple:
    """Everything `HabitParts.outputs` shows, fresh."""
    result = habit.status(ctx, today)  # makes the plan on first use once a goal is set
    view = plan.show_plan(ctx, today=today) if result.status.has_profile else None
    # The reminder's form is not refreshed: a refresh landing while the user types would wipe
    # the day and time. The saved schedule is in the status text.
    return (status_markdown(result), *_plan_outputs(ctx, view, today),
            *_agree_outputs(ctx, today, result.status.has_profile))


# -- after a no: the plan agreed with the manager ---------------------------------------------
AGREE_INTRO = ("After a no, agree with your manager what to work on and when to look at it "
               "again. Pick the real meeting you scored (Role-play tab, *Score a real "
               "meeting*) to read the gaps they named, or type them, one per line, in their "
               "words; then the date you agreed to revisit.")


@dataclass
class AgreeParts:
    """The agree form's components."""

    meeting: Any
    read: Any
    gaps: Any
    said: Any
    revisit: Any
    with_name: Any
    go: Any
    ics: Any
    note: Any
    msgs: Messages


def meeting_choices(ctx: Context) -> list[tuple[str, int]]:
    return [(m.title, m.id) for m in agreed_plan.agreeable_meetings(ctx)]


def agreed_markdown(view: agreed_plan.AgreedPlan | None, progress: Any = None) -> str:
    if view is None:
        return (f"*{escape(progress.line())}. The items are in the plan above.*"
                if progress is not None else "")
    rows = [f"**Agreed with {escape(view.agreement.with_name)}; revisit on "
            f"{view.agreement.revisit.isoformat()}.** Download the date for your calendar "
            "(an alarm a week before).", ""]
    for item in view.items:
        shows = (f" &middot; shows: {escape(item.criterion_name)}" if item.criterion else "")
        rows.append(f"- **{escape(item.text)}**, due {item.due.isoformat()}{shows}")
    return "\n".join(rows)


def _agree_outputs(ctx: Context, today: dt.date | None, has_profile: bool) -> tuple:
    if not has_profile:
        return (gr.update(choices=[], value=None), gr.update(value=None, interactive=False), "")
    file = agreed_plan.agreed_file(ctx, today)
    progress = agreed_plan.agreed_progress(ctx, today)
    return (gr.update(choices=meeting_choices(ctx)),
            gr.update(value=downloads.offer(ctx, file) if file else None,
                      interactive=file is not None), agreed_markdown(None, progress))


def _build_agree(state: AppState) -> AgreeParts:
    msgs = Messages(state, "agree")
    with gr.Accordion("Agree a plan with your manager", open=False, elem_id="habit-agree-box"):
        gr.Markdown(AGREE_INTRO)
        with gr.Row():
            with gr.Column(min_width=240):
                meeting = gr.Dropdown([], label="Meeting", elem_id="habit-agree-meeting",
                                      info="A real meeting you scored whose answer was not a "
                                           "yes (optional)")
                msgs.field("meeting", "Meeting")
            with gr.Column(min_width=160, elem_classes=["coach-buttons"]):
                read = gr.Button("Read the gaps", elem_id="habit-agree-read")
        gaps = gr.Textbox(label="Gaps your manager named (one per line)", lines=4,
                          elem_id="habit-agree-gaps", max_lines=12)
        msgs.field("gaps", "Gaps your manager named", "gap", "drop")
        said = gr.Markdown(elem_id="habit-agree-said")
        with gr.Row():
            with gr.Column(min_width=160):
                revisit = gr.Textbox(label="Revisit date (YYYY-MM-DD)", max_length=10,
                                     elem_id="habit-agree-revisit")
                msgs.field("revisit", "Revisit date")
            with gr.Column(min_width=160):
                with_name = gr.Textbox(label="Agreed with", max_length=120,
                                       elem_id="habit-agree-with",
                                       placeholder="your manager's name")
        with gr.Row(elem_classes=["coach-buttons"]):
            go = gr.Button("Agree the plan", variant="primary", elem_id="habit-agree-go")
            ics = gr.DownloadButton("Download revisit date (.ics)", interactive=False,
                                    elem_id="habit-agree-ics")
        msgs.form()
        note = gr.Markdown(elem_id="habit-agree-note")
    return AgreeParts(meeting=meeting, read=read, gaps=gaps, said=said, revisit=revisit,
                      with_name=with_name, go=go, ics=ics, note=note, msgs=msgs)


def _wire_agree(state: AppState, parts: AgreeParts, plan_outs: list[Any]) -> None:
    def read_gaps(meeting_v, request: gr.Request):
        if meeting_v in (None, ""):
            raise CoachError("pick a meeting first, or type the gaps", code="no-meeting",
                             field="meeting")
        found = agreed_plan.meeting_gaps(state.context(request), int(meeting_v))
        if not found.gaps:
            return "", ("*No gap found in your manager's words: type the ones they named, one "
                        "per line.*")
        lines = [f"{n}. **{escape(g.text)}**, from: \u201c{escape(g.said)}\u201d"
                 for n, g in enumerate(found.gaps, 1)]
        return "\n".join(g.text for g in found.gaps), "\n".join(
            ["Read from your manager's lines (edit the box: it is what will be agreed):", "",
             *lines])

    def agree_plan(meeting_v, gaps_v, revisit_v, with_v, request: gr.Request):
        ctx = state.context(request)
        typed = [line for line in (gaps_v or "").splitlines() if line.strip()]
        result = agreed_plan.agree_plan(
            ctx, revisit=revisit_v or "", meeting_id=int(meeting_v) if meeting_v else None,
            gaps=typed, replace=bool(typed), with_name=with_v or None, today=state.today)
        view = plan.show_plan(ctx, today=state.today)
        return (*_plan_outputs(ctx, view, state.today),
                status_markdown(habit.status(ctx, state.today)),
                gr.update(value=downloads.offer(ctx, result.file) if result.file else None,
                          interactive=bool(result.file)), agreed_markdown(result))

    parts.msgs.on(parts.read.click, read_gaps, [parts.meeting], [parts.gaps, parts.said],
                  action="read the gaps", **PRIVATE)
    parts.msgs.on(parts.go.click, agree_plan,
                  [parts.meeting, parts.gaps, parts.revisit, parts.with_name],
                  [*plan_outs, parts.ics, parts.note], action="agree the plan", **PRIVATE)


def build(state: AppState) -> HabitParts:
    """Place the habit's parts (inside the Start tab) and wire their buttons."""
    status = gr.Markdown(elem_id="start-habit")
    msgs = Messages(state, "habit")
    with gr.Accordion("Weekly reminder in your calendar", open=False, elem_id="habit-remind"):
        gr.Markdown("Ten minutes a week keeps the log full. The file repeats the weekly log on "
                    "the day and time you pick (your local time); the monthly review falls on "
                    "the last such day of each month, right after the log.")
        with gr.Row():
            with gr.Column(min_width=160):
                day = gr.Dropdown(DAYS, value=DEFAULT_DAY, label="Day", elem_id="habit-day")
                msgs.field("weekday", "Day")
            with gr.Column(min_width=160):
                time = gr.Textbox(value=DEFAULT_TIME, label="Time (HH:MM, 24-hour)",
                                  elem_id="habit-time", max_length=5)
                msgs.field("time", "Time")
            monthly = gr.Checkbox(value=True, label="Add the monthly review",
                                  elem_id="habit-monthly")
        with gr.Row(elem_classes=["coach-buttons"]):
            make = gr.Button("Make the calendar file", variant="primary", elem_id="habit-make")
            ics = gr.DownloadButton("Download reminders (.ics)", interactive=False,
                                    elem_id="habit-ics")
        msgs.form()
        made = gr.Markdown(elem_id="habit-made")
    with gr.Accordion("Development plan", open=False, elem_id="habit-plan-box"):
        plan_table = gr.Markdown(NO_PLAN, elem_id="habit-plan")
        with gr.Row():
            with gr.Column(min_width=240):
                pick = gr.Dropdown([], label="Plan item", elem_id="habit-plan-item")
                msgs.field("plan_item", "Plan item")
            with gr.Column(min_width=240, elem_classes=["coach-buttons"]):
                done = gr.Button("Mark done", elem_id="habit-plan-done")
                again = gr.Button("Refresh from readiness", elem_id="habit-plan-refresh")
                plan_ics = gr.DownloadButton("Download plan (.ics)", interactive=False,
                                             elem_id="habit-plan-ics")
        plan_note = gr.Markdown(elem_id="habit-plan-note")
    agree_parts = _build_agree(state)

    def remind(day_v, time_v, monthly_v, request: gr.Request):
        ctx = state.context(request)
        result = habit.remind(ctx, day=day_v or "", time=time_v or "", monthly=bool(monthly_v),
                              today=state.today)
        whens = "; ".join(f"{e.summary} ({e.when})" for e in result.events)
        return (gr.update(value=downloads.offer(ctx, result.file), interactive=True),
                f"Ready: {escape(whens)}. Download it and open it in your calendar.",
                status_markdown(habit.status(ctx, state.today)))

    def mark(item_v, request: gr.Request):
        ctx = state.context(request)
        view = plan.mark_done(ctx, item_v or "", today=state.today)
        return (*_plan_outputs(ctx, view, state.today), "Marked done.",
                status_markdown(habit.status(ctx, state.today)))

    def refresh_plan(request: gr.Request):
        ctx = state.context(request)
        view = plan.refresh(ctx, today=state.today)
        note = ("Added: " + ", ".join(view.added) + ". " if view.added else "No new gaps. ")
        if view.closed:
            note += "Closed, as your log now shows them: " + ", ".join(view.closed) + "."
        return (*_plan_outputs(ctx, view, state.today), note,
                status_markdown(habit.status(ctx, state.today)))

    msgs.on(make.click, remind, [day, time, monthly], [ics, made, status],
            action="make the calendar file", **PRIVATE)
    plan_outs = [plan_table, pick, plan_ics, plan_note, status]
    msgs.on(done.click, mark, [pick], plan_outs, action="mark the plan item done", **PRIVATE)
    msgs.on(again.click, refresh_plan, None, plan_outs, action="refresh the plan", **PRIVATE)
    _wire_agree(state, agree_parts, [plan_table, pick, plan_ics, status])
    return HabitParts(status=status, plan_table=plan_table, pick=pick, plan_ics=plan_ics,
                      outputs=[status, plan_table, pick, plan_ics, agree_parts.meeting,
                               agree_parts.ics, agree_parts.note])
