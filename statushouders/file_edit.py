"""Editing a person's file after registration (issue 18): a misspelt BRP name, a wrong health note.

Every role changes the field groups ``policy.edit_groups`` gives it, in a file it may open. A change:

- is checked with the registration's own field checks (``validation.check_person_fields``): the stored
  file is the form, the edited fields go over it, and the messages of the fields that changed (and of
  the rules they take part in, e.g. residence status and integration duty) come back per field;
- is saved only for the fields whose value really changed;
- is refused when someone saved the same field group since the editor was opened: each group has a
  ``version`` (a digest of its stored values) that the form carries; a stale save raises ``StaleFile``
  with the newer values, the way ``plans.update_action`` refuses a stale action;
- is audited one field per entry, with the old and new value; for the sensitive groups (BSN, health,
  finances) only that the field changed ("gewijzigd"), never the values;
- shows in the file's list of changes (``history``): date, who, field, old → new, only for field groups
  the reader sees.

A change of the letter language reaches the next letter (letters read ``person.letter_language`` when they
are produced); the plan's template actions read the household when they are generated; the budget's household
type is decided by financien, so a household change shows a warning on the file (``budget_warning``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, config, languages, policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import AuditEntry, HouseholdMember, Person
from .policy import AccessDenied, Actor
from .register import (
    CHANGE_WHY, GROUP_FIELDS, HOUSEHOLD, FormErrors, _display, change_why, find_duplicates, member_line,
)
from .validation import _check_household, check_person_fields, is_checked

# Not edited here: a move to another municipality is a hand-over (life event "move"), and the move date
# has its own form with its own rule (not before the koppeling; COA's access ends after it).
NOT_EDITED = frozenset({"municipality", "move_date"})
EDITABLE: dict[str, tuple[str, ...]] = {
    group: tuple(column for column, _label in fields if column not in NOT_EDITED)
    for group, fields in GROUP_FIELDS.items() if fields
}
LABELS: dict[str, str] = {column: label for fields in GROUP_FIELDS.values() for column, label in fields}
GROUP_OF: dict[str, str] = {column: group for group, fields in GROUP_FIELDS.items() for column, _l in fields}
GROUP_OF[HOUSEHOLD] = policy.FAMILY
HOUSEHOLD_LABEL = staff_message("Gezin")
# The audit log and the list of changes say only that these changed, never the values (BSN, health, IBAN).
SENSITIVE = frozenset({policy.BSN, policy.HEALTH, policy.FINANCES})
CHECKBOXES = frozenset({"integration_duty", "interpreter_needed"})
_LANGUAGE_LISTS = frozenset({"spoken_languages", "read_languages"})
# A rule's message sits on one field but another field can break it: {field with the message: fields that
# take part}. A change to a taking-part field brings the message back too (on the changed field when the
# message's own field is not in the form).
RELATED: dict[str, tuple[str, ...]] = {
    "integration_duty": ("residence_status",),
    "permit_date": ("residence_status",),
    "koppeling_date": ("permit_date",),
    "azc": ("address",),
    "preferred_channel": ("literacy",),
}


class StaleFile(Exception):
    """Someone else saved this field group first; ``values`` and ``version`` are the newer ones."""

    def __init__(self, values: dict, version: str):
        super().__init__(_(
            "Iemand anders heeft dit dossier net gewijzigd. Uw wijziging is niet opgeslagen; u ziet nu de nieuwste "
            "gegevens. Breng uw wijziging opnieuw aan als die nog nodig is."))
        self.values = values
        self.version = version


@dataclass
class EditForm:
    """What the editor of one field group starts from: the stored values as the form shows them."""

    group: str
    version: str
    values: dict[str, str] = field(default_factory=dict)  # column -> form value
    members: list[dict[str, str]] = field(default_factory=list)  # FAMILY: id, name, relationship, birth_date


def _form_value(person: Person, column: str) -> str:
    """A stored value as the edit form shows (and sends back) it."""
    value = getattr(person, column)
    if column in CHECKBOXES:
        return "on" if value else ""
    if column in _LANGUAGE_LISTS:
        return ", ".join(languages.spoken_name_nl(code) for code in value or [])
    if column == "mother_tongue":
        return languages.spoken_name_nl(value) if value else ""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _members(person: Person) -> list[dict[str, str]]:
    return [{"id": str(m.id), "name": m.name, "relationship": m.relationship_kind,
             "birth_date": m.birth_date.isoformat(), "abroad": "on" if m.abroad else ""} for m in person.household]


def version_of(person: Person, group: str) -> str:
    """A digest of the group's stored values: it changes with every saved change to the group.

    Only handed to someone who may edit (and so sees) the group; it needs no column of its own.
    """
    if group == policy.FAMILY:
        data = [[m.id, m.name, m.relationship_kind, m.birth_date.isoformat(), m.abroad] for m in person.household]
    else:
        data = [[column, getattr(person, column)] for column, _label in GROUP_FIELDS[group]]
    raw = json.dumps([person.id, group, data], default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _editable_group(raw) -> str:
    group = str(raw or "")
    if group not in policy.FIELD_GROUPS or (group != policy.FAMILY and group not in EDITABLE):
        raise FormErrors({"form": _("Onbekende groep gegevens.")})
    return group


def _open_for_edit(session: Session, actor: Actor, person_id: int, group: str, today: date) -> Person:
    """The person, locked for this transaction, when the actor may open the file and change the group.

    A refusal is logged (in a transaction of its own) and raised with a message that names the group.
    """
    person = session.scalars(
        select(Person).where(Person.id == person_id).with_for_update().execution_options(populate_existing=True)
    ).one_or_none()
    groups = policy.visible_groups(actor, person, session, today) if person is not None else frozenset()
    why = change_why(group)
    if not groups:
        audit.record_refusal(session, actor, "wijziging geweigerd: geen toegang", why, person_id)
        raise AccessDenied(_("Dit dossier bestaat niet of u heeft er geen toegang toe."))
    try:
        policy.require_edit(actor, group)
    except AccessDenied:
        audit.record_refusal(session, actor, f"wijziging geweigerd: {group}", why, person_id)
        raise
    return person


def edit_form(session: Session, actor: Actor, person_id: int, raw_group, today: date) -> EditForm:
    """Open the editor of one field group (refused, and logged, for a group the role may not change)."""
    group = _editable_group(raw_group)
    person = _open_for_edit(session, actor, person_id, group, today)
    return _form_of(person, group)


def _form_of(person: Person, group: str) -> EditForm:
    if group == policy.FAMILY:
        return EditForm(group, version_of(person, group), members=_members(person))
    return EditForm(group, version_of(person, group), {c: _form_value(person, c) for c in EDITABLE[group]})


def _check_version(person: Person, group: str, version) -> None:
    if str(version or "") != version_of(person, group):
        latest = _form_of(person, group)
        raise StaleFile(latest.members if group == policy.FAMILY else latest.values, latest.version)


def _touched(person: Person, group: str, form: dict) -> dict[str, object]:
    """The group's fields whose submitted value differs from what the form showed: {column: raw value}."""
    touched: dict[str, object] = {}
    for column in EDITABLE[group]:
        if column not in form:
            continue
        raw = form[column]
        if column in CHECKBOXES:
            if is_checked(form, column) != bool(getattr(person, column)):
                touched[column] = "on" if is_checked(form, column) else ""
        elif not isinstance(raw, str) or raw.replace("\r\n", "\n").strip() != _form_value(person, column):
            touched[column] = raw
    return touched


