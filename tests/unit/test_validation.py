"""What staff see when they type something wrong in the registration form."""

from datetime import date

from statushouders.validation import Registration, check_registration

TODAY = date(2026, 11, 22)


def errors_for(make_form, household=(), **overrides):
    result = check_registration(make_form(**overrides), list(household), TODAY)
    return {} if isinstance(result, Registration) else result


def test_a_complete_form_is_accepted_with_clean_values(make_form):
    result = check_registration(make_form(bsn="111 222 333", letter_language="tir"), [], TODAY)
    assert isinstance(result, Registration)
    assert result.values["bsn"] == "111222333"
    assert result.values["letter_language"] == "ti_ER"
    assert result.values["spoken_languages"] == ["ti_ER"]
    assert result.values["birth_date"] == date(2007, 3, 14)


def test_bsn_may_be_unknown_but_not_wrong(make_form):
    assert errors_for(make_form, bsn="") == {}
    assert "elfproef" in errors_for(make_form, bsn="123456789")["bsn"]


def test_iban_garbage_is_refused_with_the_reason(make_form):
    message = errors_for(make_form, iban="NL91ABNA0417164301")["iban"]
    assert "NL91ABNA0417164301" in message and "controlegetal" in message
    assert "iban" in errors_for(make_form, iban="hallo")


def test_future_birth_date_is_refused(make_form):
    assert "toekomst" in errors_for(make_form, birth_date="2030-01-01")["birth_date"]
    assert "geen geldige datum" in errors_for(make_form, birth_date="14-03-2007")["birth_date"]


def test_unknown_language_code_names_the_code(make_form):
    message = errors_for(make_form, spoken_languages="tir, xx")["spoken_languages"]
    assert "'xx'" in message


def test_dari_and_kurmanji_input_codes_map_to_letter_locales(make_form):
    result = check_registration(make_form(spoken_languages="prs, kmr", letter_language="prs"), [], TODAY)
    assert result.values["spoken_languages"] == ["fa_AF", "ku"]
    assert result.values["letter_language"] == "fa_AF"


def test_temporary_protection_cannot_get_a_pip(make_form):
    message = errors_for(make_form, residence_status="temporary_protection", integration_duty="on")["integration_duty"]
    assert "geen PIP" in message
    assert errors_for(make_form, residence_status="temporary_protection", integration_duty="") == {}


def test_names_must_be_in_latin_brp_spelling(make_form):
    assert "Latijnse" in errors_for(make_form, family_name="تسفاي")["family_name"]


def test_a_person_who_cannot_read_gets_no_letter_channel(make_form):
    assert "kan niet lezen" in errors_for(make_form, literacy="illiterate", preferred_channel="letter")["preferred_channel"]


def test_every_wrong_field_is_reported_at_once(make_form):
    errors = errors_for(make_form, bsn="1", birth_date="2099-01-01", v_number="abc", given_names="")
    assert {"bsn", "birth_date", "v_number", "given_names"} <= errors.keys()


def test_household_members_are_checked_per_row(make_form):
    errors = errors_for(
        make_form,
        household=[{"name": "Lina", "relationship": "child", "birth_date": "2030-01-01"}, {"name": "", "relationship": "x"}],
    )
    assert "toekomst" in errors["household.0.birth_date"]
    assert "household.1.name" in errors and "household.1.relationship" in errors


def test_koppeling_before_permit_is_refused(make_form):
    assert "vóór de vergunning" in errors_for(make_form, permit_date="2026-03-01", koppeling_date="2026-02-01")["koppeling_date"]


def test_the_country_list_holds_countries_only_with_dutch_names():
    """No pseudo-locales, organisations or regions to choose as a country of origin (issue 18)."""
    from statushouders.validation import COUNTRIES

    names = set(COUNTRIES.values())
    assert not {"Pseudo-Accenten", "Pseudo-Bidi", "Verenigde Naties", "Europese Unie", "eurozone"} & names
    assert (COUNTRIES["SY"], COUNTRIES["ER"], COUNTRIES["AF"], COUNTRIES["UA"], COUNTRIES["XK"]) == (
        "Syrië", "Eritrea", "Afghanistan", "Oekraïne", "Kosovo")
    assert len(COUNTRIES) == 250  # the 249 ISO 3166-1 countries and Kosovo


def test_languages_by_name_and_a_mother_tongue_the_chain_writes_no_letters_in(make_form):
    result = check_registration(make_form(spoken_languages="Tigrinya, Arabisch", read_languages="ትግርኛ",
                                          mother_tongue="Tigre", letter_language="tir"), [], TODAY)
    assert result.values["spoken_languages"] == ["ti_ER", "ar"]
    assert result.values["read_languages"] == ["ti_ER"]
    assert result.values["mother_tongue"] == "tig"
    assert errors_for(make_form, mother_tongue="Tigre, Tigrinya")["mother_tongue"] == "Vul één moedertaal in."
    assert "'Xyzisch'" in errors_for(make_form, mother_tongue="Xyzisch")["mother_tongue"]
