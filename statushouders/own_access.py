"""How a statushouder signs in to their own view: a one-time code from the gemeente opens a short session.

Sessions carry a ``method`` so another way in (DigiD) can open the same kind of session later.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit, policy
from .catalogs import staff_text as _
from .models import Person, PersonAccessCode, PersonSession
from .policy import AccessDenied, Actor

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_VALID = timedelta(hours=72)
SESSION_VALID = timedelta(minutes=60)
MAY_ISSUE_CODES = {("gemeente", "regisseur")}


class SignInFailed(ValueError):
    """The code is unknown, used, revoked or expired; the message never says which."""


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
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    expires = now + CODE_VALID
    session.add(PersonAccessCode(person_id=person_id, code_hash=_hash(raw), issued_by=actor.user_id,
                                 issued_at=now, expires_at=expires))
    audit.record(session, actor, audit.CHANGE, "inlogcode eigen omgeving uitgegeven", "toegang eigen omgeving", person_id)
    return f"{raw[:5]}-{raw[5:]}", expires


def sign_in(session: Session, raw_code: str, now: datetime) -> tuple[str, int]:
    """Spend a code and open a session; returns the browser token and the person's id."""
    code = session.scalars(
        select(PersonAccessCode).where(PersonAccessCode.code_hash == _hash(normalise_code(raw_code)))
    ).first()
    if code is None or code.used_at or code.revoked_at or code.expires_at <= now:
        raise SignInFailed("code")
    code.used_at = now
    token = secrets.token_urlsafe(32)
    session.add(PersonSession(token_hash=_hash(token), person_id=code.person_id, method="code",
                              created_at=now, expires_at=now + SESSION_VALID))
    person = session.get(Person, code.person_id)
    audit.record(session, person_actor(person), audit.LOGIN, "ingelogd in eigen omgeving", "eigen omgeving", person.id)
    return token, person.id


def resolve(session: Session, token: str, now: datetime) -> Person | None:
    """The signed-in person behind a browser token, or None when unknown, ended or expired."""
    if not token:
        return None
    row = session.scalars(select(PersonSession).where(PersonSession.token_hash == _hash(token))).first()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    return session.get(Person, row.person_id)


def sign_out(session: Session, token: str, now: datetime) -> None:
    session.execute(update(PersonSession).where(PersonSession.token_hash == _hash(token)).values(ended_at=now))
