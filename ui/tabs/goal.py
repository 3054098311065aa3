"""Goal: who the user and their manager are, current and target role, time in role, review
month and the signals around the user."""

from __future__ import annotations

import calendar

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.limits import BUDGET
from coach.domain.profile import (
    BAD_SIGNALS,
    GOOD_SIGNALS,
    MOVING_ON_SIGNALS,
    Profile,
    Signal,
    Transition,
)
from coach.services import profile as profile_service
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel

TRANSITIONS = [
    ("Individual contributor to team lead", Transition.IC_TO_LEAD.value),
    ("Senior individual contributor to staff or principal", Transition.SENIOR_TO_STAFF.value),
    ("Team lead to manager", Transition.LEAD_TO_MANAGER.value),
    ("Manager to director", Transition.MANAGER_TO_DIRECTOR.value),
    ("Another step", Transition.OTHER.value),
]
MONTHS = [("Not set", 0)] + [(calendar.month_name[m], m) for m in range(1, 13)]
SIGNAL_LABELS = {
    Signal.RECENT_WIN: "I had a clear, recent win",
    Signal.REVIEW_CYCLE: "The review or planning cycle is coming up",
    Signal.COMPANY_GROWING: "The company is growing",
    Signal.TEAM_GROWING: "My team is growing",
    Signal.FINANCIALS_STRONG: "Company finances are strong",
    Signal.LAYOFFS: "There are layoffs",
    Signal.HIRING_FREEZE: "There is a hiring freeze",
    Signal.RECENT_MISTAKE: "I made a significant mistake recently",
    Signal.MANAGER_OVERLOADED: "My manager is overloaded",
    Signal.FINANCIALS_WEAK: "Company finances are weak",
    Signal.PASSED_OVER: "I have been passed over",
    Signal.NO_PATH: "There is no visible route up",
    Signal.POLITICS: "Politics decide who moves up",
    Signal.COMPANY_STAGNANT: "The company is standing still",
    Signal.MAXED_OUT: "I have outgrown my level",
}
# The manager's last answer: the five the role-play knows.
ANSWERS = [("Not asked yet", ""), ("Yes", "yes"), ("Not yet", "not-yet"),
           ("No budget", "no-budget"), ("Not ready", "not-ready"),
           ("We don't see you in that role", "no-fit")]
# The two address fields' labels: the Emails tab names them when an address is missing.
ADDRESS_LABELS = {"email": "Your e-mail address", "manager_email": "Your manager's e-mail address"}
GOOD_CHOICES = [(SIGNAL_LABELS[s], s.value) for s in Signal if s in GOOD_SIGNALS]
BAD_CHOICES = [(SIGNAL_LABELS[s], s.value) for s in Signal if s in BAD_SIGNALS]
MOVING_CHOICES = [(SIGNAL_LABELS[s], s.value) for s in Signal if s in MOVING_ON_SIGNALS]


def summary(p: Profile) -> str:
    review = f", review cycle in {calendar.month_name[p.review_month]}" if p.review_month else ""
    signals = ", ".join(SIGNAL_LABELS[s].lower() for s in p.signals) or "no signals ticked"
    return (f"**Saved.** {p.current_title} &rarr; **{p.target_title}** "
            f"({p.months_in_role} months in role{review}; {signals}).\n\n"
            "Next: log your wins in the *Impact log* tab.")