def _relevant_errors(errors: dict[str, str], touched: dict, group: str) -> dict[str, str]:
    """The messages an edit shows: of the changed fields, and of the rules a changed field takes part in."""
    shown: dict[str, str] = {}
    for key, message in errors.items():
        if key in touched:
            shown.setdefault(key, message)
            continue
        causes = [c for c in RELATED.get(key, ()) if c in touched]
        if causes:
            shown.setdefault(key if key in EDITABLE[group] else causes[0], message)
    return shown


def _audit_change(session: Session, actor: Actor, person: Person, column: str, old, new) -> None:
    label = LABELS[column]
    if GROUP_OF[column] in SENSITIVE:
        what = f"{label} gewijzigd"
    else:
        what = f"{label} gewijzigd: {_display(column, old)} → {_display(column, new)}"
    audit.record(session, actor, audit.CHANGE, what, change_why(column), person.id)


def update_group(session: Session, actor: Actor, person_id: int, raw_group, version, form: dict,
                 today: date) -> list[str]:
    """Save the changed fields of one field group; returns the labels of the fields that changed.

    Only the named group's columns are read from ``form``; a column left out keeps its value. Raises
    ``AccessDenied`` (group not the role's to change, file not to open), ``StaleFile`` (someone saved
    the group since ``version``) or ``FormErrors`` (per field, like at registration).
    """
    group = _editable_group(raw_group)
    if group == policy.FAMILY:
        raise FormErrors({"form": _("Het gezin wijzigt u per gezinslid.")})
    person = _open_for_edit(session, actor, person_id, group, today)
    _check_version(person, group, version)
    form = form if isinstance(form, dict) else {}
    touched = _touched(person, group, form)
    if not touched:
        return []
    stored = {column: _form_value(person, column) for column in LABELS}
    values, errors = check_person_fields({**stored, **touched}, today)
    shown = _relevant_errors(errors, touched, group)
    if shown:
        raise FormErrors(shown)
    changes = {column: values[column] for column in touched if values[column] != getattr(person, column)}
    identifiers = {key: changes[key] for key in ("bsn", "v_number") if changes.get(key)}
    if identifiers:
        found = find_duplicates(session, actor, identifiers, exclude_id=person.id, similar=False)
        if found.hard:
            raise FormErrors(found.hard)
    for column, new in changes.items():
        old = getattr(person, column)
        setattr(person, column, new)
        _audit_change(session, actor, person, column, old, new)
    try:
        session.flush()
    except IntegrityError:  # the same BSN or V-number saved elsewhere at this very moment
        raise FormErrors({key: _("Dit nummer hoort al bij een geregistreerde persoon.") for key in identifiers}
                         or {"form": _("Opslaan is niet gelukt; probeer het opnieuw.")}) from None
    return [LABELS[column] for column in changes]


