"""PIP versioning: 18-month route switch limit, 600-hour rule for A2, moves, no PIP for temporary protection."""

from datetime import date, timedelta

import pytest

from statushouders import pip, plans, register
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

TODAY = date(2026, 11, 22)
FIRST = {
    "route": "b1", "language_level": "B1", "duration_months": "30", "preconditions": "", "guidance": "VWN 12 maanden",
    "map_intensity": "40 uur", "pvt_intensity": "standaard", "ontzorgen": "huur en energie", "ontzorgen_months": "6",
    "monitoring": "elke 3 maanden", "vve": "",
}


@pytest.fixture
def person(session, chain, make_form):
    p = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.link_partner(session, chain["regisseur"], p.id, chain["orgs"]["taalschool"].id, TODAY)
    hold_intake(session, chain, p)
    return p


def hold_intake(session, chain, person, day=TODAY):
    """The brede intake took place (Sunday TODAY: outside working hours, with a reason)."""
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, f"{day.isoformat()}T10:00", "Stadhuis", day, reason="op verzoek")
    plans.invite(session, actor, person.id, chain["orgs"]["taalschool"].id, day)
    plans.set_presence(session, actor, person.id, chain["orgs"]["taalschool"].id, True, day)
    plans.save_intake_details(session, actor, person.id, {"interpreter_present": "on", "interpreter_language": "tir"}, day)
    plans.mark_intake_held(session, actor, person.id, day)


def test_the_first_pip_comes_after_the_intake_and_closes_the_pip_action(session, chain, make_form):
    actor = chain["regisseur"]
    p = register.register(session, actor, make_form(v_number="2100000099", bsn="", family_name="Later"), [], TODAY)
    with pytest.raises(FormErrors) as err:  # no intake at all
        pip.decide_pip(session, actor, p.id, FIRST, TODAY)
    assert "Eerst de brede intake houden" in err.value.errors["form"]
    plans.schedule_intake(session, actor, p.id, "2026-11-24T10:00", "Stadhuis", TODAY)
    plans.save_assessment(session, actor, p.id, {"domain": "inburgering", "score": "2", "relevance": "besproken"}, TODAY)
    plans.generate_draft(session, actor, p.id, TODAY)
    with pytest.raises(FormErrors) as err:  # planned, not held
        pip.decide_pip(session, actor, p.id, FIRST, TODAY)
    assert "Eerst de brede intake houden" in err.value.errors["form"]
    with pytest.raises(FormErrors) as err:
        plans.mark_intake_held(session, actor, p.id, TODAY)  # the intake is the day after tomorrow
    assert "2026-11-24" in err.value.errors["intake_held"]
    day = date(2026, 11, 24)
    with pytest.raises(FormErrors) as err:
        plans.mark_intake_held(session, actor, p.id, day)
    assert "aanwezig" in err.value.errors["intake_held"]
    plan = plans._plan_of(session, p.id)
    plans.set_presence(session, actor, p.id, plan.participants[0].organisation_id, True, day)
    with pytest.raises(FormErrors) as err:  # Yonas needs an interpreter
        plans.mark_intake_held(session, actor, p.id, day)
    assert "tolk" in err.value.errors["intake_held"]
    with pytest.raises(FormErrors) as err:
        plans.agree(session, actor, p.id, "teach-back", day)
    assert "Eerst de intake houden" in err.value.errors["agree"]
    plans.save_intake_details(session, actor, p.id, {"interpreter_present": "on", "interpreter_language": "tir"}, day)
    plans.mark_intake_held(session, actor, p.id, day)
    action = next(a for a in plan.actions if a.what.startswith("PIP opstellen"))
    assert action.status == "open"
    pip.decide_pip(session, actor, p.id, FIRST, day)
    assert action.status == "klaar"
    plans.agree(session, actor, p.id, "teach-back met tolk", day)
    assert plan.status == "actief"


def test_first_pip_and_a_new_version_keeps_the_old_one_readable(session, chain, person):
    first = pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    assert (first.version, first.change_kind, first.term_start) == (1, "eerste", TODAY)
    second = pip.decide_pip(session, chain["regisseur"], person.id,
                            {**FIRST, "route": "onderwijs", "change_kind": "route", "reason": "wil naar ROC"},
                            TODAY + timedelta(days=30))
    assert second.version == 2 and second.term_start == TODAY
    versions = pip.pip_versions(session, person.id)
    assert [v.version for v in versions] == [2, 1]
    assert versions[1].route == "B1-route" and not versions[1].current
    assert versions[0].route == "Onderwijsroute" and versions[0].reason == "wil naar ROC"
    assert pip.pip_summary(session, person.id).term_end == "2029-11-22"


def test_route_switch_only_within_18_months(session, chain, person):
    pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    switch = {**FIRST, "route": "z", "change_kind": "route", "reason": "leren gaat te moeilijk"}
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, switch, date(2028, 5, 23))
    assert "binnen 18 maanden" in err.value.errors["route"]
    assert "2028-05-22" in err.value.errors["route"]
    assert pip.decide_pip(session, chain["regisseur"], person.id, switch, date(2028, 5, 22)).route == "z"


