"""The own view's words in the person's language, from the ``ownview`` Babel catalog.

The page is compiled once, so its texts are looked up at run time: ``table(locale)`` gives
every message id with its translation, and Dutch where a translation is missing or fuzzy.
"""

from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po

from .catalogs import TRANSLATIONS
from .languages import LANGUAGES

DOMAIN = "ownview"
TEMPLATE = TRANSLATIONS / DOMAIN / f"{DOMAIN}.pot"


def _po_path(locale: str):
    return TRANSLATIONS / DOMAIN / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def message_ids() -> tuple[str, ...]:
    with TEMPLATE.open("rb") as handle:
        return tuple(m.id for m in read_po(handle) if m.id)


@lru_cache(maxsize=None)
def _catalog(locale: str) -> tuple[dict[str, str], tuple[str, ...]]:
    words = {msgid: msgid for msgid in message_ids()}
    path = _po_path(locale)
    if locale == "nl":
        return words, ()
    translated = set()
    if path.exists():
        with path.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id in words and message.string and not message.fuzzy:
                    words[message.id] = message.string
                    translated.add(message.id)
    return words, tuple(msgid for msgid in words if msgid not in translated)


def table(locale: str) -> dict[str, str]:
    """Every message in ``locale``; untranslated or fuzzy ones stay Dutch (see ``missing``)."""
    return _catalog(locale)[0]


def missing(locale: str) -> list[str]:
    """Message ids shown in Dutch for ``locale``, so the page can say so openly."""
    return list(_catalog(locale)[1])


def choices() -> list[list[str]]:
    """Languages the person can pick, named in their own words."""
    return [[code, lang.endonym] for code, lang in LANGUAGES.items()]


SOURCES = ("statushouders/own_view.py", "statushouders/ui/own_state.py", "statushouders/ui/own_pages.py")


def extract_template() -> int:
    """Write ``ownview.pot`` from the marked messages (``t(...)`` and ``N_(...)``) in SOURCES."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import write_po

    from .config import ROOT

    catalog = Catalog(project="Eén plan — eigen omgeving", charset="utf-8")
    for source in SOURCES:
        for lineno, message, _comments, _context in extract_from_file(
            "python", ROOT / source, keywords={"t": None, "N_": None}
        ):
            catalog.add(message, locations=[(source, lineno)])
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as handle:
        write_po(handle, catalog, width=100)
    message_ids.cache_clear()
    _catalog.cache_clear()
    return len(catalog)
