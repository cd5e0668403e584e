"""Issue 17 on the personas: first month, household norms, allowances, work income, the declined ontzorgen.

Pure rules first (persona files -> BudgetData, no database), expected euros written out; then the
database paths (service, runs, letters) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest
from statushouders import pip, plan_templates, register
from statushouders.budget import checks, config, service, views
from statushouders.budget.leefgeld import (
    AllowanceItem, BudgetData, BudgetLine, DeductionItem, FixedCostItem, Member, month_picture, proposed_advance,
)
from statushouders.budget.norms import HouseholdPeriod
from statushouders.budget.ontzorgen import CategoryPlan, default_arrangement
from statushouders.letters import archive
from statushouders.letters.budget_sources import Inconsistent
from statushouders.personas import schema


def persona_data(pid: str, **changes) -> BudgetData:
    """A persona's budget as the rules see it (costs payable from the first month)."""
    p = schema.load(f"personas/{pid}.yaml")
    b = p.budget
    first = b.benefit_start.replace(day=1)
    arr = default_arrangement(b.benefit_start)
    arr.months = b.ontzorgen.months or 6
    if not b.ontzorgen.wanted:
        for c in config.CORE_CATEGORIES:
            arr.categories[c] = CategoryPlan(c, "coaching", None, b.ontzorgen.reason)
    data = BudgetData(
        1, b.benefit_start, [HouseholdPeriod(b.benefit_start, b.household_kind)], b.supplement or D("0.00"),
        [FixedCostItem(i + 1, c.category, c.category, c.creditor, c.iban, c.amount, c.reference, False,
                       c.day_of_month, first) for i, c in enumerate(b.fixed_costs)],
        [DeductionItem(d.label, d.amount, first, d.months) for d in b.deductions],
        [AllowanceItem(a.kind, a.amount, a.expected_on.replace(day=1)) for a in b.allowances], arr,
        person_name=p.display_name, person_iban="NL20INGB0001234567",
        members=[Member(m.relationship, m.birth_date) for m in p.household if m.arrives_on is None],
    )
    return dataclasses.replace(data, **changes)


def codes(picture):
    return [(w.code, w.blocking) for w in picture.warnings if w.code != "allowance_gap"]


# --- the first month ------------------------------------------------------------------------------

def test_amina_first_month_is_prorated_so_leefgeld_stays_positive():
    # Benefit from 27 July 2026: 5 of 31 days. Norm single parent 2026 EUR 1,326.62 -> 213.97.
    july = month_picture(persona_data("amina"), date(2026, 7, 1))
    assert july.benefit == D("213.97")
    # Rent 640 -> 103.23, energy 120 -> 19.35, water 20 -> 3.23, health insurance 158 -> 25.48.
    assert [c.amount for c in july.direct_costs] == [D("103.23"), D("19.35"), D("3.23"), D("25.48")]
    assert july.full_direct_total == D("938.00") and july.direct_total == D("151.29")
    assert july.leefgeld == D("62.68")  # was 213.97 - 938.00 = -724.03 before
    assert july.notes == ["Eerste maand: de uitkering gaat in op 27-07-2026 (5 van 31 dagen), daarom zijn de vaste "
                          "lasten en inhoudingen naar verhouding betaald (€ 151,29 in plaats van € 938,00)."]
    # A full August: everything in full again.
    august = month_picture(persona_data("amina"), date(2026, 8, 1))
    assert (august.direct_total, august.leefgeld) == (D("938.00"), D("388.62"))


def test_khaled_starts_on_the_last_day_of_the_month():
    # 31 July 2026: 1 of 31 days of the couple norm EUR 1,895.17 -> 61.13; costs 1,211.00 -> 39.07.
    july = month_picture(persona_data("khaled"), date(2026, 7, 1))
    assert (july.benefit, july.direct_total, july.leefgeld) == (D("61.13"), D("39.07"), D("22.06"))


