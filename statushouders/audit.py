"""Append-only, hash-chained audit log of every read, change and export of a person's file.

Each entry's hash covers its own fields and the previous entry's hash, so editing or
deleting any row breaks the chain from there on; ``verify`` finds the first break.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from .catalogs import staff_text as _
from .models import AuditEntry, AuditHead
from .policy import MAY_READ_AUDIT, Actor, require

READ, CHANGE, EXPORT, PRINT, LOGIN = "read", "change", "export", "print", "login"
GENESIS = "0" * 64


def _digest(prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _fields(entry: AuditEntry) -> dict:
    return {
        "at": entry.at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "organisation": entry.organisation,
        "role": entry.role,
        "person_id": entry.person_id,
        "action": entry.action,
        "what": entry.what,
        "why": entry.why,
    }


def record(session: Session, actor: Actor, action: str, what: str, why: str, person_id: int | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction, so the log and the change commit together."""
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    entry = AuditEntry(
        at=datetime.now(timezone.utc),
        user_id=actor.user_id,
        user_name=actor.name,
        organisation=actor.organisation,
        role=actor.role,
        person_id=person_id,
        action=action,
        what=what,
        why=why,
        prev_hash=head.last_hash,
    )
    entry.hash = _digest(head.last_hash, _fields(entry))
    head.last_hash = entry.hash
    session.add(entry)
    session.flush()
    return entry


def record_many(session: Session, actor: Actor, action: str, what: str, why: str, person_ids: list[int]) -> int:
    """Append one entry per person in one bulk insert (e.g. a payment run exporting 10,000 persons).

    Same chain as ``record``: the head is locked once and each entry hashes the previous one.
    """
    if not person_ids:
        return 0
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
    session.flush()
    prev = head.last_hash
    rows = []
    at = datetime.now(timezone.utc)
    base = {"at": at.isoformat(timespec="microseconds"), "user_id": actor.user_id, "user_name": actor.name,
            "organisation": actor.organisation, "role": actor.role, "action": action, "what": what, "why": why}
    for person_id in person_ids:
        fields = {**base, "person_id": person_id}  # exactly what _fields() gives for the stored row
        digest = _digest(prev, fields)
        rows.append({**fields, "at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(AuditEntry.__table__.insert(), rows)
    head.last_hash = prev
    session.flush()
    return len(rows)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None  # id of the first entry that does not match (or is missing)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(session: Session) -> ChainReport:
    """Walk the chain in order and report the first entry that was edited, removed or inserted."""
    prev = GENESIS
    count = 0
    last_id = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        count += 1
        if entry.prev_hash != prev:
            return ChainReport(count, entry.id, "vorige hash klopt niet: een regel is verwijderd of ingevoegd")
        if _digest(prev, _fields(entry)) != entry.hash:
            return ChainReport(count, entry.id, "inhoud gewijzigd na vastleggen")
        prev = entry.hash
        last_id = entry.id
    head = session.get(AuditHead, 1)
    if head is not None and head.last_hash != prev:
        return ChainReport(count, last_id + 1, "laatste regel(s) verwijderd")
    return ChainReport(count, None)


def accesses_to(session: Session, actor: Actor, person_id: int, limit: int = 200) -> list[AuditEntry]:
    """Who accessed a person's file, newest first: for the privacy officer (and logged itself)."""
    require(actor, MAY_READ_AUDIT, _("de toegangslog van een dossier inzien"))
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.person_id == person_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).all()
    record(session, actor, READ, "toegangslog bekeken", "verzoek inzage / privacytoezicht", person_id)
    return list(rows)


# --- Refusals and failed sign-ins: written in a transaction of their own (issue 14, point 5) -------------

import logging  # noqa: E402 (this section is self-contained)

from sqlalchemy import event  # noqa: E402

REFUSED, LOGIN_FAILED, LOCKED = "refused", "login_failed", "locked"
REFUSAL_ACTIONS = (REFUSED, LOGIN_FAILED, LOCKED)
_APART = "statushouders.audit.apart"
_log = logging.getLogger(__name__)


def after_transaction(session: Session, work) -> None:
    """Run ``work(new_session)`` in a transaction of its own once the caller's transaction has ended.

    It runs whether the caller commits or rolls back, so a refusal that rolls back everything else is
    still written. It waits for the caller's transaction to end because a second connection cannot write
    on SQLite while the caller's transaction holds the write lock (with BEGIN IMMEDIATE, any transaction).
    """
    session.info.setdefault(_APART, []).append(work)


def record_apart(session: Session, actor: Actor, action: str, what: str, why: str,
                 person_id: int | None = None) -> None:
    """``record`` in a transaction of its own, after the caller's: for refusals and failed sign-ins."""
    after_transaction(session, lambda s: record(s, actor, action, what, why, person_id))


def record_refusal(session: Session, actor: Actor, what: str, why: str, person_id: int | None = None) -> None:
    """Log a refused access; it stays logged when the refusal rolls the caller's transaction back."""
    record_apart(session, actor, REFUSED, what, why, person_id)


@event.listens_for(Session, "after_transaction_end")
def _write_apart(session: Session, transaction) -> None:
    if transaction.parent is not None or not session.info.get(_APART):
        return
    pending = session.info.pop(_APART)
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    from . import db  # db imports nothing of the domain; imported here to keep audit light

    try:
        with db.session_scope(engine.url.render_as_string(hide_password=False)) as apart:
            for work in pending:
                work(apart)
    except Exception:  # the caller's own outcome (often a refusal being raised) must not be masked
        _log.exception("audit: writing %d refusal/sign-in entries in their own transaction failed", len(pending))


REFUSAL_FILTERS = {
    "refusals": (REFUSED,),
    "failed_logins": (LOGIN_FAILED,),
    "locks": (LOCKED,),
    "all": REFUSAL_ACTIONS,
}


def refusals(session: Session, actor: Actor, kind: str = "all", limit: int = 200) -> list[AuditEntry]:
    """Refused accesses, failed sign-ins and locks, newest first: for the privacy officer (logged itself)."""
    require(actor, MAY_READ_AUDIT, _("geweigerde toegang en mislukte inlogpogingen inzien"))
    actions = REFUSAL_FILTERS.get(kind, REFUSAL_ACTIONS)
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(actions)).order_by(AuditEntry.id.desc()).limit(limit)
    ).all()
    record(session, actor, READ, f"toegangslog bekeken: geweigerd en mislukt ({kind})", "privacytoezicht")
    return list(rows)
