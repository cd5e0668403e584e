"""Budget records in the database: read and change them as the signed-in actor, with audit.

Every function takes the ``Actor`` resolved on the server, asks ``policy`` and logs the access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..catalogs import staff_text as _
from ..models import (
    Budget, BudgetDeduction, BudgetHousehold, BudgetLine, CoachAssignment, CoachChecklistItem, CoachNote, Consent,
    ExpectedAllowance, FixedCost, OntzorgenArrangement, OntzorgenCategory, Organisation, PaymentRun, Person, User,
)
from ..policy import AccessDenied, Actor
from ..register import FormErrors
from ..validation import check_text, max_length, parse_int, screen_form
from . import checks, config
from .leefgeld import AllowanceItem, BudgetData, DeductionItem, FixedCostItem, Member, proposed_advance
from .leefgeld import BudgetLine as LineItem
from .money import from_cents, to_cents
from .norms import HouseholdPeriod, add_months, month_start
from .ontzorgen import DIRECT, MODES, Arrangement, CategoryPlan, default_arrangement, validate_arrangement
from .selection import first_payable_month

CHECKLIST = {
    "paperwork": "Administratie op orde",
    "allowances": "Toeslagen gecontroleerd",
    "buffer_plan": "Bufferplan gemaakt",
    "hand_back_ready": "Klaar voor teruggave (einde ontzorgen)",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def open_finances(session: Session, actor: Actor, person_id: int, today: date, why: str) -> Person:
    """The person, if the actor may see their finances; a refusal is logged and raised."""
    person = session.get(Person, person_id)
    groups = policy.visible_groups(actor, person, session, today) if person else frozenset()
    if policy.FINANCES not in groups:
        audit.record_refusal(session, actor, "toegang budget geweigerd", why, person_id)
        raise AccessDenied(_("Dit budget bestaat niet of u heeft er geen toegang toe."))
    return person


def budget_of(session: Session, person_id: int) -> Budget | None:
    return session.scalar(select(Budget).where(Budget.person_id == person_id))


def to_data(budget: Budget, person: Person) -> BudgetData:
    """The plain-Python view of a stored budget, for the rules in this package."""
    arr = None
    if budget.arrangement is not None:
        a = budget.arrangement
        arr = Arrangement(a.start_month, a.months, {
            c.category: CategoryPlan(c.category, c.mode, c.hand_back_month, c.reason) for c in a.categories
        }, a.reason)
    return BudgetData(
        person_id=person.id,
        benefit_start=budget.benefit_start,
        periods=[HouseholdPeriod(h.valid_from, h.kind) for h in budget.households],
        supplement=from_cents(budget.supplement_cents),
        costs=[cost_item(c) for c in budget.fixed_costs],
        deductions=[DeductionItem(d.label, from_cents(d.amount_cents), d.start_month, d.months) for d in budget.deductions],
        allowances=[AllowanceItem(a.kind, from_cents(a.amount_cents), a.expected_from) for a in budget.allowances],
        arrangement=arr,
        person_name=person_sepa_name(person),
        person_iban=person.iban or "",
        lines=[line_item(ln) for ln in budget.lines],
        members=[Member(m.relationship_kind, m.birth_date, m.arrived_on) for m in person.household_here],
    )


def line_item(ln: BudgetLine) -> LineItem:
    return LineItem(ln.kind, ln.label, from_cents(ln.amount_cents), ln.start_month, ln.months)


def pip_ontzorgen_months(session: Session, person_id: int) -> int | None:
    """The ontzorgen term the current PIP records (0 = declined, tailored alternative); None without PIP.

    One source of truth: the arrangement's term is the PIP's term.
    """
    from ..pip import current_pip

    pip = current_pip(session, person_id)
    return None if pip is None else int(pip.ontzorgen_months)


def follow_pip(session: Session, person_id: int, months: int, alternative: str) -> None:
    """A new PIP version sets the arrangement's term (called by ``pip.decide_pip``); no budget: nothing."""
    budget = budget_of(session, person_id)
    if budget is None or budget.arrangement is None:
        return
    row = budget.arrangement
    if months > 0:
        row.months = months
    else:  # declined in the PIP: nothing is paid directly any more
        for c in row.categories:
            if c.mode == DIRECT:
                c.mode, c.reason = "coaching", c.reason or alternative
        row.alternative = row.alternative or alternative
    session.flush()


