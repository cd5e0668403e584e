"""Staff sign-in: hashed passwords and login sessions that expire and can be ended."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from . import audit, config, throttle
from .catalogs import staff_text as _
from .models import LoginSession, User
from .policy import ROLES, Actor

_hasher = PasswordHasher()
# Verifying against a dummy hash for unknown users keeps response times alike.
_DUMMY_HASH = _hasher.hash("dummy-password-for-timing")


class LoginFailed(ValueError):
    """Wrong name or password; the message never says which."""


class LoginThrottled(LoginFailed):
    """Too many failures for this account or address: no try before ``until`` (the message says when)."""

    def __init__(self, message: str, until: datetime):
        super().__init__(message)
        self.until = until


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_for(user: User) -> Actor:
    org = user.organisation
    return Actor(user.id, user.full_name, org.id, org.name, org.kind, user.role, org.municipality)


def _failed_actor(typed: str) -> Actor:
    """Whoever tried to log in, as the audit log names them: the name as typed, no account."""
    return Actor(None, typed.strip()[:100], 0, "", "", "", None)


def _wait_message(wait: throttle.Wait, now: datetime) -> str:
    if wait.locked:
        if wait.key.startswith("address:"):
            text = _("Te veel mislukte inlogpogingen vanaf dit adres. Probeer het opnieuw na {time}.")
        else:
            text = _("Te veel mislukte inlogpogingen: dit account is geblokkeerd. Probeer het opnieuw na {time}.")
        return text.format(time=wait.until.astimezone().strftime("%H:%M"))
    seconds = max(1, math.ceil((wait.until - now).total_seconds()))
    return _("Te veel mislukte inlogpogingen. Probeer het over {seconds} seconden opnieuw.").format(seconds=seconds)


def login(session: Session, username: str, password: str, client: str = "") -> tuple[str, Actor]:
    """Check the password and open a session; returns the token for the browser cookie.

    ``client`` is the client address the server saw. Failures count per account and per address
    (``throttle``); while one of them must wait, no password is checked at all.
    """
    name = username.strip().lower()
    now = datetime.now(timezone.utc)
    keys = {throttle.account_key(name): throttle.account_limits()}
    if client:
        keys[throttle.address_key(client)] = throttle.address_limits()
    wait = throttle.check(session, keys, now)
    if wait is not None:
        raise LoginThrottled(_wait_message(wait, now), wait.until)
    user = session.scalars(select(User).where(User.username == name)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None or not user.active or (user.organisation.kind, user.role) not in ROLES:
        _count_failure(session, username, client, keys, now)
        expected = throttle.expected_after_failure(session, keys, now)
        message = _("Gebruikersnaam of wachtwoord klopt niet.")
        if expected is not None:
            message += " " + _wait_message(expected, now)
            raise LoginThrottled(message, expected.until)
        raise LoginFailed(message)
    throttle.clear(session, throttle.account_key(name))
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(minutes=config.session_minutes()),
            last_seen_at=now,
        )
    )
    actor = actor_for(user)
    audit.record(session, actor, audit.LOGIN, "ingelogd", "aanmelden")
    return token, actor


def _count_failure(session: Session, typed: str, client: str, keys: dict, now: datetime) -> None:
    """Count and log the failure once the caller's transaction (which the failure rolls back) has ended."""
    who = _failed_actor(typed)
    where = f"adres {client}" if client else "adres onbekend"

    def work(apart: Session) -> None:
        audit.record(apart, who, audit.LOGIN_FAILED, "inloggen mislukt", f"gebruikersnaam '{who.name}', {where}")
        for key, limits in keys.items():
            _failures, locked_until = throttle.count_failure(apart, key, limits, now)
            if locked_until is not None:
                what = "adres geblokkeerd" if key.startswith("address:") else "account geblokkeerd"
                audit.record(apart, who, audit.LOCKED, f"{what} na {limits.lock_after} mislukte inlogpogingen",
                             f"{key} tot {locked_until.isoformat(timespec='seconds')}, {where}")

    audit.after_transaction(session, work)


TOUCH_EVERY = timedelta(minutes=1)


def resolve(session: Session, token: str) -> Actor | None:
    """The actor behind a browser token, or None when unknown, expired, idle too long or logged out.

    Marks the session as seen now, at most once a minute (a conditional update: few writes).
    """
    if not token:
        return None
    row = session.scalars(select(LoginSession).where(LoginSession.token_hash == _token_hash(token))).first()
    now = datetime.now(timezone.utc)
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if not row.user.active or not still_active(session, LoginSession, row, now):
        return None
    return actor_for(row.user)


def still_active(session: Session, model, row, now: datetime) -> bool:
    """False once a staff or own-view session was idle too long; else its last-seen is touched.

    Written at most every ``TOUCH_EVERY``, by a conditional update, so parallel events write once.
    """
    last_seen = row.last_seen_at or row.created_at
    if last_seen < now - timedelta(minutes=config.idle_minutes()):
        return False
    if last_seen <= now - TOUCH_EVERY:
        session.execute(
            update(model)
            .where(model.id == row.id, or_(model.last_seen_at.is_(None), model.last_seen_at <= now - TOUCH_EVERY))
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
    return True


def logout(session: Session, token: str) -> None:
    """End the session at once; the token is useless afterwards."""
    row = session.scalars(select(LoginSession).where(LoginSession.token_hash == _token_hash(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = datetime.now(timezone.utc)
