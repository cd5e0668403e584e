"""Staff sign-in: hashed passwords and login sessions that expire and can be ended."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, config
from .catalogs import staff_text as _
from .models import LoginSession, User
from .policy import ROLES, Actor

_hasher = PasswordHasher()
# Verifying against a dummy hash for unknown users keeps response times alike.
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


class LoginFailed(ValueError):
    """Wrong name or password; the message never says which."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(user: User) -> Actor:
    org = user.organisation
    return Actor(user.id, user.full_name, org.id, org.name, org.kind, user.role, org.municipality)


def login(session: Session, username: str, password: str) -> tuple[str, Actor]:
    """Check the password and open a session; returns the token for the browser cookie."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None or not user.active or (user.organisation.kind, user.role) not in ROLES:
        raise LoginFailed(_("Gebruikersnaam of wachtwoord klopt niet."))
    token = secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    session.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(minutes=config.session_minutes()),
        )
    )
    actor = actor_for(user)
    audit.record(session, actor, audit.LOGIN, "ingelogd", "aanmelden")
    return token, actor


def resolve(session: Session, token: str) -> Actor | None:
    """The actor behind a browser token, or None when unknown, expired or logged out."""
    if not token:
        return None
    row = session.scalars(select(LoginSession).where(LoginSession.token_hash == _token_hash(token))).first()
    if row is None or row.ended_at is not None or row.expires_at <= datetime.now(timezone.utc):
        return None
    if not row.user.active:
        return None
    return actor_for(row.user)


def logout(session: Session, token: str) -> None:
    """End the session at once; the token is useless afterwards."""
    row = session.scalars(select(LoginSession).where(LoginSession.token_hash == _token_hash(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = datetime.now(timezone.utc)