def test_zarghuna_first_month_and_the_furnishing_loan_is_prorated_too():
    data = persona_data("zarghuna", deductions=[DeductionItem("Aflossing inrichtingskrediet", D("93.00"),
                                                              date(2026, 8, 1), 36)])
    aug = month_picture(data, date(2026, 8, 1))  # 24 August: 8 of 31 days
    assert (aug.benefit, aug.direct_total, aug.deduction_total) == (D("342.35"), D("294.96"), D("24.00"))
    assert aug.leefgeld == D("23.39")


def test_advance_method_proposes_books_and_repays_a_voorschot(monkeypatch):
    rule = config.FirstMonthRule(date(2025, 1, 1), config.ADVANCE, 6)
    monkeypatch.setattr(config, "first_month_rule", lambda on, policy=None: rule)
    data = persona_data("hassan")
    data.arrangement = default_arrangement(data.benefit_start)  # Hassan with ontzorgen, 24 August: 8/31
    # Costs 695 + 95 + 18 + 158 = 966.00 in full; pro rata 179.35 + 24.52 + 4.65 + 40.77 = 249.29.
    assert proposed_advance(data) == D("716.71")
    unbooked = month_picture(data, date(2026, 8, 1))
    assert unbooked.leefgeld == D("342.35") - D("966.00")
    assert ("first_month_advance", True) in codes(unbooked)
    data.lines = [BudgetLine(config.ADVANCE_LINE, "Voorschot eerste maand", D("716.71"), date(2026, 8, 1), 6)]
    booked = month_picture(data, date(2026, 8, 1))
    assert (booked.advance, booked.direct_total, booked.leefgeld) == (D("716.71"), D("966.00"), D("93.06"))
    assert all(code != "first_month_advance" for code, _ in codes(booked))
    # Repaid in 6 parts of 119.45 from September; February takes the cents left (119.46).
    assert [month_picture(data, date(2026, m, 1)).deduction_total for m in (9, 10, 11, 12)] == [D("119.45")] * 4
    assert month_picture(data, date(2027, 1, 1)).deduction_total == D("119.45")
    assert month_picture(data, date(2027, 2, 1)).deduction_total == D("119.46")
    assert month_picture(data, date(2027, 3, 1)).deduction_total == D("0.00")


# --- household norms and allowances ---------------------------------------------------------------

def test_zarghuna_below_the_norm_of_a_family_of_five_until_the_allowances_arrive():
    data = persona_data("zarghuna")
    sep = month_picture(data, date(2026, 9, 1))
    # Single parent 275 + Javid 16 (175) + Nadia 12 (175) + Farid 9 (140) + Mariam 6 (140) = 905.00.
    assert sep.norm == D("905.00")
    assert (sep.leefgeld, sep.available) == (D("183.62"), D("183.62"))
    assert ("leefgeld_below_norm", True) in codes(sep)
    assert "lager dan de norm van € 905,00" in next(w.message for w in sep.warnings if w.code == "leefgeld_below_norm")
    # October: kinderbijslag 300 arrives -> 483.62, still below.
    assert month_picture(data, date(2026, 10, 1)).available == D("483.62")
    # November: + zorgtoeslag 131 + kindgebonden budget 450 -> 1,064.62: above the norm, no blocking warning.
    nov = month_picture(data, date(2026, 11, 1))
    assert nov.available == D("1064.62") and not [c for c, blocking in codes(nov) if blocking]
    # January 2027: + huurtoeslag 380 -> 1,444.62.
    assert month_picture(data, date(2027, 1, 1)).available == D("1444.62")


def test_the_same_leefgeld_is_fine_for_a_single_person_and_too_low_for_a_family():
    family = persona_data("zarghuna")
    family.costs[0] = dataclasses.replace(family.costs[0], amount=D("620.00"))  # rent 100 lower: 283.62 left
    single = dataclasses.replace(family, periods=[HouseholdPeriod(date(2026, 8, 24), "single")], members=[])
    alone, five = month_picture(single, date(2026, 9, 1)), month_picture(family, date(2026, 9, 1))
    assert alone.available == five.available == D("283.62")
    assert (alone.norm, five.norm) == (D("250.00"), D("905.00"))
    assert not [c for c, b in codes(alone) if b]
    assert ("leefgeld_below_norm", True) in codes(five)


