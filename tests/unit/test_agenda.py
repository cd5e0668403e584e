"""Agenda (issue 18): calendar invitations for the intake and progress talks, and the e-mail outbox.

The .ics content (REQUEST, update with SEQUENCE + 1, CANCEL, a stable UID, DTSTART with TZID, ORGANIZER and
ATTENDEE addresses), no personal data in the invitation or the e-mail, the outbox without SMTP, and access:
the outbox is for administrators only, a partner answers only for its own organisation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from sqlalchemy import select

from statushouders import agenda, auth, callbacks, notify, own_view, plans, register
from statushouders.models import CallbackRequest, Meeting, OutboxMessage, PlanParticipant, User
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 11, 22)  # a Sunday; the intake is on Monday 23 November, in working hours
PUBLIC = "https://eenplan.example.nl"
ADDRESS = "Kerkstraat 12, 1211 AB Hilversum"
MAILS = {"regisseur": "a.devries@hilversum.example.nl", "vwn": "begeleider@vwn.example.nl",
         "taalschool": "docent@taalschool.example.nl", "budgetcoach": "coach@budget.example.nl",
         "financien": "financien@hilversum.example.nl"}
INTERPRETER = "planning@tolkenbureau.example.nl"


@pytest.fixture(autouse=True)
def _settings(monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_PUBLIC_URL", PUBLIC)
    for key in ("HOST", "PORT", "TLS", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"STATUSHOUDERS_SMTP_{key}", raising=False)
    monkeypatch.delenv("STATUSHOUDERS_TIMEZONE", raising=False)


def _mails(session):
    for username, address in MAILS.items():
        session.scalars(select(User).where(User.username == username)).one().email = address
    session.flush()


def _person(session, chain, make_form):
    actor = chain["regisseur"]
    person = register.register(session, actor, make_form(address=ADDRESS), [], TODAY)
    register.link_partner(session, actor, person.id, chain["orgs"]["taalschool"].id, TODAY)
    register.record_consent(session, actor, person.id, chain["orgs"]["vwn"].id, "ti", True, TODAY)
    return person


def _planned(session, chain, make_form, interpreter=INTERPRETER, location="Stadhuis, spreekkamer 2"):
    """Yonas's intake on Monday 10:00 with VluchtelingenWerk and the taalschool invited."""
    _mails(session)
    person = _person(session, chain, make_form)
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, "2026-11-23T10:00", location, TODAY,
                          interpreter_email=interpreter)
    for key in ("vwn", "taalschool"):
        plans.invite(session, actor, person.id, chain["orgs"][key].id, TODAY)
    return person


def _messages(session, **where) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for key, value in where.items():
        query = query.where(getattr(OutboxMessage, key) == value)
    return list(session.scalars(query))


def _event(row: OutboxMessage):
    cal = Calendar.from_ical(row.ics)
    return cal, cal.walk("VEVENT")[0]


def _to(row: OutboxMessage) -> set[str]:
    return set(row.recipients)


