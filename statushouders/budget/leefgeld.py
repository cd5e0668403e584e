"""The monthly picture: benefit - directly paid fixed costs - deductions = leefgeld, with warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..catalogs import staff_text as _
from . import config
from .money import eur
from .norms import HouseholdPeriod, add_months, benefit_for_month, month_start
from .ontzorgen import Arrangement, is_direct


@dataclass(eq=False, slots=True)  # plain and light: a run builds ~40,000 of these
class FixedCostItem:
    id: int
    category: str
    label: str
    creditor_name: str
    creditor_iban: str
    amount: Decimal
    reference: str
    structured_reference: bool
    day_of_month: int
    first_month: date  # first month this cost is payable (see selection.first_payable_month)
    ended_month: date | None = None  # first month it is no longer payable


@dataclass(frozen=True)
class DeductionItem:
    label: str
    amount: Decimal
    start_month: date
    months: int | None = None  # None: until stopped


@dataclass(frozen=True)
class AllowanceItem:
    kind: str
    amount: Decimal
    expected_from: date  # first month the allowance is expected to actually arrive


@dataclass
class BudgetData:
    """Everything the rules need about one person's budget, free of the database."""

    person_id: int
    benefit_start: date
    periods: list[HouseholdPeriod]
    supplement: Decimal = Decimal("0.00")
    costs: list[FixedCostItem] = field(default_factory=list)
    deductions: list[DeductionItem] = field(default_factory=list)
    allowances: list[AllowanceItem] = field(default_factory=list)
    arrangement: Arrangement | None = None
    person_name: str = ""
    person_iban: str = ""


def cost_active(cost: FixedCostItem, month: date) -> bool:
    m = month_start(month)
    return cost.first_month <= m and (cost.ended_month is None or m < cost.ended_month)


def deduction_active(d: DeductionItem, month: date) -> bool:
    m = month_start(month)
    return d.start_month <= m and (d.months is None or m < add_months(d.start_month, d.months))


@dataclass(frozen=True)
class Warning:
    code: str  # fixed_costs_exceed_benefit, leefgeld_negative, leefgeld_below_minimum, allowance_gap
    message: str


@dataclass
class MonthPicture:
    month: date
    benefit: Decimal
    supplement: Decimal
    direct_costs: list[FixedCostItem]
    own_costs: list[FixedCostItem]  # the person pays these from leefgeld
    deductions: list[DeductionItem]
    allowances_arrived: list[AllowanceItem]
    allowances_pending: list[AllowanceItem]
    warnings: list[Warning]

    @property
    def income(self) -> Decimal:
        return self.benefit + self.supplement

    @property
    def direct_total(self) -> Decimal:
        return sum((c.amount for c in self.direct_costs), Decimal("0.00"))

    @property
    def own_total(self) -> Decimal:
        return sum((c.amount for c in self.own_costs), Decimal("0.00"))

    @property
    def deduction_total(self) -> Decimal:
        return sum((d.amount for d in self.deductions), Decimal("0.00"))

    @property
    def leefgeld(self) -> Decimal:
        return self.income - self.direct_total - self.deduction_total

    @property
    def allowance_gap(self) -> Decimal:
        return sum((a.amount for a in self.allowances_pending), Decimal("0.00"))


def month_picture(data: BudgetData, month: date, minimum: Decimal = config.MINIMUM_LEEFGELD) -> MonthPicture:
    """The month as the person and the financien role see it, with the warnings that need action."""
    m = month_start(month)
    benefit = benefit_for_month(data.periods, data.benefit_start, m)
    supplement = data.supplement if m >= month_start(data.benefit_start) else Decimal("0.00")
    active = [c for c in data.costs if cost_active(c, m)]
    direct, own = [], []
    for c in active:
        (direct if is_direct(data.arrangement, c.category, m) else own).append(c)
    deductions = [d for d in data.deductions if deduction_active(d, m)]
    arrived = [a for a in data.allowances if a.expected_from <= m]
    pending = [a for a in data.allowances if a.expected_from > m]
    picture = MonthPicture(m, benefit, supplement, direct, own, deductions, arrived, pending, [])
    picture.warnings = warnings_for(picture, minimum)
    return picture


def warnings_for(p: MonthPicture, minimum: Decimal = config.MINIMUM_LEEFGELD) -> list[Warning]:
    out = []
    if p.direct_total + p.own_total > p.income:
        out.append(Warning(
            "fixed_costs_exceed_benefit",
            _("De vaste lasten ({costs}) zijn hoger dan de uitkering ({income}).").format(
                costs=eur(p.direct_total + p.own_total), income=eur(p.income)),
        ))
    if p.leefgeld < 0:
        out.append(Warning(
            "leefgeld_negative",
            _("Het leefgeld is negatief ({leefgeld}): er wordt geen leefgeld overgemaakt. "
              "Pas de vaste lasten of inhoudingen aan.").format(leefgeld=eur(p.leefgeld)),
        ))
    elif p.leefgeld < minimum:
        out.append(Warning(
            "leefgeld_below_minimum",
            _("Het leefgeld ({leefgeld}) is lager dan het minimum van {minimum} per maand.").format(
                leefgeld=eur(p.leefgeld), minimum=eur(minimum)),
        ))
    for a in p.allowances_pending:
        out.append(Warning(
            "allowance_gap",
            _("{allowance} ({amount} per maand) is nog niet binnen; verwacht vanaf {month}. Overweeg een voorschot.").format(
                allowance=_(config.ALLOWANCES.get(a.kind, a.kind)), amount=eur(a.amount),
                month=f"{a.expected_from:%m-%Y}"),
        ))
    return out


def allowance_gap_total(data: BudgetData, allowance: AllowanceItem) -> Decimal:
    """How much the person misses from the benefit start until the allowance arrives."""
    months = 0
    m = month_start(data.benefit_start)
    while m < allowance.expected_from and months < 120:
        months += 1
        m = add_months(m, 1)
    return allowance.amount * months
