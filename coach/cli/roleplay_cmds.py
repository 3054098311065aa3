"""`coach roleplay`: rehearse the promotion meeting with a mock manager, then see the scorecard."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING, Any, TextIO

from coach.cli.common import Result, add_command
from coach.domain.errors import CoachError
from coach.domain.responses import AUTO, RESPONSE_CHOICES, Difficulty, ResponseType
from coach.services.context import Context

if TYPE_CHECKING:
    from coach.domain.roleplay import Scorecard
    from coach.services.roleplay import ReplyEvent, RolePlayResult, RolePlaySession
    from coach.services.scenario import ScenarioSession

# The role-play services and the scorecard rules are imported by the code that runs or shows a
# meeting, so registering these commands costs the other commands nothing.


def _session_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a session id (a whole number)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a session id; ids start at 1")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a seed (a whole number)") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "roleplay", cmd_roleplay, model=True,
                    help="rehearse the promotion meeting with a mock manager (or, with --scenario, an offer "
                         "or an interview elsewhere), then get a scorecard")
    p.add_argument("--scenario", default="promotion", metavar="NAME",
                   help="promotion (ask for it; the default) | offer (a promotion package presented: "
                        "your saved offer) | interview (another company asks about your current role)")
    p.add_argument("--response", default=None, metavar="TYPE",
                   help=f"the manager's answer: {' | '.join(RESPONSE_CHOICES)} (default: auto, "
                        "drawn from your readiness and timing and revealed at the end); promotion only")
    p.add_argument("--difficulty", default="realistic", metavar="LEVEL",
                   help=f"{' | '.join(d.value for d in Difficulty)} (default: realistic)")
    p.add_argument("--script", metavar="FILE",
                   help="play non-interactively: one line you say per line; blank lines and #comments "
                        "are skipped")
    p.add_argument("--seed", type=_seed, help="repeat the same manager lines and auto answer")
    rsub = p.add_subparsers(dest="roleplay_command", metavar="ACTION")
    add_command(rsub, "progress", cmd_progress, help="how each step went across your role-plays")
    add_command(rsub, "list", cmd_list, help="your saved meetings, practice and real, with their scores")
    s = add_command(rsub, "show", cmd_show, help="a saved meeting's transcript and scorecard")
    s.add_argument("id", type=_session_id, help="the meeting id (see `coach roleplay list`)")
    s = add_command(rsub, "rm", cmd_rm, help="delete a saved meeting with its scorecard")
    s.add_argument("id", type=_session_id, help="the meeting id (see `coach roleplay list`)")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    s = add_command(rsub, "compare", cmd_compare, help="two meetings' scorecards side by side")
    s.add_argument("a", type=_session_id, help="the first meeting id")
    s.add_argument("b", type=_session_id, help="the second meeting id")
    s = add_command(rsub, "score", cmd_score,
                    help="score a real meeting: a file of 'you: ...' / 'manager: ...' lines, or JSON "
                         "turns with speaker and text ('-' reads standard input)")
    s.add_argument("file", help="the transcript or notes of the meeting")
    s.add_argument("--response", dest="meeting_response", metavar="TYPE",
                   help=f"the manager's answer: {' | '.join(t.value for t in ResponseType)} "
                        "(default: read from the manager's lines)")


# -- rendering -----------------------------------------------------------------------------------
def render_scorecard(card: Scorecard | None) -> str:
    from coach.domain.roleplay import Verdict

    if card is None:
        return "Not scored yet."
    marks = {Verdict.YES: "[yes]", Verdict.NO: "[no] ", Verdict.NA: "[n/a]",
             Verdict.UNSCORED: "[ ? ]"}
    yes = sum(c.verdict is Verdict.YES for c in card.checks)
    lines = [f"Scorecard: {card.score:.0%} ({yes} of {card.scored} scored checks)"]
    for check in card.checks:
        how = "" if check.method == "rule" else " (judge)"
        lines.append(f"  {marks[check.verdict]} {check.step}{how}")
        if check.quote:
            lines.append(f'        you said: "{check.quote}"')
        if check.verdict is not Verdict.YES and check.reason:
            lines.append(f"        why: {check.reason}")
        elif check.verdict is Verdict.YES and check.method == "judge" and check.reason:
            lines.append(f"        judge: {check.reason}")
        if check.verdict in (Verdict.NO, Verdict.UNSCORED) and check.improved:
            lines.append(f'        try: "{check.improved}"')
    return "\n".join(lines)


def render_transcript(result: RolePlayResult) -> str:
    lines = []
    them = result.counterpart or "manager"
    width = max(7, len(them))
    for turn in result.transcript:
        who = "you" if turn.speaker == "you" else them
        mark = f"  ({turn.note})" if turn.note else ""
        lines.append(f"{who:>{width}}: {turn.text}{mark}")
    return "\n".join(lines)


def render_result(result: RolePlayResult, *, transcript: bool = True) -> str:
    answer = result.label or "hidden until the meeting ends"
    level = f", {result.difficulty.value}" if result.difficulty else ""
    kind = "Real meeting" if result.real else "Practice meeting"
    head = f"{kind} {result.session_id} ({result.date}{level}). The manager's answer: {answer}."
    if result.scenario != "promotion":
        what = result.title.split(" · ")[1] if " · " in result.title else result.scenario
        head = f"Practice: {what.lower()}, session {result.session_id} ({result.date}{level}), with the " \
               f"{result.counterpart or 'counterpart'}."
    parts = [head]
    if transcript:
        parts.append(render_transcript(result))
    parts.append(render_scorecard(result.scorecard))
    parts += [f"Note: {n}" for n in result.notices]
    return "\n\n".join(parts)


def _data(result: RolePlayResult) -> dict[str, Any]:
    data = result.model_dump(mode="json")
    data["response_type"] = result.response_type.value if result.response_type else None
    return data


# -- handlers ------------------------------------------------------------------------------------
def cmd_roleplay(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    as_json = bool(getattr(args, "json", False))
    scenario = str(args.scenario).strip().lower()
    if scenario != "promotion":
        return _scenario(args, ctx, scenario, as_json)
    args.response = args.response or AUTO
    if args.script:
        lines = roleplay.load_script(args.script)
        result = roleplay.run_script(ctx, lines, args.response, args.difficulty, seed=args.seed)
        return Result(_data(result), render_result(result))
    session = roleplay.start_roleplay(ctx, args.response, args.difficulty, seed=args.seed)
    result = _interactive(session, sys.stderr if as_json else sys.stdout)
    return Result(_data(result), render_result(result, transcript=False))


def _scenario(args: argparse.Namespace, ctx: Context, scenario: str, as_json: bool) -> Result:
    """`--scenario offer|interview`: the scenario service, the same rendering."""
    from coach.services import roleplay
    from coach.services.scenario import ALL_SCENARIOS, play_scenario, start_scenario

    if scenario not in ALL_SCENARIOS:
        raise CoachError(f"unknown scenario '{args.scenario}'", code="bad-scenario", field="scenario")
    if args.response is not None:
        raise CoachError(f"--response sets the manager's answer in the promotion meeting; the {scenario} "
                         "scenario has none", code="response-not-for-scenario", field="response")
    if args.script:
        lines = roleplay.load_script(args.script)
        result = play_scenario(ctx, scenario, lines, difficulty=args.difficulty, seed=args.seed)
        return Result(_data(result), render_result(result) + _offer_hint(result))
    session = start_scenario(ctx, scenario, difficulty=args.difficulty, seed=args.seed)
    result = _interactive(session, sys.stderr if as_json else sys.stdout)
    return Result(_data(result), render_result(result, transcript=False) + _offer_hint(result))


def _offer_hint(result: RolePlayResult) -> str:
    """With no saved offer, how to save one (the core's notice names no command)."""
    if result.scenario != "offer" or not any("No offer is saved" in n for n in result.notices):
        return ""
    return ("\nSave your offer: coach offer set --title TITLE --salary AMOUNT --scope TEXT --benefits TEXT "
            "--start YYYY-MM-DD")


def _interactive(session: RolePlaySession | ScenarioSession, out: TextIO) -> RolePlayResult:
    """Talk in the terminal: tokens stream as they arrive; Ctrl-C stops only the current reply."""
    from coach.services.scenario import ScenarioSession

    them = "manager"
    if isinstance(session, ScenarioSession):
        them = session.who
        for notice in session.notices:
            out.write(f"Note: {notice}\n")
        out.write(f"Practice {session.scenario} with the {them} ({session.difficulty.value}).\n")
    else:
        shown = "hidden until the end" if session.visible_type == AUTO else session.meeting.persona.label
        out.write(f"Mock meeting with {session.meeting.manager_name} ({session.difficulty.value}; "
                  f"answer: {shown}).\n")
    out.write(f"Type what you would say. /end finishes and shows the scorecard; Ctrl-C stops the {them} "
              "mid-reply.\n\n")
    out.write(f"{them}: {session.opening}\n")
    out.flush()
    session.warm_in_background()  # the model reads the brief while the user types
    while not session.ended:
        out.write("    you: ")
        out.flush()
        try:
            line = input()  # the prompt goes to `out`, so --json keeps stdout clean
        except (EOFError, KeyboardInterrupt):
            out.write("\n")
            break
        if line.strip().lower() == "/end":
            break
        if not line.strip():
            continue
        _one_reply(session, line, out, them)
    said = len(session.transcript)
    result = session.end()
    for turn in result.transcript[said:]:  # the manager's closing line when the user ended it
        out.write(f"{them}: {turn.text}\n")
    out.write("\n")
    out.flush()
    return result


def _one_reply(session: RolePlaySession | ScenarioSession, line: str, out: TextIO,
               them: str = "manager") -> None:
    cancel = threading.Event()
    box: dict[str, Any] = {}

    def write(piece: str) -> None:
        out.write(piece)
        out.flush()

    def note(event: ReplyEvent) -> None:
        if event.kind == "rejected":
            box["rejected"] = True

    def work() -> None:
        try:
            box["reply"] = session.say(line, on_token=write, cancel=cancel, on_event=note)
        except BaseException as exc:  # handed to the main thread, which reports it
            box["error"] = exc

    out.write(f"{them}: ")
    out.flush()
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        cancel.set()
        worker.join()  # the service stops at the next token and records nothing
    error = box.get("error")
    if isinstance(error, CoachError):
        out.write(f"\n(error: {error})\n")
        return
    if error is not None:
        raise error
    reply = box["reply"]
    if reply.cancelled:
        out.write("\n(reply stopped; nothing was recorded. Say it again, or type /end.)\n")
        return
    if reply.replaced:  # what streamed is not the reply: show the one that counts, and why
        out.write(f"\n({reply.note or 'the reply was tidied'}:)\n{them}: {reply.text}")
    out.write("\n")
    if reply.ended:
        out.write("(the manager has ended the meeting)\n")
    out.flush()
    session.warm_in_background()  # the model reads the meeting so far while the user types


def cmd_progress(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.domain.roleplay import Verdict
    from coach.services import roleplay

    progress = roleplay.roleplay_progress(ctx)
    if not progress.sessions:
        return Result(progress, "No scored role-plays yet. Try: coach roleplay --response "
                      f"{ResponseType.NOT_YET}")
    lines = ["Sessions:"]
    for s in progress.sessions:
        kind = "real" if s.real else s.difficulty
        lines.append(f"  {s.date}  {s.response_type:<9} {kind:<9} {s.score:>5.0%} ({s.scored} scored)  "
                     f"[id {s.session_id}]")
    lines.append("\nBy step (oldest to newest):")
    short = {Verdict.YES: "y", Verdict.NO: "n", Verdict.NA: "-", Verdict.UNSCORED: "?"}
    for check in progress.checks:
        trail = " ".join(short[p.verdict] for p in check.points) or "(none)"
        lines.append(f"  {check.step:<42} {trail}")
    return Result(progress, "\n".join(lines))


def cmd_show(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    result = roleplay.get_session(ctx, args.id)
    return Result(_data(result), render_result(result))


def cmd_list(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    meetings = roleplay.list_meetings(ctx)
    if not meetings:
        return Result(meetings, "No saved meetings yet. Practise with `coach roleplay`, or score a real "
                      "one with `coach roleplay score FILE`.")
    lines = [f"  {'id':>4}  {'meeting':<48} {'score':>6}"]
    for m in meetings:
        score = "-" if m.score is None else f"{m.score:.0%}"
        lines.append(f"  {m.session_id:>4}  {m.title:<48} {score:>6}")
    lines.append("\nShow one: coach roleplay show ID   Compare: coach roleplay compare A B")
    return Result(meetings, "\n".join(lines))


def cmd_rm(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    meeting = roleplay.get_session(ctx, args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CoachError(f"not deleting meeting {args.id} ({meeting.title}) without confirmation",
                             hint="Add --yes to delete it.")
        answer = input(f"Delete meeting {args.id} ({meeting.title}) and its scorecard? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            return Result({"deleted": None}, "Nothing deleted.")
    info = roleplay.delete_session(ctx, args.id)
    return Result({"deleted": info}, f"Deleted meeting {args.id} ({info.title}).")


def cmd_compare(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    comparison = roleplay.compare_sessions(ctx, args.a, args.b)
    a, b = comparison.a, comparison.b

    def score(s) -> str:
        return "-" if s.score is None else f"{s.score:.0%}"

    lines = [f"  A: [{a.session_id}] {a.title}  score {score(a)}",
             f"  B: [{b.session_id}] {b.title}  score {score(b)}", "",
             f"  {'step':<56} {'A':>9} {'B':>9}"]
    for row in comparison.checks:
        mark = "  <" if row.changed else ""
        lines.append(f"  {row.step[:56]:<56} {row.a.value if row.a else '-':>9} "
                     f"{row.b.value if row.b else '-':>9}{mark}")
    return Result(comparison, "\n".join(lines))


def cmd_score(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import roleplay

    text = sys.stdin.read() if args.file == "-" else roleplay.read_meeting_file(args.file)
    result = roleplay.score_meeting(ctx, text, args.meeting_response)
    card = result.scorecard
    hint = f"Draft the follow-up email: coach email follow-up --meeting {result.session_id}"
    data = {"session_id": result.session_id, "real": True, "title": result.title,
            "response_type": result.response_type.value if result.response_type else None,
            "inferred": bool(result.notices), "score": card.score if card else None,
            "checks": [{"id": c.id, "step": c.step, "verdict": c.verdict.value, "quote": c.quote,
                        "reason": c.reason, "improved": c.improved, "method": c.method}
                       for c in (card.checks if card else [])],
            "follow_up": f"coach email follow-up --meeting {result.session_id}"}
    text = render_result(result, transcript=False) + f"\n\nSaved as meeting {result.session_id}. {hint}"
    return Result(data, text)
