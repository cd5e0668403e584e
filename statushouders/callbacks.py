""""Call me": a statushouder asks one partner to phone them, and that partner's staff call back.

For people who read little a letter is not enough (domain brief section 6): from their own view
they press *Bel mij* at a partner and someone of that partner phones them, in their language.

- The person asks from their own session (``own_access.resolve``), only at an organisation that
  works with them now (the same organisations their contacts list shows). One open request per
  person and partner: asking again returns the open request and when it was made.
- Staff see the open requests addressed to their own organisation, of persons whose file they may
  open now (``policy.person_filter``), and only in the role that is the person's contact there
  (``policy.MAY_HANDLE_CALLBACKS``). A partner that lost access never sees the request.
- Every request, every look at the list (it shows phone numbers) and every handling is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, languages, policy
from .catalogs import staff_text as _
from .models import CallbackRequest, Consent, Organisation, PartnerLink, Person, Plan, User
from .own_access import person_actor
from .plan_policy import REGIE
from .policy import AccessDenied, Actor

MORNING, AFTERNOON = "morning", "afternoon"
PARTS_OF_DAY = ("", MORNING, AFTERNOON)  # "" = no preference
PART_OF_DAY_NL = {"": "geen voorkeur", MORNING: "ochtend", AFTERNOON: "middag"}  # for the audit log


def working_organisations(session: Session, person: Person, today: date) -> list[Organisation]:
    """Every organisation working with the person now: the same partners that may open the file."""
    linked = select(PartnerLink.organisation_id).where(
        PartnerLink.person_id == person.id, or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > today)
    )
    consented = select(Consent.organisation_id).where(Consent.person_id == person.id, Consent.withdrawn_at.is_(None))
    conditions = [
        (Organisation.kind == "gemeente") & (Organisation.municipality == person.municipality),
        Organisation.id.in_(linked),
        Organisation.id.in_(consented),
    ]
    if person.move_date is None or today <= person.move_date:
        conditions.append(Organisation.kind == "coa")
    return list(session.scalars(select(Organisation).where(or_(*conditions)).order_by(Organisation.id)).all())


def _open_key(person_id: int, organisation_id: int) -> str:
    return f"{person_id}:{organisation_id}"


# --- the person -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requested:
    """The person's open request at one partner; ``created`` is False when it was already there."""

    request_id: int
    organisation: str
    requested_at: datetime
    part_of_day: str
    created: bool


def _open_request(session: Session, person_id: int, organisation_id: int) -> CallbackRequest | None:
    return session.scalars(
        select(CallbackRequest).where(CallbackRequest.open_key == _open_key(person_id, organisation_id))
    ).first()


def request(session: Session, person: Person, organisation_id: int, part_of_day: str, language: str,
            now: datetime) -> Requested:
    """The signed-in person asks ``organisation_id`` to call them back.

    Refused (``AccessDenied``) for an organisation that does not work with the person. An unknown part
    of the day counts as no preference; an unknown language as the person's letter language.
    """
    org = next((o for o in working_organisations(session, person, now.date()) if o.id == organisation_id), None)
    if org is None:
        raise AccessDenied("Deze organisatie werkt niet met u.")
    existing = _open_request(session, person.id, org.id)
    if existing is None:
        part = part_of_day if part_of_day in PARTS_OF_DAY else ""
        try:
            code = languages.normalise(language)
        except languages.UnknownLanguage:
            code = person.letter_language
        new = CallbackRequest(person_id=person.id, organisation_id=org.id, requested_at=now, part_of_day=part,
                              language=code, open_key=_open_key(person.id, org.id))
        try:
            with session.begin_nested():  # a second press at the same moment hits the unique open_key
                session.add(new)
        except IntegrityError:
            existing = _open_request(session, person.id, org.id)
            if existing is None:  # asked and handled in the same instant: ask once more
                return request(session, person, organisation_id, part_of_day, language, now)
        else:
            audit.record(session, person_actor(person), audit.CHANGE,
                         f"terugbelverzoek aan {org.name} ({PART_OF_DAY_NL[part]}, taal {code})",
                         "eigen omgeving: bel mij", person.id)
            return Requested(new.id, org.name, new.requested_at, new.part_of_day, True)
    return Requested(existing.id, org.name, existing.requested_at, existing.part_of_day, False)


