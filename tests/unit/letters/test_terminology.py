"""One term list per language (translations/terms/<lang>.yaml): every catalog uses its terms of art."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel import Locale
from babel.dates import get_month_names
from babel.messages.pofile import read_po

from statushouders.config import ROOT
from statushouders.letters import catalog

TERMS_DIR = ROOT / "translations" / "terms"
DOMAINS = ("letters", "ownview")
# Dutch word in the msgid -> key in the term list.
DUTCH = {"bezwaar": re.compile(r"\bbezwaar\b", re.I), "leefgeld": re.compile(r"\bleefgeld\b", re.I),
         "PIP": re.compile(r"\bPIP\b")}
# Known, stated defects: the test says so instead of passing silently.
KNOWN_INFORMAL: dict[str, str] = {}


def _terms(locale: str) -> dict:
    return yaml.safe_load((TERMS_DIR / f"{locale}.yaml").read_text(encoding="utf-8"))


def _messages(locale: str):
    """(domain, msgid, msgstr) of every translated message of the letters and own-view catalogs."""
    for domain in DOMAINS:
        path = ROOT / "translations" / domain / locale / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    if text:
                        yield domain, ids[0], text


def _uses_word(text: str, word: str) -> bool:
    """Whole words only: the Russian "иск" (lawsuit) is wrong for bezwaar, "поиск" (search) is fine."""
    return re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text.lower()) is not None


def test_a_forbidden_term_is_found_as_a_word_not_inside_another_word():
    assert _uses_word("Вы можете подать иск до 4 января.", "иск")
    assert not _uses_word("Поиск работы и список документов.", "иск")
    assert _uses_word("Waxaad gudbin kartaa Dacwad.", "dacwad")


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def test_every_letter_language_has_a_term_list_marked_unreviewed_until_checked():
    assert {p.stem for p in TERMS_DIR.glob("*.yaml")} == set(catalog.TARGET_LOCALES)
    for locale in catalog.TARGET_LOCALES:
        data = _terms(locale)
        assert set(data["terms"]) >= {"bezwaar", "beschikking", "leefgeld", "ontzorgen", "inburgering", "PIP",
                                      "regisseur"}
        assert "formal_you" in data and data["reviewed"] is False  # no native speaker has checked them yet


@pytest.mark.parametrize("locale", catalog.TARGET_LOCALES)
def test_every_catalog_uses_its_terms_of_art(locale):
    terms = _terms(locale)["terms"]
    wrong = []
    for domain, msgid, text in _messages(locale):
        for key, pattern in DUTCH.items():
            entry = terms.get(key) or {}
            if entry.get("term") and pattern.search(msgid) and entry["term"].lower() not in text.lower():
                wrong.append(f"{domain}: {msgid!r} -> {text!r} lacks {entry['term']!r}")
        for forbidden in (terms.get("bezwaar") or {}).get("forbidden") or []:
            if _uses_word(text, forbidden):
                wrong.append(f"{domain}: {text!r} uses {forbidden!r} (wrong term for bezwaar)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("locale", catalog.TARGET_LOCALES)
def test_every_catalog_addresses_the_reader_formally(locale):
    if locale in KNOWN_INFORMAL:
        pytest.xfail(KNOWN_INFORMAL[locale])
    informal = {w.lower() for w in _terms(locale)["formal_you"]["informal_forbidden"] or []}
    found = [f"{domain}: {text!r}" for domain, _msgid, text in _messages(locale) if _words(text) & informal]
    assert not found, "\n".join(found[:10])


@pytest.mark.parametrize("locale", catalog.TARGET_LOCALES)
def test_month_names_come_from_babel_never_from_a_catalog(locale):
    """One spelling per month: dates are formatted by Babel, so no catalog may spell a month itself."""
    babel = Locale.parse(locale)
    months = set()
    for context in ("format", "stand-alone"):
        months |= {name for name in get_month_names("wide", context, locale=babel).values() if len(name) > 3}
    months |= {"Agosto", "Ogosto"} if locale == "so" else set()
    found = [(domain, text) for domain, _msgid, text in _messages(locale)
             for month in months if re.search(rf"(?<!\w){re.escape(month)}(?!\w)", text)]
    assert not found, found[:5]


def test_somali_objection_is_an_objection_not_a_lawsuit():
    texts = [text for _d, msgid, text in _messages("so") if "bezwaar" in msgid]
    assert texts and all("racfaan" in t for t in texts) and not any("dacwad" in t for t in texts)
