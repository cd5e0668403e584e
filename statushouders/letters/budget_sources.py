"""Letter sources from the budget: the ontzorgen decision, the monthly payment overview, the hand-back.

The payment overview prints exactly what approved payment runs paid for that month (the archived
payments), never a recomputation.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..budget import bank, service, views
from ..budget.money import eur
from ..catalogs import staff_text as _
from ..budget.norms import month_end, month_start
from ..models import Organisation, Payment, PaymentRun, Person
from ..policy import Actor
from .contexts import (
    COST_KINDS, CostLine, HandBackStep, OntzorgenDecision, OntzorgenEnd, PaymentOverview, money_problems,
)
from .sources import NotAvailable, OptionErrors, common, register

OBJECTION_TERM = timedelta(weeks=6)  # bezwaartermijn (Awb 6:7)


def _kind(category: str, label: str) -> str:
    """The letter's cost kind; any other cost prints under its own (Dutch) label."""
    if category in COST_KINDS:
        return category
    if "inboedel" in label.lower():
        return "contents_insurance"
    return label


def _deduction_kind(label: str) -> str:
    lower = label.lower()
    return "loan" if "inrichting" in lower else "advance_repayment" if "voorschot" in lower else label


def _summary(session: Session, person_id: int) -> dict:
    summary = views.ontzorgen_summary(session, person_id)
    if summary is None:
        raise NotAvailable(_("NotAvailable: er is nog geen budget (ontzorgen) voor deze persoon."))
    return summary


class Inconsistent(NotAvailable):
    """The letter would tell the person something wrong (a negative amount, a past payout date)."""


def _checked(context):
    problems = money_problems(context)
    if problems:
        raise Inconsistent(" ".join(problems))
    return context


def _coach_line(session: Session, person_id: int) -> str:
    coach = service.coach_info(session, person_id)
    who = ", ".join(part for part in (coach.organisation, coach.coach) if part)
    if coach.organisation:
        phone = session.scalar(select(Organisation.phone).where(Organisation.name == coach.organisation))
        who = f"{who} ({phone})" if phone else who
    return who


@register("ontzorgen_decision")
def ontzorgen_decision(session: Session, actor: Actor, person_id: int, options: dict) -> OntzorgenDecision:
    """Per directly paid cost until when and from when the person pays it; or, declined, the alternative."""
    summary = _summary(session, person_id)
    direct = [c for c in summary["costs"] if c["paid_directly_until"] is not None]
    base = common(session, actor, person_id, options)
    if not direct:
        if not summary["declined"] or not summary["alternative"]:
            raise NotAvailable(_("NotAvailable: de gemeente betaalt voor deze persoon geen vaste lasten direct, "
                                 "en er is geen alternatief op maat vastgelegd."))
        return _checked(OntzorgenDecision(
            **base, start=summary["start"], declined=True, alternative=summary["alternative"],
            coach_offer=summary["coach_offer"], coach=_coach_line(session, person_id),
            objection_before=base["letter_date"] + OBJECTION_TERM,
        ))
    last = summary["last_direct_month"]
    return _checked(OntzorgenDecision(
        **base, start=summary["start"], end=month_end(last) if last else None,
        costs=tuple(CostLine(_kind(c["category"], c["label"]), c["creditor"], c["amount"],
                             until=month_end(c["paid_directly_until"]), self_from=c["hand_back_month"])
                    for c in direct),
        objection_before=base["letter_date"] + OBJECTION_TERM,
    ))


def _month_option(session: Session, person_id: int, options: dict) -> date:
    raw = str(options.get("month") or "").strip()
    if raw:
        try:
            return month_start(date.fromisoformat(raw + "-01" if len(raw) == 7 else raw))
        except ValueError:
            raise OptionErrors({"month": _("'{month}' is geen maand. Gebruik jjjj-mm, bijvoorbeeld 2026-12.").format(
                month=raw)}) from None
    latest = session.scalar(
        select(func.max(Payment.month)).join(PaymentRun, PaymentRun.id == Payment.run_id)
        .where(Payment.person_id == person_id, PaymentRun.status == "approved")
    )
    if latest is None:
        raise NotAvailable(_("NotAvailable: er zijn nog geen goedgekeurde betalingen voor deze persoon."))
    return latest


@register("payment_overview")
def payment_overview(session: Session, actor: Actor, person_id: int, options: dict) -> PaymentOverview:
    month = _month_option(session, person_id, options)
    overview = views.payment_overview(session, person_id, month)
    if overview is None or (not overview["paid"] and not overview["leefgeld"]):
        raise NotAvailable(_("NotAvailable: er zijn nog geen goedgekeurde betalingen voor {month}.").format(
            month=f"{month:%m-%Y}"))
    if not overview["paid"] and not overview["returned"]:
        raise NotAvailable(_("NotAvailable: de gemeente heeft in {month} geen rekeningen voor deze persoon betaald "
                             "(geen ontzorgen); het besluit ontzorgen beschrijft het alternatief.").format(
            month=f"{month:%m-%Y}"))
    if overview["leefgeld_returned"]:  # the letter would say money arrived that did not
        back = overview["leefgeld_returned"][0]
        raise Inconsistent(_(
            "Brief niet gemaakt: de bank heeft het leefgeld van {month} ({amount}) teruggestuurd: {reason}. "
            "Zet het leefgeld eerst opnieuw in een goedgekeurde betaalrun (na een nieuw IBAN als dat nodig is); "
            "maak de brief daarna.").format(month=f"{month:%m-%Y}", amount=eur(back["amount"]),
                                            reason=bank.reason_label(back["reason"])))
    municipality = session.scalar(select(Organisation.name).where(Organisation.id == actor.organisation_id)) or ""
    lines = [CostLine(_kind(p["category"], p["label"]), p["creditor"], p["amount"]) for p in overview["paid"]]
    deductions = [CostLine(_deduction_kind(d["label"]), municipality, d["amount"]) for d in overview["deductions"]]
    returned = [CostLine(_kind(r["category"], r["label"]), r["creditor"], r["amount"]) for r in overview["returned"]]
    person = session.get(Person, person_id)
    return _checked(PaymentOverview(
        **common(session, actor, person_id, options), month=month, benefit=overview["benefit"],
        payments=tuple(lines), deductions=tuple(deductions), returned=tuple(returned), leefgeld_iban=person.iban or "",
        leefgeld_date=overview["leefgeld_date"] if overview["leefgeld"] else None, advance=overview["advance"],
        first_month_start=overview["first_month_start"], work_income=overview["work_income"],
        transferred=overview["leefgeld"],
    ))


@register("ontzorgen_end")
def ontzorgen_end(session: Session, actor: Actor, person_id: int, options: dict) -> OntzorgenEnd:
    summary = _summary(session, person_id)
    if not summary["hand_back"]:
        raise NotAvailable(_("NotAvailable: de gemeente betaalt voor deze persoon geen vaste lasten direct."))
    who = _coach_line(session, person_id)
    last = summary["last_direct_month"]
    return OntzorgenEnd(
        **common(session, actor, person_id, options), end=month_end(last) if last else None,
        steps=tuple(HandBackStep(_kind(h["category"], h["label"]), h["month"]) for h in summary["hand_back"]),
        coach=who,
    )
