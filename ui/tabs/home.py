"""Start: a first-run greeting with the three first steps, or where the user is in the journey."""

from __future__ import annotations

import gradio as gr

from coach.services import impact_log, sample
from coach.services.context import Context
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

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
    done, todo = "&#10003;", "&#9675;"
    goal = (f"{done} **Goal:** {profile.current_title} &rarr; {profile.target_title}, "
            f"{profile.months_in_role} months in role" if profile
            else f"{todo} **Goal:** not set yet (Goal tab)")
    quantified = sum(1 for e in entries if e.quantified)
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    log = (f"{done} **Impact log:** {count}, {quantified} with a measured result"
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
    with gr.Tab("Start", id="start") as tab:
        intro = gr.Markdown(WELCOME, elem_id="start-intro")
        with gr.Row():
            sample_btn = gr.Button("Load sample profile", variant="primary", elem_id="load-sample")
            go_goal = gr.Button("Set your goal", elem_id="go-goal")
            go_log = gr.Button("Log your wins", elem_id="go-log")
            go_ready = gr.Button("Check readiness and timing", elem_id="go-readiness")
        status = gr.Markdown(elem_id="start-status")

    @guarded("show where you are", state)
    def refresh(request: gr.Request):
        text, empty = journey_text(state.context(request))
        return text, gr.update(visible=empty)

    @guarded("load the sample profile", state)
    def load(request: gr.Request):
        result = sample.load_sample(state.context(request), today=state.today)
        return (f"Loaded the sample: **{result.profile.current_title} &rarr; "
                f"{result.profile.target_title}** with {len(result.entries)} log entries. "
                "Open *Readiness & timing* to see what it shows.")

    sample_event = sample_btn.click(load, None, status, **PRIVATE)
    sample_event = sample_event.success(refresh, None, [intro, sample_btn], **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[intro, sample_btn],
                 extra={"sample_event": sample_event, "go_goal": go_goal, "go_log": go_log,
                        "go_readiness": go_ready})
