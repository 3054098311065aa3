"""Guides: read every shipped guide and the user's own documents in full, inside the Prepare tab.

Opened from a citation in the chat (its "Read it in the guide" link, or the list of the last
answer's sources here), the guide opens with the cited section highlighted and scrolled to.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import gradio as gr

from coach.services import knowledge
from coach.ui.errors import guarded
from coach.ui.state import AppState
from coach.ui.tabs import PRIVATE

SEP = "§"  # between a file and a heading in a citation's key: "timing.md§Bad moments to ask"
_HEADING = re.compile(r"^(#{2,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FRONT = re.compile(r"\A#[ \t]+.+\n")


def cite_key(source: str, section: str) -> str:
    return f"{source}{SEP}{section}"


def split_key(key: str) -> tuple[str, str]:
    """(file, heading) of a key; what follows a '|' (the page's nonce, so the same citation
    opens again) is ignored."""
    source, _, section = (key or "").split("|", 1)[0].partition(SEP)
    return source, section


def document_markdown(text: str, shipped: bool, section: str = "") -> str:
    """A document as the page shows it; the section named `section` highlighted.

    Shipped guides are markdown and render as such; a user's own document is shown as plain
    text, escaped, whatever its format: it is data, never markup for the page (an image in it
    would be fetched the moment it renders).
    """
    if not shipped:
        return f"<pre class='coach-doc-text'>{html.escape(text)}</pre>"
    if not section:
        return text
    for found in _HEADING.finditer(text):
        if found.group(2).strip() != section:
            continue
        end = next((m.start() for m in _HEADING.finditer(text, found.end())
                    if len(m.group(1)) <= len(found.group(1))), len(text))
        body = text[found.start():end].strip()
        return (f"{text[:found.start()]}\n<div class='coach-cited'>\n\n{body}\n\n</div>\n\n"
                f"{text[end:]}")
    return text


@dataclass
class GuidesView:
    """The components the chat needs to open a guide from a citation."""

    doc: gr.Dropdown
    cited: gr.Dropdown
    text: gr.Markdown
    open_key: gr.Textbox

    @property
    def outputs(self) -> list:
        return [self.doc, self.text]


def build(state: AppState) -> GuidesView:
    """The Guides view, inside the tab being built."""
    gr.Markdown("Every guide the coach cites, and your own documents. Pick one to read it; "
                "a source of the last answer opens with its section highlighted.")
    with gr.Row():
        doc = gr.Dropdown([], label="Guide or document", elem_id="guides-doc", scale=3)
        cited = gr.Dropdown([], label="Sources of the last answer", elem_id="guides-cited",
                            scale=2)
    text = gr.Markdown(elem_id="guides-text", sanitize_html=True)
    # Set by the page's script when a citation's "Read it in the guide" link is clicked.
    open_key = gr.Textbox(elem_id="guides-open", container=False, show_label=False)
    view = GuidesView(doc, cited, text, open_key)

    def _read(request: gr.Request, doc_id: str, section: str = "") -> str:
        found = knowledge.read_document(state.context(request), doc_id)
        shipped = found.kind == "guidance"
        title = "" if shipped else f"## {html.escape(found.title)}\n*{html.escape(found.source)}*\n\n"
        return title + document_markdown(found.text, shipped, section)

    @guarded("open the guide", state)
    def show(doc_id, request: gr.Request):
        return _read(request, doc_id) if doc_id else ""

    @guarded("open the cited passage", state)
    def show_cited(key, request: gr.Request):
        source, section = split_key(key)
        if not source:
            return gr.skip(), gr.skip()
        return gr.update(value=source), _read(request, source, section)

    doc.input(show, doc, text, **PRIVATE)
    cited.input(show_cited, cited, [doc, text], **PRIVATE)
    open_key.change(show_cited, open_key, [doc, text], **PRIVATE)
    return view


def documents_update(state: AppState, request: gr.Request) -> dict:
    """The document list, refreshed when the tab opens (the user may have added one)."""
    docs = knowledge.list_documents(state.context(request))
    return gr.update(choices=[(f"{d.title} ({'guide' if d.kind == 'guidance' else 'yours'})",
                               d.source) for d in docs])


def cited_update(citations) -> dict:
    """The last answer's sources, to open in the reader."""
    return gr.update(choices=[(c.label(), cite_key(c.source, c.section)) for c in citations],
                     value=None)
