"""Editing a person's file (issue 18): the registration's checks, old/new audit, refusal per role, stale edits."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from statushouders import file_edit, policy, register
from statushouders.file_edit import StaleFile
from statushouders.letters import archive
from statushouders.models import AuditEntry, Consent, Person
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors
from statushouders.validation import check_registration

from ..conftest import TODAY
from .test_ui_bad_ids import _run, _state  # the Reflex handlers' test harness

INTAKE = {"date": "2026-12-03", "time": "10:00", "place": "Gemeentehuis, kamer 2.14"}


@pytest.fixture
def person(session, chain, make_form):
    """Yonas, misspelt "Tesfai", with the taalschool linked and consent for VWN and the budget coach."""
    p = register.register(session, chain["regisseur"], make_form(family_name="Tesfai"), [], TODAY)
    register.link_partner(session, chain["regisseur"], p.id, chain["orgs"]["taalschool"].id, TODAY)
    for org in ("vwn", "budgetcoach"):
        register.record_consent(session, chain["regisseur"], p.id, chain["orgs"][org].id, "ti_ER", True, TODAY)
    return p


def _edit(session, actor, person, group, **values):
    version = file_edit.edit_form(session, actor, person.id, group, TODAY).version
    return file_edit.update_group(session, actor, person.id, group, version, values, TODAY)


def _changes(session, person):
    return session.scalars(select(AuditEntry).where(
        AuditEntry.person_id == person.id, AuditEntry.action == "change",
        AuditEntry.why.like("dossier bijwerken (%")).order_by(AuditEntry.id)).all()


# --- a correction, audited with old and new, in the file's list of changes --------------------------------


def test_regisseur_corrects_the_family_name_audited_with_old_and_new(session, chain, person):
    form = file_edit.edit_form(session, chain["regisseur"], person.id, "identity", TODAY)
    assert form.values["family_name"] == "Tesfai" and form.values["letter_language"] == "ti_ER"
    assert form.values["spoken_languages"] == "Tigrinya" and form.values["integration_duty"] == "on"
    # the whole form comes back, as the browser sends it; only the family name differs
    changed = file_edit.update_group(session, chain["regisseur"], person.id, "identity", form.version,
                                     {**form.values, "family_name": "Tesfay"}, TODAY)
    assert changed == ["Achternaam"] and person.family_name == "Tesfay"
    [entry] = _changes(session, person)
    assert entry.what == "Achternaam gewijzigd: Tesfai → Tesfay" and entry.why == "dossier bijwerken (family_name)"
    assert entry.user_name == chain["regisseur"].name
    latest = file_edit.history(session, chain["regisseur"], person.id, TODAY)[0]
    assert (latest.who, latest.field, latest.change) == (chain["regisseur"].name, "Achternaam", "Tesfai → Tesfay")
    assert file_edit.history(session, chain["regisseur"], person.id, TODAY)[-1].field == "Dossier"  # registration
    assert register.list_persons(session, chain["regisseur"], TODAY, search="yonas tesfay")[1] == 1


def test_nothing_changed_saves_and_audits_nothing(session, chain, person):
    form = file_edit.edit_form(session, chain["regisseur"], person.id, "identity", TODAY)
    assert file_edit.update_group(session, chain["regisseur"], person.id, "identity", form.version,
                                  dict(form.values), TODAY) == []
    assert file_edit.update_group(session, chain["regisseur"], person.id, "identity", form.version,
                                  {**form.values, "family_name": "  Tesfai "}, TODAY) == []  # only spaces
    assert _changes(session, person) == []


def test_only_changed_fields_are_saved_and_a_left_out_field_keeps_its_value(session, chain, person):
    changed = _edit(session, chain["regisseur"], person, "identity", given_names="Yonas Tekle", interpreter_needed="")
    assert changed == ["Voornamen", "Tolk nodig"]
    assert person.interpreter_needed is False and person.integration_duty is True  # not in the form: kept
    assert [e.what for e in _changes(session, person)] == ["Voornamen gewijzigd: Yonas → Yonas Tekle",
                                                          "Tolk nodig gewijzigd: ja → nee"]


def test_bsn_and_health_are_audited_without_their_values(session, chain, person):
    _edit(session, chain["regisseur"], person, "bsn", bsn="123456782")
    _edit(session, chain["vwn"], person, "health", functional_limitations="Hoort slecht links.")
    _edit(session, chain["financien"], person, "finances", iban="NL44RABO0123456789")
    assert person.bsn == "123456782" and person.functional_limitations == "Hoort slecht links."
    whats = [e.what for e in _changes(session, person)]
    assert whats == ["BSN gewijzigd", "Functionele beperkingen gewijzigd", "IBAN (leefgeld) gewijzigd"]
    every = " ".join(session.scalars(select(AuditEntry.what).where(AuditEntry.person_id == person.id)))
    for secret in ("111222333", "123456782", "Slaapt", "Hoort slecht", "NL91ABNA0417164300", "NL44RABO"):
        assert secret not in every
    shown = {c.field: c.change for c in file_edit.history(session, chain["regisseur"], person.id, TODAY)}
    assert shown["BSN"] == shown["Functionele beperkingen"] == shown["IBAN (leefgeld)"] == "gewijzigd"


def test_the_list_of_changes_shows_only_groups_the_reader_sees(session, chain, person):
    _edit(session, chain["regisseur"], person, "identity", family_name="Tesfay")
    _edit(session, chain["regisseur"], person, "health", functional_limitations="Slaapt beter.")
    _edit(session, chain["regisseur"], person, "contact", phone="06 9876 5432")
    school = {c.field for c in file_edit.history(session, chain["taalschool"], person.id, TODAY)}
    assert {"Achternaam", "Telefoon"} <= school and "Functionele beperkingen" not in school
    coach = file_edit.history(session, chain["budgetcoach"], person.id, TODAY)
    assert "06 1234 5678 → 06 9876 5432" in {c.change for c in coach}
    with pytest.raises(AccessDenied):
        file_edit.history(session, chain["utrecht"], person.id, TODAY)


# --- the same checks as the registration, a message per field, nothing saved -------------------------------

BAD_VALUES = [
    ("identity", "given_names", "يوناس", "Latijnse schrijfwijze"),
    ("identity", "family_name", "", "Achternaam is verplicht."),
    ("identity", "family_name", "Tes\u202efay", "leesrichting"),
    ("identity", "birth_date", "2030-01-01", "in de toekomst"),
    ("identity", "birth_date", "14-03-2007", "geen geldige datum"),
    ("identity", "v_number", "12345", "10 cijfers"),
    ("identity", "country_of_origin", "QQ", "land van herkomst"),
    ("identity", "letter_language", "xx", "Brieftaal"),
    ("identity", "spoken_languages", "", "minstens één gesproken taal"),
    ("identity", "koppeling_date", "2026-01-01", "niet vóór de vergunning"),
    ("bsn", "bsn", "123456789", "elfproef"),
    ("contact", "email", "yonas@", "ongeldig"),
    ("contact", "phone", "bel me", "alleen cijfers"),
    ("finances", "iban", "NL00ABNA0417164300", "IBAN"),
    ("learning", "education_years", "31", "tussen 0 en 30"),
    ("health", "functional_limitations", "x" * 2001, "te lang"),
]


@pytest.mark.parametrize("group,column,value,expected", BAD_VALUES,
                         ids=[f"{c}={v[:12]!r}" for _g, c, v, _e in BAD_VALUES])
def test_a_bad_value_gets_the_registration_message_next_to_the_field(session, chain, person, make_form, group, column,
                                                                    value, expected):
    before = getattr(person, column)
    with pytest.raises(FormErrors) as refused:
        _edit(session, chain["regisseur"], person, group, **{column: value})
    assert set(refused.value.errors) == {column}
    assert expected in refused.value.errors[column]
    # the very message registration gives for that value
    at_registration = check_registration(make_form(**{column: value}), [], TODAY)
    assert at_registration[column] == refused.value.errors[column]
    session.refresh(person)
    assert getattr(person, column) == before and _changes(session, person) == []


def test_rules_across_fields_speak_up_when_one_side_changes(session, chain, person):
    with pytest.raises(FormErrors) as refused:  # temporary protection while integration duty stays on
        _edit(session, chain["regisseur"], person, "identity", residence_status="temporary_protection")
    assert "geen inburgeringsplicht" in refused.value.errors["integration_duty"]
    with pytest.raises(FormErrors) as refused:  # cannot read, while the channel stays "phone": fine; letter: not
        _edit(session, chain["regisseur"], person, "identity", literacy="illiterate", preferred_channel="letter")
    assert "kan niet lezen" in refused.value.errors["preferred_channel"]
    with pytest.raises(FormErrors) as refused:  # no AZC and no address
        _edit(session, chain["regisseur"], person, "identity", azc="")
    assert refused.value.errors == {"azc": "Vul het AZC of het adres in."}
    assert (person.residence_status, person.literacy, person.azc) == ("asylum", "limited", "AZC Amersfoort")


def test_clearing_the_address_without_an_azc_is_refused_on_the_address(session, chain, make_form):
    p = register.register(session, chain["regisseur"], make_form(azc="", address="Larenseweg 12"), [], TODAY)
    register.record_consent(session, chain["regisseur"], p.id, chain["orgs"]["vwn"].id, "nl", False, TODAY)
    with pytest.raises(FormErrors) as refused:
        _edit(session, chain["vwn"], p, "contact", address="")
    assert refused.value.errors == {"address": "Vul het AZC of het adres in."}
    assert p.address == "Larenseweg 12"


def test_a_bsn_or_v_number_of_another_person_is_refused(session, chain, person, make_form):
    register.register(session, chain["regisseur"], make_form(given_names="Ander", family_name="Iemand",
                                                              v_number="2100000077", bsn="123456782"), [], TODAY)
    with pytest.raises(FormErrors) as refused:
        _edit(session, chain["regisseur"], person, "bsn", bsn="123456782")
    assert "hoort al bij een geregistreerde persoon" in refused.value.errors["bsn"]
    with pytest.raises(FormErrors) as refused:
        _edit(session, chain["regisseur"], person, "identity", v_number="2100000077")
    assert "V-nummer hoort al bij" in refused.value.errors["v_number"]
    assert (person.bsn, person.v_number) == ("111222333", "2100000001")


# --- who may change which field group: both sides of every rule -------------------------------------------

# Written out here, not read from policy.EDIT_GROUPS, so a change to the table shows up as a failing test.
MAY_EDIT = {
    "regisseur": {"identity", "bsn", "contact", "health", "finances", "learning", "family"},
    "financien": {"contact", "finances"},
    "coa": {"contact", "health", "learning"},
    "vwn": {"contact", "health"},
    "taalschool": {"learning"},
    "budgetcoach": {"contact"},
    "coordinator": set(),
    "privacy": set(),
}
GOOD = {
    "identity": {"family_name": "Tesfay"}, "bsn": {"bsn": "123456782"}, "contact": {"phone": "06 9999 0000"},
    "health": {"functional_limitations": "Hoort slecht."}, "finances": {"iban": "NL44RABO0123456789"},
    "learning": {"education_years": "7"},
}


@pytest.mark.parametrize("role", sorted(MAY_EDIT))
@pytest.mark.parametrize("group", sorted(GOOD))
def test_each_role_changes_its_groups_and_is_refused_the_others(session, chain, person, role, group):
    actor = chain[role]
    assert (group in policy.edit_groups(actor)) == (group in MAY_EDIT[role])
    if group in MAY_EDIT[role]:
        assert _edit(session, actor, person, group, **GOOD[group])
        column, value = next(iter(GOOD[group].items()))
        assert str(getattr(person, column)) == value
        return
    before = {column: getattr(person, column) for column in file_edit.EDITABLE[group]}
    with pytest.raises(AccessDenied) as refused:
        file_edit.edit_form(session, actor, person.id, group, TODAY)
    assert "niet wijzigen" in str(refused.value) and actor.organisation in str(refused.value)
    # a forged save with a version from nowhere is refused the same way, before anything is checked
    with pytest.raises(AccessDenied):
        file_edit.update_group(session, actor, person.id, group, "forged", GOOD[group], TODAY)
    assert {column: getattr(person, column) for column in file_edit.EDITABLE[group]} == before


def test_the_household_is_the_regisseurs_to_change_and_refused_to_partners(session, chain, person):
    version = file_edit.edit_form(session, chain["regisseur"], person.id, "family", TODAY).version
    file_edit.add_member(session, chain["regisseur"], person.id, version,
                         {"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    assert [m.name for m in person.household] == ["Lina"]
    for role in ("vwn", "financien", "coa", "taalschool"):
        with pytest.raises(AccessDenied):
            file_edit.edit_form(session, chain[role], person.id, "family", TODAY)
        with pytest.raises(AccessDenied):
            file_edit.remove_member(session, chain[role], person.id, person.household[0].id, "x", TODAY)
    assert [m.name for m in person.household] == ["Lina"]


def test_another_municipality_cannot_edit_and_the_refusal_is_logged(db_url, chain, session, person):
    session.commit()
    with pytest.raises(AccessDenied, match="bestaat niet of u heeft er geen toegang"):
        file_edit.update_group(session, chain["utrecht"], person.id, "identity", "x", {"family_name": "X"}, TODAY)
    session.rollback()
    refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "refused")).all()
    assert any(e.person_id == person.id and e.user_name == chain["utrecht"].name for e in refused)


def test_a_partner_cannot_slip_a_field_of_another_group_into_its_form(session, chain, person):
    changed = _edit(session, chain["vwn"], person, "contact", phone="06 5555 4444", bsn="123456782",
                    family_name="Vervalst", iban="NL44RABO0123456789")
    assert changed == ["Telefoon"]
    assert (person.bsn, person.family_name, person.iban) == ("111222333", "Tesfai", "NL91ABNA0417164300")


def test_an_unknown_group_is_refused(session, chain, person):
    with pytest.raises(FormErrors):
        file_edit.update_group(session, chain["regisseur"], person.id, "everything", "x", {}, TODAY)


def test_a_partner_who_lost_consent_can_no_longer_edit(session, chain, person):
    consent = session.scalars(select(Consent).where(Consent.person_id == person.id,
                                                    Consent.organisation_id == chain["orgs"]["vwn"].id)).one()
    version = file_edit.edit_form(session, chain["vwn"], person.id, "contact", TODAY).version
    register.withdraw_consent(session, chain["regisseur"], consent.id, TODAY)
    with pytest.raises(AccessDenied):
        file_edit.update_group(session, chain["vwn"], person.id, "contact", version, {"phone": "06 1"}, TODAY)


# --- two staff saving at once ------------------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_the_newer_values(session, chain, person):
    mine = file_edit.edit_form(session, chain["regisseur"], person.id, "identity", TODAY)
    theirs = file_edit.edit_form(session, chain["regisseur"], person.id, "identity", TODAY)
    file_edit.update_group(session, chain["regisseur"], person.id, "identity", theirs.version,
                           {**theirs.values, "family_name": "Tesfay"}, TODAY)
    with pytest.raises(StaleFile) as stale:
        file_edit.update_group(session, chain["regisseur"], person.id, "identity", mine.version,
                               {**mine.values, "given_names": "Yonas T."}, TODAY)
    assert str(stale.value).startswith("Iemand anders heeft dit dossier net gewijzigd")
    assert stale.value.values["family_name"] == "Tesfay" and stale.value.version != mine.version
    assert (person.given_names, person.family_name) == ("Yonas", "Tesfay")  # the other's fix stays
    # with the newer version the same change goes through
    file_edit.update_group(session, chain["regisseur"], person.id, "identity", stale.value.version,
                           {**stale.value.values, "given_names": "Yonas T."}, TODAY)
    assert person.given_names == "Yonas T."


def test_a_change_to_another_group_does_not_make_an_edit_stale(session, chain, person):
    school = file_edit.edit_form(session, chain["taalschool"], person.id, "learning", TODAY)
    _edit(session, chain["vwn"], person, "contact", phone="06 2222 3333")
    file_edit.update_group(session, chain["taalschool"], person.id, "learning", school.version,
                           {"education_years": "8"}, TODAY)
    assert person.education_years == 8


def test_a_stale_household_change_is_refused(session, chain, person):
    version = file_edit.edit_form(session, chain["regisseur"], person.id, "family", TODAY).version
    file_edit.add_member(session, chain["regisseur"], person.id, version,
                         {"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    with pytest.raises(StaleFile) as stale:
        file_edit.add_member(session, chain["regisseur"], person.id, version,
                             {"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    assert [m["name"] for m in stale.value.values] == ["Lina"] and len(person.household) == 1


# --- the change flows on: letters, household, budget --------------------------------------------------------


def test_the_next_letter_uses_the_new_letter_language(session, chain, person):
    def next_letter_language() -> str:
        return archive.prepare(session, chain["regisseur"], person.id, "intake_invitation", INTAKE, TODAY).language

    assert next_letter_language() == "ti_ER"
    _edit(session, chain["regisseur"], person, "identity", letter_language="ar")
    assert person.letter_language == "ar"
    assert next_letter_language() == "ar"
    [entry] = _changes(session, person)
    assert entry.what == "Brieftaal gewijzigd: Tigrinya → Arabisch"


def test_household_members_are_corrected_and_removed_with_history(session, chain, person):
    actor = chain["regisseur"]
    version = file_edit.edit_form(session, actor, person.id, "family", TODAY).version
    member = file_edit.add_member(session, actor, person.id, version,
                                  {"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    form = file_edit.edit_form(session, actor, person.id, "family", TODAY)
    assert form.members == [{"id": str(member.id), "name": "Lina", "relationship": "child", "birth_date": "2017-04-11",
                             "abroad": ""}]
    with pytest.raises(FormErrors) as refused:
        file_edit.update_member(session, actor, person.id, member.id, form.version,
                                {"name": "Lina", "relationship": "cousin", "birth_date": "2031-01-01"}, TODAY)
    assert set(refused.value.errors) == {"relationship", "birth_date"}
    assert file_edit.update_member(session, actor, person.id, member.id, form.version,
                                   {"name": "Lina Tesfay", "relationship": "child", "birth_date": "2017-04-12"}, TODAY)
    form = file_edit.edit_form(session, actor, person.id, "family", TODAY)
    with pytest.raises(FormErrors):  # a member of another file
        file_edit.remove_member(session, actor, person.id, 999999, form.version, TODAY)
    file_edit.remove_member(session, actor, person.id, member.id, form.version, TODAY)
    assert person.household == []
    changes = [c.change for c in file_edit.history(session, actor, person.id, TODAY) if c.field == "Gezin"]
    assert changes == ["gezinslid verwijderd: Lina Tesfay (kind, 2017-04-12)",
                       "Lina (kind, 2017-04-11) → Lina Tesfay (kind, 2017-04-12)",
                       "gezinslid toegevoegd: Lina (kind, 2017-04-11)"]
    assert not {c.field for c in file_edit.history(session, chain["taalschool"], person.id, TODAY)} & {"Gezin"}


def test_a_household_change_warns_to_check_the_budget_until_financien_records_it(session, chain, person):
    from statushouders.budget import service

    actor = chain["regisseur"]
    version = file_edit.edit_form(session, actor, person.id, "family", TODAY).version
    file_edit.add_member(session, actor, person.id, version,
                         {"name": "Lina", "relationship": "child", "birth_date": "2017-04-11"}, TODAY)
    assert file_edit.budget_warning(session, actor, person.id, TODAY) is None  # no budget yet
    service.save_benefit(session, chain["financien"], person.id, {
        "benefit_start": "2026-10-01", "household_kind": "youth", "supplement": "0,00",
        "leefgeld_iban": "NL91ABNA0417164300"}, TODAY)
    assert file_edit.budget_warning(session, actor, person.id, TODAY) is None  # recorded after the change
    version = file_edit.edit_form(session, actor, person.id, "family", TODAY).version
    file_edit.update_member(session, actor, person.id, person.household[0].id, version,
                            {"name": "Lina", "relationship": "child", "birth_date": "2016-04-11"}, TODAY)
    warning = file_edit.budget_warning(session, actor, person.id, TODAY)
    assert warning.href == f"/budget?id={person.id}"
    assert "Controleer de leefsituatie" in warning.message and "alleenstaande ouder" in warning.message
    assert file_edit.budget_warning(session, chain["financien"], person.id, TODAY) is not None
    assert file_edit.budget_warning(session, chain["taalschool"], person.id, TODAY) is None  # no finances
    service.add_household_change(session, chain["financien"], person.id,
                                 {"change_from": "2026-11-01", "change_kind": "single_parent"}, TODAY)
    assert file_edit.budget_warning(session, actor, person.id, TODAY) is None


# --- the Reflex handlers: the actor comes from the server, a forged call is refused ------------------------




def test_the_file_page_offers_a_partner_only_its_groups_and_refuses_a_forged_save(db_url, session, chain, person,
                                                                                 monkeypatch):
    from statushouders.ui.persons_state import FileState

    session.commit()
    state = _state(FileState, chain["taalschool"], monkeypatch)
    state.person_id = person.id
    asyncio.run(state._load(chain["taalschool"]))
    assert state.editable == ["learning"]
    assert {g["key"]: g["editable"] for g in state.groups} == {"identity": False, "contact": False, "learning": True}
    _run(FileState.start_edit, state, "identity")
    assert state.editing == "" and "niet wijzigen" in state.edit_errors["form"]
    _run(FileState.save_edit, state, {"group": "identity", "version": "x", "family_name": "Vervalst"})
    assert "niet wijzigen" in state.edit_errors["form"]
    _run(FileState.start_edit, state, "learning")
    assert state.editing == "learning"
    _run(FileState.save_edit, state, {"group": "learning", "version": state.edit_version, "education_years": "40"})
    assert "tussen 0 en 30" in state.edit_errors["education_years"] and state.editing == "learning"
    _run(FileState.save_edit, state, {"group": "learning", "version": state.edit_version, "education_years": "9"})
    assert state.editing == "" and "Jaren onderwijs" in state.notice
    session.expire_all()
    p = session.get(Person, person.id)
    assert (p.family_name, p.education_years) == ("Tesfai", 9)


def test_the_file_page_shows_a_stale_edit_with_the_newer_values_and_keeps_what_was_typed(db_url, session, chain,
                                                                                       person, monkeypatch):
    from statushouders.ui.persons_state import FileState

    session.commit()
    state = _state(FileState, chain["regisseur"], monkeypatch)
    state.person_id = person.id
    asyncio.run(state._load(chain["regisseur"]))
    _run(FileState.start_edit, state, "contact")
    _edit(session, chain["vwn"], person, "contact", phone="06 2222 3333")
    session.commit()
    _run(FileState.save_edit, state, {"group": "contact", "version": state.edit_version, "phone": "06 4444 5555",
                                      "address": "", "email": ""})
    assert state.edit_conflict.startswith("Iemand anders heeft dit dossier net gewijzigd")
    assert state.edit_values["phone"] == "06 2222 3333"
    assert state.stale_attempt == ["Telefoon: 06 4444 5555"]
    assert state.changes[0]["change"] == "06 1234 5678 → 06 2222 3333"


def test_two_staff_saving_at_the_same_instant_one_wins_the_other_is_told(db_url, session, chain, person):
    """Real concurrency: eight saves from the same loaded version, each in its own thread and session."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from statushouders import db

    version = file_edit.edit_form(session, chain["regisseur"], person.id, "identity", TODAY).version
    session.commit()
    barrier = threading.Barrier(8)

    def save(n: int):
        barrier.wait()
        try:
            with db.session_scope(db_url) as s:
                return file_edit.update_group(s, chain["regisseur"], person.id, "identity", version,
                                              {"given_names": f"Yonas {'ABCDEFGH'[n]}"}, TODAY)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            return exc

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(save, range(8)))
    assert sum(o == ["Voornamen"] for o in outcomes) == 1
    assert all(isinstance(o, StaleFile) for o in outcomes if o != ["Voornamen"])
    session.expire_all()
    assert len(_changes(session, session.get(Person, person.id))) == 1