def test_scheduling_sends_every_invited_partner_a_request_with_one_uid(session, chain, make_form):
    person = _planned(session, chain, make_form)
    rows = _messages(session, kind=notify.INVITATION)
    assert [sorted(_to(r)) for r in rows] == [[INTERPRETER], [MAILS["vwn"]], [MAILS["taalschool"]]]
    uids = set()
    for row in rows:
        cal, event = _event(row)
        assert str(cal["METHOD"]) == "REQUEST" and row.ics_method == "REQUEST"
        assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
        uids.add(str(event["UID"]))
        # DTSTART in Europe/Amsterdam with its TZID (and a VTIMEZONE), 10:00 local = 09:00 UTC in November
        assert "DTSTART;TZID=Europe/Amsterdam:20261123T100000" in row.ics
        assert "DTEND;TZID=Europe/Amsterdam:20261123T113000" in row.ics
        assert "BEGIN:VTIMEZONE" in row.ics
        start = event.decoded("DTSTART")
        assert start.astimezone(timezone.utc) == datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
        assert str(event["ORGANIZER"]) == f"mailto:{MAILS['regisseur']}"
        assert "Gemeente Hilversum" in str(event["ORGANIZER"].params["CN"])
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert {str(a).removeprefix("mailto:") for a in attendees} == _to(row)  # only its own addresses
        assert row.reply_to == MAILS["regisseur"]
        assert str(event["SUMMARY"]) == f"Gezamenlijke intake: Y.T. (dossier SH-{person.id:06d})"
    assert len(uids) == 1
    meeting = session.scalars(select(Meeting)).one()
    assert uids == {meeting.uid} and meeting.sequence == 0 and meeting.kind == agenda.INTAKE
    vwn = next(r for r in rows if MAILS["vwn"] in r.recipients)
    assert f"{PUBLIC}/plan?id={person.id}" in vwn.body and "Ik kom / Ik kom niet" in vwn.body
    assert str(_event(vwn)[1]["URL"]) == f"{PUBLIC}/plan?id={person.id}"
    interpreter = next(r for r in rows if INTERPRETER in r.recipients)
    assert "Verzoek om een tolk: Tigrinya" in interpreter.body and "/plan?id=" not in interpreter.ics


def test_moving_the_intake_sends_the_same_uid_with_the_next_sequence(session, chain, make_form):
    person = _planned(session, chain, make_form)
    actor = chain["regisseur"]
    plans.respond_to_intake(session, chain["vwn"], person.id, True, TODAY)
    first = _messages(session, kind=notify.INVITATION)
    plans.schedule_intake(session, actor, person.id, "2026-11-24T14:00", "Stadhuis, spreekkamer 2", TODAY)
    update = _messages(session, kind=notify.INVITATION)[len(first):]
    assert {r for row in update for r in row.recipients} == {INTERPRETER, MAILS["vwn"], MAILS["taalschool"]}
    for row in update:
        cal, event = _event(row)
        assert str(cal["METHOD"]) == "REQUEST" and int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == str(_event(first[0])[1]["UID"])
        assert "DTSTART;TZID=Europe/Amsterdam:20261124T140000" in row.ics
        assert row.subject.startswith("Gewijzigd: Gezamenlijke intake Y.T.")
    # the answer was for the old moment: the partner is asked again
    vwn = next(p for p in plans._plan_of(session, person.id).participants
               if p.organisation_id == chain["orgs"]["vwn"].id)
    assert (vwn.response, vwn.present) == ("", False)
    # the same moment once more (a double click): nothing new goes out
    plans.schedule_intake(session, actor, person.id, "2026-11-24T14:00", "Stadhuis, spreekkamer 2", TODAY)
    assert len(_messages(session, kind=notify.INVITATION)) == len(first) + len(update)


def test_calling_the_intake_off_sends_cancel_and_a_new_intake_gets_a_new_uid(session, chain, make_form):
    person = _planned(session, chain, make_form)
    actor = chain["regisseur"]
    uid = session.scalars(select(Meeting)).one().uid
    plans.cancel_intake(session, actor, person.id, TODAY, reason="persoon is ziek")
    cancels = _messages(session, kind=notify.CANCELLATION)
    assert {r for row in cancels for r in row.recipients} == {INTERPRETER, MAILS["vwn"], MAILS["taalschool"]}
    for row in cancels:
        cal, event = _event(row)
        assert str(cal["METHOD"]) == "CANCEL" and row.ics_method == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1 and str(event["UID"]) == uid
        assert row.subject.startswith("Afgezegd: Gezamenlijke intake")
        assert "ziek" not in row.body and "ziek" not in row.ics  # the reason stays in the plan's history
    plan = plans._plan_of(session, person.id)
    assert plan.intake_at is None
    assert plans.load_plan(session, actor, person.id, TODAY).status_label == "Intake afgezegd"
    with pytest.raises(FormErrors):
        plans.cancel_intake(session, actor, person.id, TODAY)
    before = len(_messages(session))
    plans.schedule_intake(session, actor, person.id, "2026-11-25T10:00", "Stadhuis", TODAY)
    meetings = session.scalars(select(Meeting).order_by(Meeting.id)).all()
    assert [m.status for m in meetings] == ["cancelled", "planned"] and meetings[1].uid != uid
    again = _messages(session)[before:]
    assert {a for r in again for a in r.recipients} == {MAILS["vwn"], MAILS["taalschool"]}  # partners stay invited
    assert {int(_event(r)[1]["SEQUENCE"]) for r in again} == {0}
    assert {str(_event(r)[1]["UID"]) for r in again} == {meetings[1].uid}


