"""The Impact log's harvest and inbox: draft candidates from a note, a repository, pull
requests, tickets or a calendar; then accept each one (edited if needed) or reject it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.harvest.candidate import InboxItem, SourceKind
from coach.domain.limits import BUDGET
from coach.services import harvest, inbox
from coach.services.context import Context
from coach.ui.errors import Messages
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE, label, parse_date

SOURCES = [("A weekly note", SourceKind.TEXT.value), ("Git repository", SourceKind.GIT.value),
           ("GitHub pull requests (JSON)", SourceKind.GITHUB.value),
           ("Jira export (CSV)", SourceKind.JIRA.value),
           ("Calendar (.ics)", SourceKind.CALENDAR.value)]
HEADERS = ["#", "Date", "From", "What you did", "Measured result", "Kind", "Link"]
KINDS = [(label(k.value), k.value) for k in Kind]
PEOPLE = "Author / assignee"
NO_METRIC = "(add the result: what changed, with a number)"
PEOPLE_FIELDS = ("people", "login", "assignee", "author")
# Who to name in the people box, by source.
WHO = {SourceKind.GIT: "the address your commits are made with",
       SourceKind.GITHUB: "your GitHub login", SourceKind.JIRA: "your name as Jira shows it",
       SourceKind.CALENDAR: "the address your invitations go to"}
EXPORTS = {SourceKind.GITHUB: "Save the list with the GitHub CLI: gh pr list with --state merged "
                              "and --json number,title,body,mergedAt,url,additions,deletions,"
                              "labels,author.",
           SourceKind.JIRA: "Export the issues from Jira with Export > CSV (all fields).",
           SourceKind.CALENDAR: "Export the calendar as an .ics file."}


def _page_error(exc: CoachError, source: SourceKind) -> CoachError:
    """The harvest's errors in this form's words: the box to fill in, the export to make."""
    if exc.field in PEOPLE_FIELDS and source in WHO:
        return CoachError(exc.message, code="harvest", field="people",
                          hint=f"Fill in {PEOPLE} with {WHO[source]}.")
    if exc.field == "file" and exc.code not in ("too-big", "not-found", "no-file"):
        # "empty" or "bad-date" here is about the file's content, not a box left empty
        return CoachError(exc.message, code="harvest", field="file",
                          hint=EXPORTS.get(source, exc.hint))
    return exc


def table(items: list[InboxItem]) -> list[list]:
    return [[i.id, i.date.isoformat(), i.source.value, i.title, i.metric or NO_METRIC,
             label(i.kind.value), i.link] for i in items]


def choices(items: list[InboxItem]) -> list[tuple[str, int]]:
    return [(f"#{i.id} {i.title[:60]}", i.id) for i in items]


def summary(result: harvest.HarvestResult) -> str:
    text = result.summary()
    if result.notice:
        text += f"\n\n{result.notice}"
    if result.duplicates:
        text += "\n\n" + "\n".join(f"- {escape(str(d))}" for d in result.duplicates[:20])
    return text


@dataclass
class InboxSection:
    """What the Impact log tab needs from the section: its refresh, and the accept event."""

    render: Callable[[Context], list[Any]]
    outputs: list[Any]
    accepted: Any


def build(state: AppState) -> InboxSection:
    hmsgs = Messages(state, "harvest")
    imsgs = Messages(state, "inbox")
    sources = [s for s in SOURCES if not (state.multi_user and s[1] == SourceKind.GIT.value)]
    with gr.Accordion("Harvest wins from your work", open=False, elem_id="harvest-box"):
        gr.Markdown("Candidates go to the inbox below, never straight into the log: you accept "
                    "or reject each one. A figure is only kept where the source states it.")
        source = gr.Radio(sources, value=SourceKind.TEXT.value, label="Harvest from",
                          elem_id="harvest-source")
        note = gr.Textbox(label="Your note (one line per piece of work)", lines=5,
                          elem_id="harvest-note",
                          placeholder="- Shipped the billing export, cut support tickets 30%")
        hmsgs.field("note", "Your note")
        upload = gr.File(label="Or the exported file", elem_id="harvest-file",
                         file_types=[".json", ".csv", ".ics", ".txt", ".md"])
        hmsgs.field("file", "The exported file")
        path = gr.Textbox(label="Repository folder", visible=False, elem_id="harvest-path",
                          placeholder="/home/me/src/shop")
        hmsgs.field("path", "Repository folder")
        with gr.Row():
            with gr.Column(min_width=200):
                people = gr.Textbox(label=PEOPLE, elem_id="harvest-people", visible=False,
                                    placeholder="login, e-mail or name; commas for several")
                hmsgs.field("people", PEOPLE, *PEOPLE_FIELDS)
            with gr.Column(min_width=200):
                since = gr.Textbox(label="Since (YYYY-MM-DD, optional)", elem_id="harvest-since")
                hmsgs.field("since", "Since")
        run = gr.Button("Harvest into the inbox", variant="primary", elem_id="harvest-run")
        hmsgs.form()
        status = gr.Markdown(elem_id="harvest-status")
    with gr.Accordion("Inbox: candidates waiting for you", open=True, elem_id="inbox-box"):
        grid = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, label="Candidates",
                            elem_id="inbox-table")
        picker = gr.Dropdown([], label="Candidate", elem_id="inbox-selector")
        imsgs.field("inbox", "Candidate")
        with gr.Row():
            with gr.Column(min_width=200):
                date = gr.Textbox(label="Date of the work (YYYY-MM-DD)", elem_id="inbox-date")
                imsgs.field("date", "Date of the work")
            with gr.Column(min_width=200):
                kind = gr.Dropdown(KINDS, value=Kind.RESULT.value, label="Kind of win",
                                   elem_id="inbox-kind")
            next_level = gr.Checkbox(label="Next-level work", elem_id="inbox-next")
        title = gr.Textbox(label="Candidate's title", elem_id="inbox-title", max_length=BUDGET["title"])
        imsgs.field("title", "Candidate's title")
        metric = gr.Textbox(label="Candidate's measured result", elem_id="inbox-metric",
                            max_length=BUDGET["metric"])
        imsgs.field("metric", "Candidate's measured result")
        description = gr.Textbox(label="Candidate's details", lines=2, elem_id="inbox-description",
                                 max_length=BUDGET["description"])
        imsgs.field("description", "Candidate's details")
        evidence = gr.Markdown(elem_id="inbox-evidence")
        with gr.Row():
            accept_btn = gr.Button("Accept into the log", variant="primary", elem_id="inbox-accept")
            reject_btn = gr.Button("Reject", variant="stop", elem_id="inbox-reject")
        imsgs.form()
        inbox_status = gr.Markdown(elem_id="inbox-status")

    form = [date, title, metric, kind, next_level, description, evidence]

    def render(ctx: Context) -> list[Any]:
        items = inbox.list_inbox(ctx)
        return [table(items), gr.update(choices=choices(items), value=None)]

    def show_source(source_v):
        kind_v = SourceKind(source_v)
        return (gr.update(visible=kind_v is SourceKind.TEXT),
                gr.update(visible=kind_v is not SourceKind.GIT),
                gr.update(visible=kind_v is SourceKind.GIT),
                gr.update(visible=kind_v is not SourceKind.TEXT))

    def do_harvest(source_v, note_v, file_v, path_v, people_v, since_v, request: gr.Request):
        src = SourceKind(source_v)
        ctx = state.context(request)
        who = [p.strip() for p in (people_v or "").split(",") if p.strip()]
        try:
            when = parse_date(since_v, what="since")
            if src is SourceKind.GIT:
                if state.multi_user:
                    raise CoachError("reading a folder of the server is off in this app",
                                     code="harvest", field="path")
                if not (path_v or "").strip():
                    raise CoachError("no folder given", code="empty", field="path")
                result = harvest.harvest_git(ctx, path_v.strip(), authors=who, since=when)
            elif src is SourceKind.TEXT and (note_v or "").strip() and not file_v:
                result = harvest.harvest_note(ctx, note_v, name="note", since=when)
            elif not file_v:
                raise CoachError("no file chosen", code="no-file", field="file")
            else:
                result = harvest.harvest_file(ctx, src, Path(file_v), people=who, since=when)
        except CoachError as exc:
            raise _page_error(exc, src) from None
        return (*render(ctx), summary(result), None)

    def pick(item_id, request: gr.Request):
        if not item_id:
            return ["", "", "", Kind.RESULT.value, False, "", ""]
        i = inbox.inbox_item(state.context(request), int(item_id))
        proof = f"**From {i.source.value}:** {escape(i.link)}" if i.link else ""
        if i.evidence:
            quoted = "\n".join(f"> {escape(line)}" for line in i.evidence.splitlines()[:8])
            proof += f"\n\n{quoted}"
        return [i.date.isoformat(), i.title, i.metric, i.kind.value, i.next_level,
                i.description, proof]

    def selected(item_id) -> int:
        if not item_id:
            raise CoachError("no candidate is selected", code="not-selected", field="inbox",
                             hint="Pick a candidate in the list first.")
        return int(item_id)

    def do_accept(item_id, date_v, title_v, metric_v, kind_v, next_v, desc_v,
                  request: gr.Request):
        ctx = state.context(request)
        done = inbox.accept(ctx, selected(item_id), title=title_v or "", metric=metric_v or "",
                            kind=kind_v or None, date=parse_date(date_v) or dt.date.today(),
                            description=desc_v or "", next_level=bool(next_v))
        note = "" if done.entry.quantified else " Tip: add a number to the measured result."
        return (*render(ctx), f"Accepted: entry **#{done.entry.id}** {escape(done.entry.title)}."
                              f"{note}", *pick(None, request))

    def do_reject(item_id, request: gr.Request):
        ctx = state.context(request)
        item = inbox.reject(ctx, selected(item_id))
        return (*render(ctx), f"Rejected #{item.id} {escape(item.title)}: later harvests leave "
                              "it out.", *pick(None, request))

    listing = [grid, picker]
    source.change(show_source, source, [note, upload, path, people], **PRIVATE)
    hmsgs.on(run.click, do_harvest, [source, note, upload, path, people, since],
             [*listing, status, upload], action="harvest", **PRIVATE)
    imsgs.on(picker.input, pick, picker, form, action="open the candidate", **PRIVATE)
    accepted = imsgs.on(accept_btn.click, do_accept, [picker, *form[:-1]],
                        [*listing, inbox_status, *form], action="accept the candidate",
                        **PRIVATE)
    imsgs.on(reject_btn.click, do_reject, picker, [*listing, inbox_status, *form],
             action="reject the candidate", **PRIVATE)
    return InboxSection(render=render, outputs=listing, accepted=accepted)
