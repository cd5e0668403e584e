"""E-mail delivery over SMTP (issue 18) against a real in-process server (aiosmtpd on a free port).

What arrives: subject, recipients, a text/calendar part with method=REQUEST, the invitation's UID; nothing
personal. Delivery runs after the commit, a failure stays in the outbox with its error and the next send
retries it, and two senders never send one message twice.
"""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from statushouders import db, notify, plans
from statushouders.models import Meeting, OutboxMessage

from .test_agenda import INTERPRETER, MAILS, TODAY, _mails, _person


class Inbox:
    """The aiosmtpd handler: keeps every envelope it accepts."""

    def __init__(self):
        self.envelopes = []
        self.port = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    inbox, port = Inbox(), _free_port()
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("STATUSHOUDERS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("STATUSHOUDERS_SMTP_PORT", str(port))
    monkeypatch.setenv("STATUSHOUDERS_SMTP_TLS", "none")
    monkeypatch.setenv("STATUSHOUDERS_SMTP_FROM", "Eén plan <noreply@hilversum.example.nl>")
    yield inbox
    controller.stop()


def _schedule(session, chain, make_form):
    _mails(session)
    person = _person(session, chain, make_form)
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, "2026-11-23T10:00", "Stadhuis", TODAY,
                          interpreter_email=INTERPRETER)
    plans.invite(session, actor, person.id, chain["orgs"]["vwn"].id, TODAY)
    return person


def _statuses(db_url) -> list[str]:
    with db.session_scope(db_url) as s:
        return [r.status for r in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_invitation_arrives_over_smtp_with_a_calendar_request(session, chain, make_form, smtp, db_url):
    person = _schedule(session, chain, make_form)
    assert {r.status for r in session.scalars(select(OutboxMessage))} == {notify.PENDING}
    session.commit()  # the delivery attempt runs after the commit, in the background
    assert notify.drain(30)
    assert notify.deliver_pending(db_url).sent == 0  # already sent: nothing twice
    assert _statuses(db_url) == [notify.SENT, notify.SENT]
    assert sorted(tuple(e.rcpt_tos) for e in smtp.envelopes) == sorted([(INTERPRETER,), (MAILS["vwn"],)])
    uid = session.scalars(select(Meeting)).one().uid
    envelope = next(e for e in smtp.envelopes if e.rcpt_tos == [MAILS["vwn"]])
    assert envelope.mail_from == "noreply@hilversum.example.nl"
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == f"Uitnodiging: Gezamenlijke intake Y.T. (dossier SH-{person.id:06d}), 2026-11-23 10:00"
    assert mail["To"] == MAILS["vwn"] and mail["Reply-To"] == MAILS["regisseur"]
    calendar_parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar_parts) == 1 and calendar_parts[0].get_param("method") == "REQUEST"
    event = Calendar.from_ical(calendar_parts[0].get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0
    assert [p.get_filename() for p in mail.walk() if p.get_content_type() == "application/ics"] == ["uitnodiging.ics"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/plan?id={person.id}" in text
    raw = envelope.content.decode("utf-8", "replace") + text + calendar_parts[0].get_content()
    for word in ("Yonas", "Tesfay", "111222333", "2100000001", "Kerkstraat"):
        assert word not in raw


def test_a_failed_delivery_stays_in_the_outbox_and_the_next_send_retries(session, chain, make_form, db_url,
                                                                          monkeypatch, smtp):
    monkeypatch.setenv("STATUSHOUDERS_SMTP_PORT", str(_free_port()))  # nobody listens there
    _schedule(session, chain, make_form)
    session.commit()  # the user's action is saved; only the delivery fails
    assert notify.drain(30)
    with db.session_scope(db_url) as s:
        rows = s.scalars(select(OutboxMessage)).all()
        assert {r.status for r in rows} == {notify.FAILED}
        assert all(r.attempts == 1 and "Connection" in r.error for r in rows)
        assert s.scalars(select(Meeting)).one().status == "planned"
    assert smtp.envelopes == []
    monkeypatch.setenv("STATUSHOUDERS_SMTP_PORT", str(smtp.port))  # the server is back
    report = notify.deliver_pending(db_url)
    assert (report.sent, report.failed) == (2, 0)
    assert _statuses(db_url) == [notify.SENT, notify.SENT] and len(smtp.envelopes) == 2
    with db.session_scope(db_url) as s:
        assert {(r.attempts, r.error) for r in s.scalars(select(OutboxMessage))} == {(2, "")}


def _queue_without_smtp(session, chain, make_form, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_SMTP_HOST", "")
    _schedule(session, chain, make_form)
    session.commit()


def test_two_senders_at_once_send_each_message_once(session, chain, make_form, db_url, monkeypatch, smtp):
    _queue_without_smtp(session, chain, make_form, monkeypatch)
    with db.session_scope(db_url) as s:
        for row in s.scalars(select(OutboxMessage)):
            row.status = notify.PENDING
    monkeypatch.setenv("STATUSHOUDERS_SMTP_HOST", "127.0.0.1")
    reports = []
    threads = [threading.Thread(target=lambda: reports.append(notify.deliver_pending(db_url))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in reports) == 2 and len(smtp.envelopes) == 2
    assert _statuses(db_url) == [notify.SENT, notify.SENT]


def test_the_outbox_command_sends_held_messages_on_request(session, chain, make_form, db_url, monkeypatch, smtp):
    from statushouders.__main__ import main

    _queue_without_smtp(session, chain, make_form, monkeypatch)
    assert set(_statuses(db_url)) == {notify.HELD}
    assert main(["outbox", "send"]) == 2  # no SMTP configured
    monkeypatch.setenv("STATUSHOUDERS_SMTP_HOST", "127.0.0.1")
    assert main(["outbox", "send"]) == 0 and smtp.envelopes == []  # held ones only with --held
    assert main(["outbox", "send", "--held"]) == 0
    assert len(smtp.envelopes) == 2 and set(_statuses(db_url)) == {notify.SENT}
