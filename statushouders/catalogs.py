"""Babel catalogs under ``translations/<domain>/<locale>/LC_MESSAGES/<domain>.po``: compile them to ``.mo``.

Compiled files are build output (not committed): ``make translations`` runs this.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .config import ROOT

TRANSLATIONS = ROOT / "translations"


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
