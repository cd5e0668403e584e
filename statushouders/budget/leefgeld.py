"""The monthly picture: benefit - directly paid fixed costs - deductions = leefgeld, with warnings.

What is transferred (leefgeld) and what the household has to live on (``available``: leefgeld plus
allowances, wages and other income, minus costs the person pays and commitments such as informal
debts) are two different numbers; the norm check compares ``available`` with the configured
household norm (config/budget.yaml). The first, partial month follows the configured method:
fixed costs prorated to the days the benefit covers, or an advance (voorschot).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..catalogs import staff_text as _
from . import config
from .money import CENT, eur
from .norms import HouseholdPeriod, add_months, age_on, benefit_for_month, household_on, month_end, month_start
from .ontzorgen import Arrangement, is_direct

ZERO = Decimal("0.00")  # Decimal is immutable: one shared start value for the sums below


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


@dataclass(frozen=True)
class BudgetLine:
    """Income (work, other), a commitment (informal debt, remittance, loan) or a booked advance, per month."""

    kind: str  # config.INCOME_KINDS | config.COMMITMENT_KINDS | config.ADVANCE_LINE
    label: str
    amount: Decimal
    start_month: date
    months: int | None = None  # None: until stopped; an advance: repaid over this many months


@dataclass(frozen=True)
class Member:
    """A household member from the register (the statushouder is not in this list)."""

    relationship: str  # partner, child, parent, other
    birth_date: date
    here_from: date | None = None  # arrived later (gezinshereniging); None = here from the start


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
    lines: list[BudgetLine] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)


def cost_active(cost: FixedCostItem, month: date) -> bool:
    m = month_start(month)
    return cost.first_month <= m and (cost.ended_month is None or m < cost.ended_month)


def deduction_active(d: DeductionItem, month: date) -> bool:
    m = month_start(month)
    return d.start_month <= m and (d.months is None or m < add_months(d.start_month, d.months))


def line_active(line: BudgetLine, month: date) -> bool:
    m = month_start(month)
    return line.start_month <= m and (line.months is None or m < add_months(line.start_month, line.months))


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def prorate(amount: Decimal, days: int, days_in_month: int) -> Decimal:
    """A monthly amount for ``days`` of the month, rounded half up to the cent."""
    return _round(amount * days / days_in_month)


def first_month_days(data: BudgetData) -> tuple[int, int] | None:
    """(days the benefit covers, days in the month) when the benefit starts after the 1st; else None."""
    start = data.benefit_start
    if start.day == 1:
        return None
    last = month_end(start).day
    return last - start.day + 1, last


def advance_line(data: BudgetData) -> BudgetLine | None:
    return next((ln for ln in data.lines if ln.kind == config.ADVANCE_LINE), None)


def advance_repayment(line: BudgetLine, month: date) -> Decimal:
    """The advance is repaid in equal parts from the month after it; the last part takes the cents left."""
    months = line.months or 1
    m = month_start(month)
    first = add_months(line.start_month, 1)
    if not first <= m < add_months(first, months):
        return Decimal("0.00")
    part = (line.amount / months).quantize(CENT, rounding="ROUND_DOWN")
    if m == add_months(first, months - 1):
        return line.amount - part * (months - 1)
    return part


def leefgeld_norm_for(data: BudgetData, month: date) -> Decimal:
    """The household's configured leefgeld norm in a month: base per household kind + per child by age."""
    m = month_start(month)
    norm = config.leefgeld_norm(m)
    kind = household_on(data.periods, max(m, data.benefit_start)) or config.SINGLE
    total = norm.base.get(kind, norm.base.get(config.SINGLE, Decimal("0")))
    for member in data.members:
        if member.relationship != "child" or member.birth_date > month_end(m) or (
                member.here_from is not None and member.here_from > month_end(m)):
            continue
        age = age_on(member.birth_date, m)
        total += next((amount for max_age, amount in norm.children if age <= max_age), Decimal("0"))
    return total


@dataclass(frozen=True)
class WorkIncome:
    earnings: Decimal  # net wages the person receives from the employer
    exemption: Decimal  # inkomstenvrijlating: the part of the earnings that does not reduce the benefit
    reduction: Decimal  # how much lower the benefit is


