"""The page's error lines (`ui.errors.Messages`): where a failure shows and how it is worded."""

from __future__ import annotations

import gradio as gr
import pytest

from coach.domain.errors import CoachError
from coach.ui.errors import PAGE_HINTS, PAGE_WORDS, Messages, page_message

SKIP = gr.skip()


def _form():
    with gr.Blocks():
        msgs = Messages(None, "t")
        date_line = msgs.field("date", "Date")
        form_line = msgs.form()
    return msgs, date_line, form_line


def test_a_field_error_goes_under_its_field_and_keeps_every_output():
    msgs, date_line, form_line = _form()

    def add(date_v):
        raise CoachError("'x' is not a date", code="bad-date", field="date")

    out = msgs.wrap(add, 2, "add the entry")("x")
    assert out[:2] == [SKIP, SKIP]  # the table and the status keep what they showed
    assert out[2]["visible"] and "Date: write the date as YYYY-MM-DD" in out[2]["value"]
    assert out[3] == {"__type__": "update", "value": "", "visible": False}


def test_an_error_about_no_field_of_the_form_goes_to_the_form_line():
    msgs, _, _ = _form()
    out = msgs.wrap(lambda: (_ for _ in ()).throw(CoachError("no such thing")), 1, "x")()
    assert out[0] == SKIP and not out[1]["visible"] and "No such thing." in out[2]["value"]


def test_success_clears_the_lines_and_returns_the_outputs():
    msgs, _, _ = _form()
    assert msgs.wrap(lambda: ("rows", "Added."), 2, "x")()[:2] == ["rows", "Added."]
    assert msgs.wrap(lambda: "one", 1, "x")()[0] == "one"
    assert all(not u["visible"] for u in msgs.wrap(lambda: "one", 1, "x")()[1:])


def test_a_crash_is_logged_and_reported_on_the_form_line(tmp_path):
    msgs, _, _ = _form()

    def broken():
        raise KeyError("bug")

    out = msgs.wrap(broken, 1, "save your goal")()
    assert out[0] == SKIP and "Something went wrong on our side while trying to save your " \
        "goal" in out[2]["value"] and "KeyError" not in out[2]["value"]


def test_generators_clear_the_lines_once_then_report_a_failure_mid_way():
    msgs, _, _ = _form()

    def stream():
        yield "a"
        yield "ab"
        raise CoachError("the model stopped")

    outs = list(msgs.wrap(stream, 1, "x")())
    assert outs[0][0] == "a" and not outs[0][1]["visible"]
    assert outs[1][1:] == [SKIP, SKIP]
    assert outs[2][0] == SKIP and "The model stopped." in outs[2][2]["value"]


def test_what_the_user_typed_is_escaped():
    msgs, _, _ = _form()
    out = msgs.wrap(lambda: (_ for _ in ()).throw(CoachError("'<b>' is odd")), 0, "x")()
    assert "&lt;b&gt;" in out[1]["value"]


def test_wiring_needs_the_form_line():
    with gr.Blocks():
        msgs = Messages(None, "t")
        button = gr.Button()
        with pytest.raises(ValueError, match="form's line"):
            msgs.on(button.click, lambda: None, action="x")


@pytest.mark.parametrize("exc, expected", [
    (CoachError("profile not saved: current title is empty", code="empty",
                field="current_title"), "Current title is empty: fill it in."),
    (CoachError("x", code="bad-number", field="months_in_role"),
     "Months in role: enter a whole number."),
    (CoachError("3 bad rows", hint="Fix them, or pass --skip-bad."), "3 bad rows."),
    (CoachError("3 bad rows; nothing was imported:\n  line 2: x", code="bad-rows", field="file"),
     "3 bad rows; nothing was imported:\n  line 2: x\nFix those rows, or tick"),
    (CoachError("no profile yet", code="no-profile"),
     "No profile yet. Set your goal in the Goal tab first."),
])
def test_page_wording_never_names_a_flag_or_a_key(exc, expected):
    assert page_message(exc).startswith(expected)


def test_the_wording_tables_speak_the_page_s_language():
    for key, words in [*PAGE_WORDS.items(), *PAGE_HINTS.items()]:
        assert "--" not in words and "`" not in words and "_" not in words, key
