"""Letter sources from the shared plan: the plan-of-action summary and the PIP decision."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from .. import pip, plans
from ..catalogs import staff_text as _
from ..policy import Actor
from .contexts import PipSummary, PlanAction, PlanSummary
from .sources import NotAvailable, common, partner_names, register

OBJECTION_TERM = timedelta(weeks=6)  # bezwaartermijn (Awb 6:7)


def plan_actions(session: Session, person_id: int) -> tuple[PlanAction, ...]:
    """Every action not yet done, and the person's own part of it as a line of its own."""
    lines = []
    for line in plans.plan_summary(session, person_id):
        if line.status == plans.STATUSES["klaar"]:
            continue
        lines.append(PlanAction(what=line.what, who=line.owner, due=line.due_date))
        if line.own_part:
            lines.append(PlanAction(what=line.own_part, who="", due=line.due_date, by_person=True))
    return tuple(lines)


@register("plan_summary")
def plan_summary(session: Session, actor: Actor, person_id: int, options: dict) -> PlanSummary:
    actions = plan_actions(session, person_id)
    if not actions:
        raise NotAvailable(_("Er is nog geen plan van aanpak met open acties voor deze persoon."))
    next_talk = options.get("next_talk")
    return PlanSummary(**common(session, actor, person_id, options), actions=actions,
                       next_talk=date.fromisoformat(next_talk) if next_talk else None)


@register("pip_summary")
def pip_summary(session: Session, actor: Actor, person_id: int, options: dict) -> PipSummary:
    current = pip.current_pip(session, person_id)
    if current is None:
        raise NotAvailable(_("Er is nog geen PIP-besluit voor deze persoon."))
    words = pip.pip_summary(session, person_id)
    base = common(session, actor, person_id, options)
    support = tuple(text for text in (current.preconditions, current.guidance, current.monitoring, current.vve) if text)
    schools = partner_names(session, person_id, base["letter_date"])
    return PipSummary(
        **base, route=current.route, decision_date=current.decided_on, term_end=date.fromisoformat(words.term_end),
        school=schools[0] if schools else "", support=support,
        objection_before=current.decided_on + OBJECTION_TERM,
    )
