"""The four emails: required elements, the tone guard, follow-up sources, .eml and .ics."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from coach.domain.emails import EMAIL_KINDS, build_email, check_elements, validate_email
from coach.domain.errors import CoachError
from coach.domain.evidence import EntryDraft
from coach.domain.guard import hostile_phrases
from coach.domain.readiness import assess_readiness
from coach.export.ics import escape, fold, reminder
from coach.services.emails import draft_email
from tests.scenarios.helpers import TODAY, cli_fail, cli_json, entry, polish_email_reply, profile

P = profile(months=14, review_month=6)
ENTRIES = [entry(1, "Migrated the checkout service", metric="cut p95 latency 40%"),
           entry(2, "Mentored two new engineers", kind="mentoring", metric="both shipped in 3 "
                 "weeks", next_level=True)]
SUMMARY = ("Dana agreed the case is strong and wants me to lead the reorder project. She will "
           "raise my nomination at the June calibration.")
REVISIT = dt.date(2025, 6, 2)


def build(kind, **kw):
    r = assess_readiness(P, ENTRIES, today=TODAY)
    defaults = {"summary": SUMMARY, "revisit": REVISIT} if kind == "follow-up" else {}
    return build_email(kind, P, ENTRIES, r, today=TODAY, **{**defaults, **kw})


@pytest.mark.parametrize("kind, elements", [
    ("meeting-request", ["request", "duration", "purpose", "target-title", "scheduling"]),
    ("follow-up", ["thanks", "summary", "next-steps", "timeline", "revisit"]),
    ("decline", ["thanks", "reason", "alternative", "door-open"]),
    ("thank-you", ["thanks", "target-title", "details", "commitment"]),
])
def test_templates_have_every_required_element(kind, elements):
    d = build(kind)
    checks = check_elements(d.body, d, P)
    assert [c.id for c in checks] == elements
    assert all(c.present for c in checks), [c.id for c in checks if not c.present]
    assert d.body.startswith("Hi Dana,") and d.body.rstrip().endswith("Priya Shah")
    assert validate_email(d.body, d, P, ENTRIES) == []
    assert hostile_phrases(d.body) == []


def test_meeting_request_asks_for_30_minutes_with_a_purpose():
    d = build("meeting-request")
    assert "30 minutes" in d.body and "career growth" in d.body and "Tech Lead" in d.body
    assert "cut p95 latency 40%" in d.body or "both shipped in 3 weeks" in d.body


def test_follow_up_has_summary_steps_timeline_and_revisit():
    d = build("follow-up")
    assert SUMMARY in d.body
    assert "My next steps:" in d.body and "by 2025-" in d.body
    assert "2025-06-02" in d.body and d.revisit == REVISIT


def test_follow_up_needs_a_summary():
    with pytest.raises(CoachError, match="needs a summary"):
        build("follow-up", summary="  ")


@pytest.mark.parametrize("reason, said", [
    ("", None),
    ("I want to finish the queue migration first", "I want to finish the queue migration first."),
    ("it would mean relocating", "It would mean relocating."),
])
def test_decline_gives_the_reason_only_if_given(reason, said):
    d = build("decline", reason=reason)
    if said:
        assert said in d.body
    assert "future" in d.body and "Thank you" in d.body


@pytest.mark.parametrize("phrase", [
    "This decision is unfair.", "Frankly the offer is insulting.", "Promote me or I will quit.",
    "That was a waste of my time.", "I demand an answer.",
])
def test_hostile_language_is_rejected(phrase):
    d = build("decline")
    problems = validate_email(d.body.replace("Thank you for offering", f"{phrase} Thank you for "
                                             "offering"), d, P, ENTRIES)
    assert "hostile" in {p.code for p in problems}


@pytest.mark.parametrize("kind, broken, code", [
    ("meeting-request", lambda b: b.replace("30 minutes", "some time"), "missing-element"),
    ("meeting-request", lambda b: b.replace("Could we set aside", "Sure, I can set aside"),
     "wrong-voice"),
    ("meeting-request", lambda b: b.replace("Could we set aside", "I will set aside"),
     "missing-element"),
    ("follow-up", lambda b: b.replace("2025-06-02", "soon"), "missing-element"),
    ("decline", lambda b: b.replace("I hope we can revisit this in the future, and ", ""),
     "missing-element"),
    ("thank-you", lambda b: b.replace("Thank you", "Congratulations"), "wrong-voice"),
    ("meeting-request", lambda b: b + "\nI also grew revenue 30% last year.", None),
    ("meeting-request", lambda b: b + "\nI also grew revenue 25% last year.", "invented-number"),
    ("follow-up", lambda b: b + "\nProject Falcon starts next week.", "invented-name"),
])
def test_model_body_checks(kind, broken, code):
    d = build(kind)
    codes = {p.code for p in validate_email(broken(d.body), d, P, ENTRIES)}
    assert (code in codes) if code else not codes


def test_users_own_blunt_reason_is_kept_but_flagged(ctx):
    ctx.store.save_profile(P)
    result = draft_email(ctx, "decline", reason="the pay is unfair", today=TODAY,
                         use_model=False)
    assert "The pay is unfair." in result.body
    assert result.checks["no-hostile-language"] is False
    assert "may read as negative" in result.notice


# -- the service --------------------------------------------------------------------------


def seeded(ctx):
    ctx.store.save_profile(P)
    ctx.store.add_entries([EntryDraft(**e.model_dump(exclude={"id"})) for e in ENTRIES])


def test_polished_email_is_used_when_it_passes(ctx):
    seeded(ctx)
    ctx.llm.enqueue(polish_email_reply)
    result = draft_email(ctx, "meeting-request", today=TODAY)
    assert result.source == "model" and result.notice is None
    assert result.body.startswith("Hello Dana,")
    assert all(result.checks.values())
    call = ctx.llm.history[0]
    assert call.prompt.name == "email"
    assert "asks for about 30 minutes" in call.messages[1]["content"]


def test_bad_then_bad_falls_back_to_the_template(ctx):
    seeded(ctx)
    rude = "Hi Dana, I demand 30 minutes. This is unfair. Priya"
    ctx.llm.enqueue(rude, rude)
    result = draft_email(ctx, "meeting-request", today=TODAY)
    assert result.source == "draft"
    assert result.notice.startswith("The model's email used negative language")
    assert "template built from your profile" in result.notice
    assert "unfair" not in result.body


def test_subject_line_and_preface_are_stripped_from_the_reply(ctx):
    seeded(ctx)
    ctx.llm.enqueue(lambda m: "Subject: Chat?\n\n" + polish_email_reply(m))
    result = draft_email(ctx, "meeting-request", today=TODAY)
    assert result.source == "model" and not result.body.startswith("Subject")


def test_eml_file_is_a_valid_draft(ctx, tmp_path):
    seeded(ctx)
    result = draft_email(ctx, "thank-you", today=TODAY, use_model=False, out_dir=tmp_path)
    eml = tmp_path / "thank-you-v1.eml"
    assert str(eml) in result.files
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Thank you: Tech Lead"
    assert str(msg["To"]) == "Dana Reyes <dana.reyes@example.com>"
    assert str(msg["From"]) == "Priya Shah <priya@example.com>"
    assert msg.get_content().strip() == result.body.strip()
    assert msg["Date"].datetime.date() == TODAY


def test_follow_up_writes_an_ics_reminder(ctx, tmp_path):
    seeded(ctx)
    result = draft_email(ctx, "follow-up", summary=SUMMARY, revisit=REVISIT, today=TODAY,
                         use_model=False, out_dir=tmp_path)
    ics = (tmp_path / "follow-up-v1.ics").read_bytes().decode()
    assert str(tmp_path / "follow-up-v1.ics") in result.files
    assert ics.count("\r\n") == len(ics.split("\r\n")) - 1 and "\n" not in ics.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20250602\r\n" in ics
    assert "DTEND;VALUE=DATE:20250603\r\n" in ics
    assert "DTSTAMP:20250414T000000Z\r\n" in ics
    assert "BEGIN:VEVENT" in ics and "END:VCALENDAR\r\n" in ics
    assert "SUMMARY:Promotion check-in with Dana Reyes\r\n" in ics


def test_default_revisit_is_the_next_review_cycle(ctx):
    seeded(ctx)
    result = draft_email(ctx, "follow-up", summary=SUMMARY, today=TODAY, use_model=False)
    assert result.revisit == dt.date(2025, 6, 1)
    assert "2025-06-01" in result.body


def test_ics_escaping_and_folding():
    assert escape("a, b; c\\d\nnext") == "a\\, b\\; c\\\\d\\nnext"
    long = "DESCRIPTION:" + "é" * 60
    folded = fold(long)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long
    text = reminder(when=REVISIT, summary="Check-in, again", description="x;y",
                    stamp=TODAY)
    assert "SUMMARY:Check-in\\, again\r\n" in text and "DESCRIPTION:x\\;y\r\n" in text


def test_follow_up_never_falls_back_to_the_last_role_play(ctx):
    seeded(ctx)
    ctx.store.new_conversation("roleplay", "practice")
    with pytest.raises(CoachError, match="needs a summary") as caught:
        draft_email(ctx, "follow-up", today=TODAY, use_model=False)
    assert (caught.value.code, caught.value.field) == ("no-summary", "summary")
    with pytest.raises(CoachError, match="no conversation with id 3"):
        draft_email(ctx, "follow-up", meeting_id=3, today=TODAY, use_model=False)


def practice(ctx, lines, response_type="not-yet"):
    convo = ctx.store.new_conversation("roleplay", "practice", {
        "response_type": response_type, "revealed": True, "difficulty": "tough"})
    ctx.store.add_messages(convo.id, [
        ("assistant", "Thanks for coming in. What did you want to talk about?",
         {"speaker": "manager", "move": "opening"}),
        *((("user" if who == "you" else "assistant"), text, {"speaker": who})
          for who, text in lines)])
    return convo.id


def test_a_picked_practice_session_is_recapped_without_saying_it_was_practice(ctx):
    seeded(ctx)
    chosen = practice(ctx, [("you", "I would like to move to Tech Lead. What would you need to "
                                    "see from me?"),
                            ("manager", "Not yet. Lead the reorder project and we revisit it "
                                        "next quarter. I'll send you the list in writing.")])
    practice(ctx, [("you", "Something else entirely.")])  # a later one: never used unasked
    result = draft_email(ctx, "follow-up", meeting_id=chosen, today=TODAY, use_model=False)
    body = result.body
    assert "What would you need to see from me?" in body and "I'll send you the list" in body
    assert "it is not the right time yet" in body and "next quarter" in body
    assert "Something else" not in body
    for word in ("practice", "Practice", "difficulty", "tough", "role-play", "You asked"):
        assert word not in body
    assert result.checks["summary"]


def test_the_users_own_summary_wins_over_a_picked_meeting(ctx):
    seeded(ctx)
    chosen = practice(ctx, [("you", "A practice line about nothing.")])
    result = draft_email(ctx, "follow-up", summary=SUMMARY, meeting_id=chosen, today=TODAY,
                         use_model=False)
    assert SUMMARY in result.body and "practice line" not in result.body


def test_recorded_meetings_list_real_and_practice_newest_first(ctx):
    from coach.services.meeting_recap import recorded_meetings

    first = practice(ctx, [("you", "Hello.")])
    real = ctx.store.new_conversation("meeting", "the real one")
    ctx.store.new_conversation("chat", "not a meeting")
    found = recorded_meetings(ctx)
    assert [(m.id, m.real) for m in found] == [(real.id, True), (first, False)]
    assert found[0].label().startswith("Real meeting") and "Practice" in found[1].label()


def test_without_addresses_no_eml_is_written_and_the_result_says_which(ctx, tmp_path):
    ctx.store.save_profile(P.model_copy(update={"manager_email": "", "email": ""}))
    result = draft_email(ctx, "thank-you", today=TODAY, use_model=False, out_dir=tmp_path)
    assert result.missing == ["manager_email", "email"]
    assert not any(f.endswith(".eml") for f in result.files)
    assert any(f.endswith(".txt") for f in result.files)
    from coach.services.emails import save_email

    with pytest.raises(CoachError) as caught:
        save_email(ctx, subject="S", body="B", kind="thank-you")
    assert (caught.value.code, caught.value.field) == ("no-address", "manager_email")


def test_an_edited_email_is_saved_addressed_from_the_profile(ctx):
    from coach.services.emails import save_email

    seeded(ctx)
    path = save_email(ctx, subject="Thanks", body="Hi Dana,\n\nEdited.", kind="thank-you",
                      today=TODAY)
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert str(msg["To"]) == "Dana Reyes <dana.reyes@example.com>"
    assert path.name == "thank-you.eml" and "Edited." in msg.get_content()


def test_the_draft_is_handed_over_before_the_model_answers(ctx):
    seeded(ctx)
    seen = []

    def reply(messages):
        assert seen and seen[0].source == "draft" and seen[0].version == 0
        return polish_email_reply(messages)

    ctx.llm.enqueue(reply)
    result = draft_email(ctx, "meeting-request", today=TODAY, on_draft=seen.append)
    assert result.source == "model" and result.version == 1
    assert seen[0].body != result.body and seen[0].to_address == "dana.reyes@example.com"


def test_stopping_keeps_the_draft_and_saves_nothing(ctx):
    import threading

    seeded(ctx)
    cancel = threading.Event()

    def reply(messages):
        cancel.set()  # the user pressed Stop while the model was writing
        return polish_email_reply(messages)

    ctx.llm.enqueue(reply)
    result = draft_email(ctx, "decline", today=TODAY, cancel=cancel)
    assert result.source == "draft" and result.version == 0 and result.notice.startswith("Stopped")
    assert ctx.llm.history[0].kind == "stream"  # a stream, so the model stops mid-reply
    assert ctx.store.artifacts("email", "decline") == []


# -- the command --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EMAIL_KINDS)
def test_cli_email_json_is_saved(ctx, monkeypatch, capsys, tmp_path, kind):
    seeded(ctx)
    ctx.llm.enqueue(polish_email_reply)
    args = ["email", kind, "--today", "2025-04-14", "--out", str(tmp_path)]
    if kind == "follow-up":
        summary = tmp_path / "summary.txt"
        summary.write_text(SUMMARY, encoding="utf-8")
        args += ["--summary-file", str(summary), "--revisit", "2025-06-02"]
    if kind == "decline":
        args += ["--reason", "I want to stay hands-on for another year"]
    data = cli_json(monkeypatch, capsys, ctx, *args)
    assert data["kind"] == kind and data["subject"] and data["body"]
    assert all(data["checks"].values()), data["checks"]
    assert data["notice"] is None
    assert any(f.endswith(".eml") for f in data["files"])
    assert (kind == "follow-up") == any(f.endswith(".ics") for f in data["files"])
    saved = ctx.store.latest_artifact("email", kind)
    assert saved.version == 1 and data["body"] in saved.content


def test_cli_email_rejects_unknown_kind_and_missing_file(ctx, monkeypatch, capsys, tmp_path):
    seeded(ctx)
    assert "invalid choice" in cli_fail(monkeypatch, capsys, ctx, "email", "resignation")
    err = cli_fail(monkeypatch, capsys, ctx, "email", "follow-up", "--summary-file",
                   str(tmp_path / "missing.txt"))
    assert "could not read" in err


@pytest.mark.parametrize("step, present", [
    ("- I will run the retro by 2025-05-26.", True),
    ("- I will run the retro by May 26.", True),
    ("- I will run the retro by 26 May.", True),
    ("- I will run the retro soon.", False),
])
def test_follow_up_timeline_accepts_common_date_forms(step, present):
    d = build("follow-up")
    body = "\n".join(line for line in d.body.splitlines() if "by 2025-" not in line)
    checks = {c.id: c.present for c in check_elements(body + "\n" + step, d, P)}
    assert checks["timeline"] is present


@pytest.mark.parametrize("opening, asks", [
    ("Could we set aside 30 minutes next week?", True),
    ("I wanted to schedule a 30-minute meeting with you.", True),
    ("I'd like to book 30 minutes with you.", True),
    ("I will set aside 30 minutes next week.", False),
])
def test_meeting_request_must_actually_ask(opening, asks):
    d = build("meeting-request")
    body = d.body.replace(d.body.split("\n\n")[1].split("?")[0] + "?", opening)
    checks = {c.id: c.present for c in check_elements(body, d, P)}
    assert checks["request"] is asks


@pytest.mark.parametrize("body, carried", [
    ("Thank you for the offer. I would like to keep working with you on the team.", False),
    ("Thank you. I want to finish the queue migration before I take on a new role.", True),
    ("Thank you for thinking of me for the promotion; the timing is not right for me.", False),
])
def test_decline_reason_must_carry_the_users_own_words(body, carried):
    d = build("decline", reason="I want to finish the queue migration first")
    checks = {c.id: c.present for c in check_elements(body, d, P)}
    assert checks["reason"] is carried


@pytest.mark.parametrize("body, carried", [
    ("Thank you for the conversation about my promotion today. I will follow up.", False),
    ("Thanks for today. You agreed the case is strong, I will lead the reorder project, and you "
     "will raise the nomination at calibration.", True),
])
def test_follow_up_summary_must_carry_what_was_said(body, carried):
    d = build("follow-up")
    checks = {c.id: c.present for c in check_elements(body, d, P)}
    assert checks["summary"] is carried


def test_cli_follow_up_asks_for_the_meeting_and_takes_a_recorded_one(ctx, monkeypatch, capsys):
    seeded(ctx)
    practice(ctx, [("you", "Could we revisit this next quarter?")])
    err = cli_fail(monkeypatch, capsys, ctx, "email", "follow-up", "--no-model")
    assert "needs a summary of what was said" in err and "--summary" in err and "--meeting" in err
    err = cli_fail(monkeypatch, capsys, ctx, "email", "follow-up", "--summary", "x",
                   "--meeting", "1")
    assert "not allowed with argument" in err
    chosen = practice(ctx, [("you", "What would you need to see from me?")])
    data = cli_json(monkeypatch, capsys, ctx, "email", "follow-up", "--meeting", str(chosen),
                    "--no-model", "--today", "2025-04-14")
    assert "What would you need to see from me?" in data["body"]
    assert "revisit this next quarter" not in data["body"] and "ractice" not in data["body"]


def test_cli_says_which_address_is_missing_and_the_flag_to_set_it(ctx, monkeypatch, capsys,
                                                                   tmp_path):
    from coach.cli.main import main
    from coach.services.context import Context

    ctx.store.save_profile(P.model_copy(update={"manager_email": ""}))
    monkeypatch.setattr(Context, "open", classmethod(lambda cls, home=None, model=None, llm=None: ctx))
    assert main(["email", "thank-you", "--no-model", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert ("No .eml written: your manager's e-mail address is missing from your profile. Set it "
            "with `coach profile set --manager-email ADDRESS`.") in out
    assert not list(tmp_path.glob("*.eml"))
