"""The ontzorgen arrangement: which fixed costs the municipality pays directly, in which months.

Default: the four core costs paid directly for the first 6 months from the start of the benefit.
Tailored: coaching instead of direct payment for some costs (with a reason), a longer period,
or a stepwise hand-back per category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..catalogs import staff_text as _
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
    """First month this category is no longer paid directly; None when never paid directly.

    A hand-back month replaces the period's end for that category: earlier (stepwise hand-back
    within the period) or later (voluntary continuation for that cost, e.g. rent 3 months longer).
    """
    plan = plan_for(arrangement, category)
    if plan.mode != DIRECT:
        return None
    end = month_start(plan.hand_back) if plan.hand_back is not None else arrangement.end
    return end if end > arrangement.start else None


def last_direct_month(arrangement: Arrangement) -> date | None:
    """The last month anything is paid directly (the end of ontzorgen as the person experiences it)."""
    ends = [u for c in arrangement.categories if (u := direct_until(arrangement, c)) is not None]
    return add_months(max(ends), -1) if ends else None


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
        errors["ontzorgen_months"] = _("De duur van ontzorgen moet tussen 1 en 60 maanden liggen.")
    elif arrangement.months > config.ONTZORGEN_MONTHS and not arrangement.reason.strip():
        errors["ontzorgen_reason"] = _("Geef een reden voor de verlenging van ontzorgen.")
    for category, plan in arrangement.categories.items():
        label = _(config.CATEGORIES.get(category, category)).lower()
        if category in config.CORE_CATEGORIES and plan.mode != DIRECT and not plan.reason.strip():
            errors[f"mode_{category}"] = _("Geef een reden waarom {cost} niet direct wordt betaald.").format(cost=label)
        if plan.hand_back is not None:
            back = month_start(plan.hand_back)
            if plan.mode != DIRECT:
                errors[f"hand_back_{category}"] = _("Teruggeven kan alleen voor een kostenpost die direct wordt betaald.")
            elif back <= arrangement.start:
                errors[f"hand_back_{category}"] = _(
                    "De maand van teruggeven moet na de start van ontzorgen ({start}) liggen.").format(
                    start=f"{arrangement.start:%m-%Y}")
            elif back > add_months(arrangement.start, 60):
                errors[f"hand_back_{category}"] = _("De maand van teruggeven ligt meer dan 5 jaar na de start.")
            elif back > arrangement.end and not (arrangement.reason.strip() or plan.reason.strip()):
                errors[f"hand_back_{category}"] = _("Geef een reden om {cost} na {month} nog direct te betalen.").format(
                    cost=label, month=f"{add_months(arrangement.end, -1):%m-%Y}")
    return errors