def cost_item(c: FixedCost) -> FixedCostItem:
    return FixedCostItem(
        c.id, c.category, c.label, c.creditor_name, c.creditor_iban, from_cents(c.amount_cents), c.reference,
        c.structured_reference, c.day_of_month, c.first_month, c.ended_month,
    )


def person_sepa_name(person: Person) -> str:
    """The Latin (BRP) name for the bank; empty when it cannot be sent."""
    try:
        return checks.sepa_name(f"{person.given_names} {person.family_name}")[0]
    except ValueError:
        return ""


def approved_months(session: Session, municipality: str) -> set[date]:
    rows = session.scalars(
        select(PaymentRun.month).where(PaymentRun.municipality == municipality, PaymentRun.status == "approved")
    )
    return set(rows)


def _require_budget(session: Session, person_id: int) -> Budget:
    budget = budget_of(session, person_id)
    if budget is None:
        raise FormErrors({"benefit_start": _("Leg eerst de uitkering vast.")})
    return budget


def save_benefit(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> dict[str, str]:
    """Record or correct the benefit; a new budget gets the default ontzorgen arrangement."""
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("het budget vastleggen"))
    open_finances(session, actor, person_id, today, "budget vastleggen")
    checked = checks.check_benefit(form, today)
    if checked.errors:
        raise FormErrors(checked.errors)
    v = checked.values
    budget = budget_of(session, person_id)
    if budget is None:
        budget = Budget(person_id=person_id, benefit_start=v["benefit_start"], updated_by=actor.user_id, updated_at=_now())
        session.add(budget)
        budget.households = [BudgetHousehold(valid_from=v["benefit_start"], kind=v["household_kind"])]
        arr = default_arrangement(v["benefit_start"])
        pip_months = pip_ontzorgen_months(session, person_id)
        alternative = ""
        if pip_months == 0:  # the PIP records a declined ontzorgen: coaching instead, its alternative
            from ..pip import current_pip

            alternative = current_pip(session, person_id).ontzorgen or ""
            for plan in arr.categories.values():
                if plan.category in config.CORE_CATEGORIES:
                    plan.mode, plan.reason = "coaching", alternative
        elif pip_months:
            arr.months = pip_months
        budget.arrangement = OntzorgenArrangement(
            start_month=arr.start, months=arr.months, reason="", alternative=alternative, coach_offer="",
            updated_by=actor.user_id, updated_at=_now(),
            categories=[OntzorgenCategory(category=c, mode=p.mode, reason=p.reason) for c, p in arr.categories.items()],
        )
    else:
        budget.benefit_start = v["benefit_start"]
        first = budget.households[0] if budget.households else None
        if first is None:
            budget.households = [BudgetHousehold(valid_from=v["benefit_start"], kind=v["household_kind"])]
        else:
            first.valid_from, first.kind = v["benefit_start"], v["household_kind"]
        budget.updated_by, budget.updated_at = actor.user_id, _now()
        if budget.arrangement is not None:
            budget.arrangement.start_month = month_start(v["benefit_start"])
    budget.supplement_cents = to_cents(v["supplement"])
    if v.get("leefgeld_iban"):
        person = session.get(Person, person_id)
        person.iban = v["leefgeld_iban"]
    session.flush()
    audit.record(session, actor, audit.CHANGE, "uitkering vastgelegd", "budget", person_id)
    return checked.notices


def add_household_change(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> None:
    """A household change (e.g. family reunification) changes the norm from its date."""
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("de leefsituatie wijzigen"))
    open_finances(session, actor, person_id, today, "budget wijzigen")
    budget = _require_budget(session, person_id)
    checked = checks.check_household_change(form, budget.benefit_start, today)
    if not checked.errors and any(h.valid_from == checked.values["valid_from"] for h in budget.households):
        checked.errors["change_from"] = _("Op deze datum is al een wijziging vastgelegd.")
    if checked.errors:
        raise FormErrors(checked.errors)
    budget.households.append(BudgetHousehold(**checked.values))
    session.flush()
    audit.record(session, actor, audit.CHANGE, "leefsituatie gewijzigd", "budget", person_id)