def test_amina_norm_counts_her_toddler_and_commitments_reduce_what_is_left():
    data = persona_data("amina")
    aug = month_picture(data, date(2026, 8, 1))
    assert aug.norm == D("385.00")  # single parent 275 + Hodan (1) 110
    assert aug.available == D("388.62") and not [c for c, b in codes(aug) if b]
    data.lines = [BudgetLine(config.INFORMAL_DEBT, "Aflossing buurvrouw", D("40.00"), date(2026, 8, 1), 10)]
    owing = month_picture(data, date(2026, 8, 1))
    assert owing.available == D("348.62") and ("leefgeld_below_norm", True) in codes(owing)


def test_khaled_remittance_counts_but_the_couple_stays_above_the_norm():
    data = persona_data("khaled", lines=[BudgetLine(config.REMITTANCE, "Geld naar familie", D("50.00"),
                                                    date(2026, 7, 1))])
    aug = month_picture(data, date(2026, 8, 1))
    assert (aug.leefgeld, aug.available, aug.norm) == (D("684.17"), D("634.17"), D("400.00"))
    # October: zorgtoeslag 262 -> 896.17; November: huurtoeslag 300 -> 1,196.17.
    assert month_picture(data, date(2026, 10, 1)).available == D("896.17")
    assert month_picture(data, date(2026, 11, 1)).available == D("1196.17")


def test_leefgeld_warnings_is_the_function_for_the_run_confirmation():
    found = checks.leefgeld_warnings(persona_data("zarghuna"), date(2026, 9, 1))
    assert [w.code for w in found if w.blocking] == ["leefgeld_below_norm"]
    assert {w.code for w in found if not w.blocking} == {"allowance_gap"}


# --- income from work -----------------------------------------------------------------------------

def test_work_income_reduces_the_benefit_with_the_earnings_exemption_for_six_months():
    # Hassan (single, no ontzorgen) earns 800.00 net from March 2027.
    data = persona_data("hassan", lines=[BudgetLine(config.WORK, "Bakkerij", D("800.00"), date(2027, 3, 1))])
    march = month_picture(data, date(2027, 3, 1))
    # Exemption 25% of 800 = 200.00 (below the 268.00 cap): the benefit is 600.00 lower.
    assert (march.work.earnings, march.work.exemption, march.work.reduction) == (D("800.00"), D("200.00"), D("600.00"))
    assert march.income == D("726.62") and march.leefgeld == D("726.62")
    assert march.notes == ["Inkomsten uit werk € 800,00: de uitkering is € 600,00 lager (vrijlating € 200,00)."]
    # Six months of exemption (March-August 2027); from September euro for euro.
    assert month_picture(data, date(2027, 8, 1)).work.exemption == D("200.00")
    sep = month_picture(data, date(2027, 9, 1))
    assert (sep.work.exemption, sep.income) == (D("0.00"), D("526.62"))


def test_work_income_puts_a_directly_paid_cost_at_risk_and_says_which():
    # Zarghuna earns 1,200.00: exemption capped at 268.00, benefit 932.00 lower -> 394.62 paid out.
    data = persona_data("zarghuna", lines=[BudgetLine(config.WORK, "Schoonmaak", D("1200.00"), date(2026, 11, 1))])
    nov = month_picture(data, date(2026, 11, 1))
    assert (nov.work.exemption, nov.income) == (D("268.00"), D("394.62"))
    at_risk = [w for w in nov.warnings if w.code == "fixed_cost_at_risk"]
    # Rent 720 does not fit in 394.62; health insurance 158 does (-> 236.62), energy 230 does (-> 6.62), water 35 not.
    assert [w.message.split(" (")[0] for w in at_risk] == ["rent", "water"] and all(w.blocking for w in at_risk)
    # Allowances in November: zorgtoeslag 131 + kindgebonden budget 450 + kinderbijslag 300 = 881.00.
    assert nov.available == nov.leefgeld + D("881.00") + D("1200.00") == D("1332.62")


