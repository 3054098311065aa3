"""Start: a first-run greeting with the three first steps, or where the user is in the journey;
then the weekly habit (status, calendar reminder, development plan: `ui/tabs/habit.py`)."""

from __future__ import annotations

import gradio as gr

from coach.domain.text import count
from coach.services import impact_log, sample
from coach.services.context import Context
from coach.ui.errors import Messages
from coach.ui.icons import icon
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, habit

WELCOME = """
## Welcome to Promotion Coach

It helps you build the case for a promotion, pick a good moment to ask, write the proposal,
rehearse the conversation with a mock manager, and draft the emails around it.
Everything stays in your own data home.

**Three first steps**

1. **Set your goal** - your current and target title, time in role, and what is going on
   at work (the *Goal* tab).
2. **Log your wins** - dated results, ideally with a number each (the *Impact log* tab).
3. **Check readiness and timing** - what the next level expects that your log does not
   show yet, and whether now is a good time to ask (the *Readiness & timing* tab).

Want to look around first? Load a sample profile with a few log entries; you can change
or delete all of it later.
"""


def journey_text(ctx: Context) -> tuple[str, bool]:
    """The page text for this home, and whether it is still empty."""
    profile = ctx.store.get_profile()
    entries = impact_log.list_entries(ctx)
    if profile is None and not entries:
        return WELCOME, True
    done, todo = icon("check", "done"), icon("todo", "to do")
    goal = (f"{done} **Goal:** {profile.current_title} &rarr; {profile.target_title}, "
            f"{profile.months_in_role} months in role" if profile
            else f"{todo} **Goal:** not set yet (Goal tab)")
    quantified = sum(1 for e in entries if e.quantified)
    log = (f"{done} **Impact log:** {count(len(entries), 'entry', 'entries')}, "
           f"{quantified} with a measured result"
           if entries else f"{todo} **Impact log:** empty (Impact log tab)")
    who = f" {profile.name.split()[0]}" if profile and profile.name else ""
    text = f"""
## Welcome back{who}

{goal}

{log}

**Next steps:** check *Readiness & timing*, ask questions in *Prepare*, draft your
*Proposal*, rehearse in *Role-play*, and write the *Emails*.
"""
    return text, False


def build(state: AppState) -> Panel:
    msgs = Messages(state, "start")
    with gr.Tab("Start", id="start") as tab:
        intro = gr.Markdown(WELCOME, elem_id="start-intro")
        with gr.Row(elem_classes=["coach-buttons"]):
            sample_btn = gr.Button("Load sample profile", variant="primary", elem_id="load-sample")
            go_goal = gr.Button("Set your goal", elem_id="go-goal")
            go_log = gr.Button("Log your wins", elem_id="go-log")
            go_ready = gr.Button("Check readiness and timing", elem_id="go-readiness")
        msgs.form()
        status = gr.Markdown(elem_id="start-status")
        parts = habit.build(state)

    def refresh(request: gr.Request):
        ctx = state.context(request)
        text, empty = journey_text(ctx)
        return text, gr.update(visible=empty), *habit.render(ctx, state.today)

    def load(request: gr.Request):
        result = sample.load_sample(state.context(request), today=state.today)
        return (f"Loaded the sample: **{result.profile.current_title} &rarr; "
                f"{result.profile.target_title}** with "
                f"{count(len(result.entries), 'log entry', 'log entries')}. "
                "Open *Readiness & timing* to see what it shows.")

    # A failed load leaves the page as it was; refreshing it afterwards changes nothing.
    sample_event = msgs.on(sample_btn.click, load, None, status,
                           action="load the sample profile", **PRIVATE)
    shown = [intro, sample_btn, *parts.outputs]
    after = msgs.wrap(refresh, len(shown), "show where you are", clear=False)
    sample_event = sample_event.then(after, None, [*shown, *msgs.lines], **PRIVATE)
    return Panel(tab=tab, refresh=msgs.wrap(refresh, len(shown), "show where you are"),
                 outputs=[*shown, *msgs.lines],
                 extra={"sample_event": sample_event, "go_goal": go_goal, "go_log": go_log,
                        "go_readiness": go_ready})