def test_a_new_interpreter_agency_gets_the_request_and_the_old_one_a_cancel(session, chain, make_form):
    person = _planned(session, chain, make_form)
    before = len(_messages(session))
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-23T10:00", "Stadhuis, spreekkamer 2",
                          TODAY, interpreter_email="tolk@ander-bureau.example.nl")
    new = _messages(session)[before:]
    cancel = [r for r in new if r.ics_method == "CANCEL"]
    assert [r.recipients for r in cancel] == [[INTERPRETER]]
    assert "tolk@ander-bureau.example.nl" in {a for r in new if r.ics_method == "REQUEST" for a in r.recipients}
    with pytest.raises(FormErrors) as refused:
        plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-23T10:00", "Stadhuis", TODAY,
                              interpreter_email="geen adres")
    assert "intake_interpreter_email" in refused.value.errors


def test_a_partner_invited_later_gets_the_current_version(session, chain, make_form):
    person = _planned(session, chain, make_form)
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    register.record_consent(session, actor, person.id, chain["orgs"]["budgetcoach"].id, "ti", True, TODAY)
    plans.invite(session, actor, person.id, chain["orgs"]["budgetcoach"].id, TODAY)
    row = _messages(session)[-1]
    assert row.recipients == [MAILS["budgetcoach"]] and int(_event(row)[1]["SEQUENCE"]) == 1
    assert row.subject.startswith("Uitnodiging: ")


def test_no_personal_data_in_the_invitation_or_the_email(session, chain, make_form):
    # even a place typed with the person's address or name in it does not carry them
    person = _planned(session, chain, make_form, location=f"Huisbezoek bij Yonas Tesfay, {ADDRESS}")
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    agenda.schedule_progress_talk(session, chain["regisseur"], person.id,
                                  {"talk_at": "2026-12-07T10:00", "talk_location": "Kerkstraat 12"}, TODAY)
    plans.cancel_intake(session, chain["regisseur"], person.id, TODAY)
    rows = _messages(session)
    assert rows and {r.kind for r in rows} == {notify.INVITATION, notify.CANCELLATION}
    forbidden = ["Yonas", "Tesfay", "ዮናስ", "111222333", "2100000001", "Kerkstraat", "1211 AB", "06 1234 5678"]
    for row in rows:
        email = notify.build_email(row)
        decoded = "\n".join(part.get_content() if part.get_content_maintype() == "text" else
                            part.get_content().decode() for part in email.walk() if not part.is_multipart())
        for text in (row.subject, row.body, row.ics, decoded, email.as_string()):
            for word in forbidden:
                assert word not in text, (word, row.subject)
        assert "Y.T." in row.subject and f"SH-{person.id:06d}" in row.body


