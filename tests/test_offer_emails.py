"""The emails after a yes (issue 21): the agreed offer confirmed in writing, and a thank-you to
each person who helped. Drafts from the user's data only; the model's rewording kept only when
every figure in it is one the user entered, one re-ask, then the draft with a notice. Fake
models only (ScriptedLLM, NoModelLLM)."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy

import pytest

from coach.domain.email_kinds import AFTER_YES_KINDS, EMAIL_KINDS
from coach.domain.errors import CoachError
from coach.domain.offer import Offer, OfferChanges, Salary
from coach.domain.offer_email import KIND as CONFIRMATION
from coach.domain.offer_email import build_confirmation, terms, validate_confirmation
from coach.domain.stakeholders import Influence, Interaction, Person, Relationship
from coach.domain.text import numbers_in
from coach.domain.thanks_email import KIND as THANKS
from coach.domain.thanks_email import build_thanks, helpers, validate_thanks
from coach.domain.update_email import without_dates
from coach.services import offer as offer_service
from coach.services import stakeholders as people
from coach.services.offer_emails import draft_helper_thanks, draft_offer_confirmation
from tests.scenarios.helpers import cli_fail, cli_json, profile

TODAY = dt.date(2026, 12, 5)
P = profile()
START = dt.date(2027, 1, 4)
FULL = Offer(title="Tech Lead", level="L5", salary=Salary(text="$150k", amount=150000, currency="$"),
             scope="Lead the payments team of six engineers", benefits="Equity refresh and a "
             "learning budget", start=START)
TITLE_ONLY = Offer(title="Tech Lead")
SAM = Person(id=1, name="Sam Ortiz", role="Director of Engineering", influence=Influence.HIGH,
             relationship=Relationship.STRONG, sponsor=True, email="sam@example.com",
             cares_about="Platform reliability and on-call load",
             interactions=[Interaction(date=dt.date(2026, 9, 14), note="Coffee chat about goals"),
                           Interaction(date=dt.date(2026, 11, 2), note="Reviewed my promotion "
                                       "case and suggested leading with the latency results")])
LEE = Person(id=2, name="Lee Chan", influence=Influence.MEDIUM, relationship=Relationship.NEUTRAL,
             interactions=[Interaction(date=dt.date(2026, 10, 12),
                                       note="Paired on the incident review for the checkout "
                                            "outage")])
KIM = Person(id=3, name="Kim Park", influence=Influence.LOW, relationship=Relationship.NONE)


def _block(messages) -> str:
    return re.search(r"<data [^>]*>\n(.*?)\n</data>", messages[1]["content"], re.DOTALL).group(1)


def _polite(messages) -> str:
    """A well-behaved rewording: the draft, greeting changed."""
    return _block(messages).replace("Hi ", "Hello ", 1)


def _inventing(messages) -> str:
    """A rewording that adds a figure the user never entered."""
    return _polite(messages).replace("Best regards", "It took 3 months of work.\n\nBest regards")


# -- the kinds ---------------------------------------------------------------------------------
def test_the_new_kinds_stand_beside_the_four_emails():
    assert EMAIL_KINDS == ("meeting-request", "follow-up", "decline", "thank-you")
    assert AFTER_YES_KINDS == (CONFIRMATION, THANKS) == ("offer-confirmation", "helper-thanks")


# -- the confirmation, deterministic -----------------------------------------------------------
@pytest.mark.parametrize("offer", [FULL, TITLE_ONLY,
                                   Offer(title="Staff Engineer", scope="Own the data platform",
                                         start=START)], ids=["full", "title-only", "partial"])
def test_the_draft_states_every_settled_term_and_names_the_open_ones(offer):
    draft = build_confirmation(P, offer)
    body = draft.body
    assert body.startswith("Hi Dana,") and body.rstrip().endswith("Priya Shah")
    for term in terms(offer):
        if term.settled:
            assert f"- {term.label}: {term.value}" in body
    still = [t.label.lower() for t in terms(offer) if not t.settled]
    if still:
        said = re.search(r"Still to confirm: (.*?)\.", body).group(1)
        assert all(label in said for label in still), said
    else:
        assert "Still to confirm" not in body
    assert "in writing" in body and "approve" in body
    assert validate_confirmation(body, draft, P, offer) == []


def test_an_open_term_is_never_made_up():
    body = build_confirmation(P, TITLE_ONLY).body
    assert numbers_in(without_dates(body)[0]) == set()  # no salary, no date, no level number
    assert "Still to confirm: the level, the salary, the scope, the benefits and the start date" \
        in body


REWORDED = ("Hello Dana,\n\nThank you for agreeing to my move to Tech Lead. To keep a shared "
            "record, here is what we agreed: the title Tech Lead at level L5, a salary of "
            "$150,000, leading the payments team of six engineers, an equity refresh and a "
            "learning budget, starting on January 4, 2027.\n\nCould you reply to confirm these "
            "details in writing, and say whether anyone else still has to approve it?\n\n"
            "Best regards,\nPriya Shah")


@pytest.mark.parametrize("body, code", [
    (REWORDED, None),
    (REWORDED.replace("$150,000", "$150k"), None),
    (REWORDED.replace("$150,000", "$155,000"), "invented-number"),
    (REWORDED.replace("January 4, 2027", "January 11, 2027"), "invented-number"),
    (REWORDED.replace("learning budget,", "learning budget, a 10% bonus,"), "invented-number"),
    (REWORDED.replace("a salary of $150,000, ", ""), "missing-element"),
    (REWORDED.replace(" at level L5", ""), "missing-element"),
    (REWORDED.replace("Could you reply to confirm these details in writing, and say",
                      "Let me know"), "missing-element"),
    (REWORDED.replace("Hello Dana,", "Hello Dana, congratulations to us,"), "wrong-voice"),
    (REWORDED.replace("Thank you for", "Thank you, finally, after an unfair wait, for"),
     "hostile"),
    (REWORDED.replace("here is what we agreed", "here is what Marcus agreed"), "invented-name"),
    (REWORDED.replace("a salary of", "**Salary:** a salary of"), "markup"),
])
def test_the_guard_on_a_reworded_confirmation(body, code):
    draft = build_confirmation(P, FULL)
    problems = validate_confirmation(body, draft, P, FULL)
    assert [p.code for p in problems][:1] == ([code] if code else []), problems


def test_a_rewording_may_not_fill_in_an_open_term():
    offer = Offer(title="Tech Lead", start=START)
    draft = build_confirmation(P, offer)
    filled = draft.body.replace("- Start date: 2027-01-04", "- Start date: 2027-01-04\n"
                                "- Salary: $160k")
    assert "invented-number" in [p.code for p in validate_confirmation(filled, draft, P, offer)]


# -- the thank-you notes, deterministic --------------------------------------------------------
def test_the_default_helpers_are_the_sponsors_and_the_people_with_interactions():
    assert [p.id for p in helpers([SAM, LEE, KIM])] == [1, 2]


def test_a_thank_you_is_personal_and_from_the_data():
    draft = build_thanks(P, SAM, title="Tech Lead", start=START, today=TODAY)
    body = draft.body
    assert body.startswith("Hi Sam,") and draft.to == "Sam Ortiz"
    assert draft.to_address == "sam@example.com"
    assert "my promotion to Tech Lead has been agreed" in body and "2027-01-04" in body
    assert "speaking up for me" in body  # a sponsor
    # The latest notes, newest first, as the user wrote them.
    assert body.index("Reviewed my promotion case") < body.index("Coffee chat about goals")
    assert "(Platform reliability and on-call load)" in body and "deliver early results" in body
    assert validate_thanks(body, draft, P, SAM, title="Tech Lead", start=START, today=TODAY) == []
    plain = build_thanks(P, LEE, title="Tech Lead", start=None, today=TODAY).body
    assert "speaking up" not in plain and "incident review for the checkout outage" in plain


@pytest.mark.parametrize("change, code", [
    (("Hi Sam,", "Hi Sam, it took 3 weeks,"), "invented-number"),
    (("agreed,", "agreed with a $150k salary,"), "invented-number"),  # pay is nobody's business
    (("2027-01-04", "2027-02-01"), "invented-number"),
    (("- Reviewed my promotion case and suggested leading with the latency results\n"
      "- Coffee chat about goals", "- you were great"), "missing-element"),
    (("deliver early results", "do well"), "missing-element"),
    # What Sam did must not become something the user did.
    (("- Reviewed my promotion case", "- I reviewed my promotion case"), "changed-who"),
])
def test_the_guard_on_a_reworded_thank_you(change, code):
    draft = build_thanks(P, SAM, title="Tech Lead", start=START, today=TODAY)
    body = draft.body.replace(*change)
    assert body != draft.body
    problems = validate_thanks(body, draft, P, SAM, title="Tech Lead", start=START, today=TODAY)
    assert code in [p.code for p in problems], problems


# -- the services ------------------------------------------------------------------------------
SAVED = OfferChanges(title="Tech Lead", level="L5", salary="$150k",
                     scope="Lead the payments team of six engineers",
                     benefits="Equity refresh and a learning budget", start="2027-01-04")


def _seed(ctx, offer: OfferChanges | None = SAVED, **extra):
    ctx.store.save_profile(profile(**extra))
    if offer is not None:
        offer_service.set_offer(ctx, offer, TODAY)
    sam = people.add_person(ctx, name=SAM.name, role=SAM.role, influence="high",
                            relationship="strong", sponsor=True, email=SAM.email,
                            cares_about=SAM.cares_about)
    for i in SAM.interactions:
        people.log_interaction(ctx, sam.id, i.note, date=i.date, today=TODAY)
    lee = people.add_person(ctx, name=LEE.name, influence="medium", relationship="neutral")
    people.log_interaction(ctx, lee.id, LEE.interactions[0].note,
                           date=LEE.interactions[0].date, today=TODAY)
    people.add_person(ctx, name=KIM.name, influence="low", relationship="none")


def test_a_clean_confirmation_is_kept_saved_and_exported(ctx, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_polite)
    result = draft_offer_confirmation(ctx, today=TODAY, out_dir=tmp_path)
    assert result.source == "model" and result.notice is None and result.version == 1
    assert result.body.startswith("Hello Dana,") and all(result.checks.values())
    assert len(ctx.llm.history) == 1 and ctx.llm.history[0].prompt.name == "offer_email"
    saved = ctx.store.artifacts("email", "offer-confirmation")
    assert len(saved) == 1 and "Salary: $150k" in saved[0].content
    eml = next(f for f in result.files if f.endswith(".eml"))
    msg = email.message_from_bytes(open(eml, "rb").read(), policy=policy.default)
    assert msg["To"] == "Dana Reyes <dana.reyes@example.com>"
    assert msg["Subject"] == "Confirming the agreed terms: Tech Lead"
    assert "Salary: $150k" in msg.get_content()


def test_an_invented_figure_is_asked_again_then_the_draft_stands(ctx, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_inventing, _inventing)
    result = draft_offer_confirmation(ctx, today=TODAY, out_dir=tmp_path)
    assert result.source == "draft" and result.body.startswith("Hi Dana,")
    assert result.notice.startswith("The model's email invented a figure (3)")
    assert "showing the draft built from your data instead" in result.notice
    assert len(ctx.llm.history) == 2
    reask = ctx.llm.history[1].messages[-1]["content"]
    assert "3" in reask and reask != ctx.llm.history[0].messages[-1]["content"]
    assert result.violations and ctx.store.artifacts("email", "offer-confirmation")


def test_an_invented_figure_fixed_on_the_reask_is_kept(ctx, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_inventing, _polite)
    result = draft_offer_confirmation(ctx, today=TODAY, out_dir=tmp_path)
    assert result.source == "model" and result.notice is None and len(ctx.llm.history) == 2


def test_no_saved_offer_drafts_nothing(no_model, tmp_path):
    _seed(no_model, offer=None)
    with pytest.raises(CoachError) as err:
        draft_offer_confirmation(no_model, today=TODAY, out_dir=tmp_path / "out")
    assert err.value.code == "no-offer" and "save the offer first" in err.value.message
    assert no_model.store.artifacts("email") == [] and not (tmp_path / "out").exists()


def test_an_offer_already_in_writing_says_so(ctx, tmp_path):
    _seed(ctx, offer=OfferChanges(title="Tech Lead", in_writing=True))
    result = draft_offer_confirmation(ctx, today=TODAY, out_dir=tmp_path, use_model=False)
    assert "already marked as confirmed in writing" in result.notice


def test_thanks_go_to_the_helpers_by_default(ctx, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_polite, _inventing, _inventing)
    notes = draft_helper_thanks(ctx, today=TODAY, out_dir=tmp_path)
    assert [(n.person, n.to) for n in notes] == [(1, "Sam Ortiz"), (2, "Lee Chan")]
    sam, lee = notes
    assert sam.source == "model" and sam.notice is None and all(sam.checks.values())
    assert sam.missing == [] and any(f.endswith(".eml") for f in sam.files)
    assert lee.source == "draft" and lee.notice.startswith("The model's email invented a figure")
    assert lee.missing == ["stakeholder_email"] and all(f.endswith(".txt") for f in lee.files)
    assert "my promotion to Tech Lead has been agreed" in lee.body and "$150k" not in lee.body
    saved = ctx.store.artifacts("email", "helper-thanks")
    assert [a.meta["person"] for a in saved] == [2, 1]  # newest first
    assert {h.prompt.name for h in ctx.llm.history} == {"thanks_email"}


def test_to_picks_the_people_and_an_unknown_id_is_named(ctx, tmp_path):
    _seed(ctx)
    notes = draft_helper_thanks(ctx, [3, 3], today=TODAY, out_dir=tmp_path, use_model=False)
    assert [n.person for n in notes] == [3]  # no notes logged: a plain thank-you
    assert "Thank you for your help along the way." in notes[0].body
    with pytest.raises(CoachError) as err:
        draft_helper_thanks(ctx, [1, 7], today=TODAY, out_dir=tmp_path, use_model=False)
    assert err.value.code == "not-found" and "id 7" in err.value.message
    assert len(ctx.store.artifacts("email", "helper-thanks")) == 1  # nothing more saved


def test_nobody_to_thank_is_a_clear_error(no_model):
    no_model.store.save_profile(P)
    people.add_person(no_model, name="Kim Park", influence="low", relationship="none")
    with pytest.raises(CoachError) as err:
        draft_helper_thanks(no_model, today=TODAY)
    assert err.value.code == "no-helpers"


def test_without_an_offer_the_news_is_the_target_title_with_a_caveat(ctx, tmp_path):
    _seed(ctx, offer=None)
    note = draft_helper_thanks(ctx, [1], today=TODAY, out_dir=tmp_path, use_model=False)[0]
    assert "my promotion to Tech Lead has been agreed" in note.body and "start in" not in note.body
    assert "last answer is not a yes" in note.notice
    ctx.store.save_profile(profile(last_answer="yes"))
    again = draft_helper_thanks(ctx, [1], today=TODAY, out_dir=tmp_path, use_model=False)[0]
    assert again.notice is None


# -- the command line --------------------------------------------------------------------------
def test_the_cli_drafts_both_kinds(ctx, monkeypatch, capsys, tmp_path):
    _seed(ctx)
    ctx.llm.enqueue(_polite)
    data = cli_json(monkeypatch, capsys, ctx, "email", "offer-confirmation", "--today",
                    TODAY.isoformat(), "--out", str(tmp_path))
    assert data["kind"] == "offer-confirmation" and data["source"] == "model"
    assert (tmp_path / "offer-confirmation-v1.eml").exists()
    notes = cli_json(monkeypatch, capsys, ctx, "email", "helper-thanks", "--to", "2", "1",
                     "--no-model", "--today", TODAY.isoformat(), "--out", str(tmp_path))
    assert [n["person"] for n in notes] == [2, 1] and notes[1]["to_address"] == SAM.email


def test_the_cli_errors_name_the_fix(ctx, monkeypatch, capsys):
    ctx.store.save_profile(P)
    err = cli_fail(monkeypatch, capsys, ctx, "email", "offer-confirmation")
    assert "save the offer first" in err and "coach offer set --title" in err
    people.add_person(ctx, name="Kim Park", influence="low", relationship="none")
    err = cli_fail(monkeypatch, capsys, ctx, "email", "helper-thanks")
    assert "nobody to thank yet" in err and "--to ID" in err
    err = cli_fail(monkeypatch, capsys, ctx, "email", "helper-thanks", "--to", "9")
    assert "no person with id 9" in err and "coach stakeholders list" in err
    err = cli_fail(monkeypatch, capsys, ctx, "email", "decline", "--to", "1")
    assert "helper-thanks only" in err
    assert ctx.store.artifacts("email") == []


# -- the live bench, on a scripted model -------------------------------------------------------
def test_the_bench_reports_each_email(capsys):
    from bench import bench_emails
    from coach.testing import ScriptedLLM

    llm = ScriptedLLM(default=None).enqueue(
        _polite, *[_inventing] * 2, *[_polite] * 20)  # first try, then a fall-back, then the rest
    assert bench_emails.main(["--case", "backend-tech-lead"], llm=llm) == 0
    out = capsys.readouterr().out
    assert "offer-confirmation: first try, parts 9/9, 0 invented" in out
    assert "thanks Ravi Menon: fell back" in out and "thanks Mei Tanaka: first try" in out
    assert "### summary" in out
