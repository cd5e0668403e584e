"""The own view's words in the person's language, from the ``ownview`` Babel catalog.

The page is compiled once, so its texts are looked up at run time: ``table(locale)`` gives
every message id with its translation, and Dutch where a translation is missing or fuzzy.
"""

from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po

from .catalogs import PythonDomain
from .languages import LANGUAGES

CATALOG = PythonDomain(
    name="ownview",
    sources=("statushouders/own_view.py", "statushouders/own_slip.py", "statushouders/ui/own_state.py",
             "statushouders/ui/own_pages.py"),
    keywords=("t", "N_"),
    locales=tuple(code for code in LANGUAGES if code != "nl"),
)


@lru_cache(maxsize=None)
def message_ids() -> tuple[str, ...]:
    with CATALOG.template.open("rb") as handle:
        return tuple(m.id for m in read_po(handle) if m.id)


@lru_cache(maxsize=None)
def _catalog(locale: str) -> tuple[dict[str, str], tuple[str, ...]]:
    words = {msgid: msgid for msgid in message_ids()}
    if locale == "nl":
        return words, ()
    translated = set()
    path = CATALOG.po(locale)
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
    """Languages the person can pick: code, name in its own words, and its HTML language tag."""
    return [[code, lang.endonym, code.replace("_", "-")] for code, lang in LANGUAGES.items()]
