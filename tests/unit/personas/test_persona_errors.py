"""A malformed persona file is refused with a message that names the file and the field."""

from __future__ import annotations

import pytest

from statushouders.personas import schema

SOURCE = {name: (schema.PERSONAS_DIR / f"{name}.yaml").read_text(encoding="utf-8")
          for name in ("yonas", "zarghuna", "olena", "rania")}


def write(tmp_path, base: str, old: str = "", new: str = "", name: str | None = None):
    text = SOURCE[base]
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name or base}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> str:
    with pytest.raises(schema.PersonaError) as caught:
        schema.load(path)
    return str(caught.value)


def test_copies_of_the_real_files_load(tmp_path):
    for name in SOURCE:
        assert schema.load(write(tmp_path, name)).id == name


def test_bad_household_birth_date_names_file_and_member(tmp_path):
    path = write(tmp_path, "zarghuna", "birth_date: 2014-08-23", "birth_date: 2014-08-32")
    assert refused(path) == f"{path}: household[1].birth_date: geen geldige datum (JJJJ-MM-DD)"


def test_a_bsn_the_register_refuses_is_refused_with_the_registers_message(tmp_path):
    path = write(tmp_path, "yonas", 'bsn: "111222333"', 'bsn: "111222334"')
    assert refused(path) == (
        f"{path}: identity.bsn: BSN '111222334' is ongeldig: het moet 9 cijfers zijn en voldoen aan de elfproef.")


def test_illiterate_person_with_letter_channel_is_refused_as_the_register_does(tmp_path):
    path = write(tmp_path, "zarghuna", "preferred_channel: phone", "preferred_channel: letter")
    assert refused(path) == (f"{path}: languages.preferred_channel: Deze persoon kan niet lezen: "
                             "kies telefoon (met tolk) of app als kanaal.")


def test_temporary_protection_with_integration_duty_is_refused(tmp_path):
    path = write(tmp_path, "olena", "status: temporary_protection", "status: temporary_protection\n  integration_duty: true")
    assert refused(path) == (f"{path}: residence.integration_duty: Tijdelijke bescherming geeft geen inburgeringsplicht: "
                             "er komt geen PIP. Zet inburgeringsplichtig uit.")


def test_household_member_born_after_the_registration_day_is_refused(tmp_path):
    path = write(tmp_path, "zarghuna", "birth_date: 2020-02-01", "birth_date: 2026-05-01")
    assert refused(path) == f"{path}: household[3].birth_date: Geboortedatum gezinslid ligt in de toekomst."


def test_unknown_language_code_names_the_field(tmp_path):
    path = write(tmp_path, "yonas", "letter: tir", "letter: xx")
    message = refused(path)
    assert message.startswith(f"{path}: languages.letter: Brieftaal: Onbekende taalcode 'xx'.")


def test_unknown_field_is_refused_so_typos_do_not_vanish(tmp_path):
    path = write(tmp_path, "yonas", "  v_number:", "  nickname: Yo\n  v_number:")
    assert refused(path).startswith(f"{path}: identity.nickname: onbekend veld (toegestaan: birth_date, bsn,")


def test_a_diagnosis_in_health_is_refused(tmp_path):
    path = write(tmp_path, "zarghuna", "Moet dagelijks medicatie nemen", "Heeft diabetes; moet dagelijks medicatie nemen")
    assert refused(path) == (f"{path}: health.functional_limitations[0]: noem geen diagnose ('diabetes'); "
                             "beschrijf wat iemand wel of niet kan")


def test_unquoted_number_loses_nothing_silently(tmp_path):
    path = write(tmp_path, "yonas", 'v_number: "2100000001"', "v_number: 2100000001")
    assert refused(path) == (f"{path}: identity.v_number: zet het nummer tussen aanhalingstekens "
                             "(een voorloopnul gaat anders verloren)")


def test_id_must_match_the_file_name(tmp_path):
    path = write(tmp_path, "yonas", name="other")
    assert refused(path) == f"{path}: id: 'yonas' moet gelijk zijn aan de bestandsnaam 'other'"


def test_bad_creditor_iban_and_betalingskenmerk_name_the_cost(tmp_path):
    path = write(tmp_path, "yonas", "iban: NL63TRIO0212345678", "iban: NL63TRIO0212345679")
    assert refused(path) == (f"{path}: budget.fixed_costs[0].iban: IBAN 'NL63TRIO0212345679' is ongeldig: "
                             "het controlegetal klopt niet.")
    path = write(tmp_path, "yonas", 'reference: "5700000000000001"', 'reference: "5700000000000002"')
    assert refused(path) == f"{path}: budget.fixed_costs[0].reference: betalingskenmerk '5700000000000002' klopt niet (controlecijfer)"


