"""E-mail notifications: an outbox in the database, delivered over SMTP after the commit.

The rules (issue 18):

- A message is stored in the outbox **in the same transaction** as the change that causes it (an action
  assigned, a call-back request, a payment run waiting for approval, a calendar invitation). The user's
  action never waits for a mail server and never fails because of one.
- Once that transaction has committed, a delivery attempt runs in a background thread of the process
  (``after_commit``). A failure stays in the outbox with its error and is retried on the next delivery
  (any next message) up to ``config.outbox_max_attempts`` and always by ``python -m statushouders outbox
  send``.
- Each delivery first **claims** its message with a conditional update (pending/failed -> sending); only
  the one sender whose update changed the row sends it, so two workers or a worker and the command never
  send the same message twice. ``dedupe_key`` (unique) keeps an event from queueing its message twice.
- Without SMTP (``STATUSHOUDERS_SMTP_HOST`` empty, the embedded default) messages are stored as *held*:
  the administrators read them on the page "Uitgaande berichten" (/outbox). ``outbox send --held`` sends
  them once SMTP is configured.
- A message names a person only by initials and the dossier reference, with a link into the app; never a
  full name, BSN, V-number or address (``scrub`` removes any that slipped into a free text).

Recipients are users' e-mail addresses (``users.email``) of the target organisation or worker; an
organisation without any falls back to its general address (``organisations.email``).
"""

from __future__ import annotations

import logging
import queue
import re
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, config, policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import OutboxMessage, Organisation, Person, Plan, User
from .policy import Actor

_log = logging.getLogger(__name__)

INVITATION, CANCELLATION, ASSIGNMENT, CALLBACK, PAYMENT_RUN = (
    "invitation", "cancellation", "assignment", "callback", "payment_run")
KINDS = {
    INVITATION: staff_message("Uitnodiging (agenda)"),
    CANCELLATION: staff_message("Afzegging (agenda)"),
    ASSIGNMENT: staff_message("Actie toegewezen"),
    CALLBACK: staff_message("Terugbelverzoek"),
    PAYMENT_RUN: staff_message("Betaalrun wacht op goedkeuring"),
}
PENDING, SENDING, SENT, FAILED, HELD, NO_ADDRESS = "pending", "sending", "sent", "failed", "held", "no_address"
STATUS_LABELS = {
    PENDING: staff_message("Wacht op verzending"),
    SENDING: staff_message("Wordt verzonden"),
    SENT: staff_message("Verzonden"),
    FAILED: staff_message("Mislukt: wordt opnieuw geprobeerd"),
    HELD: staff_message("Niet verzonden: geen SMTP ingesteld (alleen hier te lezen)"),
    NO_ADDRESS: staff_message("Niet verzonden: geen e-mailadres bekend"),
}
STALE_CLAIM = timedelta(minutes=10)  # a claim older than this belonged to a sender that died mid-send
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
_QUEUED = "statushouders.notify.queued"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def valid_address(address: str) -> bool:
    return bool(address) and len(address) <= 200 and bool(_EMAIL.match(address))


# --- how a message names a person -------------------------------------------------------------------


def initials(person: Person) -> str:
    """"Y.T." for Yonas Tesfay: the first letter of every given name and of the family name's main part
    (Dutch particles such as "van der" and Arabic "al-"/"el-" are skipped)."""
    particles = {"van", "de", "der", "den", "het", "ten", "ter", "te", "op", "in", "al", "el", "la", "le", "du",
                 "da", "di", "von", "zu", "bin", "ben", "ibn"}
    given = [w for w in re.split(r"[\s\-]+", person.given_names or "") if w]
    family = [w for w in re.split(r"[\s\-]+", person.family_name or "") if w]
    main = next((w for w in family if w.lower() not in particles), family[-1] if family else "")
    letters = [w[0] for w in given if w[0].isalpha()] + ([main[0]] if main and main[0].isalpha() else [])
    return "".join(f"{letter.upper()}." for letter in letters) or "?"


def dossier_reference(person: Person) -> str:
    """The reference the plan page shows with the person's file (no personal data)."""
    return f"SH-{person.id:06d}"


def person_label(person: Person) -> str:
    """How every message names the person: "Y.T. (dossier SH-000042)"."""
    return _("{initials} (dossier {reference})").format(initials=initials(person), reference=dossier_reference(person))