def add_fixed_cost(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> dict[str, str]:
    """Add a fixed cost; added after this month's run was approved, it is paid from next month."""
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("vaste lasten vastleggen"))
    person = open_finances(session, actor, person_id, today, "budget wijzigen")
    budget = _require_budget(session, person_id)
    checked = checks.check_fixed_cost(form)
    if checked.errors:
        raise FormErrors(checked.errors)
    v = checked.values
    first = max(first_payable_month(today, approved_months(session, person.municipality)),
                month_start(budget.benefit_start))
    notices = dict(checked.notices)
    if first > month_start(today):
        notices["first_month"] = _(
            "De betaalrun van deze maand is al goedgekeurd: deze vaste last wordt betaald vanaf {month}."
        ).format(month=f"{first:%m-%Y}")
    budget.fixed_costs.append(FixedCost(
        category=v["category"], label=v["label"], creditor_name=v["creditor_name"], creditor_iban=v["creditor_iban"],
        amount_cents=to_cents(v["amount"]), reference=v.get("reference", ""),
        structured_reference=v.get("structured_reference", False), day_of_month=v["day_of_month"],
        first_month=first, added_on=today, added_by=actor.user_id,
    ))
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"vaste last toegevoegd: {v['label']}", "budget", person_id)
    return notices


def end_fixed_cost(session: Session, actor: Actor, person_id: int, cost_id: int, today: date) -> None:
    """Stop a fixed cost from next month on (payments already made stay as they are)."""
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("vaste lasten beëindigen"))
    open_finances(session, actor, person_id, today, "budget wijzigen")
    cost = session.get(FixedCost, cost_id)
    budget = _require_budget(session, person_id)
    if cost is None or cost.budget_id != budget.id:
        raise AccessDenied(_("Deze vaste last hoort niet bij dit budget."))
    cost.ended_month = max(add_months(today, 1), cost.first_month)
    audit.record(session, actor, audit.CHANGE, f"vaste last beëindigd: {cost.label}", "budget", person_id)


def add_deduction(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> None:
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("inhoudingen vastleggen"))
    open_finances(session, actor, person_id, today, "budget wijzigen")
    budget = _require_budget(session, person_id)
    checked = checks.check_deduction(form)
    if checked.errors:
        raise FormErrors(checked.errors)
    v = checked.values
    start = max(month_start(today), month_start(budget.benefit_start))
    budget.deductions.append(BudgetDeduction(label=v["label"], amount_cents=to_cents(v["amount"]),
                                             start_month=start, months=v["months"]))
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"inhouding toegevoegd: {v['label']}", "budget", person_id)


def add_allowance(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> None:
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("toeslagen vastleggen"))
    open_finances(session, actor, person_id, today, "budget wijzigen")
    budget = _require_budget(session, person_id)
    checked = checks.check_allowance(form, today)
    if checked.errors:
        raise FormErrors(checked.errors)
    v = checked.values
    budget.allowances.append(ExpectedAllowance(kind=v["kind"], amount_cents=to_cents(v["amount"]),
                                               expected_from=month_start(v["expected_from"])))
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"verwachte toeslag vastgelegd: {v['kind']}", "budget", person_id)


def _add_line(session: Session, actor: Actor, person_id: int, form: dict, today: date, kinds: dict[str, str]) -> BudgetLine:
    budget = _require_budget(session, person_id)
    checked = checks.check_budget_line(form, kinds, today)
    if not checked.errors and checked.values["start_month"] < month_start(budget.benefit_start):
        checked.errors["line_from"] = _("De eerste maand ligt vóór de ingangsdatum van de uitkering ({start}).").format(
            start=f"{budget.benefit_start:%m-%Y}")
    if checked.errors:
        raise FormErrors(checked.errors)
    v = checked.values
    default_label = kinds[v["kind"]]
    row = BudgetLine(kind=v["kind"], label=v["label"] or _(default_label), amount_cents=to_cents(v["amount"]),
                     start_month=v["start_month"], months=v["months"], recorded_on=today, recorded_by=actor.user_id)
    budget.lines.append(row)
    budget.updated_by, budget.updated_at = actor.user_id, _now()
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"budgetregel vastgelegd: {v['kind']}", "budget", person_id)
    return row