def work_income_for(data: BudgetData, month: date, benefit: Decimal) -> WorkIncome | None:
    """Work income reduces the benefit euro for euro minus the configured earnings exemption.

    The exemption runs for the configured number of months from the first month with earnings and
    only for the household kinds it applies to. The benefit never goes below zero.
    """
    m = month_start(month)
    work = [ln for ln in data.lines if ln.kind == config.WORK]
    earnings = sum((ln.amount for ln in work if line_active(ln, m)), Decimal("0.00"))
    if earnings <= 0:
        return None
    rule = config.work_income_rule(m)
    first = min(ln.start_month for ln in work)
    kind = household_on(data.periods, max(m, data.benefit_start)) or config.SINGLE
    exemption = Decimal("0.00")
    if kind in rule.applies_to and m < add_months(first, rule.exemption_months):
        exemption = min(_round(earnings * rule.exemption_percent / 100), rule.exemption_max_per_month)
    reduction = min(earnings - exemption, benefit)
    return WorkIncome(earnings, exemption, reduction)


@dataclass(frozen=True)
class Warning:
    """One thing staff must see before money goes out; ``blocking`` ones must be resolved first.

    Codes: first_month (info), first_month_advance (blocking until booked), fixed_costs_exceed_benefit,
    fixed_cost_at_risk (blocking), leefgeld_negative (blocking), leefgeld_below_norm (blocking),
    allowance_gap (info).
    """

    code: str
    message: str
    blocking: bool = False


@dataclass
class MonthPicture:
    month: date
    benefit: Decimal  # the norm amount (prorated by day), before work income
    supplement: Decimal
    direct_costs: list[FixedCostItem]  # amounts as paid this month (prorated in a first month)
    own_costs: list[FixedCostItem]  # the person pays these from leefgeld
    deductions: list[DeductionItem]
    allowances_arrived: list[AllowanceItem]
    allowances_pending: list[AllowanceItem]
    warnings: list[Warning]
    work: WorkIncome | None = None
    advance: Decimal = Decimal("0.00")  # booked voorschot paid with this month's leefgeld
    other_income: Decimal = Decimal("0.00")
    commitments: list[BudgetLine] = field(default_factory=list)
    norm: Decimal = Decimal("0.00")
    notes: list[str] = field(default_factory=list)  # one sentence each: why this month differs
    full_direct_total: Decimal = Decimal("0.00")  # before prorating (first month)

    @property
    def work_reduction(self) -> Decimal:
        return self.work.reduction if self.work else ZERO

    @property
    def income(self) -> Decimal:
        """What the municipality pays out this month: benefit after work income + supplement + advance."""
        return self.benefit - self.work_reduction + self.supplement + self.advance

    @property
    def direct_total(self) -> Decimal:
        return sum([c.amount for c in self.direct_costs], ZERO)

    @property
    def own_total(self) -> Decimal:
        return sum([c.amount for c in self.own_costs], ZERO)

    @property
    def deduction_total(self) -> Decimal:
        return sum([d.amount for d in self.deductions], ZERO)

    @property
    def leefgeld(self) -> Decimal:
        return self.income - self.direct_total - self.deduction_total

    @property
    def allowance_gap(self) -> Decimal:
        return sum([a.amount for a in self.allowances_pending], ZERO)

    @property
    def allowances_total(self) -> Decimal:
        return sum([a.amount for a in self.allowances_arrived], ZERO)

    @property
    def commitment_total(self) -> Decimal:
        return sum([c.amount for c in self.commitments], ZERO)

    @property
    def available(self) -> Decimal:
        """What the household has to live on: leefgeld + allowances + wages + other income - own costs - commitments."""
        wages = self.work.earnings if self.work else ZERO
        return (self.leefgeld + self.allowances_total + wages + self.other_income
                - self.own_total - self.commitment_total)


