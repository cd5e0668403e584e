"""Bench: how soon the dashboard page shows its first numbers in the browser, on the national database.

Starts the production build of the app (Reflex ``AppHarnessProd``: exported frontend, one backend)
on the database ``bench/dashboard.py`` generated (run that first; ``--database-url`` for another),
logs in with Debian chromium (``make test`` installs it) and opens ``/dashboard`` ``--runs`` times
per user. The figure is the time from the start of the navigation (``performance.now()``) until
the first traffic light is on the screen, i.e. including page load, websocket and computation.
The first opening per run of this script may include a rollup refresh when the database's day or
data changed since the rollup was last brought up to date.

Last line: ``first_numbers_ms=<median coordinator> partner_first_numbers_ms=<median vwn> first_open_ms=<first>``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from statushouders.seed import DEMO_PASSWORD  # noqa: E402

FIRST_LIGHT = "() => document.querySelector('.light') !== null"


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/personen")


def _open_dashboard(page, url: str) -> float:
    page.goto(f"{url}/dashboard")
    page.wait_for_function(FIRST_LIGHT, timeout=60_000)
    return page.evaluate("() => performance.now()")


def _measure(browser, url: str, username: str, runs: int) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    _login(page, url, username)
    samples = [_open_dashboard(page, url) for _ in range(runs)]
    context.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'dashboard_100000.db'}")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("REFLEX_USE_NPM", "1")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    from reflex.testing import AppHarnessProd

    with AppHarnessProd.create(root=ROOT, app_name="statushouders") as harness, sync_playwright() as playwright:
        url = harness.frontend_url.rstrip("/")
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        chain = _measure(browser, url, "coordinator", args.runs)
        partner = _measure(browser, url, "vwn", args.runs)
        browser.close()
    print("coordinator: " + " ".join(f"{ms:.0f}" for ms in chain) + " ms; vwn: " + " ".join(f"{ms:.0f}" for ms in partner) + " ms")
    print(f"first_numbers_ms={statistics.median(chain):.0f} partner_first_numbers_ms={statistics.median(partner):.0f} "
          f"first_open_ms={chain[0]:.0f}")


if __name__ == "__main__":
    main()
