"""Who may do what with a plan. Builds on ``policy`` (who may open the person at all).

The gemeente regisseur directs the intake and the PIP; a partner works on the
actions it owns; the gemeente sees every action, a partner only the actions it owns
or that were shared with it; the private part of the intake is for the gemeente only.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from . import policy
from .catalogs import staff_text as _
from .models import Person, PlanAction
from .policy import AccessDenied, Actor

# Which field group a life domain's intake notes belong to (need-to-know for assessments).
DOMAIN_GROUPS = {
    "verblijf": policy.IDENTITY,
    "wonen": policy.CONTACT,
    "inburgering": policy.LEARNING,
    "werk": policy.LEARNING,
    "financien": policy.FINANCES,
    "gezondheid": policy.HEALTH,
    "gezin": policy.FAMILY,
    "sociaal": policy.IDENTITY,
    "dagelijks": policy.IDENTITY,
}
REGIE = ("gemeente", "regisseur")
MAY_RECORD_HOURS = {REGIE, ("taalschool", "docent")}


def open_person(session: Session, actor: Actor, person_id: int, today: date) -> tuple[Person, frozenset[str]]:
    """The person and the field groups the actor sees; refused when the file may not be opened."""
    person = session.get(Person, person_id)
    groups = policy.visible_groups(actor, person, session, today) if person else frozenset()
    if not groups:
        raise AccessDenied(_("Dit plan bestaat niet of u heeft geen toegang tot deze statushouder."))
    return person, groups


def is_regie(actor: Actor, person: Person) -> bool:
    """The gemeente regisseur of the person's own municipality directs the whole plan."""
    return actor.key == REGIE and actor.municipality == person.municipality


def require_regie(actor: Actor, person: Person, what: str) -> None:
    """Refuse unless the actor directs this plan; ``what`` (the action) is in the staff UI language."""
    if not is_regie(actor, person):
        raise AccessDenied(_("Alleen de regisseur van de gemeente {municipality} mag {what}.").format(
            municipality=person.municipality, what=what))


def sees_private(actor: Actor, person: Person) -> bool:
    """The private part of the intake (without partners or household) is for the gemeente only."""
    return is_regie(actor, person)


def sees_action(actor: Actor, action: PlanAction) -> bool:
    """Gemeente: all; a partner: what it owns or what was shared with it."""
    return (
        actor.kind == "gemeente"
        or action.owner_id == actor.organisation_id
        or actor.organisation_id in (action.visible_to or [])
    )


def sees_action_text(actor: Actor, groups: frozenset[str], action: PlanAction) -> bool:
    """Need-to-know on an action's text: its owner, or whoever sees the field group of its domain.

    A partner without that group (the taalschool and a finance action, say) still sees that the
    action exists, who owns it and when it is due, so the chain knows who does what.
    """
    return action.owner_id == actor.organisation_id or DOMAIN_GROUPS.get(action.domain, policy.IDENTITY) in groups


# PIP lines outside the learning route, and the field group that may read them.
PIP_LINE_GROUPS = {"ontzorgen": policy.FINANCES, "vve": policy.FAMILY}


def mask_pip(summary: dict, groups: frozenset[str]) -> dict:
    """A PIP version as a dict with the lines this actor may not read replaced by a notice."""
    masked = dict(summary)
    for line, group in PIP_LINE_GROUPS.items():
        if group not in groups and masked.get(line):
            masked[line] = _("(niet zichtbaar voor uw rol: {group})").format(group=_(policy.GROUP_LABELS[group]))
    return masked


def may_edit_action(actor: Actor, person: Person, action: PlanAction) -> bool:
    return is_regie(actor, person) or action.owner_id == actor.organisation_id


def require_edit_action(actor: Actor, person: Person, action: PlanAction) -> None:
    if not may_edit_action(actor, person, action):
        raise AccessDenied(_("U mag alleen acties van uw eigen organisatie wijzigen; de regisseur kan alles wijzigen."))


def require_add_action(actor: Actor, person: Person, owner_id: int) -> None:
    if not (is_regie(actor, person) or owner_id == actor.organisation_id):
        raise AccessDenied(
            _("U kunt acties toevoegen voor uw eigen organisatie; voor andere partners doet de regisseur dat."))


def sees_domain(groups: frozenset[str], domain: str) -> bool:
    """Whether the intake notes of a domain fall within the field groups the actor sees."""
    return DOMAIN_GROUPS.get(domain, policy.IDENTITY) in groups


def sees_pip(groups: frozenset[str]) -> bool:
    return policy.LEARNING in groups


def require_record_hours(actor: Actor) -> None:
    policy.require(actor, MAY_RECORD_HOURS, _("lesuren vastleggen"))
