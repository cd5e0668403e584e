"""Demo budgets for the personas (Yonas, Rania, Zarghuna): called once from ``seed.seed``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import auth
from ..models import Person, User
from . import checks, service

# Demo IBANs (valid checksums, not real accounts).
PERSON_IBANS = {"2100000001": "NL20INGB0001234567", "2100000002": "NL44RABO0123456789", "2100000003": "NL23BUNQ2025123456"}
CREDITORS = {
    "woning": ("Dudok Wonen", "NL63TRIO0212345678"),
    "energie": ("Vattenfall Klantenservice", "NL66ASNB0707070707"),
    "water": ("Vitens", "NL22SNSB0912345678"),
    "zorg": ("Zilveren Kruis Zorgverzekeringen", "NL91ABNA0417164300"),
}


def _cost(category: str, creditor: str, amount: str, day: str, ref: str = "", label: str = "") -> dict:
    name, iban = CREDITORS[creditor]
    return {"category": category, "creditor_name": name, "creditor_iban": iban, "amount": amount,
            "day_of_month": day, "reference": ref, "label": label}


PLANS = {
    "2100000001": {  # Yonas: youth norm plus supplement, ontzorgen extended, energy handed back first
        "benefit": {"benefit_start": "2026-03-01", "household_kind": "youth", "supplement": "600,00"},
        "costs": [_cost("rent", "woning", "450,00", "1", checks.make_betalingskenmerk("300000000000101")),
                  _cost("energy", "energie", "60,00", "15"), _cost("water", "water", "15,00", "20"),
                  _cost("health_insurance", "zorg", "152,50", "31")],
        "deductions": [{"deduction_label": "Aflossing inrichtingskrediet", "deduction_amount": "50,00",
                        "deduction_months": "36"}],
        "allowances": [{"allowance_kind": "zorgtoeslag", "allowance_amount": "131,00", "allowance_expected": "2026-06-01"}],
        "arrangement": {"ontzorgen_months": "12", "ontzorgen_reason": "Zelfredzaamheid financiën 1; informele schulden.",
                        "hand_back_energy": "2027-01"},
        "coach": True,
    },
    "2100000002": {  # Rania: couple from month 4 (family reunification); coaching instead of direct payment
        "benefit": {"benefit_start": "2026-05-04", "household_kind": "single"},
        "household_change": {"change_from": "2026-09-01", "change_kind": "couple"},
        "costs": [_cost("rent", "woning", "880,00", "1"), _cost("energy", "energie", "210,00", "15"),
                  _cost("water", "water", "30,00", "20"), _cost("health_insurance", "zorg", "312,00", "1")],
        "allowances": [{"allowance_kind": "huurtoeslag", "allowance_amount": "310,00", "allowance_expected": "2026-08-01"}],
        "arrangement": {"ontzorgen_months": "6", "mode_energy": "coaching", "mode_water": "coaching",
                        "mode_health_insurance": "coaching",
                        "reason_energy": "Financieel zelfredzaam (maatwerk sinds april 2023); wil zelf betalen.",
                        "reason_water": "Financieel zelfredzaam; wil zelf betalen.",
                        "reason_health_insurance": "Financieel zelfredzaam; wil zelf betalen."},
    },
    "2100000003": {  # Zarghuna: single parent, ontzorgen essential, huurtoeslag still to come
        "benefit": {"benefit_start": "2026-06-01", "household_kind": "single_parent"},
        "costs": [_cost("rent", "woning", "720,00", "1", checks.make_betalingskenmerk("300000000000303")),
                  _cost("energy", "energie", "230,00", "28"), _cost("water", "water", "35,00", "20"),
                  _cost("health_insurance", "zorg", "158,00", "1")],
        "allowances": [{"allowance_kind": "huurtoeslag", "allowance_amount": "380,00", "allowance_expected": "2027-01-01"}],
        "arrangement": {"ontzorgen_months": "12", "ontzorgen_reason": "Kan niet lezen of schrijven; ontzorgen essentieel.",
                        "hand_back_energy": "2027-03", "hand_back_rent": "2027-05"},
        "coach": True,
    },
}


def seed_budgets(session: Session, today: date) -> None:
    """Budgets, arrangements and a coach for the demo personas, entered as the financien user would."""
    fin = auth.actor_for(session.scalars(select(User).where(User.username == "financien")).one())
    coach_user = session.scalars(select(User).where(User.username == "budgetcoach")).first()
    for v_number, plan in PLANS.items():
        person = session.scalars(select(Person).where(Person.v_number == v_number)).first()
        if person is None:
            continue
        person.iban = person.iban or PERSON_IBANS[v_number]
        service.save_benefit(session, fin, person.id, plan["benefit"], today)
        if "household_change" in plan:
            service.add_household_change(session, fin, person.id, plan["household_change"], today)
        for cost in plan["costs"]:
            service.add_fixed_cost(session, fin, person.id, cost, today)
        for ded in plan.get("deductions", []):
            service.add_deduction(session, fin, person.id, ded, today)
        for allowance in plan.get("allowances", []):
            service.add_allowance(session, fin, person.id, allowance, today)
        service.save_arrangement(session, fin, person.id, plan["arrangement"], today)
        if plan.get("coach") and coach_user is not None:
            service.assign_coach(session, fin, person.id, coach_user.id, today)
            coach = auth.actor_for(coach_user)
            service.add_coach_note(session, coach, person.id, "Kennismaking; budgetoverzicht samen doorgenomen.", today)
            service.set_checklist(session, coach, person.id, "paperwork", True, today)
