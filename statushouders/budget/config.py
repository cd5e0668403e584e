"""Budget configuration: benefit norms as dated data, limits and the municipality's debtor account.

Figures marked ``confirmed=False`` were not checked against an official source (domain brief:
"2026 roughly +2% (check)"); they live here as data, never in the rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from ..catalogs import staff_message

SINGLE, COUPLE, SINGLE_PARENT, YOUTH = "single", "couple", "single_parent", "youth"
HOUSEHOLD_KINDS = {
    SINGLE: "Alleenstaand",
    COUPLE: "Gehuwd / samenwonend",
    SINGLE_PARENT: "Alleenstaande ouder",
    YOUTH: "Jongere 18-20 jaar",
}


@dataclass(frozen=True)
class Norm:
    """Net monthly benefit norm for one household kind, valid from a date until the next entry."""

    kind: str
    valid_from: date
    amount: Decimal
    confirmed: bool = True


def _up(amount: str, pct: str = "1.02") -> Decimal:
    return (Decimal(amount) * Decimal(pct)).quantize(Decimal("0.01"))


# Participatiewet norms (excl. holiday allowance). Single parents get the single norm; the
# single-parent supplement comes through the kindgebonden budget, outside this planner.
NORMS: tuple[Norm, ...] = (
    Norm(SINGLE, date(2025, 7, 1), Decimal("1300.61")),
    Norm(COUPLE, date(2025, 7, 1), Decimal("1858.01")),
    Norm(SINGLE_PARENT, date(2025, 7, 1), Decimal("1300.61")),
    Norm(YOUTH, date(2025, 7, 1), Decimal("321.08")),
    Norm(SINGLE, date(2026, 1, 1), _up("1300.61"), confirmed=False),
    Norm(COUPLE, date(2026, 1, 1), _up("1858.01"), confirmed=False),
    Norm(SINGLE_PARENT, date(2026, 1, 1), _up("1300.61"), confirmed=False),
    Norm(YOUTH, date(2026, 1, 1), _up("321.08"), confirmed=False),
)

# Fixed-cost categories; the first four are the ontzorgen core costs.
RENT, ENERGY, WATER, HEALTH_INSURANCE, OTHER = "rent", "energy", "water", "health_insurance", "other"
CORE_CATEGORIES = (RENT, ENERGY, WATER, HEALTH_INSURANCE)
CATEGORIES = {
    RENT: staff_message("Huur"),
    ENERGY: staff_message("Energie (gas/stroom)"),
    WATER: staff_message("Water"),
    HEALTH_INSURANCE: staff_message("Zorgverzekering"),
    OTHER: staff_message("Overig"),
}
# Above these monthly amounts an entry is almost certainly a typing error (EUR).
ABSURD_ABOVE = {RENT: Decimal("2500"), ENERGY: Decimal("800"), WATER: Decimal("200"),
                HEALTH_INSURANCE: Decimal("1000"), OTHER: Decimal("1500")}
ABSURD_DEDUCTION = Decimal("1000")
ABSURD_ALLOWANCE = Decimal("1000")
ABSURD_SUPPLEMENT = Decimal("2000")

HUURTOESLAG, ZORGTOESLAG = "huurtoeslag", "zorgtoeslag"
ALLOWANCES = {HUURTOESLAG: staff_message("Huurtoeslag"), ZORGTOESLAG: staff_message("Zorgtoeslag"),
              "kinderbijslag": staff_message("Kinderbijslag"), "kindgebonden_budget": staff_message("Kindgebonden budget")}

# Leefgeld below this per month gets a warning (configurable per deployment).
MINIMUM_LEEFGELD = Decimal(os.environ.get("STATUSHOUDERS_MINIMUM_LEEFGELD", "250.00"))

# Approval: a payment differing more than this percentage from last month's for the same cost is flagged.
AMOUNT_CHANGE_PERCENT = Decimal(os.environ.get("STATUSHOUDERS_AMOUNT_CHANGE_PERCENT", "25"))

ONTZORGEN_MONTHS = 6  # at least the first 6 months of the benefit
LEEFGELD_DAY = 1  # leefgeld is transferred on this day of the month

SEPA_SCHEMAS = ("pain.001.001.09", "pain.001.001.03")
DEFAULT_SCHEMA = "pain.001.001.09"


@dataclass(frozen=True)
class DebtorAccount:
    name: str
    iban: str
    bic: str


# The municipality's account the payments are made from (demo values; set per deployment).
DEBTORS = {
    "Hilversum": DebtorAccount(
        os.environ.get("STATUSHOUDERS_DEBTOR_NAME", "Gemeente Hilversum"),
        os.environ.get("STATUSHOUDERS_DEBTOR_IBAN", "NL91ABNA0417164300"),
        os.environ.get("STATUSHOUDERS_DEBTOR_BIC", "ABNANL2A"),
    ),
}


def debtor_for(municipality: str) -> DebtorAccount:
    """The paying account of a municipality; a demo account for municipalities not configured."""
    return DEBTORS.get(municipality) or DebtorAccount(f"Gemeente {municipality}", "NL91ABNA0417164300", "ABNANL2A")


# ---- Dated policy from config/budget.yaml (first month, leefgeld norms, work income) -------------

POLICY_FILE = Path(os.environ.get("STATUSHOUDERS_BUDGET_CONFIG",
                                  Path(__file__).resolve().parents[2] / "config" / "budget.yaml"))
PRORATE, ADVANCE = "prorate", "advance"


@dataclass(frozen=True)
class FirstMonthRule:
    valid_from: date
    method: str  # PRORATE or ADVANCE
    advance_repay_months: int = 6


@dataclass(frozen=True)
class LeefgeldNorm:
    """The least a household should have per month after fixed costs: base + per child by age."""

    valid_from: date
    base: dict[str, Decimal]
    children: tuple[tuple[int, Decimal], ...]  # (max age, amount), first that fits
    confirmed: bool = True


@dataclass(frozen=True)
class WorkIncomeRule:
    valid_from: date
    exemption_percent: Decimal
    exemption_max_per_month: Decimal
    exemption_months: int
    applies_to: frozenset[str]
    confirmed: bool = True


@dataclass(frozen=True)
class Policy:
    first_month: tuple[FirstMonthRule, ...]
    leefgeld_norms: tuple[LeefgeldNorm, ...]
    work_income: tuple[WorkIncomeRule, ...]


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@lru_cache(maxsize=4)
def load_policy(path: str | None = None) -> Policy:
    """The dated policy entries of config/budget.yaml (or ``STATUSHOUDERS_BUDGET_CONFIG``)."""
    with open(path or POLICY_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    first = tuple(FirstMonthRule(_date(e["valid_from"]), str(e["method"]), int(e.get("advance_repay_months", 6)))
                  for e in raw.get("first_month", []))
    for rule in first:
        if rule.method not in (PRORATE, ADVANCE) or rule.advance_repay_months < 1:
            raise ValueError(f"config/budget.yaml first_month: method must be prorate or advance ({rule})")
    norms = tuple(LeefgeldNorm(
        _date(e["valid_from"]), {k: Decimal(str(v)) for k, v in e["base"].items()},
        tuple((int(c["max_age"]), Decimal(str(c["amount"]))) for c in e.get("children", [])),
        bool(e.get("confirmed", True))) for e in raw.get("leefgeld_norms", []))
    work = tuple(WorkIncomeRule(
        _date(e["valid_from"]), Decimal(str(e["exemption_percent"])), Decimal(str(e["exemption_max_per_month"])),
        int(e["exemption_months"]), frozenset(e.get("applies_to", [])), bool(e.get("confirmed", True)))
        for e in raw.get("work_income", []))
    return Policy(first, norms, work)


def _valid_on(entries, on: date, what: str):
    found = [e for e in entries if e.valid_from <= on]
    if not found:
        raise LookupError(f"Geen {what} ingesteld op {on.isoformat()} (config/budget.yaml).")
    return max(found, key=lambda e: e.valid_from)


def first_month_rule(on: date, policy: Policy | None = None) -> FirstMonthRule:
    return _valid_on((policy or load_policy()).first_month, on, "regel voor de eerste maand")


def leefgeld_norm(on: date, policy: Policy | None = None) -> LeefgeldNorm:
    return _valid_on((policy or load_policy()).leefgeld_norms, on, "leefgeldnorm")


def work_income_rule(on: date, policy: Policy | None = None) -> WorkIncomeRule:
    return _valid_on((policy or load_policy()).work_income, on, "regel voor inkomsten uit werk")


# Income lines and commitments the budget page and the coach record (budget_lines.kind).
WORK, OTHER_INCOME, INFORMAL_DEBT, REMITTANCE, LOAN_REPAYMENT, ADVANCE_LINE = (
    "work", "other_income", "informal_debt", "remittance", "loan_repayment", "advance")
INCOME_KINDS = {WORK: staff_message("Inkomsten uit werk (netto)"), OTHER_INCOME: staff_message("Ander inkomen")}
COMMITMENT_KINDS = {INFORMAL_DEBT: staff_message("Aflossing informele schuld"),
                    REMITTANCE: staff_message("Geld naar familie (remittance)"),
                    LOAN_REPAYMENT: staff_message("Aflossing lening")}
ABSURD_INCOME = Decimal("5000")