def record_work_income(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> BudgetLine:
    """Net monthly income from work (from the budget page or a life event in the plan).

    ``form``: ``line_amount`` (net per month, "450,00"), optional ``line_from`` (JJJJ-MM, default this
    month), ``line_months`` (empty = until stopped), ``line_label`` (employer). The benefit is reduced
    by the configured rules (config/budget.yaml ``work_income``) from that month. Raises ``FormErrors``.
    """
    policy.require(actor, policy.MAY_RECORD_WORK_INCOME, _("inkomsten uit werk vastleggen"))
    open_finances(session, actor, person_id, today, "inkomsten uit werk")
    return _add_line(session, actor, person_id, {**form, "line_kind": config.WORK}, today,
                     {config.WORK: config.INCOME_KINDS[config.WORK]})


def add_budget_line(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> BudgetLine:
    """Other income or a commitment the coach or financien records (informal debt, remittance, loan)."""
    policy.require(actor, policy.MAY_RECORD_BUDGET_LINES, _("inkomsten en afspraken vastleggen"))
    open_finances(session, actor, person_id, today, "budget wijzigen")
    kinds = {config.OTHER_INCOME: config.INCOME_KINDS[config.OTHER_INCOME], **config.COMMITMENT_KINDS}
    return _add_line(session, actor, person_id, form, today, kinds)


def book_advance(session: Session, actor: Actor, person_id: int, today: date) -> BudgetLine:
    """Book the proposed first-month voorschot (method ``advance``); repaid over the configured months."""
    policy.require(actor, policy.MAY_EDIT_BUDGET, _("een voorschot boeken"))
    person = open_finances(session, actor, person_id, today, "voorschot")
    budget = _require_budget(session, person_id)
    if any(ln.kind == config.ADVANCE_LINE for ln in budget.lines):
        raise FormErrors({"advance": _("Het voorschot voor de eerste maand is al geboekt.")})
    first = month_start(budget.benefit_start)
    if first in approved_months(session, person.municipality):
        raise FormErrors({"advance": _("De betaalrun van {month} is al goedgekeurd; boek het voorschot als correctie.").format(
            month=f"{first:%m-%Y}")})
    amount = proposed_advance(to_data(budget, person))
    if amount <= 0:
        raise FormErrors({"advance": _("Er is geen voorschot nodig: de uitkering gaat in op de eerste van de maand "
                                       "of er worden geen vaste lasten direct betaald.")})
    rule = config.first_month_rule(first)
    row = BudgetLine(kind=config.ADVANCE_LINE, label=_("Voorschot eerste maand"), amount_cents=to_cents(amount),
                     start_month=first, months=rule.advance_repay_months, recorded_on=today, recorded_by=actor.user_id)
    budget.lines.append(row)
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"voorschot eerste maand geboekt ({amount})", "budget", person_id)
    return row


def _month_input(raw: str) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        if len(text) == 7:
            return date.fromisoformat(text + "-01")
        return month_start(date.fromisoformat(text))
    except ValueError:
        raise ValueError(_("Geen geldige maand (JJJJ-MM).")) from None


def save_arrangement(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> None:
    """Tailor ontzorgen: per category direct or coaching (with reason), period, hand-back month."""
    policy.require(actor, policy.MAY_SET_ONTZORGEN, _("de ontzorgregeling wijzigen"))
    open_finances(session, actor, person_id, today, "ontzorgen")
    budget = _require_budget(session, person_id)
    form, screened = screen_form(form)
    errors: dict[str, str] = {}
    months_raw = str(form.get("ontzorgen_months", "")).strip()
    months = parse_int(months_raw, 0, 120)
    pip_months = pip_ontzorgen_months(session, person_id)
    if pip_months:  # the PIP's term is the arrangement's term; a different number is refused, never kept
        if months_raw and months_raw != str(pip_months):
            errors["ontzorgen_months"] = _(
                "Het PIP legt {months} maanden ontzorgen vast. Wijzig de duur in een nieuwe PIP-versie.").format(
                months=pip_months)
        months = pip_months
    elif months is None:
        errors["ontzorgen_months"] = _("Vul het aantal maanden in (standaard 6).")
        months = 0

    def reason_text(key: str, limit: str) -> str:
        try:
            return check_text(form.get(key, ""), _("Reden"), max_length(limit))
        except ValueError as exc:
            errors[key] = str(exc)
            return ""

    cats: dict[str, CategoryPlan] = {}
    for category in config.CATEGORIES:
        mode = str(form.get(f"mode_{category}", "") or (DIRECT if category in config.CORE_CATEGORIES else "self"))
        if mode not in MODES:
            errors[f"mode_{category}"] = _("Kies hoe deze kostenpost wordt betaald.")
            continue
        try:
            hand_back = _month_input(str(form.get(f"hand_back_{category}", "")))
        except ValueError as exc:
            errors[f"hand_back_{category}"] = str(exc)
            hand_back = None
        cats[category] = CategoryPlan(category, mode, hand_back, reason_text(f"reason_{category}", "category_reason"))
    start = month_start(budget.benefit_start)
    arrangement = Arrangement(start, months, cats, reason_text("ontzorgen_reason", "ontzorgen_reason"))
    errors.update(screened)
    alternative = reason_text("alternative", "alternative")
    coach_offer = reason_text("coach_offer", "coach_offer")
    declined = pip_months == 0 or not any(
        p.mode == DIRECT for c, p in cats.items() if c in config.CORE_CATEGORIES)
    if pip_months == 0:
        for category in config.CORE_CATEGORIES:
            if category in cats and cats[category].mode == DIRECT:
                errors[f"mode_{category}"] = _(
                    "Het PIP legt vast dat er geen ontzorgen is. Leg eerst een nieuwe PIP-versie vast.")
    if declined:
        if not alternative:
            alternative = arrangement.reason or next(
                (p.reason for c, p in cats.items() if c in config.CORE_CATEGORIES and p.reason), "")
        if not alternative:
            errors["alternative"] = _("Beschrijf wat er in plaats van ontzorgen is afgesproken.")
    if not errors:
        errors.update(validate_arrangement(arrangement))
    if errors:
        raise FormErrors(errors)
    row = budget.arrangement
    if row is None:
        row = budget.arrangement = OntzorgenArrangement(start_month=start, months=months, updated_by=actor.user_id,
                                                         updated_at=_now())
    row.start_month, row.months, row.reason = start, months, arrangement.reason
    row.alternative, row.coach_offer = (alternative, coach_offer) if declined else ("", "")
    row.updated_by, row.updated_at = actor.user_id, _now()
    existing = {c.category: c for c in row.categories}
    for category, plan in cats.items():
        item = existing.get(category)
        if item is None:
            item = OntzorgenCategory(category=category)
            row.categories.append(item)
        item.mode, item.hand_back_month, item.reason = plan.mode, plan.hand_back, plan.reason
    session.flush()
    audit.record(session, actor, audit.CHANGE, "ontzorgregeling gewijzigd", "ontzorgen", person_id)


def coach_options(session: Session) -> list[list[str]]:
    """[user id, "coach (organisation)"] of budget coaches, for the assignment form."""
    rows = session.execute(
        select(User.id, User.full_name, Organisation.name)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.kind == "budgetcoach", User.role == "coach", User.active.is_(True))
        .order_by(Organisation.name, User.full_name)
    ).all()
    return [[str(uid), f"{name} ({org})"] for uid, name, org in rows]


def assign_coach(session: Session, actor: Actor, person_id: int, coach_user_id: int, today: date) -> None:
    """Assign a budget coach; their organisation needs the person's recorded consent first."""
    policy.require(actor, policy.MAY_ASSIGN_COACH, _("een budgetcoach toewijzen"))
    open_finances(session, actor, person_id, today, "budgetcoach toewijzen")
    coach = session.get(User, coach_user_id)
    if coach is None or coach.role != "coach" or coach.organisation.kind != "budgetcoach":
        raise FormErrors({"coach": _("Kies een budgetcoach.")})
    consent = session.scalar(select(Consent.id).where(
        Consent.person_id == person_id, Consent.organisation_id == coach.organisation_id,
        Consent.purpose == policy.ORGANISATION_KINDS["budgetcoach"].purpose, Consent.withdrawn_at.is_(None),
    ))
    if not consent:
        raise FormErrors({"coach": _("Er is geen toestemming van de statushouder voor {organisation}. "
                                     "Leg eerst toestemming vast in het dossier.").format(
            organisation=coach.organisation.name)})
    for current in session.scalars(select(CoachAssignment).where(
            CoachAssignment.person_id == person_id, CoachAssignment.ended_on.is_(None))):
        current.ended_on = today
    session.add(CoachAssignment(person_id=person_id, organisation_id=coach.organisation_id, coach_user_id=coach.id,
                                since=today, assigned_by=actor.user_id))
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"budgetcoach toegewezen: {coach.full_name}", "budgetcoaching", person_id)


