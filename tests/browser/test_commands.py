"""The README's commands, started exactly as a newcomer or an operator starts them, in a fresh copy.

``make run`` (dev mode, SQLite in its default place, the rollup task running) must keep one
backend process while the app writes to its database; the hot reload once restarted it on every
write to SQLite's -wal file and 17 of 18 logins were lost. ``make serve`` runs the production
build with two workers on PostgreSQL and Redis: a tab keeps its login and its half-filled form
when the worker serving it dies.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.browser.conftest import demo_totp, needs_totp

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "welkom-demo-2026"
START_TIMEOUT = 420  # the first start installs the frontend's npm packages and builds it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory) -> Path:
    """The checkout's files as a clone has them (tracked and new, nothing ignored): no .data, .web, .venv."""
    target = tmp_path_factory.mktemp("clone") / "app"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _is_python(process: psutil.Process) -> bool:
    try:
        return process.is_running() and "python" in Path(process.cmdline()[0]).name
    except (psutil.Error, IndexError):
        return False


def _clean_env(**extra) -> dict:
    """The environment of a new shell: no test database or data folder the suite set for itself."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STATUSHOUDERS_", "REFLEX_", "GRANIAN_")) and k not in {"DATABASE_URL"}}
    env.update(extra)
    return env


class Command:
    """A make target in its own process group, its output in a log file."""

    def __init__(self, cwd: Path, args: list[str], env: dict, log: Path):
        self.log = log
        # ``-o …/.installed``: use the suite's venv as it is; never reinstall the copy into it.
        self.process = subprocess.Popen(["make", f"VENV={sys.prefix}", "-o", f"{sys.prefix}/.installed", *args],
                                        cwd=cwd, env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def wait_for(self, pattern: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log.read_text(errors="replace")):
                return
            if self.process.poll() is not None:
                break
            time.sleep(1)
        pytest.fail(f"{pattern!r} did not appear; log:\n{self.log.read_text(errors='replace')[-4000:]}")

    def workers(self) -> set[int]:
        """The Granian worker processes: children of the Python process that make started."""
        try:
            top = [p for p in psutil.Process(self.process.pid).children() if _is_python(p)]
        except psutil.NoSuchProcess:
            return set()
        return {c.pid for p in top for c in p.children() if _is_python(c)}

    def wait_for_http(self, url: str, timeout: float = START_TIMEOUT) -> None:
        """Until ``url`` answers (the log says "App running" before the workers have loaded the app)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status < 500:
                        return
            except OSError:
                time.sleep(1)
        pytest.fail(f"{url} never answered; log:\n{self.log.read_text(errors='replace')[-4000:]}")

    def python_processes(self) -> set[int]:
        """The app's Python processes now (the reflex command, the Granian supervisor and workers)."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return set()
        return {p.pid for p in children if _is_python(p)}

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _log_in(page, url: str, password: str = PASSWORD, username: str = "regisseur") -> None:
    """Sign in as a demo account; a role that must use a second factor also types its TOTP code."""
    page.goto(f"{url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-submit")
    if password == PASSWORD and needs_totp(username):
        page.wait_for_selector("#code")
        page.fill("#code", demo_totp(username))
        page.click("#code-submit")


def test_make_run_serves_every_login_and_never_restarts_the_backend(fresh_copy, browser, tmp_path):
    frontend, backend = _free_port(), _free_port()
    app = Command(fresh_copy, ["run", f"PORT={frontend}", f"BACKEND_PORT={backend}"], _clean_env(),
                  tmp_path / "make-run.log")
    try:
        app.wait_for(r"App running at")
        url = f"http://localhost:{frontend}"
        app.wait_for_http(f"http://localhost:{backend}/ping")
        app.wait_for_http(f"{url}/login")
        first = browser.new_context()
        page = first.new_page()
        page.set_default_timeout(60_000)
        _log_in(page, url)
        page.wait_for_selector("#whoami")
        first.close()
        processes = app.python_processes()
        assert processes, "no backend process found"

        landed = 0
        for _ in range(20):
            context = browser.new_context()
            page = context.new_page()
            page.set_default_timeout(20_000)
            _log_in(page, url, username="coordinator")  # no second factor: 20 sign-ins in a row
            try:
                page.wait_for_url("**/vandaag")  # every role lands on Vandaag
                page.wait_for_selector("#whoami")
                landed += 1
            except Exception:  # noqa: BLE001 - counted, reported below
                pass
            context.close()
        assert landed == 20, f"{landed} of 20 logins landed"

        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(20_000)
        _log_in(page, url, "niet-het-wachtwoord")
        expect(page.locator("#login-error")).to_contain_text("Gebruikersnaam of wachtwoord klopt niet")
        _log_in(page, url)
        page.wait_for_selector("#whoami")
        page.get_by_role("link", name="Nieuwe statushouder").click()
        page.wait_for_selector("#given_names")
        for selector, value in {"#given_names": "Selam", "#family_name": "Tesfa", "#name_own_script": "ሰላም ተስፋ",
                                "#birth_date": "1994-03-02", "#v_number": "2300000077", "#permit_date": "2026-06-01",
                                "#koppeling_date": "2026-06-12", "#azc": "AZC Zeist", "#spoken_languages": "tir",
                                "#read_languages": "tir", "#phone": "06 1111 2222",
                                "#iban": "NL91ABNA0417164300"}.items():
            page.fill(selector, value)
        page.select_option("#country_of_origin", "ER")
        page.select_option("#residence_status", "asylum")
        page.select_option("#letter_language", "ti_ER")
        page.select_option("#literacy", "limited")
        page.select_option("#preferred_channel", "phone")
        page.click("#register-submit")
        page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
        expect(page.locator("#file-title")).to_contain_text("Selam Tesfa")
        context.close()

        assert (fresh_copy / ".data" / "statushouders.db").exists(), "SQLite is not in its default place"
        assert app.python_processes() == processes, "the backend restarted while the app wrote to its database"
    finally:
        app.stop()


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (.ci/system-deps --test installs it)")
    port = _free_port()
    process = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    for _ in range(50):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://localhost:{port}"
    process.terminate()
    process.wait(10)


def test_make_serve_keeps_the_tab_when_its_worker_dies(fresh_copy, browser, redis_url, tmp_path):
    database = os.environ.get("TEST_DATABASE_URL", "")
    if not database:
        pytest.skip("TEST_DATABASE_URL not set (.ci/run starts PostgreSQL)")
    _fresh_postgres(database)
    port = _free_port()
    env = _clean_env(DATABASE_URL=database, REFLEX_REDIS_URL=redis_url,
                     STATUSHOUDERS_AUDIT_KEY="serve-test-audit-key-" + "s" * 40)
    seeded = subprocess.run([sys.executable, "-m", "statushouders", "seed"], cwd=fresh_copy, env=env,
                            capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr
    app = Command(fresh_copy, ["serve", f"BACKEND_PORT={port}", "WORKERS=2"], env, tmp_path / "make-serve.log")
    try:
        app.wait_for(r"App running at")
        url = f"http://localhost:{port}"
        app.wait_for_http(f"{url}/ping")
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(30_000)
        response = page.goto(f"{url}/login")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        _log_in(page, url)
        page.wait_for_selector("#whoami")
        page.get_by_role("link", name="Nieuwe statushouder").click()
        page.fill("#given_names", "Amanuel")
        page.fill("#bsn", "123456789")

        workers = app.workers()
        assert len(workers) == 2, f"expected two workers, found {workers}"
        for pid in workers:  # every worker that served this tab so far dies, one after the other
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and (pid in app.workers() or len(app.workers()) < 2):
                time.sleep(0.5)
        assert len(app.workers()) == 2 and not workers & app.workers(), "the dead workers were not replaced"
        app.wait_for_http(f"{url}/ping")  # a replacement process exists before it has loaded the app

        page.click("#register-submit")  # the next event reaches a new worker, once the tab has reconnected
        expect(page.locator("#bsn-error")).to_contain_text("elfproef", timeout=30_000)
        expect(page.locator("#given_names")).to_have_value("Amanuel")
        expect(page.locator("#whoami")).to_contain_text("Regisseur")
        page.goto(f"{url}/personen")
        page.wait_for_selector("#whoami")  # still logged in on a full page load
        context.close()
    finally:
        app.stop()
