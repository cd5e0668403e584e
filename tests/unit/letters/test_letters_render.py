"""Every letter type in every language: Dutch original and translation present, fonts embedded."""

from __future__ import annotations

import pytest

from statushouders import languages
from statushouders.letters import render
from statushouders.letters.contexts import LETTER_TYPES

from .helpers import embedded_fonts, pdf_text, rendered, squash, translated

# A sentence of each letter that has no placeholders, so it can be looked up verbatim.
KEY_SENTENCE = {
    "intake_invitation": "Uitnodiging voor een gesprek over uw plan",
    "plan_summary": "Uw plan: wie doet wat?",
    "plan_full": "Volledig plan van aanpak",
    "pip_summary": "Bent u het niet eens met dit besluit?",
    "temporary_protection": "Wat doet de gemeente voor u?",
    "ontzorgen_decision": "Besluit: wij betalen uw vaste lasten",
    "payment_overview": "Uw uitkering",
    "school_enrolment": "U bent ingeschreven bij de taalschool",
    "progress_talk": "Uitnodiging: hoe gaat het met uw plan?",
    "ontzorgen_end": "U gaat zelf uw rekeningen betalen",
}
COMMON = "Wilt u uitleg in uw eigen taal? Bel ons. Wij regelen een tolk."
FONT_FOR_SCRIPT = {"latin": "Letter-Sans", "arabic": "Letter-Naskh", "ethiopic": "Letter-Ethiopic", "cyrillic": "Letter-Sans"}
# Free-text PIP lines are Dutch data: no catalog has them, so they are the letter's only gaps.
EXPECTED_GAPS = {"pip_summary": ["Kinderopvang op lesdagen", "Wekelijks gesprek met uw begeleider"]}


@pytest.mark.parametrize("language", list(languages.LANGUAGES))
@pytest.mark.parametrize("letter_type", list(LETTER_TYPES))
def test_letter_has_the_dutch_original_and_the_translation(letter_type, language):
    letter = rendered(letter_type, language)
    text = squash(pdf_text(letter.pdf))
    assert letter.pdf.startswith(b"%PDF")
    if LETTER_TYPES[letter_type].staff_only:  # the full plan is a Dutch staff document, never translated
        assert letter.language == "nl" and squash(KEY_SENTENCE[letter_type]) in text
        assert squash("Vertaling in het") not in text and squash("Niet aan de persoon sturen") in text
        return
    # every catalog is complete for the templates: only Dutch free-text data falls back to Dutch
    assert letter.gaps == ([] if language == "nl" else EXPECTED_GAPS.get(letter_type, []))
    for msgid in (KEY_SENTENCE[letter_type], COMMON):
        assert squash(msgid) in text, f"Dutch sentence missing: {msgid}"
        assert squash(translated(msgid, language)) in text, f"{language} sentence missing for: {msgid}"
    if language != "nl":
        dutch_at = text.index(squash(KEY_SENTENCE[letter_type]))
        assert text.index(squash("Vertaling in het")) > dutch_at  # the Dutch original comes first


@pytest.mark.parametrize("language", list(languages.LANGUAGES))
def test_the_fonts_of_the_letter_language_are_embedded_as_subsets(language):
    fonts = embedded_fonts(rendered("plan_summary", language).pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("+" in name for name in fonts), "fonts are subset (ABCDEF+Name)"
    names = " ".join(fonts)
    assert FONT_FOR_SCRIPT["latin"] in names
    assert FONT_FOR_SCRIPT[languages.LANGUAGES[language].script] in names


def test_a_glyph_missing_from_the_vendored_fonts_fails_the_letter():
    with pytest.raises(render.MissingGlyphs, match="vakjes"):
        render.renderer().pdf("<p>Naam: 山田</p>")


def test_the_letter_records_versions_and_the_hash_of_its_bytes():
    import hashlib

    letter = rendered("ontzorgen_decision", "ar")
    assert letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert len(letter.template_version) == 12
    assert letter.catalog_version.startswith("ar:")
    assert rendered("ontzorgen_decision", "nl").catalog_version == "nl"


def test_rtl_text_isolates_amounts_ibans_and_references_left_to_right():
    from statushouders.letters.samples import sample

    html = render.build_html(sample("payment_overview", "ar")).html
    translation = html[html.index('class="part translation'):]
    assert 'dir="rtl"' in translation[:200]
    assert '<bdi class="ltr" dir="ltr">NL91ABNA0417164300</bdi>' in translation
    assert '<bdi class="ltr" dir="ltr">1,300.61\u00a0€</bdi>' in translation  # Latin digits, no wrap
    assert '<bdi class="ltr" dir="ltr">BR-2026-000123</bdi>' in translation


def test_long_dates_are_in_the_languages_own_words():
    from statushouders.letters.render import Formatter
    from datetime import date

    day = date(2026, 12, 3)
    assert "december" in Formatter("nl").date(day)
    assert "ታሕሳስ" in Formatter("ti_ER").date(day)  # never Tigrinya's ambiguous 12/3/26
    assert "ديسمبر" in Formatter("ar").date(day)
    assert "2026" in Formatter("fa_AF").date(day)  # Latin digits
