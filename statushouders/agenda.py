"""The agenda: calendar invitations (iCalendar, RFC 5545 / iTIP RFC 5546) for the joint intake and progress talks.

Scheduling a meeting sends every invited partner organisation (and the interpreter agency, when an
address is given) an e-mail with an invitation: METHOD:REQUEST, a UID that stays the same for the
meeting's whole life, SEQUENCE 0. Moving it (time, place, interpreter) sends the same UID again with
SEQUENCE + 1; calling it off sends METHOD:CANCEL (STATUS:CANCELLED, SEQUENCE + 1). A partner invited
later gets the current version. The sequence goes up with a conditional update, so two moves at the
same moment never both go out (the second is refused and asked to reload).

What an invitation says about the person: initials and the dossier reference, nothing more (no full
name, no BSN, no V-number, no address; ``notify.scrub`` removes any that a typed place holds). The
partners open the plan in the app through the link; their answer ("ik kom" / "ik kom niet") is given
there (``plans.respond_to_intake``) and becomes their presence on the plan. The invitation asks for
no e-mail reply (RSVP=FALSE). Each message lists only the organiser and its own recipients as
attendees: a partner does not learn from it which other partners work with the person.

Times: the meeting zone is ``config.timezone_name()`` (Europe/Amsterdam). The plan page types the intake
moment as a wall-clock time and stores it labelled UTC (``Plan.intake_at``); a ``Meeting`` holds the real
moment in UTC and the invitation gives DTSTART/DTEND with TZID and a VTIMEZONE.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, config, notify
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import Meeting, Organisation, Person, Plan, User
from .policy import Actor
from .register import FormErrors
from .validation import check_in_window, check_text, max_length, parse_id

INTAKE, PROGRESS = "intake", "progress"
KINDS = {INTAKE: staff_message("Gezamenlijke intake"), PROGRESS: staff_message("Voortgangsgesprek")}
KINDS_LOG = {INTAKE: "intake", PROGRESS: "voortgangsgesprek"}  # plan history and audit log stay Dutch
PLANNED, CANCELLED = "planned", "cancelled"
STATUS_LABELS = {PLANNED: staff_message("Gepland"), CANCELLED: staff_message("Afgezegd")}
REQUEST, CANCEL = "REQUEST", "CANCEL"
PRODID = "-//Een plan//statushouders agenda//NL"


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- time -------------------------------------------------------------------------------------------


def zone() -> ZoneInfo:
    return ZoneInfo(config.timezone_name())


def from_wall_clock(moment: datetime) -> datetime:
    """A wall-clock time of the meeting zone (naive, or labelled UTC as ``Plan.intake_at``) as the real moment in UTC."""
    return moment.replace(tzinfo=None).replace(tzinfo=zone()).astimezone(timezone.utc)


def local(moment: datetime) -> datetime:
    return moment.astimezone(zone())


def shown(moment: datetime) -> str:
    """How the staff pages write a meeting's moment: 2026-11-23 10:00 (meeting zone)."""
    return local(moment).strftime("%Y-%m-%d %H:%M")


# --- the iCalendar object ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """Everything one .ics says; ``attendees`` are (address, name)."""

    uid: str
    sequence: int
    method: str  # REQUEST or CANCEL
    start: datetime  # aware
    minutes: int
    summary: str
    description: str
    location: str
    organizer: tuple[str, str]
    attendees: tuple[tuple[str, str], ...]
    url: str = ""
    stamp: datetime | None = None


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_ics(invitation: Invitation) -> str:
    """The VCALENDAR text (CRLF lines) of one invitation or cancellation."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", invitation.method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", (invitation.stamp or _now()).astimezone(timezone.utc))
    start = local(invitation.start)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=invitation.minutes))
    event.add("summary", invitation.summary)
    if invitation.location:
        event.add("location", invitation.location)
    event.add("description", invitation.description)
    if invitation.url:
        event.add("url", invitation.url)
    event.add("status", "CANCELLED" if invitation.method == CANCEL else "CONFIRMED")
    event.add("class", "PRIVATE")  # shared and delegated calendars show the slot, not the subject
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(*invitation.organizer))
    for email, name in invitation.attendees:
        event.add("attendee", _address(email, name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="FALSE"))
    cal.add_component(event)
    # The VTIMEZONE covers the years around the meeting only (the default spans 1970-2038: dozens of lines).
    cal.add_missing_timezones(first_date=date(start.year - 1, 1, 1), last_date=date(start.year + 2, 1, 1))
    return cal.to_ical().decode("utf-8")


# --- who receives what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    key: str  # "org:<id>" or "interpreter:<hash>": part of the message's dedupe key
    name: str
    addresses: tuple[str, ...]
    organisation_id: int | None = None
    interpreter: bool = False


def interpreter_recipient(address: str) -> Recipient:
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
    return Recipient(f"interpreter:{digest}", _("Tolkenbureau"), (address,), interpreter=True)


def recipients(session: Session, plan: Plan, meeting: Meeting) -> list[Recipient]:
    """Every invited partner organisation except the organiser's own, then the interpreter agency."""
    organiser = session.get(User, meeting.created_by)
    found = []
    for participant in plan.participants:
        if organiser is not None and participant.organisation_id == organiser.organisation_id:
            continue
        org = session.get(Organisation, participant.organisation_id)
        found.append(Recipient(f"org:{org.id}", org.name, tuple(notify.organisation_addresses(session, org.id)), org.id))
    if meeting.interpreter_email:
        found.append(interpreter_recipient(meeting.interpreter_email))
    return found


