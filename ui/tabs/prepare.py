"""Prepare: a chat that answers from the guidance's rules, the guides and the user's own goal
and log. The grounded part of an answer shows at once, the model's checked sentences follow;
each [n] opens its passage in place, and the Guides view beside it reads any guide in full."""

from __future__ import annotations

import html
import re
import threading
from typing import Any
from urllib.parse import quote

import gradio as gr

from coach.domain.chat import plain
from coach.domain.errors import CoachError
from coach.domain.text import clean_block
from coach.services import chat, script
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import PRIVATE, Panel, guides

EXAMPLES = [
    "When is a good time to ask for a promotion?",
    "Should I bring up my promotion casually at the end of a standup?",
    "How do I answer if my manager says there is no budget?",
]
TYPING = "*Looking in the guides...*"
_MARKER = re.compile(r"\[(\d{1,2})\]")
# One listener for the whole page: a click on [n] opens that passage under its answer, and
# "Read it in the guide" opens the guide in the Guides view (through a hidden field).
CITE_SCRIPT = """
if (!window.__coachCites) {
  window.__coachCites = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#coach-"]');
    if (!link) return;
    event.preventDefault();
    const [kind, ...rest] = link.getAttribute('href').slice('#coach-'.length).split(':');
    const key = decodeURIComponent(rest.join(':'));
    if (kind === 'cite') {
      const box = document.querySelector(`details.coach-src-${key}`);
      if (box) {
        box.open = true;
        box.classList.add('coach-src-hit');
        box.scrollIntoView({block: 'nearest'});
      }
    } else if (kind === 'guide') {
      const tab = [...document.querySelectorAll('#prepare-views button[role="tab"]')]
        .find((b) => b.textContent.trim() === 'Guides');
      if (tab) tab.click();
      let tries = 40;  // the Guides view mounts when its tab first opens
      const send = () => {
        const field = document.querySelector('#guides-open textarea, #guides-open input');
        if (field) {
          field.value = `${key}|${Date.now()}`;  // a nonce: the same source opens again
          field.dispatchEvent(new Event('input', {bubbles: true}));
        }
        else if (tries-- > 0) setTimeout(send, 50);
      };
      send();
    }
  });
  new MutationObserver(() => {
    const hit = document.querySelector('#guides-text .coach-cited:not(.coach-seen)');
    if (hit) { hit.classList.add('coach-seen'); hit.scrollIntoView({block: 'start'}); }
  }).observe(document.body, {childList: true, subtree: true});
}
"""
STYLE = """<style>
#chat-box details.coach-src { margin: 0.3em 0; font-size: 0.92em; }
#chat-box details.coach-src-hit > summary { font-weight: 600; }
#chat-box a.coach-cite { text-decoration: none; cursor: pointer; }
#guides-open { display: none; }
#guides-text .coach-cited { background: var(--color-accent-soft); border-left: 4px solid
  var(--color-accent); padding: 0.2em 0.8em; }
</style>"""


def answer_html(turn, key: str) -> str:
    """An answer as the chat shows it: text with clickable [n], then each cited passage,
    folded, which a click on its [n] opens in place. Everything is escaped: the passages of
    a user's document are data, never markup for the page. (The chat's sanitiser keeps
    classes and links but drops data attributes: the page's script reads the link.)"""
    def cite(match: re.Match[str]) -> str:
        n = match.group(1)
        return f'<a class="coach-cite" href="#coach-cite:{key}-{n}">[{n}]</a>'

    body = _MARKER.sub(cite, html.escape(turn.answer, quote=False))
    boxes = []
    for c in turn.citations:
        where = html.escape(c.title or c.source) + (f" § {html.escape(c.section)}" if c.section else "")
        link = quote(guides.cite_key(c.source, c.section), safe="")
        boxes.append(f'<details class="coach-src coach-src-{key}-{c.n}"><summary>[{c.n}] {where}'
                     f'</summary><p>{html.escape(plain(c.text))}</p><p><a href="#coach-guide:{link}">'
                     "Read it in the guide</a></p></details>")
    return body + ("\n\n" + "".join(boxes) if boxes else "")


