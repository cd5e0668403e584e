"""What the budget page and the letters engine show: plain data built from the rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..catalogs import staff_text as _
from ..models import Payment, PaymentReturn, PaymentRun, Person
from ..policy import Actor
from . import bank, config, sepa, service
from .leefgeld import advance_line, allowance_gap_total, first_month_days, month_picture, proposed_advance
from .money import eur, from_cents
from .norms import add_months, household_on, month_start, norm_for
from .ontzorgen import MODES, direct_until, hand_back_schedule, last_direct_month, plan_for


@dataclass
class BudgetPage:
    person_id: int
    name: str
    has_budget: bool
    benefit_start: str = ""
    household_kind: str = ""
    supplement: str = ""
    leefgeld_iban: str = ""
    households: list[dict] = field(default_factory=list)
    costs: list[dict] = field(default_factory=list)
    deductions: list[dict] = field(default_factory=list)
    allowances: list[dict] = field(default_factory=list)
    months: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    arrangement: dict = field(default_factory=dict)
    schedule: list[dict] = field(default_factory=list)
    coach: dict = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)  # income, commitments, a booked advance
    advance_proposal: str = ""  # first-month voorschot to book (method "advance"), "" when none
    bank: list[dict] = field(default_factory=list)  # returned payments and recognised income (bank statements)


def budget_page(session: Session, actor: Actor, person_id: int, today: date, months: int = 3) -> BudgetPage:
    """The budget as the actor may see it (finances only; never health), logged as a read."""
    person = service.open_finances(session, actor, person_id, today, "budget bekeken")
    name = f"{person.given_names} {person.family_name}"
    budget = service.budget_of(session, person_id)
    page = BudgetPage(person_id, name, budget is not None)
    page.coach = asdict(service.coach_info(session, person_id))
    audit.record(session, actor, audit.READ, "budget bekeken", policy.ORGANISATION_KINDS[actor.kind].purpose_label,
                 person_id)
    if budget is None:
        return page
    data = service.to_data(budget, person)
    page.benefit_start = budget.benefit_start.isoformat()
    page.leefgeld_iban = person.iban or ""
    page.household_kind = budget.households[0].kind if budget.households else ""
    page.supplement = f"{from_cents(budget.supplement_cents):.2f}".replace(".", ",")
    page.households = [{"from": h.valid_from.isoformat(), "kind": config.HOUSEHOLD_KINDS.get(h.kind, h.kind),
                        "norm": eur(norm_for(h.kind, max(h.valid_from, today)).amount)} for h in budget.households]
    this_month = month_start(today)
    arr = data.arrangement
    page.costs = [{
        "id": c.id, "category": config.CATEGORIES.get(c.category, c.category), "label": c.label,
        "creditor": c.creditor_name, "iban": c.creditor_iban, "amount": eur(c.amount), "reference": c.reference,
        "day": c.day_of_month, "from": f"{c.first_month:%m-%Y}",
        "until": f"{c.ended_month:%m-%Y}" if c.ended_month else "",
        "direct": bool(arr and direct_until(arr, c.category) and this_month < direct_until(arr, c.category)),
    } for c in data.costs]
    page.deductions = [{"label": d.label, "amount": eur(d.amount), "from": f"{d.start_month:%m-%Y}",
                        "months": str(d.months or "doorlopend")} for d in data.deductions]
    page.allowances = [{"kind": config.ALLOWANCES.get(a.kind, a.kind), "amount": eur(a.amount),
                        "expected": f"{a.expected_from:%m-%Y}", "gap": eur(allowance_gap_total(data, a))}
                       for a in data.allowances]
    for i in range(months):
        p = month_picture(data, add_months(this_month, i))
        page.months.append({
            "month": f"{p.month:%m-%Y}", "benefit": eur(p.income), "direct": eur(p.direct_total),
            "deductions": eur(p.deduction_total), "leefgeld": eur(p.leefgeld), "own": eur(p.own_total),
            "allowance_gap": eur(p.allowance_gap), "warning_count": len(p.warnings),
            "available": eur(p.available), "norm": eur(p.norm), "notes": list(p.notes),
            "work": eur(p.work.earnings) if p.work else "", "work_reduction": eur(p.work_reduction),
            "blocking": sum(1 for w in p.warnings if w.blocking), "note": " ".join(p.notes),
        })
        if i == 0:
            page.warnings = [w.message for w in p.warnings]
    kinds = {**config.INCOME_KINDS, **config.COMMITMENT_KINDS, config.ADVANCE_LINE: "Voorschot eerste maand"}
    page.lines = [{"kind": _(kinds.get(ln.kind, ln.kind)), "label": ln.label, "amount": eur(ln.amount),
                   "from": f"{ln.start_month:%m-%Y}", "months": str(ln.months or _("doorlopend"))} for ln in data.lines]
    first = month_start(data.benefit_start)
    if (config.first_month_rule(first).method == config.ADVANCE and advance_line(data) is None
            and proposed_advance(data) > 0 and first >= add_months(this_month, -1)):
        page.advance_proposal = eur(proposed_advance(data))
    page.bank = bank.person_signals(session, person_id)
    page.warnings += [_("Betaling teruggekomen: {what} {month} ({amount}, {reason}). {state}").format(
        what=config.CATEGORIES.get(b["category"], _("Leefgeld")), month=b["month"], amount=b["amount"],
        reason=b["reason"], state=b["state"]) for b in page.bank if b["open"]]
    if arr is not None:
        page.arrangement = {
            "start": f"{arr.start:%m-%Y}", "end": f"{add_months(arr.end, -1):%m-%Y}", "months": arr.months,
            "last_direct": f"{last_direct_month(arr):%m-%Y}" if last_direct_month(arr) else "",
            "reason": arr.reason, "tailored": arr.tailored,
            "alternative": budget.arrangement.alternative or "", "coach_offer": budget.arrangement.coach_offer or "",
            "categories": [{"category": c, "label": config.CATEGORIES[c], "mode": plan_for(arr, c).mode,
                            "mode_label": MODES[plan_for(arr, c).mode],
                            "hand_back": f"{plan_for(arr, c).hand_back:%Y-%m}" if plan_for(arr, c).hand_back else "",
                            "reason": plan_for(arr, c).reason} for c in config.CATEGORIES],
        }
        page.schedule = [{"category": h.label, "last_direct": f"{h.last_direct_month:%m-%Y}",
                          "hand_back": f"{h.hand_back_month:%m-%Y}"} for h in hand_back_schedule(arr)]
    return page


_XML_CACHE: dict[str, bytes] = {}


def execution_date(session: Session, run_id: int, end_to_end_id: str) -> date | None:
    """When the bank executes this payment: the ReqdExctnDt in the run's archived pain.001 file."""
    digest = session.scalar(select(PaymentRun.xml_sha256).where(PaymentRun.id == run_id))
    if digest is None:
        return None
    xml = _XML_CACHE.get(digest)
    if xml is None:
        xml = session.scalar(select(PaymentRun.xml).where(PaymentRun.id == run_id))
        if xml is None:
            return None
        _XML_CACHE.clear()  # one file at a time: a 40,000-payment file is ~20 MB
        _XML_CACHE[digest] = xml = bytes(xml)
    return sepa.requested_execution_date(xml, end_to_end_id)