def test_a_progress_talk_is_invited_moved_and_called_off(session, chain, make_form):
    person = _planned(session, chain, make_form, interpreter="")
    actor = chain["regisseur"]
    start = len(_messages(session))
    talk = agenda.schedule_progress_talk(session, actor, person.id, {
        "talk_at": "2027-02-22T13:30", "talk_location": "Stadhuis", "talk_interpreter_email": INTERPRETER}, TODAY)
    invites = _messages(session)[start:]
    assert {a for r in invites for a in r.recipients} == {MAILS["vwn"], MAILS["taalschool"], INTERPRETER}
    assert all(str(_event(r)[1]["SUMMARY"]).startswith("Voortgangsgesprek: Y.T.") for r in invites)
    assert all("DTSTART;TZID=Europe/Amsterdam:20270222T133000" in r.ics for r in invites)
    agenda.schedule_progress_talk(session, actor, person.id, {
        "talk_id": str(talk.id), "talk_at": "2027-02-23T09:00", "talk_location": "Stadhuis",
        "talk_interpreter_email": INTERPRETER}, TODAY)
    moved = _messages(session)[start + len(invites):]
    assert {int(_event(r)[1]["SEQUENCE"]) for r in moved} == {1}
    assert {str(_event(r)[1]["UID"]) for r in moved} == {str(_event(invites[0])[1]["UID"])}
    agenda.cancel_progress_talk(session, actor, person.id, str(talk.id), "", TODAY)
    cancels = _messages(session, kind=notify.CANCELLATION)
    assert len(cancels) == 3 and {int(_event(r)[1]["SEQUENCE"]) for r in cancels} == {2}
    view = plans.load_plan(session, actor, person.id, TODAY)
    assert [(t["when"], t["status"]) for t in view.talks] == [("2027-02-23 09:00", "cancelled")]
    with pytest.raises(FormErrors):  # a cancelled talk cannot be moved again
        agenda.schedule_progress_talk(session, actor, person.id, {"talk_id": str(talk.id),
                                                                   "talk_at": "2027-02-24T09:00"}, TODAY)
    with pytest.raises(AccessDenied):  # only the regisseur plans talks
        agenda.schedule_progress_talk(session, chain["vwn"], person.id, {"talk_at": "2027-02-24T09:00"}, TODAY)


def test_a_move_based_on_an_old_version_is_refused(session, chain, make_form):
    """The conditional update: a move computed from sequence 0 after someone else made it 1 changes nothing."""
    person = _planned(session, chain, make_form)
    plan = plans._plan_of(session, person.id)
    meeting = agenda.intake_meeting(session, plan)
    stale = SimpleNamespace(id=meeting.id, sequence=meeting.sequence)
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    with pytest.raises(FormErrors):
        agenda._bump(session, stale, location="elders")
    assert agenda.intake_meeting(session, plan).sequence == 1


# --- the partner's own answer ---------------------------------------------------------------------


def test_a_partner_answers_for_its_own_organisation_only(session, chain, make_form):
    person = _planned(session, chain, make_form)
    orgs = chain["orgs"]
    assert plans.respond_to_intake(session, chain["vwn"], person.id, True, TODAY) is True
    assert plans.respond_to_intake(session, chain["vwn"], person.id, True, TODAY) is False  # once
    rows = {p.organisation_id: p for p in session.scalars(select(PlanParticipant))}
    assert (rows[orgs["vwn"].id].response, rows[orgs["vwn"].id].present) == ("accepted", True)
    assert (rows[orgs["taalschool"].id].response, rows[orgs["taalschool"].id].present) == ("", False)
    # no way to set another organisation's presence: set_presence is the regisseur's
    with pytest.raises(AccessDenied):
        plans.set_presence(session, chain["vwn"], person.id, orgs["taalschool"].id, True, TODAY)
    with pytest.raises(AccessDenied):  # a partner that can open the file but was not invited
        register.record_consent(session, chain["regisseur"], person.id, orgs["budgetcoach"].id, "ti", True, TODAY)
        plans.respond_to_intake(session, chain["budgetcoach"], person.id, True, TODAY)
    plans.respond_to_intake(session, chain["taalschool"], person.id, False, TODAY)
    rows = {p.organisation_id: p for p in session.scalars(select(PlanParticipant))}
    assert rows[orgs["taalschool"].id].response == "declined" and rows[orgs["vwn"].id].response == "accepted"
    view = plans.load_plan(session, chain["taalschool"], person.id, TODAY)
    assert view.my_response == "declined" and view.may_respond
    assert not plans.load_plan(session, chain["regisseur"], person.id, TODAY).may_respond


def test_a_partner_without_access_to_the_file_cannot_answer(session, chain, make_form):
    person = _planned(session, chain, make_form)
    with pytest.raises(AccessDenied):  # Utrecht's regisseur: another municipality
        plans.respond_to_intake(session, chain["utrecht"], person.id, True, TODAY)


