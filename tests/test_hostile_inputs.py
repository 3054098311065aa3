"""Hostile and broken input: a clear message, no traceback, the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli.main import main
from coach.services.context import Context
from tests.hostile import API_CASES, CLI_CASES, GOAL, SESSION, UI_CASES, Case, Upload, snapshot

RESULTS: list[tuple[str, bool, bool, bool]] = []


def _seed(home, capsys):
    main(["--home", str(home), "profile", "set", "--current-title", "Engineer", "--target-title",
          "Senior Engineer", "--transition", "ic-to-lead", "--months-in-role", "14"])
    main(["--home", str(home), "log", "add", "Existing win", "--metric", "cut costs 12%",
          "--date", "2026-01-05"])
    capsys.readouterr()


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_cli_hostile_input(case: Case, tmp_path, capsys, coach_home):
    folder = tmp_path / "case"
    folder.mkdir()
    for name, data in case.files:
        (folder / name).write_bytes(data)
    if case.id != "profile-show-none":
        _seed(coach_home, capsys)
    else:
        main(["--home", str(coach_home), "log", "list"])
        capsys.readouterr()
    before = snapshot(coach_home)
    argv = [a.replace("{dir}", str(folder)) for a in case.argv]
    code = main(argv)
    out, err = capsys.readouterr()
    clear = case.expect.lower() in err.lower()
    traceback = "Traceback" in err or "Traceback" in out
    unchanged = snapshot(coach_home) == before
    RESULTS.append((case.id, clear, traceback, unchanged))
    assert code != 0, f"accepted: {out[:200]}"
    assert not traceback
    assert "unexpected" not in err, err
    assert clear, f"expected {case.expect!r} in: {err}"
    assert len(err.strip().splitlines()) <= 3, err
    assert unchanged


# -- the web app: its API and its page ----------------------------------------------------------
class WebFaces:
    """One app (a fast scripted model) with a goal, an entry and a live role-play; sends a
    case through the API or the page and returns the message the caller got."""

    def __init__(self, home: Path):
        from gradio_client import Client

        from coach.llm.local import free_port
        from coach.testing import FakeCoachModel
        from coach.ui.app import start
        from tests.webui import PageEvents

        self.home = home
        self.server = start(base_home=home, port=free_port(), llm=FakeCoachModel(),
                            warm_index=False)
        self.client = Client(self.server.url, verbose=False)
        self.page = PageEvents(self.server.demo, self.server.url)
        self.client.predict(**GOAL, api_name="/set_profile")
        self.client.predict(title="Existing win", metric="cut costs 12%", date="2026-01-05",
                            api_name="/add_entry")
        self.session = self.client.predict(response="not-yet", api_name="/roleplay_start")[
            "session_id"]

    def close(self) -> None:
        self.page.close()
        self.server.close()

    def _value(self, value, uploads: dict[str, Path]):
        if value == SESSION:
            return self.session
        if isinstance(value, Upload):
            return self.page.upload(uploads[value.name], value.name)
        return value

    def error(self, case: Case, uploads: dict[str, Path]) -> str:
        """The message the caller got (the raw response for a raw request); fails if accepted."""
        if case.body:
            return self._raw(case)
        if case.face == "api":
            from gradio_client.exceptions import AppError

            params = {name: self._value(value, uploads) for name, value in case.inputs}
            try:
                result = self.client.predict(**params, api_name=case.endpoint)
            except AppError as exc:
                return str(exc)
            raise AssertionError(f"accepted: {json.dumps(result)[:200]}")
        tab, handler = case.endpoint.split(".")
        outcome = self.page.call(f"coach.ui.tabs.{tab}", handler,
                                 *(self._value(v, uploads) for v in case.inputs))
        assert not outcome.success, f"accepted: {json.dumps(outcome.data)[:200]}"
        assert "Traceback" not in outcome.raw
        return outcome.error

    def _raw(self, case: Case) -> str:
        url = f"{self.server.url}gradio_api/call/{case.endpoint}"
        resp = self.page.http.post(url, content=case.body,
                                   headers={"content-type": "application/json"})
        if resp.status_code != 200:
            assert resp.status_code < 500, resp.text
            return resp.text
        events = self.page.http.get(f"{url}/{resp.json()['event_id']}").text
        assert "event: error" in events, f"accepted: {events[:200]}"
        return json.loads(events.split("event: error\ndata:", 1)[1].split("\n", 1)[0])["error"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    faces = WebFaces(tmp_path_factory.mktemp("hostile-web") / "home")
    yield faces
    faces.close()


WEB_CASES = API_CASES + UI_CASES


@pytest.mark.parametrize("case", WEB_CASES, ids=[c.id for c in WEB_CASES])
def test_web_hostile_input(case: Case, web: WebFaces, tmp_path):
    uploads = {}
    for number, (name, data) in enumerate(case.files):  # a hostile name is only sent, not used
        uploads[name] = tmp_path / f"upload-{number}{Path(name).suffix}"
        uploads[name].write_bytes(data)
    before = snapshot(web.home)
    message = web.error(case, uploads)
    clear = case.expect.lower() in message.lower()
    traceback = "Traceback" in message or 'File "' in message
    unchanged = snapshot(web.home) == before
    RESULTS.append((case.id, clear, traceback, unchanged))
    assert not traceback, message
    assert "something went wrong" not in message.lower(), message
    assert not (web.home / "logs" / "ui-errors.log").exists(), "logged as a crash"
    assert clear, f"expected {case.expect!r} in: {message[:500]}"
    assert unchanged


def test_hostile_table_covers_enough():
    faces = {face: sum(c.face == face for c in CLI_CASES + WEB_CASES)
             for face in ("cli", "api", "ui")}
    assert faces["cli"] >= 50 and faces["api"] + faces["ui"] >= 20, faces
    assert len({c.id for c in CLI_CASES + WEB_CASES}) == len(CLI_CASES + WEB_CASES)


def test_a_broken_character_from_the_page_is_replaced_not_crashed_on(web: WebFaces):
    """The page may send half of a character (JavaScript strings can hold one): the chat
    answers and saves the question with the replacement mark instead of failing to store it."""
    outcome = web.page.call("coach.ui.tabs.prepare", "respond", "When is a good time \ud800?", [], None)
    assert outcome.success, outcome.error
    store = Context.open(web.home).store
    question = store.messages(store.conversations("chat")[-1].id)[0]
    assert question.content == "When is a good time \ufffd?"
