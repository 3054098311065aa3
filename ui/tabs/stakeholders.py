"""People: who has a say in the promotion, how well they know the user's work, the next action
for each (with the guide section it rests on), the gaps, and a chart placing everyone by
influence and relationship. Interactions are logged here too."""

from __future__ import annotations

import datetime as dt

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.limits import BUDGET
from coach.domain.stakeholders import Influence, Person, Relationship
from coach.services import stakeholders as svc
from coach.ui.errors import Messages
from coach.ui.people_chart import effects_html, grid, people_table, plan_html
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, Panel, parse_date

INFLUENCE = [("High: decides or signs off", Influence.HIGH.value),
             ("Medium: is asked for an opinion", Influence.MEDIUM.value),
             ("Low: hears about it", Influence.LOW.value)]
RELATIONSHIP = [("Strong: knows your work first-hand", Relationship.STRONG.value),
                ("Neutral: knows of it", Relationship.NEUTRAL.value),
                ("Weak: barely knows it", Relationship.WEAK.value),
                ("None: has never seen it", Relationship.NONE.value)]
LABELS = {"name": "Name", "role": "Role", "email": "E-mail address",
          "influence": "Influence on the decision", "relationship": "How well they know your work",
          "cares_about": "What they care about", "stakeholder": "Person", "date": "Date",
          "interaction": "What happened", "note": "What happened"}


def _choices(people: list[Person]) -> list[tuple[str, int]]:
    return [(f"#{p.id} {p.name}", p.id) for p in people]


def _picked(value: int | str | None) -> int:
    if value in (None, ""):
        raise CoachError("pick a person in the list first", code="invalid", field="stakeholder")
    return int(value)


