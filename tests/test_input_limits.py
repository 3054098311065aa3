"""The input budget and the limits around it: one table of field sizes for every face, files
checked by size before they are read, parsers that stop at a depth, and the smaller rules
on what the user types (each face's own wording is pinned in tests/hostile.py)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from coach.cli.main import build_parser
from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft
from coach.domain.expectations import Expectation
from coach.domain.limits import BUDGET, MAX_FILE_BYTES, TooLong, check_length
from coach.domain.log_formats import parse_csv, parse_json, parse_markdown
from coach.domain.profile import Profile
from coach.domain.text import clean_block, clean_line
from coach.files import read_bounded
from coach.services import emails, impact_log, profile
from coach.services.proposal import draft_proposal
from tests.scenarios.helpers import TODAY, cli_fail, cli_json
from tests.scenarios.helpers import profile as a_profile

MB = 1024 * 1024


# -- the table ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("model", "field", "key"), [
    (Profile, "name", "name"), (Profile, "manager_name", "manager_name"),
    (Profile, "current_title", "current_title"), (Profile, "target_title", "target_title"),
    (EntryDraft, "title", "title"), (EntryDraft, "metric", "metric"),
    (EntryDraft, "description", "description"), (EntryDraft, "source", "source"),
    (Expectation, "title", "expectation_title"),
    (Expectation, "description", "expectation_description"),
    (Expectation, "action", "expectation_action"),
])
def test_the_models_take_their_limits_from_the_one_table(model, field, key):
    limits = [m.max_length for m in model.model_fields[field].metadata if hasattr(m, "max_length")]
    assert limits == [BUDGET[key]]


# Free-text options the budget does not cover, and why: paths, ids, names of things the
# command checks against a list, and the operator's own settings (a server's host, a login
# name for `coach users`).
NOT_TEXT = {"home", "model", "out", "summary_file", "script", "file", "users_file", "id", "run",
            "run_a", "run_b", "case", "kinds", "response", "meeting_response", "difficulty", "host",
            "name", "scenario"}


def _text_options(parser: argparse.ArgumentParser, path: str = ""):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _text_options(sub, f"{path} {name}".strip())
        elif action.nargs != 0 and action.choices is None and action.dest != "help":
            yield path, action


def test_every_free_text_option_of_the_cli_is_budgeted():
    unbudgeted = [f"coach {path} {action.option_strings or action.dest}"
                  for path, action in _text_options(build_parser())
                  if action.type is None and action.dest not in NOT_TEXT]
    assert unbudgeted == []


def test_check_length_names_the_field_and_both_sizes():
    assert check_length("reason", "r" * 1000) == "r" * 1000 and check_length("reason", None) is None
    with pytest.raises(TooLong) as err:
        check_length("manager_name", "m" * 121)
    assert (err.value.code, err.value.field, err.value.length, err.value.limit) == (
        "too-long", "manager_name", 121, 120)
    assert err.value.message == "manager name is too long (121 characters; the limit is 120)"


def test_a_huge_decline_reason_never_reaches_the_model(ctx):
    """Seen: a 1,000,000-character reason went to the model twice."""
    ctx.store.save_profile(a_profile())
    with pytest.raises(TooLong) as err:
        emails.draft_email(ctx, "decline", reason="r" * 1_000_000, today=TODAY)
    assert err.value.field == "reason"
    assert ctx.llm.history == [] and ctx.store.artifacts("email", "decline") == []


@pytest.mark.parametrize(("call", "field"), [
    (lambda ctx: profile.set_profile(ctx, {"target_title": "t" * 121}), "target_title"),
    (lambda ctx: impact_log.add_entry(ctx, title="x", date=TODAY, metric="9" * 301), "metric"),
    (lambda ctx: impact_log.edit_entry(ctx, 1, source="s" * 501), "source"),
    (lambda ctx: emails.draft_email(ctx, "follow-up", summary="s" * 6001), "summary"),
    (lambda ctx: emails.save_email(ctx, subject="s" * 301, body="b"),
     "subject"),
])
def test_every_service_refuses_an_oversized_field_before_it_reads_anything(ctx, call, field):
    with pytest.raises(TooLong) as err:
        call(ctx)  # no profile and no entry #1 yet: the length is checked first
    assert err.value.field == field


# -- files: size first, bounded reads -----------------------------------------------------------
_IMPORT = """
import re, sys
from pathlib import Path
from coach.cli.main import main
code = main(["log", "import", sys.argv[1]])
# VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
print(code, re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
"""


def test_importing_a_1gb_file_is_refused_in_under_100_mb(tmp_path):
    """Seen: a 1 GB file used 1.13 GB of memory before the 10 MB check refused it."""
    big = tmp_path / "huge.json"
    with big.open("wb") as handle:  # sparse: no disk used, 1 GB to whoever reads it
        handle.truncate(1024 * MB)
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", _IMPORT, str(big)], env=env, text=True,
                          capture_output=True, timeout=120, check=False)
    code, peak_kb = map(int, done.stdout.split())
    assert code == 1 and "huge.json is 1024 MB; the limit is 10 MB" in done.stderr
    assert peak_kb < 100 * 1024, f"peak RSS {peak_kb // 1024} MB"


def test_a_file_without_a_size_is_read_only_up_to_the_limit():
    """/dev/zero says it holds 0 bytes and never ends: the read stops past the limit."""
    with pytest.raises(CoachError, match="zero is over 1000 bytes; the limit is 1000 bytes"):
        read_bounded("/dev/zero", 1000, "a test")


def test_the_file_limits_cover_each_kind_of_upload():
    assert set(MAX_FILE_BYTES) >= {"log", "document", "script", "summary", "backup", "framework"}
    assert MAX_FILE_BYTES["log"] == 10 * MB and MAX_FILE_BYTES["document"] == 5 * MB


# -- parsers stop at a depth --------------------------------------------------------------------
@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '[{"title": [[[[[[[[["deep"]]]]]]]]]}]'])
def test_deep_json_is_refused_with_a_message_not_a_recursion_error(text):
    """Seen: a JSON file nested 100,000 deep gave 'unexpected RecursionError'."""
    with pytest.raises(CoachError, match="nests lists or objects more than 8 levels deep"):
        parse_json(text)


def test_an_ordinary_log_is_not_too_deep():
    assert parse_json('{"entries": [{"date": "2025-01-02", "title": "Shipped"}]}').rows


def test_markdown_nested_past_the_limit_is_refused():
    with pytest.raises(CoachError, match="nests quotes or lists 40 levels deep"):
        parse_markdown("## 2025-01-02 — Shipped\n- kind: result\n\n" + "> " * 40 + "deep\n")


def test_a_csv_with_bare_carriage_returns_imports_line_by_line():
    """Seen: a CSV with a bare CR gave Python's universal-newline message."""
    parsed = parse_csv('date,title,metric\r2025-01-02,Shipped,cut 10%\r2025-01-03,"Two\rlines",\r')
    assert parsed.errors == []
    assert [(r.title, r.metric) for r in parsed.rows] == [("Shipped", "cut 10%"), ("Two lines", "")]


def test_a_broken_csv_says_what_is_wrong_in_plain_words():
    with pytest.raises(CoachError) as err:
        parse_csv(f'date,title\n2025-01-02,"{"x" * 200_000}"\n')
    assert "near line 2: a cell holds more than 131,072 characters" in err.value.message
    assert "field limit" not in str(err.value)


# -- the smaller rules --------------------------------------------------------------------------
def test_log_edit_with_nothing_to_change_says_so_and_changes_nothing(ctx, monkeypatch, capsys):
    """Seen: `log edit 1` with no change printed 'Updated #1.'"""
    saved = impact_log.add_entry(ctx, title="Shipped", date=TODAY)
    err = cli_fail(monkeypatch, capsys, ctx, "log", "edit", str(saved.id))
    assert f"nothing to change in entry #{saved.id}" in err and "--metric" in err
    with pytest.raises(CoachError) as caught:
        impact_log.edit_entry(ctx, saved.id, metric=None)
    assert caught.value.code == "no-changes"
    assert ctx.store.get_entry(saved.id) == saved


@pytest.mark.parametrize(("out", "fmt", "message"), [
    ("case.exe", None, "the name must end in .md or .docx"),
    ("case", None, "the name must end in .md or .docx"),
    ("case.md", "docx", "names a .md file but the format asked for is docx"),
])
def test_a_proposal_export_name_that_is_not_its_format_is_refused_before_drafting(
        ctx, tmp_path, out, fmt, message):
    """Seen: `proposal --out case.exe` wrote Markdown silently."""
    ctx.store.save_profile(a_profile())
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(CoachError, match=message) as err:
        draft_proposal(ctx, today=TODAY, out=folder / out, fmt=fmt)
    assert err.value.code == "bad-format" and err.value.field == "out"
    assert list(folder.iterdir()) == [] and ctx.llm.history == []
    assert ctx.store.artifacts("proposal", "proposal") == []


def test_a_proposal_exports_where_its_name_says(ctx, tmp_path, monkeypatch, capsys):
    ctx.store.save_profile(a_profile())
    data = cli_json(monkeypatch, capsys, ctx, "proposal", "--no-model", "--out",
                    str(tmp_path / "case.MARKDOWN"))
    assert data["files"] == [str(tmp_path / "case.MARKDOWN")]


@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_a_number_of_months(value):
    """Seen: `months_in_role=true` was stored as 1 (the API's wording: tests/hostile.py)."""
    with pytest.raises(ValueError, match=f"expected a whole number, not {str(value).lower()}"):
        Profile(current_title="a", target_title="b", transition="other", months_in_role=value)


@pytest.mark.parametrize("clean", [clean_line, clean_block])
def test_bidi_overrides_are_stripped_but_direction_marks_stay(clean):
    """Seen: right-to-left override characters were kept in titles."""
    text = "Led \u202egnp.exe\u202c review \u2066x\u2069 \u05e9\u05dc\u05d5\u05dd\u200f"
    assert clean(text) == "Led gnp.exe review x \u05e9\u05dc\u05d5\u05dd\u200f"


def test_an_entry_title_with_an_override_is_saved_without_it(ctx):
    saved = impact_log.add_entry(ctx, title="Shipped \u202etxt.exe", date=TODAY)
    assert saved.title == "Shipped txt.exe"


def test_the_api_never_takes_a_boolean_for_a_number():
    from coach.ui.params import typed

    @typed
    def endpoint(months_in_role: int, next_level: bool = False) -> dict:
        return {"months": months_in_role, "next": next_level}

    assert endpoint("3", True) == {"months": 3, "next": True}
    with pytest.raises(CoachError, match="months_in_role: true is not a valid value here"):
        endpoint(True)


def test_the_api_names_the_parameter_and_the_page_the_box():
    from coach.ui.errors import page_message

    error = TooLong("reason", 5000, 1000)
    assert page_message(error, "reason").startswith("reason is too long (5,000 characters")
    assert page_message(error).startswith("Why you decline is too long (5,000 characters")


def test_every_budgeted_field_the_page_shows_has_its_label():
    from coach.ui.params import FIELD_LABELS

    page_fields = set(BUDGET) - {"expectation_title", "expectation_description",
                                 "expectation_action", "keywords"}  # CLI only
    assert page_fields <= set(FIELD_LABELS)


def test_the_chat_repl_refuses_a_line_over_the_budget(ctx, monkeypatch, capsys):
    from coach.cli.chat_cmds import _run_turn

    assert _run_turn(ctx, "m" * (BUDGET["message"] + 1), None, TODAY) is None
    assert "message is too long" in capsys.readouterr().err and ctx.llm.history == []


def test_the_summary_file_is_read_with_a_bound(ctx, monkeypatch, capsys, tmp_path):
    ctx.store.save_profile(a_profile())
    path = tmp_path / "notes.txt"
    path.write_bytes(b"s" * (MAX_FILE_BYTES["summary"] + 1))
    err = cli_fail(monkeypatch, capsys, ctx, "email", "follow-up", "--summary-file", str(path))
    assert "notes.txt is 64.1 KB; the limit is 64 KB for a meeting summary" in err
    assert ctx.llm.history == []


@pytest.mark.parametrize("make", [
    lambda litellm, text: litellm.BadRequestError(message=text, model="m", llm_provider="openai"),
    lambda litellm, text: litellm.RateLimitError(message=text, model="m", llm_provider="openai"),
    lambda litellm, text: litellm.APIConnectionError(message=text, model="m", llm_provider="openai"),
    lambda litellm, text: litellm.APIError(status_code=418, message=text, model="m",
                                           llm_provider="openai"),
    lambda litellm, text: ValueError(text),
], ids=["bad-request", "rate-limit", "connection", "api", "unexpected"])
def test_the_providers_own_words_never_reach_the_message(make):
    """Seen: the provider's raw error text (key redacted) reached web users."""
    from coach.llm.gateway._failures import classify
    from coach.llm.gateway._litellm import litellm

    text = "org org-7f3a: your prompt 'Priya's private review notes' was flagged"
    failure = classify(make(litellm, text), "openai/gpt-x")
    assert "Priya" not in failure.message and "org-7f3a" not in failure.message
    assert "openai/gpt-x" in failure.message


def test_front_matter_with_aliases_or_deep_nesting_is_refused():
    from coach.knowledge.documents import split_front_matter

    bomb = "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\n# Notes\ntext\n"
    deep = "---\ntitle: " + "[" * 100_000 + "]" * 100_000 + "\n---\n# Notes\ntext\n"
    for text in (bomb, deep):
        with pytest.raises(CoachError, match="nests more than 8 levels deep or uses YAML aliases"):
            split_front_matter(text)
    assert split_front_matter("---\ntitle: Notes\ntags: [a, b]\n---\nbody\n")[0]["tags"] == ["a", "b"]


TYPED = "my salary is " + str(123_456)  # built at run time: the source line does not hold it


def _fail_with(text: str) -> None:
    try:
        raise KeyError(text)
    except KeyError as inner:
        raise RuntimeError(f"while saving '{text}'") from inner


def test_a_logged_traceback_keeps_its_frames_and_withholds_the_messages():
    """Seen: tracebacks in the server log echoed user text."""
    from coach.llm.scrub import quiet_traceback

    try:
        _fail_with(TYPED)
    except RuntimeError as exc:
        text = quiet_traceback(exc)
    assert "123456" not in text and "salary" not in text
    assert "builtins.KeyError: [message withheld: 21 characters]" in text
    assert "builtins.RuntimeError: [message withheld" in text
    assert "direct cause" in text and "_fail_with" in text


def test_the_web_apps_crash_log_withholds_what_the_user_typed(tmp_path):
    from coach.ui.errors import record_crash

    try:
        _fail_with(TYPED)
    except RuntimeError:
        ref = record_crash(tmp_path, "save the goal")
    log = (tmp_path / "logs" / "ui-errors.log").read_text(encoding="utf-8")
    assert f"ref={ref}" in log and "123456" not in log and "_fail_with" in log


def test_log_records_with_a_traceback_withhold_its_messages(caplog):
    import logging

    from coach.llm.scrub import install_log_scrubber

    install_log_scrubber()
    try:
        _fail_with(TYPED)
    except RuntimeError:
        logging.getLogger("coach.test").error("failed", exc_info=True)
    assert "123456" not in caplog.text and "message withheld" in caplog.text


def test_a_backup_that_unpacks_past_the_limit_is_refused_before_extracting(ctx, tmp_path):
    import io
    import tarfile

    from coach.services.backup import restore

    archive = tmp_path / "bomb.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("manifest.json", "tables.json", "documents/huge.md"):
            info = tarfile.TarInfo(name)
            info.size = 600 * MB if name.startswith("documents") else 2
            data = io.BytesIO(b"{}") if info.size == 2 else _Zeros(info.size)
            tar.addfile(info, data)
    with pytest.raises(CoachError, match="unpacks to 600 MB; the limit is 512 MB"):
        restore(ctx, archive)
    assert not ctx.settings.documents_dir.exists() or not any(ctx.settings.documents_dir.iterdir())


class _Zeros:
    """`size` zero bytes, read in pieces: a large archive member without holding it."""

    def __init__(self, size: int):
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"\0" * n