# ---- For the letters engine (plain data, Decimal amounts) ----------------------------------

def ontzorgen_summary(session: Session, person_id: int) -> dict | None:
    """The ontzorgen decision: which costs are paid directly, from when until when; None without budget.

    Returns {"person_id", "start": date, "end": date (last month of the base period), "months",
    "last_direct_month": date|None (stepwise hand-back may run past the base period), "tailored", "reason",
    "costs": [{"category", "label", "creditor", "amount": Decimal, "mode", "paid_directly_until": date|None,
    "hand_back_month": date|None, "reason"}], "hand_back": [{"category", "label", "month": date}]}.
    The caller checks access and logs the letter; this only reads.
    """
    person = session.get(Person, person_id)
    budget = service.budget_of(session, person_id)
    if person is None or budget is None or budget.arrangement is None:
        return None
    data = service.to_data(budget, person)
    arr = data.arrangement
    costs = []
    for c in data.costs:
        until = direct_until(arr, c.category)
        plan = plan_for(arr, c.category)
        costs.append({
            "category": c.category, "label": c.label, "creditor": c.creditor_name, "amount": c.amount,
            "mode": plan.mode, "paid_directly_until": add_months(until, -1) if until else None,
            "hand_back_month": until, "reason": plan.reason,
        })
    return {
        "person_id": person_id, "start": arr.start, "end": add_months(arr.end, -1), "months": arr.months,
        "last_direct_month": last_direct_month(arr),
        "tailored": arr.tailored, "reason": arr.reason, "costs": costs,
        "declined": not any(c["paid_directly_until"] for c in costs) and last_direct_month(arr) is None,
        "alternative": budget.arrangement.alternative or "", "coach_offer": budget.arrangement.coach_offer or "",
        "hand_back": [{"category": h.category, "label": h.label, "month": h.hand_back_month}
                      for h in hand_back_schedule(arr)],
    }


