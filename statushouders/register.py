"""The statushouder register: register, find, open and share person files.

Every function takes the signed-in ``Actor``, asks ``policy`` what it may see and
writes the access to the audit log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import audit, callbacks, languages, policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import Consent, HouseholdMember, Organisation, PartnerLink, Person, PersonMilestone
from .policy import AccessDenied, Actor
from .validation import (
    CHANNELS, COUNTRIES, LITERACY, RELATIONSHIPS, RESIDENCE_STATUSES, Registration, char_problem, check_in_window,
    check_registration, parse_date, parse_date_in_window,
)

SEARCH_MAX = 100

# A change to a file after registration is audited one field per entry, with this purpose and the column
# in brackets ("dossier bijwerken (family_name)", "dossier bijwerken (household)"): the file's list of
# changes (``file_edit.history``) reads those entries back.
CHANGE_WHY = "dossier bijwerken"
HOUSEHOLD = "household"


def change_why(column: str) -> str:
    return f"{CHANGE_WHY} ({column})"


CONSENT_TEXT_VERSION = "toestemming-2026-01"

# Which columns belong to which field group, with their Dutch labels.
GROUP_FIELDS: dict[str, list[tuple[str, str]]] = {
    policy.IDENTITY: [
        ("given_names", "Voornamen"),
        ("family_name", "Achternaam"),
        ("name_own_script", "Naam in eigen schrift"),
        ("birth_date", "Geboortedatum"),
        ("country_of_origin", "Land van herkomst"),
        ("v_number", "V-nummer"),
        ("residence_status", "Verblijfsstatus"),
        ("integration_duty", "Inburgeringsplichtig"),
        ("permit_date", "Datum vergunning"),
        ("koppeling_date", "Datum koppeling"),
        ("move_date", "Verhuisdatum"),
        ("municipality", "Gemeente"),
        ("azc", "AZC"),
        ("spoken_languages", "Spreekt"),
        ("read_languages", "Leest"),
        ("mother_tongue", "Moedertaal"),
        ("letter_language", "Brieftaal"),
        ("literacy", "Geletterdheid"),
        ("interpreter_needed", "Tolk nodig"),
        ("preferred_channel", "Voorkeurskanaal"),
    ],
    policy.BSN: [("bsn", "BSN")],
    policy.CONTACT: [("address", "Adres"), ("phone", "Telefoon"), ("email", "E-mail")],
    policy.HEALTH: [("functional_limitations", "Functionele beperkingen")],
    policy.FINANCES: [("iban", "IBAN (leefgeld)")],
    policy.LEARNING: [
        ("education_years", "Jaren onderwijs"),
        ("education_history", "Opleiding en werk"),
        ("learning_limitations", "Leerbeperkingen (geen diagnoses)"),
    ],
    policy.FAMILY: [],
}


class FormErrors(ValueError):
    """Field messages for a refused form: ``{field: message}`` in the staff UI language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class DuplicateFound(ValueError):
    """Likely the same person is already registered; carries what the actor may be told."""

    def __init__(self, matches: list[str]):
        super().__init__(_("Mogelijk staat deze persoon al geregistreerd."))
        self.matches = matches


@dataclass
class PersonFile:
    """What one actor sees of one person: labelled values per visible field group."""

    person_id: int
    display_name: str
    groups: dict[str, list[tuple[str, str]]]
    household: list[dict] = field(default_factory=list)
    hidden_groups: list[str] = field(default_factory=list)