def month_picture(data: BudgetData, month: date, minimum: Decimal | None = None) -> MonthPicture:
    """The month as the person and the financien role see it, with the warnings that need action.

    ``minimum`` overrides the configured household norm (tests, what-if); None uses config/budget.yaml.
    """
    m = month_start(month)
    start = month_start(data.benefit_start)
    benefit = benefit_for_month(data.periods, data.benefit_start, m)
    supplement = data.supplement if m >= start else Decimal("0.00")
    direct, own = [], []
    arrangement = data.arrangement
    for c in data.costs:
        if c.first_month <= m and (c.ended_month is None or m < c.ended_month):  # cost_active(c, m)
            (direct if is_direct(arrangement, c.category, m) else own).append(c)
    deductions = [d for d in data.deductions if deduction_active(d, m)]
    arrived = [a for a in data.allowances if a.expected_from <= m]
    pending = [a for a in data.allowances if a.expected_from > m]
    picture = MonthPicture(m, benefit, supplement, direct, own, deductions, arrived, pending, [])
    picture.full_direct_total = picture.direct_total
    if data.lines:
        _apply_lines(data, picture)
    warnings: list[Warning] = []
    first = first_month_days(data) if m == start else None
    if first is not None and own:  # what the person pays themselves also covers only the benefit's days
        picture.own_costs = [dataclasses.replace(c, amount=prorate(c.amount, *first)) for c in own]
    if first is not None and (direct or deductions):
        _first_month(data, picture, first, warnings)
    picture.norm = leefgeld_norm_for(data, m) if minimum is None else minimum
    picture.warnings = warnings + warnings_for(picture)
    return picture


def _apply_lines(data: BudgetData, p: MonthPicture) -> None:
    m = p.month
    p.work = work_income_for(data, m, p.benefit + p.supplement)
    if p.work:
        p.notes.append(_("Inkomsten uit werk {earnings}: de uitkering is {reduction} lager "
                         "(vrijlating {exemption}).").format(earnings=eur(p.work.earnings),
                                                             reduction=eur(p.work.reduction),
                                                             exemption=eur(p.work.exemption)))
    p.other_income = sum((ln.amount for ln in data.lines if ln.kind == config.OTHER_INCOME and line_active(ln, m)),
                         Decimal("0.00"))
    p.commitments = [ln for ln in data.lines if ln.kind in config.COMMITMENT_KINDS and line_active(ln, m)]
    adv = advance_line(data)
    if adv is not None:
        if adv.start_month == m:
            p.advance = adv.amount
        repay = advance_repayment(adv, m)
        if repay:
            p.deductions = [*p.deductions, DeductionItem(_("Terugbetaling voorschot"), repay, add_months(adv.start_month, 1),
                                                         adv.months)]


def _first_month(data: BudgetData, p: MonthPicture, first: tuple[int, int], warnings: list[Warning]) -> None:
    """A benefit that starts after the 1st: prorate the fixed costs, or propose/use an advance (configured)."""
    days, in_month = first
    rule = config.first_month_rule(p.month)
    start = f"{data.benefit_start:%d-%m-%Y}"
    if rule.method == config.PRORATE:
        full = p.direct_total + p.deduction_total
        p.direct_costs = [dataclasses.replace(c, amount=prorate(c.amount, days, in_month)) for c in p.direct_costs]
        p.deductions = [dataclasses.replace(d, amount=prorate(d.amount, days, in_month)) for d in p.deductions]
        sentence = _("Eerste maand: de uitkering gaat in op {start} ({days} van {in_month} dagen), daarom zijn de "
                     "vaste lasten en inhoudingen naar verhouding betaald ({prorated} in plaats van {full}).").format(
            start=start, days=days, in_month=in_month, prorated=eur(p.direct_total + p.deduction_total), full=eur(full))
        p.notes.append(sentence)
        warnings.append(Warning("first_month", sentence))
        return
    proposal = proposed_advance(data)
    if p.advance > 0:
        sentence = _("Eerste maand: de uitkering gaat in op {start} ({days} van {in_month} dagen); een voorschot van "
                     "{amount} vult het leefgeld aan en wordt in {months} maanden terugbetaald.").format(
            start=start, days=days, in_month=in_month, amount=eur(p.advance), months=advance_line(data).months)
        p.notes.append(sentence)
        warnings.append(Warning("first_month", sentence))
    elif proposal > 0:
        sentence = _("Eerste maand: de uitkering gaat in op {start} ({days} van {in_month} dagen) en de vaste lasten "
                     "worden volledig betaald. Boek eerst het voorgestelde voorschot van {amount}.").format(
            start=start, days=days, in_month=in_month, amount=eur(proposal))
        p.notes.append(sentence)
        warnings.append(Warning("first_month_advance", sentence, blocking=True))


