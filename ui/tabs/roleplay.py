"""Role-play: rehearse the meeting with a mock manager (streamed replies), then see the
scorecard and how the scores moved across sessions."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.roleplay import AUTO, Difficulty, ResponseType
from coach.domain.text import clean_line
from coach.services.roleplay import load_persona, roleplay_progress, start_roleplay
from coach.ui.charts import Bar, badge, score_color, vbar_chart
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import PRIVATE, Panel, label

TYPES = [("Surprise me (the likely answer for your case)", AUTO)] + [
    (load_persona(t).label, t.value) for t in ResponseType]
DIFFICULTIES = [(label(d.value), d.value) for d in Difficulty]
CARD_HEADERS = ["Step", "Result", "What you said", "A stronger line"]
VERDICT_TEXT = {"yes": "done", "no": "missed", "n/a": "not needed", "unscored": "not scored"}


def scorecard_rows(card) -> list[list[str]]:
    return [[c.step, VERDICT_TEXT.get(c.verdict.value, c.verdict.value), c.quote or "-",
             c.improved or "-"] for c in card.checks]


def progress_chart(progress) -> str:
    bars = [Bar(f"#{s.session_id} {s.date[5:]}", round(s.score * 100), score_color(s.score),
                f"{round(s.score * 100)}%") for s in progress.sessions]
    return vbar_chart(bars, max_value=100, title="Score per session",
                      empty="Finish a role-play to start the chart.")


def _turns_to_chat(turns) -> list[dict]:
    return [{"role": "user" if t.speaker == "you" else "assistant", "content": t.text}
            for t in turns]


def build(state: AppState) -> Panel:
    with gr.Tab("Role-play", id="roleplay") as tab:
        gr.Markdown("### Rehearse the meeting\nA mock manager answers the way real managers do. "
                    "Say your lines; when you are done, press **End and score**.")
        with gr.Row():
            kind = gr.Dropdown(TYPES, value=AUTO, label="How the manager will answer",
                               elem_id="rp-type")
            level = gr.Radio(DIFFICULTIES, value=Difficulty.REALISTIC.value, label="Difficulty",
                             elem_id="rp-difficulty")
            start = gr.Button("Start", variant="primary", elem_id="rp-start")
        chatbot = gr.Chatbot(label="Meeting", height=380, elem_id="rp-chat",
                             placeholder="Press Start: your manager opens the meeting.")
        with gr.Row():
            line = gr.Textbox(placeholder="What you say to your manager", scale=5,
                              show_label=False, elem_id="rp-input", max_length=2000)
            say = gr.Button("Say", variant="primary", scale=1, elem_id="rp-say")
            stop = gr.Button("Stop", scale=1, elem_id="rp-stop")
        end = gr.Button("End and score", elem_id="rp-end")
        status = gr.Markdown(elem_id="rp-status")
        with gr.Group():
            result = gr.HTML(elem_id="rp-result")
            card = gr.Dataframe(headers=CARD_HEADERS, interactive=False, wrap=True,
                                label="Scorecard", elem_id="rp-scorecard",
                                column_widths=["22%", "10%", "34%", "34%"])
        progress = gr.HTML(elem_id="rp-progress")
        session_id = gr.State(None)
        shown = gr.State([])

    @guarded("start the role-play", state)
    def begin(kind_v, level_v, request: gr.Request):
        ctx = state.context(request)
        session = start_roleplay(ctx, kind_v or AUTO, level_v or Difficulty.REALISTIC.value,
                                 seed=state.seed, today=state.today)
        state.keep_live(request, session.id, session)
        session.warm_in_background()  # the model reads the brief while the user types
        chat = [{"role": "assistant", "content": session.opening}]
        who = "a surprise answer" if session.visible_type == AUTO else \
            load_persona(session.visible_type).label.lower()
        return (session.id, chat, chat, f"Meeting started ({session.difficulty.value}, {who}).",
                "", [])

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
            chat[-1] = {"role": "assistant", "content": answer.text}
            session.warm_in_background()  # ... and the meeting so far, before the next line
            note = answer.notice or ""
            if answer.ended:
                note = (note + " " if note else "") + "The manager closed the meeting: press " \
                    "**End and score**."
            yield chat, chat, "", note

    @guarded("score the role-play", state)
    def finish(sid, request: gr.Request, progress_bar=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        session = state.live(request, sid)
        progress_bar(0.2, desc="Scoring the meeting")
        res = session.end()
        state.drop_live(request, sid)
        progress = roleplay_progress(state.context(request))
        head = badge(f"{round(res.scorecard.score * 100)}%", score_color(res.scorecard.score),
                     detail=f"The manager's answer was: {res.label or res.requested}. "
                            f"{res.scorecard.scored} steps scored.")
        notes = " ".join(res.notices)
        return (head, scorecard_rows(res.scorecard), progress_chart(progress),
                _turns_to_chat(res.transcript), notes, None)

    @guarded("load your role-plays", state)
    def refresh(request: gr.Request):
        return progress_chart(roleplay_progress(state.context(request)))

    start.click(begin, [kind, level], [session_id, chatbot, shown, status, result, card], **PRIVATE)
    ev1 = say.click(reply, [line, session_id, shown], [chatbot, shown, line, status], **PRIVATE)
    ev2 = line.submit(reply, [line, session_id, shown], [chatbot, shown, line, status], **PRIVATE)
    stop.click(None, None, None, cancels=[ev1, ev2], **PRIVATE)
    end.click(finish, session_id, [result, card, progress, chatbot, status, session_id],
              **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[progress], on_load=False)