def _display(column: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    if column in {"spoken_languages", "read_languages"}:
        return ", ".join(languages.spoken_name_nl(code) for code in value) or "—"
    if column == "mother_tongue":
        return languages.spoken_name_nl(value) if value else "—"
    if column == "letter_language":
        return languages.get(value).name_nl
    labels = {
        "country_of_origin": COUNTRIES,
        "residence_status": RESIDENCE_STATUSES,
        "literacy": LITERACY,
        "preferred_channel": CHANNELS,
    }.get(column)
    return labels.get(value, value) if labels else str(value)


def display_name(person: Person) -> str:
    own = f" ({person.name_own_script})" if person.name_own_script else ""
    return f"{person.given_names} {person.family_name}{own}"


@dataclass
class DuplicateCheck:
    """What a registration form may be told about persons already registered.

    ``hard``: field messages that refuse the form (the same BSN or V-number is registered).
    ``soft``: lines for the warning (same family name and birth date) that the user may confirm past.
    A match in the actor's own municipality is named (name, birth date, municipality); a match
    elsewhere only says that a possible match exists and which gemeente to contact. Every match
    shown is written to the audit log with that person's id.
    """

    hard: dict[str, str] = field(default_factory=dict)
    soft: list[str] = field(default_factory=list)


def _contact_for(session: Session, municipality: str) -> str:
    """Whom to contact about a person of another municipality: that gemeente's organisation name."""
    name = session.scalar(select(Organisation.name).where(
        Organisation.kind == "gemeente", Organisation.municipality == municipality).order_by(Organisation.id))
    return name or _("de gemeente {municipality}").format(municipality=municipality)


def find_duplicates(session: Session, actor: Actor, values: dict, record: bool = True,
                    exclude_id: int | None = None, similar: bool = True) -> DuplicateCheck:
    """Hard conflicts (same BSN or V-number: refused) and likely duplicates (same name and birth date).

    With ``record`` every match is audited on that person (what the actor is about to be shown).
    ``exclude_id``: the person being edited (never a duplicate of themself); ``similar=False`` skips
    the name-and-birth-date warning (an edit checks only the hard conflicts).
    """
    result = DuplicateCheck()
    own = actor.municipality
    shown: list[tuple[int, str]] = []  # (person id, what the actor was told) for the audit log

    def elsewhere(person: Person) -> bool:
        return own is None or person.municipality != own

    checks = (("bsn", Person.bsn, _("Dit BSN hoort al bij een geregistreerde persoon. Zoek het bestaande dossier op.")),
              ("v_number", Person.v_number,
               _("Dit V-nummer hoort al bij een geregistreerde persoon. Zoek het bestaande dossier op.")))
    for key, column, message in checks:
        if not values.get(key):
            continue
        query = select(Person).where(column == values[key])
        if exclude_id is not None:
            query = query.where(Person.id != exclude_id)
        match = session.scalars(query.order_by(Person.id)).first()
        if match is None:
            continue
        if elsewhere(match):
            result.hard[key] = _(
                "Mogelijk staat deze persoon al geregistreerd bij een andere gemeente. Neem contact op met "
                "{contact} om dat na te gaan."
            ).format(contact=_contact_for(session, match.municipality))
            shown.append((match.id, f"mogelijke dubbele registratie gemeld ({key}, andere gemeente; geen gegevens getoond)"))
        else:
            result.hard[key] = message
            shown.append((match.id, f"dubbele registratie gemeld ({key})"))
    same = session.scalars(
        select(Person).where(
            func.lower(Person.family_name) == values["family_name"].lower(),
            Person.birth_date == values["birth_date"],
        ).order_by(Person.id)
    ).all() if similar else []
    contacts: list[str] = []
    for p in same:
        if elsewhere(p):
            contact = _contact_for(session, p.municipality)
            if contact not in contacts:
                contacts.append(contact)
            shown.append((p.id, "mogelijke dubbele registratie gemeld (andere gemeente; geen gegevens getoond)"))
        else:
            result.soft.append(_("{name}, geboren {birth_date}, gemeente {municipality}").format(
                name=f"{p.given_names} {p.family_name}", birth_date=p.birth_date.isoformat(),
                municipality=p.municipality))
            shown.append((p.id, "mogelijke dubbele registratie getoond (naam, geboortedatum, gemeente)"))
    result.soft.extend(_(
        "Mogelijk staat deze persoon ook geregistreerd bij een andere gemeente. Neem contact op met {contact} "
        "om dat na te gaan."
    ).format(contact=contact) for contact in contacts)
    for person_id, what in shown if record else ():
        audit.record(session, actor, audit.READ, what, "registratie: controle op dubbele registratie", person_id)
    return result


def _check_form(session: Session, actor: Actor, form: dict, household: list[dict], today: date) -> Registration:
    policy.require(actor, policy.MAY_REGISTER, _("personen registreren"))
    checked = check_registration(form, household, today)
    if not isinstance(checked, Registration):
        raise FormErrors(checked)
    if actor.municipality and checked.values["municipality"] != actor.municipality:
        raise FormErrors({"municipality": _("U kunt alleen registreren voor de gemeente {municipality}.").format(
            municipality=actor.municipality)})
    return checked


def precheck(session: Session, actor: Actor, form: dict, household: list[dict], today: date) -> DuplicateCheck:
    """The registration form's check before saving: field messages, or the duplicates it may show.

    Unlike ``register`` it never raises for a duplicate, so the audit rows of the matches shown commit
    with the caller's transaction. Field errors of the form itself come as ``hard``.
    """
    try:
        checked = _check_form(session, actor, form, household, today)
    except FormErrors as exc:
        return DuplicateCheck(hard=exc.errors)
    return find_duplicates(session, actor, checked.values)


def register(
    session: Session, actor: Actor, form: dict, household: list[dict], today: date, confirmed: bool = False
) -> Person:
    """Register a new statushouder; raises ``ValueError`` subclasses the form shows per field.

    The UI calls ``precheck`` first, in its own transaction, and that audits the matches it shows; here
    a refusal rolls back anyway and a confirmed registration shows nothing more, so nothing is recorded.
    """
    checked = _check_form(session, actor, form, household, today)
    found = find_duplicates(session, actor, checked.values, record=False)
    if found.hard:
        raise FormErrors(found.hard)
    if found.soft and not confirmed:
        raise DuplicateFound(found.soft)
    person = Person(**checked.values, created_at=datetime.now(timezone.utc), created_by=actor.user_id)
    person.household = [HouseholdMember(**member) for member in checked.household]
    session.add(person)
    session.flush()
    audit.record(session, actor, audit.CHANGE, "dossier aangemaakt", "registratie statushouder", person.id)
    return person


@dataclass(frozen=True)
class ListRow:
    person_id: int
    name: str
    birth_date: str
    country: str
    status: str
    municipality: str
    letter_language: str
    intake: str = ""
    plan: str = ""
    pip: str = ""
    case_owner: str = ""
    next_deadline: str = ""


# Sort keys the list accepts (from the URL: anything else gives the default). The labels are the column names.
SORT_KEYS = ("name", "municipality", "plan", "deadline", "owner")
DEFAULT_SORT = "name"


def sort_key(raw) -> str:
    """A whitelisted sort key; an unknown or missing one is the default (by name)."""
    text = str(raw or "")
    return text if text in SORT_KEYS else DEFAULT_SORT


def _word_matches(word: str, may_see_bsn: bool):
    """One search word matches a part of the name (Latin or own script), the V-number,
    the full BSN (only for a role that may see BSNs: otherwise a search would reveal one)
    or the birth date written dd-mm-jjjj. Every word must match, so "selam tesfa" finds Selam Tesfay."""
    term = f"%{word.lower()}%"
    options = [
        func.lower(Person.family_name).like(term),
        func.lower(Person.given_names).like(term),
        Person.v_number.like(f"%{word}%"),
        Person.name_own_script.like(f"%{word}%"),
    ]
    if may_see_bsn and word.isdigit() and len(word) == 9:
        options.append(Person.bsn == word)  # whole BSN only: no guessing by fragments
    try:
        options.append(Person.birth_date == datetime.strptime(word, "%d-%m-%Y").date())
    except ValueError:
        pass
    return or_(*options)


def _action_visible(actor: Actor, dialect: str):
    """SQL condition on ``PlanAction``: the actor sees this action (``plan_policy.sees_action``, set-based).

    The gemeente sees every action; a partner the actions it owns or that were shared with it
    (``visible_to``, a JSON list of organisation ids: ``json_each`` on SQLite, ``@>`` on PostgreSQL).
    """
    from sqlalchemy import cast, exists, literal, true

    from .models import PlanAction

    if actor.kind == "gemeente":
        return true()
    org = actor.organisation_id
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        shared = cast(PlanAction.visible_to, JSONB).contains(cast(literal(f"[{int(org)}]"), JSONB))
    else:
        each = func.json_each(PlanAction.visible_to).table_valued("value")
        shared = exists(select(literal(1)).select_from(each).where(each.c.value == org))
    return or_(PlanAction.owner_id == org, shared)


def _labels(row, sees_pip: bool) -> dict[str, str]:
    """The status columns of one list row, in the staff UI language."""
    from . import pip as pip_rules
    from . import plans

    intake = "—"
    if row.intake_held_at is not None:
        intake = _("gehouden {day}").format(day=row.intake_held_at.strftime("%Y-%m-%d"))
    elif row.intake_at is not None:
        intake = _("gepland {day}").format(day=row.intake_at.strftime("%Y-%m-%d"))
    plan = _(plans.PLAN_STATUSES[row.plan_status]) if row.plan_status in plans.PLAN_STATUSES else "—"
    if not sees_pip:
        pip = _("niet zichtbaar")
    elif row.residence_status == "temporary_protection" or not row.integration_duty:
        pip = _("geen PIP")
    elif row.pip_version is not None:
        pip = _("versie {version}, {route}").format(
            version=row.pip_version, route=_(pip_rules.ROUTES.get(row.pip_route, row.pip_route or "")))
    else:
        pip = _("nog niet vastgesteld")
    return {"intake": intake, "plan": plan, "pip": pip}


def list_persons(
    session: Session,
    actor: Actor,
    today: date,
    search: str = "",
    status: str = "",
    page: int = 0,
    page_size: int = 25,
    sort: str = DEFAULT_SORT,
    descending: bool = False,
) -> tuple[list[ListRow], int]:
    """One page of the persons the actor may see, with the total count for paging.

    Sorted on the server by a whitelisted key (``SORT_KEYS``; unknown: by name), ties by name and id.
    The page's rows come from one query: the plan and the case owner by outer join, the next visible
    deadline and the current PIP by correlated subqueries, so the page costs the same for 25 or 2,000
    persons' worth of plans (plus one count query for the paging).
    """
    from sqlalchemy import case, false, literal_column
    from sqlalchemy.orm import aliased

    from .models import Pip, Plan, PlanAction, User

    problem = char_problem(search or "", _("Zoeken"))
    if problem:
        raise FormErrors({"search": problem})
    if len(search or "") > SEARCH_MAX:
        raise FormErrors({"search": _("{label} is te lang (maximaal {max_len} tekens).").format(
            label=_("Zoeken"), max_len=SEARCH_MAX)})
    if status and status not in RESIDENCE_STATUSES:
        status = ""
    sort = sort_key(sort)
    groups = policy.role_groups(actor.kind, actor.role)
    conditions = [policy.person_filter(actor, today)]
    may_see_bsn = policy.BSN in groups
    for word in search.split():
        conditions.append(_word_matches(word, may_see_bsn))
    if status:
        conditions.append(Person.residence_status == status)
    total = session.scalar(select(func.count(Person.id)).where(*conditions)) or 0

    dialect = session.get_bind().dialect.name
    owner = aliased(User)
    deadline = (
        select(func.min(PlanAction.due_date))
        .where(PlanAction.plan_id == Plan.id, PlanAction.status != "klaar", PlanAction.due_date.is_not(None),
               _action_visible(actor, dialect))
        .correlate(Plan)
        .scalar_subquery()
    )
    sees_pip = policy.LEARNING in groups  # the PIP is the learning route's decision (plan_policy.sees_pip)
    current = (Pip.person_id == Person.id, Pip.current.is_(True)) if sees_pip else (false(),)
    pip_version = select(Pip.version).where(*current).order_by(Pip.version.desc()).limit(1).correlate(Person)
    pip_route = select(Pip.route).where(*current).order_by(Pip.version.desc()).limit(1).correlate(Person)
    query = (
        select(
            Person.id, Person.given_names, Person.family_name, Person.name_own_script, Person.birth_date,
            Person.country_of_origin, Person.residence_status, Person.integration_duty, Person.municipality,
            Person.letter_language,
            Plan.status.label("plan_status"), Plan.intake_at, Plan.intake_held_at,
            owner.full_name.label("case_owner"), deadline.label("next_deadline"),
            pip_version.scalar_subquery().label("pip_version"), pip_route.scalar_subquery().label("pip_route"),
        )
        .outerjoin(Plan, Plan.person_id == Person.id)
        .outerjoin(owner, owner.id == Plan.regisseur_id)
        .where(*conditions)
    )
    by_name = [func.lower(Person.family_name), func.lower(Person.given_names), Person.id]
    first = {
        "name": None,
        "municipality": Person.municipality,
        "plan": case({"intake": 1, "concept": 2, "actief": 3}, value=Plan.status, else_=0),
        "deadline": literal_column("next_deadline"),  # the select list's subquery, not evaluated again
        "owner": func.lower(owner.full_name),
    }[sort]
    order = [o.desc() if descending else o.asc() for o in ([first] if first is not None else []) + by_name]
    if sort in ("deadline", "owner"):
        order[0] = order[0].nulls_last()  # persons without a deadline or case owner last, both ways
    rows = session.execute(query.order_by(*order).offset(page * page_size).limit(page_size)).all()
    audit.record(session, actor, audit.READ, f"lijst bekeken ({len(rows)} van {total} personen)", "overzicht")
    audit.record_many(session, actor, audit.READ,
                      "in lijst getoond (naam, geboortedatum, herkomst, status, intake, plan, PIP, casusregisseur)",
                      "overzicht", [r.id for r in rows])
    return [
        ListRow(
            r.id,
            display_name(r),
            r.birth_date.isoformat(),
            COUNTRIES.get(r.country_of_origin, r.country_of_origin),
            RESIDENCE_STATUSES[r.residence_status],
            r.municipality,
            languages.get(r.letter_language).name_nl,
            case_owner=r.case_owner or "—",
            next_deadline=r.next_deadline.isoformat() if r.next_deadline else "—",
            **_labels(r, sees_pip),
        )
        for r in rows
    ], total


def _get_visible(session: Session, actor: Actor, person_id: int, today: date) -> tuple[Person, frozenset[str]]:
    person = session.get(Person, person_id)
    groups = policy.visible_groups(actor, person, session, today) if person else frozenset()
    if not groups:
        raise AccessDenied(_("Dit dossier bestaat niet of u heeft er geen toegang toe."))
    return person, groups


def open_file(session: Session, actor: Actor, person_id: int, today: date, why: str = "dossier geopend") -> PersonFile:
    """The person's file as this actor may see it; the read is logged, a refusal too."""
    try:
        person, groups = _get_visible(session, actor, person_id, today)
    except AccessDenied:
        audit.record_refusal(session, actor, "toegang geweigerd", why, person_id)
        raise
    shown = {
        group: [(label, _display(column, getattr(person, column))) for column, label in GROUP_FIELDS[group]]
        for group in policy.FIELD_GROUPS
        if group in groups and GROUP_FIELDS[group]
    }
    household = []
    if policy.FAMILY in groups:
        household = [
            {"name": m.name, "relationship": RELATIONSHIPS[m.relationship_kind], "birth_date": m.birth_date.isoformat(),
             "where": _("in het buitenland, komt later (gezinshereniging)") if m.abroad
             else _("aangekomen op {day}").format(day=m.arrived_on.isoformat()) if m.arrived_on else ""}
            for m in person.household
        ]
    hidden = [policy.GROUP_LABELS[g] for g in policy.FIELD_GROUPS if g not in groups]
    audit.record(session, actor, audit.READ, "dossier bekeken: " + ", ".join(sorted(groups)), why, person.id)
    return PersonFile(person.id, display_name(person), shown, household, hidden)


@dataclass(frozen=True)
class ConsentRow:
    consent_id: int
    organisation: str
    purpose: str
    given_on: str
    language: str
    interpreter_present: bool
    withdrawn: bool


def partner_organisations(session: Session, basis: str) -> list[list[str]]:
    """[id, name] of the organisations that work with persons on this basis (contract or consent)."""
    kinds = [k for k, v in policy.ORGANISATION_KINDS.items() if v.basis == basis]
    orgs = session.scalars(select(Organisation).where(Organisation.kind.in_(kinds)).order_by(Organisation.name))
    return [[str(org.id), org.name] for org in orgs]


def consents_of(session: Session, actor: Actor, person_id: int, today: date) -> list[ConsentRow]:
    """Consents recorded for the person (the regisseur manages them)."""
    policy.require(actor, policy.MAY_RECORD_CONSENT, _("toestemmingen inzien"))
    _get_visible(session, actor, person_id, today)
    rows = session.execute(
        select(Consent, Organisation.name)
        .join(Organisation, Organisation.id == Consent.organisation_id)
        .where(Consent.person_id == person_id)
        .order_by(Consent.id)
    ).all()
    return [
        ConsentRow(
            c.id,
            org,
            policy.ORGANISATION_KINDS[_kind_of(session, c.organisation_id)].purpose_label,
            c.given_on.isoformat(),
            languages.get(c.language).name_nl,
            c.interpreter_present,
            c.withdrawn_at is not None,
        )
        for c, org in rows
    ]


def _kind_of(session: Session, organisation_id: int) -> str:
    return session.get(Organisation, organisation_id).kind


def record_consent(
    session: Session, actor: Actor, person_id: int, organisation_id: int, language: str, interpreter_present: bool, today: date
) -> Consent:
    """Consent for one partner for that partner's purpose, as given at the intake."""
    policy.require(actor, policy.MAY_RECORD_CONSENT, _("toestemming vastleggen"))
    _get_visible(session, actor, person_id, today)
    org = session.get(Organisation, organisation_id)
    if org is None or policy.ORGANISATION_KINDS[org.kind].basis != policy.CONSENT:
        raise FormErrors({"organisation": _("Voor deze organisatie is geen toestemming nodig of mogelijk.")})
    kind = policy.ORGANISATION_KINDS[org.kind]
    active = session.scalar(
        select(Consent.id).where(
            Consent.person_id == person_id,
            Consent.organisation_id == org.id,
            Consent.purpose == kind.purpose,
            Consent.withdrawn_at.is_(None),
        )
    )
    if active:
        raise FormErrors({"organisation": _("Er is al een geldige toestemming voor {organisation}.").format(
            organisation=org.name)})
    consent = Consent(
        person_id=person_id,
        organisation_id=org.id,
        purpose=kind.purpose,
        text_version=CONSENT_TEXT_VERSION,
        language=languages.normalise(language),
        interpreter_present=interpreter_present,
        given_on=today,
        recorded_by=actor.user_id,
    )
    session.add(consent)
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"toestemming vastgelegd voor {org.name} ({kind.purpose_label})", "toestemming", person_id)
    return consent


