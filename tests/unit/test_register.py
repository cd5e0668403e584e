"""Registering statushouders: duplicates, nothing half-saved, household, moves."""

from datetime import date

import pytest
from sqlalchemy import func, select

from statushouders import register
from statushouders.models import HouseholdMember, Person
from statushouders.register import DuplicateFound, FormErrors

TODAY = date(2026, 11, 22)


def test_registered_person_with_household_appears_in_the_list(session, chain, make_form):
    household = [{"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}]
    person = register.register(session, chain["regisseur"], make_form(), household, TODAY)
    rows, total = register.list_persons(session, chain["regisseur"], TODAY, search="tesf")
    assert total == 1 and rows[0].name == "Yonas Tesfay (ዮናስ ተስፋይ)" and rows[0].letter_language == "Tigrinya"
    shown = register.open_file(session, chain["regisseur"], person.id, TODAY)
    assert shown.household == [{"name": "Lina", "relationship": "Kind", "birth_date": "2017-04-11"}]


def test_invalid_form_saves_nothing(session, chain, make_form):
    household = [{"name": "Lina", "relationship": "child", "birth_date": "2099-01-01"}]
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], make_form(bsn="123"), household, TODAY)
    assert {"bsn", "household.0.birth_date"} <= refused.value.errors.keys()
    assert session.scalar(select(func.count(Person.id))) == 0
    assert session.scalar(select(func.count(HouseholdMember.id))) == 0


def test_same_bsn_or_v_number_is_refused_next_to_the_field(session, chain, make_form):
    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], make_form(given_names="Ander", family_name="Iemand"), [], TODAY)
    assert {"bsn", "v_number"} == refused.value.errors.keys()


def test_same_name_and_birth_date_warns_and_can_be_confirmed(session, chain, make_form):
    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    twin = make_form(v_number="2100000099", bsn="")
    with pytest.raises(DuplicateFound) as warned:
        register.register(session, chain["regisseur"], twin, [], TODAY)
    assert "Yonas Tesfay, geboren 2007-03-14" in warned.value.matches[0]
    register.register(session, chain["regisseur"], twin, [], TODAY, confirmed=True)
    assert register.list_persons(session, chain["regisseur"], TODAY)[1] == 2


def test_regisseur_registers_only_for_own_municipality(session, chain, make_form):
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], make_form(municipality="Utrecht"), [], TODAY)
    assert "Hilversum" in refused.value.errors["municipality"]


def test_move_date_ends_coa_access_after_that_day(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    assert register.list_persons(session, chain["coa"], TODAY)[1] == 1
    register.set_move_date(session, chain["regisseur"], person.id, "2026-11-21", TODAY)
    assert register.list_persons(session, chain["coa"], TODAY)[1] == 0
    with pytest.raises(FormErrors):
        register.set_move_date(session, chain["regisseur"], person.id, "2026-01-01", TODAY)


def test_list_is_paged_on_the_server(session, chain, make_form):
    for i in range(30):
        register.register(
            session, chain["regisseur"],
            make_form(v_number=f"22000000{i:02d}", bsn="", family_name="Naam" + chr(97 + i // 26) + chr(97 + i % 26)),
            [], TODAY,
        )
    rows, total = register.list_persons(session, chain["regisseur"], TODAY, page=1, page_size=25)
    assert total == 30 and len(rows) == 5


def test_a_contract_partner_cannot_be_given_consent_and_vice_versa(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    with pytest.raises(FormErrors):
        register.record_consent(session, chain["regisseur"], person.id, chain["orgs"]["taalschool"].id, "nl", False, TODAY)
    with pytest.raises(FormErrors):
        register.link_partner(session, chain["regisseur"], person.id, chain["orgs"]["vwn"].id, TODAY)
