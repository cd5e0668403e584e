"""Need-to-know: which person files a staff member may open, and which field groups they see.

One table decides it (domain brief section 7). Every query that returns person data
goes through ``person_filter`` (which persons) and ``visible_groups`` (which fields),
so the rules live here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, case, cast, exists, false, literal, or_, select, true, union
from sqlalchemy.sql.elements import ColumnElement

from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import Consent, Organisation, PartnerLink, Person

# Field groups of a person's file. "bsn" is split off identity: only partners with
# a legal basis may see the citizen service number.
IDENTITY, BSN, CONTACT, HEALTH, FINANCES, LEARNING, FAMILY = (
    "identity", "bsn", "contact", "health", "finances", "learning", "family",
)
FIELD_GROUPS = (IDENTITY, BSN, CONTACT, HEALTH, FINANCES, LEARNING, FAMILY)

GROUP_LABELS = {
    IDENTITY: staff_message("Identiteit"),
    BSN: staff_message("BSN"),
    CONTACT: staff_message("Contact"),
    HEALTH: staff_message("Gezondheid en functionele beperkingen"),
    FINANCES: staff_message("Financiën"),
    LEARNING: staff_message("Leerroute"),
    FAMILY: staff_message("Gezin"),
}

# Organisation kinds and the basis on which they process person data.
LAW, CONTRACT, CONSENT = "law", "contract", "consent"


@dataclass(frozen=True)
class OrganisationKind:
    label: str
    basis: str  # LAW, CONTRACT or CONSENT
    purpose: str  # the purpose consent is asked for (CONSENT basis only)
    purpose_label: str


ORGANISATION_KINDS = {
    "gemeente": OrganisationKind("Gemeente", LAW, "regie", "Regie op inburgering en participatie"),
    "coa": OrganisationKind("COA", LAW, "opvang", "Opvang en warme overdracht"),
    "taalschool": OrganisationKind("Taalschool", CONTRACT, "leerroute", "Uitvoering van de leerroute"),
    "vwn": OrganisationKind(
        "VluchtelingenWerk", CONSENT, "maatschappelijke_begeleiding", "Maatschappelijke begeleiding"
    ),
    "budgetcoach": OrganisationKind("Budgetcoach", CONSENT, "budgetcoaching", "Budgetcoaching"),
}

# (organisation kind, role) -> Dutch label and the field groups that role needs.
ROLES: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("gemeente", "regisseur"): (staff_message("Regisseur / klantmanager"), frozenset(FIELD_GROUPS)),
    ("gemeente", "financien"): (staff_message("Financiën"), frozenset({IDENTITY, BSN, CONTACT, FINANCES, FAMILY})),
    ("gemeente", "coordinator"): (staff_message("Coördinator"), frozenset({IDENTITY, LEARNING})),
    ("gemeente", "privacy"): (staff_message("Privacy officer"), frozenset({IDENTITY})),
    ("coa", "medewerker"): (staff_message("COA-medewerker"), frozenset({IDENTITY, BSN, CONTACT, HEALTH, LEARNING, FAMILY})),
    ("vwn", "begeleider"): (staff_message("Maatschappelijk begeleider"), frozenset({IDENTITY, CONTACT, HEALTH, FAMILY})),
    ("taalschool", "docent"): (staff_message("Taalschool"), frozenset({IDENTITY, CONTACT, LEARNING})),
    ("budgetcoach", "coach"): (staff_message("Budgetcoach"), frozenset({IDENTITY, CONTACT, FINANCES})),
}

# Every organisation has account administrators ("beheerder", issue 21): they manage the staff accounts of their
# own organisation and see no person files at all (no field groups).
ADMIN_ROLE = "beheerder"
for _kind in ORGANISATION_KINDS:
    ROLES[(_kind, ADMIN_ROLE)] = (staff_message("Beheerder"), frozenset())
MAY_MANAGE_ACCOUNTS = {(kind, ADMIN_ROLE) for kind in ORGANISATION_KINDS}

# Field groups whose roles must sign in with a second factor when they use a local password (BIO);
# the setting STATUSHOUDERS_TOTP_GROUPS overrides them (see ``requires_second_factor``).
SENSITIVE_GROUPS = frozenset({BSN, HEALTH, FINANCES})


def roles_of(kind: str) -> list[tuple[str, str]]:
    """(role, Dutch label) of every role an organisation of this kind can give."""
    return [(role, label) for (k, role), (label, _groups) in ROLES.items() if k == kind]


def requires_second_factor(kind: str, role: str) -> bool:
    """Whether a local account in this role must use TOTP: the role sees a sensitive field group, or it is
    an administrator (who could otherwise hand out such a role), or STATUSHOUDERS_TOTP_ALL is set.

    Unknown roles are required too (they cannot sign in anyway): the safe side.
    """
    from . import config  # policy imports no settings at module level

    if (kind, role) not in ROLES or config.totp_all() or role == ADMIN_ROLE:
        return True
    return bool(role_groups(kind, role) & config.totp_groups(SENSITIVE_GROUPS))


# Editing a person's file (issue 18): which field groups each role may change. Always a part of what the
# role sees (checked below). The gemeente regisseur corrects everything (BRP data, BSN, household); a partner
# corrects only what its own work is about: contact details it hears first, the functional limitations it
# works with (COA, VWN), the learning data (COA's pre-integration, the taalschool), the leefgeld IBAN
# (financien). The coordinator, the privacy officer and administrators change nothing.
EDIT_GROUPS: dict[tuple[str, str], frozenset[str]] = {
    ("gemeente", "regisseur"): frozenset({IDENTITY, BSN, CONTACT, HEALTH, FINANCES, LEARNING, FAMILY}),
    ("gemeente", "financien"): frozenset({CONTACT, FINANCES}),
    ("coa", "medewerker"): frozenset({CONTACT, HEALTH, LEARNING}),
    ("vwn", "begeleider"): frozenset({CONTACT, HEALTH}),
    ("taalschool", "docent"): frozenset({LEARNING}),
    ("budgetcoach", "coach"): frozenset({CONTACT}),
}
for _key, _groups in EDIT_GROUPS.items():
    assert _groups <= ROLES[_key][1], f"{_key} would edit field groups it cannot see"


def edit_groups(actor: "Actor") -> frozenset[str]:
    """Field groups this actor may change in a file it may open (nothing for unknown roles)."""
    return EDIT_GROUPS.get(actor.key, frozenset()) & role_groups(actor.kind, actor.role)


def require_edit(actor: "Actor", group: str) -> None:
    """Refuse a change to a field group this role may not change, naming the role and the group."""
    if group not in edit_groups(actor):
        label = _(GROUP_LABELS[group]) if group in GROUP_LABELS else group
        raise AccessDenied(_("U mag als {role} ({organisation}) de gegevens van '{group}' niet wijzigen.").format(
            role=_(actor.role_label), organisation=actor.organisation, group=label))


# Roles with powers beyond reading files.
MAY_REGISTER = {("gemeente", "regisseur")}
MAY_RECORD_CONSENT = {("gemeente", "regisseur")}
MAY_READ_AUDIT = {("gemeente", "privacy")}

# Letters: which letter types a role may produce, list and download (only for persons
# whose file it may open). Finance letters stay with finance and the budget coach.
_ALL_LETTERS = frozenset({
    "intake_invitation", "plan_summary", "plan_full", "pip_summary", "temporary_protection",
    "ontzorgen_decision", "payment_overview", "school_enrolment", "progress_talk", "ontzorgen_end",
})
LETTER_TYPES_BY_ROLE: dict[tuple[str, str], frozenset[str]] = {
    ("gemeente", "regisseur"): _ALL_LETTERS,
    ("gemeente", "financien"): frozenset({"ontzorgen_decision", "payment_overview", "ontzorgen_end"}),
    ("budgetcoach", "coach"): frozenset({"payment_overview", "ontzorgen_end"}),
    ("taalschool", "docent"): frozenset({"school_enrolment"}),
    ("vwn", "begeleider"): frozenset({"intake_invitation", "progress_talk"}),
}


def letter_types(actor: "Actor") -> frozenset[str]:
    """Letter types this actor may produce and see in a person's letter list."""
    return LETTER_TYPES_BY_ROLE.get(actor.key, frozenset())


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member, always resolved on the server from the login session."""

    user_id: int
    name: str
    organisation_id: int
    organisation: str
    kind: str
    role: str
    municipality: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.role)

    @property
    def role_label(self) -> str:
        return ROLES[self.key][0]

    @property
    def purpose(self) -> str:
        return ORGANISATION_KINDS[self.kind].purpose


class AccessDenied(PermissionError):
    """The actor may not see or change this. The message is shown to the user as is."""


def role_groups(kind: str, role: str) -> frozenset[str]:
    """Field groups a role may see once it may open the file at all; nothing for unknown roles."""
    entry = ROLES.get((kind, role))
    return entry[1] if entry else frozenset()


@dataclass(frozen=True)
class Relation:
    """What links an organisation to one person, as far as access is concerned."""

    same_municipality: bool = False
    moved_on: date | None = None
    linked: bool = False
    consent: bool = False


def may_open(kind: str, relation: Relation, today: date) -> bool:
    """Whether an organisation of this kind may open the person's file at all."""
    basis = ORGANISATION_KINDS[kind].basis if kind in ORGANISATION_KINDS else None
    if kind == "gemeente":
        return relation.same_municipality
    if kind == "coa":
        return relation.moved_on is None or today <= relation.moved_on
    if basis == CONTRACT:
        return relation.linked
    if basis == CONSENT:
        return relation.consent
    return False


