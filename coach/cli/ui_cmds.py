"""`coach ui` (serve the web app) and `coach users` (accounts for the multi-user service)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

from coach.cli.common import Result, add_command
from coach.domain.errors import CoachError
from coach.services import users
from coach.services.context import Context
from coach.services.sessions import SessionStore


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "ui", cmd_ui, help="serve the web app (http://127.0.0.1:7860)",
                    model=True)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--users-file", metavar="FILE",
                   help="require login with the accounts in FILE (default: $COACH_USERS_FILE)")

    group = sub.add_parser("users", help="accounts for the multi-user web service")
    usub = group.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = add_command(usub, "add", cmd_users_add, help="add a user (password read from stdin "
                    "or asked for)")
    p.add_argument("name")
    p.add_argument("--replace", action="store_true", help="set a new password for an existing user")
    _file_option(p)
    p = add_command(usub, "list", cmd_users_list, help="list the users")
    _file_option(p)
    p = add_command(usub, "rm", cmd_users_rm, help="remove a user (their data is kept)")
    p.add_argument("name")
    _file_option(p)
    p = add_command(usub, "sessions", cmd_users_sessions,
                    help="list the web logins that are open (of one user, or of all)")
    p.add_argument("name", nargs="?")
    _file_option(p)
    p = add_command(usub, "logout", cmd_users_logout,
                    help="end every web login of a user (a running server too)")
    p.add_argument("name")
    _file_option(p)


def _file_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--file", metavar="FILE", help="the users file (default: $COACH_USERS_FILE)")


def _users_file(args: argparse.Namespace, ctx: Context) -> Path:
    value = getattr(args, "file", None)
    path = Path(value).expanduser() if value else ctx.settings.users_file
    if path is None:
        raise CoachError("no users file given",
                         hint="Set COACH_USERS_FILE=/path/users.json or pass --file.")
    return path


def _read_password() -> str:
    """One line from stdin when piped; otherwise asked twice without echo."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise CoachError("the two passwords differ", hint="Nothing was saved; try again.")
    return first


def cmd_users_add(args: argparse.Namespace, ctx: Context) -> Result:
    path = _users_file(args, ctx)
    name = users.add_user(path, args.name, _read_password(), replace=args.replace)
    return Result({"user": name, "file": str(path)}, f"Saved user '{name}' in {path}.")


def cmd_users_list(args: argparse.Namespace, ctx: Context) -> Result:
    found = users.list_users(_users_file(args, ctx))
    text = "\n".join(found.users) if found.users else f"No users in {found.path}."
    return Result(found, text)


def cmd_users_rm(args: argparse.Namespace, ctx: Context) -> Result:
    path = _users_file(args, ctx)
    name = users.remove_user(path, args.name)
    return Result({"removed": name, "file": str(path)},
                  f"Removed user '{name}'. Their data home stays in place.")


def _sessions(args: argparse.Namespace, ctx: Context) -> SessionStore:
    """The session store of the data home a server started with this --home would use."""
    return SessionStore(ctx.settings.home, _users_file(args, ctx),
                        idle_hours=ctx.settings.session_idle_hours)


def cmd_users_sessions(args: argparse.Namespace, ctx: Context) -> Result:
    store = _sessions(args, ctx)
    found = store.list(args.name)
    if not found:
        who = f"'{users.normalise_username(args.name)}'" if args.name else "anyone"
        return Result([], f"No open web logins of {who} in {store.path}.")
    lines = [f"{'ID':<12}  {'USER':<16}  {'LOGGED IN':<16}  {'LAST SEEN':<16}  ADDRESS"]
    lines += [f"{s.id:<12}  {s.username:<16}  {_when(s.created):<16}  {_when(s.last_seen):<16}  "
              f"{s.address}" for s in found]
    return Result(found, "\n".join(lines))


def cmd_users_logout(args: argparse.Namespace, ctx: Context) -> Result:
    store = _sessions(args, ctx)
    name = users.normalise_username(args.name)
    ended = store.end_user(name)
    return Result({"user": name, "ended": ended, "store": str(store.path)},
                  f"Ended {ended} web login(s) of '{name}'.")


def _when(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def cmd_ui(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.ui.app import serve  # gradio is heavy: import it only for this command

    users_file = Path(args.users_file).expanduser() if args.users_file else ctx.settings.users_file
    url = serve(base_home=ctx.settings.home, host=args.host, port=args.port,
                model=getattr(args, "model", None), users_file=users_file)
    return Result({"url": url, "stopped": True}, "Stopped.")
