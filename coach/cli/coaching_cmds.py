"""Coaching commands: readiness, expectations, timing, proposal, email and script."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.cli.common import Result, add_command, iso_date, record_id, text, today_option
from coach.cli.hints import cli_message
from coach.domain.email_kinds import AFTER_YES_KINDS, EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.evidence import Kind
from coach.domain.expectations import Expectation
from coach.domain.limits import MAX_FILE_BYTES
from coach.domain.profile import Transition
from coach.domain.readiness import readiness_text
from coach.domain.timing import timing_text
from coach.files import read_bounded
from coach.services import readiness as readiness_svc
from coach.services import timing as timing_svc
from coach.services.context import Context

# The drafting services (proposal, email, script, chat) bring their domain rules and prompts:
# each of those commands imports its service when it runs, so `coach timing` never loads them.


def _no_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-model", action="store_true",
                        help="skip the model: show the draft built from your log as it is")


def _csv(value: str | None) -> list[str] | None:
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


# -- readiness and timing -------------------------------------------------------------
def _readiness(args: argparse.Namespace, ctx: Context) -> Result:
    result = readiness_svc.readiness(ctx, today=args.today)
    return Result(result, readiness_text(result))


def _timing(args: argparse.Namespace, ctx: Context) -> Result:
    result = timing_svc.timing(ctx, today=args.today)
    return Result(result, timing_text(result))


# -- expectations ---------------------------------------------------------------------
def _exp_text(listing: readiness_svc.ExpectationList) -> str:
    origin = "your own list" if listing.custom else "built-in defaults"
    if listing.framework:
        origin = f"{listing.framework}, level {listing.level}; `coach log link` confirms a match"
    lines = [f"Expectations for {listing.transition.value} ({origin}):"]
    for e in listing.items:  # a criterion's title already holds its words
        lines.append(f"  {e.id}: {e.title}" + ("" if listing.framework else f" - {e.description}"))
    return "\n".join(lines)


def _kinds(value: str | None) -> list[Kind] | None:
    names = _csv(value)
    if names is None:
        return None
    try:
        return [Kind(n) for n in names]
    except ValueError as exc:
        raise CoachError(f"unknown entry kind in '{value}'",
                         hint=f"Use any of: {', '.join(k.value for k in Kind)}.") from exc


def _exp_fields(args: argparse.Namespace) -> dict[str, object]:
    return {"title": args.title, "description": args.description, "kinds": _kinds(args.kinds),
            "keywords": _csv(args.keywords), "action": args.action}


def _exp_list(args: argparse.Namespace, ctx: Context) -> Result:
    listing = readiness_svc.load_expectations(ctx, args.transition)
    return Result(listing, _exp_text(listing))


def _exp_add(args: argparse.Namespace, ctx: Context) -> Result:
    fields = {k: v for k, v in _exp_fields(args).items() if v is not None}
    try:
        new = Expectation(id=args.id, **fields)
    except ValueError as exc:
        raise CoachError(f"invalid expectation: {exc}".splitlines()[0],
                         hint="Give --id a short slug and a --title.") from exc
    listing = readiness_svc.add_expectation(ctx, new, args.transition)
    return Result(listing, f"Added '{new.id}'.\n" + _exp_text(listing))


def _exp_edit(args: argparse.Namespace, ctx: Context) -> Result:
    changes = {k: v for k, v in _exp_fields(args).items() if v is not None}
    if not changes:
        raise CoachError("nothing to change", hint="Pass --title, --description, --kinds, "
                         "--keywords or --action.")
    listing = readiness_svc.edit_expectation(ctx, args.id, changes, args.transition)
    return Result(listing, f"Updated '{args.id}'.\n" + _exp_text(listing))


def _exp_rm(args: argparse.Namespace, ctx: Context) -> Result:
    listing = readiness_svc.remove_expectation(ctx, args.id, args.transition)
    return Result(listing, f"Removed '{args.id}'.\n" + _exp_text(listing))


def _exp_reset(args: argparse.Namespace, ctx: Context) -> Result:
    listing = readiness_svc.reset_expectations(ctx, args.transition)
    return Result(listing, "Back to the built-in list.\n" + _exp_text(listing))


def _exp_import(args: argparse.Namespace, ctx: Context) -> Result:
    listing = readiness_svc.import_expectations(ctx, args.file, args.transition)
    return Result(listing, f"Imported {len(listing.items)} of your company's expectations.\n"
                  + _exp_text(listing))


def _exp_template(args: argparse.Namespace, ctx: Context) -> Result:
    text = readiness_svc.expectations_template()
    if getattr(args, "json", False):
        return Result({"content": text})
    sys.stdout.write(text)
    return Result(None)


def _exp_options(parser: argparse.ArgumentParser, *, with_id: bool = True) -> None:
    if with_id:
        parser.add_argument("id", help="short slug, e.g. 'hiring'")
    parser.add_argument("--title", type=text("expectation_title"))
    parser.add_argument("--description", type=text("expectation_description"))
    parser.add_argument("--kinds", help="comma-separated entry kinds that evidence it")
    parser.add_argument("--keywords", type=text("keywords"),
                        help="comma-separated words that evidence it")
    parser.add_argument("--action", type=text("expectation_action"),
                        help="a first step to close the gap")


def _transition_opt(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--transition", choices=[t.value for t in Transition], default=None,
                        help="which transition (default: your profile's)")


# -- proposal -------------------------------------------------------------------------
def _proposal(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import proposal as proposal_svc

    result = proposal_svc.draft_proposal(ctx, today=args.today, use_model=not args.no_model,
                                         out=args.out, fmt=args.format)
    text = result.markdown
    if result.notice:
        text += f"\nNote: {result.notice}\n"
    text += f"\nSaved as version {result.version}."
    if result.files:
        text += " Exported: " + ", ".join(result.files)
    return Result(result, text)


def _proposal_history(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import proposal as proposal_svc

    versions = proposal_svc.proposal_history(ctx)
    if not versions:
        return Result(versions, "No proposal saved yet. Run `coach proposal`.")
    lines = [f"v{v.version}  {v.created_at}  {v.source or '?'}  flags: {v.flags}"
             + ("  (model prose not used)" if v.notice else "") for v in versions]
    return Result(versions, "\n".join(lines))


def _proposal_show(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import proposal as proposal_svc

    found = proposal_svc.show_proposal(ctx, args.version)
    return Result(found, found.markdown)


# -- email and script -----------------------------------------------------------------
ADDRESSES = {"manager_email": "your manager's e-mail address", "email": "your own e-mail address"}


AFTER_YES_HINTS = {
    "no-offer": "Run `coach offer set --title T [--level L --salary AMOUNT --scope TEXT "
                "--benefits TEXT --start DATE]` first.",
    "no-helpers": "Mark a sponsor (`coach stakeholders edit ID --sponsor yes`), log what someone "
                  "did (`coach stakeholders log ID TEXT`), or name the people with --to ID.",
}


def _after_yes(args: argparse.Namespace, ctx: Context) -> Result:
    """The emails after a yes: the offer confirmation, or one thank-you per helper."""
    from coach.services import offer_emails

    use_model = not args.no_model
    try:
        if args.kind == "offer-confirmation":
            result = offer_emails.draft_offer_confirmation(ctx, today=args.today,
                                                           out_dir=args.out, use_model=use_model)
            return Result(result, result.text() + _no_eml(result.missing))
        notes = offer_emails.draft_helper_thanks(ctx, args.to, today=args.today,
                                                 out_dir=args.out, use_model=use_model)
    except CoachError as exc:
        if exc.code not in AFTER_YES_HINTS:
            raise
        raise CoachError(exc.message, code=exc.code, field=exc.field,
                         hint=AFTER_YES_HINTS[exc.code]) from None
    return Result(notes, "\n\n".join(
        f"== #{n.person} {n.person_name} ==\n" + n.text() + _no_eml(n.missing, n.person)
        for n in notes))


def _no_eml(missing: list[str], person: int | None = None) -> str:
    said = [cli_message(CoachError(f"{ADDRESSES[f]} is missing from your profile.",
                                   code="no-address", field=f))
            for f in missing if f in ADDRESSES]
    if "stakeholder_email" in missing:
        said.append(f"Their e-mail address is missing: set it with `coach stakeholders edit "
                    f"{person} --email ADDRESS`.")
    return ("\nNo .eml written: " + " ".join(said)) if said else ""


def _email(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import emails as email_svc

    if args.to and args.kind != "helper-thanks":
        raise CoachError("--to picks the people to thank: it goes with helper-thanks only",
                         code="usage")
    if args.kind in AFTER_YES_KINDS:
        return _after_yes(args, ctx)
    summary = args.summary
    if args.summary_file:
        data = read_bounded(args.summary_file, MAX_FILE_BYTES["summary"], "a meeting summary")
        try:
            summary = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CoachError(f"{args.summary_file} is not UTF-8 text",
                             hint="Save it as UTF-8 and try again.") from None
    result = email_svc.draft_email(ctx, args.kind, reason=args.reason, summary=summary,
                                   meeting_id=args.meeting, revisit=args.revisit,
                                   out_dir=args.out, today=args.today,
                                   use_model=not args.no_model)
    text = result.text()
    if result.missing:
        text += "\nNo .eml written: " + " ".join(cli_message(CoachError(
            f"{ADDRESSES[f]} is missing from your profile.", code="no-address", field=f))
            for f in result.missing)
    return Result(result, text)


def _script(args: argparse.Namespace, ctx: Context) -> Result:
    from coach.services import script as script_svc

    result = script_svc.talk_script(ctx, today=args.today, use_model=not args.no_model)
    text = result.text + (f"\n\nNote: {result.notice}" if result.notice else "")
    return Result(result, text)


# -- chat -----------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "readiness", _readiness,
                    help="which next-level expectations your log covers, the gaps and a plan")
    today_option(p)
    p = add_command(sub, "timing", _timing, help="is now a good time to ask, and when to look again")
    today_option(p)

    exp = sub.add_parser("expectations", help="the next level's expectations (add your "
                         "company's own)", description="List or edit the expectations readiness "
                         "checks your log against.")
    exp_sub = exp.add_subparsers(dest="exp_command", metavar="ACTION", required=True)
    p = add_command(exp_sub, "list", _exp_list, help="show the expectations in force")
    _transition_opt(p)
    p = add_command(exp_sub, "add", _exp_add, help="add an expectation")
    _exp_options(p)
    _transition_opt(p)
    p = add_command(exp_sub, "edit", _exp_edit, help="change an expectation")
    _exp_options(p)
    _transition_opt(p)
    p = add_command(exp_sub, "rm", _exp_rm, help="remove an expectation")
    p.add_argument("id")
    _transition_opt(p)
    p = add_command(exp_sub, "reset", _exp_reset, help="go back to the built-in list")
    _transition_opt(p)
    p = add_command(exp_sub, "import", _exp_import, help="replace the list with your company's "
                    "own, from a CSV (title, description, keywords, action)")
    p.add_argument("file", type=Path)
    _transition_opt(p)
    add_command(exp_sub, "template", _exp_template, help="print a CSV template to fill in")

    p = add_command(sub, "proposal", _proposal, model=True,
                    help="draft the written promotion case (four sections, with citations)")
    p.add_argument("--out", metavar="FILE", help="export to FILE (.md or .docx)")
    p.add_argument("--format", choices=["md", "docx"], default=None,
                   help="export format (default: from --out, else md)")
    _no_model(p)
    today_option(p)
    prop_sub = p.add_subparsers(dest="proposal_command", metavar="ACTION")
    add_command(prop_sub, "history", _proposal_history, help="list saved versions")
    q = add_command(prop_sub, "show", _proposal_show, help="print a saved version")
    q.add_argument("version", type=int, nargs="?", default=None,
                   help="version number (default: latest)")

    p = add_command(sub, "email", _email, model=True,
                    help="draft a meeting request, follow-up, decline or thank-you email; after "
                         "a yes, the offer confirmation or thanks to the people who helped")
    p.add_argument("kind", choices=[*EMAIL_KINDS, *AFTER_YES_KINDS])
    p.add_argument("--to", type=record_id("a stakeholder id"), nargs="+", metavar="ID",
                   help="for helper-thanks: the people to thank (default: your sponsors and "
                        "everyone with a logged interaction)")
    p.add_argument("--reason", type=text("reason"), help="for a decline: your reason (optional)")
    said = p.add_mutually_exclusive_group()
    said.add_argument("--summary", type=text("summary"),
                      help="for a follow-up: what was said in the real meeting")
    said.add_argument("--summary-file", metavar="FILE", help="read the summary from FILE")
    said.add_argument("--meeting", type=int, metavar="ID",
                      help="for a follow-up: recap a recorded meeting (real or practice)")
    p.add_argument("--revisit", type=iso_date, metavar="DATE", help="date to check in again")
    p.add_argument("--out", metavar="DIR", help="folder for the .eml/.ics files")
    _no_model(p)
    today_option(p)

    p = add_command(sub, "script", _script, model=True,
                    help="the talk track for the promotion meeting, from your own facts")
    _no_model(p)
    today_option(p)
