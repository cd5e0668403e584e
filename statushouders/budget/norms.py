"""Which benefit norm applies: by household kind and date, prorated per day when something changes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import config
from .config import COUPLE, SINGLE, SINGLE_PARENT, YOUTH, Norm


@dataclass(frozen=True)
class HouseholdPeriod:
    """From ``valid_from`` on, the household has this kind (until the next period starts)."""

    valid_from: date
    kind: str


def norm_for(kind: str, on: date, norms: tuple[Norm, ...] = config.NORMS) -> Norm:
    """The norm valid on a date for a household kind; raises LookupError when none is configured."""
    found = [n for n in norms if n.kind == kind and n.valid_from <= on]
    if not found:
        raise LookupError(f"Geen bijstandsnorm ingesteld voor {config.HOUSEHOLD_KINDS.get(kind, kind)} op {on.isoformat()}.")
    return max(found, key=lambda n: n.valid_from)


def household_on(periods: list[HouseholdPeriod], on: date) -> str | None:
    """The household kind on a date, or None before the first period."""
    current = [p for p in periods if p.valid_from <= on]
    return max(current, key=lambda p: p.valid_from).kind if current else None


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after d's month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def benefit_for_month(
    periods: list[HouseholdPeriod], benefit_start: date, month: date, norms: tuple[Norm, ...] = config.NORMS
) -> Decimal:
    """The norm amount for a month, prorated by day over household changes, norm changes and the start.

    Why per day: a household change (a partner arriving by family reunification) changes the
    norm from its date, not from the next month.
    """
    first, last = month_start(month), month_end(month)
    days_in_month = last.day
    if benefit_start > last:
        return Decimal("0.00")
    total = Decimal(0)
    day = max(first, benefit_start)
    # Walk the days in segments where kind and norm stay the same.
    cuts = sorted({p.valid_from for p in periods if day < p.valid_from <= last}
                  | {n.valid_from for n in norms if day < n.valid_from <= last})
    bounds = [day, *cuts, last + timedelta(days=1)]
    for start, end in zip(bounds, bounds[1:]):
        kind = household_on(periods, start)
        if kind is None:
            continue
        amount = norm_for(kind, start, norms).amount
        total += amount * (end - start).days / days_in_month
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def suggest_household(birth_date: date, members: list[tuple[str, date]], on: date) -> str:
    """A suggestion for the household kind from the register (relationship, birth date) pairs.

    The financien role decides; this only pre-fills the form.
    """
    if 18 <= age_on(birth_date, on) <= 20 and not members:
        return YOUTH
    if any(rel == "partner" for rel, _ in members):
        return COUPLE
    if any(rel == "child" and age_on(b, on) < 18 for rel, b in members):
        return SINGLE_PARENT
    return SINGLE