def _organizer(session: Session, actor: Actor) -> tuple[str, str]:
    """The organiser's address (their own, else their organisation's, else the sender address) and name."""
    user = session.get(User, actor.user_id)
    org = session.get(Organisation, actor.organisation_id)
    for candidate in ((user.email if user else "") or "", (org.email if org else "") or "",
                      parseaddr(config.smtp_from())[1]):
        if notify.valid_address(candidate.strip()):
            return candidate.strip(), f"{actor.name} ({actor.organisation})"
    return "noreply@statushouders.invalid", f"{actor.name} ({actor.organisation})"


def _language(person: Person, plan: Plan) -> str:
    from . import languages

    code = plan.interpreter_language or person.mother_tongue or next(iter(person.spoken_languages or []), "")
    try:
        return languages.spoken_name_nl(code) if code else _("(taal volgt)")
    except Exception:  # noqa: BLE001 - an unknown code is still better than no language
        return code


def _message(session: Session, person: Person, plan: Plan, meeting: Meeting, method: str, recipient: Recipient,
             moved: bool) -> tuple[str, str, str]:
    """(subject, body, place) of one message; the body is also the invitation's DESCRIPTION."""
    kind = _(KINDS[meeting.kind])
    who = notify.person_label(person)
    end = local(meeting.starts_at) + timedelta(minutes=meeting.duration_minutes)
    when = f"{shown(meeting.starts_at)}-{end:%H:%M}"
    where = notify.scrub(meeting.location, person)
    if method == CANCEL:
        subject = _("Afgezegd: {kind} {who}, {when}").format(kind=kind, who=who, when=shown(meeting.starts_at))
        lines = [_("{kind} van {who} op {when} gaat niet door.").format(kind=kind, who=who, when=when),
                 _("Afgezegd door: {organiser}").format(organiser=meeting.organizer_name)]
    else:
        template = _("Gewijzigd: {kind} {who}, {when}") if moved else _("Uitnodiging: {kind} {who}, {when}")
        subject = template.format(kind=kind, who=who, when=shown(meeting.starts_at))
        lines = [_("Deze afspraak is gewijzigd; hieronder staan de nieuwe gegevens.")] if moved else []
        if recipient.interpreter:
            lines.append(_("Verzoek om een tolk: {language}").format(language=_language(person, plan)))
        lines += [
            _("{kind} van {who}").format(kind=kind, who=who),
            _("Wanneer: {when} ({zone})").format(when=when, zone=config.timezone_name()),
            _("Waar: {where}").format(where=where or _("volgt")),
            _("Uitnodiging van: {organiser}").format(organiser=meeting.organizer_name),
        ]
    lines.append("")
    if recipient.interpreter:
        lines.append(_("Vragen over deze afspraak: {contact}").format(contact=meeting.organizer_email))
    elif method == REQUEST and meeting.kind == INTAKE:
        lines += [_("Geef in Eén plan aan of u komt (Ik kom / Ik kom niet):"), notify.plan_link(person.id)]
    else:
        lines += [_("Het plan in Eén plan:"), notify.plan_link(person.id)]
    lines += ["", _(notify.FOOTER)]
    return subject, "\n".join(lines), where


