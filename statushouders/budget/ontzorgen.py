"""The ontzorgen arrangement: which fixed costs the municipality pays directly, in which months.

Default: the four core costs paid directly for the first 6 months from the start of the benefit.
Tailored: coaching instead of direct payment for some costs (with a reason), a longer period,
or a stepwise hand-back per category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from . import config
from .norms import add_months, month_start

DIRECT, COACHING, SELF = "direct", "coaching", "self"
MODES = {DIRECT: "Direct betaald door gemeente", COACHING: "Begeleiding budgetcoach (zelf betalen)", SELF: "Betaalt zelf"}


@dataclass
class CategoryPlan:
    category: str
    mode: str = DIRECT
    hand_back: date | None = None  # first month the person pays this cost themselves
    reason: str = ""


@dataclass
class Arrangement:
    start: date  # first month of ontzorgen (first day of the month)
    months: int = config.ONTZORGEN_MONTHS
    categories: dict[str, CategoryPlan] = field(default_factory=dict)
    reason: str = ""  # why the arrangement differs from the default (tailored / extended)

    @property
    def end(self) -> date:
        """First month after the ontzorgen period."""
        return add_months(self.start, self.months)

    @property
    def tailored(self) -> bool:
        return self.months != config.ONTZORGEN_MONTHS or any(
            (p.mode != DIRECT) or p.hand_back is not None
            for c, p in self.categories.items() if c in config.CORE_CATEGORIES
        )


def default_arrangement(benefit_start: date) -> Arrangement:
    """All four core costs direct for 6 months from the benefit start; other costs paid by the person."""
    cats = {c: CategoryPlan(c) for c in config.CORE_CATEGORIES}
    cats[config.OTHER] = CategoryPlan(config.OTHER, SELF)
    return Arrangement(month_start(benefit_start), config.ONTZORGEN_MONTHS, cats)


def plan_for(arrangement: Arrangement, category: str) -> CategoryPlan:
    return arrangement.categories.get(category) or CategoryPlan(category, SELF)


def direct_until(arrangement: Arrangement, category: str) -> date | None:
    """First month this category is no longer paid directly; None when never paid directly."""
    plan = plan_for(arrangement, category)
    if plan.mode != DIRECT:
        return None
    end = arrangement.end
    if plan.hand_back is not None:
        end = min(end, month_start(plan.hand_back))
    return end if end > arrangement.start else None


def is_direct(arrangement: Arrangement | None, category: str, month: date) -> bool:
    """Whether the municipality pays this category directly in the given month."""
    if arrangement is None:
        return False
    until = direct_until(arrangement, category)
    return until is not None and arrangement.start <= month_start(month) < until


def in_ontzorgen(arrangement: Arrangement | None, month: date) -> bool:
    return arrangement is not None and any(is_direct(arrangement, c, month) for c in arrangement.categories)


@dataclass(frozen=True)
class HandBack:
    category: str
    label: str
    last_direct_month: date
    hand_back_month: date


def hand_back_schedule(arrangement: Arrangement) -> list[HandBack]:
    """When each directly paid category returns to the person, earliest first."""
    rows = []
    for category, plan in arrangement.categories.items():
        until = direct_until(arrangement, category)
        if until is None:
            continue
        rows.append(HandBack(category, config.CATEGORIES.get(category, category), add_months(until, -1), until))
    return sorted(rows, key=lambda r: (r.hand_back_month, list(config.CATEGORIES).index(r.category)))


def validate_arrangement(arrangement: Arrangement) -> dict[str, str]:
    """Field errors: a tailored choice needs a reason; hand-back must fall inside the period."""
    errors: dict[str, str] = {}
    if arrangement.months < 1 or arrangement.months > 60:
        errors["ontzorgen_months"] = "De duur van ontzorgen moet tussen 1 en 60 maanden liggen."
    elif arrangement.months > config.ONTZORGEN_MONTHS and not arrangement.reason.strip():
        errors["ontzorgen_reason"] = "Geef een reden voor de verlenging van ontzorgen."
    for category, plan in arrangement.categories.items():
        if category in config.CORE_CATEGORIES and plan.mode != DIRECT and not plan.reason.strip():
            errors[f"mode_{category}"] = (
                f"Geef een reden waarom {config.CATEGORIES[category].lower()} niet direct wordt betaald."
            )
        if plan.hand_back is not None:
            if plan.mode != DIRECT:
                errors[f"hand_back_{category}"] = "Teruggeven kan alleen voor een kostenpost die direct wordt betaald."
            elif not (arrangement.start < month_start(plan.hand_back) <= arrangement.end):
                errors[f"hand_back_{category}"] = (
                    "De maand van teruggeven moet binnen de ontzorgperiode vallen "
                    f"(na {arrangement.start:%m-%Y}, uiterlijk {arrangement.end:%m-%Y})."
                )
    return errors
