"""What the approver must see before approving a payment run: every warning per person.

Plain rules over plain data (``BudgetData`` and the run's payments); ``runs.approval_summary`` and
``runs.approve_run`` load the data and call ``warnings_for_run``. A *blocking* warning (leefgeld
below the norm, the run no longer matching the budget) must be resolved — change the budget, then
cancel and prepare the run again — or the person taken out of the run with a reason
(``runs.exclude_person``) before ``approve_run`` accepts the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..catalogs import staff_text as _
from . import config
from .leefgeld import BudgetData, month_picture
from .money import eur, from_cents
from .norms import month_start
from .selection import select_payments

LEEFGELD_KEY = "LG"


@dataclass(frozen=True)
class RunWarning:
    person_id: int
    person: str
    code: str  # leefgeld_below_norm, first_month, changed_iban, new_creditor, amount_change, ...
    message: str
    blocking: bool


class PaidLine(NamedTuple):  # immutable; a tuple because approval reads one per payment (~50,000)
    """One payment as the warnings need it: which cost (or LG), where to and how much."""

    key: int | str  # fixed cost id, or LEEFGELD_KEY
    month: date
    iban: str
    amount_cents: int
    end_to_end_id: str = ""
    resend: bool = False  # a returned payment sent again (its own, later end-to-end id)


def _person_warnings(
    data: BudgetData, month: date, in_run: list[PaidLine], before: list[PaidLine], already_paid: set[str],
) -> list[tuple[str, str, bool]]:
    m = month_start(month)
    picture = month_picture(data, m)  # once: the leefgeld check and the re-selection below both need it
    out = [(w.code, w.message, w.blocking) for w in picture.warnings]  # also explains a partial first month
    if month_start(data.benefit_start) == m and not any(code.startswith("first_month") for code, _m, _b in out):
        out.append(("first_month", _("Eerste maand van de uitkering (vanaf {start}): controleer de bedragen.").format(
            start=f"{data.benefit_start:%d-%m-%Y}"), False))
    # The run must still be what the budget says now (a budget changed after preparing is stale).
    planned, _problems = select_payments(data, m, already_paid, picture)
    now = {p.end_to_end_id: p.amount_cents for p in planned}
    was = {p.end_to_end_id: p.amount_cents for p in in_run if p.month == m and not p.resend}
    if now != was:
        out.append(("changed_since_prepared", _(
            "Het budget is gewijzigd sinds de run is voorbereid: annuleer de run en bereid hem opnieuw voor, "
            "of haal deze persoon uit de run."), True))
    last_month = {}
    for p in sorted(before, key=lambda p: p.month):
        last_month[p.key] = p
    earlier_ibans = {p.iban for p in before}
    labels = {c.id: c.label for c in data.costs}
    threshold = config.AMOUNT_CHANGE_PERCENT
    for p in in_run:
        what = _("leefgeld") if p.key == LEEFGELD_KEY else labels.get(p.key, str(p.key))
        prev = last_month.get(p.key)
        if prev is not None and prev.iban != p.iban:
            out.append(("changed_iban", _("{what}: IBAN gewijzigd sinds de vorige betaling ({old} → {new}).").format(
                what=what, old=prev.iban, new=p.iban), False))
        elif prev is None and before and p.iban not in earlier_ibans:
            out.append(("new_creditor", _("{what}: nieuwe ontvanger {iban} (nooit eerder betaald).").format(
                what=what, iban=p.iban), False))
        if prev is not None and prev.amount_cents > 0:
            change = abs(Decimal(p.amount_cents - prev.amount_cents)) * 100 / Decimal(prev.amount_cents)
            if change > threshold:
                out.append(("amount_change", _(
                    "{what}: {new} is meer dan {pct}% anders dan vorige maand ({old}).").format(
                    what=what, new=eur(from_cents(p.amount_cents)), old=eur(from_cents(prev.amount_cents)),
                    pct=threshold), False))
    return out


def warnings_for_run(
    budgets: dict[int, BudgetData], month: date, in_run: dict[int, list[PaidLine]],
    before: dict[int, list[PaidLine]], already_paid: set[str], names: dict[int, str],
) -> list[RunWarning]:
    """Every warning for every person in the run, blocking ones first per person.

    ``in_run``: the run's payments per person; ``before``: their approved payments of earlier months
    (the latest per cost is "last month"); ``already_paid``: end-to-end ids of the run's month paid in
    other, approved runs. A person in the run without a budget any more is blocking too.
    """
    out: list[RunWarning] = []
    for person_id in sorted(in_run):
        name = names.get(person_id, str(person_id))
        data = budgets.get(person_id)
        if data is None:
            out.append(RunWarning(person_id, name, "no_budget", _("Geen budget meer vastgelegd."), True))
            continue
        found = _person_warnings(data, month, in_run[person_id], before.get(person_id, []), already_paid)
        found.sort(key=lambda w: not w[2])
        out.extend(RunWarning(person_id, name, code, message, blocking) for code, message, blocking in found)
    return out