def plan_link(person_id: int) -> str:
    return f"{config.public_url()}/plan?id={person_id}"


def scrub(text: str, person: Person) -> str:
    """``text`` without the person's full name, names, BSN, V-number or address (a free text such as a
    meeting place typed by staff may hold one): each is replaced by "[zie Eén plan]"."""
    secrets_ = [f"{person.given_names} {person.family_name}", person.family_name, person.given_names,
                person.name_own_script, person.bsn or "", person.v_number, person.address, person.phone,
                person.email]
    parts = [s.strip() for s in secrets_ if s and len(s.strip()) >= 3]
    if person.address:  # the street line alone ("Kerkstraat 1") also counts as the address
        parts.append(person.address.split(",")[0].strip())
    cleaned = text or ""
    for part in sorted(set(parts), key=len, reverse=True):  # whole words: "Ali" is not taken out of "Alkmaar"
        cleaned = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", _("[zie Eén plan]"), cleaned, flags=re.IGNORECASE)
    return cleaned


# --- recipients ----------------------------------------------------------------------------------------


def organisation_addresses(session: Session, organisation_id: int, roles: set[str] | None = None,
                           fallback: bool = True, exclude_user: int | None = None) -> list[str]:
    """The e-mail addresses of an organisation's active staff (only ``roles`` when given; never the
    account administrators, who see no person files); without any, the organisation's general address."""
    query = select(User.email, User.role, User.id).where(
        User.organisation_id == organisation_id, User.active.is_(True), User.email.is_not(None))
    addresses = []
    for email, role, user_id in session.execute(query.order_by(User.id)).all():
        if role == policy.ADMIN_ROLE or (roles is not None and role not in roles) or user_id == exclude_user:
            continue
        if valid_address((email or "").strip()):
            addresses.append(email.strip())
    if not addresses and fallback:
        org = session.get(Organisation, organisation_id)
        if org is not None and valid_address((org.email or "").strip()):
            addresses.append(org.email.strip())
    return list(dict.fromkeys(addresses))


def user_addresses(session: Session, user_id: int | None) -> list[str]:
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.active or not valid_address((user.email or "").strip()):
        return []
    return [user.email.strip()]


# --- queueing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outgoing:
    """One message to queue; ``dedupe_key`` names the event so it is queued once."""

    kind: str
    subject: str
    body: str
    recipients: list[str]
    dedupe_key: str | None = None
    organisation_id: int | None = None
    user_id: int | None = None
    sender_organisation_id: int | None = None
    reply_to: str = ""
    ics: str = ""
    ics_method: str = ""


def queue_message(session: Session, message: Outgoing) -> OutboxMessage | None:
    """Store the message in the caller's transaction; None when this event's message is already queued.

    It is delivered after the caller commits (when SMTP is configured); a rollback drops it with the change.
    """
    recipients = list(dict.fromkeys(a.strip() for a in message.recipients if valid_address(a.strip())))
    status = NO_ADDRESS if not recipients else PENDING if config.smtp_configured() else HELD
    row = OutboxMessage(
        created_at=_now(), kind=message.kind, sender_organisation_id=message.sender_organisation_id,
        organisation_id=message.organisation_id, user_id=message.user_id, recipients=recipients,
        reply_to=message.reply_to if valid_address(message.reply_to) else "", subject=message.subject[:300],
        body=message.body, ics=message.ics, ics_method=message.ics_method, dedupe_key=message.dedupe_key,
        status=status, attempts=0,
        error=_("Geen e-mailadres bekend voor de ontvanger.") if status == NO_ADDRESS else "",
    )
    if message.dedupe_key is not None and session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == message.dedupe_key)) is not None:
        return None
    try:
        with session.begin_nested():  # the same event queued at the same moment hits the unique dedupe_key
            session.add(row)
    except IntegrityError:
        return None
    if status == PENDING:
        session.info[_QUEUED] = True
    return row


# --- the events ------------------------------------------------------------------------------------------

FOOTER = staff_message("Dit bericht noemt bewust alleen initialen en het dossiernummer; alles over de persoon "
                       "staat in Eén plan. Dit is een automatisch bericht.")


