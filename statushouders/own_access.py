"""How a statushouder signs in to their own view: a one-time code from the gemeente opens a short session.

Sessions carry a ``method`` so another way in (DigiD) can open the same kind of session later.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit, config, policy, throttle
from .auth import still_active
from .catalogs import staff_text as _
from .models import Person, PersonAccessCode, PersonSession
from .policy import AccessDenied, Actor

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_VALID = timedelta(hours=72)
SESSION_VALID = timedelta(minutes=60)
MAY_ISSUE_CODES = {("gemeente", "regisseur")}


class SignInFailed(ValueError):
    """The code is unknown, used, revoked or expired; the message never says which.

    ``str(exc)`` is a reason, not a message: ``code``; ``void`` (the code was voided after too many
    wrong tries: the person needs a new one); ``wait`` (too many wrong codes from this address: no
    try before ``until``).
    """

    def __init__(self, reason: str, until: datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.until = until


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(raw: str) -> str:
    """Codes are typed by hand: ignore case, spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def person_actor(person: Person) -> Actor:
    """The person as the audit log names them; no staff role, so staff rules never let them in."""
    return Actor(None, f"{person.given_names} {person.family_name}", 0, "Statushouder zelf", "statushouder", "statushouder", None)


def issue_code(session: Session, actor: Actor, person_id: int, now: datetime) -> tuple[str, datetime]:
    """A new code for the person; earlier unused codes stop working. Returns the code, shown once."""
    policy.require(actor, MAY_ISSUE_CODES, _("een inlogcode voor de eigen omgeving uitgeven"))
    person = session.get(Person, person_id)
    if person is None or not policy.visible_groups(actor, person, session, now.date()):
        raise AccessDenied(_("U heeft geen toegang tot dit dossier."))
    session.execute(
        update(PersonAccessCode)
        .where(PersonAccessCode.person_id == person_id, PersonAccessCode.used_at.is_(None),
               PersonAccessCode.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    raw = _new_code(session, now)
    expires = now + CODE_VALID
    session.add(PersonAccessCode(person_id=person_id, code_hash=_hash(raw), prefix=raw[:PREFIX],
                                 issued_by=actor.user_id, issued_at=now, expires_at=expires))
    audit.record(session, actor, audit.CHANGE, "inlogcode eigen omgeving uitgegeven", "toegang eigen omgeving", person_id)
    return f"{raw[:5]}-{raw[5:]}", expires


PREFIX = 4  # a wrong code starting like a live code counts against that code


def _live(now: datetime):
    return (PersonAccessCode.used_at.is_(None), PersonAccessCode.revoked_at.is_(None),
            PersonAccessCode.expires_at > now)


def _new_code(session: Session, now: datetime) -> str:
    """A fresh code whose prefix no other live code has, so failed tries count against one code."""
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        taken = session.scalar(select(PersonAccessCode.id).where(PersonAccessCode.prefix == raw[:PREFIX], *_live(now)))
        if taken is None:
            return raw


def sign_in(session: Session, raw_code: str, now: datetime, client: str = "") -> tuple[str, int]:
    """Spend a code and open a session; returns the browser token and the person's id.

    A wrong code counts against the live code it starts like (void after ``own_code_max_failures``)
    and against the client address; both are counted and logged after the caller's transaction.
    """
    typed = normalise_code(raw_code)
    keys = {throttle.address_key(client, own_view=True): throttle.address_limits()} if client else {}
    wait = throttle.check(session, keys, now) if keys else None
    if wait is not None:
        raise SignInFailed("wait", wait.until)
    code = session.scalars(select(PersonAccessCode).where(PersonAccessCode.code_hash == _hash(typed))).first()
    if code is None or code.used_at or code.revoked_at or code.expires_at <= now:
        _count_failure(session, typed, code, client, keys, now)
        if code is not None and code.failures >= config.own_code_max_failures():
            raise SignInFailed("void")
        expected = throttle.expected_after_failure(session, keys, now) if keys else None
        if expected is not None and expected.locked:
            raise SignInFailed("wait", expected.until)
        raise SignInFailed("code")
    code.used_at = now
    token = secrets.token_urlsafe(32)
    session.add(PersonSession(token_hash=_hash(token), person_id=code.person_id, method="code",
                              created_at=now, expires_at=now + SESSION_VALID, last_seen_at=now))
    person = session.get(Person, code.person_id)
    audit.record(session, person_actor(person), audit.LOGIN, "ingelogd in eigen omgeving", "eigen omgeving", person.id)
    return token, person.id


UNKNOWN_SIGNER = Actor(None, "onbekend (eigen omgeving)", 0, "", "statushouder", "statushouder", None)


def _count_failure(session: Session, typed: str, spent: PersonAccessCode | None, client: str, keys: dict,
                   now: datetime) -> None:
    where = f"adres {client}" if client else "adres onbekend"
    spent_person = spent.person_id if spent is not None else None
    limit = config.own_code_max_failures()

    def work(apart: Session) -> None:
        audit.record(apart, UNKNOWN_SIGNER, audit.LOGIN_FAILED, "inlogcode eigen omgeving klopt niet",
                     f"{where}" + (" (code al gebruikt, ingetrokken of verlopen)" if spent is not None else ""),
                     spent_person)
        targets = []
        if spent is None and len(typed) >= PREFIX:  # a guess: count it against the live code it starts like
            targets = apart.execute(
                update(PersonAccessCode)
                .where(PersonAccessCode.prefix == typed[:PREFIX], *_live(now))
                .values(failures=PersonAccessCode.failures + 1)
                .returning(PersonAccessCode.id, PersonAccessCode.person_id, PersonAccessCode.failures)
                .execution_options(synchronize_session=False)
            ).all()
            for code_id, person_id, failures in targets:
                if failures >= limit and apart.execute(
                    update(PersonAccessCode)
                    .where(PersonAccessCode.id == code_id, PersonAccessCode.revoked_at.is_(None))
                    .values(revoked_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount:
                    audit.record(apart, UNKNOWN_SIGNER, audit.LOCKED,
                                 f"inlogcode eigen omgeving ongeldig na {limit} mislukte pogingen",
                                 f"{where}; de regisseur maakt een nieuwe code", person_id)
        for key, limits in keys.items():
            _failures, locked_until = throttle.count_failure(apart, key, limits, now)
            if locked_until is not None:
                audit.record(apart, UNKNOWN_SIGNER, audit.LOCKED,
                             f"adres geblokkeerd na {limits.lock_after} mislukte inlogcodes",
                             f"{key} tot {locked_until.isoformat(timespec='seconds')}")

    audit.after_transaction(session, work)


def resolve(session: Session, token: str, now: datetime) -> Person | None:
    """The signed-in person behind a browser token, or None when unknown, ended, expired or idle too long."""
    if not token:
        return None
    row = session.scalars(select(PersonSession).where(PersonSession.token_hash == _hash(token))).first()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    if not still_active(session, PersonSession, row, now):
        return None
    return session.get(Person, row.person_id)


def sign_out(session: Session, token: str, now: datetime) -> None:
    session.execute(update(PersonSession).where(PersonSession.token_hash == _hash(token)).values(ended_at=now))