def payment_overview(session: Session, person_id: int, month: date) -> dict | None:
    """What the approved runs paid for this person in a month: exactly the archived payments.

    Returns {"person_id", "month": date, "benefit": Decimal, "deductions": [{"label", "amount"}],
    "paid": [{"category", "label", "creditor", "iban", "amount": Decimal, "date": date,
    "end_to_end_id", "run_id", "booked_on": date|None (the bank confirmed it)}], "paid_total": Decimal,
    "returned": [{"category", "label", "creditor", "amount"}] (bills the bank sent back, not yet re-sent in an
    approved run), "leefgeld": Decimal (transferred, 0 if none),
    "leefgeld_date": date|None, "leefgeld_returned": [{"amount", "reason": ISO code}] (the bank sent the
    leefgeld back and it was not re-sent yet), "pending_allowances": [{"kind", "amount"}]}; None without budget.
    """
    person = session.get(Person, person_id)
    budget = service.budget_of(session, person_id)
    if person is None or budget is None:
        return None
    m = month_start(month)
    data = service.to_data(budget, person)
    picture = month_picture(data, m)
    labels = {c.id: c.label for c in data.costs}
    rows = session.execute(
        select(Payment, PaymentRun.approved_at).join(PaymentRun, PaymentRun.id == Payment.run_id)
        .where(Payment.person_id == person_id, Payment.month == m, PaymentRun.status == "approved")
        .order_by(Payment.due_date, Payment.id)
    ).all()
    returned = dict(session.execute(select(PaymentReturn.payment_id, PaymentReturn.reason_code)
                                    .where(PaymentReturn.person_id == person_id)).all())
    resent = {r[0].resend_of for r in rows if r[0].resend_of is not None}
    # A returned bill was not paid; until its re-send is in an approved run it is set aside for it.
    not_resent = [r[0] for r in rows if r[0].id in returned and r[0].id not in resent]
    leefgeld_returns = [pay for pay in not_resent if pay.kind == "leefgeld"]
    open_returns = [pay for pay in not_resent if pay.kind != "leefgeld"]
    rows = [r for r in rows if r[0].id not in returned]
    booked = bank.booked_on(session, [r[0].id for r in rows])
    paid, leefgeld, leefgeld_date = [], Decimal("0.00"), None
    for pay, _approved in rows:
        amount = from_cents(pay.amount_cents)
        executed = execution_date(session, pay.run_id, pay.end_to_end_id) or pay.due_date
        if pay.kind == "leefgeld":
            leefgeld += amount
            leefgeld_date = executed
            continue
        paid.append({"category": pay.category, "label": labels.get(pay.fixed_cost_id, pay.category),
                     "creditor": pay.creditor_name, "iban": pay.creditor_iban, "amount": amount,
                     "date": executed, "due_date": pay.due_date, "end_to_end_id": pay.end_to_end_id,
                     "run_id": pay.run_id, "booked_on": booked.get(pay.id)})
    first = first_month_days(data) if m == month_start(data.benefit_start) else None
    return {
        "person_id": person_id, "month": m, "benefit": picture.income - picture.advance,
        "advance": picture.advance, "work_income": picture.work.earnings if picture.work else Decimal("0.00"),
        "work_reduction": picture.work_reduction,
        "first_month_start": data.benefit_start if first and picture.full_direct_total != picture.direct_total else None,
        "notes": list(picture.notes),
        "household_kind": household_on(data.periods, m),
        "deductions": [{"label": d.label, "amount": d.amount} for d in picture.deductions],
        "paid": paid, "paid_total": sum((p["amount"] for p in paid), Decimal("0.00")),
        "returned": [{"category": pay.category, "label": labels.get(pay.fixed_cost_id, pay.category),
                      "creditor": pay.creditor_name, "amount": from_cents(pay.amount_cents)} for pay in open_returns],
        "leefgeld": leefgeld, "leefgeld_date": leefgeld_date,
        "leefgeld_returned": [{"amount": from_cents(pay.amount_cents), "reason": returned[pay.id]}
                              for pay in leefgeld_returns],
        "pending_allowances": [{"kind": a.kind, "amount": a.amount} for a in picture.allowances_pending],
    }