def citations_markdown(turn) -> str:
    """The sources under the chat, then the notice (shown even without sources: it may say
    the model could not be reached) and a proposed log entry."""
    lines = []
    if turn.citations:
        lines = ["**Sources for the last answer**", *(f"- {c.label()}" for c in turn.citations)]
    if turn.notice:
        lines.append(f"\n*{turn.notice}*")
    if turn.proposed_entry:
        lines.append(f"\nThat sounds like a win for your log: "
                     f"**{chat.entry_preview(turn.proposed_entry)}**")
    return "\n".join(lines)


def build(state: AppState) -> Panel:
    with gr.Tab("Prepare", id="prepare") as tab:
        gr.HTML(STYLE, js_on_load=CITE_SCRIPT, elem_id="chat-script")
        with gr.Tabs(elem_id="prepare-views"):
            with gr.Tab("Ask the coach", id="ask"):
                gr.Markdown("### Prepare\nAsk anything about the promotion conversation. Answers "
                            "come from the guides and your own goal and log; click a [1] to "
                            "read the passage it rests on. Describe a win (or type `/log what "
                            "you did`) and the coach offers to add it to your log.")
                with gr.Row(elem_id="chat-examples"):
                    chips = [gr.Button(q, size="sm", elem_classes=["coach-chip"]) for q in EXAMPLES]
                chatbot = gr.Chatbot(label="Coach", height=460, elem_id="chat-box",
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
                with gr.Accordion("Talk track for the meeting", open=False, elem_id="script-box"):
                    gr.Markdown("What to say, step by step, built from your goal and log.")
                    script_btn = gr.Button("Write my talk track", elem_id="script-make")
                    script_out = gr.Markdown(elem_id="script-text")
            with gr.Tab("Guides", id="guides"):
                reader = guides.build(state)
        history = gr.State([])
        conversation = gr.State(None)

    @guarded("answer your question", state)
    def respond(text, past, conv_id, request: gr.Request):
        text = clean_block(text or "")  # shown back as sent: only text the page can carry
        if not text:
            raise CoachError("the message is empty", hint="Type a question first.")
        ctx = state.context(request)
        key = f"t{len(past)}"
        shown = [*past, {"role": "user", "content": text},
                 {"role": "assistant", "content": TYPING}]
        yield shown, gr.skip(), gr.skip(), "", gr.skip(), gr.skip(), gr.skip()
        for part in stream_call(chat.chat_turn, ctx=ctx, message=text, conversation_id=conv_id,
                               today=state.today):
            if part.done:
                turn = part.result
                shown[-1] = {"role": "assistant", "content": answer_html(turn, key)}
                yield (shown, shown, turn.conversation_id, gr.skip(), citations_markdown(turn),
                       gr.update(visible=turn.proposed_entry is not None),
                       guides.cited_update(turn.citations))
            else:
                shown[-1] = {"role": "assistant", "content": html.escape(part.text, quote=False)}
                yield shown, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()

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

    @guarded("open the Prepare tab", state)
    def refresh(request: gr.Request):
        ctx = state.context(request)
        # The model reads the chat's fixed start while the user types the first question.
        threading.Thread(target=chat.warm_chat, args=(ctx,), name="coach-warm-chat",
                         daemon=True).start()
        return guides.documents_update(state, request)

    def reset():
        return [], [], None, "", gr.update(visible=False), guides.cited_update([])

    outputs = [chatbot, history, conversation, message, sources, accept, reader.cited]
    ask = [message, history, conversation]
    ev1 = send.click(respond, ask, outputs, **PRIVATE)
    ev2 = message.submit(respond, ask, outputs, **PRIVATE)
    events: list[dict[str, Any]] = [ev1, ev2]  # a Dependency is a dict; `cancels` takes dicts
    for chip in chips:
        events.append(chip.click(respond, [chip, history, conversation], outputs, **PRIVATE))
    stop.click(None, None, None, cancels=events, **PRIVATE)
    accept.click(add_proposed, [history, conversation], [chatbot, history, accept], **PRIVATE)
    script_btn.click(talk_track, None, script_out, **PRIVATE)
    new_chat.click(reset, None, [chatbot, history, conversation, sources, accept, reader.cited],
                   **PRIVATE)
    return Panel(tab=tab, refresh=refresh, outputs=[reader.doc], on_load=False)
