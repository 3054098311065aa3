"""How the Prepare tab renders an answer and a guide: markers that open their passage, every
piece of text escaped, the cited section highlighted."""

from __future__ import annotations

from coach.domain.chat import AnswerSentence, Citation
from coach.services.chat import ChatTurn
from coach.ui.tabs.guides import cite_key, document_markdown, split_key
from coach.ui.tabs.prepare import answer_html

GUIDE = "# Timing the ask\n\nIntro.\n\n## Good moments to ask\n\nAfter a win.\n\n## Bad moments\n\nNo."


def _turn(answer: str, citations: list[Citation]) -> ChatTurn:
    return ChatTurn(answer=answer, sentences=[AnswerSentence(text=answer, origin="rule")],
                    citations=citations, conversation_id=1)


def test_markers_open_their_passage_and_nothing_is_markup():
    turn = _turn("Ask after a <b>win</b> [1].", [Citation(
        n=1, source="timing.md", section="Good moments to ask", title="Timing the ask",
        text="- **After a win.** <img src=x onerror=alert(1)> Ask while fresh.")])
    shown = answer_html(turn, "t2")
    assert 'href="#coach-cite:t2-1">[1]</a>' in shown
    assert '<details class="coach-src coach-src-t2-1"><summary>[1] Timing the ask § Good ' in shown
    assert "&lt;b&gt;win&lt;/b&gt;" in shown and "<img" not in shown
    assert "onerror" not in shown and "After a win." in shown and "Ask while fresh." in shown
    assert 'href="#coach-guide:timing.md%C2%A7Good%20moments%20to%20ask"' in shown


def test_the_cited_section_is_highlighted_and_a_users_document_stays_text():
    shown = document_markdown(GUIDE, True, "Good moments to ask")
    assert "<div class='coach-cited'>\n\n## Good moments to ask\n\nAfter a win.\n\n</div>" in shown
    assert shown.endswith("## Bad moments\n\nNo.")
    assert document_markdown(GUIDE, True) == GUIDE
    mine = document_markdown("![x](https://collect.example/p.png) <b>hi</b>", False)
    assert mine.startswith("<pre") and "<b>" not in mine and "&lt;b&gt;" in mine


def test_a_citation_key_survives_the_pages_nonce():
    key = cite_key("timing.md", "Good moments to ask")
    assert split_key(f"{key}|1712345678") == ("timing.md", "Good moments to ask")
    assert split_key("") == ("", "")