def test_youth_norm_has_no_earnings_exemption():
    data = persona_data("yonas", lines=[BudgetLine(config.WORK, "Garage", D("450.00"), date(2027, 9, 1))])
    sep = month_picture(data, date(2027, 9, 1))
    assert sep.work.exemption == D("0.00") and sep.work.reduction == D("450.00")
    assert sep.income == D("327.50") + D("600.00") - D("450.00")


# --- the database paths (SQLite and PostgreSQL) ---------------------------------------------------

TODAY = date(2026, 11, 23)


def test_record_work_income_from_the_budget_page_or_a_life_event(session, demo):
    users, people = demo
    yonas = people["Yonas"]
    with pytest.raises(register.FormErrors) as bad:
        service.record_work_income(session, users["financien"], yonas.id, {"line_amount": "-5"}, TODAY)
    assert "line_amount" in bad.value.errors
    with pytest.raises(PermissionError):
        service.record_work_income(session, users["coach"] if "coach" in users else users["budgetcoach"], yonas.id,
                                   {"line_amount": "450,00"}, TODAY)
    service.record_work_income(session, users["financien"], yonas.id, {"line_amount": "450,00", "line_from": "2027-01"},
                               TODAY)
    budget = service.budget_of(session, yonas.id)
    data = service.to_data(budget, yonas)
    assert [(ln.kind, ln.amount, ln.start_month) for ln in data.lines] == [("work", D("450.00"), date(2027, 1, 1))]
    page = views.budget_page(session, users["financien"], yonas.id, date(2027, 1, 5))
    assert "Inkomsten uit werk € 450,00" in " ".join(page.months[0]["notes"])


def test_pip_term_is_the_arrangement_term(session, demo):
    users, people = demo
    zarghuna = people["Zarghuna"]
    form = {"route": "z", "duration_months": "36", "ontzorgen_months": "18", "ontzorgen": "Achttien maanden direct"}
    current = pip.current_pip(session, zarghuna.id)
    if current is not None:
        form.update(change_kind="anders", reason="Langer ontzorgen", route=current.route)
    pip.decide_pip(session, users["regisseur"], zarghuna.id, form, TODAY, plan_templates.norms())
    assert service.budget_of(session, zarghuna.id).arrangement.months == 18  # one source of truth
    with pytest.raises(register.FormErrors) as refused:
        service.save_arrangement(session, users["financien"], zarghuna.id, {"ontzorgen_months": "6"}, TODAY)
    assert "Het PIP legt 18 maanden ontzorgen vast" in refused.value.errors["ontzorgen_months"]
    assert views.ontzorgen_summary(session, zarghuna.id)["months"] == 18


def test_payment_letter_refuses_a_past_payout_date_and_shows_the_execution_date(session, demo, pay_demo_month):
    users, people = demo
    yonas = people["Yonas"]
    pay_demo_month("2026-12", date(2026, 12, 2))  # approved after the due date
    letter = archive.prepare(session, users["financien"], yonas.id, "payment_overview",
                             {"month": "2026-12", "today": date(2026, 12, 2)}, date(2026, 12, 2))
    assert letter.leefgeld_date == date(2026, 12, 2)  # the SEPA ReqdExctnDt, not the due date 1 December
    with pytest.raises(Inconsistent) as late:
        archive.prepare(session, users["financien"], yonas.id, "payment_overview",
                        {"month": "2026-12", "today": date(2026, 12, 20)}, date(2026, 12, 20))
    assert "de uitbetaaldatum (02-12-2026) ligt vóór de briefdatum (20-12-2026)" in str(late.value)