def decide(kind: str, role: str, relation: Relation, today: date) -> frozenset[str]:
    """The field groups this role sees of this person: empty when the file may not be opened."""
    if not may_open(kind, relation, today):
        return frozenset()
    return role_groups(kind, role)


def _partner_rows(actor: Actor, today: date):
    """(table, conditions) of the rows that give a partner access to a person; None when nothing does."""
    basis = ORGANISATION_KINDS[actor.kind].basis
    if basis == CONTRACT:
        return PartnerLink, (PartnerLink.organisation_id == actor.organisation_id,
                             or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > today))
    if basis == CONSENT:
        return Consent, (Consent.organisation_id == actor.organisation_id, Consent.purpose == actor.purpose,
                         Consent.withdrawn_at.is_(None))
    return None


def _person_condition(actor: Actor, today: date) -> ColumnElement[bool] | None:
    """The access rule of gemeente and COA, a condition on ``Person`` itself; None for partners."""
    if actor.kind == "gemeente":
        return Person.municipality == (actor.municipality or "")
    if actor.kind == "coa":
        return or_(Person.move_date.is_(None), Person.move_date >= today)
    return None


def person_filter(actor: Actor, today: date) -> ColumnElement[bool]:
    """SQL condition on ``Person`` that keeps exactly the persons ``may_open`` allows."""
    if not role_groups(*actor.key):  # unknown roles and administrators: no person files
        return false()
    own = _person_condition(actor, today)
    if own is not None:
        return own
    rows = _partner_rows(actor, today)
    if rows is None:
        return false()
    table, conditions = rows
    return exists(select(table.id).where(table.person_id == Person.id, *conditions))