def lapse_without_access(session: Session, actor: Actor, person: Person, now: datetime) -> int:
    """Close the person's open requests at partners that no longer work with them (a consent withdrawn).

    Such a partner cannot see the request, and it would come back with its old date once consent is
    given again. Returns how many lapsed.
    """
    working = [org.id for org in working_organisations(session, person, now.date())]
    lapsed = session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.person_id == person.id, CallbackRequest.handled_at.is_(None),
               CallbackRequest.organisation_id.not_in(working))
        .values(handled_at=now, open_key=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if lapsed:
        audit.record(session, actor, audit.CHANGE, f"{lapsed} terugbelverzoek(en) vervallen: partner werkt niet meer met de persoon",
                     "toestemming ingetrokken", person.id)
    return lapsed


def open_for_person(session: Session, person: Person) -> dict[int, datetime]:
    """When the person asked each partner to call them, for the requests still open (by organisation id)."""
    rows = session.execute(
        select(CallbackRequest.organisation_id, CallbackRequest.requested_at)
        .where(CallbackRequest.person_id == person.id, CallbackRequest.handled_at.is_(None))
    ).all()
    return {org_id: at for org_id, at in rows}


# --- staff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenCallback:
    """One open request as the staff member who calls back sees it."""

    request_id: int
    person_id: int
    person_name: str
    phone: str
    language: str  # Dutch name of the file's language: the one to call back in
    interpreter_needed: bool
    literacy: str
    part_of_day: str  # a key of PARTS_OF_DAY
    requested_at: datetime
    asked_in: str = ""  # the language the person used in the own view, when it is not the file's language
    attempts: int = 0  # calls that did not reach the person yet
    last_attempt_at: datetime | None = None
    case_owner: str = ""  # gemeente: the person's named regisseur, who calls back first
    mine: bool = False  # the actor is that case owner


def may_handle(actor: Actor) -> bool:
    return actor.key in policy.MAY_HANDLE_CALLBACKS and policy.CONTACT in policy.role_groups(actor.kind, actor.role)


def _require(actor: Actor) -> None:
    if not may_handle(actor):
        policy.require(actor, set(), _("terugbelverzoeken zien of afhandelen"))


def _language_name(code: str) -> str:
    try:
        return languages.get(code).name_nl
    except languages.UnknownLanguage:
        return code


def open_for_staff(session: Session, actor: Actor, today: date, person_id: int | None = None) -> list[OpenCallback]:
    """Open requests to the actor's organisation of persons the actor may see now, oldest first; at the
    gemeente the requests of the actor's own persons (as case owner) come first.

    The list shows phone numbers, so each person on it gets a read entry in the audit log.
    """
    _require(actor)
    owner_id = select(Plan.regisseur_id).where(Plan.person_id == Person.id).correlate(Person).scalar_subquery()
    query = (
        select(CallbackRequest, Person, owner_id.label("owner_id"))
        .join(Person, Person.id == CallbackRequest.person_id)
        .where(CallbackRequest.organisation_id == actor.organisation_id, CallbackRequest.handled_at.is_(None),
               policy.person_filter(actor, today))
        .order_by(CallbackRequest.requested_at, CallbackRequest.id)
    )
    if person_id is not None:
        query = query.where(Person.id == person_id)
    found = session.execute(query).all()
    gemeente = actor.kind == REGIE[0]
    owners = dict(session.execute(select(User.id, User.full_name).where(
        User.id.in_({o for *_rest, o in found if o}))).all()) if gemeente and found else {}
    rows = [
        OpenCallback(r.id, p.id, f"{p.given_names} {p.family_name}", p.phone, _language_name(p.letter_language),
                     p.interpreter_needed, p.literacy, r.part_of_day, r.requested_at,
                     asked_in=_language_name(r.language) if r.language != p.letter_language else "",
                     attempts=r.attempts, last_attempt_at=r.last_attempt_at,
                     case_owner=owners.get(owner, ""), mine=gemeente and owner == actor.user_id)
        for r, p, owner in found
    ]
    rows.sort(key=lambda row: not row.mine)  # stable: oldest first within each part
    audit.record_many(session, actor, audit.READ, "terugbelverzoek bekeken (telefoonnummer)", "terugbellen",
                      sorted({row.person_id for row in rows}))
    return rows


REACHED, NOT_REACHED, RETRY = "reached", "not_reached", "retry"
OUTCOMES = (REACHED, NOT_REACHED, RETRY)  # retry: not reached this time, the request stays open
OUTCOME_NL = {REACHED: "bereikt", NOT_REACHED: "niet bereikt, afgesloten", RETRY: "niet bereikt, opnieuw proberen"}


@dataclass(frozen=True)
class Handled:
    person_id: int
    handled_by: str
    handled_at: datetime
    already: bool  # someone had closed it before
    outcome: str = REACHED
    attempts: int = 1


def mark_handled(session: Session, actor: Actor, request_id: int, now: datetime) -> Handled:
    """The actor called the person back and reached them (``record_outcome`` with ``REACHED``)."""
    return record_outcome(session, actor, request_id, REACHED, now)


def record_outcome(session: Session, actor: Actor, request_id: int, outcome: str, now: datetime) -> Handled:
    """One call attempt: reached or not reached closes the request, retry counts the attempt and keeps it
    open. Refused for another organisation's request or a person the actor may not see (then the request
    does not exist for them). A request closed before changes nothing."""
    _require(actor)
    if outcome not in OUTCOMES:
        raise ValueError(_("Kies wat het gesprek opleverde: bereikt, niet bereikt of opnieuw proberen."))
    req = session.get(CallbackRequest, request_id)
    visible = req is not None and req.organisation_id == actor.organisation_id and session.scalar(
        select(true()).where(Person.id == req.person_id, policy.person_filter(actor, now.date())))
    if not visible:
        raise AccessDenied(_("Dit terugbelverzoek bestaat niet (meer) voor uw organisatie."))
    values = {"attempts": CallbackRequest.attempts + 1, "last_attempt_at": now}
    if outcome != RETRY:
        values.update(handled_at=now, handled_by=actor.user_id, open_key=None, outcome=outcome)
    counted = session.execute(  # one statement, so two staff pressing at once cannot both count or close it
        update(CallbackRequest)
        .where(CallbackRequest.id == req.id, CallbackRequest.handled_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(req)
    if not counted:
        who = session.get(User, req.handled_by) if req.handled_by else None
        return Handled(req.person_id, who.full_name if who else "?", req.handled_at, True, req.outcome, req.attempts)
    audit.record(session, actor, audit.CHANGE, f"terugbelverzoek: {OUTCOME_NL[outcome]}, poging {req.attempts} "
                                               f"({actor.organisation})", "terugbellen", req.person_id)
    return Handled(req.person_id, actor.name, now, False, outcome, req.attempts)
