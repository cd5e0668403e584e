"""The letter catalogs: complete, right plural rules, placeholders kept, every character has a glyph."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont

from statushouders import languages
from statushouders.letters import catalog, render
from statushouders.letters.samples import sample

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TARGETS = catalog.TARGET_LOCALES


def _po(locale):
    with catalog.po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def test_there_is_a_catalog_for_every_letter_language_but_dutch():
    assert set(TARGETS) == set(languages.LANGUAGES) - {"nl"}
    for locale in TARGETS:
        assert catalog.po_path(locale).exists(), locale


@pytest.mark.parametrize(
    "locale, header",
    [
        ("ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"),
        ("ti_ER", "nplurals=2; plural=(n > 1);"),
        ("am", "nplurals=2; plural=(n > 1);"),
        ("tr", "nplurals=1; plural=0;"),
        ("fr", "nplurals=2; plural=(n > 1);"),
    ],
)
def test_plural_rules_are_the_right_ones(locale, header):
    assert _po(locale).plural_forms == header


def test_arabic_picks_each_of_its_six_forms():
    translations = catalog.translations("ar")
    forms = {n: translations.ngettext("Wij hebben %(num)d rekening voor u betaald.",
                                      "Wij hebben %(num)d rekeningen voor u betaald.", n)
             for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) >= 5  # 11 (many) and 100 (other) may share a text
    assert forms[1] != forms[2] != forms[3]


MORE = ("Er is nog %(num)d afspraak voor later. Uw begeleider vertelt u erover.",
        "Er zijn nog %(num)d afspraken voor later. Uw begeleider vertelt u erover.")


def test_tigrinya_uses_the_singular_for_zero_and_one():
    translations = catalog.translations("ti_ER")
    one = translations.ngettext(*MORE, 1)
    assert translations.ngettext(*MORE, 0) == one
    assert translations.ngettext(*MORE, 2) != one


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_ukrainian_and_russian_pick_one_few_many(locale):
    assert _po(locale).num_plurals == 3
    translations = catalog.translations(locale)
    form = {n: translations.ngettext(*MORE, n) for n in (1, 2, 5, 11, 21, 22, 25, 111)}
    assert form[1] == form[21] != form[2]  # one: 1, 21 (not 11)
    assert form[2] == form[22] != form[5]  # few: 2-4, 22-24
    assert form[5] == form[11] == form[25] == form[111]  # many: 5-20, 11-14, 25 ...
    bill = {n: translations.ngettext("Wij hebben %(num)d rekening voor u betaald.",
                                     "Wij hebben %(num)d rekeningen voor u betaald.", n) for n in (1, 3, 7)}
    assert len(set(bill.values())) == 3


@pytest.mark.parametrize("locale", TARGETS)
def test_every_catalog_is_complete_and_keeps_the_placeholders(locale):
    status = catalog.status(locale)
    assert status.complete, status.missing
    for message in _po(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            assert found <= wanted | {"num"}, (locale, message.id, text)
            if not isinstance(message.id, tuple):
                assert found == wanted, (locale, message.id, text)


def test_the_report_records_per_catalog_whether_a_native_speaker_reviewed_it():
    reviews = catalog.reviews()
    assert set(reviews) == set(TARGETS)
    rows = {row.locale: row for row in catalog.report()}
    assert all(not rows[locale].reviewed for locale in TARGETS)  # first drafts
    assert "nee (eerste versie)" in catalog.format_report(list(rows.values()))


def test_dari_is_named_dari_not_persian():
    assert languages.LANGUAGES["fa_AF"].endonym == "دری / Dari"
    assert languages.normalise("prs") == "fa_AF"


# --- glyph coverage: no language can regress into boxes --------------------------------

FONT_OF_SCRIPT = {
    "latin": ["NotoSans-Regular.ttf"],
    "arabic": ["NotoNaskhArabic-Regular.ttf", "NotoSans-Regular.ttf"],
    "ethiopic": ["NotoSansEthiopic-Regular.ttf", "NotoSans-Regular.ttf"],
    "cyrillic": ["NotoSans-Regular.ttf"],
}


@lru_cache(maxsize=None)
def _cmap(name: str) -> frozenset[int]:
    font = TTFont(str(render.FONTS / name), lazy=True)
    return frozenset(font.getBestCmap())


IGNORABLE = {0x200C, 0x200D, 0x200E, 0x200F}  # joiners and marks: shaping controls, not drawn


@pytest.mark.parametrize("locale", TARGETS)
def test_every_character_of_every_translated_message_has_a_glyph_in_the_vendored_fonts(locale):
    language = languages.LANGUAGES[locale]
    cmaps = [_cmap(name) for name in FONT_OF_SCRIPT[language.script]]
    texts = [language.endonym]
    for message in _po(locale):
        if message.id:
            texts.extend(message.string if isinstance(message.string, tuple) else (message.string,))
    missing = {
        ch for text in texts for ch in PLACEHOLDER.sub("", text)
        if not ch.isspace() and ord(ch) not in IGNORABLE and not any(ord(ch) in cmap for cmap in cmaps)
    }
    assert not missing, f"{locale}: no glyph for {sorted(missing)}"


@pytest.mark.parametrize("locale", list(languages.LANGUAGES))
def test_dates_and_weekday_names_of_every_language_have_glyphs(locale):
    from datetime import date

    from statushouders.letters.render import Formatter

    language = languages.LANGUAGES[locale]
    cmaps = [_cmap(name) for name in FONT_OF_SCRIPT[language.script]]
    formatter = Formatter(locale)
    text = "".join(str(formatter.date(date(2026, month, 1))) for month in range(1, 13))
    text += str(formatter.weekdays(range(7))) + str(formatter.money(1300))
    text = re.sub(r"<[^>]+>", "", text)
    missing = {ch for ch in text if not ch.isspace() and not any(ord(ch) in c for c in cmaps)}
    assert not missing, f"{locale}: no glyph for {sorted(missing)}"


# --- gaps: never silent ----------------------------------------------------------------

def test_a_missing_translation_is_shown_in_dutch_marked_and_announced(monkeypatch):
    full = catalog.translations("so")
    partial = type(full).__new__(type(full))
    partial.__dict__.update(full.__dict__)
    partial._catalog = {k: v for k, v in full._catalog.items() if k != "Uw plan: wie doet wat?"}
    monkeypatch.setattr(catalog, "translations", lambda locale: partial if locale == "so" else None)
    letter = render.build_html(sample("plan_summary", "so"))
    assert letter.gaps == ["Uw plan: wie doet wat?"]
    translation = letter.html[letter.html.index('class="part translation'):]
    assert '<span class="gap" lang="nl" dir="ltr"><b class="gapmark">NL</b> Uw plan: wie doet wat?</span>' in translation
    assert "Let op: 1 tekstdeel is nog niet vertaald" in translation
    assert "gap-notice" in translation


def test_plan_template_actions_are_translated_and_typed_texts_shown_openly_in_dutch():
    from dataclasses import replace

    from statushouders.letters.contexts import PlanAction

    letter = render.build_html(sample("plan_summary", "ti_ER"))
    assert letter.gaps == []  # every template action reads in Tigrinya
    typed = replace(sample("plan_summary", "ti_ER"), actions=(PlanAction("Fiets ophalen bij de kringloop", "U"),))
    assert render.build_html(typed).gaps == ["Fiets ophalen bij de kringloop"]


def test_fuzzy_messages_do_not_count_as_translated(tmp_path, monkeypatch):
    po = _po("en")
    message = po.get("Uw uitkering")
    message.flags.add("fuzzy")
    from babel.messages.pofile import write_po

    root = tmp_path / "letters"
    path = root / "en" / "LC_MESSAGES" / "letters.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, po)
    monkeypatch.setattr(catalog, "CATALOG_DIR", root)
    status = catalog.status("en")
    assert status.fuzzy == 1 and "Uw uitkering" in status.missing and not status.complete
