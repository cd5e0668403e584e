"""Who sees and changes a budget: financien, the regisseur, a consented budget coach; never health."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from statushouders import policy, register
from statushouders.budget import service, views
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 11, 22)


@pytest.fixture
def person(session, chain, make_form):
    p = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    service.save_benefit(session, chain["financien"], p.id, {"benefit_start": "2026-03-01", "household_kind": "youth",
                                                             "supplement": "600"}, TODAY)
    return p


def test_financien_records_the_budget_with_errors_per_field(session, chain, person):
    with pytest.raises(FormErrors) as exc:
        service.add_fixed_cost(session, chain["financien"], person.id, {
            "category": "rent", "creditor_name": "", "creditor_iban": "NL00XXXX", "amount": "-1", "day_of_month": "40"},
            TODAY)
    assert set(exc.value.errors) == {"creditor_name", "creditor_iban", "amount", "day_of_month"}
    page = views.budget_page(session, chain["financien"], person.id, TODAY)
    assert page.has_budget and page.household_kind == "youth"


def test_budget_coach_needs_consent_and_sees_no_health(session, chain, person):
    coach = chain["budgetcoach"]
    with pytest.raises(AccessDenied):
        views.budget_page(session, coach, person.id, TODAY)
    # Assigning a coach without consent is refused.
    coach_user_id = coach.user_id
    with pytest.raises(FormErrors, match="toestemming"):
        service.assign_coach(session, chain["financien"], person.id, coach_user_id, TODAY)
    register.record_consent(session, chain["regisseur"], person.id, chain["orgs"]["budgetcoach"].id, "ti_ER", True, TODAY)
    service.assign_coach(session, chain["financien"], person.id, coach_user_id, TODAY)
    page = views.budget_page(session, coach, person.id, TODAY)
    text = str(asdict(page))
    assert page.has_budget
    assert "Slaapt slecht" not in text  # the person's functional limitations (health)
    groups = policy.visible_groups(coach, person, session, TODAY)
    assert policy.FINANCES in groups and policy.HEALTH not in groups
    service.add_coach_note(session, coach, person.id, "Toeslagen aangevraagd.", TODAY)
    service.set_checklist(session, coach, person.id, "allowances", True, TODAY)
    info = service.coach_info(session, person.id)
    assert info.notes[0]["text"] == "Toeslagen aangevraagd." and info.checklist[1]["done"]
    # The coach may not change the budget itself.
    with pytest.raises(AccessDenied):
        service.save_benefit(session, coach, person.id, {"benefit_start": "2026-03-01", "household_kind": "single"}, TODAY)


def test_partners_without_finances_see_no_budget(session, chain, person):
    for who in ("vwn", "taalschool", "coordinator", "utrecht"):
        with pytest.raises(AccessDenied):
            views.budget_page(session, chain[who], person.id, TODAY)


def test_regisseur_tailors_ontzorgen_but_cannot_change_amounts(session, chain, person):
    service.save_arrangement(session, chain["regisseur"], person.id, {
        "ontzorgen_months": "6", "mode_energy": "coaching", "reason_energy": "Kan het zelf"}, TODAY)
    page = views.budget_page(session, chain["regisseur"], person.id, TODAY)
    energy = [c for c in page.arrangement["categories"] if c["category"] == "energy"][0]
    assert energy["mode"] == "coaching" and page.arrangement["tailored"]
    with pytest.raises(AccessDenied):
        service.add_deduction(session, chain["regisseur"], person.id, {"deduction_label": "x", "deduction_amount": "5"}, TODAY)


def test_household_change_after_start_changes_the_norm(session, chain, person):
    with pytest.raises(FormErrors, match="na de ingangsdatum"):
        service.add_household_change(session, chain["financien"], person.id,
                                     {"change_from": "2026-02-01", "change_kind": "single"}, TODAY)
    service.add_household_change(session, chain["financien"], person.id,
                                 {"change_from": "2026-12-01", "change_kind": "couple"}, TODAY)
    page = views.budget_page(session, chain["financien"], person.id, TODAY)
    assert [h["kind"] for h in page.households] == ["Jongere 18-20 jaar", "Gehuwd / samenwonend"]
    assert page.months[0]["benefit"] != page.months[1]["benefit"]


def test_leefgeld_iban_is_checked_and_saved(session, chain, person):
    form = {"benefit_start": "2026-03-01", "household_kind": "youth", "leefgeld_iban": "NL00 INGB 0001 2345 67"}
    with pytest.raises(FormErrors) as exc:
        service.save_benefit(session, chain["financien"], person.id, form, TODAY)
    assert "geen geldig IBAN" in exc.value.errors["leefgeld_iban"]
    form["leefgeld_iban"] = "nl20 ingb 0001 2345 67"
    service.save_benefit(session, chain["financien"], person.id, form, TODAY)
    assert views.budget_page(session, chain["financien"], person.id, TODAY).leefgeld_iban == "NL20INGB0001234567"
