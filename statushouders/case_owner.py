"""The one named regisseur (case owner) per person, and the hand-over to a colleague.

Whoever plans the intake becomes the case owner. A hand-over names a colleague: an active
regisseur of the gemeente of the person's own municipality. It is logged in the plan's history.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .catalogs import staff_text as _
from .models import Organisation, Plan, User
from .plan_policy import REGIE
from .plans import _log, _regie
from .policy import Actor
from .register import FormErrors
from .validation import parse_id


def candidates(session: Session, municipality: str) -> list[list[str]]:
    """[user id, name] of the active regisseurs of this municipality's gemeente."""
    rows = session.execute(
        select(User.id, User.full_name).join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), User.role == REGIE[1], Organisation.kind == REGIE[0],
               Organisation.municipality == municipality)
        .order_by(User.full_name)
    ).all()
    return [[str(uid), name] for uid, name in rows]


def name_of(session: Session, plan: Plan | None) -> str:
    """The case owner's name, or "" when nobody is named (yet)."""
    user = session.get(User, plan.regisseur_id) if plan is not None and plan.regisseur_id else None
    return user.full_name if user is not None else ""


def hand_over(session: Session, actor: Actor, person_id: int, raw_user_id: str, today: date) -> str:
    """Name another regisseur as case owner; returns the new owner's name."""
    person, plan = _regie(session, actor, person_id, today, _("de regie overdragen"))
    user_id = parse_id(raw_user_id)
    if user_id is None or str(user_id) not in {uid for uid, _name in candidates(session, person.municipality)}:
        raise FormErrors({"case_owner": _(
            "Kies een actieve regisseur van de gemeente {municipality}.").format(municipality=person.municipality)})
    if user_id == plan.regisseur_id:
        raise FormErrors({"case_owner": _("Deze regisseur is al de casusregisseur.")})
    before = name_of(session, plan) or "—"
    plan.regisseur_id = user_id
    after = name_of(session, plan)
    _log(session, actor, plan, f"casusregisseur: {before} → {after}")
    return after


def file_line(session: Session, person_id: int) -> tuple[str, str]:
    """(case owner, overall level) for the pages about a person; call after the access check."""
    from .overall_level import overall_of

    plan = session.scalar(select(Plan).where(Plan.person_id == person_id))
    return name_of(session, plan), overall_of(plan).label if plan is not None else ""