# --- the household --------------------------------------------------------------------------------


def _member_of(person: Person, member_id) -> HouseholdMember:
    from .validation import parse_id

    wanted = parse_id(member_id)
    member = next((m for m in person.household if m.id == wanted), None)
    if member is None:
        raise FormErrors({"member": _("Dit gezinslid bestaat niet (meer) in dit dossier.")})
    return member


def _check_member(raw: dict, today: date) -> dict:
    errors: dict[str, str] = {}
    checked = _check_household([raw if isinstance(raw, dict) else {}], today, errors)
    if errors:
        raise FormErrors({key.replace("household.0.", ""): message for key, message in errors.items()})
    return checked[0]


def _audit_household(session: Session, actor: Actor, person: Person, text: str) -> None:
    audit.record(session, actor, audit.CHANGE, f"Gezin gewijzigd: {text}", change_why(HOUSEHOLD), person.id)


def add_member(session: Session, actor: Actor, person_id: int, version, member: dict, today: date) -> HouseholdMember:
    """A household member who was missing (or arrives later): ``register.add_household_member`` after the
    version check, so two staff adding the same child at once do not both succeed."""
    from .register import add_household_member

    person = _open_for_edit(session, actor, person_id, policy.FAMILY, today)
    _check_version(person, policy.FAMILY, version)
    return add_household_member(session, actor, person_id, member if isinstance(member, dict) else {}, today)


def update_member(session: Session, actor: Actor, person_id: int, member_id, version, member: dict,
                  today: date) -> bool:
    """Correct a household member (name, relationship, birth date); False when nothing changed."""
    person = _open_for_edit(session, actor, person_id, policy.FAMILY, today)
    _check_version(person, policy.FAMILY, version)
    row = _member_of(person, member_id)
    values = _check_member(member, today)
    before = member_line(row)
    if all(getattr(row, key) == value for key, value in values.items()):
        return False
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    _audit_household(session, actor, person, f"{before} → {member_line(row)}")
    return True


def remove_member(session: Session, actor: Actor, person_id: int, member_id, version, today: date) -> None:
    """Take out a household member registered by mistake (a departure is a life event)."""
    person = _open_for_edit(session, actor, person_id, policy.FAMILY, today)
    _check_version(person, policy.FAMILY, version)
    row = _member_of(person, member_id)
    line = member_line(row)
    person.household.remove(row)
    session.flush()
    _audit_household(session, actor, person, f"gezinslid verwijderd: {line}")


# --- reading: the list of changes and the budget warning ------------------------------------------


@dataclass(frozen=True)
class FileChange:
    at: str
    who: str
    organisation: str
    field: str
    change: str