def _send(session: Session, actor: Actor, person: Person, plan: Plan, meeting: Meeting, method: str,
          targets: list[Recipient], moved: bool = False) -> None:
    """Queue one message with its .ics per recipient, audited as one export (initials and dossier reference)."""
    if not targets:
        return
    kind = _(KINDS[meeting.kind])
    for recipient in targets:
        subject, body, where = _message(session, person, plan, meeting, method, recipient, moved)
        invitation = Invitation(
            uid=meeting.uid, sequence=meeting.sequence, method=method, start=meeting.starts_at,
            minutes=meeting.duration_minutes, summary=f"{kind}: {notify.person_label(person)}", description=body,
            location=where, organizer=(meeting.organizer_email, meeting.organizer_name),
            attendees=tuple((address, recipient.name) for address in recipient.addresses),
            url="" if recipient.interpreter else notify.plan_link(person.id),
        )
        notify.queue_message(session, notify.Outgoing(
            kind=notify.INVITATION if method == REQUEST else notify.CANCELLATION, subject=subject, body=body,
            recipients=list(recipient.addresses), organisation_id=recipient.organisation_id,
            sender_organisation_id=actor.organisation_id, reply_to=meeting.organizer_email,
            ics=build_ics(invitation), ics_method=method,
            dedupe_key=f"meeting:{meeting.uid}:{meeting.sequence}:{method}:{recipient.key}",
        ))
    names = ", ".join(r.name for r in targets)
    audit.record(session, actor, audit.EXPORT,
                 f"agenda: {'uitnodiging' if method == REQUEST else 'afzegging'} {KINDS_LOG[meeting.kind]} "
                 f"(versie {meeting.sequence}) aan {names}", "agenda-uitnodiging: initialen en dossiernummer", person.id)


# --- the meeting's life --------------------------------------------------------------------------------


def _new_meeting(session: Session, actor: Actor, plan: Plan, kind: str, start: datetime, minutes: int,
                 location: str, reason: str, interpreter_email: str) -> Meeting:
    email, name = _organizer(session, actor)
    meeting = Meeting(
        plan_id=plan.id, kind=kind, uid=f"{uuid.uuid4()}@statushouders", sequence=0, status=PLANNED,
        open_key=f"intake:{plan.id}" if kind == INTAKE else None, starts_at=start, duration_minutes=minutes,
        location=location, outside_hours_reason=reason, interpreter_email=interpreter_email, organizer_email=email,
        organizer_name=name, created_at=_now(), created_by=actor.user_id, cancel_reason="",
    )
    try:
        with session.begin_nested():  # two first schedulings of the same intake at once: one wins
            session.add(meeting)
    except IntegrityError:
        raise FormErrors({"form": _("Iemand anders heeft deze intake net gepland. Vernieuw de pagina.")}) from None
    return meeting


