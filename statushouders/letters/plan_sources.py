"""Letter sources from the shared plan: the plan-of-action summary and the PIP decision."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from sqlalchemy import select

from .. import pip, plans
from ..catalogs import staff_text as _
from ..models import Organisation, Person
from ..models import Pip as PipRow
from ..policy import Actor
from .contexts import PipSummary, PlanAction, PlanFull, PlanFullLine, PlanSummary, TemporaryProtection
from .sources import NotAvailable, common, partner_names, register

OBJECTION_TERM = timedelta(weeks=6)  # bezwaartermijn (Awb 6:7)

# The person's plan letter (docs/letters.md, "The person's plan letter"): only what the person
# does and what is done for them in the coming three months, by date; a short letter (at most
# two pages per language) for people who read little or get intensive (L1) guidance.
HORIZON = timedelta(days=92)
MAX_ITEMS_SHORT = 6
MAX_ITEMS = 10
# Action kinds the person reads about. "controle" actions are staff checks ("Controlemoment: ...?"):
# they are in the staff document, never in the person's letter.
PERSON_KINDS = ("begeleid", "coaching", "informatie")


def short_letter(person: Person, plan) -> bool:
    """A short letter for anyone who does not read well or has intensive (L1) guidance in any domain."""
    return person.literacy != "literate" or any(a.level == "L1" for a in plan.assessments)


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


def person_lines(session: Session, plan, today: date, short: bool) -> tuple[tuple[PlanAction, ...], int]:
    """(lines the person reads, how many open actions are left out), sorted by date.

    One line per open action: the person's own part when there is one ("what you do", with the
    organisation that helps), else the partner's action when it is done with or for the person.
    Staff checks are left out. Only what is due within ``HORIZON`` (overdue included); a short
    letter also leaves out undated actions and stops at ``MAX_ITEMS_SHORT``.
    """
    names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    candidates = []
    for action in plan.actions:
        if action.status == "klaar":
            continue
        owner = names.get(action.owner_id, "")
        if action.own_part:
            candidates.append(PlanAction(what=action.own_part, who="", due=action.due_date, by_person=True,
                                         with_whom=owner))
        elif action.kind in PERSON_KINDS:
            candidates.append(PlanAction(what=action.what, who=owner, due=action.due_date))
    horizon = today + HORIZON
    soon = [a for a in candidates if (a.due is not None and a.due <= horizon) or (a.due is None and not short)]
    soon.sort(key=lambda a: (a.due or date.max, not a.by_person))
    limit = MAX_ITEMS_SHORT if short else MAX_ITEMS
    shown = tuple(soon[:limit])
    open_total = sum(1 for a in plan.actions if a.status != "klaar")
    return shown, max(0, open_total - len(shown))


def _plan(session: Session, person_id: int):
    from ..models import Plan

    return session.scalar(select(Plan).where(Plan.person_id == person_id))


@register("plan_summary")
def plan_summary(session: Session, actor: Actor, person_id: int, options: dict) -> PlanSummary:
    plan = _plan(session, person_id)
    if plan is None or not plan.actions:
        raise NotAvailable(_("Er is nog geen plan van aanpak met open acties voor deze persoon."))
    if plan.status != "actief" or plan.agreed_at is None:
        raise NotAvailable(_(
            "Het plan is nog een concept: de statushouder heeft er nog niet mee ingestemd. Bespreek het plan met "
            "de persoon en leg eerst de instemming vast; daarna kan de samenvatting voor de persoon gemaakt worden. "
            "Het volledige plan (intern) kan wel."))
    base = common(session, actor, person_id, options)
    person = session.get(Person, person_id)
    actions, more = person_lines(session, plan, base["letter_date"], short_letter(person, plan))
    if not actions:
        raise NotAvailable(_("Er zijn de komende drie maanden geen open acties voor deze persoon."))
    next_talk = options.get("next_talk")
    return PlanSummary(**base, actions=actions, next_talk=date.fromisoformat(next_talk) if next_talk else None,
                       horizon_end=base["letter_date"] + HORIZON, more=more)


@register("plan_full")
def plan_full(session: Session, actor: Actor, person_id: int, options: dict) -> PlanFull:
    """Every action of the plan for the chain (Dutch, internal): also for a draft, marked as such."""
    plan = _plan(session, person_id)
    if plan is None or not plan.actions:
        raise NotAvailable(_("Er is nog geen plan van aanpak voor deze persoon."))
    base = common(session, actor, person_id, options)
    base["language"] = "nl"  # a staff document: never translated, never sent
    names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    order = list(plans.DOMAINS)
    actions = sorted(plan.actions, key=lambda a: (order.index(a.domain) if a.domain in order else 99,
                                                  a.due_date or date.max, a.id))
    lines = tuple(
        PlanFullLine(plans.DOMAINS.get(a.domain, a.domain), a.what, names.get(a.owner_id, "?"), a.kind, a.own_part,
                     a.due_date, plans.STATUSES.get(a.status, a.status))
        for a in actions
    )
    return PlanFull(**base, lines=lines, plan_status=plans.PLAN_STATUSES.get(plan.status, plan.status),
                    draft=plan.status != "actief")


@register("pip_summary")
def pip_summary(session: Session, actor: Actor, person_id: int, options: dict) -> PipSummary:
    current = pip.current_pip(session, person_id)
    if current is None:
        person = session.get(Person, person_id)
        if person is not None and person.residence_status == "temporary_protection":
            raise NotAvailable(_("Deze persoon heeft tijdelijke bescherming en dus geen PIP. Maak de brief "
                                 "'Tijdelijke bescherming: geen PIP, wel hulp': die legt het uit in beide talen."))
        raise NotAvailable(_("Er is nog geen PIP-besluit voor deze persoon."))
    words = pip.pip_summary(session, person_id)
    base = common(session, actor, person_id, options)
    support = _support(current)
    schools = partner_names(session, person_id, base["letter_date"])
    previous = None
    if current.version > 1:
        previous = session.scalar(select(PipRow).where(PipRow.person_id == person_id,
                                                       PipRow.version == current.version - 1))
    return PipSummary(
        **base, route=current.route, decision_date=current.decided_on, term_end=date.fromisoformat(words.term_end),
        school=schools[0] if schools else "", support=support,
        objection_before=current.decided_on + OBJECTION_TERM,
        version=current.version, change_kind=current.change_kind if previous is not None else "eerste",
        reason=current.reason or "", changes=pip_changes(previous, current),
    )


@register("temporary_protection")
def temporary_protection(session: Session, actor: Actor, person_id: int, options: dict) -> TemporaryProtection:
    """Why there is no PIP (no integration duty under temporary protection) and what the municipality offers."""
    from .. import case_owner

    person = session.get(Person, person_id)
    if person is None or person.residence_status != "temporary_protection":
        raise NotAvailable(_("Deze brief is alleen voor personen met tijdelijke bescherming. Deze persoon heeft "
                             "een andere verblijfsstatus."))
    base = common(session, actor, person_id, options)
    language_schools = set(session.scalars(select(Organisation.name).where(Organisation.kind == "taalschool")))
    schools = [name for name in partner_names(session, person_id, base["letter_date"]) if name in language_schools]
    return TemporaryProtection(
        **base, children=any(m.relationship_kind == "child" for m in person.household_here),
        school=schools[0] if schools else "", case_owner=case_owner.name_of(session, _plan(session, person_id)),
    )


def _support(row) -> tuple[str, ...]:
    """The PIP's free-text support lines (Dutch): preconditions, guidance, monitoring, VVE."""
    return tuple(text for text in (row.preconditions, row.guidance, row.monitoring, row.vve) if text)


def pip_changes(previous, current) -> tuple[str, ...]:
    """What a new PIP version changed against the one before: route, level, term, support lines."""
    if previous is None:
        return ()
    changes = []
    if previous.route != current.route:
        changes.append("route")
    if previous.language_level != current.language_level:
        changes.append("level")
    if (previous.term_start, previous.duration_months, previous.term_extension_months) != (
            current.term_start, current.duration_months, current.term_extension_months):
        changes.append("term")
    if _support(previous) != _support(current):
        changes.append("support")
    return tuple(changes)
