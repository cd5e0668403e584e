"""Which payments a month's run makes: fixed costs due in ontzorgen plus leefgeld, never twice."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ..catalogs import staff_text as _
from . import config
from .leefgeld import BudgetData, MonthPicture, costs_at_risk, month_picture
from .money import to_cents
from .norms import add_months, month_start

FIXED_COST, LEEFGELD = "fixed_cost", "leefgeld"


@lru_cache(maxsize=512)
def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def due_date(month: date, day: int) -> date:
    """The payment date in a month; day 29-31 falls on the last day of shorter months (February)."""
    return date(month.year, month.month, min(day, _days_in_month(month.year, month.month)))


def month_code(month: date) -> str:
    return f"{month.year:04d}{month.month:02d}"


def end_to_end_id(person_id: int, month: date, fixed_cost_id: int | None = None) -> str:
    """Encodes person, cost (or LG for leefgeld) and month; <= 35 characters, SEPA-safe.

    Why: reconciling a bank statement line leads straight back to who, what and which month.
    """
    cost = f"FC{fixed_cost_id}" if fixed_cost_id is not None else "LG"
    value = f"EP{person_id}-{cost}-{month_code(month)}"
    if len(value) > 35:
        raise ValueError("end-to-end id longer than 35 characters")
    return value


def first_payable_month(added_on: date, approved_months: set[date]) -> date:
    """A cost added mid-month is paid from this month if its run is not approved yet, else next month.

    Once: the (fixed cost, month) unique key stops a second payment for the same month.
    """
    m = month_start(added_on)
    return add_months(m, 1) if m in approved_months else m


class PlannedPayment(NamedTuple):  # immutable; a tuple because a run builds ~50,000 of them
    kind: str
    person_id: int
    fixed_cost_id: int | None
    category: str
    amount_cents: int
    creditor_name: str
    creditor_iban: str
    reference: str
    structured_reference: bool
    due_date: date
    end_to_end_id: str


def select_payments(
    data: BudgetData, month: date, already_paid: set[str] | frozenset[str] = frozenset(),
    picture: MonthPicture | None = None,
) -> tuple[list[PlannedPayment], list[str]]:
    """(payments, problems) for one person and month; ids in ``already_paid`` are skipped.

    Problems are lines for the run overview in the staff UI language (no leefgeld IBAN, negative leefgeld).
    ``picture``: this month's ``month_picture`` when the caller has it already (it is the costly part).
    """
    m = month_start(month)
    if picture is None:
        picture = month_picture(data, m)
    payments: list[PlannedPayment] = []
    problems: list[str] = []
    leefgeld = picture.leefgeld
    at_risk = {c.id for c in costs_at_risk(picture)} if leefgeld < 0 else set()
    label = f"{m:%m-%Y}"  # once per person, not per cost
    last_day = _days_in_month(m.year, m.month)
    person_id = data.person_id
    for cost in picture.direct_costs:
        e2e = end_to_end_id(person_id, m, cost.id)
        if e2e in already_paid:
            continue
        if cost.id in at_risk:  # never pay out more than the benefit: the rest is a problem for staff
            problems.append(_("{person}: {cost} niet betaald, de uitkering is te laag ({amount}).").format(
                person=data.person_name or data.person_id, cost=cost.label, amount=cost.amount))
            continue
        payments.append(PlannedPayment(
            FIXED_COST, person_id, cost.id, cost.category, to_cents(cost.amount), cost.creditor_name,
            cost.creditor_iban, cost.reference or f"{config.CATEGORIES[cost.category]} {label}",
            cost.structured_reference, date(m.year, m.month, min(cost.day_of_month, last_day)), e2e,
        ))
    e2e = end_to_end_id(data.person_id, m)
    if e2e not in already_paid and picture.benefit > 0:
        if leefgeld <= Decimal(0):
            problems.append(_("{person}: geen leefgeld (bedrag {amount}).").format(
                person=data.person_name or data.person_id, amount=leefgeld))
        elif not data.person_iban:
            problems.append(_("{person}: geen IBAN voor leefgeld bekend.").format(person=data.person_name or data.person_id))
        else:
            payments.append(PlannedPayment(
                LEEFGELD, data.person_id, None, "leefgeld", to_cents(leefgeld), data.person_name, data.person_iban,
                f"Leefgeld {label}", False, due_date(m, config.LEEFGELD_DAY), e2e,
            ))
    return payments, problems
