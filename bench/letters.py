"""Letter rendering speed: warm single letter, a batch on all cores, and a naive set-up for comparison.

    python bench/letters.py [--letters 1000] [--naive 120] [--workers N]

Per letter type it prints the warm time, the lines of text and the floor: the same warm renderer on
the letter's own lines of text as plain paragraphs (same glyphs and scripts, no letter around them);
a letter's overhead is its CPU time over that floor.
Last line: ``warm_ms=<median> batch_letters_per_s=<n> naive_letters_per_s=<n>
plan_letter_warm_ms=<median> overhead_vs_floor=<ratio> max_overhead_vs_floor=<ratio>``
(``warm_ms`` is the short plan letter's, as before).
Targets (docs/letters.md): the short plan letter <= 60 ms warm, every type's overhead <= 1.3x its floor,
batch_letters_per_s >= 40 on 2 cores.
The batch renders bilingual letters of every type across every language in a process
pool of warmed workers (one FontConfiguration + one parsed stylesheet each). "naive" is
the same work when every letter builds its own FontConfiguration and parses the CSS again.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from html import escape
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statushouders import languages  # noqa: E402
from statushouders.letters import pool, render  # noqa: E402
from statushouders.letters.contexts import LETTER_TYPES  # noqa: E402
from statushouders.letters.samples import sample  # noqa: E402


def contexts(count: int):
    combos = itertools.cycle(itertools.product(LETTER_TYPES, languages.LANGUAGES))
    return [sample(t, lang, ref=f"BR-2026-{i:06d}") for i, (t, lang) in zip(range(count), combos)]


def naive_render(context) -> int:
    """What a straightforward implementation does: set up fonts and CSS for every letter."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render.build_html(context).html
    font_config = FontConfiguration()
    css = CSS(string=render.font_face_css() + render.STYLE.read_text(), font_config=font_config)
    return len(HTML(string=html, base_url=str(render.TEMPLATES)).write_pdf(stylesheets=[css], font_config=font_config))


def warm_render(context) -> int:
    return len(pool.render_one(context).pdf)


def page_lines(pdf: bytes) -> list[list[str]]:
    """The lines of text on each page, as a reader sees them (wrapped lines included)."""
    from io import BytesIO

    from pypdf import PdfReader

    return [[line for line in (page.extract_text() or "").splitlines() if line.strip()]
            for page in PdfReader(BytesIO(pdf)).pages]


def floor_html(context, pages: list[list[str]]) -> str:
    """The letter's own lines of text as plain paragraphs: the same glyphs and scripts, no letter around them.

    The Dutch original is page 1 (and more); the translation follows in its script's font.
    """
    script = languages.LANGUAGES[context.language].script if context.language in languages.LANGUAGES else "latin"
    blocks = []
    for number, lines in enumerate(pages):
        # the translation's pages in its script's font (its stack falls back to Latin for names)
        css = f' class="script-{script}"' if number > 0 and script != "latin" else ""
        blocks.append(f'<div{css}>' + "".join(f'<p dir="auto">{escape(line)}</p>' for line in lines) + "</div>")
    return "".join(blocks)


def per_type(letter_type: str, renders: int) -> tuple[float, float, int, float]:
    """(median wall ms, median CPU ms, median lines of text, floor CPU ms for the same lines), warm."""
    singles = [sample(letter_type, lang) for lang in languages.LANGUAGES if lang != "nl"]
    floors = []
    for context in singles:  # also warms the renderer for every script
        pages = page_lines(render.render_letter(context).pdf)
        floors.append((sum(len(lines) for lines in pages), floor_html(context, pages)))
    times, cpu = [], []
    for context in itertools.islice(itertools.cycle(singles), renders):
        start, start_cpu = time.perf_counter(), time.process_time()
        render.render_letter(context)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    floor = []
    for _lines, html in itertools.islice(itertools.cycle(floors), renders):
        start_cpu = time.process_time()
        render.renderer().pdf(html)
        floor.append((time.process_time() - start_cpu) * 1000)
    lines = statistics.median_low([n for n, _html in floors])
    return statistics.median(times), statistics.median(cpu), lines, statistics.median(floor)


def rate(func, items, workers: int) -> float:
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=pool._warm) as executor:
        list(executor.map(func, items[: workers * 2]))  # start and warm every worker
        start = time.perf_counter()
        sizes = list(executor.map(func, items, chunksize=4))
        elapsed = time.perf_counter() - start
    assert all(sizes)
    return len(items) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=120)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--single", type=int, default=40)
    args = parser.parse_args()

    if not render.harfbuzz_subset_available():
        print("WARNING: libharfbuzz-subset0 missing: font subsetting is ~10x slower", file=sys.stderr)

    # Per letter type: one bilingual letter per language, rendered warm in this process again and
    # again, next to the floor: the same warm renderer on the letter's own lines of text as plain
    # paragraphs. The letter's own overhead is its CPU time over that floor's.
    print(f"{'type':<22} {'warm ms':>8} {'CPU ms':>7} {'lines':>6} {'floor ms':>9} {'overhead':>9}")
    figures = {}
    for letter_type in LETTER_TYPES:
        figures[letter_type] = per_type(letter_type, args.single)
        wall, cpu, lines, floor_ms = figures[letter_type]
        print(f"{letter_type:<22} {wall:>8.1f} {cpu:>7.1f} {lines:>6} {floor_ms:>9.1f} {cpu / floor_ms:>8.2f}x")
    plan_wall, plan_cpu, _lines, plan_floor = figures["plan_summary"]
    worst = max(figures, key=lambda t: figures[t][1] / figures[t][3])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"short plan letter warm: median {plan_wall:.1f} ms wall, {plan_cpu:.1f} ms CPU (load average {load:.1f}); "
          f"highest overhead: {worst} {figures[worst][1] / figures[worst][3]:.2f}x its floor")

    items = contexts(args.letters)
    batch = rate(warm_render, items, args.workers)
    print(f"batch: {args.letters} letters ({len(LETTER_TYPES)} types x {len(languages.LANGUAGES)} languages) "
          f"on {args.workers} workers: {batch:.1f} letters/s")
    naive = rate(naive_render, items[: args.naive], args.workers)
    print(f"naive: {args.naive} letters, new FontConfiguration + CSS per letter: {naive:.1f} letters/s "
          f"(warm pool is {batch / naive:.1f}x faster)")
    print(f"warm_ms={plan_wall:.1f} batch_letters_per_s={batch:.1f} naive_letters_per_s={naive:.1f} "
          f"plan_letter_warm_ms={plan_wall:.1f} overhead_vs_floor={plan_cpu / plan_floor:.2f} "
          f"max_overhead_vs_floor={figures[worst][1] / figures[worst][3]:.2f}")


if __name__ == "__main__":
    main()
