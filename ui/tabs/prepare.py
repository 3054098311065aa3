"""Prepare: a chat grounded in the guidance library and the user's own log, streamed as it is
written, with the sources listed under each answer."""

from __future__ import annotations

import gradio as gr

from coach.domain.errors import CoachError
from coach.domain.text import clean_block
from coach.services import chat, script
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import PRIVATE, Panel

EXAMPLES = [
    "When is a good time to ask for a promotion?",
    "What should my proposal contain?",
    "How do I answer if my manager says there is no budget?",
]


def citations_markdown(turn) -> str:
    """The sources under the answer, then its notice (shown even without sources: it may say
    the model could not be reached)."""
    lines = []
    if turn.citations:
        lines = ["**Sources for the last answer**", *(f"- {c.label()}" for c in turn.citations)]
    if turn.notice:
        lines.append(f"\n*{turn.notice}*")
    return "\n".join(lines)


def build(state: AppState) -> Panel:
    with gr.Tab("Prepare", id="prepare") as tab:
        gr.Markdown("### Prepare\nAsk anything about the promotion conversation. Answers use the "
                    "guides and your own goal and log, and cite their sources. Describe a win "
                    "(or type `/log what you did`) and the coach offers to add it to your log.")
        chatbot = gr.Chatbot(label="Coach", height=420, elem_id="chat-box",
                             placeholder="Ask a question to start.")
        with gr.Row():
            message = gr.Textbox(placeholder="Type your question and press Enter", scale=5,
                                 show_label=False, elem_id="chat-input", max_length=4000)
            send = gr.Button("Send", variant="primary", scale=1, elem_id="chat-send")
            stop = gr.Button("Stop", scale=1, elem_id="chat-stop")
        sources = gr.Markdown(elem_id="chat-sources")
        with gr.Row():
            accept = gr.Button("Add the proposed entry to my log", visible=False,
                               elem_id="chat-accept")
            new_chat = gr.Button("New conversation", elem_id="chat-new")
        gr.Examples(EXAMPLES, inputs=message)
        with gr.Accordion("Talk track for the meeting", open=False, elem_id="script-box"):
            gr.Markdown("What to say, step by step, built from your goal and log.")
            script_btn = gr.Button("Write my talk track", elem_id="script-make")
            script_out = gr.Markdown(elem_id="script-text")
        history = gr.State([])
        conversation = gr.State(None)

    @guarded("answer your question", state)
    def respond(text, past, conv_id, request: gr.Request):
        text = clean_block(text or "")  # shown back as sent: only text the page can carry
        if not text:
            raise CoachError("the message is empty", hint="Type a question first.")
        ctx = state.context(request)
        shown = [*past, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        # The typed text and the saved history change only once the answer is complete, so
        # an error part-way leaves the question in the box to send again.
        yield shown, gr.skip(), gr.skip(), gr.skip(), "", gr.skip()
        for part in stream_call(chat.chat_turn, ctx=ctx, message=text, conversation_id=conv_id,
                               today=state.today):
            if part.done:
                turn = part.result
                shown[-1] = {"role": "assistant", "content": turn.answer}
                yield (shown, shown, turn.conversation_id, "", citations_markdown(turn),
                       gr.update(visible=turn.proposed_entry is not None))
            else:
                shown[-1] = {"role": "assistant", "content": part.text}
                yield shown, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()

    @guarded("add the entry", state)
    def add_proposed(past, conv_id, request: gr.Request):
        if conv_id is None:
            raise CoachError("there is no conversation yet", hint="Describe a win first.")
        entry = chat.accept_proposed_entry(state.context(request), int(conv_id))
        shown = [*past, {"role": "assistant",
                         "content": f"Added {entry.cite()} to your impact log: {entry.title}"}]
        return shown, shown, gr.update(visible=False)

    @guarded("write the talk track", state)
    def talk_track(request: gr.Request, progress=gr.Progress()):  # noqa: B008 (the Gradio idiom)
        progress(0.2, desc="Writing the talk track")
        result = script.talk_script(state.context(request), today=state.today)
        note = f"\n\n*{result.notice}*" if result.notice else ""
        return result.text.replace("\n", "  \n") + note

    def reset():
        return [], [], None, "", gr.update(visible=False)

    outputs = [chatbot, history, conversation, message, sources, accept]
    ev1 = send.click(respond, [message, history, conversation], outputs, **PRIVATE)
    ev2 = message.submit(respond, [message, history, conversation], outputs, **PRIVATE)
    stop.click(None, None, None, cancels=[ev1, ev2], **PRIVATE)
    accept.click(add_proposed, [history, conversation], [chatbot, history, accept], **PRIVATE)
    script_btn.click(talk_track, None, script_out, **PRIVATE)
    new_chat.click(reset, None, [chatbot, history, conversation, sources, accept], **PRIVATE)
    return Panel(tab=tab)