# --- the outbox ---------------------------------------------------------------------------------


def test_without_smtp_every_message_is_held_in_the_outbox(session, chain, make_form, db_url):
    _planned(session, chain, make_form)
    rows = _messages(session)
    assert rows and {r.status for r in rows} == {notify.HELD}
    assert notify.deliver_pending(db_url).sent == 0  # nothing to send with: they stay
    session.expire_all()
    assert {r.status for r in _messages(session)} == {notify.HELD}


def _admin(session, chain, org_key: str = "gemeente", username: str = "beheerder"):
    user = User(username=username, full_name="Ingrid Hoekstra", password_hash="!", organisation=chain["orgs"][org_key],
                role="beheerder")
    session.add(user)
    session.flush()
    return auth.actor_for(user)


def test_only_an_administrator_reads_the_outbox_and_only_its_own_organisations(session, chain, make_form):
    _planned(session, chain, make_form)
    for name in ("regisseur", "vwn", "privacy"):
        with pytest.raises(AccessDenied):
            notify.list_outbox(session, chain[name])
    rows = notify.list_outbox(session, _admin(session, chain))
    assert len(rows) == 3 and all(r["status_label"].startswith("Niet verzonden: geen SMTP") for r in rows)
    assert all("BEGIN:VCALENDAR" in r["ics"] for r in rows)
    school = notify.list_outbox(session, _admin(session, chain, "taalschool", "beheerder-taal"))
    assert [r["to"] for r in school] == [MAILS["taalschool"]]  # messages to its own organisation only


def test_an_organisation_without_any_address_is_shown_as_such(session, chain, make_form):
    person = _person(session, chain, make_form)
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, "2026-11-23T10:00", "Stadhuis", TODAY)
    plans.invite(session, actor, person.id, chain["orgs"]["vwn"].id, TODAY)
    row = _messages(session)[-1]
    assert row.status == notify.NO_ADDRESS and row.recipients == [] and row.error


# --- the other notifications ----------------------------------------------------------------------


def _action_form(chain, **overrides):
    form = {"domain": "inburgering", "what": "Aanmelden bij de taalschool", "kind": "begeleid",
            "owner_id": str(chain["orgs"]["taalschool"].id), "due_date": "2026-12-15", "status": "open"}
    form.update(overrides)
    return form


def test_assigning_an_action_mails_the_worker(session, chain, make_form):
    person = _planned(session, chain, make_form)
    worker = session.scalars(select(User).where(User.username == "taalschool")).one()
    action = plans.add_action(session, chain["regisseur"], person.id, _action_form(chain), TODAY)
    assert _messages(session, kind=notify.ASSIGNMENT) == []
    plans.update_action(session, chain["regisseur"], action.id, action.version,
                        _action_form(chain, worker_id=str(worker.id)), TODAY)
    [row] = _messages(session, kind=notify.ASSIGNMENT)
    assert row.recipients == [MAILS["taalschool"]] and row.user_id == worker.id
    assert row.subject == f"Actie aan u toegewezen: Y.T. (dossier SH-{person.id:06d})"
    assert f"{PUBLIC}/plan?id={person.id}" in row.body and "2026-12-15" in row.body
    assert "Yonas" not in row.body and "Aanmelden" not in row.body  # not even the action's text
    # saving again with the same worker does not mail again; assigning to oneself never does
    fresh = session.get(type(action), action.id)
    plans.update_action(session, chain["regisseur"], action.id, fresh.version,
                        _action_form(chain, worker_id=str(worker.id), status="bezig"), TODAY)
    own = plans.add_action(session, chain["taalschool"], person.id, _action_form(chain, worker_id=str(worker.id)),
                           TODAY)
    assert own.worker_id == worker.id
    assert len(_messages(session, kind=notify.ASSIGNMENT)) == 1


