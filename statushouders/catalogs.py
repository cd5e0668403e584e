"""Babel catalogs under ``translations/<domain>/<locale>/LC_MESSAGES/<domain>.po``: compile them to ``.mo``.

Compiled files are build output (not committed): ``make translations`` runs this. The staff catalog's
runtime translation (``staff_text``) lives here too, so domain modules translate their messages without the UI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

from .config import ROOT

TRANSLATIONS = ROOT / "translations"


def staff_message(message: str) -> str:
    """Mark a Dutch staff-UI message where a domain module defines it; ``staff_text`` translates it when shown."""
    return message


def po_files(root: Path = TRANSLATIONS) -> list[Path]:
    return sorted(root.glob("*/*/LC_MESSAGES/*.po"))


def compile_all(root: Path = TRANSLATIONS) -> list[Path]:
    """Compile every catalog whose ``.mo`` is missing or older than its ``.po``; fuzzy entries stay out."""
    written = []
    for po in po_files(root):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


@dataclass(frozen=True)
class PythonDomain:
    """A catalog whose messages are marked in Python sources (the staff UI, the own view)."""

    name: str
    sources: tuple[str, ...]  # globs relative to the repository root
    keywords: tuple[str, ...]
    locales: tuple[str, ...]

    @property
    def template(self) -> Path:
        return TRANSLATIONS / self.name / f"{self.name}.pot"

    def po(self, locale: str) -> Path:
        return TRANSLATIONS / self.name / locale / "LC_MESSAGES" / f"{self.name}.po"


# The staff UI and the messages of the domain modules it shows (validation, refusals), marked with
# ``_`` (``staff_text``) or, where defined before the UI language is known, ``staff_message``.
STAFF = PythonDomain(
    name="staff",
    sources=(
        "statushouders/ui/*.py", "statushouders/accounts.py", "statushouders/agenda.py", "statushouders/notify.py", "statushouders/audit.py", "statushouders/audit_view.py", "statushouders/auth.py",
        "statushouders/oidc.py", "statushouders/callbacks.py", "statushouders/case_owner.py", "statushouders/hours.py",
        "statushouders/life_events.py", "statushouders/overall_level.py",
        "statushouders/kpis.py", "statushouders/languages.py", "statushouders/milestones.py", "statushouders/own_access.py", "statushouders/own_slip.py", "statushouders/pip.py",
        "statushouders/plan_policy.py", "statushouders/plan_templates.py", "statushouders/plans.py",
        "statushouders/policy.py", "statushouders/register.py", "statushouders/route_advice.py", "statushouders/validation.py",
        "statushouders/budget/*.py", "statushouders/letters/archive.py", "statushouders/letters/budget_sources.py",
        "statushouders/letters/contexts.py", "statushouders/letters/plan_sources.py", "statushouders/letters/render.py",
        "statushouders/letters/sources.py", "statushouders/personas/labels.py", "statushouders/personas/report.py",
        "statushouders/personas/runner.py", "statushouders/personas/schema.py", "statushouders/personas/yamlreader.py",
    ),
    keywords=("_", "staff_message"),
    locales=("en",),
)


@lru_cache(maxsize=4)
def staff_translations(language: str) -> NullTranslations:
    """The compiled staff catalog of a language, loaded once; Dutch is the source language and needs none."""
    if language == "nl":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS / STAFF.name), [language], domain=STAFF.name)


def staff_text(message: str) -> str:
    """Translate a Dutch staff message into the deployment's UI language (``STATUSHOUDERS_UI_LANGUAGE``, default ``nl``).

    Pages are compiled once, so the UI language is chosen per deployment. Domain modules call it
    when they produce a message, never at import time.
    """
    return staff_translations(os.environ.get("STATUSHOUDERS_UI_LANGUAGE", "nl")).gettext(message)


def extract(domain: PythonDomain) -> int:
    """Write the domain's ``.pot`` from the marked messages in its sources; returns the message count."""
    catalog = Catalog(project=f"statushouders-{domain.name}", charset="utf-8")
    for pattern in domain.sources:
        for path in sorted(ROOT.glob(pattern)):
            source = path.relative_to(ROOT).as_posix()
            for lineno, message, _comments, _context in extract_from_file(
                "python", path, keywords=dict.fromkeys(domain.keywords)
            ):
                catalog.add(message, locations=[(source, lineno)])
    domain.template.parent.mkdir(parents=True, exist_ok=True)
    with domain.template.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return len(catalog)


def update(domain: PythonDomain) -> dict[str, int]:
    """Merge the ``.pot`` into each language's catalog; returns the number of untranslated messages per language."""
    with domain.template.open("rb") as handle:
        template = read_po(handle)
    untranslated = {}
    for locale in domain.locales:
        path = domain.po(locale)
        catalog = Catalog(locale=locale, charset="utf-8")
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        catalog.update(template)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
        untranslated[locale] = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
    return untranslated


def completeness(domain: PythonDomain, locale: str) -> tuple[int, int]:
    """(translated, total) messages of one language: fuzzy and empty ones do not count."""
    with domain.template.open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    done = 0
    if domain.po(locale).exists():
        with domain.po(locale).open("rb") as handle:
            done = sum(1 for m in read_po(handle, locale=locale) if m.id in ids and m.string and not m.fuzzy)
    return done, len(ids)
