"""Registering statushouders: duplicates, nothing half-saved, household, moves."""

from datetime import date

import pytest
from sqlalchemy import func, select

from statushouders import register
from statushouders.models import HouseholdMember, Person
from statushouders.register import DuplicateFound, FormErrors

TODAY = date(2026, 11, 22)


def test_registered_person_with_household_appears_in_the_list(session, chain, make_form):
    household = [{"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"},
                 {"name": "Saba", "relationship": "partner", "birth_date": "1990-02-03", "abroad": True}]
    person = register.register(session, chain["regisseur"], make_form(), household, TODAY)
    rows, total = register.list_persons(session, chain["regisseur"], TODAY, search="tesf")
    assert total == 1 and rows[0].name == "Yonas Tesfay (ዮናስ ተስፋይ)" and rows[0].letter_language == "Tigrinya"
    shown = register.open_file(session, chain["regisseur"], person.id, TODAY)
    assert shown.household == [
        {"name": "Lina", "relationship": "Kind", "birth_date": "2017-04-11", "where": ""},
        {"name": "Saba", "relationship": "Partner", "birth_date": "1990-02-03",
         "where": "in het buitenland, komt later (gezinshereniging)"},
    ]
    assert [m.name for m in person.household_here] == ["Lina"]


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


def test_housing_offer_and_first_lesson_are_recorded_for_the_dashboard_and_logged(session, chain, make_form):
    from statushouders.models import AuditEntry

    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.link_partner(session, chain["regisseur"], person.id, chain["orgs"]["taalschool"].id, TODAY)
    register.set_milestone(session, chain["regisseur"], person.id, "housing_offer_date", "2026-04-20", TODAY)
    register.set_milestone(session, chain["taalschool"], person.id, "first_lesson_date", "2026-06-01", TODAY)
    assert register.milestones_of(session, person.id) == {
        "housing_offer_date": "2026-04-20", "first_lesson_date": "2026-06-01"}
    logged = session.scalars(select(AuditEntry.what).where(AuditEntry.person_id == person.id)).all()
    assert "datum woningaanbod: 2026-04-20" in logged and "datum eerste taalles: 2026-06-01" in logged
    register.set_milestone(session, chain["regisseur"], person.id, "housing_offer_date", "", TODAY)
    assert register.milestones_of(session, person.id)["housing_offer_date"] == ""


def test_milestones_only_by_who_is_responsible(session, chain, make_form):
    from statushouders.policy import AccessDenied

    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    for actor, key in (("taalschool", "housing_offer_date"), ("vwn", "first_lesson_date"),
                       ("coa", "housing_offer_date"), ("financien", "first_lesson_date")):
        with pytest.raises(AccessDenied):
            register.set_milestone(session, chain[actor], person.id, key, "2026-04-20", TODAY)
    # A taalschool that is not linked to the person cannot see the file, so cannot record either.
    with pytest.raises(AccessDenied):
        register.set_milestone(session, chain["taalschool"], person.id, "first_lesson_date", "2026-06-01", TODAY)
    assert register.milestones_of(session, person.id) == {"housing_offer_date": "", "first_lesson_date": ""}


@pytest.mark.parametrize("key, raw, message", [
    ("housing_offer_date", "20-04-2026", "geen geldige datum"),
    ("housing_offer_date", "2026-02-01", "niet vóór de koppeling (2026-02-13)"),
    ("first_lesson_date", "2026-01-05", "niet vóór de vergunning (2026-02-02)"),
    ("first_lesson_date", "2026-12-01", "niet in de toekomst"),
])
def test_impossible_milestone_dates_are_refused_next_to_the_field(session, chain, make_form, key, raw, message):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    with pytest.raises(FormErrors) as refused:
        register.set_milestone(session, chain["regisseur"], person.id, key, raw, TODAY)
    assert message in refused.value.errors[key]


def test_search_finds_full_name_bsn_and_birth_date(session, chain, make_form):
    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    def found(term):
        return register.list_persons(session, chain["regisseur"], TODAY, search=term)[1]
    assert found("yonas tesfa") == 1
    assert found("Tesfay Yonas") == 1
    assert found("111222333") == 1
    assert found("14-03-2007") == 1
    assert found("ዮናስ") == 1
    # refused: a wrong word, a BSN fragment and another birth date find nothing
    assert found("yonas selam") == 0
    assert found("11122") == 0
    assert found("15-03-2007") == 0


def test_a_role_without_bsn_cannot_find_a_person_by_bsn(session, chain, make_form):
    """The coordinator sees the person in the list, but a BSN search would reveal the BSN: it finds nothing."""
    register.register(session, chain["regisseur"], make_form(), [], TODAY)
    assert register.list_persons(session, chain["coordinator"], TODAY, search="yonas")[1] == 1
    assert register.list_persons(session, chain["coordinator"], TODAY, search="111222333")[1] == 0
    assert register.list_persons(session, chain["regisseur"], TODAY, search="111222333")[1] == 1
