"""The ``letters`` gettext domain: extract, update, compile, report, and gap-aware lookups.

Message ids are the Dutch A2 texts (Dutch is the legal original). Catalogs live in
``translations/letters/<locale>/LC_MESSAGES/letters.po``; ``reviews.yaml`` beside them
records per catalog whether a native speaker reviewed it. A message that is missing or
fuzzy in the person's language is never dropped silently: the lookup returns the Dutch
text marked as "only in Dutch" and records the gap, so the letter and the UI can say so.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from markupsafe import Markup, escape

from .. import languages
from ..config import ROOT

DOMAIN = "letters"
CATALOG_DIR = ROOT / "translations" / DOMAIN
POT_FILE = CATALOG_DIR / f"{DOMAIN}.pot"
REVIEWS_FILE = CATALOG_DIR / "reviews.yaml"
TEMPLATES = Path(__file__).resolve().parent / "templates"

# Plural headers set explicitly: Babel's defaults are wrong for ti and am (n != 1 instead
# of n > 1) and order Arabic's six forms differently from GNU gettext.
PLURAL_FORMS = {
    "nl": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "ti_ER": "nplurals=2; plural=(n > 1);",
    "am": "nplurals=2; plural=(n > 1);",
    "fa_AF": "nplurals=1; plural=0;",
    "fa": "nplurals=1; plural=0;",
    "ps": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=1; plural=0;",
    "ku": "nplurals=2; plural=(n != 1);",
    "ckb": "nplurals=2; plural=(n != 1);",
    "so": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    # East Slavic: one (1, 21, 31 ...), few (2-4, 22-24 ...), many (the rest), GNU order.
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}

TARGET_LOCALES = [code for code in languages.LANGUAGES if code != "nl"]


def po_path(locale: str) -> Path:
    return CATALOG_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


# --- workflow: extract, update, compile, report --------------------------------------

def extract() -> Catalog:
    """Collect every gettext message of the letter templates into ``letters.pot``."""
    catalog = Catalog(project="statushouders-letters", version="1", msgid_bugs_address="", charset="utf-8")
    method_map = [("**.j2", "jinja2")]
    options = {"**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    for filename, lineno, message, comments, context in extract_from_dir(
        str(TEMPLATES), method_map, options, keywords={"_": None, "gettext": None, "ngettext": (1, 2)}
    ):
        catalog.add(message, None, [(f"statushouders/letters/templates/{filename}", lineno)],
                    auto_comments=comments, context=context)
    for text, source in plan_template_texts():
        catalog.add(text, None, [(source, 0)], auto_comments=["Actie uit een plansjabloon"])
    POT_FILE.parent.mkdir(parents=True, exist_ok=True)
    with POT_FILE.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return catalog


def plan_template_texts() -> list[tuple[str, str]]:
    """(text, file) of every action and own part in plans/*.yaml: the person reads their plan in their language."""
    from .. import plan_templates

    texts = []
    for actions in plan_templates.load_templates().values():
        for action in actions:
            source = "plans/" + action.ref.split(":")[0]
            texts += [(text, source) for text in (action.what, action.own_part) if text]
    check = plan_templates.L3_CHECK  # the plan's one check moment at L3 (built in, not in a file)
    texts += [(text, "statushouders/plan_templates.py") for text in (check.what, check.own_part)]
    return texts


def _set_header(catalog: Catalog, locale: str) -> None:
    catalog._num_plurals, catalog._plural_expr = _parse_plural(PLURAL_FORMS[locale])
    catalog.language_team = f"{languages.LANGUAGES[locale].endonym} <vertalingen@example.nl>"


def _parse_plural(header: str) -> tuple[int, str]:
    nplurals, plural = header.split(";", 1)
    expr = plural.strip().removeprefix("plural=").rstrip(";").strip()
    return int(nplurals.split("=")[1]), expr


def update() -> dict[str, tuple[int, int]]:
    """Merge ``letters.pot`` into every language's catalog (creating missing ones); returns (new, obsolete)."""
    with POT_FILE.open("rb") as handle:
        template = read_po(handle)
    changes = {}
    for locale in TARGET_LOCALES:
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="statushouders-letters", charset="utf-8")
        before = {m.id for m in catalog if m.id}
        catalog.update(template, no_fuzzy_matching=False)
        _set_header(catalog, locale)
        after = {m.id for m in catalog if m.id}
        changes[locale] = (len(after - before), len(catalog.obsolete))
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
    return changes


def compile_all() -> list[Path]:
    """Compile the letter catalogs to ``.mo`` (fuzzy entries stay out: they count as missing)."""
    written = []
    for locale in TARGET_LOCALES:
        po = po_path(locale)
        if not po.exists():
            continue
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in list(catalog):
            # A plural entry with any empty form would print nothing: treat it as missing.
            if message.id and isinstance(message.string, (list, tuple)) and not all(message.string):
                catalog.delete(message.id, context=message.context)
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(partial, mo)  # atomic: a worker process never reads a half-written catalog
        written.append(mo)
    return written


def reviews() -> dict[str, dict]:
    """Per catalog: ``reviewed`` (by a native speaker), ``reviewer``, ``date``, ``note``."""
    if not REVIEWS_FILE.exists():
        return {}
    return yaml.safe_load(REVIEWS_FILE.read_text(encoding="utf-8")) or {}


@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    total: int
    translated: int
    fuzzy: int
    missing: list[str]  # Dutch msgids with no usable translation (missing or fuzzy)
    reviewed: bool
    reviewer: str

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def status(locale: str) -> CatalogStatus:
    """How complete one language's letter catalog is, against the current template."""
    locale = languages.normalise(locale)
    review = reviews().get(locale, {}) or {}
    with POT_FILE.open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    if locale == "nl":
        return CatalogStatus("nl", len(ids), len(ids), 0, [], True, "bron (Nederlands)")
    path = po_path(locale)
    catalog = None
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    translated, fuzzy, missing = 0, 0, []
    for msgid in ids:
        message = catalog.get(msgid) if catalog else None
        strings = message.string if message else ""
        filled = all(strings) if isinstance(strings, (list, tuple)) else bool(strings)
        if message is not None and message.fuzzy and filled:
            fuzzy += 1
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
        elif filled:
            translated += 1
        else:
            missing.append(msgid if isinstance(msgid, str) else msgid[0])
    return CatalogStatus(locale, len(ids), translated, fuzzy, missing, bool(review.get("reviewed")),
                         str(review.get("reviewer") or ""))


def report() -> list[CatalogStatus]:
    return [status(locale) for locale in TARGET_LOCALES]


def format_report(rows: list[CatalogStatus]) -> str:
    lines = [f"{'taal':<7} {'vertaald':>9} {'fuzzy':>6} {'ontbreekt':>10}  moedertaalspreker"]
    for row in rows:
        lines.append(
            f"{row.locale:<7} {row.percent:>8.0f}% {row.fuzzy:>6} {len(row.missing) - row.fuzzy:>10}  "
            f"{'ja (' + row.reviewer + ')' if row.reviewed else 'nee (eerste versie)'}"
        )
    return "\n".join(lines)


# --- runtime lookups -------------------------------------------------------------------

@lru_cache(maxsize=32)
def translations(locale: str) -> Translations | None:
    """The compiled catalog for a language (compiled on first use when stale); None for Dutch."""
    if locale == "nl":
        return None
    compile_all()
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        return None
    with mo.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


@lru_cache(maxsize=32)
def catalog_version(locale: str) -> str:
    """Identifies the exact catalog a letter used: short hash of the compiled file (``nl`` for Dutch)."""
    if locale == "nl":
        return "nl"
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        return f"{locale}:none"
    return f"{locale}:{hashlib.sha256(mo.read_bytes()).hexdigest()[:12]}"


GAP_MARK = "NL"


class GapTracker:
    """gettext/ngettext for one language that marks and records untranslated messages.

    A missing message comes back as the Dutch text in a ``<span class="gap" lang="nl">``
    with a visible marker, and its msgid is added to ``gaps``.

    ``gettext``/``ngettext`` serve the templates' own literal messages: Jinja marks their
    result safe. Data (a plan action, a name) goes through ``data_text``, which escapes
    the text and its translation.
    """

    def __init__(self, locale: str):
        self.locale = locale
        self._t = translations(locale)
        self._catalog = getattr(self._t, "_catalog", {}) if self._t else {}
        self.gaps: list[str] = []

    def _gap(self, dutch: str, msgid: str) -> Markup:
        if msgid not in self.gaps:
            self.gaps.append(msgid)
        return Markup('<span class="gap" lang="nl" dir="ltr"><b class="gapmark">{}</b> {}</span>').format(
            GAP_MARK, Markup(escape(dutch))
        )

    def gettext(self, message: str) -> str:
        if self.locale == "nl":
            return message
        found = self._catalog.get(message)
        if found:
            return found
        return self._gap(message, message)

    def data_text(self, text) -> Markup:
        """A data text in this language, always escaped: the translation of a plan-template text
        (``plan_template_texts``) when the catalog has one, else the Dutch text marked as a gap."""
        text = "" if text is None else str(text)
        if self.locale == "nl" or not text:
            return Markup(escape(text))
        found = self._catalog.get(text)
        if isinstance(found, str) and found:
            return Markup(escape(found))
        return self._gap(text, text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.locale == "nl":
            return singular if n == 1 else plural
        if self._catalog.get((singular, 0)):
            return self._t.ngettext(singular, plural, n)
        return self._gap(singular if n == 1 else plural, singular)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
