"""*Vandaag* (issue 18): what needs doing today, per role, each item pointing at the page where it is done.

One function, ``overview``, gives a section per kind of work, or None for a section that is not this
role's work:

- **intakes** this week (today and the six days after it) not yet marked held. The gemeente's regisseur
  and coordinator see every intake in their municipality; a partner's contact role only the intakes its
  organisation is invited to. Link: the plan.
- **actions** of the actor's own organisation that are overdue or due this week, not done; the ones
  assigned to the actor first. For the roles that work on actions (``ACTION_ROLES``). Link: the plan (and,
  for finance roles, the budget of a finance action).
- **callbacks**: open "call me" requests to the actor's organisation (``callbacks.open_for_staff``, which
  decides who handles them). Link: the person's file.
- **runs**: payment runs of the municipality that wait for a second approver (financien only). A run the
  actor prepared waits for a colleague; a run a colleague prepared the actor may approve. Link: /betaalruns.
- **norms**: persons with an integration duty and no PIP yet whose PIP deadline (BRP registration +
  ``brp_to_pip_days``, plans/norms.yaml) has passed or is at most ``pip_warning_days`` (plans/facts.yaml)
  away, for the gemeente roles that see the learning route (regisseur, coordinator). Without a recorded
  BRP date the move date counts as the registration (``move_to_brp_days`` after it), marked as estimated.
  Link: the plan.

Which persons appear is decided by ``policy.person_filter`` as everywhere else, so a partner sees its own
organisation's work only. Every person shown is recorded in the audit log, per section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Generic, TypeVar

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from . import audit, callbacks, pip as pip_rules, policy
from .budget.runs import PREPARED
from .models import PaymentRun, Person, Pip, Plan, PlanAction, PlanParticipant, User
from .plan_templates import facts_config, norms
from .plans import WEEK_DAYS
from .policy import Actor
from .register import display_name

LIMIT = 25  # items per section on the page; ``total`` says how many there are in all
REGIE, COORDINATOR = ("gemeente", "regisseur"), ("gemeente", "coordinator")
# Roles that take part in joint intakes: the gemeente's director and coordinator, and each partner's contact.
INTAKE_ROLES = frozenset({REGIE, COORDINATOR, ("coa", "medewerker"), ("vwn", "begeleider"), ("taalschool", "docent"),
                          ("budgetcoach", "coach")})
# Roles that work on plan actions: the above and financien. Not the privacy officer (whose work is the access
# log) nor administrators (who see no person files).
ACTION_ROLES = INTAKE_ROLES | {("gemeente", "financien")}
FINANCE_ROLES = policy.MAY_EDIT_BUDGET | policy.MAY_COACH  # the budget page is where their finance actions are done

T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    """The first ``LIMIT`` items of a section and how many there are in all."""

    items: tuple[T, ...]
    total: int
    more_href: str = ""  # where the whole list is, when ``total`` is more than the items shown


@dataclass(frozen=True)
class IntakeItem:
    person_id: int
    person_name: str
    at: datetime  # as scheduled (the time typed in, stored without conversion)
    location: str
    mine: bool  # the actor is the person's case owner
    href: str


@dataclass(frozen=True)
class ActionItem:
    action_id: int
    person_id: int
    person_name: str
    domain: str  # plan_templates.DOMAINS key
    what: str
    due_date: date
    overdue: bool
    status: str  # plans.STATUSES key
    worker: str  # the assigned worker's name, "" when nobody is assigned
    mine: bool  # assigned to the actor
    href: str
    budget_href: str = ""  # finance roles: the person's budget, for a finance action


@dataclass(frozen=True)
class CallbackItem:
    request_id: int
    person_id: int
    person_name: str
    requested_at: datetime
    part_of_day: str  # callbacks.PARTS_OF_DAY
    language: str  # the Dutch name of the language to call back in
    interpreter_needed: bool
    attempts: int
    href: str
    mine: bool = False  # the actor is the person's case owner (their requests come first)


@dataclass(frozen=True)
class RunItem:
    run_id: int
    month: date
    correction: bool
    payments: int
    total_cents: int
    prepared_by: str
    may_approve: bool  # False: the actor prepared it, a colleague must approve it
    href: str = "/betaalruns"


@dataclass(frozen=True)
class NormItem:
    person_id: int
    person_name: str
    registered: date  # BRP registration in the municipality
    registration_estimated: bool  # no BRP date recorded: the move date plus move_to_brp_days
    deadline: date  # the PIP must be decided by then
    days_left: int  # negative: that many days past the norm
    has_plan: bool  # an intake has been scheduled (there is a plan)
    mine: bool  # the actor is the person's case owner
    href: str


@dataclass(frozen=True)
class Today:
    day: date
    week_end: date  # the last day of "this week"
    intakes: Section[IntakeItem] | None
    actions: Section[ActionItem] | None
    callbacks: Section[CallbackItem] | None
    runs: Section[RunItem] | None
    norms: Section[NormItem] | None

    @property
    def sections(self) -> list[Section]:
        """The sections this role has (empty ones included)."""
        return [s for s in (self.intakes, self.actions, self.callbacks, self.runs, self.norms) if s is not None]


def overview(session: Session, actor: Actor, today: date) -> Today:
    """Everything on *Vandaag* for this actor on ``today``, each person shown recorded in the audit log."""
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    sees_persons = bool(policy.role_groups(*actor.key))
    result = Today(
        day=today,
        week_end=week_end,
        intakes=_intakes(session, actor, today) if sees_persons and actor.key in INTAKE_ROLES else None,
        actions=_actions(session, actor, today, week_end) if sees_persons and actor.key in ACTION_ROLES else None,
        callbacks=_callbacks(session, actor, today) if callbacks.may_handle(actor) else None,
        runs=_runs(session, actor) if actor.key in policy.MAY_RUN_PAYMENTS else None,
        norms=_norms(session, actor, today) if _sees_norms(actor) else None,
    )
    audit.record(session, actor, audit.READ, "vandaag bekeken (" + ", ".join(
        f"{name} {section.total}" for name, section in (
            ("intakes", result.intakes), ("acties", result.actions), ("terugbelverzoeken", result.callbacks),
            ("betaalruns", result.runs), ("normen", result.norms)) if section is not None) + ")", "vandaag")
    for section, what in ((result.intakes, "op vandaag getoond: intake (naam, moment, locatie)"),
                          (result.actions, "op vandaag getoond: actie (naam, actie, deadline)"),
                          (result.norms, "op vandaag getoond: PIP-termijn (naam, inschrijving, deadline)")):
        if section is not None:
            audit.record_many(session, actor, audit.READ, what, "vandaag",
                              sorted({item.person_id for item in section.items}))
    return result


def _plan_href(person_id: int) -> str:
    return f"/plan?id={person_id}"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _intakes(session: Session, actor: Actor, today: date) -> Section[IntakeItem]:
    mine = Plan.regisseur_id == actor.user_id
    query = (
        select(Plan, Person).join(Person, Person.id == Plan.person_id)
        .where(policy.person_filter(actor, today), Plan.intake_held_at.is_(None),
               Plan.intake_at >= _start_of(today), Plan.intake_at < _start_of(today + timedelta(days=WEEK_DAYS)))
    )
    if actor.kind != "gemeente":  # a partner: only the intakes it is invited to
        query = query.where(exists(select(PlanParticipant.id).where(
            PlanParticipant.plan_id == Plan.id, PlanParticipant.organisation_id == actor.organisation_id)))
    total = _count(session, query)
    rows = session.execute(query.order_by(case((mine, 0), else_=1), Plan.intake_at, Plan.id).limit(LIMIT)).all()
    return Section(tuple(
        IntakeItem(person.id, display_name(person), plan.intake_at, plan.intake_location,
                   plan.regisseur_id == actor.user_id, _plan_href(person.id))
        for plan, person in rows), total)


def _actions(session: Session, actor: Actor, today: date, week_end: date) -> Section[ActionItem]:
    mine = PlanAction.worker_id == actor.user_id
    query = (
        select(PlanAction, Person, User.full_name)
        .join(Plan, Plan.id == PlanAction.plan_id)
        .join(Person, Person.id == Plan.person_id)
        .outerjoin(User, User.id == PlanAction.worker_id)
        .where(PlanAction.owner_id == actor.organisation_id, policy.person_filter(actor, today),
               PlanAction.status != "klaar", PlanAction.due_date <= week_end)
    )
    total = _count(session, query)
    rows = session.execute(
        query.order_by(case((mine, 0), else_=1), PlanAction.due_date, PlanAction.id).limit(LIMIT)).all()
    finance = actor.key in FINANCE_ROLES
    items = tuple(
        ActionItem(
            action.id, person.id, display_name(person), action.domain, action.what, action.due_date,
            action.due_date < today, action.status, worker or "", action.worker_id == actor.user_id,
            _plan_href(person.id), f"/budget?id={person.id}" if finance and action.domain == "financien" else "",
        )
        for action, person, worker in rows
    )
    return Section(items, total, "/acties?deadline=te-laat" if total > len(items) else "")


def _callbacks(session: Session, actor: Actor, today: date) -> Section[CallbackItem]:
    rows = callbacks.open_for_staff(session, actor, today)  # audits the persons it returns
    return Section(tuple(
        CallbackItem(r.request_id, r.person_id, r.person_name, r.requested_at, r.part_of_day, r.language,
                     r.interpreter_needed, r.attempts, f"/dossier?id={r.person_id}", r.mine)
        for r in rows[:LIMIT]), len(rows), "/acties" if len(rows) > LIMIT else "")


def _runs(session: Session, actor: Actor) -> Section[RunItem]:
    runs = session.scalars(
        select(PaymentRun).where(PaymentRun.municipality == (actor.municipality or ""), PaymentRun.status == PREPARED)
        .order_by(PaymentRun.month, PaymentRun.id)).all()
    names = dict(session.execute(select(User.id, User.full_name).where(
        User.id.in_({r.prepared_by for r in runs}))).all()) if runs else {}
    ordered = sorted(runs, key=lambda r: (r.prepared_by == actor.user_id, r.month, r.id))  # approvable first
    return Section(tuple(
        RunItem(r.id, r.month, r.correction, r.payment_count, int(r.total_cents), names.get(r.prepared_by, ""),
                r.prepared_by != actor.user_id)
        for r in ordered[:LIMIT]), len(runs))


def _sees_norms(actor: Actor) -> bool:
    return actor.kind == "gemeente" and policy.LEARNING in policy.role_groups(*actor.key)


def _norms(session: Session, actor: Actor, today: date) -> Section[NormItem]:
    settings = norms()
    to_brp, to_pip = int(settings["move_to_brp_days"]), int(settings["brp_to_pip_days"])
    warn_days = int(facts_config()["pip_warning_days"])
    rows = session.execute(
        select(Person, Plan).outerjoin(Plan, Plan.person_id == Person.id)
        .where(policy.person_filter(actor, today), Person.integration_duty.is_(True),
               ~exists(select(Pip.id).where(Pip.person_id == Person.id)),
               or_(Plan.brp_date.is_not(None), Person.move_date <= today))
    ).all()
    found = []
    for person, plan in rows:
        if pip_rules.no_pip_reason(person):
            continue
        registered = plan.brp_date if plan is not None and plan.brp_date else None
        estimated = registered is None
        if estimated:
            registered = person.move_date + timedelta(days=to_brp)
        deadline = registered + timedelta(days=to_pip)
        days_left = (deadline - today).days
        if days_left > warn_days:
            continue
        found.append(NormItem(person.id, display_name(person), registered, estimated, deadline, days_left,
                              plan is not None, plan is not None and plan.regisseur_id == actor.user_id,
                              _plan_href(person.id)))
    found.sort(key=lambda n: (not n.mine, n.deadline, n.person_id))
    return Section(tuple(found[:LIMIT]), len(found))


def _count(session: Session, query) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0

