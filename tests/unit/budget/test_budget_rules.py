"""Budget rules without database or Reflex: norms, leefgeld, warnings, hand-back, payment selection, checks."""

from datetime import date
from decimal import Decimal

import pytest

from statushouders.budget import checks, config
from statushouders.budget.leefgeld import AllowanceItem, BudgetData, DeductionItem, FixedCostItem, month_picture
from statushouders.budget.money import eur, parse_amount
from statushouders.budget.norms import HouseholdPeriod, benefit_for_month, norm_for, suggest_household
from statushouders.budget.ontzorgen import (
    COACHING, CategoryPlan, default_arrangement, hand_back_schedule, is_direct, validate_arrangement,
)
from statushouders.budget.selection import (
    LEEFGELD, due_date, end_to_end_id, first_payable_month, select_payments,
)

D = Decimal


def cost(id_, category, amount, day=1, first=date(2026, 1, 1), ended=None):
    return FixedCostItem(id_, category, config.CATEGORIES[category], "Dudok Wonen", "NL63TRIO0212345678",
                         D(amount), "", False, day, first, ended)


def budget(**kw):
    base = dict(person_id=7, benefit_start=date(2026, 1, 1), periods=[HouseholdPeriod(date(2026, 1, 1), "single")],
                costs=[cost(1, "rent", "650.00"), cost(2, "energy", "120.00", 15), cost(3, "water", "25.00", 20),
                       cost(4, "health_insurance", "155.00", 31)],
                person_name="Yonas Tesfay", person_iban="NL20INGB0001234567")
    base.update(kw)
    data = BudgetData(**base)
    if data.arrangement is None:
        data.arrangement = default_arrangement(data.benefit_start)
    return data


# --- norms -----------------------------------------------------------------------------------

def test_norm_depends_on_household_kind_and_date():
    assert norm_for("single", date(2025, 7, 1)).amount == D("1300.61")
    assert norm_for("couple", date(2025, 12, 31)).amount == D("1858.01")
    assert norm_for("youth", date(2025, 8, 1)).amount == D("321.08")
    assert norm_for("single_parent", date(2025, 8, 1)).amount == D("1300.61")
    # From 2026 the (unconfirmed, configured) +2% norm applies.
    assert norm_for("single", date(2026, 1, 1)).amount == D("1326.62")
    with pytest.raises(LookupError):
        norm_for("single", date(2024, 1, 1))


def test_household_change_changes_the_norm_from_its_date():
    periods = [HouseholdPeriod(date(2026, 5, 4), "single"), HouseholdPeriod(date(2026, 9, 16), "couple")]
    single, couple = norm_for("single", date(2026, 9, 1)).amount, norm_for("couple", date(2026, 9, 1)).amount
    assert benefit_for_month(periods, date(2026, 5, 4), date(2026, 8, 1)) == single
    # September: 15 days single, 15 days couple.
    assert benefit_for_month(periods, date(2026, 5, 4), date(2026, 9, 1)) == ((single + couple) / 2).quantize(D("0.01"))
    assert benefit_for_month(periods, date(2026, 5, 4), date(2026, 10, 1)) == couple
    # First month only from the start date; nothing before the start.
    assert benefit_for_month(periods, date(2026, 5, 4), date(2026, 4, 1)) == D("0.00")
    assert benefit_for_month(periods, date(2026, 5, 4), date(2026, 5, 1)) == (single * 28 / 31).quantize(D("0.01"))


def test_norm_change_on_first_of_january_applies_from_january():
    periods = [HouseholdPeriod(date(2025, 9, 1), "youth")]
    assert benefit_for_month(periods, date(2025, 9, 1), date(2025, 12, 1)) == D("321.08")
    assert benefit_for_month(periods, date(2025, 9, 1), date(2026, 1, 1)) == norm_for("youth", date(2026, 1, 1)).amount


def test_household_suggestion_from_the_register():
    today = date(2026, 11, 22)
    assert suggest_household(date(2007, 3, 14), [], today) == "youth"
    assert suggest_household(date(1985, 6, 2), [("partner", date(1982, 1, 1)), ("child", date(2017, 1, 1))], today) == "couple"
    assert suggest_household(date(1982, 11, 5), [("child", date(2014, 1, 1))], today) == "single_parent"
    assert suggest_household(date(1963, 1, 1), [], today) == "single"


# --- leefgeld and warnings ---------------------------------------------------------------------

def test_leefgeld_is_benefit_minus_direct_costs_minus_deductions():
    data = budget(deductions=[DeductionItem("Inrichtingskrediet", D("75.00"), date(2026, 1, 1), 36)])
    p = month_picture(data, date(2026, 3, 1))
    assert p.direct_total == D("950.00")
    assert p.leefgeld == D("1326.62") - D("950.00") - D("75.00")
    assert [w.code for w in p.warnings] == []


