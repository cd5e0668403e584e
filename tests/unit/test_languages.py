"""The language codes staff type and the letter languages they end up as."""

import pytest

from statushouders import languages


@pytest.mark.parametrize("code,locale", [("prs", "fa_AF"), ("kmr", "ku"), ("tir", "ti_ER"), ("ar-SY", "ar"), ("AR", "ar")])
def test_input_codes_map_to_the_chain_locale(code, locale):
    assert languages.normalise(code) == locale


def test_dari_is_named_dari_not_persian_afghanistan():
    assert languages.get("prs").endonym == "دری / Dari"
    assert languages.get("prs").rtl


def test_unknown_code_is_refused_with_the_code_named():
    with pytest.raises(languages.UnknownLanguage, match="'xx'"):
        languages.normalise("xx")


def test_every_letter_language_has_a_babel_locale():
    for code in languages.LANGUAGES:
        assert languages.babel_locale(code) is not None


@pytest.mark.parametrize("typed, code", [
    ("Tigrinya", "ti_ER"), ("ትግርኛ", "ti_ER"), ("Dari", "fa_AF"), ("دری", "fa_AF"), ("Arabisch", "ar"),
    ("Oekraïens", "uk"), ("Українська", "uk"), ("Kurmanji", "ku"), ("Lingala", "ln"), ("Tigre", "tig"),
    ("ckb_IQ", "ckb"), ("so_SO", "so"), ("ar_YE", "ar"), ("sw", "sw"),
])
def test_a_spoken_language_by_name_in_dutch_or_own_script_by_code_or_region_variant(typed, code):
    assert languages.spoken_code(typed) == code


def test_a_region_variant_is_written_in_its_languages_catalog_and_other_languages_get_no_letters():
    assert languages.normalise("ckb_IQ") == "ckb"
    with pytest.raises(languages.UnknownLanguage):
        languages.normalise("ln")  # spoken, not a letter language
    assert languages.spoken_name_nl("ln") == "Lingala" and languages.spoken_name_nl("ti_ER") == "Tigrinya"