def person_ids(actor: Actor, today: date) -> Select:
    """The ids of exactly the persons ``person_filter`` keeps, as a SELECT to use in ``IN (...)``.

    For partners it reads the consents or partner links themselves (one index range), so a
    query over many persons need not test an EXISTS per person.
    """
    if not role_groups(*actor.key):
        return select(Person.id).where(false())
    own = _person_condition(actor, today)
    if own is not None:
        return select(Person.id).where(own)
    rows = _partner_rows(actor, today)
    if rows is None:
        return select(Person.id).where(false())
    table, conditions = rows
    return select(table.person_id).where(*conditions)


def audience(actor: Actor) -> str | None:
    """The group of viewers whose persons are exactly this actor's (see ``audiences``); None: nobody's."""
    if not role_groups(*actor.key):
        return None
    if actor.kind == "gemeente":
        return f"m:{actor.municipality or ''}"
    if actor.kind == "coa":
        return "coa"
    return f"o:{actor.organisation_id}" if ORGANISATION_KINDS[actor.kind].basis in (CONSENT, CONTRACT) else None


def audiences(persons: list[int] | None, today) -> Select:
    """(person id, audience) for every group of viewers that may open the person, ``person_filter`` set-based.

    "m:<municipality>": the gemeente; "coa": COA; "o:<organisation id>": a partner by consent or
    contract. ``persons`` (ids) limits the persons, None means all; ``today`` is a date
    or a bound parameter.
    """
    def rows(person, audience) -> Select:
        q = select(person.label("person_id"), audience.label("audience"))
        return q if persons is None else q.where(person.in_(persons))

    consent_kinds = {k: v.purpose for k, v in ORGANISATION_KINDS.items() if v.basis == CONSENT}
    contract_kinds = [k for k, v in ORGANISATION_KINDS.items() if v.basis == CONTRACT]
    org = literal("o:") + cast(Organisation.id, String)
    return union(
        rows(Person.id, literal("m:") + Person.municipality),
        rows(Person.id, literal("coa")).where(or_(Person.move_date.is_(None), Person.move_date >= today)),
        rows(Consent.person_id, org).join(Organisation, Organisation.id == Consent.organisation_id)
        .where(Organisation.kind.in_(consent_kinds), Consent.withdrawn_at.is_(None),
               Consent.purpose == case(consent_kinds, value=Organisation.kind)),
        rows(PartnerLink.person_id, org).join(Organisation, Organisation.id == PartnerLink.organisation_id)
        .where(Organisation.kind.in_(contract_kinds), or_(PartnerLink.ended_at.is_(None), PartnerLink.ended_at > today)),
    )


