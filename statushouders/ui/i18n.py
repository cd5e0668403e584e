"""The staff UI's words as Babel messages: Dutch is the source language, other catalogs translate it.

Pages are compiled once, so the UI language is chosen per deployment with
``STATUSHOUDERS_UI_LANGUAGE`` (default ``nl``).
"""

from __future__ import annotations

import os
from functools import lru_cache

from babel.support import NullTranslations, Translations

from ..catalogs import TRANSLATIONS, PythonDomain

# Domain modules mark the labels the UI shows with ``staff_message`` (policy's field groups).
CATALOG = PythonDomain(name="staff", sources=("statushouders/ui/*.py", "statushouders/policy.py"),
                       keywords=("_", "staff_message"), locales=("en",))


@lru_cache(maxsize=4)
def _translations(language: str) -> NullTranslations:
    if language == "nl":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS / CATALOG.name), [language], domain=CATALOG.name)


def _(message: str) -> str:
    """Translate a Dutch UI message into the deployment's UI language."""
    return _translations(os.environ.get("STATUSHOUDERS_UI_LANGUAGE", "nl")).gettext(message)
