"""The languages the chain writes to statushouders in, and how to name and set them.

Babel cannot parse some ISO 639-3 codes that intake forms use (``prs`` for Dari),
and its display names are wrong for the people reading them ("Persian
(Afghanistan)" for Dari), so this module keeps its own alias map and names.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from babel import Locale

from .catalogs import staff_text as _


@dataclass(frozen=True)
class Language:
    """One letter language: its Babel locale, how people name it, and its script."""

    code: str  # the code stored on a person (a Babel locale id)
    name_nl: str  # how the staff UI names it
    endonym: str  # how speakers name it, shown to the person
    script: str  # "latin", "arabic", "ethiopic" or "cyrillic" (Cyrillic is in the vendored Noto Sans)
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("nl", "Nederlands", "Nederlands", "latin"),
        Language("en", "Engels", "English", "latin"),
        Language("ar", "Arabisch", "العربية", "arabic", rtl=True),
        Language("ti_ER", "Tigrinya", "ትግርኛ", "ethiopic"),
        Language("am", "Amhaars", "አማርኛ", "ethiopic"),
        Language("fa_AF", "Dari", "دری / Dari", "arabic", rtl=True),
        Language("fa", "Farsi", "فارسی", "arabic", rtl=True),
        Language("ps", "Pashto", "پښتو", "arabic", rtl=True),
        Language("tr", "Turks", "Türkçe", "latin"),
        Language("ku", "Koerdisch (Kurmanji)", "Kurmancî", "latin"),
        Language("ckb", "Koerdisch (Sorani)", "کوردیی ناوەندی", "arabic", rtl=True),
        Language("so", "Somalisch", "Soomaali", "latin"),
        Language("fr", "Frans", "Français", "latin"),
        # Temporary protection (Ukraine): no PIP, but letters and the own view in their language.
        Language("uk", "Oekraïens", "Українська", "cyrillic"),
        Language("ru", "Russisch", "Русский", "cyrillic"),
    )
}

# Input codes seen on forms and in COA/IND files that Babel does not parse, or
# that point to the wrong variety, mapped to the locale the chain writes in.
ALIASES: dict[str, str] = {
    "prs": "fa_AF",
    "kmr": "ku",
    "tir": "ti_ER",
    "ti": "ti_ER",
    "ara": "ar",
    "amh": "am",
    "fas": "fa",
    "per": "fa",
    "pus": "ps",
    "tur": "tr",
    "som": "so",
    "fra": "fr",
    "fre": "fr",
    "eng": "en",
    "ukr": "uk",
    "rus": "ru",
    "nld": "nl",
    "dut": "nl",
    "ar_SY": "ar",
    "ar_IQ": "ar",
    "ar_YE": "ar",
}


class UnknownLanguage(ValueError):
    """A language code the chain cannot write letters in."""


def normalise(code: str) -> str:
    """Map an input code (``prs``, ``ti``, ``ar-SY``) to the locale code the chain uses."""
    cleaned = (code or "").strip().replace("-", "_")
    if not cleaned:
        raise UnknownLanguage(_("Geen taalcode opgegeven."))
    base = cleaned.split("_")[0].lower()  # a region variant (ckb_IQ, so_SO) is written in its language's catalog
    for candidate in (cleaned, cleaned.lower(), base):
        if candidate in LANGUAGES:
            return candidate
        if candidate in ALIASES:
            return ALIASES[candidate]
    raise UnknownLanguage(_("Onbekende taalcode '{code}'. Kies een van: {codes}.").format(
        code=code, codes=", ".join(sorted(LANGUAGES))))


def get(code: str) -> Language:
    """The language for an input or locale code."""
    return LANGUAGES[normalise(code)]


def babel_locale(code: str) -> Locale:
    """The Babel locale for formatting dates and numbers in this language."""
    return Locale.parse(normalise(code))


def is_rtl(code: str) -> bool:
    return get(code).rtl


def choices_nl() -> list[tuple[str, str]]:
    """(code, Dutch name) pairs for select boxes in the staff UI, Dutch first."""
    return [(lang.code, lang.name_nl) for lang in LANGUAGES.values()]


def spoken_code(code: str) -> str:
    """A language someone speaks or reads, by code or by name: a letter language (its locale code, ``tir`` or
    "Tigrinya" or "ትግርኛ" -> ``ti_ER``) or any other ISO 639 language (``ln`` or "Lingala"), which letters
    cannot be written in."""
    try:
        return normalise(code)
    except UnknownLanguage:
        pass
    import pycountry

    named = _by_name().get(" ".join((code or "").split()).casefold())
    if named:
        return named
    cleaned = (code or "").strip().replace("-", "_").split("_")[0].lower()
    found = pycountry.languages.get(alpha_2=cleaned) if len(cleaned) == 2 else pycountry.languages.get(alpha_3=cleaned)
    if found is None:
        raise UnknownLanguage(_("Onbekende taalcode '{code}': gebruik een ISO 639-code (bijvoorbeeld ti, prs of ln)."
                                ).format(code=code))
    return getattr(found, "alpha_2", None) or found.alpha_3


def spoken_name_nl(code: str) -> str:
    """The Dutch name of any spoken language: the chain's own name, else Babel's, else the ISO 639 name."""
    if code in LANGUAGES or code in ALIASES:
        return get(code).name_nl
    name = Locale("nl").languages.get(code)
    if name:
        return name
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return found.name if found is not None else code


@functools.cache
def _by_name() -> dict[str, str]:
    """Language names as staff and people type them (Dutch, English, own script) -> code."""
    import pycountry

    names: dict[str, str] = {}
    for lang in pycountry.languages:  # English names first, so Dutch and own names win on a clash
        code = getattr(lang, "alpha_2", None) or lang.alpha_3
        names[lang.name.casefold()] = code
    for code, name in Locale("nl").languages.items():
        if "_" not in code and len(code) in (2, 3):
            names[name.casefold()] = code
    for lang in LANGUAGES.values():
        names[lang.name_nl.casefold()] = lang.code
        for endonym in lang.endonym.split(" / "):
            names[endonym.casefold()] = lang.code
    names.update({"kurmanji": "ku", "sorani": "ckb", "dari": "fa_AF", "perzisch": "fa"})
    return {name: normalise(code) if code in LANGUAGES or code in ALIASES else code for name, code in names.items()}


def choices_with_endonym() -> list[tuple[str, str]]:
    """(code, "Dutch name — own name") pairs for choosing a letter language by name."""
    return [(lang.code, lang.name_nl if lang.endonym == lang.name_nl else f"{lang.name_nl} — {lang.endonym}")
            for lang in LANGUAGES.values()]
