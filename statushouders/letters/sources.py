"""Build letter contexts from the database: a registry of one builder per letter type.

A builder is ``builder(session, actor, person_id, options) -> LetterBase``. ``options``
holds what staff enter for this one letter (a date, a time, a place), as strings.
The foundation knows persons and organisations, so the invitation and enrolment letters
are built here. Plan, PIP and budget data live in other modules: their letter types
start with a builder that raises ``NotAvailable`` until that module registers its own
with ``register(letter_type)`` (the registry is the seam, nothing else changes).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import languages
from ..catalogs import staff_message
from ..catalogs import staff_text as _
from ..models import Organisation, PartnerLink, Person
from ..policy import Actor
from ..validation import max_length, parse_int, screen_form, text_problem
from .contexts import (
    IntakeInvitation,
    LetterBase,
    ProgressTalkInvitation,
    Recipient,
    SchoolEnrolment,
    Sender,
)
from .render import LetterError

Builder = Callable[[Session, Actor, int, dict], LetterBase]
_BUILDERS: dict[str, Builder] = {}

WEEKDAYS_NL = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}


class NotAvailable(LetterError):
    """The data this letter prints does not exist yet (no plan, no PIP, no budget)."""


class OptionErrors(ValueError):
    """Field messages for the letter form: ``{field: message}`` in the staff UI language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def register(letter_type: str) -> Callable[[Builder], Builder]:
    """Decorator: make ``builder`` the source of ``letter_type`` (replaces the previous one)."""

    def decorate(builder: Builder) -> Builder:
        _BUILDERS[letter_type] = builder
        return builder

    return decorate


def build(session: Session, actor: Actor, letter_type: str, person_id: int, options: dict | None = None) -> LetterBase:
    if letter_type not in _BUILDERS:
        raise NotAvailable(_("Onbekend brieftype '{letter_type}'.").format(letter_type=letter_type))
    options = dict(options or {})
    _screened, problems = screen_form(options, frozenset({"topics"}))  # same input rules as every staff form
    for key in ("place", "topics"):
        if isinstance(options.get(key), str) and key not in problems:
            problem = text_problem(options[key].strip(), _("Dit veld"), max_length(key), multiline=key == "topics")
            if problem:
                problems[key] = problem
    if problems:
        raise OptionErrors(problems)
    return _BUILDERS[letter_type](session, actor, person_id, options)


def available(letter_type: str) -> bool:
    """Whether a real source is registered (not the NotAvailable placeholder)."""
    return letter_type in _BUILDERS and not getattr(_BUILDERS[letter_type], "placeholder", False)


# --- shared pieces every builder uses ------------------------------------------------

def new_reference(today: date) -> str:
    """A unique reference printed on the letter and kept in the archive."""
    return f"BR-{today:%Y}-{secrets.token_hex(4).upper()}"


def sender_for(session: Session, actor: Actor, staff_name: str | None = None) -> Sender:
    org = session.get(Organisation, actor.organisation_id)
    return Sender(
        name=org.name, address=org.address or "", phone=org.phone or "", phone_hours=org.phone_hours or "",
        email=org.email or "", staff_name=actor.name if staff_name is None else staff_name,
    )


def postal_address(person: Person, today: date | None = None, coa_address: str = "") -> str:
    """Where letters go: the home address; while the person still lives in the AZC (no address yet, or
    the move is still ahead) the AZC care of the COA location, with the linked COA's address when known."""
    today = today or date.today()
    in_azc = bool(person.azc) and (not person.address or (person.move_date is not None and person.move_date > today))
    if in_azc:
        return f"{person.azc}\np/a COA-locatie" + (f"\n{coa_address}" if coa_address else "")
    return person.address or ""


def coa_address_for(session: Session, person_id: int, today: date) -> str:
    """The address of the COA location linked to the person (empty when none is linked)."""
    return session.scalar(
        select(Organisation.address)
        .join(PartnerLink, PartnerLink.organisation_id == Organisation.id)
        .where(PartnerLink.person_id == person_id, Organisation.kind == "coa",
               or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > today))
        .limit(1)
    ) or ""


def recipient_for(person: Person, today: date | None = None, coa_address: str = "") -> Recipient:
    return Recipient(
        name=f"{person.given_names} {person.family_name}".strip(),
        name_own_script=person.name_own_script or "",
        address=postal_address(person, today, coa_address),
    )


