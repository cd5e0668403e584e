"""Visual regression: the translated page of an RTL and an Ethiopic letter, as a person sees it.

The page is rasterised with pdftoppm and compared with a stored reference PNG within a
tolerance (font hinting and anti-aliasing may move a few pixels). After an intended
layout change, regenerate with ``UPDATE_LETTER_REFERENCES=1 pytest tests/unit/letters/test_letter_visual.py``
and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from statushouders.letters.contexts import Recipient

from .helpers import rendered

REFERENCE = Path(__file__).parent / "reference"
CASES = [("payment_overview", "ar"), ("plan_summary", "ti_ER"), ("plan_summary", "uk")]

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


def _page_png(pdf: bytes, page: int, tmp_path: Path) -> Image.Image:
    source = tmp_path / "letter.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(source), str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png").convert("L")


@pytest.mark.parametrize("letter_type, language", CASES)
def test_the_translated_page_looks_like_the_reference(letter_type, language, tmp_path):
    image = _page_png(rendered(letter_type, language).pdf, 2, tmp_path)
    reference_path = REFERENCE / f"{letter_type}-{language}-p2.png"
    if os.environ.get("UPDATE_LETTER_REFERENCES") or not reference_path.exists():
        REFERENCE.mkdir(exist_ok=True)
        image.save(reference_path, optimize=True)
        pytest.skip(f"reference written: {reference_path.name}")
    reference = Image.open(reference_path).convert("L")
    assert image.size == reference.size
    diff = ImageChops.difference(image, reference)
    mean = ImageStat.Stat(diff).mean[0]
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (image.size[0] * image.size[1])
    assert mean < 2.0 and changed < 0.005, f"page differs: mean {mean:.2f}, {changed:.2%} of pixels changed"


def test_the_check_notices_a_changed_page(tmp_path):
    """The comparison is not blind: the same letter with another recipient name differs."""
    from dataclasses import replace

    from statushouders.letters import render
    from statushouders.letters.samples import sample

    context = sample("payment_overview", "ar")
    other = replace(context, recipient=Recipient("Mohammed Abdulrahman Al-Khatib", "", ""))
    image = _page_png(render.render_letter(other).pdf, 2, tmp_path)
    reference = Image.open(REFERENCE / "payment_overview-ar-p2.png").convert("L")
    diff = ImageChops.difference(image, reference)
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (image.size[0] * image.size[1])
    assert changed > 0.0005