@pytest.mark.parametrize("bad", ["abc", "1x", "²", "", "99999999999"])
def test_household_handlers_refuse_bad_ids_cleanly(db_url, session, chain, person, monkeypatch, bad):
    from statushouders.ui.persons_state import FileState

    session.commit()
    state = _state(FileState, chain["regisseur"], monkeypatch)
    state.person_id = person.id
    _run(FileState.start_edit, state, "family")
    _run(FileState.save_member, state, {"member_id": bad, "version": state.edit_version, "name": "X",
                                        "relationship": "child", "birth_date": "2017-04-11"})
    assert "bestaat niet" in state.edit_errors["member-0-member"]
    _run(FileState.remove_member, state, bad)
    assert "bestaat niet" in state.edit_errors["member-0-member"]
    _run(FileState.start_edit, state, bad)
    assert state.editing == "" and state.edit_errors["form"] == "Onbekende groep gegevens."


def test_times_in_the_file_are_dutch_time_whatever_the_servers_zone(monkeypatch):
    """A change at 05:18 UTC on 4 December is 06:18 in Hilversum; in summer it is two hours."""
    from datetime import datetime, timezone

    from statushouders import config

    monkeypatch.delenv("STATUSHOUDERS_TIMEZONE", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    assert config.local_time(datetime(2026, 12, 4, 5, 18, tzinfo=timezone.utc)) == "2026-12-04 06:18"
    assert config.local_time(datetime(2026, 7, 1, 5, 18)) == "2026-07-01 07:18"  # naive = UTC from the database
    assert config.local_time(None) == ""
