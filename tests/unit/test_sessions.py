"""Sessions (issue 14, point 8): idle and absolute timeouts, Secure cookies, state cleared, private .states/."""

import asyncio
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from statushouders import auth, db, own_access, register
from statushouders.config import ROOT
from statushouders.models import LoginSession, PersonSession
from tests.conftest import enrol, totp_code
from tests.unit.test_refusals_logged import TODAY


@pytest.fixture
def committed(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    session.commit()
    return chain, person.id


def _set(url, model, **values):
    with db.session_scope(url) as s:
        s.execute(update(model).values(**values))


def _last_seen(url, model):
    with db.session_scope(url) as s:
        return s.scalars(select(model.last_seen_at)).one()


def test_a_session_idle_longer_than_the_idle_timeout_is_refused(db_url, committed):
    token, _ = db.in_session(auth.login, "taalschool", "geheim-wachtwoord", "")
    now = datetime.now(timezone.utc)
    _set(db_url, LoginSession, last_seen_at=now - timedelta(minutes=29))
    assert db.in_session(auth.resolve, token) is not None
    assert _last_seen(db_url, LoginSession) > now - timedelta(seconds=5)  # seen again: idle time starts over
    _set(db_url, LoginSession, last_seen_at=now - timedelta(minutes=31))
    assert db.in_session(auth.resolve, token) is None


def test_the_idle_timeout_is_configurable(db_url, committed, monkeypatch):
    monkeypatch.setenv("STATUSHOUDERS_IDLE_MINUTES", "5")
    token, _ = db.in_session(auth.login, "taalschool", "geheim-wachtwoord", "")
    _set(db_url, LoginSession, last_seen_at=datetime.now(timezone.utc) - timedelta(minutes=6))
    assert db.in_session(auth.resolve, token) is None


def test_an_active_session_still_ends_at_the_absolute_timeout(db_url, committed):
    token, _ = db.in_session(auth.login, "taalschool", "geheim-wachtwoord", "")
    _set(db_url, LoginSession, expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    assert db.in_session(auth.resolve, token) is None  # last seen just now, but past its absolute end


def test_last_seen_is_written_at_most_once_a_minute(db_url, committed):
    token, _ = db.in_session(auth.login, "taalschool", "geheim-wachtwoord", "")
    first = _last_seen(db_url, LoginSession)
    for _ in range(3):
        db.in_session(auth.resolve, token)
    assert _last_seen(db_url, LoginSession) == first


def test_an_own_view_session_idle_too_long_is_refused(db_url, committed):
    chain, person_id = committed
    now = datetime.now(timezone.utc)
    code, _ = db.in_session(own_access.issue_code, chain["regisseur"], person_id, now)
    token, _ = db.in_session(own_access.sign_in, code, now, "")
    assert db.in_session(own_access.resolve, token, now + timedelta(minutes=29)) is not None  # touches last seen
    assert db.in_session(own_access.resolve, token, now + timedelta(minutes=58)) is not None  # 29 idle minutes
    assert db.in_session(own_access.resolve, token, now + timedelta(minutes=60, seconds=30)) is None  # absolute 60
    token, _ = db.in_session(own_access.sign_in, db.in_session(own_access.issue_code, chain["regisseur"], person_id,
                                                                  now)[0], now, "")
    assert db.in_session(own_access.resolve, token, now + timedelta(minutes=31)) is None  # idle


def _cookie_flags(secure: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STATUSHOUDERS_HTTPS": secure}
    code = ("from statushouders.ui.auth_state import AuthState; from statushouders.ui.own_state import OwnState\n"
            "for cls, name in ((AuthState, 'session_token'), (OwnState, 'person_token')):\n"
            "    c = cls.get_fields()[name].default\n"
            "    print(c.name, c.secure, c.same_site, c.path)")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout


def test_cookies_are_secure_when_configured_and_strict_always():
    assert _cookie_flags("1").split("\n")[:2] == ["sh_session True strict /", "sh_person True strict /"]
    assert _cookie_flags("").split("\n")[:2] == ["sh_session None strict /", "sh_person None strict /"]


def _tree():
    import reflex as rx

    from statushouders.ui import persons_state, plan_state  # noqa: F401 (register the page states)

    return rx.State(_reflex_internal_init=True)


def test_logout_and_expiry_clear_every_page_state_of_the_tab(db_url, committed):
    from statushouders.ui.auth_state import AuthState
    from statushouders.ui.persons_state import FileState
    from statushouders.ui.plan_state import PlanState

    async def scenario(end):
        root = _tree()
        auth_state = await root.get_state(AuthState)
        file_state = await root.get_state(FileState)
        plan_state = await root.get_state(PlanState)
        enrol(db_url, "regisseur")
        token, _ = db.in_session(auth.login, "regisseur", "geheim-wachtwoord", "", totp_code(step=0 if end is logout else 1))
        auth_state.session_token, auth_state.user_name = token, "Regisseur"
        file_state.title, file_state.groups = "Yonas Tesfay", [{"label": "BSN", "fields": [["BSN", "111222333"]]}]
        plan_state.person_id = 7
        await end(file_state, token)
        return auth_state, file_state, plan_state

    async def logout(state, token):
        await AuthState.logout.fn(await state.get_state(AuthState))

    async def expire(state, token):
        _set(db_url, LoginSession, expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
        assert await state.current_actor() is None  # what every page's on_load asks first

    for end in (logout, expire):
        auth_state, file_state, plan_state = asyncio.run(scenario(end))
        assert (auth_state.session_token, auth_state.user_name) == ("", "")
        assert (file_state.title, file_state.groups, plan_state.person_id) == ("", [], 0), end.__name__


def test_the_own_view_state_is_cleared_at_sign_out_keeping_only_the_language(db_url, committed):
    from statushouders.ui.own_state import OwnState

    async def scenario():
        root = _tree()
        own = await root.get_state(OwnState)
        own.chosen = True
        own._use_language("ar")
        own.name, own.person_token = "Yonas Tesfay", "x"
        own.letters = [{"id": "1"}]
        await OwnState.sign_out.fn(own)
        return own

    own = asyncio.run(scenario())
    assert (own.name, own.person_token, own.letters, own.locale) == ("", "", [], "ar")


def test_the_states_folder_is_readable_by_its_owner_only(tmp_path, monkeypatch):
    states = tmp_path / ".states"
    states.mkdir(mode=0o755)
    (states / "old.pkl").write_bytes(b"x")
    os.chmod(states / "old.pkl", 0o644)
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(states))
    from statushouders.statushouders import private_states_dir

    private_states_dir()
    assert stat.S_IMODE(states.stat().st_mode) == 0o700
    assert stat.S_IMODE((states / "old.pkl").stat().st_mode) == 0o600