def build(state: AppState) -> Panel:
    msgs = Messages(state, "goal")
    with gr.Tab("Goal", id="goal") as tab:
        gr.Markdown("### Your goal\nWho you are, where you want to go, and what is going on "
                    "around you. Readiness, timing, the proposal, the role-play and the emails "
                    "all read this.")
        col = msgs.column
        with gr.Row():
            name = col("name", gr.Textbox(label="Your name", placeholder="How you sign your emails",
                                          elem_id="goal-name", max_length=BUDGET["name"],
                                          render=False))
            email = col("email", gr.Textbox(label=ADDRESS_LABELS["email"], elem_id="goal-email",
                                            placeholder="you@example.com",
                                            max_length=BUDGET["email"], render=False))
        with gr.Row():
            manager = col("manager_name", gr.Textbox(label="Your manager's name",
                                                     elem_id="goal-manager",
                                                     max_length=BUDGET["manager_name"],
                                                     render=False))
            manager_email = col("manager_email", gr.Textbox(
                label=ADDRESS_LABELS["manager_email"], placeholder="manager@example.com",
                elem_id="goal-manager-email", max_length=BUDGET["email"], render=False))
        with gr.Row():
            current = col("current_title", gr.Textbox(label="Current title", render=False,
                                                      placeholder="e.g. Senior Engineer",
                                                      elem_id="goal-current",
                                                      max_length=BUDGET["current_title"]))
            target = col("target_title", gr.Textbox(label="Target title", render=False,
                                                    placeholder="e.g. Staff Engineer",
                                                    elem_id="goal-target",
                                                    max_length=BUDGET["target_title"]))
        with gr.Row():
            transition = col("transition", gr.Dropdown(
                TRANSITIONS, label="The step you are aiming for", render=False,
                value=Transition.IC_TO_LEAD.value, elem_id="goal-transition"))
            months = col("months_in_role", gr.Number(
                label="Months in your current role", precision=0, minimum=0, render=False,
                elem_id="goal-months"), min_width=160)
            review = col("review_month", gr.Dropdown(
                MONTHS, value=0, label="Month of the review cycle", elem_id="goal-review",
                render=False), min_width=160)
        with gr.Row():
            good = gr.CheckboxGroup(GOOD_CHOICES, label="Good signs right now", elem_id="goal-good")
            bad = gr.CheckboxGroup(BAD_CHOICES, label="Warning signs right now", elem_id="goal-bad")
        with gr.Row():
            moving = gr.CheckboxGroup(MOVING_CHOICES, label="Signs it may be time to move on",
                                      elem_id="goal-moving")
            passed = col("times_passed_over", gr.Number(
                label="Times passed over", precision=0, minimum=0, value=0, render=False,
                elem_id="goal-passed"), min_width=160)
            answer = col("last_answer", gr.Dropdown(
                ANSWERS, value="", label="Your manager's last answer", render=False,
                elem_id="goal-answer"), min_width=200)
        msgs.label("signals", "Signs right now")
        save = gr.Button("Save goal", variant="primary", elem_id="goal-save")
        msgs.form()
        status = gr.Markdown(elem_id="goal-status")

    def save_goal(name_v, email_v, manager_v, manager_email_v, current_v, target_v, transition_v,
                  months_v, review_v, good_v, bad_v, moving_v, passed_v, answer_v,
                  request: gr.Request):
        if months_v is None:
            raise CoachError("months in your current role is empty", code="empty",
                             field="months_in_role")
        changes = {"name": name_v or "", "email": email_v or "", "manager_name": manager_v or "",
                   "manager_email": manager_email_v or "", "current_title": current_v or "",
                   "target_title": target_v or "", "transition": transition_v,
                   "months_in_role": int(months_v),
                   "review_month": int(review_v) if review_v else None,
                   "times_passed_over": int(passed_v or 0), "last_answer": answer_v or ""}
        saved = profile_service.set_profile(state.context(request), changes, clear_signals=True,
                                            add_signals=[*(good_v or []), *(bad_v or []),
                                                         *(moving_v or [])])
        return summary(saved)

    def load(request: gr.Request):
        p = state.context(request).store.get_profile()
        if p is None:
            return ("", "", "", "", "", "", Transition.IC_TO_LEAD.value, None, 0, [], [], [], 0,
                    "", "No goal yet: fill in the form and save.")
        return (p.name, p.email, p.manager_name, p.manager_email, p.current_title,
                p.target_title, p.transition.value, p.months_in_role, p.review_month or 0,
                [s.value for s in p.good_signals], [s.value for s in p.bad_signals],
                [s.value for s in p.moving_on_signals], p.times_passed_over,
                p.last_answer.value if p.last_answer else "", "")

    fields = [name, email, manager, manager_email, current, target, transition, months, review,
              good, bad, moving, passed, answer]
    msgs.on(save.click, save_goal, fields, status, action="save your goal", **PRIVATE)
    outputs = [*fields, status]
    # A form refreshes only when its tab opens: a refresh started at page load can land after
    # the user has begun typing and would wipe what they typed.
    return Panel(tab=tab, refresh=msgs.wrap(load, len(outputs), "load your goal"),
                 outputs=[*outputs, *msgs.lines], on_load=False)