def action_assigned(session: Session, actor: Actor, action, person: Person) -> OutboxMessage | None:
    """An action's worker was set: tell that worker (not when they assigned it to themselves)."""
    if not action.worker_id or action.worker_id == actor.user_id:
        return None
    due = action.due_date.isoformat() if action.due_date else "—"
    body = "\n".join([
        _("{name} ({organisation}) heeft u een actie toegewezen in het plan van {person}.").format(
            name=actor.name, organisation=actor.organisation, person=person_label(person)),
        _("Deadline: {due}").format(due=due),
        "",
        _("Bekijk de actie in Eén plan:"),
        plan_link(person.id),
        "",
        _(FOOTER),
    ])
    return queue_message(session, Outgoing(
        kind=ASSIGNMENT, subject=_("Actie aan u toegewezen: {person}").format(person=person_label(person)),
        body=body, recipients=user_addresses(session, action.worker_id), user_id=action.worker_id,
        organisation_id=action.owner_id, sender_organisation_id=actor.organisation_id,
        dedupe_key=f"assigned:{action.id}:{action.worker_id}:{action.version}",
    ))


PART_OF_DAY = {"": staff_message("geen voorkeur"), "morning": staff_message("ochtend"),
               "afternoon": staff_message("middag")}


def callback_requested(session: Session, person: Person, organisation_id: int, request_id: int,
                       part_of_day: str) -> OutboxMessage | None:
    """A person pressed "call me": tell the staff of that partner who call back (``MAY_HANDLE_CALLBACKS``).

    At the gemeente the person's case owner is told, and only when there is none with an address (or the
    case owner left) the gemeente's regisseurs: one contact person.
    """
    org = session.get(Organisation, organisation_id)
    if org is None:
        return None
    roles = {role for kind, role in policy.MAY_HANDLE_CALLBACKS if kind == org.kind}
    owner = _case_owner(session, person, org)
    recipients = user_addresses(session, owner) if owner else []
    body = "\n".join([
        _("{person} vraagt {organisation} om teruggebeld te worden (voorkeur: {part}).").format(
            person=person_label(person), organisation=org.name, part=_(PART_OF_DAY.get(part_of_day, PART_OF_DAY[""]))),
        *([_("U bent de casusregisseur van deze persoon.")] if recipients else []),
        _("Het verzoek en het telefoonnummer staan in Eén plan onder Mijn acties:"),
        f"{config.public_url()}/acties",
        "",
        _(FOOTER),
    ])
    return queue_message(session, Outgoing(
        kind=CALLBACK, subject=_("Terugbelverzoek: {person}").format(person=person_label(person)), body=body,
        recipients=recipients or organisation_addresses(session, org.id, roles), organisation_id=org.id,
        user_id=owner if recipients else None, sender_organisation_id=org.id, dedupe_key=f"callback:{request_id}",
    ))


def _case_owner(session: Session, person: Person, org: Organisation) -> int | None:
    """The person's case owner when ``org`` is their gemeente and the case owner still works there."""
    if org.kind != "gemeente":
        return None
    owner_id = session.scalar(select(Plan.regisseur_id).where(Plan.person_id == person.id))
    owner = session.get(User, owner_id) if owner_id else None
    return owner.id if owner is not None and owner.organisation_id == org.id else None


def payment_run_waiting(session: Session, actor: Actor, run) -> OutboxMessage | None:
    """A payment run was prepared: tell the other financien staff that it waits for their approval (four eyes)."""
    from .budget import runs

    if run.status != runs.PREPARED:
        return None
    body = "\n".join([
        _("Betaalrun {id} voor {month} ({count} betalingen) is voorbereid door {name} en wacht op goedkeuring "
          "door een tweede medewerker van financiën.").format(
            id=run.id, month=f"{run.month:%m-%Y}", count=run.payment_count, name=actor.name),
        "",
        _("Controleer en keur goed in Eén plan:"),
        f"{config.public_url()}/betaalruns",
        "",
        _("Dit is een automatisch bericht."),
    ])
    return queue_message(session, Outgoing(
        kind=PAYMENT_RUN, subject=_("Betaalrun {month} wacht op uw goedkeuring").format(month=f"{run.month:%m-%Y}"),
        body=body, recipients=organisation_addresses(session, actor.organisation_id, {"financien"}, fallback=False,
                                                     exclude_user=run.prepared_by),
        organisation_id=actor.organisation_id, sender_organisation_id=actor.organisation_id,
        dedupe_key=f"run-waiting:{run.id}",
    ))