def add_coach_note(session: Session, actor: Actor, person_id: int, text: str, today: date) -> None:
    policy.require(actor, policy.MAY_COACH, _("coachnotities schrijven"))
    open_finances(session, actor, person_id, today, "budgetcoaching")
    try:
        body = check_text(text, _("De notitie"), max_length("note"), required=True, multiline=True,
                          required_message=_("Schrijf eerst een notitie."))
    except ValueError as exc:
        raise FormErrors({"note": str(exc)}) from None
    session.add(CoachNote(person_id=person_id, author_id=actor.user_id, written_on=today, text=body))
    session.flush()
    audit.record(session, actor, audit.CHANGE, "coachnotitie toegevoegd", "budgetcoaching", person_id)


def set_checklist(session: Session, actor: Actor, person_id: int, item: str, done: bool, today: date) -> None:
    policy.require(actor, policy.MAY_COACH, _("de checklist bijwerken"))
    open_finances(session, actor, person_id, today, "budgetcoaching")
    if item not in CHECKLIST:
        raise FormErrors({"checklist": _("Onbekend onderdeel van de checklist.")})
    row = session.scalar(select(CoachChecklistItem).where(
        CoachChecklistItem.person_id == person_id, CoachChecklistItem.item == item))
    if row is None:
        row = CoachChecklistItem(person_id=person_id, item=item)
        session.add(row)
    row.done = done
    row.done_on, row.done_by = (today, actor.user_id) if done else (None, None)
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"checklist: {CHECKLIST[item]} {'afgevinkt' if done else 'open'}",
                 "budgetcoaching", person_id)


