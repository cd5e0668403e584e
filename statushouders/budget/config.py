"""Budget configuration: benefit norms as dated data, limits and the municipality's debtor account.

Figures marked ``confirmed=False`` were not checked against an official source (domain brief:
"2026 roughly +2% (check)"); they live here as data, never in the rules.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