def test_leefgeld_below_norm_and_negative_warn():
    low = month_picture(budget(costs=[cost(1, "rent", "1100.00")]), date(2026, 3, 1))
    assert [(w.code, w.blocking) for w in low.warnings] == [("leefgeld_below_norm", True)]
    assert "lager dan de norm van € 250,00" in low.warnings[0].message
    neg = month_picture(budget(costs=[cost(1, "rent", "1400.00")]), date(2026, 3, 1))
    assert {w.code for w in neg.warnings} == {"fixed_costs_exceed_benefit", "fixed_cost_at_risk", "leefgeld_negative"}
    assert neg.leefgeld < 0


def test_allowance_gap_is_open_until_the_allowance_arrives():
    data = budget(allowances=[AllowanceItem("huurtoeslag", D("300.00"), date(2026, 4, 1))])
    march = month_picture(data, date(2026, 3, 1))
    assert march.allowance_gap == D("300.00")
    assert any(w.code == "allowance_gap" and "Huurtoeslag" in w.message for w in march.warnings)
    assert month_picture(data, date(2026, 4, 1)).allowance_gap == D("0.00")


def test_after_ontzorgen_the_person_pays_costs_from_leefgeld():
    p = month_picture(budget(), date(2026, 7, 1))
    assert p.direct_total == D("0.00") and p.own_total == D("950.00")
    assert p.leefgeld == p.income


# --- ontzorgen arrangement ---------------------------------------------------------------------

def test_default_arrangement_pays_four_core_costs_for_six_months():
    arr = default_arrangement(date(2026, 3, 9))
    for category in config.CORE_CATEGORIES:
        assert is_direct(arr, category, date(2026, 3, 1))
        assert is_direct(arr, category, date(2026, 8, 1))
        assert not is_direct(arr, category, date(2026, 9, 1))
        assert not is_direct(arr, category, date(2026, 2, 1))
    assert not is_direct(arr, "other", date(2026, 3, 1))
    assert not arr.tailored


def test_stepwise_hand_back_schedule():
    arr = default_arrangement(date(2026, 1, 1))
    arr.months = 12
    arr.reason = "Vrijwillige voortzetting"
    arr.categories["energy"].hand_back = date(2026, 7, 1)
    arr.categories["rent"].hand_back = date(2026, 9, 1)
    schedule = hand_back_schedule(arr)
    assert [(h.category, h.hand_back_month) for h in schedule] == [
        ("energy", date(2026, 7, 1)), ("rent", date(2026, 9, 1)),
        ("water", date(2027, 1, 1)), ("health_insurance", date(2027, 1, 1)),
    ]
    assert schedule[0].last_direct_month == date(2026, 6, 1)
    assert is_direct(arr, "energy", date(2026, 6, 1)) and not is_direct(arr, "energy", date(2026, 7, 1))
    assert is_direct(arr, "water", date(2026, 12, 1))
    assert arr.tailored and validate_arrangement(arr) == {}


def test_tailored_arrangement_needs_reasons_and_hand_back_inside_period():
    arr = default_arrangement(date(2026, 1, 1))
    arr.categories["energy"] = CategoryPlan("energy", COACHING)
    arr.months = 9
    arr.categories["rent"].hand_back = date(2027, 1, 1)
    arr.categories["water"].hand_back = date(2025, 12, 1)
    errors = validate_arrangement(arr)
    assert "reden" in errors["mode_energy"]
    assert "verlenging" in errors["ontzorgen_reason"]
    assert "reden om huur na 09-2026" in errors["hand_back_rent"]
    assert "na de start van ontzorgen" in errors["hand_back_water"]
    assert not is_direct(arr, "energy", date(2026, 2, 1))


def test_hand_back_after_the_period_continues_that_cost_only():
    arr = default_arrangement(date(2026, 7, 1))
    arr.months, arr.reason = 12, "Zelfredzaamheid financien 1"
    arr.categories["energy"].hand_back = date(2027, 7, 1)
    arr.categories["rent"].hand_back = date(2027, 10, 1)
    arr.categories["health_insurance"].hand_back = date(2028, 1, 1)
    assert validate_arrangement(arr) == {}
    assert is_direct(arr, "rent", date(2027, 9, 1)) and not is_direct(arr, "rent", date(2027, 10, 1))
    assert not is_direct(arr, "water", date(2027, 7, 1))
    assert is_direct(arr, "health_insurance", date(2027, 12, 1))
    assert [h.category for h in hand_back_schedule(arr)] == ["energy", "water", "rent", "health_insurance"]


# --- payment selection -------------------------------------------------------------------------

def test_selection_pays_direct_costs_and_leefgeld_once():
    data = budget()
    payments, problems = select_payments(data, date(2026, 2, 1))
    assert problems == []
    assert [p.fixed_cost_id for p in payments] == [1, 2, 3, 4, None]
    assert payments[-1].kind == LEEFGELD and payments[-1].amount_cents == 132662 - 95000
    assert payments[3].due_date == date(2026, 2, 28)  # day 31 in February: last day
    again, _ = select_payments(data, date(2026, 2, 1), {p.end_to_end_id for p in payments})
    assert again == []


