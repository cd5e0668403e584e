"""One overall guidance level per person, derived from the life domains by a documented rule.

The rule: the overall level is the most intensive level that at least half of the recorded
domains need. Zarghuna (five domains at L1) is L1; three domains at L3 and one at L1 give L3;
L1 and L3 give L1 (half need L1). The regisseur can set another level with a reason; clearing
it returns to the derived level. Intensity: L1 (taken by the hand) > L2 (coaching) > L3 (information).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from .catalogs import staff_text as _
from .models import Plan
from .plan_templates import LEVELS
from .plans import _log, _regie
from .policy import Actor
from .register import FormErrors
from .validation import max_length, text_problem

INTENSITY = ("L1", "L2", "L3")  # most intensive first


def derive(levels: list[str]) -> str:
    """The most intensive level that at least half of the domains need; "" without domains."""
    levels = [lv for lv in levels if lv in INTENSITY]
    for level in INTENSITY:
        at_least = sum(1 for lv in levels if INTENSITY.index(lv) <= INTENSITY.index(level))
        if levels and 2 * at_least >= len(levels):
            return level
    return ""


@dataclass(frozen=True)
class Overall:
    level: str  # "" when no domain is recorded yet
    derived: str
    reason: str  # why the regisseur chose another level than the derived one

    @property
    def label(self) -> str:
        return _(LEVELS[self.level]) if self.level else _("nog geen leefgebieden vastgelegd")

    @property
    def explanation(self) -> str:
        if not self.derived:
            return ""
        if self.level == self.derived:
            return _("afgeleid: het intensiefste niveau dat minstens de helft van de leefgebieden nodig heeft")
        return _("gekozen door de regisseur (afgeleid was {derived}): {reason}").format(
            derived=_(LEVELS[self.derived]), reason=self.reason)


def overall_of(plan: Plan | None) -> Overall:
    derived = derive([a.level for a in plan.assessments]) if plan is not None else ""
    if plan is not None and plan.overall_level in LEVELS:
        return Overall(plan.overall_level, derived, plan.overall_reason)
    return Overall(derived, derived, "")


def set_overall(session: Session, actor: Actor, person_id: int, level: str, reason: str, today: date) -> Overall:
    """The regisseur sets the overall level; a level other than the derived one needs a reason."""
    _person, plan = _regie(session, actor, person_id, today, _("het overall begeleidingsniveau wijzigen"))
    level, reason = str(level or "").strip(), str(reason or "").strip()
    derived = derive([a.level for a in plan.assessments])
    if level and level not in LEVELS:
        raise FormErrors({"overall_level": _("Kies het begeleidingsniveau: L1, L2 of L3.")})
    problem = text_problem(reason, _("Reden"), max_length("overall_reason"))
    if problem:
        raise FormErrors({"overall_reason": problem})
    if level and level != derived and not reason:
        raise FormErrors({"overall_reason": _(
            "Afgeleid uit de leefgebieden is {derived}; u kiest {chosen}. Leg uit waarom.").format(
            derived=_(LEVELS[derived]) if derived else _("nog niets"), chosen=_(LEVELS[level]))})
    before = overall_of(plan)
    plan.overall_level, plan.overall_reason = ("", "") if level in ("", derived) else (level, reason)
    after = overall_of(plan)
    _log(session, actor, plan, f"overall niveau: {before.level or '—'} → {after.level or '—'}"
         + (f" ({after.reason})" if after.reason else " (afgeleid uit de leefgebieden)"))
    return after
