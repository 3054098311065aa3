"""Role-play: rehearse the meeting with a mock manager, the offer conversation or an interview
elsewhere (streamed replies), then see the scorecard; score a real meeting from its transcript
or notes; open, compare and delete any saved meeting, practice or real; and see how the scores
moved."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.roleplay import AUTO, Difficulty, ResponseType
from coach.domain.text import clean_line
from coach.services.roleplay import (
    compare_sessions,
    delete_session,
    get_session,
    list_meetings,
    load_persona,
    roleplay_progress,
    score_meeting,
    start_roleplay,
)
from coach.services.scenario import ALL_SCENARIOS, PROMOTION, SCENARIO_LABELS, start_scenario
from coach.ui.charts import Bar, badge, score_color, vbar_chart
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import PRIVATE, Panel, label

TYPES = [("Surprise me (the likely answer for your case)", AUTO)] + [
    (load_persona(t).label, t.value) for t in ResponseType]
REAL_TYPES = [("Read it from my manager's words", AUTO)] + [
    (load_persona(t).label, t.value) for t in ResponseType]
DIFFICULTIES = [(label(d.value), d.value) for d in Difficulty]
SCENARIOS = [(SCENARIO_LABELS[key], key) for key in ALL_SCENARIOS]
# What to write after a scenario instead of the promotion meeting's follow-up email.
FOLLOW_UP_ELSE = {"offer": "After the offer itself, draft the email that confirms it: Emails tab, "
                           "\"After a yes\".",
                  "interview": "A practice interview has no email to send: rehearse it again, or open a "
                               "promotion meeting."}
# Who the user talks to in each scenario, as the line box and the empty meeting say it.
SAY_TO = {PROMOTION: "What you say to your manager", "offer": "What you say about the offer",
          "interview": "What you say to the interviewer"}
CARD_HEADERS = ["Step", "Result", "What you said", "Why", "A stronger line"]
COMPARE_HEADERS = ["Step", "A", "B", ""]
VERDICT_TEXT = {"yes": "done", "no": "missed", "n/a": "not needed", "unscored": "not scored"}
REAL_PLACEHOLDER = ("you: Thanks for making time today.\nmanager: Of course. What's on your mind?\n"
                    "you: I'd like to talk about moving into the ... role.")


def scorecard_rows(card) -> list[list[str]]:
    """One row per check; a "done" needs no why, everything else says it."""
    return [[c.step, VERDICT_TEXT.get(c.verdict.value, c.verdict.value), c.quote or "-",
             "-" if c.verdict.value == "yes" else (c.reason or "-"), c.improved or "-"]
            for c in card.checks]


def progress_chart(progress) -> str:
    bars = [Bar(f"{s.date[5:]}{'*' if s.real else ''}", round(s.score * 100),
                score_color(s.score), f"{round(s.score * 100)}%") for s in progress.sessions]
    return vbar_chart(bars, max_value=100, title="Score per meeting (* a real meeting)",
                      empty="Finish a role-play or score a real meeting to start the chart.")


def meeting_choices(meetings) -> list[tuple[str, int]]:
    """Newest first, each named by date, answer and kind (and score once scored)."""
    return [(m.title + (f" · {round(m.score * 100)}%" if m.score is not None else " · not scored"),
             m.session_id) for m in reversed(meetings)]


def _said(text: str, note: str) -> str:
    """A reply that replaced the one that streamed says so under it (`ManagerReply.note`)."""
    return f"{text}\n\n*({note})*" if note else text


def _turns_to_chat(turns) -> list[dict]:
    return [{"role": "user" if t.speaker == "you" else "assistant", "content": _said(t.text, t.note)}
            for t in turns]


def _head(res) -> str:
    if res.scorecard is None:
        return badge("not scored", "#8a8f98", detail=f"{res.title}: the meeting was not finished.")
    kind = "Real meeting" if res.real else "Practice meeting"
    scenario = getattr(res, "scenario", PROMOTION) or PROMOTION
    if scenario != PROMOTION:
        return badge(f"{round(res.scorecard.score * 100)}%", score_color(res.scorecard.score),
                     detail=f"{SCENARIO_LABELS.get(scenario, label(scenario))} on {res.date}, "
                            f"{label(str(res.difficulty or ''))}. {res.scorecard.scored} checks scored.")
    return badge(f"{round(res.scorecard.score * 100)}%", score_color(res.scorecard.score),
                 detail=f"{kind} on {res.date}. The manager's answer: {res.label or res.requested}. "
                        f"{res.scorecard.scored} steps scored.")


def _warm(session, draft: str | None = None) -> None:
    """Let the model read ahead: the conversation so far, and for the promotion meeting the
    line being typed (a scenario session reads the conversation only)."""
    if draft is None:
        session.warm_in_background()
    elif getattr(session, "scenario", PROMOTION) == PROMOTION:
        session.warm_in_background(draft=draft)


def build(state: AppState) -> Panel:
    with gr.Tab("Role-play", id="roleplay") as tab:
        gr.Markdown("### Rehearse the conversation\nThe promotion meeting with a mock manager, the "
                    "conversation when an offer comes, or an interview elsewhere: the other side answers "
                    "the way real people do. Say your lines; when you are done, press **End and score**.")
        with gr.Row():
            scenario = gr.Radio(SCENARIOS, value=PROMOTION, label="Which conversation",
                                elem_id="rp-scenario")
            kind = gr.Dropdown(TYPES, value=AUTO, label="How the manager will answer",
                               elem_id="rp-type")
            level = gr.Radio(DIFFICULTIES, value=Difficulty.REALISTIC.value, label="Difficulty",
                             elem_id="rp-difficulty")
            start = gr.Button("Start", variant="primary", elem_id="rp-start")
        chatbot = gr.Chatbot(label="Meeting", height=380, elem_id="rp-chat",
                             placeholder="Press Start: the other side opens the conversation.")
        with gr.Row():
            line = gr.Textbox(placeholder=SAY_TO[PROMOTION], scale=5,
                              show_label=False, elem_id="rp-input", max_length=2000)
            say = gr.Button("Say", variant="primary", scale=1, elem_id="rp-say")
            stop = gr.Button("Stop", scale=1, elem_id="rp-stop")
        end = gr.Button("End and score", elem_id="rp-end")
        status = gr.Markdown(elem_id="rp-status")
        with gr.Group():
            result = gr.HTML(elem_id="rp-result")
            card = gr.Dataframe(headers=CARD_HEADERS, interactive=False, wrap=True,
                                label="Scorecard", elem_id="rp-scorecard",
                                column_widths=["16%", "8%", "26%", "24%", "26%"])
        progress = gr.HTML(elem_id="rp-progress")

        with gr.Accordion("Score a real meeting", open=False, elem_id="rp-real"):
            gr.Markdown("Had the conversation for real? Paste the transcript or your notes, one turn "
                        "per line starting with `you:` or `manager:` (or JSON turns with `speaker` and "
                        "`text`). It is scored like a practice meeting and saved with them.")
            real_text = gr.Textbox(lines=8, max_lines=30, label="The meeting", max_length=40_000,
                                   placeholder=REAL_PLACEHOLDER, elem_id="rp-real-text")
            with gr.Row():
                real_type = gr.Dropdown(REAL_TYPES, value=AUTO, label="Your manager's answer",
                                        elem_id="rp-real-type")
                real_score = gr.Button("Score this meeting", variant="primary", elem_id="rp-real-score")

        gr.Markdown("### Your meetings\nOpen any past meeting, practice or real, to read it again; "
                    "compare two; or delete one.")
        with gr.Row():
            pick = gr.Dropdown([], label="Meeting", elem_id="rp-hist-pick", scale=4)
            open_btn = gr.Button("Open", elem_id="rp-hist-open", scale=1)
            delete_btn = gr.Button("Delete", variant="stop", elem_id="rp-hist-delete", scale=1)
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown(elem_id="rp-hist-confirm-text")
            confirm = gr.Button("Yes, delete it", variant="stop", elem_id="rp-hist-confirm")
            cancel = gr.Button("Keep it", elem_id="rp-hist-cancel")
        view_head = gr.HTML(elem_id="rp-view-head")
        view_chat = gr.Chatbot(label="Transcript", height=320, elem_id="rp-view-chat")
        view_card = gr.Dataframe(headers=CARD_HEADERS, interactive=False, wrap=True,
                                 label="Scorecard", elem_id="rp-view-card",
                                 column_widths=["16%", "8%", "26%", "24%", "26%"])
        with gr.Row():
            follow = gr.Button("Draft the follow-up email for this meeting", elem_id="rp-follow")
            follow_hint = gr.Markdown(elem_id="rp-follow-hint")
        follow_draft = gr.Textbox(label="Follow-up email (edit it, or open the Emails tab)", lines=10,
                                  visible=False, elem_id="rp-follow-draft")
        with gr.Row():
            pick_a = gr.Dropdown([], label="Compare: meeting A", elem_id="rp-cmp-a")
            pick_b = gr.Dropdown([], label="with meeting B", elem_id="rp-cmp-b")
            compare_btn = gr.Button("Compare", elem_id="rp-cmp")
        compare_head = gr.Markdown(elem_id="rp-cmp-head")
        compare_table = gr.Dataframe(headers=COMPARE_HEADERS, interactive=False, wrap=True,
                                     label="Side by side", elem_id="rp-cmp-table")
        session_id = gr.State(None)
        shown = gr.State([])
        viewing = gr.State(None)

    def _lists(ctx, selected=None):
        choices = meeting_choices(list_meetings(ctx))
        ids = [c[1] for c in choices]
        chosen = selected if selected in ids else (ids[0] if ids else None)
        return (gr.update(choices=choices, value=chosen), gr.update(choices=choices, value=ids[1] if
                len(ids) > 1 else chosen), gr.update(choices=choices, value=chosen))

    def _view(res):
        hint = (f"Or from a terminal: `coach email follow-up --meeting {res.session_id}`"
                if res.scorecard is not None else "")
        if res.scenario != PROMOTION:
            hint = FOLLOW_UP_ELSE.get(res.scenario, "")
        return (res.session_id, _head(res), _turns_to_chat(res.transcript),
                scorecard_rows(res.scorecard) if res.scorecard else [], hint, gr.update(visible=False))

    @guarded("start the role-play", state)
    def begin(kind_v, level_v, scenario_v, request: gr.Request):
        ctx = state.context(request)
        if scenario_v and scenario_v != PROMOTION:
            return _begin_scenario(ctx, scenario_v, level_v, request)
        session = start_roleplay(ctx, kind_v or AUTO, level_v or Difficulty.REALISTIC.value,
                                 seed=state.seed, today=state.today)
        state.keep_live(request, session.id, session)
        session.warm_in_background()  # the model reads the brief while the user types
        chat = [{"role": "assistant", "content": session.opening}]
        who = "a surprise answer" if session.visible_type == AUTO else \
            load_persona(session.visible_type).label.lower()
        return (session.id, chat, chat, f"Meeting started ({session.difficulty.value}, {who}).",
                "", [])

    def _begin_scenario(ctx, scenario_v, level_v, request):
        session = start_scenario(ctx, scenario_v, difficulty=level_v or Difficulty.REALISTIC.value,
                                 seed=state.seed, today=state.today)
        state.keep_live(request, session.id, session)
        _warm(session)
        chat = [{"role": "assistant", "content": session.opening}]
        return (session.id, chat, chat, f"{SCENARIO_LABELS.get(scenario_v, label(scenario_v))} started "
                f"({session.difficulty.value}).", "", [])

    def pick_scenario(scenario_v):
        """The manager's answer is chosen only for the promotion meeting."""
        return (gr.update(visible=scenario_v in (None, PROMOTION)),
                gr.update(placeholder=SAY_TO.get(scenario_v, SAY_TO[PROMOTION])))

    @guarded("get the manager's reply", state)
    def reply(text, sid, past, request: gr.Request):
        session = state.live(request, sid)
        text = clean_line(text or "")  # shown back as sent: only text the page can carry
        if not text:
            raise CoachError("say something first", hint="Type what you would say.")
        chat = [*past, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        yield chat, gr.skip(), gr.skip(), ""
        for part in stream_call(session.say, text=text):
            if not part.done:
                chat[-1] = {"role": "assistant", "content": part.text}
                yield chat, gr.skip(), gr.skip(), gr.skip()
                continue
            answer = part.result
            if answer.cancelled:
                yield past, past, text, "Stopped; that line was not said. Edit it and send again."
                return
            chat[-1] = {"role": "assistant", "content": _said(answer.text, answer.note)}
            _warm(session)  # ... and the meeting so far, before the next line
            note = answer.notice or ""
            if answer.ended:
                closed = "The manager closed the meeting" if getattr(session, "scenario", PROMOTION) \
                    == PROMOTION else "The other side closed the conversation"
                note = (note + " " if note else "") + f"{closed}: press **End and score**."
            yield chat, chat, "", note

    def typing(text, sid, request: gr.Request):
        """The model reads the line as it is typed: once sent, only the plan's note is left to read."""
        try:
            session = state.live(request, sid)
        except CoachError:  # no meeting yet, or it ended: nothing to read ahead
            return
        _warm(session, draft=text or "")

    @guarded("score the role-play", state)
    def finish(sid, request: gr.Request, progress_bar=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        session = state.live(request, sid)
        progress_bar(0.2, desc="Scoring the meeting")
        res = session.end()
        state.drop_live(request, sid)
        ctx = state.context(request)
        notes = " ".join(res.notices)
        return (_head(res), scorecard_rows(res.scorecard), progress_chart(roleplay_progress(ctx)),
                _turns_to_chat(res.transcript), notes, None, *_lists(ctx, res.session_id))

    @guarded("score the meeting", state)
    def score_real(text, type_v, request: gr.Request, progress_bar=gr.Progress()):  # noqa: B008
        ctx = state.context(request)
        progress_bar(0.2, desc="Scoring the meeting")
        res = score_meeting(ctx, text or "", None if type_v in (None, AUTO) else type_v, today=state.today)
        if res.notices:
            gr.Info(" ".join(res.notices))
        return (*_view(res), progress_chart(roleplay_progress(ctx)), *_lists(ctx, res.session_id))

    @guarded("open the meeting", state)
    def open_meeting(mid, request: gr.Request):
        if mid is None:
            raise CoachError("pick a meeting first", hint="Finish a role-play or score a real meeting.")
        return _view(get_session(state.context(request), int(mid)))

    @guarded("delete the meeting", state)
    def ask_delete(mid, request: gr.Request):
        if mid is None:
            raise CoachError("pick a meeting first", hint="Choose the meeting to delete in the list.")
        res = get_session(state.context(request), int(mid))
        return gr.update(visible=True), f"Delete **{res.title}** and its scorecard? This cannot be undone."

    @guarded("delete the meeting", state)
    def do_delete(mid, viewed, request: gr.Request):
        ctx = state.context(request)
        info = delete_session(ctx, int(mid))
        gr.Info(f"Deleted {info.title}.")
        cleared = ("", [], [], "") if viewed == info.session_id else (gr.skip(),) * 4
        return (gr.update(visible=False), *cleared, progress_chart(roleplay_progress(ctx)), *_lists(ctx))

    @guarded("compare the meetings", state)
    def compare(a, b, request: gr.Request):
        if a is None or b is None:
            raise CoachError("pick two meetings to compare", hint="Choose meeting A and meeting B.")
        cmp = compare_sessions(state.context(request), int(a), int(b))

        def score(s) -> str:
            return "-" if s.score is None else f"{round(s.score * 100)}%"

        head = f"**A**: {cmp.a.title} ({score(cmp.a)}) · **B**: {cmp.b.title} ({score(cmp.b)})"
        rows = [[r.step, VERDICT_TEXT.get(r.a.value, "-") if r.a else "-",
                 VERDICT_TEXT.get(r.b.value, "-") if r.b else "-", "changed" if r.changed else ""]
                for r in cmp.checks]
        return head, rows

    @guarded("draft the follow-up email", state)
    def follow_up(mid, request: gr.Request, progress_bar=gr.Progress()):  # noqa: B008
        from coach.services.emails import draft_email

        if mid is None:
            raise CoachError("open a meeting first", hint="Pick a meeting and press Open.")
        scenario = get_session(state.context(request), int(mid)).scenario
        if scenario != PROMOTION:
            raise CoachError(f"the follow-up email recaps a promotion meeting, not a "
                             f"{SCENARIO_LABELS.get(scenario, scenario).lower()}",
                             hint=FOLLOW_UP_ELSE.get(scenario) or "Open a promotion meeting.")
        progress_bar(0.2, desc="Drafting the follow-up email")
        draft = draft_email(state.context(request), "follow-up", meeting_id=int(mid), today=state.today)
        return gr.update(value=f"Subject: {draft.subject}\n\n{draft.body}", visible=True)

    @guarded("load your role-plays", state)
    def refresh(request: gr.Request):
        ctx = state.context(request)
        return (progress_chart(roleplay_progress(ctx)), *_lists(ctx))

    lists = [pick, pick_a, pick_b]
    view = [viewing, view_head, view_chat, view_card, follow_hint, follow_draft]
    scenario.change(pick_scenario, scenario, [kind, line], **PRIVATE)
    start.click(begin, [kind, level, scenario], [session_id, chatbot, shown, status, result, card], **PRIVATE)
    ev1 = say.click(reply, [line, session_id, shown], [chatbot, shown, line, status], **PRIVATE)
    ev2 = line.submit(reply, [line, session_id, shown], [chatbot, shown, line, status], **PRIVATE)
    stop.click(None, None, None, cancels=[ev1, ev2], **PRIVATE)
    line.input(typing, [line, session_id], None, trigger_mode="always_last", show_progress="hidden",
               **PRIVATE)
    end.click(finish, session_id, [result, card, progress, chatbot, status, session_id, *lists], **PRIVATE)
    real_score.click(score_real, [real_text, real_type], [*view, progress, *lists], **PRIVATE)
    open_btn.click(open_meeting, pick, view, **PRIVATE)
    delete_btn.click(ask_delete, pick, [confirm_row, confirm_text], **PRIVATE)
    cancel.click(lambda: gr.update(visible=False), None, confirm_row, **PRIVATE)
    confirm.click(do_delete, [pick, viewing], [confirm_row, view_head, view_chat, view_card, follow_hint,
                                               progress, *lists], **PRIVATE)
    compare_btn.click(compare, [pick_a, pick_b], [compare_head, compare_table], **PRIVATE)
    follow.click(follow_up, viewing, follow_draft, **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[progress, *lists], on_load=False)