def access_changed_between(lo: date, hi: date) -> Select:
    """Persons whom some viewer may open on one of the two days but not on the other (lo <= hi)."""
    return union(
        select(Person.id).where(Person.move_date >= lo, Person.move_date < hi),
        select(PartnerLink.person_id).where(PartnerLink.ended_at > lo, PartnerLink.ended_at <= hi),
    )


def visible_groups(actor: Actor, person: Person, session, today: date) -> frozenset[str]:
    """Field groups ``actor`` sees of ``person``, checked against the database now."""
    allowed = session.scalar(select(true()).where(Person.id == person.id, person_filter(actor, today)))
    return role_groups(actor.kind, actor.role) if allowed else frozenset()


def require(actor: Actor, power: set[tuple[str, str]], what: str) -> None:
    """Refuse an action this role may not take; ``what`` (the action) is in the staff UI language."""
    if actor.key not in power:
        raise AccessDenied(_("U mag als {role} ({organisation}) niet {what}.").format(
            role=_(actor.role_label), organisation=actor.organisation, what=what))


# Budget module (issue 5): who records budgets, tailors ontzorgen, runs payments, coaches.
MAY_EDIT_BUDGET = {("gemeente", "financien")}
MAY_SET_ONTZORGEN = {("gemeente", "financien"), ("gemeente", "regisseur")}
MAY_ASSIGN_COACH = {("gemeente", "financien"), ("gemeente", "regisseur")}
MAY_RUN_PAYMENTS = {("gemeente", "financien")}
MAY_COACH = {("budgetcoach", "coach")}
# Income and commitments (informal debts, remittances) that feed the leefgeld check: financien and the coach;
# income from work also from the regisseur's life event in the plan.
MAY_RECORD_BUDGET_LINES = MAY_EDIT_BUDGET | MAY_COACH
MAY_RECORD_WORK_INCOME = MAY_EDIT_BUDGET | {("gemeente", "regisseur")}
# Chain milestones without another home: who records the housing offer and the first lesson.
MAY_RECORD_MILESTONE = {
    "housing_offer_date": {("gemeente", "regisseur")},
    "first_lesson_date": {("gemeente", "regisseur"), ("taalschool", "docent")},
}
MAY_RUN_PERSONAS = {("gemeente", "coordinator"), ("gemeente", "regisseur")}  # persona runs on a scratch database

# "Call me" from the own view (issue 8): the role that is the person's contact at each partner kind
# calls back. Every one of them sees the person's CONTACT group, so the phone number is theirs to see.
MAY_HANDLE_CALLBACKS = {
    ("gemeente", "regisseur"),
    ("coa", "medewerker"),
    ("vwn", "begeleider"),
    ("taalschool", "docent"),
    ("budgetcoach", "coach"),
}