def _bump(session: Session, meeting: Meeting, **values) -> None:
    """SEQUENCE + 1 with the new values, only if nobody changed or cancelled the meeting since it was read."""
    result = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.sequence == meeting.sequence, Meeting.status == PLANNED)
        .values(sequence=Meeting.sequence + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise FormErrors({"form": _("Iemand anders heeft deze afspraak net gewijzigd of afgezegd. Vernieuw de pagina "
                                    "en probeer het opnieuw.")})
    session.expire(meeting)


def _ask_again(plan: Plan) -> None:
    """A moved intake: the partners' answers were for the old moment."""
    for participant in plan.participants:
        if participant.response:
            participant.response, participant.present = "", False
            participant.responded_at, participant.responded_by = None, None


def _move(session: Session, actor: Actor, person: Person, plan: Plan, meeting: Meeting, start: datetime,
          location: str, interpreter_email: str | None, reason: str) -> bool:
    """Send the update when something the partners' calendars hold changed; False when nothing did."""
    new_interpreter = meeting.interpreter_email if interpreter_email is None else interpreter_email
    time_changed = meeting.starts_at != start
    if not (time_changed or meeting.location != location or new_interpreter != meeting.interpreter_email):
        if meeting.outside_hours_reason != reason:
            meeting.outside_hours_reason = reason
        return False
    old_interpreter = meeting.interpreter_email
    _bump(session, meeting, starts_at=start, location=location, interpreter_email=new_interpreter,
          outside_hours_reason=reason)
    if old_interpreter and old_interpreter.lower() != new_interpreter.lower():
        _send(session, actor, person, plan, meeting, CANCEL, [interpreter_recipient(old_interpreter)])
    if time_changed and meeting.kind == INTAKE:
        _ask_again(plan)
    _send(session, actor, person, plan, meeting, REQUEST, recipients(session, plan, meeting), moved=True)
    return True


def _cancel(session: Session, actor: Actor, person: Person, plan: Plan, meeting: Meeting, reason: str) -> None:
    targets = recipients(session, plan, meeting)
    _bump(session, meeting, status=CANCELLED, open_key=None, cancelled_at=_now(), cancelled_by=actor.user_id,
          cancel_reason=reason)
    _send(session, actor, person, plan, meeting, CANCEL, targets)


# --- the intake (called by ``plans``) ----------------------------------------------------------------------


def intake_meeting(session: Session, plan: Plan) -> Meeting | None:
    """The plan's planned intake meeting, if any."""
    return session.scalar(select(Meeting).where(Meeting.open_key == f"intake:{plan.id}"))


def check_email(raw, key: str, label: str) -> str:
    """An optional e-mail address field; ``FormErrors`` under ``key`` when it is not one."""
    try:
        value = check_text(raw, label, max_length("interpreter_email"))
    except ValueError as exc:
        raise FormErrors({key: str(exc)}) from None
    if value and not notify.valid_address(value):
        raise FormErrors({key: _("'{email}' is geen geldig e-mailadres.").format(email=value)})
    return value


def intake_scheduled(session: Session, actor: Actor, person: Person, plan: Plan,
                     interpreter_email: str | None = None) -> None:
    """After ``plans.schedule_intake``: invite (first time) or send the update (moved). ``interpreter_email``
    None keeps the agency address as it was; "" removes it (the agency gets a cancellation)."""
    start = from_wall_clock(plan.intake_at)
    meeting = intake_meeting(session, plan)
    if meeting is None:
        meeting = _new_meeting(session, actor, plan, INTAKE, start, config.intake_minutes(), plan.intake_location,
                               plan.intake_outside_hours_reason, interpreter_email or "")
        _send(session, actor, person, plan, meeting, REQUEST, recipients(session, plan, meeting))
        return
    _move(session, actor, person, plan, meeting, start, plan.intake_location, interpreter_email,
          plan.intake_outside_hours_reason)


def partner_invited(session: Session, actor: Actor, person: Person, plan: Plan, organisation_id: int) -> None:
    """A partner invited after the intake was planned gets the current version of the invitation."""
    meeting = intake_meeting(session, plan)
    if meeting is None:
        return
    targets = [r for r in recipients(session, plan, meeting) if r.organisation_id == organisation_id]
    _send(session, actor, person, plan, meeting, REQUEST, targets)


def intake_cancelled(session: Session, actor: Actor, person: Person, plan: Plan, reason: str) -> None:
    """After ``plans.cancel_intake``: METHOD:CANCEL to everyone who was invited."""
    meeting = intake_meeting(session, plan)
    if meeting is not None:
        _cancel(session, actor, person, plan, meeting, reason)
    _ask_again(plan)


def intake_interpreter_email(session: Session, plan: Plan) -> str:
    meeting = intake_meeting(session, plan)
    return meeting.interpreter_email if meeting is not None else ""


# --- progress talks ---------------------------------------------------------------------------------------


def parse_moment(raw, key: str, today: date, errors: dict[str, str]) -> datetime | None:
    """A typed meeting moment (JJJJ-MM-DDTUU:MM, wall clock of the meeting zone), not in the past, in the window."""
    raw = str(raw or "").strip()
    if not raw:
        errors[key] = _("Vul datum en tijd van het gesprek in (JJJJ-MM-DD UU:MM).")
        return None
    try:
        if not raw.isascii() or len(raw) > 25:
            raise ValueError(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        errors[key] = _("Datum en tijd van het gesprek zijn niet geldig (JJJJ-MM-DD UU:MM).")
        return None
    if moment.tzinfo is not None:
        moment = local(moment).replace(tzinfo=None)
    if moment.date() < today:
        errors[key] = _("Een gesprek kan niet in het verleden worden gepland.")
        return None
    try:
        check_in_window(moment.date(), _("Het gesprek"), today)
    except ValueError as exc:
        errors[key] = str(exc)
        return None
    return moment


def _talk(session: Session, plan: Plan, talk_id: int | None) -> Meeting:
    meeting = session.get(Meeting, talk_id) if talk_id else None
    if meeting is None or meeting.plan_id != plan.id or meeting.kind != PROGRESS:
        raise FormErrors({"talk_id": _("Dit voortgangsgesprek bestaat niet (meer) bij dit plan.")})
    if meeting.status != PLANNED:
        raise FormErrors({"talk_id": _("Dit voortgangsgesprek is al afgezegd.")})
    return meeting


def schedule_progress_talk(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> Meeting:
    """Plan a progress talk (``talk_id`` empty) or move one; every invited partner gets the invitation.

    Fields: talk_id, talk_at, talk_location, talk_reason (needed outside working hours), talk_interpreter_email.
    """
    from . import plans

    person, plan = plans._regie(session, actor, person_id, today, _("een voortgangsgesprek plannen"))
    errors: dict[str, str] = {}
    moment = parse_moment(form.get("talk_at"), "talk_at", today, errors)
    location = plans._text(form, "talk_location", _("Locatie"), errors)
    reason = plans._text(form, "talk_reason", _("Reden"), errors)
    interpreter = ""
    try:
        interpreter = check_email(form.get("talk_interpreter_email"), "talk_interpreter_email",
                                  _("E-mail tolkenbureau"))
    except FormErrors as exc:
        errors.update(exc.errors)
    raw_id = str(form.get("talk_id", "") or "").strip()
    talk_id = parse_id(raw_id) if raw_id else None
    if raw_id and talk_id is None:
        errors["talk_id"] = _("Dit voortgangsgesprek bestaat niet (meer) bij dit plan.")
    outside = moment is not None and plans.outside_working_hours(moment)
    if outside and not reason and "talk_reason" not in errors:
        cfg = plans.facts_config()
        errors["talk_reason"] = _(
            "{moment} valt buiten werktijd (werkdagen {start}-{end}). Kies een moment binnen werktijd of geef een "
            "reden.").format(moment=moment.strftime("%Y-%m-%d %H:%M"), start=cfg["working_hours"]["start"],
                             end=cfg["working_hours"]["end"])
    if errors:
        raise FormErrors(errors)
    start = from_wall_clock(moment)
    reason = reason if outside else ""
    if talk_id is None:
        meeting = _new_meeting(session, actor, plan, PROGRESS, start, config.progress_talk_minutes(), location, reason,
                               interpreter)
        _send(session, actor, person, plan, meeting, REQUEST, recipients(session, plan, meeting))
        plans._log(session, actor, plan, f"voortgangsgesprek gepland op {shown(start)} ({location or 'locatie volgt'})")
        return meeting
    meeting = _talk(session, plan, talk_id)
    before = shown(meeting.starts_at)
    if _move(session, actor, person, plan, meeting, start, location, interpreter, reason):
        plans._log(session, actor, plan, f"voortgangsgesprek van {before} gewijzigd: {shown(start)} "
                                         f"({location or 'locatie volgt'})")
    return meeting


def cancel_progress_talk(session: Session, actor: Actor, person_id: int, talk_id, reason: str, today: date) -> None:
    """Call a progress talk off: METHOD:CANCEL to everyone invited. The reason stays in the plan's history
    only (it may say why the person cannot come); the message does not carry it."""
    from . import plans

    person, plan = plans._regie(session, actor, person_id, today, _("een voortgangsgesprek afzeggen"))
    meeting = _talk(session, plan, parse_id(talk_id))
    reason = plans._one_text(reason, "cancel_reason", _("Reden"))
    _cancel(session, actor, person, plan, meeting, reason)
    plans._log(session, actor, plan, f"voortgangsgesprek van {shown(meeting.starts_at)} afgezegd"
                                     + (f" ({reason})" if reason else ""))


def talks(session: Session, plan: Plan) -> list[dict[str, str]]:
    """The plan's progress talks for the plan page, soonest first; called after the access check."""
    rows = session.scalars(
        select(Meeting).where(Meeting.plan_id == plan.id, Meeting.kind == PROGRESS).order_by(Meeting.starts_at)
    ).all()
    return [{
        "id": str(m.id), "when": shown(m.starts_at), "at": local(m.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "where": m.location, "interpreter_email": m.interpreter_email, "status": m.status,
        "status_label": _(STATUS_LABELS[m.status]), "planned": m.status == PLANNED, "version": str(m.sequence),
    } for m in rows]


def upcoming_talks(session: Session, plan: Plan, now: datetime) -> list[Meeting]:
    """Planned progress talks still to come (for the person's own view)."""
    return list(session.scalars(
        select(Meeting).where(Meeting.plan_id == plan.id, Meeting.kind == PROGRESS, Meeting.status == PLANNED,
                              Meeting.starts_at >= now).order_by(Meeting.starts_at)
    ).all())