def withdraw_consent(session: Session, actor: Actor, consent_id: int, today: date) -> None:
    """Withdraw a consent; the partner loses access with the next query."""
    policy.require(actor, policy.MAY_RECORD_CONSENT, _("toestemming intrekken"))
    consent = session.get(Consent, consent_id)
    if consent is None:
        raise AccessDenied(_("Deze toestemming bestaat niet."))
    _get_visible(session, actor, consent.person_id, today)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = datetime.now(timezone.utc)
        consent.withdrawn_by = actor.user_id
        org = session.get(Organisation, consent.organisation_id)
        audit.record(session, actor, audit.CHANGE, f"toestemming ingetrokken voor {org.name}", "intrekking toestemming", consent.person_id)
        callbacks.lapse_without_access(session, actor, session.get(Person, consent.person_id), consent.withdrawn_at)


def link_partner(session: Session, actor: Actor, person_id: int, organisation_id: int, today: date) -> None:
    """Involve a contract partner (a taalschool) in the person's trajectory."""
    policy.require(actor, policy.MAY_REGISTER, _("partners koppelen"))
    _get_visible(session, actor, person_id, today)
    org = session.get(Organisation, organisation_id)
    if org is None or policy.ORGANISATION_KINDS[org.kind].basis != policy.CONTRACT:
        raise FormErrors({"organisation": _(
            "Alleen partners met een contract worden gekoppeld; andere partners hebben toestemming nodig.")})
    exists = session.scalar(
        select(PartnerLink.id).where(
            PartnerLink.person_id == person_id, PartnerLink.organisation_id == org.id, PartnerLink.ended_at.is_(None)
        )
    )
    if not exists:
        session.add(PartnerLink(person_id=person_id, organisation_id=org.id, since=today))
        audit.record(session, actor, audit.CHANGE, f"partner gekoppeld: {org.name}", "regie", person_id)