@dataclass
class CoachInfo:
    coach: str
    organisation: str
    since: str
    notes: list[dict]
    checklist: list[dict]


def coach_info(session: Session, person_id: int) -> CoachInfo:
    assignment = session.scalar(select(CoachAssignment).where(
        CoachAssignment.person_id == person_id, CoachAssignment.ended_on.is_(None)).order_by(CoachAssignment.id.desc()))
    coach = session.get(User, assignment.coach_user_id) if assignment and assignment.coach_user_id else None
    org = session.get(Organisation, assignment.organisation_id) if assignment else None
    notes = session.execute(
        select(CoachNote, User.full_name).join(User, User.id == CoachNote.author_id)
        .where(CoachNote.person_id == person_id).order_by(CoachNote.written_on.desc(), CoachNote.id.desc())
    ).all()
    done = {r.item: r for r in session.scalars(select(CoachChecklistItem).where(CoachChecklistItem.person_id == person_id))}
    return CoachInfo(
        coach.full_name if coach else "",
        org.name if org else "",
        assignment.since.isoformat() if assignment else "",
        [{"date": n.written_on.isoformat(), "author": who, "text": n.text} for n, who in notes],
        [{"item": key, "label": label, "done": bool(done.get(key) and done[key].done),
          "done_on": done[key].done_on.isoformat() if done.get(key) and done[key].done_on else ""}
         for key, label in CHECKLIST.items()],
    )