def common(session: Session, actor: Actor, person_id: int, options: dict) -> dict:
    """The fields of ``LetterBase`` for this person, sent by the actor's organisation."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotAvailable(_("Deze persoon bestaat niet (meer)."))
    today = options.get("today") or date.today()
    return dict(
        recipient=recipient_for(person, today, coa_address_for(session, person_id, today) if person.azc else ""),
        sender=sender_for(session, actor),
        language=languages.normalise(person.letter_language or "nl"),
        letter_date=today,
        reference=options.get("reference") or new_reference(today),
    )


def _parse_at(options: dict, errors: dict, date_key: str = "date", time_key: str = "time") -> datetime | None:
    raw_date, raw_time = str(options.get(date_key) or "").strip(), str(options.get(time_key) or "").strip()
    day = moment = None
    if not raw_date:
        errors[date_key] = _("Vul de datum in (jjjj-mm-dd).")
    else:
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            errors[date_key] = _("'{date}' is geen geldige datum. Gebruik jjjj-mm-dd, bijvoorbeeld 2026-12-03.").format(
                date=raw_date)
    if not raw_time:
        errors[time_key] = _("Vul de tijd in (uu:mm).")
    else:
        try:
            moment = datetime.strptime(raw_time, "%H:%M").time()
        except ValueError:
            errors[time_key] = _("'{time}' is geen geldige tijd. Gebruik uu:mm, bijvoorbeeld 10:30.").format(time=raw_time)
    if day and moment:
        return datetime.combine(day, moment)
    return None


def _lines(raw) -> tuple[str, ...]:
    if isinstance(raw, (list, tuple)):
        return tuple(str(x).strip() for x in raw if str(x).strip())
    return tuple(line.strip() for line in str(raw or "").splitlines() if line.strip())


def partner_names(session: Session, person_id: int, today: date) -> list[str]:
    """Organisations with an active link to this person (for 'who will be there')."""
    rows = session.scalars(
        select(Organisation.name)
        .join(PartnerLink, PartnerLink.organisation_id == Organisation.id)
        .where(PartnerLink.person_id == person_id,
               or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > today))
        .order_by(Organisation.name)
    ).all()
    return list(dict.fromkeys(rows))


# --- builders the foundation can serve ----------------------------------------------

def _appointment(session: Session, actor: Actor, person_id: int, options: dict) -> dict:
    """What every invitation shares: the letter basics plus when, where and whether an interpreter comes."""
    errors: dict[str, str] = {}
    at = _parse_at(options, errors)
    if errors:
        raise OptionErrors(errors)
    base = common(session, actor, person_id, options)
    person = session.get(Person, person_id)
    base.update(at=at, place=str(options.get("place") or base["sender"].address),
                interpreter=bool(person.interpreter_needed))
    return base


@register("intake_invitation")
def intake_invitation(session: Session, actor: Actor, person_id: int, options: dict) -> IntakeInvitation:
    base = _appointment(session, actor, person_id, options)
    partners = [base["sender"].name] + [n for n in partner_names(session, person_id, base["letter_date"])
                                        if n != base["sender"].name]
    person = session.get(Person, person_id)
    has_partner = any(m.relationship_kind == "partner" for m in person.household_here)
    return IntakeInvitation(**base, partners=tuple(partners), has_partner=has_partner)


@register("progress_talk")
def progress_talk(session: Session, actor: Actor, person_id: int, options: dict) -> ProgressTalkInvitation:
    base = _appointment(session, actor, person_id, options)
    return ProgressTalkInvitation(**base, topics=_lines(options.get("topics")))


def _weekdays(raw, errors: dict) -> tuple[int, ...]:
    if isinstance(raw, (list, tuple)):
        return tuple(int(x) for x in raw)
    days = []
    for part in str(raw or "").replace(" ", "").lower().split(","):
        if not part:
            continue
        if part not in WEEKDAYS_NL:
            errors["weekdays"] = _("'{day}' is geen dag. Gebruik ma, di, wo, do, vr, za, zo, gescheiden door komma's.").format(
                day=part)
            return ()
        days.append(WEEKDAYS_NL[part])
    return tuple(sorted(set(days)))


@register("school_enrolment")
def school_enrolment(session: Session, actor: Actor, person_id: int, options: dict) -> SchoolEnrolment:
    errors: dict[str, str] = {}
    first = _parse_at(options, errors)
    weekdays = _weekdays(options.get("weekdays"), errors)
    hours = parse_int(options.get("hours"), 1, 40) or 0
    if not hours:
        errors["hours"] = _("Vul het aantal lesuren per week in (1 tot 40).")
    if errors:
        raise OptionErrors(errors)
    base = common(session, actor, person_id, options)
    school = session.scalars(
        select(Organisation)
        .join(PartnerLink, PartnerLink.organisation_id == Organisation.id)
        .where(PartnerLink.person_id == person_id, Organisation.kind == "taalschool",
               or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > base["letter_date"]))
        .limit(1)
    ).first()
    if school is None:
        raise NotAvailable(_("Nog geen taalschool gekoppeld aan deze persoon: koppel eerst een taalschool."))
    return SchoolEnrolment(
        **base, school=school.name, school_address=school.address or "", first_lesson=first,
        weekdays=weekdays, hours_per_week=hours,
    )


# --- placeholders until the plan and budget modules register their sources ---------

def _placeholder(letter_type: str, what: str) -> Builder:
    def builder(session: Session, actor: Actor, person_id: int, options: dict) -> LetterBase:
        raise NotAvailable(_("NotAvailable: {what} Deze brief kan nog niet gemaakt worden.").format(what=_(what)))

    builder.placeholder = True  # type: ignore[attr-defined]
    builder.__name__ = f"{letter_type}_not_available"
    return builder


for _type, _what in (
    ("plan_summary", staff_message("er is nog geen plan van aanpak voor deze persoon.")),
    ("pip_summary", staff_message("er is nog geen PIP-besluit voor deze persoon.")),
    ("ontzorgen_decision", staff_message("er is nog geen budget (ontzorgen) voor deze persoon.")),
    ("payment_overview", staff_message("er zijn nog geen betalingen (budget) voor deze persoon.")),
    ("ontzorgen_end", staff_message("er is nog geen budget (ontzorgen) voor deze persoon.")),
):
    register(_type)(_placeholder(_type, _what))