def set_move_date(session: Session, actor: Actor, person_id: int, raw: str, today: date) -> None:
    """Record the move into the municipality; COA's access ends after this date."""
    policy.require(actor, policy.MAY_REGISTER, _("de verhuisdatum vastleggen"))
    person, _groups = _get_visible(session, actor, person_id, today)
    try:
        moved = parse_date_in_window(raw, _("Verhuisdatum"), today)
    except ValueError as exc:
        raise FormErrors({"move_date": str(exc)}) from None
    if person.koppeling_date and moved < person.koppeling_date:
        raise FormErrors({"move_date": _("De verhuizing kan niet vóór de koppeling liggen.")})
    before = person.move_date
    person.move_date = moved
    if before != moved:
        audit.record(session, actor, audit.CHANGE,
                     f"Verhuisdatum gewijzigd: {_display('move_date', before)} → {moved.isoformat()}",
                     change_why("move_date"), person_id)


MILESTONE_LABELS = {"housing_offer_date": staff_message("Datum woningaanbod"),
                    "first_lesson_date": staff_message("Datum eerste taalles")}
# The step each milestone cannot precede: (person column, how a message names it).
MILESTONE_NOT_BEFORE = {"housing_offer_date": ("koppeling_date", staff_message("de koppeling")),
                        "first_lesson_date": ("permit_date", staff_message("de vergunning"))}


