"""Signing in and out: hashed passwords, sessions that expire and end."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from statushouders import auth
from statushouders.models import LoginSession, User


def test_password_is_stored_hashed_and_checked(session, chain):
    user = session.scalars(select(User).where(User.username == "regisseur")).one()
    assert "geheim-wachtwoord" not in user.password_hash and user.password_hash.startswith("$argon2")
    token, actor = auth.login(session, "Coordinator ", "geheim-wachtwoord")
    assert actor.role == "coordinator" and auth.resolve(session, token) == actor


@pytest.mark.parametrize("username,password", [("regisseur", "fout"), ("onbekend", "geheim-wachtwoord")])
def test_wrong_login_gives_one_message(session, chain, username, password):
    with pytest.raises(auth.LoginFailed, match="Gebruikersnaam of wachtwoord klopt niet"):
        auth.login(session, username, password)


def test_logout_ends_the_session(session, chain):
    token, _ = auth.login(session, "taalschool", "geheim-wachtwoord")
    auth.logout(session, token)
    assert auth.resolve(session, token) is None


def test_session_expires(session, chain):
    token, _ = auth.login(session, "taalschool", "geheim-wachtwoord")
    row = session.scalars(select(LoginSession)).one()
    row.expires_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    assert auth.resolve(session, token) is None


def test_deactivated_user_loses_access(session, chain):
    token, _ = auth.login(session, "taalschool", "geheim-wachtwoord")
    session.scalars(select(User).where(User.username == "taalschool")).one().active = False
    assert auth.resolve(session, token) is None
    with pytest.raises(auth.LoginFailed):
        auth.login(session, "taalschool", "geheim-wachtwoord")