def build(state: AppState) -> Panel:
    msgs = Messages(state, "stk")
    log_msgs = Messages(state, "stk-log")
    today = lambda: state.today or dt.date.today()  # noqa: E731 - read at each call
    with gr.Tab("People", id="stakeholders") as tab:
        gr.Markdown("### The people who decide\nYour manager rarely decides alone. List who has "
                    "a say, how well they know your work and what they care about: the coach "
                    "suggests the next step for each.")
        plan = gr.HTML(elem_id="stk-plan")
        effects = gr.HTML(elem_id="stk-effects")
        chart = gr.HTML(elem_id="stk-chart")
        table = gr.HTML(elem_id="stk-people")
        with gr.Accordion("Add someone, or change a person", open=True, elem_id="stk-form"):
            col = msgs.column
            with gr.Row():
                name = col("name", gr.Textbox(label=LABELS["name"], elem_id="stk-name",
                                              max_length=BUDGET["name"], render=False))
                role = col("role", gr.Textbox(label=LABELS["role"], elem_id="stk-role",
                                              placeholder="e.g. your manager's manager",
                                              max_length=BUDGET["role"], render=False))
                email = col("email", gr.Textbox(label=LABELS["email"], elem_id="stk-email",
                                                placeholder="name@example.com",
                                                max_length=BUDGET["email"], render=False))
            with gr.Row():
                influence = col("influence", gr.Dropdown(
                    INFLUENCE, label=LABELS["influence"], value=Influence.HIGH.value,
                    elem_id="stk-influence", render=False))
                relationship = col("relationship", gr.Dropdown(
                    RELATIONSHIP, label=LABELS["relationship"], value=Relationship.NEUTRAL.value,
                    elem_id="stk-relationship", render=False))
            cares = gr.Textbox(label=LABELS["cares_about"], elem_id="stk-cares",
                               placeholder="their high-priority work, e.g. the billing migration",
                               max_length=BUDGET["cares_about"])
            msgs.field("cares_about", LABELS["cares_about"])
            sponsor = gr.Checkbox(label="Sponsor: speaks up for you when you are not in the room",
                                  elem_id="stk-sponsor")
            with gr.Row():
                add = gr.Button("Add this person", variant="primary", elem_id="stk-add")
                save = gr.Button("Save changes to the person picked below", elem_id="stk-save")
            msgs.form()
            status = gr.Markdown(elem_id="stk-status")
        with gr.Accordion("Log an interaction, or remove someone", open=True,
                          elem_id="stk-log-box"):
            person = gr.Dropdown([], label=LABELS["stakeholder"], elem_id="stk-person")
            log_msgs.field("stakeholder", LABELS["stakeholder"])
            with gr.Row():
                date = log_msgs.column("date", gr.Textbox(
                    label="Date", placeholder="YYYY-MM-DD (empty: today)", elem_id="stk-date",
                    render=False), min_width=160)
                note = log_msgs.column("interaction", gr.Textbox(
                    label=LABELS["interaction"], elem_id="stk-note",
                    placeholder="e.g. demoed the migration at their staff meeting",
                    max_length=BUDGET["interaction"], render=False))
            log_msgs.label("note", LABELS["note"])
            with gr.Row():
                log_btn = gr.Button("Log the interaction", variant="primary", elem_id="stk-log")
                load = gr.Button("Load into the form above", elem_id="stk-load")
                remove = gr.Button("Remove this person", variant="stop", elem_id="stk-remove")
            log_msgs.form()
            log_status = gr.Markdown(elem_id="stk-log-status")

    def view(request: gr.Request, picked: int | None = None):
        ctx = state.context(request)
        day = today()
        people = svc.list_people(ctx)
        ids = {p.id for p in people}
        return (plan_html(svc.people_plan(ctx, day)),
                effects_html(svc.readiness_steps(ctx, day), svc.timing_reasons(ctx, day)),
                grid(people), people_table(people, day),
                gr.update(choices=_choices(people), value=picked if picked in ids else None))

    def fields(name_v, role_v, email_v, influence_v, relationship_v, cares_v, sponsor_v):
        return {"name": name_v or "", "role": role_v or "", "email": email_v or "",
                "influence": influence_v or "", "relationship": relationship_v or "",
                "cares_about": cares_v or "", "sponsor": bool(sponsor_v)}

    def add_one(name_v, role_v, email_v, influence_v, relationship_v, cares_v, sponsor_v,
                request: gr.Request):
        added = svc.add_person(state.context(request), **fields(
            name_v, role_v, email_v, influence_v, relationship_v, cares_v, sponsor_v))
        return (*view(request, added.id), f"Added #{added.id} {added.name}.",
                "", "", "", "", False)

    def save_one(name_v, role_v, email_v, influence_v, relationship_v, cares_v, sponsor_v,
                 picked_v, request: gr.Request):
        updated = svc.edit_person(state.context(request), _picked(picked_v), **fields(
            name_v, role_v, email_v, influence_v, relationship_v, cares_v, sponsor_v))
        return (*view(request, updated.id), f"Saved #{updated.id} {updated.name}.",
                gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())

    def log_one(picked_v, date_v, note_v, request: gr.Request):
        day = parse_date(date_v)
        try:
            who = svc.log_interaction(state.context(request), _picked(picked_v), note_v or "",
                                      date=day, today=today())
        except CoachError as exc:
            if exc.code == "future-date":  # the page's own words: this is not a win
                raise CoachError("Date is in the future: log a conversation once it has "
                                 "happened (today is fine).", code="invalid", field="date") \
                    from None
            raise
        return (*view(request, who.id), f"Logged an interaction with {who.name}.", "", "")

    def remove_one(picked_v, request: gr.Request):
        gone = svc.remove_person(state.context(request), _picked(picked_v))
        return (*view(request), f"Removed #{gone.id} {gone.name}.")

    def load_one(picked_v, request: gr.Request):
        p = svc.get_person(state.context(request), _picked(picked_v))
        return (p.name, p.role, p.email, p.influence.value, p.relationship.value, p.cares_about,
                p.sponsor, f"Loaded #{p.id} {p.name}: change the form, then save.")

    shown = [plan, effects, chart, table, person]
    form = [name, role, email, influence, relationship, cares, sponsor]
    msgs.on(add.click, add_one, form, [*shown, status, name, role, email, cares,
                                                 sponsor], action="add the person", **PRIVATE)
    msgs.on(save.click, save_one, [*form, person], [*shown, status, name, role, email, cares,
                                                   sponsor], action="save the changes", **PRIVATE)
    log_msgs.on(log_btn.click, log_one, [person, date, note], [*shown, log_status, date, note],
                action="log the interaction", **PRIVATE)
    log_msgs.on(remove.click, remove_one, person, [*shown, log_status],
                action="remove the person", **PRIVATE)
    log_msgs.on(load.click, load_one, person, [*form, log_status],
                action="load the person", **PRIVATE)

    def show(request: gr.Request):
        return view(request)

    refresh = msgs.wrap(show, len(shown), "show the people")
    return Panel(tab=tab, refresh=refresh, outputs=[*shown, *msgs.lines], on_load=False)