def prepare_run(session: Session, actor: Actor, month, schema: str):
    """``budget.runs.prepare_run`` and, in the same transaction, the message that the run waits for approval."""
    from .budget import runs

    run = runs.prepare_run(session, actor, month, schema)
    payment_run_waiting(session, actor, run)
    return run


# --- delivery ------------------------------------------------------------------------------------------


class DeliveryError(Exception):
    """The SMTP settings are unusable (the message stays in the outbox with this error)."""


def build_email(row: OutboxMessage) -> EmailMessage:
    """The MIME message: the text, and for a calendar message a text/calendar alternative (METHOD as its
    ``method`` parameter, as calendar clients expect) plus the same .ics as an attachment."""
    # No folding of ordinary headers (a folded Subject reads back with a leading space in some clients); 7-bit
    # transfer encodings, so a server without 8BITMIME takes the message too.
    msg = EmailMessage(policy=email_policy.SMTP.clone(max_line_length=998, cte_type="7bit"))
    sender = config.smtp_from()
    msg["Subject"] = row.subject
    msg["From"] = sender
    msg["To"] = ", ".join(row.recipients)
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Date"] = format_datetime(_now())
    domain = sender.rpartition("@")[2].strip(">") or "statushouders.invalid"
    msg["Message-ID"] = make_msgid(idstring=f"outbox{row.id}", domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body)
    if row.ics:
        msg.add_alternative(row.ics, subtype="calendar", params={"method": row.ics_method or "REQUEST"})
        name = "afzegging.ics" if row.ics_method == "CANCEL" else "uitnodiging.ics"
        msg.add_attachment(row.ics.encode("utf-8"), maintype="application", subtype="ics", filename=name)
    return msg


def _connect() -> smtplib.SMTP:
    mode = config.smtp_tls()
    if mode not in config.SMTP_TLS_MODES:
        raise DeliveryError(f"STATUSHOUDERS_SMTP_TLS={mode!r}: use starttls, ssl or none")
    host, port, timeout = config.smtp_host(), config.smtp_port(), config.smtp_timeout_seconds()
    context = ssl.create_default_context()
    if mode == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if mode == "starttls":
            smtp.starttls(context=context)
    if config.smtp_user():
        smtp.login(config.smtp_user(), config.smtp_password())
    return smtp


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(session: Session, message_id: int, statuses: tuple[str, ...]) -> bool:
    """Take one message for sending: a conditional update that exactly one sender wins."""
    now = _now()
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               or_(OutboxMessage.status.in_(statuses),
                   (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < now - STALE_CLAIM)))
        .values(status=SENDING, claimed_at=now, last_attempt_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _finish(session: Session, message_id: int, error: str) -> None:
    values = {"status": FAILED, "error": error[:2000]} if error else {"status": SENT, "sent_at": _now(), "error": ""}
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == SENDING)
                    .values(claimed_at=None, **values).execution_options(synchronize_session=False))