def test_lowering_b1_to_a2_needs_600_hours_half_in_person(session, chain, person):
    pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    lower = {**FIRST, "language_level": "A2", "change_kind": "a2", "reason": "advies taalschool"}
    pip.record_hours(session, chain["taalschool"], person.id, "599", "400", TODAY)
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, lower, TODAY)
    assert "600 lesuren" in err.value.errors["language_level"] and "599 uur" in err.value.errors["language_level"]
    pip.record_hours(session, chain["taalschool"], person.id, "600", "200", TODAY)
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, lower, TODAY)
    assert "50% fysiek" in err.value.errors["language_level"]
    pip.record_hours(session, chain["taalschool"], person.id, "600", "300", TODAY)
    lowered = pip.decide_pip(session, chain["regisseur"], person.id, lower, TODAY)
    assert lowered.language_level == "A2" and lowered.lesson_hours == 600


def test_a_change_needs_a_kind_and_reason_and_a_move_keeps_the_route(session, chain, person):
    pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    assert {"change_kind", "reason"} <= set(err.value.errors)
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id,
                       {**FIRST, "route": "z", "change_kind": "verhuizing", "reason": "verhuisd naar Utrecht"}, TODAY)
    assert "dezelfde leerroute" in err.value.errors["route"]
    moved = pip.decide_pip(session, chain["regisseur"], person.id,
                           {**FIRST, "change_kind": "verhuizing", "reason": "verhuisd"}, TODAY)
    assert moved.version == 2 and moved.route == "b1"


def test_ontzorgen_is_at_least_six_months_or_a_described_alternative(session, chain, person):
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, {**FIRST, "ontzorgen_months": "3"}, TODAY)
    assert "minstens de eerste 6 maanden" in err.value.errors["ontzorgen_months"]
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], person.id, {**FIRST, "ontzorgen_months": "0", "ontzorgen": ""}, TODAY)
    assert "alternatief" in err.value.errors["ontzorgen"]
    tailored = pip.decide_pip(session, chain["regisseur"], person.id,
                              {**FIRST, "ontzorgen_months": "0", "ontzorgen": "budgetcoach 3 gesprekken"}, TODAY)
    assert "alternatief: budgetcoach" in pip.pip_summary(session, tailored.person_id).ontzorgen


def test_no_pip_for_temporary_protection(session, chain, make_form):
    ukrainian = register.register(session, chain["regisseur"], make_form(
        given_names="Olena", family_name="Kovalenko", v_number="2100000009", bsn="", country_of_origin="UA",
        residence_status="temporary_protection", integration_duty="", permit_date="",
    ), [], TODAY)
    with pytest.raises(FormErrors) as err:
        pip.decide_pip(session, chain["regisseur"], ukrainian.id, FIRST, TODAY)
    assert "Tijdelijke bescherming" in err.value.errors["form"]
    assert pip.current_pip(session, ukrainian.id) is None


def test_only_the_regisseur_decides_and_partners_without_access_are_refused(session, chain, person):
    with pytest.raises(AccessDenied):
        pip.decide_pip(session, chain["taalschool"], person.id, FIRST, TODAY)
    with pytest.raises(AccessDenied):
        pip.decide_pip(session, chain["utrecht"], person.id, FIRST, TODAY)
    pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    with pytest.raises(AccessDenied):
        pip.record_hours(session, chain["vwn"], person.id, "10", "10", TODAY)


def test_two_pips_in_one_household_are_linked_and_shown_together(session, chain, make_form, person):
    partner = register.register(session, chain["regisseur"], make_form(
        given_names="Elif", family_name="Yildiz", v_number="2100000005", bsn="", birth_date="1993-01-01",
    ), [], TODAY)
    hold_intake(session, chain, partner)
    pip.decide_pip(session, chain["regisseur"], person.id, FIRST, TODAY)
    pip.decide_pip(session, chain["regisseur"], partner.id,
                   {**FIRST, "linked_person_id": str(person.id), "preconditions": "VVE-plek dochter"}, TODAY)
    assert [s.person_name for s in pip.linked_pips(session, person.id)] == ["Elif Yildiz (ዮናስ ተስፋይ)"]
    assert [s.person_id for s in pip.linked_pips(session, partner.id)] == [person.id]
    with pytest.raises(FormErrors):
        pip.decide_pip(session, chain["regisseur"], partner.id,
                       {**FIRST, "linked_person_id": str(partner.id), "change_kind": "huishouden", "reason": "x"}, TODAY)


def test_the_plan_proposes_a_route_from_the_learnability_test_and_refuses_a_score_above_40(session, chain, person):
    actor = chain["regisseur"]
    details = {"interpreter_present": "on", "interpreter_language": "tir"}
    assert plans.load_plan(session, actor, person.id, TODAY).route_advice in ("b1", "onderwijs", "z")
    with pytest.raises(FormErrors) as err:
        plans.save_intake_details(session, actor, person.id, {**details, "learnability_score": "41"}, TODAY)
    assert err.value.errors["learnability_score"] == "De leerbaarheidstoets is een score van 0 tot 40 goede antwoorden."
    plans.save_intake_details(session, actor, person.id, {**details, "learnability_score": "12"}, TODAY)
    view = plans.load_plan(session, actor, person.id, TODAY)
    assert (view.learnability_score, view.route_advice) == ("12", "z")
    assert view.route_advice_reason == "leerbaarheidstoets 12 van 40, onder de grens van 20"
    plans.save_intake_details(session, actor, person.id, {**details, "learnability_score": "33"}, TODAY)
    assert plans.load_plan(session, actor, person.id, TODAY).route_advice != "z"
    partner = plans.load_plan(session, chain["taalschool"], person.id, TODAY)
    assert partner.route_advice == ""  # the proposal is for the regisseur who decides the PIP