def proposed_advance(data: BudgetData) -> Decimal:
    """The voorschot for a partial first month: the part of the fixed costs and deductions the benefit days do not cover."""
    first = first_month_days(data)
    if first is None:
        return Decimal("0.00")
    days, in_month = first
    m = month_start(data.benefit_start)
    direct = [c for c in data.costs if cost_active(c, m) and is_direct(data.arrangement, c.category, m)]
    deductions = [d for d in data.deductions if deduction_active(d, m)]
    full = sum((c.amount for c in direct), Decimal("0.00")) + sum((d.amount for d in deductions), Decimal("0.00"))
    prorated = (sum((prorate(c.amount, days, in_month) for c in direct), Decimal("0.00"))
                + sum((prorate(d.amount, days, in_month) for d in deductions), Decimal("0.00")))
    return full - prorated


# The order in which directly paid costs are covered when the benefit is not enough for all.
PRIORITY = (config.RENT, config.HEALTH_INSURANCE, config.ENERGY, config.WATER, config.OTHER)


def costs_at_risk(p: MonthPicture) -> list[FixedCostItem]:
    """Directly paid costs that do not fit in what is paid out (after deductions), in priority order."""
    room = p.income - p.deduction_total
    at_risk = []
    for c in sorted(p.direct_costs, key=lambda c: (PRIORITY.index(c.category) if c.category in PRIORITY else 9, c.id)):
        if c.amount <= room:
            room -= c.amount
        else:
            at_risk.append(c)
    return at_risk


def warnings_for(p: MonthPicture, minimum: Decimal | None = None) -> list[Warning]:
    norm = p.norm if minimum is None else minimum
    out = []
    if p.direct_total + p.own_total > p.income:
        out.append(Warning(
            "fixed_costs_exceed_benefit",
            _("De vaste lasten ({costs}) zijn hoger dan de uitkering ({income}).").format(
                costs=eur(p.direct_total + p.own_total), income=eur(p.income)),
        ))
    for c in costs_at_risk(p):
        out.append(Warning(
            "fixed_cost_at_risk",
            _("{cost} ({amount}) kan deze maand niet uit de uitkering worden betaald: er blijft {income} over. "
              "Spreek af wie deze rekening betaalt.").format(
                cost=c.label or _(config.CATEGORIES.get(c.category, c.category)), amount=eur(c.amount),
                income=eur(p.income - p.deduction_total)),
            blocking=True,
        ))
    if p.leefgeld < 0:
        out.append(Warning(
            "leefgeld_negative",
            _("Het leefgeld is negatief ({leefgeld}): er wordt geen leefgeld overgemaakt. "
              "Pas de vaste lasten of inhoudingen aan.").format(leefgeld=eur(p.leefgeld)),
            blocking=True,
        ))
    elif p.available < norm:
        out.append(Warning(
            "leefgeld_below_norm",
            _("Om van te leven blijft {available} (leefgeld {leefgeld} plus toeslagen en inkomen, min eigen lasten); "
              "dat is lager dan de norm van {norm} voor dit huishouden.").format(
                available=eur(p.available), leefgeld=eur(p.leefgeld), norm=eur(norm)),
            blocking=True,
        ))
    for a in p.allowances_pending:
        out.append(Warning(
            "allowance_gap",
            _("{allowance} ({amount} per maand) is nog niet binnen; verwacht vanaf {month}. Overweeg een voorschot.").format(
                allowance=_(config.ALLOWANCES.get(a.kind, a.kind)), amount=eur(a.amount),
                month=f"{a.expected_from:%m-%Y}"),
        ))
    return out


def leefgeld_warnings(data: BudgetData, month: date) -> list[Warning]:
    """Every warning for one person and month (for the payment-run confirmation); see ``Warning``."""
    return month_picture(data, month).warnings


def allowance_gap_total(data: BudgetData, allowance: AllowanceItem) -> Decimal:
    """How much the person misses from the benefit start until the allowance arrives."""
    months = 0
    m = month_start(data.benefit_start)
    while m < allowance.expected_from and months < 120:
        months += 1
        m = add_months(m, 1)
    return allowance.amount * months