def test_amount_must_be_euros(tmp_path):
    path = write(tmp_path, "yonas", 'amount: "60.00"', 'amount: "zestig"')
    assert refused(path) == f"{path}: budget.fixed_costs[1].amount: 'zestig' is geen bedrag (schrijf bijvoorbeeld 612.50)"


def test_unknown_expected_finding_is_refused(tmp_path):
    path = write(tmp_path, "yonas", "    - housing_norm_exceeded", "    - housing_too_late")
    assert refused(path) == f"{path}: expected.findings[0]: onbekende controle 'housing_too_late' (zie docs/personas.md)"


def test_later_arrival_without_event_is_refused(tmp_path):
    path = write(tmp_path, "rania", "    kind: family_arrives\n    members: [Omar Haddad, Sami Haddad, Lina Haddad]",
                 "    kind: family_arrives\n    members: [Omar Haddad, Sami Haddad]")
    assert refused(path) == f"{path}: household[2].arrives_on: voeg een gebeurtenis family_arrives toe voor dit gezinslid"


def test_event_needs_its_kind_fields(tmp_path):
    path = write(tmp_path, "yonas", "    exam: Taaltoets A2 lezen (entree onderwijsroute)\n", "")
    assert refused(path) == f"{path}: events[1].exam: ontbreekt"


def test_every_mistake_is_reported_at_once(tmp_path):
    path = write(tmp_path, "yonas", "attitude: reticent", "attitude: shy\nmood: happy")
    assert refused(path).splitlines() == [
        f"{path}: mood: onbekend veld (toegestaan: {', '.join(sorted(schema._TOP))})",
        f"{path}: attitude: onbekende waarde 'shy' (kies uit reticent, assertive)",
    ]


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text("id: kapot\nidentity: [\n", encoding="utf-8")
    assert refused(path).startswith(f"{path}: regel ")


def test_files_checked_together_share_no_v_number_and_agree_on_a_shared_household(tmp_path):
    write(tmp_path, "yonas")
    write(tmp_path, "zarghuna", 'v_number: "2100000003"', 'v_number: "2100000001"')
    personas, problems = schema.validate_all(tmp_path)
    assert [p.id for p in personas] == ["yonas"]
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'zarghuna.yaml'}: identity.v_number: '2100000001' hoort al bij persona 'yonas'"]
    with pytest.raises(schema.PersonaError):
        schema.load_all(tmp_path)


def test_a_shared_household_must_point_both_ways(tmp_path):
    (tmp_path / "mehmet.yaml").write_text((schema.PERSONAS_DIR / "mehmet.yaml").read_text(encoding="utf-8"))
    _, problems = schema.validate_all(tmp_path)
    assert [str(p) for p in problems] == [f"{tmp_path / 'mehmet.yaml'}: shares_household_with: geen persona 'elif'"]


def test_registration_form_is_the_registers_shape(tmp_path):
    persona = schema.load(write(tmp_path, "yonas"))
    form = schema.registration_form(persona)
    assert form["v_number"] == "2100000001" and form["integration_duty"] == "on"
    assert form["letter_language"] == "tir" and form["spoken_languages"] == "tir"
    assert form["move_date"] == "" and form["address"] == ""  # still in the AZC on the registration day
    assert all(isinstance(v, str) for v in form.values())


def test_ontzorgen_shorter_than_six_months_is_refused(tmp_path):
    path = write(tmp_path, "yonas", "    months: 12", "    months: 3")
    assert refused(path) == f"{path}: budget.ontzorgen.months: ontzorgen duurt ten minste de eerste 6 maanden van de uitkering"


def test_hand_back_month_must_be_a_month(tmp_path):
    path = write(tmp_path, "yonas", 'energy: "2027-07"', 'energy: "juli"')
    assert refused(path) == f"{path}: budget.ontzorgen.hand_back.energy: 'juli' is geen maand (JJJJ-MM)"


def test_declining_ontzorgen_needs_a_reason(tmp_path):
    path = write(tmp_path, "rania",
                 "    reason: Financieel zelfredzaam (maatwerk sinds april 2023); wil zelf betalen, budgetcoach als vangnet.\n",
                 "")
    assert refused(path) == f"{path}: budget.ontzorgen.reason: leg vast waarom geen ontzorgen (maatwerk sinds april 2023)"


def test_domain_block_needs_a_score(tmp_path):
    path = write(tmp_path, "yonas", "    score: 1\n", "")
    assert refused(path) == f"{path}: self_reliance.financien.score: ontbreekt"


def test_goal_in_an_unscored_domain_is_refused(tmp_path):
    path = write(tmp_path, "zarghuna", "    domain: gezin", "    domain: sociaal")
    assert schema.load(path)  # sociaal is scored for Zarghuna
    path = write(tmp_path, "olena", "    language: uk", "    language: uk\n    domain: wonen")
    assert refused(path) == f"{path}: goals[0].domain: geen score voor dit leefgebied in self_reliance"
