"""The documented API (`gradio_client`): the journey's main functions as JSON in, JSON out.

Each endpoint is a thin call into the same service functions the tabs and the CLI use, on
the caller's own data home (the logged-in user's, in service mode). See ui/API.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import gradio as gr

from coach.domain.email_kinds import EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.roleplay import AUTO, Difficulty, ResponseType
from coach.services import chat as chat_service
from coach.services import emails, impact_log, profile, roleplay, sample
from coach.services import proposal as proposal_service
from coach.services import readiness as readiness_service
from coach.services import script as script_service
from coach.services import timing as timing_service
from coach.services.jsonable import to_jsonable
from coach.services.scenario import ALL_SCENARIOS, PROMOTION, start_scenario
from coach.ui.errors import guarded
from coach.ui.params import RowId, typed
from coach.ui.state import AppState
from coach.ui.streaming import stream_call
from coach.ui.tabs import parse_date


def register(state: AppState) -> None:
    """Add the endpoints to the Blocks being built (call inside `with gr.Blocks()`)."""

    @guarded("save the goal", state, api=True)
    @typed
    def set_profile(current_title: str, target_title: str, transition: str, months_in_role: int,
                    name: str = "", manager_name: str = "", review_month: int = 0,
                    signals: list[str] | None = None, email: str | None = None,
                    manager_email: str | None = None, request: gr.Request | None = None) -> dict:
        """Create or update the goal. transition: ic-to-lead | senior-to-staff |
        lead-to-manager | manager-to-director | other. signals: ids such as recent-win,
        hiring-freeze. email, manager_email: None keeps the saved address."""
        changes = {"current_title": current_title, "target_title": target_title,
                   "transition": transition, "months_in_role": months_in_role, "name": name,
                   "manager_name": manager_name, "review_month": review_month or None,
                   "email": email, "manager_email": manager_email}
        saved = profile.set_profile(state.context(request), changes, clear_signals=True,
                                    add_signals=list(signals or []))
        return to_jsonable(saved)

    @guarded("read the goal", state, api=True)
    def get_profile(request: gr.Request | None = None) -> dict:
        """The saved goal."""
        return to_jsonable(profile.get_profile(state.context(request)))

    @guarded("add the entry", state, api=True)
    @typed
    def add_entry(title: str, date: str = "", metric: str = "", kind: str = "result",
                  next_level: bool = False, description: str = "", source: str = "",
                  request: gr.Request | None = None) -> dict:
        """Add an impact-log entry. date: YYYY-MM-DD (default today). kind: result |
        leadership | mentoring | strategy | executive-communication | feedback |
        responsibility | learning."""
        entry = impact_log.add_entry(state.context(request), title=title,
                                     date=parse_date(date) or _today(), metric=metric, kind=kind,
                                     next_level=next_level, description=description,
                                     source=source)
        return to_jsonable(entry)

    @guarded("edit the entry", state, api=True)
    @typed
    def edit_entry(entry_id: RowId, changes: dict, request: gr.Request | None = None) -> dict:
        """Change fields of an entry, e.g. {"metric": "cut costs 20%"}; others keep their values."""
        if not changes:
            raise CoachError("no changes given", hint='Pass e.g. {"metric": "cut costs 20%"}.')
        fields = dict(changes)
        if isinstance(fields.get("date"), str):
            fields["date"] = parse_date(fields["date"])
        return to_jsonable(impact_log.edit_entry(state.context(request), entry_id, **fields))

    @guarded("delete the entry", state, api=True)
    @typed
    def delete_entry(entry_id: RowId, request: gr.Request | None = None) -> dict:
        """Delete an entry for good; returns what was deleted."""
        return to_jsonable(impact_log.remove_entry(state.context(request), entry_id))

    @guarded("list the entries", state, api=True)
    def list_entries(request: gr.Request | None = None) -> list:
        """Every impact-log entry, oldest first."""
        return to_jsonable(impact_log.list_entries(state.context(request)))

    @guarded("load the sample", state, api=True)
    def load_sample(request: gr.Request | None = None) -> dict:
        """Fill an empty data home with the sample profile and log."""
        return to_jsonable(sample.load_sample(state.context(request), today=state.today))

    @guarded("check readiness", state, api=True)
    def readiness(request: gr.Request | None = None) -> dict:
        """Coverage of the next level's expectations, gaps, plan and score (0..1)."""
        return to_jsonable(readiness_service.readiness(state.context(request),
                                                       today=state.today))

    @guarded("check timing", state, api=True)
    def timing(request: gr.Request | None = None) -> dict:
        """The timing verdict (good | wait | bad) with its reasons and when to look again."""
        return to_jsonable(timing_service.timing(state.context(request), today=state.today))

    @guarded("draft the proposal", state, api=True)
    def proposal(request: gr.Request | None = None) -> dict:
        """Draft and save a new version of the written case (markdown, flags, version)."""
        return to_jsonable(proposal_service.draft_proposal(state.context(request),
                                                           today=state.today))

    @guarded("draft the email", state, api=True)
    @typed
    def email(kind: str, reason: str = "", summary: str = "", meeting_id: RowId | None = None,
              request: gr.Request | None = None) -> dict:
        result = emails.draft_email(
            state.context(request), kind, reason=reason or None, summary=summary or None,
            meeting_id=meeting_id or None, today=state.today)
        return to_jsonable(result)

    email.__doc__ = f"Draft an email. kind: {' | '.join(EMAIL_KINDS)}."  # the domain's kinds

    @guarded("write the talk track", state, api=True)
    def talk_script(request: gr.Request | None = None) -> dict:
        """The six-step talk track for the meeting (text, lines, timeline)."""
        return to_jsonable(script_service.talk_script(state.context(request),
                                                      today=state.today))

    @guarded("answer the question", state, api=True)
    @typed
    def chat(message: str, conversation_id: RowId | None = None,
             request: gr.Request | None = None) -> Iterator[dict]:
        """One chat turn, streamed: {"text", "done": false} updates, then the final turn
        ({"answer", "citations", "conversation_id", "done": true})."""
        for part in stream_call(chat_service.chat_turn, ctx=state.context(request), message=message,
                                conversation_id=conversation_id or None, today=state.today):
            if part.done:
                yield {**to_jsonable(part.result), "done": True}
            else:
                yield {"text": part.text, "done": False}

    @guarded("start the role-play", state, api=True)
    @typed
    def roleplay_start(response: str = AUTO, difficulty: str = Difficulty.REALISTIC.value,
                       scenario: str = PROMOTION, request: gr.Request | None = None) -> dict:
        if scenario != PROMOTION and response != AUTO:
            raise CoachError(f"a manager's answer ('{response[:40]}') is only for the promotion meeting",
                             code="bad-response", field="response",
                             hint="Leave response out for the offer and the interview.")
        if scenario != PROMOTION:  # the offer or the interview: no manager's answer to pick
            found = start_scenario(state.context(request), scenario, difficulty=difficulty,
                                   seed=state.seed, today=state.today)
            state.keep_live(request, found.id, found)
            found.warm_in_background()
            return {"session_id": found.id, "opening": found.opening, "difficulty": found.difficulty.value,
                    "scenario": found.scenario, "counterpart": found.who}
        session = roleplay.start_roleplay(
            state.context(request), response, difficulty, seed=state.seed, today=state.today)
        state.keep_live(request, session.id, session)
        session.warm_in_background()
        return {"session_id": session.id, "opening": session.opening,
                "difficulty": session.difficulty.value, "response": session.visible_type,
                "scenario": PROMOTION}

    # The choices come from the enums, so the documented API never lists a stale one.
    roleplay_start.__doc__ = (
        f"Open a meeting. scenario: {' | '.join(ALL_SCENARIOS)}.\n"
        f"        response (promotion only): {' | '.join((AUTO, *ResponseType))}.\n"
        f"        difficulty: {' | '.join(Difficulty)}. Returns the session id and the opening line.")

    @guarded("get the manager's reply", state, api=True)
    @typed
    def roleplay_turn(session_id: RowId, line: str, request: gr.Request | None = None) -> Iterator[dict]:
        """Say one line; the manager's reply streams as {"text", "done": false}, then the
        validated reply ({"text", "ended", "fallback", "done": true})."""
        session = state.live(request, session_id)
        for part in stream_call(session.say, text=line):
            if part.done:
                session.warm_in_background()  # read the meeting so far before the next line
                yield {**to_jsonable(part.result), "done": True}
            else:
                yield {"text": part.text, "done": False}

    @guarded("score the role-play", state, api=True)
    @typed
    def roleplay_end(session_id: RowId, request: gr.Request | None = None) -> dict:
        """End the meeting and return the result with its scorecard."""
        session = state.live(request, session_id)
        result = session.end()
        state.drop_live(request, session_id)
        return to_jsonable(result)

    for fn in (set_profile, get_profile, add_entry, edit_entry, delete_entry, list_entries,
               load_sample, readiness, timing, proposal, email, talk_script, chat, roleplay_start,
               roleplay_turn, roleplay_end):
        gr.api(fn, api_name=fn.__name__)


def _today():
    import datetime as dt

    return dt.date.today()

