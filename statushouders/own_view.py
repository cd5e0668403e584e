"""What a statushouder sees of their own file: contacts, consents and who looked at the file.

Texts here are Dutch message ids; the own-view page translates them with the ``ownview`` catalog.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timezone

from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, callbacks, hours, languages, plan_templates, plans, policy
from .budget import service as budget_service
from .budget import views as budget_views
from .budget.leefgeld import month_picture
from .budget.norms import month_start
from .letters import catalog as letter_catalog
from .models import AuditEntry, Consent, LetterRecord, Organisation, Person, Plan
from .own_access import person_actor
from .policy import AccessDenied


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


KIND_WORDS = {
    "gemeente": N_("Gemeente"),
    "coa": N_("COA (opvang)"),
    "vwn": N_("VluchtelingenWerk"),
    "taalschool": N_("Taalschool"),
    "budgetcoach": N_("Budgetcoach"),
}
ROLE_WORDS = {
    "regisseur": N_("Klantmanager van de gemeente"),
    "financien": N_("Afdeling financiën van de gemeente"),
    "coordinator": N_("Coördinator van de gemeente"),
    "privacy": N_("Privacy officer van de gemeente"),
    "medewerker": N_("Medewerker van het COA"),
    "begeleider": N_("Begeleider van VluchtelingenWerk"),
    "docent": N_("Docent van de taalschool"),
    "coach": N_("Budgetcoach"),
}
CONSENT_PURPOSES = {
    "vwn": N_("Maatschappelijke begeleiding"),
    "budgetcoach": N_("Budgetcoaching"),
}


DOMAIN_WORDS = {
    "verblijf": N_("Verblijf"),
    "wonen": N_("Wonen"),
    "inburgering": N_("Inburgering en taal"),
    "werk": N_("Werk en opleiding"),
    "financien": N_("Financiën"),
    "gezondheid": N_("Gezondheid"),
    "gezin": N_("Gezin, kinderen en school"),
    "sociaal": N_("Sociaal netwerk"),
    "dagelijks": N_("Dagelijks leven en digitaal"),
}
STATUS_WORDS = {"open": N_("Open"), "bezig": N_("Bezig"), "klaar": N_("Klaar"), "geblokkeerd": N_("Geblokkeerd")}
COST_WORDS = {
    "rent": N_("Huur"),
    "energy": N_("Energie"),
    "water": N_("Water"),
    "health_insurance": N_("Zorgverzekering"),
    "other": N_("Andere vaste lasten"),
    "benefit": N_("Uitkering"),
    "leefgeld": N_("Leefgeld: voor uzelf"),
}
APPOINTMENT_WORDS = {"intake": N_("Gezamenlijke intake"), "progress": N_("Voortgangsgesprek")}


# Each letter's own heading (a message of the letters catalog), so the list reads like the letters.
LETTER_TITLES = {
    "intake_invitation": "Uitnodiging voor een gesprek over uw plan",
    "plan_summary": "Uw plan: wie doet wat?",
    "pip_summary": "Besluit over uw inburgering (PIP)",
    "temporary_protection": "U heeft tijdelijke bescherming: daarom geen PIP",
    "ontzorgen_decision": "Besluit: wij betalen uw vaste lasten",
    "payment_overview": "Uw betalingen",
    "school_enrolment": "U bent ingeschreven bij de taalschool",
    "progress_talk": "Uitnodiging: hoe gaat het met uw plan?",
    "ontzorgen_end": "U gaat zelf uw rekeningen betalen",
}


@dataclass(frozen=True)
class Contact:
    organisation_id: int
    organisation: str
    kind: str  # message id, see KIND_WORDS
    phone: str
    phone_hours: str
    email: str


def contacts(session: Session, person: Person, today: date) -> list[Contact]:
    """Every organisation working with the person now: the same partners that may open the file."""
    return [Contact(o.id, o.name, KIND_WORDS.get(o.kind, o.kind), o.phone, o.phone_hours, o.email)
            for o in callbacks.working_organisations(session, person, today)]


# "Call me" (callbacks.py): the person's preferred part of the day, and what the page says back.
PART_OF_DAY_WORDS = {"": N_("Maakt niet uit"), "morning": N_("In de ochtend"), "afternoon": N_("In de middag")}
CALLBACK_NEW = N_("Wij bellen u terug. {organisation} belt u zo snel mogelijk.")
CALLBACK_ALREADY = N_("U vroeg al om terugbellen, op {when}. {organisation} belt u zo snel mogelijk.")
CALLBACK_ASKED = N_("U vroeg om terugbellen op {when}.")


def isolate(value: str) -> str:
    """A value inside a translated sentence keeps its own direction (Unicode FSI ... PDI, like <bdi>)."""
    return f"\u2068{value}\u2069"


def moment(at: datetime, locale: str) -> str:
    """A moment in the person's words, in the server's local time (as the staff pages show it)."""
    local = at.astimezone()
    return f"{long_date(local.date(), locale)} {format_time(local, 'short', locale=languages.babel_locale(locale))}"


def call_me(session: Session, person: Person, organisation_id: int, part_of_day: str, locale: str,
            now: datetime) -> dict[str, str]:
    """The person presses "call me" at one partner: the message id to show and its values."""
    result = callbacks.request(session, person, organisation_id, part_of_day, locale, now)
    if result.created:  # the partner's call-back staff get an e-mail (initials, dossier reference, a link)
        from . import notify

        notify.callback_requested(session, person, organisation_id, result.request_id, result.part_of_day)
    return {"message": CALLBACK_NEW if result.created else CALLBACK_ALREADY,
            "organisation": result.organisation, "when": moment(result.requested_at, locale),
            "organisation_id": str(organisation_id)}


@dataclass(frozen=True)
class ConsentLine:
    id: int
    organisation: str
    purpose: str  # Dutch purpose label (message id)
    given_on: date


def active_consents(session: Session, person: Person) -> list[ConsentLine]:
    rows = session.execute(
        select(Consent, Organisation)
        .join(Organisation, Organisation.id == Consent.organisation_id)
        .where(Consent.person_id == person.id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_on)
    ).all()
    return [
        ConsentLine(c.id, o.name, CONSENT_PURPOSES.get(o.kind, policy.ORGANISATION_KINDS[o.kind].purpose_label), c.given_on)
        for c, o in rows
    ]


def withdraw_consent(session: Session, person: Person, consent_id: int, now: datetime) -> str:
    """The person withdraws a consent themselves: the partner loses access at once. Returns the partner's name."""
    consent = session.get(Consent, consent_id)
    if consent is None or consent.person_id != person.id:
        raise AccessDenied("Deze toestemming bestaat niet.")
    org = session.get(Organisation, consent.organisation_id)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = now
        audit.record(session, person_actor(person), audit.CHANGE, f"toestemming ingetrokken voor {org.name}",
                     "ingetrokken door de statushouder zelf", person.id)
        callbacks.lapse_without_access(session, person_actor(person), person, now)
    return org.name


