"""Staff sign-in: hashed passwords and login sessions that expire and can be ended."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from datetime import datetime, timedelta, timezone

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from . import audit, config, throttle
from .catalogs import staff_text as _
from .models import LoginSession, RecoveryCode, User
from .policy import ROLES, Actor, requires_second_factor

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


class SecondFactorNeeded(Exception):
    """The password was right; the account must now give a TOTP or recovery code (``enrol``: set one up first).

    Not a failure: nothing is counted. The caller keeps ``user_id`` on the server (never in the browser)
    and calls ``complete_login`` or ``enrol_and_login`` within ``config.second_factor_minutes()``.
    """

    def __init__(self, user_id: int, enrol: bool):
        super().__init__("second factor needed")
        self.user_id = user_id
        self.enrol = enrol


NO_PASSWORD = "!"  # the password hash of accounts that sign in through their provider only: never verifies

# How a session was opened (LoginSession.method); "oidc:<organisation key>" for single sign-on.
LOCAL, LOCAL_TOTP, LOCAL_RECOVERY = "local", "local+totp", "local+recovery"
METHOD_LABELS = {LOCAL: "wachtwoord", LOCAL_TOTP: "wachtwoord + TOTP", LOCAL_RECOVERY: "wachtwoord + herstelcode"}


def method_label(method: str) -> str:
    """The sign-in method as the audit log names it (Dutch)."""
    if method.startswith("oidc:"):
        return f"single sign-on via {method[5:]}"
    return METHOD_LABELS.get(method, method)


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
        return text.format(time=config.local_time(wait.until, "%H:%M"))
    seconds = max(1, math.ceil((wait.until - now).total_seconds()))
    return _("Te veel mislukte inlogpogingen. Probeer het over {seconds} seconden opnieuw.").format(seconds=seconds)


def _keys(name: str, client: str) -> dict:
    keys = {throttle.account_key(name): throttle.account_limits()}
    if client:
        keys[throttle.address_key(client)] = throttle.address_limits()
    return keys


def _refuse(session: Session, typed: str, client: str, keys: dict, now: datetime, message: str,
            what: str = "inloggen mislukt") -> None:
    """Count the failure (after the transaction) and raise ``message``, with the wait it causes."""
    _count_failure(session, typed, client, keys, now, what)
    expected = throttle.expected_after_failure(session, keys, now)
    if expected is not None:
        message += " " + _wait_message(expected, now)
        raise LoginThrottled(message, expected.until)
    raise LoginFailed(message)


def _check_throttle(session: Session, keys: dict, now: datetime) -> None:
    wait = throttle.check(session, keys, now)
    if wait is not None:
        raise LoginThrottled(_wait_message(wait, now), wait.until)


def needs_second_factor(user: User) -> bool:
    """A local sign-in of this account must give a code: its role requires one, or it enrolled anyway."""
    return user.totp_secret is not None or requires_second_factor(user.organisation.kind, user.role)


def login(session: Session, username: str, password: str, client: str = "", code: str = "") -> tuple[str, Actor]:
    """Check the password (and the second factor) and open a session; returns the token for the cookie.

    ``client`` is the client address the server saw. Failures count per account and per address
    (``throttle``); while one of them must wait, no password is checked at all. An account that needs a
    second factor raises ``SecondFactorNeeded`` when ``code`` is empty; a wrong code is a counted failure.
    """
    name = username.strip().lower()
    now = datetime.now(timezone.utc)
    keys = _keys(name, client)
    _check_throttle(session, keys, now)
    user = session.scalars(select(User).where(User.username == name)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None or not user.active or (user.organisation.kind, user.role) not in ROLES:
        _refuse(session, username, client, keys, now, _("Gebruikersnaam of wachtwoord klopt niet."))
    if needs_second_factor(user):
        if not code:
            raise SecondFactorNeeded(user.id, enrol=user.totp_secret is None)
        return complete_login(session, user.id, code, client)
    throttle.clear(session, throttle.account_key(name))
    return open_session(session, user, LOCAL)


def _pending_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or (user.organisation.kind, user.role) not in ROLES:
        raise LoginFailed(_("Dit account kan niet (meer) inloggen. Begin opnieuw."))
    return user


def complete_login(session: Session, user_id: int, code: str, client: str = "") -> tuple[str, Actor]:
    """The second step after a right password: a TOTP code (6 digits) or an unused recovery code."""
    user = _pending_user(session, user_id)
    now = datetime.now(timezone.utc)
    keys = _keys(user.username, client)
    _check_throttle(session, keys, now)
    if user.totp_secret is None:
        raise SecondFactorNeeded(user.id, enrol=True)
    typed = "".join(code.split()).lower()
    if typed.isdigit() and len(typed) == 6:
        method = LOCAL_TOTP if _use_totp_step(session, user, typed, now) else None
    else:
        method = LOCAL_RECOVERY if _use_recovery_code(session, user, typed, now) else None
    if method is None:
        _refuse(session, user.username, client, keys, now, _("De code klopt niet. Gebruik de code die uw "
                "authenticator-app nu toont, of een ongebruikte herstelcode."), "tweede factor onjuist")
    throttle.clear(session, throttle.account_key(user.username))
    return open_session(session, user, method)


def _totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is (now, or one step either side for clock drift), else None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp_step(session: Session, user: User, code: str, now: datetime) -> bool:
    """Whether ``code`` is a valid TOTP code not used before; marks its step used (atomically: a code works once)."""
    step = _totp_step(user.totp_secret, code, now)
    if step is None:
        return False
    used = session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    ).rowcount
    return bool(used)


def _use_recovery_code(session: Session, user: User, typed: str, now: datetime) -> bool:
    codes = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                       RecoveryCode.used_at.is_(None))).all()
    for row in codes:
        try:
            _hasher.verify(row.code_hash, typed.replace("-", ""))
        except (VerifyMismatchError, InvalidHashError):
            continue
        return bool(session.execute(
            update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
            .values(used_at=now).execution_options(synchronize_session=False)
        ).rowcount)
    return False


# --- Enrolment of TOTP -------------------------------------------------------------------------------

RECOVERY_CODES = 10


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=config.totp_issuer())


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an inline SVG data URI: no external service ever sees the secret."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def enrol_totp(session: Session, user: User, secret: str, code: str, client: str = "") -> list[str]:
    """Confirm an authenticator app: ``code`` must be its current code for ``secret``. Stores the secret,
    replaces the recovery codes and returns them in plain text (shown once; only hashes are kept)."""
    now = datetime.now(timezone.utc)
    keys = _keys(user.username, client)
    _check_throttle(session, keys, now)
    typed = "".join(code.split())
    step = _totp_step(secret, typed, now) if typed.isdigit() and len(typed) == 6 else None
    if step is None:
        _refuse(session, user.username, client, keys, now, _("De code klopt niet. Scan de QR-code opnieuw en "
                "typ de code van 6 cijfers die de app nu toont."), "tweede factor instellen mislukt")
    user.totp_secret, user.totp_last_step = secret, step
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hasher.hash(c.replace("-", ""))) for c in codes)
    audit.record(session, actor_for(user), audit.CHANGE, "tweede factor (TOTP) ingesteld",
                 f"{RECOVERY_CODES} nieuwe herstelcodes")
    throttle.clear(session, throttle.account_key(user.username))
    return codes


def enrol_and_login(session: Session, user_id: int, secret: str, code: str,
                    client: str = "") -> tuple[str, Actor, list[str]]:
    """The first sign-in of an account that must use TOTP: enrol, then open the session."""
    user = _pending_user(session, user_id)
    if user.totp_secret is not None:  # enrolled meanwhile (another tab): the code must be checked as usual
        raise SecondFactorNeeded(user.id, enrol=False)
    codes = enrol_totp(session, user, secret, code, client)
    token, actor = open_session(session, user, LOCAL_TOTP)
    return token, actor, codes


def unused_recovery_codes(session: Session, user_id: int) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user_id,
                                                             RecoveryCode.used_at.is_(None))).all())


def open_session(session: Session, user: User, method: str) -> tuple[str, Actor]:
    """A new login session for ``user``, signed in by ``method``; logged."""
    now = datetime.now(timezone.utc)
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(minutes=config.session_minutes()),
            last_seen_at=now,
            method=method,
        )
    )
    actor = actor_for(user)
    audit.record(session, actor, audit.LOGIN, f"ingelogd ({method_label(method)})", "aanmelden")
    return token, actor


def end_sessions_of(session: Session, user_id: int) -> int:
    """End every open session of a user at once (disabled, second factor reset); returns how many."""
    return session.execute(
        update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=datetime.now(timezone.utc)).execution_options(synchronize_session=False)
    ).rowcount


def _count_failure(session: Session, typed: str, client: str, keys: dict, now: datetime,
                   what: str = "inloggen mislukt") -> None:
    """Count and log the failure once the caller's transaction (which the failure rolls back) has ended."""
    who = _failed_actor(typed)
    where = f"adres {client}" if client else "adres onbekend"

    def work(apart: Session) -> None:
        audit.record(apart, who, audit.LOGIN_FAILED, what, f"gebruikersnaam '{who.name}', {where}")
        for key, limits in keys.items():
            _failures, locked_until = throttle.count_failure(apart, key, limits, now)
            if locked_until is not None:
                locked = "adres geblokkeerd" if key.startswith("address:") else "account geblokkeerd"
                audit.record(apart, who, audit.LOCKED, f"{locked} na {limits.lock_after} mislukte inlogpogingen",
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
    if not row.user.active or (row.user.organisation.kind, row.user.role) not in ROLES:
        return None
    if not still_active(session, LoginSession, row, now):
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


def session_method(session: Session, token: str) -> str:
    """How the session behind ``token`` was signed in ("" when there is none)."""
    if not token:
        return ""
    row = session.scalars(select(LoginSession).where(LoginSession.token_hash == _token_hash(token))).first()
    return row.method if row is not None else ""