def test_cost_added_mid_month_after_the_run_is_paid_next_month_once():
    approved = {date(2026, 3, 1)}
    first = first_payable_month(date(2026, 3, 17), approved)
    assert first == date(2026, 4, 1)
    assert first_payable_month(date(2026, 3, 17), set()) == date(2026, 3, 1)
    data = budget(costs=[cost(1, "rent", "650.00"), cost(9, "energy", "120.00", 15, first=first)])
    march, _ = select_payments(data, date(2026, 3, 1))
    april, _ = select_payments(data, date(2026, 4, 1))
    assert [p.fixed_cost_id for p in march] == [1, None]
    assert [p.fixed_cost_id for p in april] == [1, 9, None]


def test_ended_costs_and_missing_iban_or_negative_leefgeld():
    data = budget(costs=[cost(1, "rent", "650.00", ended=date(2026, 3, 1))], person_iban="")
    feb, problems = select_payments(data, date(2026, 2, 1))
    assert [p.fixed_cost_id for p in feb] == [1]
    assert "geen IBAN" in problems[0]
    assert select_payments(data, date(2026, 3, 1))[0] == []
    neg, problems = select_payments(budget(costs=[cost(1, "rent", "1400.00")]), date(2026, 2, 1))
    # Rent of EUR 1,400 does not fit in the EUR 1,326.62 benefit: never paid out beyond the benefit.
    assert neg == [] and "Huur niet betaald" in problems[0] and "geen leefgeld" in problems[1]


def test_end_to_end_ids_unique_and_at_most_35_characters():
    ids = {end_to_end_id(p, date(2026, m, 1), c) for p in (1, 99999, 9999999999) for m in (1, 12)
           for c in (None, 1, 9999999999)}
    assert len(ids) == 3 * 2 * 3
    assert all(len(i) <= 35 for i in ids)
    assert end_to_end_id(12, date(2026, 12, 1), 34) == "EP12-FC34-202612"
    assert due_date(date(2028, 2, 1), 31) == date(2028, 2, 29)


# --- input checks -----------------------------------------------------------------------------

def good_cost(**kw):
    form = {"category": "rent", "creditor_name": "Dudok Wonen", "creditor_iban": "NL63 TRIO 0212 3456 78",
            "amount": "650,00", "reference": "", "day_of_month": "1"}
    form.update(kw)
    return form


def test_valid_fixed_cost_is_cleaned():
    c = checks.check_fixed_cost(good_cost(reference=checks.make_betalingskenmerk("300000000000101")))
    assert c.errors == {}
    assert c.values["creditor_iban"] == "NL63TRIO0212345678"
    assert c.values["amount"] == D("650.00")
    assert c.values["structured_reference"] is True


@pytest.mark.parametrize("field,value,message", [
    ("creditor_iban", "NL00TRIO0212345678", "geen geldig IBAN"),
    ("amount", "-650", "negatief"),
    ("amount", "65000", "onwaarschijnlijk hoog"),
    ("amount", "zeshonderd", "Geen geldig bedrag"),
    ("creditor_name", "", "naam van de ontvanger"),
    ("creditor_name", "شركة المياه", "Latijnse schrijfwijze"),
    ("creditor_name", "ቴስፋይ", "Latijnse schrijfwijze"),
    ("day_of_month", "32", "tussen 1 en 31"),
    ("reference", "1234567890123456", "controlecijfer"),
])
def test_bad_fixed_cost_input_gets_a_dutch_message_per_field(field, value, message):
    c = checks.check_fixed_cost(good_cost(**{field: value}))
    assert message in c.errors[field]


def test_accented_names_are_cleaned_visibly_and_day_31_explained():
    c = checks.check_fixed_cost(good_cost(creditor_name="Énergie Müller & Zn", day_of_month="31"))
    assert c.errors == {}
    assert c.values["creditor_name"] == "Energie Muller + Zn"
    assert "Energie Muller + Zn" in c.notices["creditor_name"]
    assert "februari" in c.notices["day_of_month"] and c.values["day_of_month"] == 31


def test_benefit_start_in_the_future_is_refused():
    c = checks.check_benefit({"benefit_start": "2027-01-01", "household_kind": "single"}, date(2026, 11, 22))
    assert "toekomst" in c.errors["benefit_start"]
    c = checks.check_benefit({"benefit_start": "2026-03-01", "household_kind": "", "supplement": "-5"}, date(2026, 11, 22))
    assert "leefsituatie" in c.errors["household_kind"] and "negatief" in c.errors["supplement"]


def test_amount_parsing_and_formatting():
    assert parse_amount("1.250,50") == D("1250.50")
    assert parse_amount("1250.5") == D("1250.50")
    assert parse_amount("€ 650") == D("650.00")
    assert parse_amount("1.250") == D("1250.00")
    assert eur(D("1234.5")) == "€ 1.234,50" and eur(-500) == "-€ 5,00"
