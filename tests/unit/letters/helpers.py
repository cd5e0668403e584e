"""Shared helpers for the letter tests: cached renders, PDF text and font inspection."""

from __future__ import annotations

import io
import re
from functools import lru_cache

from pypdf import PdfReader

from statushouders.letters import catalog, render, samples

# Spaces, joiners, bidi marks and punctuation: PDF text extraction moves sentence-final
# punctuation around in right-to-left lines, so comparisons ignore it.
INVISIBLE = re.compile(r"[\s\u200c\u200d\u200e\u200f\u061c\u00a0.,:;!?\u060c\u061b\u061f\u1362\u1363\u1364\u1366]+")


@lru_cache(maxsize=None)
def rendered(letter_type: str, language: str) -> render.RenderedLetter:
    return render.render_letter(samples.sample(letter_type, language))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Text without spaces and invisible joiners/bidi marks, for order-robust comparison."""
    return INVISIBLE.sub("", text)


def translated(msgid: str, language: str) -> str:
    if language == "nl":
        return msgid
    value = catalog.translations(language)._catalog.get(msgid)
    assert value, f"{language}: no translation for {msgid!r}"
    return value


def embedded_fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont name -> whether the font program is embedded, over all pages."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[name] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts
