"""Letter rendering speed: warm single letter, a batch on all cores, and a naive set-up for comparison.

    python bench/letters.py [--letters 1000] [--naive 120] [--workers N]

Last line: ``warm_ms=<median> batch_letters_per_s=<n> naive_letters_per_s=<n>``.
Targets (docs/letters.md): warm_ms <= 60, batch_letters_per_s >= 40 on 2 cores.
The batch renders bilingual letters of all 8 types across the 13 languages in a process
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

    # Warm single letter: one bilingual letter per language, rendered again and again in this process.
    singles = [sample("plan_summary", lang) for lang in languages.LANGUAGES if lang != "nl"]
    for context in singles:
        render.render_letter(context)
    times, cpu = [], []
    for context in itertools.islice(itertools.cycle(singles), args.single):
        start, start_cpu = time.perf_counter(), time.process_time()
        render.render_letter(context)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    warm_ms = statistics.median(times)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"warm single letter: median {warm_ms:.1f} ms wall, {statistics.median(cpu):.1f} ms CPU, "
          f"p90 {sorted(times)[int(len(times) * 0.9)]:.1f} ms over {len(times)} renders (load average {load:.1f})")

    # The floor: the same warm renderer on 52 plain one-line paragraphs, as many lines as a letter
    # has but no letter in it. A letter cannot be faster than this on this machine.
    plain = "".join(f"<p>Regel {i}: een zin van gewone lengte in een brief op A2-niveau.</p>" for i in range(52))
    floor = []
    for _ in range(10):
        start_cpu = time.process_time()
        render.renderer().pdf(plain)
        floor.append((time.process_time() - start_cpu) * 1000)
    print(f"floor: 52 plain one-line paragraphs, no letter: median {statistics.median(floor):.1f} ms CPU")

    items = contexts(args.letters)
    batch = rate(warm_render, items, args.workers)
    print(f"batch: {args.letters} letters (8 types x 13 languages) on {args.workers} workers: {batch:.1f} letters/s")
    naive = rate(naive_render, items[: args.naive], args.workers)
    print(f"naive: {args.naive} letters, new FontConfiguration + CSS per letter: {naive:.1f} letters/s "
          f"(warm pool is {batch / naive:.1f}x faster)")
    print(f"warm_ms={warm_ms:.1f} batch_letters_per_s={batch:.1f} naive_letters_per_s={naive:.1f}")


if __name__ == "__main__":
    main()