def _column_of(why: str) -> str | None:
    prefix = CHANGE_WHY + " ("
    if why.startswith(prefix) and why.endswith(")"):
        return why[len(prefix):-1]
    return None


def history(session: Session, actor: Actor, person_id: int, today: date, limit: int = 200) -> list[FileChange]:
    """The file's changes, newest first: when, who, which field, old → new (the sensitive ones: "gewijzigd").

    Read back from the audit log (the changes are written there anyway, tamper-evident); a reader sees
    only the changes to field groups it sees. The registration itself is the oldest line.
    """
    person = session.get(Person, person_id)
    groups = policy.visible_groups(actor, person, session, today) if person is not None else frozenset()
    if not groups:
        audit.record_refusal(session, actor, "toegang geweigerd", "wijzigingen van het dossier", person_id)
        raise AccessDenied(_("Dit dossier bestaat niet of u heeft er geen toegang toe."))
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.user_name, AuditEntry.organisation, AuditEntry.what, AuditEntry.why)
        .where(AuditEntry.person_id == person_id, AuditEntry.action == audit.CHANGE,
               or_(AuditEntry.why.like(CHANGE_WHY + " (%"), AuditEntry.what == "dossier aangemaakt"))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    changes: list[FileChange] = []
    for at, who, organisation, what, why in rows:
        when = config.local_time(at)
        column = _column_of(why)
        if column is None:
            changes.append(FileChange(when, who, organisation, _("Dossier"), _("aangemaakt (registratie)")))
            continue
        group = GROUP_OF.get(column)
        if group is None or group not in groups:
            continue
        label = LABELS.get(column, HOUSEHOLD_LABEL)
        if group in SENSITIVE:
            text = _("gewijzigd")
        else:
            prefix = f"{label} gewijzigd: "
            text = what[len(prefix):] if what.startswith(prefix) else what
        changes.append(FileChange(when, who, organisation, _(label), text))
    if changes:
        audit.record(session, actor, audit.READ, f"wijzigingen van het dossier bekeken ({len(changes)})",
                     "dossier geopend", person_id)
    return changes


@dataclass(frozen=True)
class BudgetWarning:
    message: str
    href: str


def budget_warning(session: Session, actor: Actor, person_id: int, today: date) -> BudgetWarning | None:
    """A warning when the household changed after the budget's household type was last recorded.

    The budget's household type (and so its leefgeld norm) is financien's decision: the file only says
    that it should be checked, with what the household now suggests (``norms.suggest_household``). Shown
    to whoever sees the person's finances; it goes away once financien records the household type again.
    """
    from .budget import config as budget_config
    from .budget.norms import household_on, suggest_household
    from .models import Budget

    person = session.get(Person, person_id)
    groups = policy.visible_groups(actor, person, session, today) if person is not None else frozenset()
    if policy.FINANCES not in groups:
        return None
    budget = session.scalar(select(Budget).where(Budget.person_id == person_id))
    if budget is None:
        return None
    changed = session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.person_id == person_id, AuditEntry.action == audit.CHANGE,
        AuditEntry.why == change_why(HOUSEHOLD)))
    if changed is None:
        return None
    recorded = session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.person_id == person_id, AuditEntry.action == audit.CHANGE, AuditEntry.why == "budget",
        or_(AuditEntry.what == "uitkering vastgelegd", AuditEntry.what.like("leefsituatie gewijzigd%"))))
    if recorded is not None and recorded > changed:
        return None
    from .budget.norms import HouseholdPeriod

    periods = [HouseholdPeriod(h.valid_from, h.kind) for h in budget.households]
    now = household_on(periods, today) or (periods[0].kind if periods else "")
    suggested = suggest_household(person.birth_date,
                                  [(m.relationship_kind, m.birth_date) for m in person.household_here], today)

    def kind(key: str) -> str:
        return _(budget_config.HOUSEHOLD_KINDS.get(key, key)).lower() if key else "—"

    message = _(
        "Het huishouden is gewijzigd nadat de leefsituatie in het budget is vastgelegd. Controleer de leefsituatie "
        "van het budget (nu: {now}; het huishouden wijst op: {suggested})."
    ).format(now=kind(now), suggested=kind(suggested))
    return BudgetWarning(message, f"/budget?id={person_id}")