def milestones_of(session: Session, person_id: int) -> dict[str, str]:
    """The recorded chain milestones as ISO dates ('' when not recorded), for the file page."""
    row = session.get(PersonMilestone, person_id)
    return {key: (getattr(row, key).isoformat() if row and getattr(row, key) else "") for key in MILESTONE_LABELS}


def set_milestone(session: Session, actor: Actor, person_id: int, key: str, raw: str, today: date) -> None:
    """Record when the housing offer came or the first language lesson took place (dashboard throughput).

    An empty value clears a date entered by mistake. A date in the future or before the step
    it follows (koppeling for the offer, permit for the first lesson) is refused.
    """
    if key not in MILESTONE_LABELS:
        raise FormErrors({"milestone": _("Onbekende mijlpaal.")})
    label = _(MILESTONE_LABELS[key])
    policy.require(actor, policy.MAY_RECORD_MILESTONE[key], _("{milestone} vastleggen").format(milestone=label.lower()))
    person, _groups = _get_visible(session, actor, person_id, today)
    day = None
    if str(raw or "").strip():
        try:
            day = parse_date(raw, label)
        except ValueError as exc:
            raise FormErrors({key: str(exc)}) from None
        if day > today:
            raise FormErrors({key: _("{label} kan niet in de toekomst liggen.").format(label=label)})
        try:
            check_in_window(day, label, today)
        except ValueError as exc:
            raise FormErrors({key: str(exc)}) from None
        column, step = MILESTONE_NOT_BEFORE[key]
        earliest = getattr(person, column)
        if earliest and day < earliest:
            raise FormErrors({key: _("{label} kan niet vóór {step} ({earliest}) liggen.").format(
                label=label, step=_(step), earliest=earliest.isoformat())})
    row = session.get(PersonMilestone, person_id) or PersonMilestone(person_id=person_id)
    setattr(row, key, day)
    session.add(row)
    shown = day.isoformat() if day else "gewist"
    audit.record(session, actor, audit.CHANGE, f"{MILESTONE_LABELS[key].lower()}: {shown}",
                 policy.ORGANISATION_KINDS[actor.kind].purpose, person_id)


def add_household_member(session: Session, actor: Actor, person_id: int, member: dict, today: date) -> HouseholdMember:
    """A household member who arrives later (family reunification); checked like at registration."""
    from .validation import _check_household

    person, _groups = _get_visible(session, actor, person_id, today)
    policy.require_edit(actor, policy.FAMILY)
    errors: dict[str, str] = {}
    checked = _check_household([member], today, errors)
    if errors:
        raise FormErrors({key.replace("household.0.", ""): message for key, message in errors.items()})
    row = HouseholdMember(**checked[0])
    person.household.append(row)
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"Gezin gewijzigd: gezinslid toegevoegd: {member_line(row)}",
                 change_why(HOUSEHOLD), person_id)
    return row


def member_line(member: HouseholdMember) -> str:
    """One household member as the file's history shows it: "Lina (kind, 2017-04-11)", "…, in het buitenland)"."""
    relation = RELATIONSHIPS.get(member.relationship_kind, member.relationship_kind).lower()
    return f"{member.name} ({relation}, {member.birth_date.isoformat()}{', in het buitenland' if member.abroad else ''})"
