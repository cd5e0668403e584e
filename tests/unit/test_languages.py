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