@dataclass(frozen=True)
class Access:
    day: date
    organisation: str
    role: str  # message id, see ROLE_WORDS
    times: int


def who_looked(session: Session, person: Person, limit: int = 100) -> list[Access]:
    """Staff who read, changed or exported the file, one line per organisation, role and day, newest first."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.organisation, AuditEntry.role)
        .where(AuditEntry.person_id == person.id, AuditEntry.role != "statushouder",
               AuditEntry.action.not_in((audit.LOGIN, *audit.REFUSAL_ACTIONS)))
        .order_by(AuditEntry.id.desc())
        .limit(2000)
    ).all()
    lines: dict[tuple[date, str, str], int] = {}
    for at, organisation, role in rows:
        day = at.date()
        key = (day, organisation, ROLE_WORDS.get(role, role))
        lines[key] = lines.get(key, 0) + 1
    audit.record(session, person_actor(person), audit.READ, "eigen toegangslog bekeken", "eigen omgeving", person.id)
    return [Access(day, org, role, times) for (day, org, role), times in list(lines.items())[:limit]]



def long_date(day: date, locale: str) -> str:
    """A date in the person's own words (Babel), digits kept Latin by the locale data where it has them."""
    return format_date(day, "long", locale=languages.babel_locale(locale))


def overview(session: Session, person: Person, locale: str | None, today: date) -> dict:
    """Everything the own view shows, as plain strings: message ids are translated by the page.

    Without a chosen ``locale`` the view opens in the person's letter language.
    """
    locale = locale or person.letter_language
    money_lines, next_payment = money(session, person, locale, today)
    return {
        "locale": locale,
        "name": f"{person.given_names} {person.family_name}",
        "name_own_script": person.name_own_script,
        "reads": person.literacy == "literate",
        "contacts": contact_rows(session, person, locale, today),
        "consents": [
            {"id": str(line.id), "organisation": line.organisation, "purpose": line.purpose,
             "given_on": long_date(line.given_on, locale)}
            for line in active_consents(session, person)
        ],
        "letters": letters(session, person, locale),
        "plan": plan_items(session, person, locale),
        "appointments": appointments(session, person, locale, datetime.now(timezone.utc)),
        "money": money_lines,
        "next_payment": next_payment,
        "accesses": [
            {"day": long_date(a.day, locale), "organisation": a.organisation, "role": a.role, "times": str(a.times)}
            for a in who_looked(session, person)
        ],
    }


def contact_rows(session: Session, person: Person, locale: str, today: date) -> list[dict[str, str]]:
    """Contacts as the page shows them, each with when the person asked it to call (empty: not asked)."""
    asked = callbacks.open_for_person(session, person)
    babel = languages.babel_locale(locale)
    return [
        {**{k: str(v) for k, v in dataclasses.asdict(c).items()}, "id": str(c.organisation_id),
         # structured hours in the page's language (Babel); an unparsable line stays as typed
         "phone_hours": hours.format_hours(c.phone_hours, babel) or c.phone_hours,
         "requested": moment(asked[c.organisation_id], locale) if c.organisation_id in asked else ""}
        for c in contacts(session, person, today)
    ]


def _letter_title(letter_type: str, locale: str) -> str:
    translations = letter_catalog.translations(locale)
    title = LETTER_TITLES.get(letter_type, letter_type)
    return translations.gettext(title) if translations else title


