"""Milestone dates of a trajectory and due dates relative to them.

A milestone with a real date uses it. One that has not happened yet is estimated
from the previous one with the norms in ``plans/norms.yaml`` (permit -> koppeling
14 days, koppeling -> offer 10 weeks, offer -> move 2 weeks, BRP -> PIP 10 weeks),
but never earlier than the reference day: what has not happened cannot lie in the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .catalogs import staff_text as _
from .plan_templates import MILESTONES


@dataclass(frozen=True)
class Milestone:
    key: str
    day: date
    estimated: bool

    @property
    def label(self) -> str:
        """The milestone and its day in the staff UI language, marked when estimated."""
        text = _("{milestone} {day} (verwacht)") if self.estimated else "{milestone} {day}"
        return text.format(milestone=_(MILESTONES[self.key]), day=self.day.isoformat())


def milestone_dates(
    norms: dict[str, int],
    reference: date,
    permit: date | None = None,
    koppeling: date | None = None,
    move: date | None = None,
    brp: date | None = None,
    intake: date | None = None,
    pip: date | None = None,
) -> dict[str, Milestone]:
    """Every milestone that is known or can be estimated; the chain stops where nothing is known."""
    out: dict[str, Milestone] = {}

    def put(key: str, actual: date | None, previous: str | None, days: int) -> None:
        if actual is not None:
            out[key] = Milestone(key, actual, False)
        elif previous in out:
            out[key] = Milestone(key, max(out[previous].day + timedelta(days=days), reference), True)

    put("permit", permit, None, 0)
    put("koppeling", koppeling, "permit", norms["permit_to_koppeling_days"])
    put("move", move, "koppeling", norms["koppeling_to_offer_days"] + norms["offer_to_move_days"])
    put("brp", brp, "move", norms["move_to_brp_days"])
    if intake is not None:
        out["intake"] = Milestone("intake", intake, False)
    elif "brp" in out:
        out["intake"] = Milestone("intake", max(out["brp"].day, reference), True)
    put("pip", pip, "brp", norms["brp_to_pip_days"])
    return out


def due_from(
    milestones: dict[str, Milestone], key: str, days: int, today: date, catch_up_days: int
) -> tuple[date | None, date | None]:
    """(due date, norm date when it had already passed). A passed norm gives today + catch-up."""
    milestone = milestones.get(key)
    if milestone is None:
        return None, None
    due = milestone.day + timedelta(days=days)
    if due < today:
        return today + timedelta(days=catch_up_days), due
    return due, None


def check_due(milestones: dict[str, Milestone], key: str, due: date | None) -> str | None:
    """A message when a due date lies before the milestone it depends on, else None."""
    if due is None or not key:
        return None
    milestone = milestones.get(key)
    if milestone is not None and due < milestone.day:
        return _("De deadline {due} ligt vóór de mijlpaal waar deze actie op wacht: {milestone}.").format(
            due=due.isoformat(), milestone=milestone.label)
    return None