def test_a_call_back_request_mails_the_partner_once(session, chain, make_form):
    _mails(session)
    person = _person(session, chain, make_form)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
    own_view.call_me(session, person, chain["orgs"]["vwn"].id, "morning", "ti", now)
    own_view.call_me(session, person, chain["orgs"]["vwn"].id, "morning", "ti", now + timedelta(minutes=1))
    [row] = _messages(session, kind=notify.CALLBACK)
    assert row.recipients == [MAILS["vwn"]] and row.organisation_id == chain["orgs"]["vwn"].id
    assert row.subject == f"Terugbelverzoek: Y.T. (dossier SH-{person.id:06d})"
    assert "ochtend" in row.body and f"{PUBLIC}/acties" in row.body
    assert "06 1234 5678" not in row.body and "Tesfay" not in row.body


def test_a_payment_run_waiting_for_approval_mails_the_other_financien_staff(session, chain):
    _mails(session)
    other = User(username="financien2", full_name="Fatima el Amrani", password_hash="!",
                 organisation=chain["orgs"]["gemeente"], role="financien", email="fatima@hilversum.example.nl")
    session.add(other)
    session.flush()
    preparer = chain["financien"]
    run = SimpleNamespace(id=7, status="prepared", month=date(2026, 12, 1), payment_count=42,
                          prepared_by=preparer.user_id)
    notify.payment_run_waiting(session, preparer, run)
    notify.payment_run_waiting(session, preparer, run)  # prepare_run returns the open run again: once
    [row] = _messages(session, kind=notify.PAYMENT_RUN)
    assert row.recipients == ["fatima@hilversum.example.nl"]  # four eyes: never the preparer
    assert row.subject == "Betaalrun 12-2026 wacht op uw goedkeuring" and f"{PUBLIC}/betaalruns" in row.body


def test_initials_skip_particles():
    person = SimpleNamespace(given_names="Mehmet Ali", family_name="van der Berg")
    assert notify.initials(person) == "M.A.B."
    assert notify.initials(SimpleNamespace(given_names="Khaled", family_name="al-Hassan")) == "K.H."


def test_a_gemeente_call_back_mails_the_case_owner_and_follows_a_hand_over(session, chain, make_form):
    """One contact person: only the named regisseur is mailed; without a case owner, every regisseur."""
    from statushouders import case_owner

    _mails(session)
    bram = User(username="regisseur2", full_name="Bram Bakker", password_hash="!", organisation=chain["orgs"]["gemeente"],
                role="regisseur", email="b.bakker@hilversum.example.nl")
    session.add(bram)
    session.flush()
    gemeente = chain["orgs"]["gemeente"].id
    now = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)

    person = _person(session, chain, make_form)
    own_view.call_me(session, person, gemeente, "", "ti", now)  # no intake planned yet: nobody is named
    [first] = _messages(session, kind=notify.CALLBACK)
    assert first.recipients == [MAILS["regisseur"], "b.bakker@hilversum.example.nl"] and first.user_id is None
    assert "casusregisseur" not in first.body

    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-23T10:00", "Stadhuis", TODAY)
    request = session.scalars(select(CallbackRequest)).one()
    callbacks.record_outcome(session, chain["regisseur"], request.id, callbacks.REACHED, now + timedelta(hours=1))
    own_view.call_me(session, person, gemeente, "", "ti", now + timedelta(hours=2))
    second = _messages(session, kind=notify.CALLBACK)[-1]
    assert second.recipients == [MAILS["regisseur"]] and second.user_id == chain["regisseur"].user_id
    assert "U bent de casusregisseur van deze persoon." in second.body

    case_owner.hand_over(session, chain["regisseur"], person.id, str(bram.id), TODAY)
    request = session.scalars(select(CallbackRequest).where(CallbackRequest.handled_at.is_(None))).one()
    callbacks.record_outcome(session, chain["regisseur"], request.id, callbacks.REACHED, now + timedelta(hours=3))
    own_view.call_me(session, person, gemeente, "", "ti", now + timedelta(hours=4))
    assert _messages(session, kind=notify.CALLBACK)[-1].recipients == ["b.bakker@hilversum.example.nl"]