def deliver_pending(url: str | None = None, *, include_held: bool = False, retry_all: bool = False,
                    limit: int = 500) -> Report:
    """Send what waits in the outbox (pending; failed ones below the attempt limit, or all with ``retry_all``;
    held ones too with ``include_held``). Each message is claimed, sent and marked in transactions of its own."""
    from . import db

    report = Report()
    if not config.smtp_configured():
        return report
    statuses = (PENDING, FAILED, HELD) if include_held else (PENDING, FAILED)
    with db.session_scope(url) as session:
        query = select(OutboxMessage.id).where(or_(
            OutboxMessage.status.in_(statuses),
            (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_at < _now() - STALE_CLAIM)))
        if not retry_all:
            query = query.where(or_(OutboxMessage.status != FAILED,
                                    OutboxMessage.attempts < config.outbox_max_attempts()))
        ids = list(session.scalars(query.order_by(OutboxMessage.id).limit(limit)))
    smtp = None
    try:
        for message_id in ids:
            with db.session_scope(url) as session:
                if not _claim(session, message_id, statuses):
                    continue  # another sender has it, or it went out meanwhile
                row = session.get(OutboxMessage, message_id)
                email = build_email(row)
                recipients = list(row.recipients)
            error = ""
            try:
                if smtp is None:
                    smtp = _connect()
                refused = smtp.send_message(email, from_addr=config.smtp_from(), to_addrs=recipients)
                if refused:
                    error = "refused: " + ", ".join(sorted(refused))
            except (OSError, smtplib.SMTPException, DeliveryError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                if smtp is not None:
                    try:
                        smtp.close()
                    except Exception:  # noqa: BLE001 - closing a broken connection
                        pass
                smtp = None
            with db.session_scope(url) as session:
                _finish(session, message_id, error)
            if error:
                report.failed += 1
                report.errors.append(f"{message_id}: {error}")
                _log.warning("outbox: message %s not delivered: %s", message_id, error)
            else:
                report.sent += 1
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except Exception:  # noqa: BLE001 - the messages are marked already
                pass
    return report


# The delivery attempt after a commit: one background thread per process, so no user action waits for SMTP.
_jobs: queue.Queue[str] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


def _work() -> None:
    while True:
        url = _jobs.get()
        try:
            deliver_pending(url)
        except Exception:  # noqa: BLE001 - the messages stay in the outbox; the next send retries
            _log.exception("outbox: delivery run failed")
        finally:
            _jobs.task_done()


def kick(url: str) -> None:
    """Ask the background sender to deliver what waits in ``url``'s outbox."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="outbox-sender", daemon=True)
            _worker.start()
    _jobs.put(url)


def drain(timeout: float = 30.0) -> bool:
    """Wait until the background sender is idle (tests, shutdown); False when it still works after ``timeout``."""
    deadline = time.monotonic() + timeout
    while _jobs.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the caller's transaction goes on
        return
    if not session.info.pop(_QUEUED, None):
        return
    from . import db

    bind = session.get_bind()
    # Only the app's own database: a persona run's scratch database never mails anybody.
    if getattr(bind, "engine", bind) is db.engine():
        kick(config.database_url())


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction: its messages are gone
        session.info.pop(_QUEUED, None)


# --- the administrators' page -------------------------------------------------------------------------


def _require_admin(session: Session, actor: Actor) -> None:
    if actor.key not in policy.MAY_MANAGE_ACCOUNTS:
        session.connection()  # a transaction to end: the refusal is written once it has ended
        audit.record_refusal(session, actor, "uitgaande berichten geweigerd", f"rol {actor.role} is geen beheerder")
    policy.require(actor, policy.MAY_MANAGE_ACCOUNTS, _("uitgaande berichten inzien"))


def _local(moment: datetime | None) -> str:
    return config.local_time(moment)


def list_outbox(session: Session, actor: Actor, limit: int = 200) -> list[dict[str, str]]:
    """The messages from or to the administrator's own organisation, newest first (beheerder only; logged)."""
    _require_admin(session, actor)
    rows = session.scalars(
        select(OutboxMessage)
        .where(or_(OutboxMessage.sender_organisation_id == actor.organisation_id,
                   OutboxMessage.organisation_id == actor.organisation_id))
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
    audit.record(session, actor, audit.READ, f"uitgaande berichten bekeken ({len(rows)})", "beheer: uitgaande berichten")
    return [{
        "id": str(r.id), "created_at": _local(r.created_at), "kind": _(KINDS.get(r.kind, r.kind)),
        "to": ", ".join(r.recipients) or "—", "subject": r.subject, "body": r.body, "ics": r.ics,
        "method": r.ics_method, "status": r.status, "status_label": _(STATUS_LABELS.get(r.status, r.status)),
        "attempts": str(r.attempts), "error": r.error, "sent_at": _local(r.sent_at),
    } for r in rows]


def send_now(actor: Actor, url: str | None = None) -> Report:
    """An administrator asks to send what waits now (failed ones too, whatever their attempts)."""
    from . import db

    with db.session_scope(url) as session:
        _require_admin(session, actor)
        audit.record(session, actor, audit.CHANGE, "uitgaande berichten: nu verzenden", "beheer: uitgaande berichten")
    if not config.smtp_configured():
        return Report(errors=[_("Er is geen SMTP-server ingesteld (STATUSHOUDERS_SMTP_HOST): de berichten blijven "
                                "hier in de outbox.")])
    return deliver_pending(url, retry_all=True)