def letters(session: Session, person: Person, locale: str) -> list[dict[str, str]]:
    """Every letter the person was sent, newest first, titled in the chosen language."""
    rows = session.execute(
        select(LetterRecord.id, LetterRecord.letter_type, LetterRecord.produced_at)
        .where(LetterRecord.person_id == person.id)
        .order_by(LetterRecord.id.desc())
    ).all()
    return [{"id": str(r.id), "title": _letter_title(r.letter_type, locale),
             "date": long_date(r.produced_at.date(), locale)} for r in rows]


def letter_pdf(session: Session, person: Person, letter_id: int) -> tuple[str, bytes]:
    """(file name, PDF) of one of the person's own letters; someone else's letter does not exist for them."""
    record = session.get(LetterRecord, letter_id)
    if record is None or record.person_id != person.id:
        raise AccessDenied("Deze brief bestaat niet.")
    audit.record(session, person_actor(person), audit.EXPORT, f"brief gedownload: {record.reference}",
                 "eigen omgeving", person.id)
    return f"{record.reference}.pdf", record.pdf


def plan_items(session: Session, person: Person, locale: str) -> list[dict[str, str]]:
    """The agreed plan, per life domain: who does what by when and the person's own part.

    A plan still being drafted is not shown. Template actions read in the person's language (the
    letters catalog holds them); texts a partner typed stay in Dutch.
    """
    plan = session.scalars(select(Plan).where(Plan.person_id == person.id)).first()
    if plan is None or plan.status != "actief":
        return []
    domain_keys = {label: key for key, label in plan_templates.DOMAINS.items()}
    status_keys = {label: key for key, label in plans.STATUSES.items()}
    translations = letter_catalog.translations(locale)
    say = translations.gettext if translations else str
    return [
        {
            "domain": DOMAIN_WORDS.get(domain_keys.get(line.domain, ""), line.domain),
            "what": say(line.what),
            "owner": line.owner,
            "own_part": say(line.own_part) if line.own_part else "",
            "due": long_date(line.due_date, locale) if line.due_date else "",
            "status": STATUS_WORDS.get(status_keys.get(line.status, ""), line.status),
        }
        for line in plans.plan_summary(session, person.id)
    ]


def appointments(session: Session, person: Person, locale: str, now: datetime) -> list[dict[str, str]]:
    """The joint intake and the progress talks while they are still to come."""
    from . import agenda

    plan = session.scalars(select(Plan).where(Plan.person_id == person.id)).first()
    if plan is None:
        return []
    found = []
    at = plan.intake_at
    if at is not None and at >= now:
        when = f"{long_date(at.date(), locale)} {format_time(at, 'short', locale=languages.babel_locale(locale))}"
        found.append({"kind": APPOINTMENT_WORDS["intake"], "when": when, "where": plan.intake_location})
    for talk in agenda.upcoming_talks(session, plan, now):
        local = agenda.local(talk.starts_at)
        when = f"{long_date(local.date(), locale)} {format_time(local, 'short', locale=languages.babel_locale(locale))}"
        found.append({"kind": APPOINTMENT_WORDS["progress"], "when": when, "where": talk.location})
    return found


def _euro(amount: Decimal, locale: str) -> str:
    return format_currency(amount, "EUR", locale=languages.babel_locale(locale), numbering_system="latn")


def money(session: Session, person: Person, locale: str, today: date) -> tuple[list[dict[str, str]], str]:
    """This month: the benefit, each fixed cost the gemeente pays, and the leefgeld left for the person.

    Once the month's run is approved the lines are exactly what it paid; before that, what it will pay.
    A line says "Betaald op <day>" only once a bank statement confirmed that payment as booked.
    Returns the lines and the date of the leefgeld transfer when still to come.
    """
    overview = budget_views.payment_overview(session, person.id, today)
    if overview is None:
        return [], ""
    budget = budget_service.budget_of(session, person.id)
    picture = month_picture(budget_service.to_data(budget, person), month_start(today))
    if overview["paid"]:  # booked_on: the day the bank confirmed the payment (camt.053), else None
        costs = [(p["category"], p["creditor"], p["amount"], p["booked_on"]) for p in overview["paid"]]
    else:
        costs = [(c.category, c.creditor_name, c.amount, None) for c in picture.direct_costs]
    leefgeld = overview["leefgeld"] or picture.income - picture.direct_total - picture.deduction_total
    lines = [{"label": COST_WORDS["benefit"], "creditor": "", "amount": _euro(picture.income, locale), "paid_on": ""}]
    lines += [{"label": COST_WORDS.get(category, COST_WORDS["other"]), "creditor": creditor,
               "amount": "− " + _euro(amount, locale), "paid_on": long_date(booked, locale) if booked else ""}
              for category, creditor, amount, booked in costs]
    lines.append({"label": COST_WORDS["leefgeld"], "creditor": "", "amount": _euro(leefgeld, locale), "paid_on": ""})
    when = overview["leefgeld_date"]
    return lines, long_date(when, locale) if when and when >= today else ""
