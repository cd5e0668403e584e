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


# A4 with the letter's @page margins (style.css: 18mm top, 20mm bottom), in PDF points.
PAGE_HEIGHT, TOP_MARGIN, BOTTOM_MARGIN = 842, 51, 57


def body_text(pdf: bytes) -> str:
    """The text of the page bodies only: without the running head and the page numbers in the margins,
    so a long value that runs across a page break reads as one piece."""
    chunks: list[str] = []

    def visit(text, cm, tm, _font, _size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text and BOTTOM_MARGIN < y < PAGE_HEIGHT - TOP_MARGIN:
            chunks.append(text)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
        chunks.append("\n")
    return "".join(chunks)
